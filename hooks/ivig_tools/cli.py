"""The command-line core shared by the checkers: arguments, paths, file reading, errors and
exit codes.

    def main(argv=None) -> int:
        return cli.run_main("doi_check.py", lambda: _run(argv))

Exit codes (:mod:`ivig_tools.findings`): 0 nothing fails, 1 findings fail, 2 a usage or
input problem (one line on stderr naming the file), 3 an internal error (a bug in the
checker: one line, and the traceback only with ``CHECKER_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NoReturn

from ivig_tools.findings import EXIT_INTERNAL, EXIT_USAGE, Finding, exit_code, render


class UsageError(Exception):
    """A usage or input problem: the message is one line for a person (exit 2)."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def display_path(path: Path, base: Path | None = None) -> str:
    """``path`` as findings show it: relative to ``base`` (default: the working folder)
    when it is inside it, else as given."""
    try:
        return path.resolve().relative_to((base or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, *, encoding: str = "utf-8", shown: str | None = None) -> str:
    """The text of a regular file, or a :class:`UsageError` that names it."""
    shown = shown or display_path(path)
    if not path.exists():
        raise UsageError(f"{shown}: no such file or folder")
    if not path.is_file():
        raise UsageError(f"{shown}: not a regular file")
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError:
        raise UsageError(f"{shown}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read ({exc.strerror or exc})") from None


def markdown_files(paths: Iterable[Path], is_excluded: Callable[[str], bool] | None = None) -> list[Path]:
    """The Markdown files named: files as given, folders searched for ``*.md`` (regular files
    only, without those ``is_excluded`` names by their path inside the folder)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*.md")):
                if f.is_file() and not (is_excluded and is_excluded(f.relative_to(p).as_posix())):
                    out.append(f)
        elif p.is_file():
            out.append(p)
        elif p.exists():
            raise UsageError(f"{display_path(p)}: not a regular file or a folder")
        else:
            raise UsageError(f"{display_path(p)}: no such file or folder")
    return out


def emit(findings: list[Finding], fmt: str, *, strict: bool) -> int:
    """Print the findings in ``fmt``; the exit code they give."""
    sys.stdout.write(render(findings, fmt))
    return exit_code(findings, strict=strict)


def run_main(prog: str, body: Callable[[], int]) -> int:
    """Run a command line's body: a :class:`UsageError` is one line and exit 2, any other
    exception an internal error, one line and exit 3."""
    try:
        return body()
    except UsageError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("CHECKER_DEBUG"):
            traceback.print_exc()
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(
            f"{prog}: internal error: {type(exc).__name__}: {exc} (at {Path(where.filename).name}:"
            f"{where.lineno}); this is a bug in the checker, not a problem in your files: "
            "please report it (CHECKER_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
