"""Medical-term lint: command line and MkDocs hook (thin glue over ivig_tools.terms).

Command line::

    python hooks/medical_terms.py [--format text|github|json] [--strict] [--config PATH] [PATH ...]

PATH is a Markdown file or a folder (searched for ``*.md``; pages listed under
``exclude:`` in the rule file are skipped there); the default is ``docs/``. Exit status:
0 without errors (with ``--strict``: without warnings either), 1 otherwise, 2 for a usage,
configuration or I/O problem (one line on stderr naming the file), 3 for an internal
error. Paths, reading, errors and exit codes are the shared ``ivig_tools.cli``.

MkDocs (``hooks: [hooks/medical_terms.py]`` in mkdocs.yml):

* ``on_config`` loads the rule file into the build's state (an object made per build; a
  broken file stops the build with a clear message);
* ``on_page_markdown`` at priority 100 lints the page's *source* file (so positions are
  those of the file, front matter included) and logs the findings through the
  ``mkdocs.plugins.medical_terms`` logger, so ``mkdocs build --strict`` fails on errors
  and warnings; it also replaces the ``<!-- glossary -->`` marker line with the glossary;
* ``on_page_markdown`` at priority -50 appends the abbreviation definitions generated
  from the vocabulary (Material shows them as tooltips), after other processing.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    from ivig_tools import cli
    from ivig_tools import findings as fmt
    from ivig_tools.findings import Finding
    from ivig_tools.terms import Config, ConfigError, lint, load_config, speller_for
    from ivig_tools.vocabulary import abbreviations_markdown, glossary_markdown
except Exception as exc:  # a broken install or a bug: never exit 1, the code for findings
    if __name__ != "__main__":
        raise
    print(
        f"medical_terms.py: internal error while starting: {type(exc).__name__}: {exc}; this is a "
        "bug or a broken install, not a problem in your files: please report it on the project's "
        "issue tracker (CONTRIBUTING.md, 'Report an error')",
        file=sys.stderr,
    )
    sys.exit(3)  # ivig_tools.findings.EXIT_INTERNAL, which could not be imported

GLOSSARY_MARKER = "<!-- glossary -->"


# --- command line -------------------------------------------------------------------------


def collect_files(paths: list[str], config: Config) -> list[Path]:
    """The Markdown files to lint: files as given, folders searched (minus ``exclude:``)."""
    return cli.markdown_files([Path(p) for p in paths], config.is_excluded)


# Inputs smaller than this are linted in one process (starting workers costs more; on real
# notes two workers were 9% faster at 0.3 MB, even at 0.1 MB, and 20% faster at 0.85 MB).
PARALLEL_MIN_BYTES = 256 << 10
_WORK: tuple[list[tuple[str, str]], Config, dt.date | None] | None = None


def _lint_chunk(indices: list[int]) -> list[Finding]:
    assert _WORK is not None  # set before the workers are forked
    pages, config, today = _WORK
    out = []
    for i in indices:
        text, shown = pages[i]
        out.extend(lint(text, shown, config, today=today))
    return out


def _contiguous_chunks(sizes: list[int], workers: int) -> list[list[int]]:
    """The pages' indexes cut into ``workers`` runs of neighbouring pages with about the
    same number of characters each. Neighbours (one folder, one source) share most of their
    words, and each worker classifies every word it meets once: runs, not pages dealt out
    in turn, keep that work from being done twice over."""
    total = sum(sizes)
    chunks: list[list[int]] = [[] for _ in range(workers)]
    done = 0
    for i, size in enumerate(sizes):
        # The run this page's middle falls in, so each run gets about total / workers.
        k = min(workers - 1, (done + size // 2) * workers // max(total, 1))
        chunks[k].append(i)
        done += size
    return [c for c in chunks if c]


def _lint_all(
    pages: list[tuple[str, str]], config: Config, today: dt.date | None, jobs: int
) -> list[Finding]:
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
    chunks = _contiguous_chunks([len(t) for t, _ in pages], workers)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_lint_chunk, chunks)
    return [f for part in results for f in part]


def main(argv: list[str] | None = None) -> int:
    parser = cli.ArgumentParser(
        prog="medical_terms.py",
        description="Lint the guide's Markdown: medical terms, doses, claims, readability, review dates.",
        epilog="Exit status: 0 no error (with --strict: no warning either), 1 otherwise, "
        "2 usage, configuration or input problem, 3 internal error.",
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
        help="worker processes for large inputs (default 0: one per CPU, only above 256 kB of Markdown)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 0:
        parser.error("--jobs: must be 0 (automatic) or more")
    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        parser.error(f"--today: {args.today!r} is not a date (YYYY-MM-DD)")

    def run() -> int:
        try:
            config = load_config(args.config)
        except ConfigError as exc:
            raise cli.UsageError(str(exc)) from None
        files = collect_files(args.paths or ["docs"], config)
        cwd = Path.cwd().resolve()  # (once, not per file)
        pages = []
        for f in files:
            shown = cli.display_path(f, cwd)
            pages.append((cli.read_text(f, shown=shown), shown))
        return cli.emit(_lint_all(pages, config, today, args.jobs), args.format, strict=args.strict)

    return cli.run_main("medical_terms.py", run)


# --- start of MkDocs hooks ------------------------------------------------------------------

if __name__ != "__main__":  # loaded by MkDocs (or a test): the command line does not need it
    import logging

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import PluginError
    from mkdocs.plugins import CombinedEvent, event_priority
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    log = logging.getLogger("mkdocs.plugins.medical_terms")

    class _Build:
        """What one build needs, made by on_config: each build (and each rebuild of
        ``mkdocs serve``) starts from the rule file as it is then."""

        def __init__(self, rules: Config) -> None:
            self.rules = rules

    _build: _Build | None = None

    def _current() -> _Build:
        """The build in progress (a page event called without on_config, as in a test,
        loads the rules now)."""
        global _build  # noqa: PLW0603 - the state of the build in progress, replaced per build
        if _build is None:
            _build = _Build(load_config())
        return _build

    def on_config(config: MkDocsConfig) -> MkDocsConfig:
        global _build  # noqa: PLW0603 - the state of the build in progress, replaced per build
        try:
            _build = _Build(load_config())
        except ConfigError as exc:
            raise PluginError(f"medical_terms: {exc}") from None
        return config

    @event_priority(100)
    def _lint_page(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        rules = _current().rules
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
    def _append_abbreviations(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return markdown.rstrip("\n") + "\n\n" + abbreviations_markdown(_current().rules)

    on_page_markdown = CombinedEvent(_lint_page, _append_abbreviations)

# --- end of MkDocs hooks --------------------------------------------------------------------


if __name__ == "__main__":
    # A short run whose data (word sets, pages, findings) live until it ends: the cyclic
    # garbage collector's passes over them cost about 8% of a run on 0.8 MB of real text
    # and find only a fixed few hundred objects from start-up, however large the input
    # (tests/test_medical_terms_robustness.py checks that), so it is off for the command.
    import gc

    gc.disable()
    code = main()
    # Everything is written once the output is flushed; the interpreter's teardown would
    # only free the word set and the pages (about 20 ms on 2 MB), so the process ends here.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # (a reader that closed the pipe early, as `| head` does)
        pass
    os._exit(code)
