"""Run every checker of the project on the real content: the one entry point that the
Makefile (``make lint``), pre-commit, CI and the findings summary use.

    python hooks/checkers.py [--format text|github|json] [--strict] [--only NAME ...]

Each checker runs as its own command line (:data:`CHECKERS` lists them, with the
arguments it gets here); their findings are printed in one stream (``json``: one array).
Exit status: the most serious of the checkers' (3 internal error, 2 usage or input
problem, 1 findings that fail, 0 none).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "hooks") not in sys.path:
    sys.path.insert(0, str(ROOT / "hooks"))

from ivig_tools import cli  # noqa: E402
from ivig_tools.findings import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, FORMATTERS  # noqa: E402

TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Checker:
    name: str
    title: str
    script: str  # relative to the repository root
    args: tuple[str, ...] = ()  # what it checks when run from here


CHECKERS: tuple[Checker, ...] = (
    Checker("doi", "References and DOIs", "hooks/doi_check.py"),
    Checker("medical", "Medical terms", "hooks/medical_terms.py", ("docs",)),
)
BY_NAME = {c.name: c for c in CHECKERS}

# The most serious exit code wins.
_RANK = {EXIT_OK: 0, EXIT_FINDINGS: 1, EXIT_USAGE: 2, EXIT_INTERNAL: 3}


def command(checker: Checker, *options: str, python: str = sys.executable) -> list[str]:
    return [python, checker.script, *options, *checker.args]


def run_one(
    checker: Checker, *options: str, root: Path = ROOT, python: str = sys.executable
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(checker, *options, python=python),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def worst(codes: list[int]) -> int:
    """The most serious exit code (an unknown one counts as an internal error)."""
    return max(codes, key=lambda c: _RANK.get(c, 4), default=EXIT_OK) if codes else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(prog="checkers.py", description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(BY_NAME),
        metavar="NAME",
        help=f"run only this checker (repeatable; one of {', '.join(BY_NAME)}; default: all)",
    )
    args = parser.parse_args(argv)
    options = ["--format", args.format] + (["--strict"] if args.strict else [])
    chosen = [BY_NAME[n] for n in args.only] if args.only else list(CHECKERS)
    codes: list[int] = []
    rows: list[object] = []
    for checker in chosen:
        try:
            proc = run_one(checker, *options)
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(f"checkers.py: error: {checker.script} could not run ({exc})", file=sys.stderr)
            codes.append(EXIT_INTERNAL)
            continue
        sys.stderr.write(proc.stderr)
        codes.append(proc.returncode)
        if args.format == "json" and proc.returncode in (EXIT_OK, EXIT_FINDINGS):
            try:
                rows.extend(json.loads(proc.stdout))
            except ValueError:
                print(f"checkers.py: error: {checker.script} did not print JSON", file=sys.stderr)
                codes[-1] = EXIT_INTERNAL
        else:
            sys.stdout.write(proc.stdout)
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    return worst(codes)


if __name__ == "__main__":
    sys.exit(main())
