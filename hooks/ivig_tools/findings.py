"""One finding format for every checker in this project.

A checker's core takes text and returns a list of :class:`Finding`. The command
lines, the MkDocs hooks, pre-commit and CI only format those findings:

    docs/uses.md:12:5: error MED001 "q.d." is on the Do Not Use list; write "daily"

Lines and columns are 1-based; a column counts characters (not bytes) from the
start of the line, which is what editors and GitHub annotations expect.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import logging  # (for annotations only: the command lines do not import it)

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
_RANK = {"error": 0, "warning": 1, "info": 2}

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3  # a bug in a checker, not a problem in the files it read


@dataclass(frozen=True)
class Finding:
    """One problem at one place in one file."""

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    # A finding silenced in place by the author (with the reason they gave).
    # It is still reported in JSON so reviewers can see every suppression.
    suppressed: bool = False
    suppression_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.severity not in _RANK:
            raise ValueError(f"Unexpected severity: {self.severity!r}")

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.line, self.col, _RANK[self.severity], self.rule, self.message)

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.rule} {self.message}"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def active(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that count: everything not suppressed in place."""
    return [f for f in findings if not f.suppressed]


def exit_code(findings: Iterable[Finding], *, strict: bool = False) -> int:
    """0 when nothing fails, 1 when an error (or, with ``strict``, a warning) remains."""
    failing = {"error", "warning"} if strict else {"error"}
    return EXIT_FINDINGS if any(f.severity in failing for f in active(findings)) else EXIT_OK


# --- output formats -----------------------------------------------------------------


def format_text(findings: Iterable[Finding]) -> str:
    lines = [f.format() for f in sort_findings(active(findings))]
    return "\n".join(lines) + ("\n" if lines else "")


def _escape_data(value: str) -> str:
    # https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def github_annotation(f: Finding) -> str:
    """A workflow command that GitHub shows as an annotation on the line."""
    props = ",".join(
        [
            f"file={_escape_property(f.path)}",
            f"line={f.line}",
            f"col={f.col}",
            f"title={_escape_property(f.rule)}",
        ]
    )
    return f"::{_GITHUB_LEVEL[f.severity]} {props}::{_escape_data(f.message)}"


def format_github(findings: Iterable[Finding]) -> str:
    lines = [github_annotation(f) for f in sort_findings(active(findings))]
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(findings: Iterable[Finding]) -> str:
    """Every finding, suppressed ones included (marked), as a JSON array."""
    rows = []
    for f in sort_findings(findings):
        row = asdict(f)
        if not row["extra"]:
            del row["extra"]
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


def render(findings: Iterable[Finding], fmt: str) -> str:
    try:
        return FORMATTERS[fmt](list(findings))
    except KeyError:
        raise ValueError(f"Unexpected format: {fmt!r}; use one of {sorted(FORMATTERS)}") from None


def summary_markdown(findings: Iterable[Finding], *, title: str) -> str:
    """A Markdown table of all findings, for ``$GITHUB_STEP_SUMMARY``.

    GitHub shows only a handful of annotations per step; the summary lists them all.
    """
    rows = sort_findings(active(findings))
    counts = {s: sum(1 for f in rows if f.severity == s) for s in SEVERITIES}
    out = [f"### {title}", ""]
    out.append(", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items()))
    out.append("")
    if rows:
        out.append("| Severity | Location | Rule | Message |")
        out.append("|---|---|---|---|")
        for f in rows:
            msg = f.message.replace("|", "\\|").replace("\n", " ")
            out.append(f"| {f.severity} | `{f.path}:{f.line}:{f.col}` | {f.rule} | {msg} |")
        out.append("")
    return "\n".join(out) + "\n"


def log_findings(findings: Iterable[Finding], logger: logging.Logger) -> None:
    """Report findings through a logger (MkDocs counts warnings and errors under --strict)."""
    for f in sort_findings(active(findings)):
        if f.severity == "error":
            logger.error(f.format())
        elif f.severity == "warning":
            logger.warning(f.format())
        else:
            logger.info(f.format())
