"""MkDocs hooks for the IVIG guide: thin adapters over ``hooks/ivig_tools``.

What they do, in build order:

1. ``on_config`` (after mkdocs-bibtex loaded the bibliography): hand pandoc the
   bibliography file as written, instead of pybtex's re-serialisation of it (which
   doubles the backslash in ``10\\%`` and so cuts a title at the percent sign), and
   format every entry once, in one pandoc run, instead of once per page.
2. ``on_nav``: find which pages cite which entries (for the References page), and
   every ``!!! unverified`` box (for the register of claims awaiting verification).
3. ``on_page_markdown``: before mkdocs-bibtex, hide ``@`` inside code so example
   citations in code are never rewritten, and give each unverified box an anchor;
   after it, put the ``@`` back and fill in the References page and the register.
4. ``on_page_content``: adjacent citation superscripts read "2,3", as in AMA style;
   citation links get a name ("Source 1: Guo Y et al. 2018"), the page's source list a
   heading and one labelled back-link per source;
   each unverified box carries its anchor and says "Not yet confirmed:" in its title.
5. ``on_page_context``: the page's address on the published site (the review line is
   ``hooks/page_hooks.py``'s).

State lives on a :class:`BuildState` made afresh by ``on_config`` for every build
(``mkdocs serve`` rebuilds included), never on module globals reset by hand.

Everything else (the disclaimer, the PDF link, "report an error") lives in the
theme overrides under ``overrides/``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from ivig_tools import bibcheck, cache, mdmask, references, register
from ivig_tools.citations import find_citations
from ivig_tools.findings import log_findings
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

log = logging.getLogger("mkdocs.plugins.ivig_site")

HOOKS_DIR = Path(__file__).resolve().parent
REGISTRY_CACHE = HOOKS_DIR / "data" / "doi-registry.json"
REFERENCES_MARKER = "<!-- references -->"
# Where the register of claims awaiting verification belongs (named when its marker is missing).
REGISTER_PAGE = "about.md"
# Bump when clean_pandoc_markdown changes what it produces, so old cache entries miss.
CACHE_FORMAT = "references-v2"
# A private-use character stands in for "@" inside code while mkdocs-bibtex runs.
_AT_STANDIN = "\ue000"


@dataclass
class BuildState:
    """What the hooks learn during one build; ``on_config`` makes a new one each build."""

    bib_path: Path
    entries: dict[str, references.ReferenceEntry]
    cited_by: dict[str, tuple[references.CitingPage, ...]] = field(default_factory=dict)
    register_rows: list[register.RegisterRow] = field(default_factory=list)
    # Report paths as the checkers do ("docs/about.md"), relative to the config's folder.
    docs_prefix: str = "docs"


_build: BuildState | None = None


def _state() -> BuildState:
    if _build is None:
        raise PluginError("hooks/site_hooks.py: on_config did not run before the page events of this build.")
    return _build


# --- start of MkDocs hooks ----------------------------------------------------------


@event_priority(-10)  # after mkdocs-bibtex's own on_config
def on_config(config):
    plugin = config.plugins.get("bibtex")
    registry = getattr(plugin, "registry", None)
    if registry is None or not hasattr(registry, "_process_with_pandoc"):
        raise PluginError(
            "hooks/site_hooks.py needs the bibtex plugin configured with a csl_file (AMA style); "
            "see mkdocs.yml under plugins."
        )
    config_dir = Path(config.config_file_path).parent
    bib_path = config_dir / plugin.config.bib_file
    bib_text = bib_path.read_text(encoding="utf-8")
    # pandoc reads BibTeX itself; give it the file, not pybtex's re-serialisation.
    registry.__dict__["bib_data_bibtex"] = bib_text
    entries = _entries(registry.bib_data.entries, _format_all(registry, bib_text))
    # mkdocs-bibtex then takes every footnote text from its cache: one pandoc run per
    # build, and the pages' source lists read exactly as the References page.
    registry._reference_cache.update({key: entry.text for key, entry in entries.items()})
    global _build  # noqa: PLW0603 (one new state object per build, replacing the last)
    _build = BuildState(
        bib_path=bib_path,
        entries=entries,
        docs_prefix=_relative_posix(Path(config.docs_dir), config_dir),
    )
    return config


def on_nav(nav, config, files):
    footnote_format = config.plugins["bibtex"].config.footnote_format
    state = _state()
    by_page: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    rows: list[register.RegisterRow] = []
    markers: dict[str, list[tuple[int, int]]] = {}
    findings = []
    for page in nav.pages:
        text = page.file.content_string
        src_uri = page.file.src_uri
        keys = [c.key for c in find_citations(text)]
        if keys:
            by_page[src_uri] = keys
        titles[src_uri] = title = page.title or _front_matter_title(text) or src_uri
        path = f"{state.docs_prefix}/{src_uri}"
        boxes, box_findings = register.find_boxes(text, path)
        findings.extend(box_findings)
        rows.extend(
            register.RegisterRow(src_uri, title, anchor, box)
            for box, anchor in zip(boxes, register.anchor_ids(boxes), strict=True)
        )
        offsets = register.marker_offsets(text)
        if offsets:
            index = mdmask.LineIndex(text)
            markers[path] = [index.position(o) for o in offsets]
    home = f"{state.docs_prefix}/{REGISTER_PAGE}"
    findings.extend(register.marker_findings(markers, len(rows), home=home))
    log_findings(findings, log)
    state.cited_by = references.citing_pages(by_page, titles, footnote_format)
    state.register_rows = rows
    return nav


@event_priority(90)  # before mkdocs-bibtex (0)
def _page_markdown_protect(markdown, page, config, files):
    markdown = register.add_anchors(markdown, page.file.src_uri)
    return _hide_at_in_code(markdown)


@event_priority(-90)  # after mkdocs-bibtex and the other hooks
def _page_markdown_restore(markdown, page, config, files):
    markdown = markdown.replace(_AT_STANDIN, "@")
    if REFERENCES_MARKER in markdown:
        markdown = markdown.replace(REFERENCES_MARKER, _references_markdown())
    if register.MARKER in markdown:
        table = register.render_register(_state().register_rows, page.file.src_uri)
        markdown = register.replace_marker(markdown, table)
    return markdown


def on_page_content(html, page, config, files):
    footnote_format = config.plugins["bibtex"].config.footnote_format
    html = references.join_adjacent_citations(html, footnote_format)
    html = references.finish_source_list(
        html,
        footnote_format=footnote_format,
        names={key: entry.short_name for key, entry in _state().entries.items()},
    )
    if f'id="{references.SOURCES_HEADING_ID}"' in html:
        _add_to_toc(page, references.SOURCES_HEADING_TEXT, references.SOURCES_HEADING_ID)
    return register.mark_boxes(html)


def on_page_context(context, page, config, nav):
    page.meta["published_url"] = published_url(config.site_url or "", page.file.src_uri)
    return context


@event_priority(-100)  # after mkdocs-to-pdf added its links to the page
def on_post_page(output, page, config):
    return references.add_deferred_anchors(references.drop_pdf_alternate_link(output))


# One event name, two priorities: around mkdocs-bibtex.
on_page_markdown = CombinedEvent(_page_markdown_protect, _page_markdown_restore)

# --- end of MkDocs hooks ------------------------------------------------------------


def published_url(site_url: str, src_uri: str) -> str:
    """The page's address on the published site (directory URLs), whatever this build uses."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
    path = f"{stem}/" if stem and not stem.endswith("/") else stem
    return site_url.rstrip("/") + "/" + path


