"""Suppression comments (``<!-- medical-terms: disable MED050 -- reason -->``) and their
own rules MED090 to MED092."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivig_tools import mdmask
from ivig_tools.findings import Finding
from ivig_tools.terms.engine import Page

_DIRECTIVE_RE = re.compile(
    r"<!--\s*medical-terms:\s*(?P<kind>disable-file|disable)\b(?P<body>.*?)-->",
    re.DOTALL,
)


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
    out = []
    for m in _DIRECTIVE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in code):
            continue
        body = m.group("body").strip()
        rm = re.match(r"((?:[A-Za-z]+\d+)(?:\s*,\s*[A-Za-z]+\d+)*)", body)
        rules = tuple(r.strip().upper() for r in rm.group(1).split(",")) if rm else ()
        reason = body[rm.end() :] if rm else body
        reason = re.sub(r"^[\s\-\u2013\u2014:]+", "", reason).strip()
        last_line, _ = page.index.position(m.end())
        first_line, _ = page.index.position(m.start())
        if m.group("kind") == "disable-file":
            lines = (0, 10**9)
        else:
            nxt = last_line + 1
            line_texts = text.split("\n")
            while nxt <= len(line_texts) and not line_texts[nxt - 1].strip():
                nxt += 1
            lines = (first_line, nxt)
        d = _Directive(m.start(), m.group("kind"), rules, reason, lines)
        out.append(d)
        known = page.config.registry
        if not rules:
            page.add(
                m.start(),
                "MED091",
                f'name the rule to disable: "<!-- medical-terms: {d.kind} MED0xx -- reason -->"',
            )
        for r in rules:
            if r not in known:
                page.add(
                    m.start(), "MED091", f'"{r}" is not a rule of the medical-term lint; check the rule ID'
                )
        if not reason and page.config.data.get("suppression", {}).get("require_reason", True):
            page.add(
                m.start(),
                "MED090",
                f'say why the rule is disabled: "<!-- medical-terms: {d.kind} '
                f'{", ".join(rules) or "MED0xx"} -- reason -->"',
            )
    return out


def apply_suppressions(page: Page, directives: list[_Directive]) -> list[Finding]:
    out = []
    for f in page.findings:
        hit = None
        if f.rule not in ("MED090", "MED091", "MED092"):
            for d in directives:
                if f.rule in d.rules and d.lines[0] <= f.line <= d.lines[1]:
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
