"""Check the bibliography, the citations and the DOIs: command line and MkDocs hook.

Command line (from the repository root)::

    python hooks/doi_check.py [options] [BIB ...]

With no BIB, checks ``references.bib`` and the citations in every page under
``docs/``. Arguments ending in ``.bib`` are bibliographies; a directory or a ``.md``
file names pages to check for citations (with only .bib arguments, no pages are
read). Offline by default, against the registry cache ``hooks/data/doi-registry.json``;
``--online`` asks the registries too and ``--update-cache`` stores what they said.
Exit 0: no error (with ``--strict``: no warning either); 1: there is one; 2: a usage
or I/O problem; 3: an internal error. Files are read through ``ivig_tools.cli``: regular
files only, at most 64 MB, UTF-8 unless ``--encoding`` names the .bib files' encoding (a
bad byte is named as file:line:col). ``--profile biblatex`` (or ``profile:`` in the rule
file) checks biblatex's data model alone, without this guide's house rules, for any
biblatex file. Pages under a folder that the medical-term lint's
``exclude:`` names (generated pages) are skipped, as the lint skips them. Severities come
from the registry (``ivig_tools.bibcheck.rules``) with the overrides of
``hooks/data/doi_check.yaml`` (``--config``). Findings can be silenced in place, with a
reason, by ``% doi-check: disable RULE -- reason`` before an entry of a ``.bib`` file or
``<!-- doi-check: disable RULE -- reason -->`` in a page (``ivig_tools.bibcheck.suppression``).

MkDocs hook (``hooks: [hooks/doi_check.py]`` in mkdocs.yml): the same offline checks
at build time, never the network. Bibliography problems are logged when the
configuration is loaded, before mkdocs-bibtex reads the file (a file it would crash
on stops the build with a message naming file:line:col); each page's citations before
mkdocs-bibtex rewrites them; the entries no page cites at the end (info). Errors and
warnings go through the ``mkdocs.plugins.doi_check`` logger, so ``mkdocs build
--strict`` fails on them. The hook's state lives on an object that ``on_config`` makes
for each build.

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
from typing import TYPE_CHECKING, Any

HOOKS_DIR = Path(__file__).resolve().parent
ROOT = HOOKS_DIR.parent
if str(HOOKS_DIR) not in sys.path:  # run as a script: make ivig_tools importable
    sys.path.insert(0, str(HOOKS_DIR))

from ivig_tools import bibcheck, cli, findings  # noqa: E402
from ivig_tools.bibcheck import suppression  # noqa: E402
from ivig_tools.bibcheck.config import BibConfig, BibConfigError, load_bib_config  # noqa: E402
from ivig_tools.cli import UsageError, display_path  # noqa: E402
from ivig_tools.findings import Finding  # noqa: E402

DEFAULT_CACHE = HOOKS_DIR / "data" / "doi-registry.json"
DEFAULT_BIB = ROOT / "references.bib"
DEFAULT_DOCS = ROOT / "docs"

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

if __name__ == "__main__":  # the command line does not need MkDocs

    def event_priority(priority: float) -> Callable[[Any], Any]:
        def decorator(event_method: Any) -> Any:
            event_method.mkdocs_priority = priority
            return event_method

        return decorator

else:
    from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.doi_check")

# A file that cannot be read: exit 2 on the command line, a build error in MkDocs.
InputError = UsageError


def read_text(path: Path, base: Path | None = None, encoding: str = "utf-8") -> str:
    """A file's text through the shared reading path (regular files only, bounded size); UTF-8
    reads drop a byte-order mark."""
    return cli.read_text(
        path,
        encoding="utf-8-sig" if encoding == "utf-8" else encoding,
        shown=display_path(path, base),
        encoding_option="--encoding",
    )


def load_cache(path: Path) -> dict[str, Any]:
    text = read_text(path)
    try:
        cache = json.loads(text)
    except ValueError as error:
        raise UsageError(f"the DOI registry cache {display_path(path)} is not valid JSON: {error}") from None
    if not isinstance(cache, dict) or not isinstance(cache.get("records", {}), dict):
        raise UsageError(f"the DOI registry cache {display_path(path)} has no 'records' object")
    return cache


def _load_rules(path: Path | None = None, profile: str | None = None) -> BibConfig:
    try:
        return load_bib_config(path, profile)
    except BibConfigError as error:
        raise UsageError(str(error)) from None


def _page_exclusion() -> Callable[[str], bool]:
    """The medical-term lint's ``exclude:`` (generated pages): the same pages are skipped."""
    from ivig_tools.terms import ConfigError, load_config  # noqa: PLC0415

    try:
        return load_config().is_excluded
    except ConfigError as error:
        raise UsageError(str(error)) from None


