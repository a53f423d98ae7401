"""A Markdown table of every finding of the project's checkers, for a CI run summary.

GitHub shows only a handful of annotations per step; this lists them all. It runs each
checker with ``--format json`` and renders the rows with ``findings.summary_markdown``:

    .venv/bin/python scripts/findings_summary.py >> "$GITHUB_STEP_SUMMARY"
    .venv/bin/python scripts/findings_summary.py --checker doi --title "DOI check"

A checker that is missing, crashes or prints something that is not the expected JSON
gets a clear sentence in the summary instead of a table; the summary itself never fails
the step (the checker steps do that). Exit status: 0, or 2 for a usage problem.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from checkers import CHECKERS as ALL_CHECKERS  # noqa: E402
from checkers import Checker, command  # noqa: E402
from ivig_tools.findings import Finding, summary_markdown  # noqa: E402

# GitHub refuses a step summary above 1 MiB; stay well below it.
MAX_BYTES = 900_000
TIMEOUT_SECONDS = 600


# The checkers and their arguments: one list, in hooks/checkers.py (the one entry point).
CHECKERS = {c.name: c for c in ALL_CHECKERS}

_FIELDS = {f.name for f in fields(Finding)}


class CheckerProblem(Exception):
    """The checker could not give findings; the message says why, for a person."""


def findings_from_json(text: str, *, script: str) -> list[Finding]:
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CheckerProblem(f"`{script} --format json` did not print JSON ({exc}).") from None
    if not isinstance(rows, list):
        raise CheckerProblem(f"`{script} --format json` printed {type(rows).__name__}, not a list.")
    out = []
    for row in rows:
        try:
            out.append(Finding(**{k: v for k, v in row.items() if k in _FIELDS}))
        except (TypeError, ValueError, AttributeError) as exc:
            raise CheckerProblem(
                f"`{script} --format json` printed an unexpected row {row!r} ({exc})."
            ) from None
    return out


def run_checker(checker: Checker, *, root: Path = ROOT, python: str = sys.executable) -> list[Finding]:
    script = root / checker.script
    if not script.is_file():
        raise CheckerProblem(f"`{checker.script}` does not exist, so it was not run.")
    cmd = command(checker, "--format", "json", python=python)
    try:
        proc = subprocess.run(
            cmd, cwd=root, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise CheckerProblem(f"`{checker.script}` did not finish within {TIMEOUT_SECONDS} s.") from None
    except OSError as exc:
        raise CheckerProblem(f"`{checker.script}` could not be started ({exc}).") from None
    # 0: no failing finding, 1: failing findings; anything else is a usage or I/O problem.
    if proc.returncode not in (0, 1):
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:]) or "(no message)"
        raise CheckerProblem(
            f"`{checker.script}` failed with exit code {proc.returncode}:\n\n```\n{tail}\n```"
        )
    return findings_from_json(proc.stdout, script=checker.script)


def section(checker: Checker, *, root: Path = ROOT, python: str = sys.executable) -> str:
    title = f"{checker.title} (`{checker.script}`)"
    try:
        found = run_checker(checker, root=root, python=python)
    except CheckerProblem as problem:
        return f"### {title}\n\n:warning: No findings to show: {problem}\n"
    text = summary_markdown(found, title=title)
    suppressed = sum(1 for f in found if f.suppressed)
    if suppressed:
        text += f"{suppressed} more suppressed in place by their authors (listed with `--format json`).\n"
    return text


def truncate(text: str, limit: int = MAX_BYTES) -> str:
    if len(text.encode("utf-8")) <= limit:
        return text
    kept: list[str] = []
    size = 0
    lines = text.splitlines(keepends=True)
    for line in lines:
        size += len(line.encode("utf-8"))
        if size > limit:
            break
        kept.append(line)
    cut = len(lines) - len(kept)
    return "".join(kept) + (
        f"\n… {cut} more lines cut (GitHub limits a run summary to 1 MiB); "
        "run `make lint` to see every finding.\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--checker",
        action="append",
        choices=sorted(CHECKERS),
        help="run only this checker (repeatable; default: all)",
    )
    parser.add_argument("--title", default="Findings of the content checkers", help="heading of the summary")
    parser.add_argument("--output", type=Path, help="append to this file instead of printing")
    args = parser.parse_args(argv)

    names = args.checker or list(CHECKERS)
    parts = [f"## {args.title}\n"] + [section(CHECKERS[name]) for name in names]
    text = truncate("\n".join(parts))
    if args.output:
        with args.output.open("a", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
