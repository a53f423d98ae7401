"""MED050 to MED052: absolute claims, off-label uses outside an "off-label" section, and numbers in
claims awaiting verification (``!!! unverified`` boxes)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from ivig_tools import mdmask
from ivig_tools.terms.engine import Page, gated_finditer

_NEGATION_RE = re.compile(
    r"\b(?:not|no|never|nor|cannot|can't|can\u2019t|isn't|isn\u2019t|aren't|aren\u2019t|"
    r"doesn't|doesn\u2019t|don't|don\u2019t|without|neither|nothing)\b[^.!?;:\n]{0,40}$",
    re.IGNORECASE,
)


_ADMONITION_HEAD_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]*(?P<type>[\w-]+)[^\n]*$", re.MULTILINE
)


def _indent_width(line: str) -> int:
    return len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))


def _admonition_blocks(text: str, kind: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each admonition of type ``kind``: its first line (the title) and its
    body, the lines after it indented deeper than it (blank lines inside included)."""
    for m in _ADMONITION_HEAD_RE.finditer(text):
        if m.group("type") != kind:
            continue
        indent = _indent_width(m.group("indent"))
        end = m.end()
        for line in _lines_after(text, m.end()):
            line_start, line_end = line
            body = text[line_start:line_end]
            if body.strip():
                if _indent_width(body) <= indent:
                    break
                end = line_end
        yield m.start(), end


def _lines_after(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line after the line ending at ``pos``."""
    while pos < len(text):
        start = pos + 1
        nl = text.find("\n", start)
        end = len(text) if nl == -1 else nl
        yield start, end
        pos = end


def check_unverified_numbers(page: Page) -> None:
    c = page.config.compiled
    kind = c.unverified_type
    if kind not in page.text or page.config.severity("MED052") is None:
        return
    code: list[tuple[int, int]] | None = None
    for start, end in _admonition_blocks(page.text, kind):
        if code is None:
            code = mdmask.code_spans(page.text)
        if any(a <= start < b for a, b in code):
            continue  # an example inside code
        for m in c.actionable_re.finditer(page.masked, start, end):
            found = " ".join(m.group(0).split())
            page.add(
                m.start(),
                "MED052",
                f'"{found}" is a number a reader could act on, and unverified claims must not '
                "carry a number: remove it until a source confirms it (then cite the source "
                "and make it ordinary text)",
            )


def check_claims(page: Page) -> None:
    c = page.config.compiled
    write = page.config.data["claims"].get("write", "say what the evidence shows and cite it")
    for m, _form in gated_finditer(page.config.compiled.claims_forms, page.tokens, page.masked):
        found = " ".join(m.group(0).split())
        if found.lower() in c.negatable:
            line_start = page.line_start(m.start())
            if _NEGATION_RE.search(page.masked[max(line_start, m.start() - 60) : m.start()]):
                continue
        page.add(m.start(), "MED050", f'"{found}" is an absolute claim; {write}')


def check_off_label(page: Page) -> None:
    headings = page.headings
    c = page.config.compiled
    masked = page.masked
    reported: set[tuple[int, str]] = set()
    starts = [h[0] for h in headings]
    for m, _form in gated_finditer(page.config.compiled.offlabel_forms, page.tokens, masked):
        # The section: from the nearest heading above to the next heading.
        i = bisect.bisect_right(starts, m.start()) - 1
        sec_start = headings[i][0] if i >= 0 else 0
        sec_end = starts[i + 1] if i + 1 < len(starts) else len(masked)
        texts = [masked[sec_start:sec_end]]
        if i >= 0:  # and every heading it sits under
            level = headings[i][2]
            for k in range(i - 1, -1, -1):
                if headings[k][2] < level:
                    texts.append(headings[k][3])
                    level = headings[k][2]
        if any(c.section_words_re.search(t) for t in texts):
            continue
        name = " ".join(m.group(0).lower().split())
        if (i, name) in reported:
            continue
        reported.add((i, name))
        page.add(
            m.start(),
            "MED051",
            f'"{" ".join(m.group(0).split())}" is not a licensed use of IVIG; '
            'say "off-label" in this section (or in its heading)',
        )
