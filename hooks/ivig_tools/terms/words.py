"""MED040, MED041: run-together words (scrape damage) and words in no dictionary."""

from __future__ import annotations

from ivig_tools.terms.engine import Page, tokens_offsets

# What may stand between the previous word and a name: spaces, emphasis, brackets, quotes.
_BEFORE_NAME = " \t*_([\"'\u201c\u2018"


def _mid_sentence(masked: str, start: int) -> bool:
    """Whether the word at ``start`` follows another word of its sentence on its line."""
    i = start
    while i > 0 and start - i < 20 and masked[i - 1] in _BEFORE_NAME:
        i -= 1
    return i > 0 and (masked[i - 1].isalnum() or masked[i - 1] in ",;")


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
        if kind == "join" and want_join:
            page.add(start, "MED040", f'"{tok}" looks like run-together words; write "{detail}"')
        elif kind == "spell" and want_spell:
            if tok[0].isupper() and _mid_sentence(page.masked, start):
                continue  # a capitalized word inside a sentence: a name ("Dexcom", "Kamen")
            suggestion = speller.suggestion(tok)
            hint = f'; did you mean "{suggestion}"?' if suggestion else ""
            page.add(
                start,
                "MED041",
                f'"{tok}" is not in the dictionaries{hint} (add real words to hooks/data/words.txt)',
            )
