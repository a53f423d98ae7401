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
import codecs
import errno
import functools
import os
import stat
import sys
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
        return path.resolve().relative_to(_resolved(base or Path.cwd())).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside base; a symbolic link that loops
        return path.as_posix()


@functools.lru_cache(maxsize=8)
def _resolved(base: Path) -> Path:
    """``base`` resolved, once per run (a checker shows every file relative to one base)."""
    return base.resolve()


MAX_BYTES = 64 * 1024 * 1024  # a larger .bib or page is not one a person keeps by hand


def _describe_mode(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def read_bytes(path: Path, *, shown: str | None = None, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or a :class:`UsageError` (one line
    naming the file). A named pipe, a device, a folder or a symbolic link that loops is
    refused at once: the file is opened without blocking and checked after it is opened
    (so nothing can swap it in between), and never more than ``max_bytes`` + 1 bytes are read."""
    shown = shown or display_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file or folder") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(f"{shown}: not a regular file (a symbolic link that loops)") from None
        if exc.errno in (errno.ENXIO, errno.ENODEV):
            raise UsageError(f"{shown}: not a regular file (a device or socket)") from None
        raise UsageError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UsageError(f"{shown}: not a regular file ({_describe_mode(st.st_mode)})")
        if st.st_size > max_bytes:
            raise UsageError(
                f"{shown}: too large to check ({_size(st.st_size)}; the limit is {_size(max_bytes)})"
            )
        if flags & getattr(os, "O_NONBLOCK", 0):  # (POSIX: a regular file reads the same either way)
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(max(st.st_size + 1, 1 << 16), max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise UsageError(f"{shown}: too large to check (it grew past {_size(max_bytes)} while read)")
        return b"".join(chunks)
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def decode(data: bytes, shown: str, encoding: str = "utf-8", *, encoding_option: str = "") -> str:
    """``data`` decoded, or a :class:`UsageError` naming the first bad byte as file:line:col."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode(encoding, errors="replace")) + 1
        bad = data[exc.start : exc.start + 1].hex().upper()
        name = codecs.lookup(encoding).name
        hint = "save it as UTF-8" + (
            f", or name its encoding with {encoding_option} (e.g. latin-1)" if encoding_option else ""
        )
        raise UsageError(
            f"{shown}:{line}:{col}: not {_ENCODING_NAMES.get(name, name)} text (byte 0x{bad}); {hint}"
        ) from None


_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}


def check_encoding(name: str) -> str:
    """An ``--encoding`` argument: a codec Python knows, as its canonical name."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown encoding: {name!r} (e.g. utf-8, latin-1, cp1252)"
        ) from None


def read_text(
    path: Path,
    *,
    encoding: str = "utf-8",
    shown: str | None = None,
    max_bytes: int = MAX_BYTES,
    encoding_option: str = "",
) -> str:
    """The text of a regular file (:func:`read_bytes`, then :func:`decode`), or a
    :class:`UsageError` that names it (and, for a bad byte, its line and column)."""
    shown = shown or display_path(path)
    data = read_bytes(path, shown=shown, max_bytes=max_bytes)
    return decode(data, shown, encoding, encoding_option=encoding_option)


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
        else:
            raise UsageError(f"{display_path(p)}: {_why_not_a_file(p)}")
    return out


def _why_not_a_file(p: Path) -> str:
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        return "no such file or folder" + (" (a symbolic link to nothing)" if p.is_symlink() else "")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "not a regular file or a folder (a symbolic link that loops)"
        return f"cannot read ({exc.strerror or exc})"
    return f"not a regular file or a folder ({_describe_mode(mode)})"


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
        import traceback  # noqa: PLC0415 - only after a crash (it slows every start)

        if os.environ.get("CHECKER_DEBUG"):
            traceback.print_exc()
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(
            f"{prog}: internal error: {type(exc).__name__}: {exc} (at {Path(where.filename).name}:"
            f"{where.lineno}); this is a bug in the checker, not a problem in your files: "
            "please report it on the project's issue tracker (CONTRIBUTING.md, 'Report an error'; "
            "CHECKER_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
