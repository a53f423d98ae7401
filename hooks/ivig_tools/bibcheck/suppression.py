"""Suppression comments for the bibliography check, with a required reason (BIB090 to BIB092).

In a ``.bib`` file, on the lines just before an entry (pybtex ignores text between
entries), silencing the named rules in that entry; ``disable-file`` silences them in the
whole file::

    % doi-check: disable DOI006 -- a book chapter without a DOI
    @article{smith2020, ...}

    % doi-check: disable-file CIT002 -- background reading, not cited on a page

In a Markdown page, on the line before the citation (it covers its own line and the next
non-blank line), or for the whole page::

    <!-- doi-check: disable CIT003 -- the page number matters here -->

A suppressed finding is kept, marked, with its reason (``--format json`` shows it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ivig_tools import mdmask
from ivig_tools.bibcheck.rules import BIB_RULES
from ivig_tools.findings import Finding
from ivig_tools.registry import Registry

_BIB_DIRECTIVE_RE = re.compile(
    r"^[ \t]*%[ \t]*doi-check:[ \t]*(?P<kind>disable-file|disable)\b(?P<body>[^\n]*)$", re.MULTILINE
)
_MD_DIRECTIVE_RE = re.compile(
    r"<!--[ \t]*doi-check:\s*(?P<kind>disable-file|disable)\b(?P<body>.*?)-->", re.DOTALL
)
_RULES_RE = re.compile(r"((?:[A-Za-z]+\d+)(?:\s*,\s*[A-Za-z]+\d+)*)")
_ENTRY_START_RE = re.compile(r"^[ \t]*@", re.MULTILINE)
_WHOLE_FILE = (0, 10**9)


@dataclass
class Directive:
    path: str
    line: int
    col: int
    kind: str
    rules: tuple[str, ...]
    reason: str
    lines: tuple[int, int]  # the first and last line it silences
    comment: str  # how the comment is written in this kind of file, for the messages
    used: bool = False


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _parse(m: re.Match[str]) -> tuple[tuple[str, ...], str]:
    body = m.group("body").strip()
    rm = _RULES_RE.match(body)
    rules = tuple(r.strip().upper() for r in rm.group(1).split(",")) if rm else ()
    reason = body[rm.end() :] if rm else body
    return rules, re.sub(r"^[\s\-\u2013\u2014:]+", "", reason).strip()


def bib_directives(path: str, text: str) -> list[Directive]:
    """The suppression comments of a ``.bib`` file: each covers the entry after it."""
    if "doi-check:" not in text:
        return []
    out = []
    for m in _BIB_DIRECTIVE_RE.finditer(text):
        rules, reason = _parse(m)
        percent = text.index("%", m.start())
        line, col = _line_col(text, percent)
        if m.group("kind") == "disable-file":
            lines = _WHOLE_FILE
        else:
            nxt = _ENTRY_START_RE.search(text, m.end())
            if nxt is None:
                lines = (line, line)
            else:
                after = _ENTRY_START_RE.search(text, nxt.end())
                end_line = _line_col(text, after.start())[0] - 1 if after else 10**9
                lines = (line, end_line)
        out.append(Directive(path, line, col, m.group("kind"), rules, reason, lines, "% doi-check:"))
    return out


def page_directives(path: str, text: str) -> list[Directive]:
    """The suppression comments of a Markdown page (not those inside code)."""
    if "doi-check:" not in text:
        return []
    code = mdmask.code_spans(text)
    lines_of_text = text.split("\n")
    out = []
    for m in _MD_DIRECTIVE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in code):
            continue
        rules, reason = _parse(m)
        line, col = _line_col(text, m.start())
        if m.group("kind") == "disable-file":
            lines = _WHOLE_FILE
        else:
            last = _line_col(text, m.end())[0]
            nxt = last + 1
            while nxt <= len(lines_of_text) and not lines_of_text[nxt - 1].strip():
                nxt += 1
            lines = (line, nxt)
        out.append(Directive(path, line, col, m.group("kind"), rules, reason, lines, "<!-- doi-check:"))
    return out


def _own_finding(d: Directive, rule: str, message: str, registry: Registry) -> Finding | None:
    severity = registry.severity(rule)
    return None if severity is None else Finding(d.path, d.line, d.col, severity, rule, message)


def directive_problems(directives: Iterable[Directive], registry: Registry = BIB_RULES) -> list[Finding]:
    """BIB090 (no reason) and BIB091 (no rule, or an unknown one) for each comment."""
    out: list[Finding | None] = []
    for d in directives:
        example = f"{d.comment} {d.kind} {', '.join(d.rules) or 'DOI006'} -- reason"
        if not d.rules:
            out.append(_own_finding(d, "BIB091", f'name the rule to disable: "{example}"', registry))
        for r in d.rules:
            if r not in registry:
                msg = f'"{r}" is not a rule of the bibliography check; check the rule ID'
                out.append(_own_finding(d, "BIB091", msg, registry))
        if not d.reason:
            out.append(_own_finding(d, "BIB090", f'say why the rule is disabled: "{example}"', registry))
    return [f for f in out if f is not None]


def apply(findings: Iterable[Finding], directives: list[Directive]) -> list[Finding]:
    """The findings with those a comment covers marked as suppressed (with its reason)."""
    out = []
    for f in findings:
        hit = None
        if f.rule not in ("BIB090", "BIB091", "BIB092"):
            for d in directives:
                if d.path == f.path and f.rule in d.rules and d.lines[0] <= f.line <= d.lines[1]:
                    hit = d
                    break
        if hit is None:
            out.append(f)
        else:
            hit.used = True
            out.append(replace(f, suppressed=True, suppression_reason=hit.reason))
    return out


def unused(directives: Iterable[Directive], registry: Registry = BIB_RULES) -> list[Finding]:
    """BIB092 for each comment that silenced nothing (call it once every finding is in)."""
    out = []
    for d in directives:
        known = [r for r in d.rules if r in registry]
        if known and not d.used:
            f = _own_finding(
                d, "BIB092", f"this suppression of {', '.join(known)} silences nothing; remove it", registry
            )
            if f is not None:
                out.append(f)
    return out
