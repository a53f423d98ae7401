"""Suppression comments (``<!-- medical-terms: disable MED050 -- reason -->``) and their
own rules MED090 to MED092."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivig_tools import mdmask
from ivig_tools.findings import Finding
from ivig_tools.terms.engine import Page

# The start of a directive, matched at the start of each HTML comment (the comments are
# found with str.find: linear, where a lazy ".*?-->" run from every "<!--" of a page full
# of unclosed comments is quadratic).
_DIRECTIVE_RE = re.compile(r"<!--\s*medical-terms:\s*(?P<kind>disable-file|disable)\b")


def _directives(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, body) of each suppression comment."""
    for a, b in mdmask.html_comment_spans(text):
        m = _DIRECTIVE_RE.match(text, a, b)
        if m:
            yield a, b, m.group("kind"), text[m.end() : b - 3]


@dataclass
class _Directive:
    offset: int
    kind: str
    rules: tuple[str, ...]
    reason: str
    lines: tuple[int, int]  # first and last line it silences (file: 0, 10**9)
    used: bool = False


def find_directives(page: Page) -> list[_Directive]:
    text = page.text
    if "medical-terms:" not in text:
        return []
    code = mdmask.code_spans(text)
    code_starts = [a for a, _ in code]
    line_texts: list[str] | None = None
    out = []
    for start, end, kind, raw_body in _directives(text):
        i = bisect.bisect_right(code_starts, start) - 1
        if i >= 0 and start < code[i][1]:
            continue  # inside code (the spans are sorted and do not overlap)
        body = raw_body.strip()
        rm = re.match(r"((?:[A-Za-z]+\d+)(?:\s*,\s*[A-Za-z]+\d+)*)", body)
        rules = tuple(r.strip().upper() for r in rm.group(1).split(",")) if rm else ()
        reason = body[rm.end() :] if rm else body
        reason = re.sub(r"^[\s\-\u2013\u2014:]+", "", reason).strip()
        last_line, _ = page.index.position(end)
        first_line, _ = page.index.position(start)
        if kind == "disable-file":
            lines = (0, 10**9)
        else:
            nxt = last_line + 1
            if line_texts is None:
                line_texts = text.split("\n")
            while nxt <= len(line_texts) and not line_texts[nxt - 1].strip():
                nxt += 1
            lines = (first_line, nxt)
        d = _Directive(start, kind, rules, reason, lines)
        out.append(d)
        known = page.config.registry
        if not rules:
            page.add(
                start,
                "MED091",
                f'name the rule to disable: "<!-- medical-terms: {d.kind} MED0xx -- reason -->"',
            )
        for r in rules:
            if r not in known:
                page.add(start, "MED091", f'"{r}" is not a rule of the medical-term lint; check the rule ID')
        if not reason and page.config.data.get("suppression", {}).get("require_reason", True):
            page.add(
                start,
                "MED090",
                f'say why the rule is disabled: "<!-- medical-terms: {d.kind} '
                f'{", ".join(rules) or "MED0xx"} -- reason -->"',
            )
    return out


def apply_suppressions(page: Page, directives: list[_Directive]) -> list[Finding]:
    # The directives that may cover each line (a page-wide one covers every line); the
    # first in page order that names the rule wins.
    whole_page = [d for d in directives if d.kind == "disable-file"]
    by_line: dict[int, list[_Directive]] = {}
    for d in directives:
        if d.kind != "disable-file":
            for line in range(d.lines[0], d.lines[1] + 1):
                by_line.setdefault(line, []).append(d)
    out = []
    for f in page.findings:
        hit = None
        if f.rule not in ("MED090", "MED091", "MED092"):
            near = by_line.get(f.line, [])
            for d in sorted([*whole_page, *near], key=lambda d: d.offset) if near else whole_page:
                if f.rule in d.rules:
                    hit = d
                    break
        if hit:
            hit.used = True
            out.append(
                Finding(
                    f.path,
                    f.line,
                    f.col,
                    f.severity,
                    f.rule,
                    f.message,
                    suppressed=True,
                    suppression_reason=hit.reason,
                    extra=f.extra,
                )
            )
        else:
            out.append(f)
    page.findings = out
    for d in directives:
        known = [r for r in d.rules if r in page.config.registry]
        if known and not d.used:
            page.add(
                d.offset, "MED092", f"this suppression of {', '.join(known)} silences nothing; remove it"
            )
    return page.findings