def _hide_at_in_code(markdown: str) -> str:
    # MkDocs has already removed the front matter from ``markdown``.
    spans = mdmask.code_spans(markdown)
    if not spans:
        return markdown
    chars = list(markdown)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] == "@":
                chars[i] = _AT_STANDIN
    return "".join(chars)


def _format_all(registry, bib_text: str) -> dict[str, str]:
    """AMA text of every entry, from one pandoc run (or the cache of the last identical one)."""
    from importlib.metadata import version  # noqa: PLC0415

    import pypandoc  # noqa: PLC0415
    from mkdocs_bibtex.citation import Citation, CitationBlock  # noqa: PLC0415

    keys = list(registry.bib_data.entries)
    cache_name = "references-{}.json".format(
        cache.key_for(
            bib_text,
            Path(registry.csl_file).read_bytes(),
            pypandoc.get_pandoc_version(),
            version("mkdocs-bibtex"),
            CACHE_FORMAT,
        )
    )
    cleaned = cache.read_json(cache_name)
    if not isinstance(cleaned, dict) or set(cleaned) != set(keys):
        blocks = [CitationBlock(citations=[Citation(key=k)]) for k in keys]
        _, formatted = registry._process_with_pandoc(blocks)
        missing = [k for k in keys if k not in formatted]
        if missing:
            raise PluginError(f"pandoc did not format these bibliography entries: {', '.join(missing)}")
        cleaned = {k: references.clean_pandoc_markdown(v) for k, v in formatted.items()}
        cache.write_json(cache_name, cleaned)
    return cleaned


