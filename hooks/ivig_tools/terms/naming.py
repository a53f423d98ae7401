"""MED020 to MED024: the product's house name, immunoglobulin classes, misspellings, dated terms
and British spellings."""

from __future__ import annotations

import bisect
import re

from ivig_tools.terms.engine import Page, gated_finditer, tokens_offsets


def check_naming(page: Page) -> None:
    c = page.config.compiled
    house_bad = page.tokens & c.house_bad
    ig_bad = page.tokens & c.ig_bad
    for start, found in tokens_offsets(page.masked, house_bad | ig_bad):
        if found in house_bad:
            page.flagged.add(start)
            if not page.in_quotes(start):
                page.add(
                    start,
                    "MED020",
                    f'write the house form "{c.house}" instead of "{found}" '
                    "(other forms only inside a quoted product name)",
                )
        else:
            right = c.ig_classes[found.lower()]
            page.flagged.add(start)
            page.add(start, "MED021", f'write the immunoglobulin class as "{right}", not "{found}"')
    for m, alt in gated_finditer(page.config.compiled.naming_forms, page.tokens, page.masked):
        found = " ".join(m.group(0).split())
        page.flagged.add(m.start())
        rule, right = alt.payload
        if rule == "MED022":
            page.add(m.start(), rule, f'"{found}" is misspelled; write "{right}"')
        else:
            page.add(m.start(), rule, f'"{found}" is a dated term; write "{right}"')


# Link text of a link to another site ("[title](https://...)", "<a href="https://...">title</a>"),
# and of a reference-style link ("[title][label]"): the title of someone else's work.
_EXTERNAL_LINK_TEXT_RE = re.compile(
    r"\[(?P<t1>[^\]\n]+)\]\(<?(?:https?:|ftp:|mailto:|//|www\.)"
    r"|\[(?P<t2>[^\]\n]+)\]\[[^\]\n]*\]"
    r"|<a\s[^>]*href=[\"']?(?:https?:|//)[^>]*>(?P<t3>.*?)</a>",
    re.IGNORECASE | re.DOTALL,
)


_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;\u2022>#*+(\[-]|\d[.)])[\s\"\u201c\u2018*_]*$")


def _external_link_text_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _EXTERNAL_LINK_TEXT_RE.finditer(text):
        group = "t1" if m.group("t1") is not None else "t2" if m.group("t2") is not None else "t3"
        spans.append(m.span(group))
    return spans


def check_us_spelling(page: Page) -> None:
    if page.config.severity("MED024") is None:
        return
    masked = page.masked
    links: list[tuple[int, int]] | None = None
    link_starts: list[int] = []
    for m, alt in gated_finditer(page.config.compiled.us_forms, page.tokens, masked):
        start = m.start()
        found = m.group(0)
        if page.in_quotes(start):
            continue  # a quoted title or a quotation
        if found[0].isupper() and not found.isupper():
            line_start = page.line_start(start)
            if not _SENTENCE_START_RE.search(masked[max(line_start, start - 80) : start]):
                continue  # capitalized inside a sentence: a proper name ("European Centre ...")
        if links is None:
            links = _external_link_text_spans(page.text) if "[" in page.text or "<a" in page.text else []
            link_starts = [a for a, _ in links]
        # (The spans come from one finditer: sorted, not overlapping.)
        i = bisect.bisect_right(link_starts, start) - 1
        if i >= 0 and start < links[i][1]:
            continue
        right = alt.payload
        if found.isupper() and len(found) > 1:
            right = right.upper()
        elif found[0].isupper():
            right = right[0].upper() + right[1:]
        page.flagged.add(start)
        msg = f'"{found}" is British spelling; the guide uses US English: write "{right}"'
        page.add(start, "MED024", msg)
