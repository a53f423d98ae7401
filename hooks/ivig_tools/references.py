"""The References page, built from the bibliography at build time.

Pure functions: they take the parsed entries, the AMA-formatted text of each entry
(from pandoc's citeproc, via mkdocs-bibtex) and the pages that cite each entry, and
return Markdown. The MkDocs hook in ``hooks/site_hooks.py`` only gathers those inputs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
DOI_URL = "https://doi.org/{doi}"

# pandoc writes a few of its own span attributes into Markdown output, for example
# "[Jusufovic E, Sinanovic O, et al.]{.nocase}". Python-Markdown does not know them.
_PANDOC_SPAN_RE = re.compile(r"\[([^\[\]]*)\]\{\.(?:nocase|smallcaps|underline|mark)\}")
_LATEX_BRACES_RE = re.compile(r"[{}]")


def clean_pandoc_markdown(text: str) -> str:
    """Turn a reference as pandoc writes it into Markdown that Python-Markdown renders."""
    previous = None
    while previous != text:  # spans can nest
        previous = text
        text = _PANDOC_SPAN_RE.sub(r"\1", text)
    return " ".join(text.split())


def join_adjacent_citations(html: str, footnote_format: str) -> str:
    """Render neighbouring citation numbers as "2,3" instead of "2 3".

    mkdocs-bibtex writes "[@a; @b]" as two footnote references separated by a space;
    their ids are "fnref:" (or "fnref2:" ...) plus ``footnote_format`` with the key.
    """
    prefix = re.escape(footnote_format.split("{key}", 1)[0])
    adjacent = re.compile(rf'</sup>\s+(?=<sup id="fnref\d*:{prefix})')
    return adjacent.sub('</sup><sup class="ivig-cite-sep">,</sup>', html)


# mkdocs-to-pdf adds <link rel="alternate" type="application/pdf"> to every page head.
# Material reads alternate links as other languages of the site and fetches a
# sitemap.xml next to it, which does not exist (a 404 on every page view).
_PDF_ALTERNATE_RE = re.compile(
    r'<link\b(?=[^>]*\brel="alternate")(?=[^>]*\btype="application/pdf")[^>]*/?>\s*'
)


def drop_pdf_alternate_link(html: str) -> str:
    """Remove the PDF's rel=alternate link (the PDF stays linked from the page itself)."""
    return _PDF_ALTERNATE_RE.sub("", html)


@dataclass(frozen=True)
class CitingPage:
    """A page that cites an entry, and the anchor of the first citation on it."""

    src_uri: str  # e.g. "side-effects.md"
    title: str
    anchor: str  # e.g. "fnref:cite-guo2018"


@dataclass(frozen=True)
class ReferenceEntry:
    key: str
    text: str  # AMA, Markdown
    sort_key: tuple[str, ...]
    doi: str = ""
    pmid: str = ""
    url: str = ""
    note: str = ""
    notices: tuple[str, ...] = ()
    registry_checked: bool = False
    cited_by: tuple[CitingPage, ...] = field(default=())


def _plain(value: str) -> str:
    value = _LATEX_BRACES_RE.sub("", value).replace("\\&", "&").replace("\\%", "%")
    folded = unicodedata.normalize("NFKD", value)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold().strip()


def sort_key(first_author: str, year: str, title: str, key: str) -> tuple[str, ...]:
    """Alphabetical by first author, then year, then title: a stable order for readers."""
    return (_plain(first_author), year, _plain(title), key)