def _entries(bib_entries, formatted: dict[str, str]) -> dict[str, references.ReferenceEntry]:
    records = bibcheck.records_of(_registry_cache())
    result = {}
    for key, entry in bib_entries.items():
        fields = entry.fields
        persons = entry.persons.get("author", [])
        first = " ".join(persons[0].last_names) if persons else fields.get("organization", key)
        doi = fields.get("doi", "").strip()
        record = records.get(bibcheck.normalise_doi(doi).lower()) if doi else None
        notices = references.notices_of(record)
        names = [_person_name(p) for p in persons]
        year = str(fields.get("year", "") or str(fields.get("date", ""))[:4])
        result[key] = references.ReferenceEntry(
            key=key,
            text=references.ama_text(
                formatted[key], title=str(fields.get("title", "")), names=names, notices=notices
            ),
            sort_key=references.sort_key(first, fields.get("year", ""), fields.get("title", ""), key),
            doi=doi,
            pmid=fields.get("pmid", "").strip(),
            url=fields.get("url", "").strip(),
            note=references.plain_field(str(fields.get("note", ""))),
            notices=notices,
            registry_checked=record is not None,
            short_name=references.short_name(names, year),
        )
    return result


def _person_name(person) -> references.PersonName:
    """pybtex's Person as the plain parts the renderer needs."""
    return references.PersonName(
        family=" ".join(person.last_names),
        given=" ".join(person.first_names + person.middle_names),
        particle=" ".join(person.prelast_names),
    )


def _registry_cache() -> dict:
    try:
        return json.loads(REGISTRY_CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PluginError(f"{REGISTRY_CACHE}: cannot read the DOI registry cache: {exc}") from exc


def _references_markdown() -> str:
    state = _state()
    entries = [dataclasses.replace(e, cited_by=state.cited_by.get(e.key, ())) for e in state.entries.values()]
    return references.render_page(entries)


def _add_to_toc(page, title: str, anchor: str) -> None:
    """List a heading the hooks added to the page's HTML in its table of contents."""
    from mkdocs.structure.toc import AnchorLink  # noqa: PLC0415

    toc = page.toc
    if toc is None or any(item.id == anchor for item in toc):
        return
    # A page with one h1 holds its sections as that heading's children.
    items = toc.items[0].children if len(toc.items) == 1 and toc.items[0].level == 1 else toc.items
    items.append(AnchorLink(title, anchor, 2))


def _relative_posix(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _front_matter_title(text: str) -> str:
    end = mdmask.front_matter_end(text)
    if not end:
        return ""
    try:
        meta = yaml.safe_load(text[3:end].rstrip("-\n")) or {}
    except yaml.YAMLError:
        return ""
    return str(meta.get("title", "")) if isinstance(meta, dict) else ""
