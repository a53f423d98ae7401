"""Check the bibliography, the citations and the DOIs: command line and MkDocs hook.

Command line (from the repository root)::

    python hooks/doi_check.py [options] [BIB ...]

With no BIB, checks ``references.bib`` and the citations in every page under
``docs/``. Arguments ending in ``.bib`` are bibliographies; a directory or a ``.md``
file names pages to check for citations (with only .bib arguments, no pages are
read). Offline by default, against the registry cache ``hooks/data/doi-registry.json``;
``--online`` asks the registries too and ``--update-cache`` stores what they said.
Exit 0: no error (with ``--strict``: no warning either); 1: there is one; 2: a usage
or I/O problem.

MkDocs hook (``hooks: [hooks/doi_check.py]`` in mkdocs.yml): the same offline checks
at build time, never the network. Bibliography problems are logged when the
configuration is loaded, before mkdocs-bibtex reads the file (a file it would crash
on stops the build with a message naming file:line:col); each page's citations before
mkdocs-bibtex rewrites them; the entries no page cites at the end (info). Errors and
warnings go through the ``mkdocs.plugins.doi_check`` logger, so ``mkdocs build
--strict`` fails on them.

The checks themselves live in ``ivig_tools.bibcheck`` (offline) and
``ivig_tools.doi_registry`` (online); this file only reads files and reports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path

HOOKS_DIR = Path(__file__).resolve().parent
ROOT = HOOKS_DIR.parent
if str(HOOKS_DIR) not in sys.path:  # run as a script: make ivig_tools importable
    sys.path.insert(0, str(HOOKS_DIR))

from ivig_tools import bibcheck, findings  # noqa: E402
from ivig_tools.findings import EXIT_USAGE, Finding  # noqa: E402

DEFAULT_CACHE = HOOKS_DIR / "data" / "doi-registry.json"
DEFAULT_BIB = ROOT / "references.bib"
DEFAULT_DOCS = ROOT / "docs"

if __name__ == "__main__":  # the command line does not need MkDocs

    def event_priority(priority: float):
        def decorator(event_method):
            event_method.mkdocs_priority = priority
            return event_method

        return decorator

else:
    from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.doi_check")


class InputError(Exception):
    """A file that cannot be read: exit 2 on the command line, a build error in MkDocs."""


def read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{what} {display_path(path)} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise InputError(f"cannot read {what} {display_path(path)}: {reason}") from None


def load_cache(path: Path) -> dict:
    text = read_text(path, "the DOI registry cache")
    try:
        cache = json.loads(text)
    except ValueError as error:
        raise InputError(f"the DOI registry cache {display_path(path)} is not valid JSON: {error}") from None
    if not isinstance(cache, dict) or not isinstance(cache.get("records", {}), dict):
        raise InputError(f"the DOI registry cache {display_path(path)} has no 'records' object")
    return cache


def display_path(path: Path, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (default: the working directory) when inside it."""
    base = (base or Path.cwd()).resolve()
    try:
        return Path(path).resolve().relative_to(base).as_posix()
    except ValueError:
        return str(path)


# --- command line ------------------------------------------------------------------------


def _positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < seconds <= 600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 600 seconds: {value!r}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    from ivig_tools import doi_registry  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog="doi_check.py",
        description="Check references.bib, the citations under docs/ and every DOI (offline by default).",
        epilog="Exit status: 0 no error, 1 errors (with --strict: or warnings), 2 usage or I/O problem.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="BIB",
        help="bibliographies (.bib); directories or .md files are pages to check for citations "
        "(default: references.bib and docs/)",
    )
    parser.add_argument("--online", action="store_true", help="also ask the DOI registries (network)")
    parser.add_argument(
        "--update-cache",
        action="store_true",
        help="with --online: write what the registries said to the cache",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        metavar="PATH",
        help=f"registry cache (default: {display_path(DEFAULT_CACHE)})",
    )
    parser.add_argument(
        "--api-url", default=doi_registry.DEFAULT_API_URL, metavar="URL", help="Crossref-compatible API"
    )
    parser.add_argument(
        "--handle-url", default=doi_registry.DEFAULT_HANDLE_URL, metavar="URL", help="DOI handle API"
    )
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=doi_registry.DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="timeout of each request (default: %(default)s)",
    )
    parser.add_argument("--format", choices=sorted(findings.FORMATTERS), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="warnings count as failures")
    return parser


def _split_paths(paths: list[str]) -> tuple[list[Path], list[Path] | None]:
    if not paths:
        return [DEFAULT_BIB], [DEFAULT_DOCS]
    bibs: list[Path] = []
    pages: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir() or p.suffix.lower() in (".md", ".markdown"):
            pages.append(p)
        else:
            bibs.append(p)
    return bibs, (pages or None)


def _page_files(roots: list[Path]) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(sorted(p for p in root.rglob("*.md") if p.is_file()))
        elif root.exists():
            files.append(root)
        else:
            raise InputError(f"the page or folder {display_path(root)} does not exist")
    return files