def render_page(entries: Iterable[ReferenceEntry]) -> str:
    """The body of the References page: one numbered entry per source, in a stable order."""
    ordered = sorted(entries, key=lambda e: e.sort_key)
    if not ordered:
        raise ValueError("The bibliography is empty: there is nothing to list on the References page.")
    out = ['<div class="ivig-references" markdown="1">', ""]
    for number, entry in enumerate(ordered, start=1):
        # The empty span is the entry's anchor (Markdown list items take no id).
        out.append(f'{number}. <span id="ref-{entry.key}"></span>{entry.text}')
        out.append("")
        links = []
        if entry.doi and f"doi.org/{entry.doi}" not in entry.text:
            links.append(f"[DOI {entry.doi}]({DOI_URL.format(doi=quote(entry.doi, safe='/()'))})")
        if entry.pmid:
            links.append(f"[PubMed {entry.pmid}]({PUBMED_URL.format(pmid=entry.pmid)})")
        if entry.url and entry.url not in entry.text:
            links.append(f"[Web page]({entry.url})")
        paragraphs = []
        if links:
            paragraphs.append((" · ".join(links), "ivig-ref-links"))
        status = _status_line(entry)
        if status:
            paragraphs.append((status, "ivig-ref-status"))
        paragraphs.extend((notice, "ivig-ref-notice") for notice in entry.notices)
        if entry.cited_by:
            pages = ", ".join(_page_link(p) for p in entry.cited_by)
            paragraphs.append((f"Cited in: {pages}", "ivig-ref-cited"))
        else:
            paragraphs.append(("Not cited on any page yet.", "ivig-ref-cited"))
        for text, css_class in paragraphs:
            out.append(f"    {text}")
            out.append(f"    {{: .{css_class} }}")
            out.append("")
    out.append("</div>")
    return "\n".join(out) + "\n"


def _page_link(page: CitingPage) -> str:
    # mkdocs-to-pdf rewrites links to anchors on the home page wrongly and the PDF
    # build fails on them. So the home page is linked without its anchor, which rides
    # along in a data attribute; add_deferred_anchors() puts it back into the web page
    # after the PDF plugin has taken its copy.
    if page.src_uri == "index.md":
        return f'[{page.title}]({page.src_uri}){{ data-ivig-anchor="{page.anchor}" }}'
    return f"[{page.title}]({page.src_uri}#{page.anchor})"


_DEFERRED_TAG_RE = re.compile(r'<a\b[^>]*\sdata-ivig-anchor="[^"]*"[^>]*>')
_DEFERRED_ATTR_RE = re.compile(r'\s+data-ivig-anchor="([^"]*)"')
_HREF_RE = re.compile(r'\bhref="([^"#]*)"')


def add_deferred_anchors(html: str) -> str:
    """``<a href="../" data-ivig-anchor="fnref:x">`` becomes ``<a href="../#fnref:x">``.

    Attributes may come in any order (mkdocs-to-pdf re-serialises pages).
    """

    def fix(tag: re.Match) -> str:
        text = tag.group(0)
        anchor = _DEFERRED_ATTR_RE.search(text).group(1)
        text = _DEFERRED_ATTR_RE.sub("", text)
        return _HREF_RE.sub(lambda m: f'href="{m.group(1)}#{anchor}"', text, count=1)

    return _DEFERRED_TAG_RE.sub(fix, html)


def _status_line(entry: ReferenceEntry) -> str:
    parts = []
    if entry.note:
        parts.append(entry.note.rstrip(".") + ".")
    if entry.doi and not entry.registry_checked:
        parts.append("The DOI has not been checked against the DOI registry yet.")
    return " ".join(parts)


def citing_pages(
    citations_by_page: Mapping[str, Iterable[str]], titles: Mapping[str, str], footnote_format: str
) -> dict[str, tuple[CitingPage, ...]]:
    """key -> pages citing it (in the order of ``citations_by_page``), each once."""
    result: dict[str, list[CitingPage]] = {}
    for src_uri, keys in citations_by_page.items():
        for key in dict.fromkeys(keys):  # first citation of each key on the page
            anchor = "fnref:" + footnote_format.format(key=key)
            result.setdefault(key, []).append(CitingPage(src_uri, titles.get(src_uri, src_uri), anchor))
    return {k: tuple(v) for k, v in result.items()}
