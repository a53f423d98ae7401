"""Medical-term lint: command line and MkDocs hook (thin glue over ivig_tools.terms).

Command line::

    python hooks/medical_terms.py [--format text|github|json] [--strict] [--config PATH] [PATH ...]

PATH is a Markdown file or a folder (searched for ``*.md``; pages listed under
``exclude:`` in the rule file are skipped there); the default is ``docs/``. Exit status:
0 without errors (with ``--strict``: without warnings either), 1 otherwise, 2 for a usage,
configuration or I/O problem (one line on stderr naming the file).

MkDocs (``hooks: [hooks/medical_terms.py]`` in mkdocs.yml):

* ``on_config`` loads the rule file (a broken one stops the build with a clear message);
* ``on_page_markdown`` at priority 100 lints the page's *source* file (so positions are
  those of the file, front matter included) and logs the findings through the
  ``mkdocs.plugins.medical_terms`` logger, so ``mkdocs build --strict`` fails on errors
  and warnings; it also replaces the ``<!-- glossary -->`` marker line with the glossary;
* ``on_page_markdown`` at priority -50 appends the abbreviation definitions generated
  from the vocabulary (Material shows them as tooltips), after other processing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ivig_tools import findings as fmt
from ivig_tools.terms import Config, ConfigError, lint, load_config, speller_for
from ivig_tools.vocabulary import abbreviations_markdown, glossary_markdown

GLOSSARY_MARKER = "<!-- glossary -->"
log = logging.getLogger("mkdocs.plugins.medical_terms")


# --- command line -------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        self.exit(fmt.EXIT_USAGE, f"{self.prog}: error: {message}\n")


class _UsageError(Exception):
    pass


def _display(path: Path, cwd: Path | None = None) -> str:
    """The path as shown in findings: relative to ``cwd`` (resolved; default: the
    current folder) when it is inside it."""
    try:
        return path.resolve().relative_to(cwd or Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def collect_files(paths: list[str], config: Config) -> list[Path]:
    """The Markdown files to lint: files as given, folders searched (minus ``exclude:``)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*.md")):
                rel = f.relative_to(p).as_posix()
                if f.is_file() and not config.is_excluded(rel):
                    out.append(f)
        elif p.is_file():
            out.append(p)
        else:
            raise _UsageError(f"{raw}: no such file or folder")
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _UsageError(f"{_display(path)}: not UTF-8 text") from None
    except OSError as exc:
        raise _UsageError(f"{_display(path)}: cannot read ({exc.strerror})") from None


# Inputs smaller than this are linted in one process (starting workers costs more).
PARALLEL_MIN_BYTES = 1 << 20
_WORK: tuple = ()


def _lint_chunk(indices: list[int]) -> list:
    pages, config, today = _WORK
    out = []
    for i in indices:
        text, shown = pages[i]
        out.extend(lint(text, shown, config, today=today))
    return out


def _lint_all(pages: list[tuple[str, str]], config: Config, today: dt.date | None, jobs: int) -> list:
    """Lint every page; large inputs are shared out to forked workers (same results)."""
    global _WORK  # noqa: PLW0603 - read by the forked workers, set before they start
    size = sum(len(t) for t, _ in pages)
    workers = jobs or (os.cpu_count() or 1)
    if jobs == 0 and size < PARALLEL_MIN_BYTES:
        workers = 1
    workers = min(workers, len(pages))
    if workers <= 1:
        return [f for text, shown in pages for f in lint(text, shown, config, today=today)]
    import multiprocessing  # noqa: PLC0415 - only for large inputs (it slows every start)

    if "fork" not in multiprocessing.get_all_start_methods():
        return [f for text, shown in pages for f in lint(text, shown, config, today=today)]
    speller_for(config)  # load the word lists once, before forking
    _WORK = (pages, config, today)
    chunks = [list(range(i, len(pages), workers)) for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_lint_chunk, chunks)
    return [f for part in results for f in part]


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
        prog="medical_terms.py",
        description="Lint the guide's Markdown: medical terms, doses, claims, readability, review dates.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="Markdown files or folders (default: docs/)")
    parser.add_argument("--format", choices=sorted(fmt.FORMATTERS), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    parser.add_argument("--config", metavar="PATH", help="rule file (default: hooks/data/medical_terms.yaml)")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="the date to check review ages against")
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes for large inputs (default 0: one per CPU, only above 1 MB of Markdown)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 0:
        parser.error("--jobs: must be 0 (automatic) or more")
    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        parser.error(f"--today: {args.today!r} is not a date (YYYY-MM-DD)")
    try:
        config = load_config(args.config)
        files = collect_files(args.paths or ["docs"], config)
        cwd = Path.cwd().resolve()  # (once, not per file)
        pages = [(_read(f), _display(f, cwd)) for f in files]
        all_findings = _lint_all(pages, config, today, args.jobs)
    except (ConfigError, _UsageError) as exc:
        print(f"medical_terms.py: error: {exc}", file=sys.stderr)
        return fmt.EXIT_USAGE
    sys.stdout.write(fmt.render(all_findings, args.format))
    return fmt.exit_code(all_findings, strict=args.strict)


# --- start of MkDocs hooks ------------------------------------------------------------------

if __name__ != "__main__":  # loaded by MkDocs (or a test): the command line does not need it
    from mkdocs.exceptions import PluginError
    from mkdocs.plugins import CombinedEvent, event_priority

    def on_config(config):
        try:
            load_config()
        except ConfigError as exc:
            raise PluginError(f"medical_terms: {exc}") from None
        return config

    @event_priority(100)
    def _lint_page(markdown: str, /, *, page, config, files) -> str:
        rules = load_config()
        src_uri = page.file.src_uri
        if not rules.is_excluded(src_uri):
            abs_path = page.file.abs_src_path
            if abs_path:
                source = Path(abs_path).read_text(encoding="utf-8")
                root = Path(config.config_file_path).resolve().parent
                try:
                    shown = Path(abs_path).resolve().relative_to(root).as_posix()
                except ValueError:
                    shown = Path(abs_path).as_posix()
            else:
                source, shown = page.file.content_string, f"{config.docs_dir}/{src_uri}"
            fmt.log_findings(lint(source, shown, rules), log)
        lines = markdown.split("\n")
        if any(line.strip() == GLOSSARY_MARKER for line in lines):
            body = glossary_markdown(rules).rstrip("\n")
            markdown = "\n".join(body if line.strip() == GLOSSARY_MARKER else line for line in lines)
        elif Path(src_uri).name == "glossary.md":
            log.warning(f"{src_uri}: no '{GLOSSARY_MARKER}' line; the glossary is not generated")
        return markdown

    @event_priority(-50)
    def _append_abbreviations(markdown: str, /, *, page, config, files) -> str:
        return markdown.rstrip("\n") + "\n\n" + abbreviations_markdown(load_config())

    on_page_markdown = CombinedEvent(_lint_page, _append_abbreviations)

# --- end of MkDocs hooks --------------------------------------------------------------------


if __name__ == "__main__":
    sys.exit(main())
