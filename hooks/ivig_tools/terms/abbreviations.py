"""MED030, MED031: abbreviations expanded at their first use on the page, and used again."""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any

from ivig_tools.terms.config import Config, VocabularyEntry
from ivig_tools.terms.engine import Page, tokens_offsets

_ROMAN_RE = re.compile(r"^(?=[IVXLC]+$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


_NORM_DROP_RE = re.compile(r"[*_`]")


_NORM_SPACE_RE = re.compile(r"[\s\-\u2010\u2011\u2013]+")


@functools.lru_cache(maxsize=1024)
def _norm(text: str) -> str:
    """Lower case, no emphasis marks, hyphens and runs of blanks as one space."""
    text = _NORM_DROP_RE.sub("", text.lower().replace("\u2019", "'"))
    return _NORM_SPACE_RE.sub(" ", text).strip()


_AFTER_OPEN_RE = re.compile(r"s?\s*[),;]")


_AFTER_PAREN_RE = re.compile(r"s?[ \t]*\(([^()\n]{3,160})\)")


_WORD_END_RE = re.compile(r"[a-z]{2,}$")


def _first_use_ok(masked: str, start: int, end: int, entry: VocabularyEntry | None) -> bool:
    after = masked[end : end + 200]
    before = masked[max(0, start - 200) : start].rstrip()
    expansions = [_norm(x) for x in ((entry.expansion, *entry.also) if entry else ())]
    # "expansion (ABBR)"
    if before.endswith("(") and _AFTER_OPEN_RE.match(after):
        text = _norm(before[:-1])
        if entry is None:
            return bool(_WORD_END_RE.search(text))
        for exp in expansions:
            if text.endswith(exp) or text.rstrip("s").endswith(exp) or text.endswith(exp + "s"):
                return True
        return False
    # "ABBR (expansion)"
    m = _AFTER_PAREN_RE.match(after)
    if m:
        text = _norm(m.group(1))
        if entry is None:
            return len(text.split()) >= 2
        return any(text.startswith(exp) for exp in expansions)
    return False


def abbreviation_of(tok: str, config: Config, speller: Any) -> str | None:
    """The abbreviation a capitalised token stands for, or None for an ordinary word."""
    result = None
    base = tok[:-1] if tok.endswith("s") and len(tok) > 2 else None
    if tok in config.abbreviations:
        result = tok
    elif base and base in config.abbreviations:
        result = base
    elif len(tok) <= 10 and not tok[1:].islower():  # (one capital, then small letters: a word)
        t = base if base and base.isupper() else tok
        letters = [ch for ch in t if ch.isalpha()]
        caps = sum(ch.isupper() for ch in letters)
        shaped = caps >= 2 and caps * 2 >= len(letters) and not _ROMAN_RE.match(t)
        # (a word in capitals for emphasis is not an abbreviation)
        # (a word in capitals for emphasis is not an abbreviation: "FOR", "OF")
        low = t.lower()
        if shaped and not (
            t.isupper() and (low in speller.function_words or (len(t) >= 3 and low in speller.common))
        ):
            result = t
    if result in config.allowlist:
        result = None
    return result


# Author initials in a reference: a capitalized surname, a space, one to three capitals,
# then a comma, full stop or semicolon ("Smith AB, Jones CD.").
_INITIALS_BEFORE_RE = re.compile(r"[A-Z][\w'\u2019-]+[ \t]$")
_INITIALS_AFTER = frozenset(",.;")
# A heading that starts a reference list: nothing below it needs an expansion.
_REFERENCES_HEADING_RE = re.compile(
    r"(?i)^\W*(?:references?|bibliography|sources|further reading|citations|works cited)\W*$"
)


def _is_initials(masked: str, start: int, tok: str) -> bool:
    if len(tok) > 3 or not tok.isupper() or not tok.isalpha():
        return False
    return masked[start + len(tok) : start + len(tok) + 1] in _INITIALS_AFTER and bool(
        _INITIALS_BEFORE_RE.search(masked[max(0, start - 40) : start])
    )


def _is_symbol(tok: str) -> bool:
    """A gene, protein or product symbol ("BRCA1", "JAK2", "HLA-B27" as "B27"): capitals
    and digits, a name rather than an abbreviation a reader expects expanded."""
    return any(ch.isdigit() for ch in tok)


def check_abbreviations(page: Page) -> None:
    headings, speller = page.headings, page.speller
    config = page.config
    # Candidates from the page's distinct tokens (each token classified once per
    # process, with set operations for the rest), then only their occurrences are read.
    seen = config.compiled.abbr_seen
    positive = config.compiled.abbr_positive
    new = page.tokens - seen
    seen |= new
    for tok in new:
        if tok[:1].isupper():
            abbr = abbreviation_of(tok, config, speller)
            if abbr:
                positive[tok] = abbr
    forms: dict[str, list[str]] = {}
    for tok in page.tokens & positive.keys():
        forms.setdefault(positive[tok], []).append(tok)
    if not forms:
        return
    masked = page.masked
    starts = [h[0] for h in headings]
    # Where a reference list starts (its heading): below it, up to the next heading of the
    # same or a higher level, abbreviations are names of journals and authors' initials.
    ref_spans = []
    for k, (h_start, _h_end, level, title) in enumerate(headings):
        if _REFERENCES_HEADING_RE.match(title.strip()):
            end = next((h[0] for h in headings[k + 1 :] if h[2] <= level), len(masked))
            ref_spans.append((h_start, end))
    for abbr, toks in forms.items():
        if abbr not in config.abbreviations and _is_symbol(abbr):
            continue
        offsets: list[int] = []
        for start, tok in tokens_offsets(masked, toks):
            i = bisect.bisect_right(starts, start) - 1
            if (i >= 0 and start <= headings[i][1]) or start in page.flagged:
                continue  # headings neither need nor give the expansion
            if any(a <= start < b for a, b in ref_spans) or _is_initials(masked, start, tok):
                continue  # a reference list, or an author's initials
            offsets.append(start)
            if len(offsets) == 2:
                break  # the first use, and whether there is another
        if not offsets:
            continue
        entry = config.abbreviations.get(abbr)
        first = offsets[0]
        if not _first_use_ok(masked, first, first + len(abbr), entry):
            if entry:
                msg = f'expand "{abbr}" at its first use on the page: write "{entry.expansion} ({abbr})"'
            else:
                msg = (
                    f'expand "{abbr}" at its first use on the page ("expansion ({abbr})"), '
                    "and add it to the vocabulary in hooks/data/medical_terms.yaml"
                )
            page.add(first, "MED030", msg)
        elif len(offsets) == 1:
            what = f'"{entry.expansion}"' if entry else "the expansion"
            page.add(
                first, "MED031", f'"{abbr}" is defined but not used again on the page; write {what} alone'
            )