def finish(found: list[Finding], rules: BibConfig, directives: list[suppression.Directive]) -> list[Finding]:
    """Severities in force, then suppression comments (and the problems of the comments)."""
    return suppression.apply(rules.registry.apply(found), directives) + suppression.directive_problems(
        directives, rules.registry
    )


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

    parser = cli.ArgumentParser(
        prog="doi_check.py",
        description="Check references.bib, the citations under docs/ and every DOI (offline by default).",
        epilog="Exit status: 0 no error, 1 errors (with --strict: or warnings), 2 usage or I/O problem, "
        "3 internal error.",
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
        "--config",
        type=Path,
        default=None,
        metavar="PATH",
        help="rule file with severity overrides (default: hooks/data/doi_check.yaml)",
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
    parser.add_argument(
        "--profile",
        choices=("house", "biblatex"),
        default=None,
        help="house: biblatex's data model and this guide's policy; biblatex: the data model alone "
        "(default: profile: in the rule file, else house)",
    )
    parser.add_argument(
        "--encoding",
        type=cli.check_encoding,
        default="utf-8",
        metavar="NAME",
        help="encoding of the .bib files, e.g. latin-1 or cp1252 (default: utf-8; pages are always UTF-8)",
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


def run(args: argparse.Namespace) -> list[Finding]:
    from ivig_tools import doi_registry  # noqa: PLC0415

    bib_paths, page_roots = _split_paths(args.paths)
    if not bib_paths:
        raise UsageError("no bibliography given (name at least one .bib file)")
    rules = _load_rules(args.config, args.profile)
    bib_texts = [(display_path(p), read_text(p, encoding=args.encoding)) for p in bib_paths]
    bibs = [bibcheck.parse_bib(text, path) for path, text in bib_texts]
    cache = load_cache(args.cache)
    found: list[Finding] = []
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
        found.extend(doi_registry.lookup_findings(bibs, lookups, settings))
        if args.update_cache:
            try:
                doi_registry.write_cache(args.cache, cache)
            except OSError as error:
                raise UsageError(
                    f"cannot write the cache {display_path(args.cache)}: {error.strerror}"
                ) from None
    found.extend(bibcheck.check_bibliography(bibs, cache))
    directives = [d for path, text in bib_texts for d in suppression.bib_directives(path, text)]
    if page_roots is not None:
        files = cli.markdown_files(page_roots, _page_exclusion())
        pages = [(display_path(p), read_text(p)) for p in files]
        keys = bibcheck.entry_keys(bibs)
        bib_name = ", ".join(b.path for b in bibs)
        cited: set[str] = set()
        for path, text in pages:
            page_findings, citations = bibcheck.check_page(text, path, keys, bib_name=bib_name)
            found.extend(page_findings)
            directives.extend(suppression.page_directives(path, text))
            cited.update(c.key for c in citations)
        where = ", ".join(display_path(p) + ("/" if p.is_dir() else "") for p in page_roots)
        found.extend(bibcheck.check_uncited(bibs, cited, pages_where=where))
    result = finish(found, rules, directives)
    return result + suppression.unused(directives, rules.registry)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.update_cache and not args.online:
        parser.error("--update-cache needs --online")
    return cli.run_main("doi_check.py", lambda: cli.emit(run(args), args.format, strict=args.strict))


# --- start of MkDocs hooks ------------------------------------------------------------------


class _Build:
    """What one build knows: made by on_config for each build (and each rebuild of
    ``mkdocs serve``), so nothing carries over from the build before."""

    def __init__(
        self, base: Path, rules: BibConfig, *, inline: bool, is_excluded: Callable[[str], bool]
    ) -> None:
        self.base = base
        self.rules = rules
        self.inline = inline
        self.is_excluded = is_excluded
        self.bibs: list[bibcheck.BibFile] = []
        self.keys: set[str] = set()
        self.cited: set[str] = set()
        self.bib_name = "references.bib"
        self.bib_directives: list[suppression.Directive] = []


_build: _Build | None = None


def _current() -> _Build:
    if _build is None:
        raise RuntimeError("doi_check: a page event before on_config")
    return _build


@event_priority(100)  # before mkdocs-bibtex loads the bibliography (its on_config runs at 0)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build  # noqa: PLW0603 - the state of the build in progress, replaced per build
    from mkdocs.exceptions import PluginError  # noqa: PLC0415

    base = Path(config.config_file_path).resolve().parent
    plugin = config.plugins.get("bibtex")
    options = getattr(plugin, "config", None)
    bib_file = getattr(options, "bib_file", None)
    bib_dir = getattr(options, "bib_dir", None)
    if bib_file and "://" not in bib_file:
        paths = [base / bib_file]
    elif bib_dir:
        paths = sorted((base / bib_dir).rglob("*.bib"))
    else:
        paths = [base / "references.bib"]
    try:
        build = _Build(
            base,
            _load_rules(),
            inline=bool(getattr(options, "enable_inline_citations", False)),
            is_excluded=_page_exclusion(),
        )
        texts = [(display_path(p, base), read_text(p, base)) for p in paths]
        cache = load_cache(DEFAULT_CACHE)
    except UsageError as error:
        raise PluginError(f"doi_check: {error}") from None
    _build = build
    build.bibs = [bibcheck.parse_bib(text, path) for path, text in texts]
    build.keys = bibcheck.entry_keys(build.bibs)
    build.bib_name = ", ".join(path for path, _ in texts)
    build.bib_directives = [d for path, text in texts for d in suppression.bib_directives(path, text)]
    raw = bibcheck.check_bibliography(build.bibs, cache)
    findings.log_findings(finish(raw, build.rules, build.bib_directives), log)
    # (Whatever its severity, a problem mkdocs-bibtex would crash on stops the build.)
    fatal = [f for f in raw if bibcheck.is_fatal(f)]
    if fatal:
        first = fatal[0]
        raise PluginError(
            f"doi_check: mkdocs-bibtex cannot read the bibliography: {first.format()}"
            + (f" (and {len(fatal) - 1} more; see above)" if len(fatal) > 1 else "")
        )
    return config


@event_priority(100)  # before mkdocs-bibtex rewrites (or silently deletes) the citations
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = _current()
    if build.is_excluded(page.file.src_uri):
        return markdown
    try:
        source = page.file.content_string  # with the front matter, so lines match the file
    except (OSError, UnicodeDecodeError):
        source = markdown
    path = (
        display_path(Path(page.file.abs_src_path), build.base)
        if page.file.abs_src_path
        else page.file.src_uri
    )
    found, citations = bibcheck.check_page(
        source, path, build.keys, inline=build.inline, bib_name=build.bib_name
    )
    build.cited.update(c.key for c in citations)
    directives = suppression.page_directives(path, source)
    findings.log_findings(
        finish(found, build.rules, directives) + suppression.unused(directives, build.rules.registry), log
    )
    return markdown


def on_post_build(config: MkDocsConfig) -> None:
    build = _current()
    uncited = build.rules.registry.apply(bibcheck.check_uncited(build.bibs, build.cited))
    findings.log_findings(suppression.apply(uncited, build.bib_directives), log)
    findings.log_findings(suppression.unused(build.bib_directives, build.rules.registry), log)


# --- end of MkDocs hooks --------------------------------------------------------------------


if __name__ == "__main__":
    sys.exit(main())
