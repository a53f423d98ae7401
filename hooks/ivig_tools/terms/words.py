"""MED040, MED041: run-together words (scrape damage) and words in no dictionary."""

from __future__ import annotations

import re

from ivig_tools.terms.engine import Page, tokens_offsets

# What may stand between the previous word and a name: spaces, emphasis, brackets, quotes.
_BEFORE_NAME = " \t*_([\"'\u201c\u2018"


def _mid_sentence(masked: str, start: int) -> bool:
    """Whether the word at ``start`` follows another word of its sentence on its line."""
    i = start
    while i > 0 and start - i < 20 and masked[i - 1] in _BEFORE_NAME:
        i -= 1
    return i > 0 and (masked[i - 1].isalnum() or masked[i - 1] in ",;")


# A surname in a reference list: the name, then one to three initials and a comma, full
# stop or semicolon ("Bugawan TL, Norris JM"; "Philipson LH.").
_INITIALS_AFTER_RE = re.compile(r"[ \t]+[A-Z]{1,3}[,.;]")
# A title before a name ("Dr. Bikash").
_TITLE_BEFORE_RE = re.compile(r"\b(?:Dr|Drs|Mr|Mrs|Ms|Prof|Sr|St)\.?[ \t]+$")
# After a capitalized word, what makes it part of a name: another capitalized word
# ("Vesselin Petkov", "Bachmann Pathway"), a hyphen and one ("Asboe-Hansen"), or 's.
_NAME_AFTER_RE = re.compile(r"(?:[ \t]+|-)[A-Z][a-z]|['\u2019]s\b")


def _a_name(masked: str, start: int, tok: str) -> bool:
    """Whether the word at ``start`` reads as a person's or a place's name: an author's
    surname before initials ("Bugawan TL,"; scraped text may lower its first letter), or a
    capitalized word inside a sentence, after a title, or followed by another name."""
    end = start + len(tok)
    if _INITIALS_AFTER_RE.match(masked, end):
        return True
    return tok[0].isupper() and (
        _mid_sentence(masked, start)
        or bool(_TITLE_BEFORE_RE.search(masked[max(0, start - 8) : start]))
        or bool(_NAME_AFTER_RE.match(masked, end))
    )


def _inside_emphasis(masked: str, start: int) -> bool:
    """Whether the word at ``start`` goes on a word cut by emphasis marks, as mnemonics
    write it ("**N**ever **L**et" reads "Never Let")."""
    i = start
    while i > 0 and start - i < 3 and masked[i - 1] in "*_":
        i -= 1
    return i < start and i > 0 and masked[i - 1].isalnum()


def check_spelling(page: Page) -> None:
    speller = page.speller
    want_join = page.config.severity("MED040") is not None
    want_spell = page.config.severity("MED041") is not None
    if not (want_join or want_spell):
        return
    # Each distinct token is classified once per process (set operations for the rest).
    new = page.tokens - speller.checked
    speller.checked |= new
    for tok in new:
        if (
            len(tok) < 3
            or not tok[1:].islower()
            or (not tok.isalpha() and "'" not in tok and "\u2019" not in tok)
        ):
            continue  # abbreviations, IgG, numbers, short tokens
        res = speller.classify(tok)
        if res is not None:
            speller.flagged[tok] = res
    flagged = {t: speller.flagged[t] for t in page.tokens & speller.flagged.keys()}
    if not flagged:
        return
    for start, tok in tokens_offsets(page.masked, flagged):
        if start in page.flagged or _inside_emphasis(page.masked, start):
            continue
        kind, detail = flagged[tok]
        if _a_name(page.masked, start, tok):
            continue  # a name ("Dexcom", "Kamen", "Bugawan TL,"), not run-together words
        if kind == "join" and want_join:
            page.add(start, "MED040", f'"{tok}" looks like run-together words; write "{detail}"')
        elif kind == "spell" and want_spell:
            suggestion = speller.suggestion(tok)
            hint = f'; did you mean "{suggestion}"?' if suggestion else ""
            page.add(
                start,
                "MED041",
                f'"{tok}" is not in the dictionaries{hint} (add real words to hooks/data/words.txt)',
            )