def run(args: argparse.Namespace) -> list[Finding]:
    from ivig_tools import doi_registry  # noqa: PLC0415

    bib_paths, page_roots = _split_paths(args.paths)
    if not bib_paths:
        raise InputError("no bibliography given (name at least one .bib file)")
    bibs = [bibcheck.parse_bib(read_text(p, "the bibliography"), display_path(p)) for p in bib_paths]
    cache = load_cache(args.cache)
    result: list[Finding] = []
    if args.online:
        settings = doi_registry.Settings(
            api_url=args.api_url,
            handle_url=args.handle_url,
            timeout=args.timeout,
            contact=doi_registry.configured_contact(),
        )
        dois = [d for bib in bibs for e in bib.entries if (d := doi_registry.entry_doi(e))]
        lookups = doi_registry.Client(settings).lookup_many(dois)
        cache = doi_registry.merge_cache(cache, lookups, dt.date.today().isoformat())
        result.extend(doi_registry.lookup_findings(bibs, lookups, settings))
        if args.update_cache:
            try:
                doi_registry.write_cache(args.cache, cache)
            except OSError as error:
                raise InputError(
                    f"cannot write the cache {display_path(args.cache)}: {error.strerror}"
                ) from None
    result.extend(bibcheck.check_bibliography(bibs, cache))
    if page_roots is not None:
        pages = [(display_path(p), read_text(p, "the page")) for p in _page_files(page_roots)]
        keys = bibcheck.entry_keys(bibs)
        bib_name = ", ".join(b.path for b in bibs)
        cited: set[str] = set()
        for path, text in pages:
            page_findings, citations = bibcheck.check_page(text, path, keys, bib_name=bib_name)
            result.extend(page_findings)
            cited.update(c.key for c in citations)
        where = ", ".join(display_path(p) + ("/" if p.is_dir() else "") for p in page_roots)
        result.extend(bibcheck.check_uncited(bibs, cited, pages_where=where))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.update_cache and not args.online:
        parser.error("--update-cache needs --online")
    try:
        result = run(args)
    except InputError as error:
        print(f"doi_check.py: {error}", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(findings.render(result, args.format))
    return findings.exit_code(result, strict=args.strict)


# --- start of MkDocs hooks ------------------------------------------------------------------


class _State:
    def __init__(self) -> None:
        self.bibs: list[bibcheck.BibFile] = []
        self.keys: set[str] = set()
        self.cited: set[str] = set()
        self.bib_name = "references.bib"
        self.inline = False
        self.base = ROOT


_state = _State()


@event_priority(100)  # before mkdocs-bibtex loads the bibliography (its on_config runs at 0)
def on_config(config):
    from mkdocs.exceptions import PluginError  # noqa: PLC0415

    _state.__init__()
    base = Path(config.config_file_path).resolve().parent
    _state.base = base
    plugin = config.plugins.get("bibtex")
    options = getattr(plugin, "config", None)
    bib_file = getattr(options, "bib_file", None)
    bib_dir = getattr(options, "bib_dir", None)
    _state.inline = bool(getattr(options, "enable_inline_citations", False))
    if bib_file and "://" not in bib_file:
        paths = [base / bib_file]
    elif bib_dir:
        paths = sorted((base / bib_dir).rglob("*.bib"))
    else:
        paths = [base / "references.bib"]
    try:
        texts = [(display_path(p, base), read_text(p, "the bibliography")) for p in paths]
        cache = load_cache(DEFAULT_CACHE)
    except InputError as error:
        raise PluginError(f"doi_check: {error}") from None
    _state.bibs = [bibcheck.parse_bib(text, path) for path, text in texts]
    _state.keys = bibcheck.entry_keys(_state.bibs)
    _state.bib_name = ", ".join(path for path, _ in texts)
    found = bibcheck.check_bibliography(_state.bibs, cache)
    findings.log_findings(found, log)
    fatal = [f for f in findings.active(found) if bibcheck.is_fatal(f)]
    if fatal:
        first = fatal[0]
        raise PluginError(
            f"doi_check: mkdocs-bibtex cannot read the bibliography: {first.format()}"
            + (f" (and {len(fatal) - 1} more; see above)" if len(fatal) > 1 else "")
        )
    return config


@event_priority(100)  # before mkdocs-bibtex rewrites (or silently deletes) the citations
def on_page_markdown(markdown, page, config, files):
    try:
        source = page.file.content_string  # with the front matter, so lines match the file
    except (OSError, UnicodeDecodeError):
        source = markdown
    path = (
        display_path(Path(page.file.abs_src_path), _state.base)
        if page.file.abs_src_path
        else page.file.src_uri
    )
    found, citations = bibcheck.check_page(
        source, path, _state.keys, inline=_state.inline, bib_name=_state.bib_name
    )
    _state.cited.update(c.key for c in citations)
    findings.log_findings(found, log)
    return markdown


def on_post_build(config):
    findings.log_findings(bibcheck.check_uncited(_state.bibs, _state.cited), log)


# --- end of MkDocs hooks --------------------------------------------------------------------


if __name__ == "__main__":
    sys.exit(main())
