"""The PDF of the guide as an accessible document: tagged PDF/UA-1, real metadata, described links.

mkdocs-to-pdf 0.12.1 assembles the print document (cover, contents, one chapter per page)
and hands the finished HTML to a renderer. Its own renderer calls WeasyPrint without the
options an accessible PDF needs (``pdf_variant``, ``pdf_tags``) and without a base URL.
The plugin has exactly one place for another renderer: ``Options.relaxed_js``, an object
with ``write_pdf(html_string, output_path)``. :class:`AccessiblePdfRenderer` is such an
object; ``hooks/pdf_export.py`` puts it there. Everything before the rendering stays the
plugin's, so nothing of it is copied here.

Rejected: rendering the plugin's ``html_path`` output a second time ourselves (the PDF
step would cost twice), replacing ``weasyprint.HTML`` inside the plugin's module (a global
patch that any upgrade silently undoes), and forking the plugin's generator (300 lines to
keep in step with upstream).

What the renderer adds, all on the HTML string and on the finished PDF objects:

- plain text for ``<abbr>``, citation numbers joined to their word and a workaround for
  a WeasyPrint line-breaking bug (see :func:`prepare_print_html`);
- ``<html lang>`` (the PDF's ``/Lang``) and the document title (``/Title``, shown in the
  viewer's title bar through ``DisplayDocTitle``);
- WeasyPrint's ``pdf/ua-1`` variant: a tagged PDF with the PDF/UA-1 identification in XMP;
- a description (``/Contents``) on every link annotation, from the link's own text,
  instead of WeasyPrint's default (the bare target, such as ``#what-is-ivig/:fn:cite-x``).

This module does not import MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

PDF_VARIANT = "pdf/ua-1"
# Headings the printed contents leave out: every chapter ends with its source list, and
# fifteen "Sources for this chapter" lines would push the contents onto a second page.
# (They stay bookmarks, so a reader of the PDF on screen can still jump to them.)
TOC_SKIPPED_HEADING_CLASSES = ("ivig-sources-heading",)
# Longest link description kept; screen readers read it in full, so keep it short.
_MAX_DESCRIPTION = 160


@dataclass(frozen=True)
class PrintDocument:
    """What the print document says about itself."""

    title: str
    lang: str


def document_title(cover_title: str, cover_subtitle: str) -> str:
    """The PDF's title: "<cover title>: <cover subtitle>", the subtitle starting in lower case.

    >>> document_title("IVIG guide", "A referenced guide to intravenous immunoglobulin therapy")
    'IVIG guide: a referenced guide to intravenous immunoglobulin therapy'
    """
    title, subtitle = cover_title.strip(), cover_subtitle.strip()
    if not title:
        raise ValueError("the PDF needs a cover_title for its document title")
    if not subtitle:
        return title
    first_word = subtitle.split()[0]
    if len(first_word) > 1 and first_word.isupper():  # an abbreviation stays ("IVIG in children")
        return f"{title}: {subtitle}"
    return f"{title}: {subtitle[0].lower()}{subtitle[1:]}"


def prepare_print_html(html: str, document: PrintDocument) -> str:
    """Set the language and the title of the assembled print document; drop what paper cannot use."""
    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("html")
    if root is None or soup.head is None:
        raise ValueError("the print document has no <html> or <head> element")
    root["lang"] = document.lang
    for title in soup.head.find_all("title"):
        title.decompose()
    title = soup.new_tag("title")
    title.string = document.title
    soup.head.insert(0, title)
    # Scripts never run in WeasyPrint; dropping them keeps the document smaller.
    for script in soup.find_all("script"):
        script.decompose()
    _drop_from_contents(soup)
    _link_deferred_anchors(soup)
    _keep_citations_with_their_word(soup)
    # <abbr> only carries a hover tooltip, which paper cannot show (the Glossary spells
    # every abbreviation out).
    for abbr in soup.find_all("abbr"):
        abbr.unwrap()
    _mark_breaks_before_inline_elements(soup)
    return str(soup)


def _link_deferred_anchors(soup: BeautifulSoup) -> None:
    """Point links that carry ``data-ivig-anchor`` (the References page's "Cited in" links,
    the register's links to its boxes) at that anchor inside their chapter.

    mkdocs-to-pdf prefixes each chapter's ids with the chapter's path (``side-effects/:``,
    ``./:`` for Home) but rewrites a link to Home as ``#.:``, which lands on the chapter's
    start; the web pages get their anchors in ``references.add_deferred_anchors``.
    """

    def chapter(target: str) -> str:
        return target.split(":", 1)[0].rstrip("/")

    ids_by_anchor: dict[str, list[str]] = {}
    for element in soup.find_all(id=True):
        element_id = str(element["id"])
        if ":" in element_id:
            ids_by_anchor.setdefault(element_id.split(":", 1)[1], []).append(element_id)
    for link in soup.find_all("a", attrs={"data-ivig-anchor": True}):
        href = str(link.get("href", ""))
        if not href.startswith("#"):
            continue
        wanted = [
            i for i in ids_by_anchor.get(str(link["data-ivig-anchor"]), []) if chapter(i) == chapter(href[1:])
        ]
        if len(wanted) == 1:
            link["href"] = "#" + wanted[0]


def _drop_from_contents(soup: BeautifulSoup) -> None:
    """Leave headings of the classes in TOC_SKIPPED_HEADING_CLASSES out of the printed contents."""
    toc = soup.find(id="doc-toc")
    if toc is None:
        return
    skipped = {
        f"#{heading['id']}"
        for heading in soup.find_all(class_=TOC_SKIPPED_HEADING_CLASSES)
        if heading.get("id")
    }
    for link in toc.find_all("a", href=True):
        if link["href"] in skipped and link.parent is not None and link.parent.name == "li":
            link.parent.decompose()


def _is_citation(node: object) -> bool:
    return isinstance(node, Tag) and node.name == "sup"


WORD_JOINER = "\u2060"
ZERO_WIDTH_SPACE = "\u200b"
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "cite",
        "code",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)


def _mark_breaks_before_inline_elements(soup: BeautifulSoup) -> None:
    """Work around a WeasyPrint 70 line-breaking bug at inline elements.

    When a line is full exactly at "your " and the next word sits in an inline element
    ("your <span>kidneys.</span>"), WeasyPrint breaks the line after its *first* word,
    leaving "Drinking" alone on a line (its issues #1614 and #2025; seen here with
    spans, links, emphasis, code and superscripts). A ZERO WIDTH SPACE after the space
    gives the break a place outside the element and the line breaks normally. It is
    invisible and only where a break was allowed anyway.
    """
    body = soup.body or soup
    for text in body.find_all(string=True):
        if type(text) is not NavigableString or not text or not text[-1].isspace():
            continue
        after = text.next_sibling
        if isinstance(after, Tag) and after.name in _INLINE:
            text.replace_with(text + ZERO_WIDTH_SPACE)


def _keep_citations_with_their_word(soup: BeautifulSoup) -> None:
    """Join each run of citation superscripts to the word before it.

    Unicode line breaking allows a break between "blood." and a following "8", so a
    citation number could start the next line, where it reads like the start of a
    list ("8,9 Some immunoglobulin ..."), and a run "9,10" could split after its comma.
    A WORD JOINER (U+2060, invisible, no width) before each superscript of the run
    forbids those breaks. (Not a white-space: nowrap span: WeasyPrint 70 breaks a line
    after its first word when a span follows a space at the line's end.)
    """
    for sup in soup.find_all("sup"):
        if sup.find("a", class_="footnote-ref") is None or _is_citation(sup.previous_sibling):
            continue  # not a citation, or not the first of its run
        before = sup.previous_sibling
        if type(before) is not NavigableString or not before or before[-1].isspace():
            continue  # after an element or a space: nothing to join
        if before.endswith(WORD_JOINER):
            continue  # already joined, as part of an earlier run
        run = [sup]
        while isinstance(following := run[-1].next_sibling, Tag) and following.name == "sup":
            run.append(following)
        for element in run:
            element.insert_before(WORD_JOINER)


def _text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def describe_link(*, text: str, title: str, classes: list[str], external: bool, target: str) -> str:
    """The description a screen reader announces for one link annotation.

    >>> describe_link(text="3", title="", classes=["footnote-ref"], external=False, target="#x")
    'Source 3'
    >>> describe_link(text="10.1/x", title="", classes=[], external=True, target="https://doi.org/10.1/x")
    '10.1/x (https://doi.org/10.1/x)'
    """
    text = " ".join(text.split())
    if "footnote-ref" in classes and text:
        description = f"Source {text}"
    elif text:
        description = text
    elif title:
        description = " ".join(title.split())
    elif external:
        description = target
    else:
        description = "Link to another part of this guide"
    if external and target and target not in description:
        description = f"{description} ({target})"
    if len(description) > _MAX_DESCRIPTION:
        description = description[: _MAX_DESCRIPTION - 1].rstrip() + "…"
    return description


def finish_pdf(document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: described links and table header scopes.

    Runs after the PDF objects exist and before they are written, as WeasyPrint's
    ``finisher`` argument of ``Document.write_pdf`` allows.
    """
    describe_links(document)
    scope_table_headers(pdf)


def describe_links(document: Any) -> None:
    """Give every link annotation a description (``/Contents``) from its link text."""
    import pydyf  # noqa: PLC0415 (WeasyPrint's own PDF writer; only needed here)

    for page in document.pages:
        for link_type, target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None:
                continue
            element = getattr(box, "element", None)
            classes = (element.get("class") or "").split() if element is not None else []
            description = describe_link(
                text=_text_of(element),
                title=(element.get("title") or "") if element is not None else "",
                classes=classes,
                external=link_type == "external",
                target=target,
            )
            annotation["Contents"] = pydyf.String(description)


def _object(pdf: Any, reference: object) -> Any:
    """The pydyf object behind a reference such as ``b"12 0 R"``, or None."""
    if isinstance(reference, bytes):
        reference = reference.decode("ascii")
    if not isinstance(reference, str) or not reference.endswith(" R"):
        return None
    number = int(reference.split()[0])
    return pdf.objects[number] if 0 < number < len(pdf.objects) else None


def scope_table_headers(pdf: Any) -> None:
    """Mark each header cell of a table's head row as a column header (``/Scope /Column``).

    WeasyPrint links data cells to their headers (``/Headers``, ``/ID``) but writes no
    ``/Scope``; PDF/UA checkers look for one of the two on the header cells. Only cells
    whose row sits in the table head (``/THead``) get a scope: a header cell elsewhere
    could head a row, and guessing would tell a screen reader something false.
    """
    import pydyf  # noqa: PLC0415

    for obj in list(pdf.objects):
        if not isinstance(obj, pydyf.Dictionary) or obj.get("S") != "/TH":
            continue
        row = _object(pdf, obj.get("P"))
        head = _object(pdf, row.get("P")) if isinstance(row, pydyf.Dictionary) else None
        if not isinstance(head, pydyf.Dictionary) or head.get("S") != "/THead":
            continue
        attributes = obj.get("A")
        if isinstance(attributes, pydyf.Dictionary):
            attributes["Scope"] = "/Column"
        else:
            obj["A"] = pydyf.Dictionary({"O": "/Table", "Scope": "/Column"})


class AccessiblePdfRenderer:
    """Renders the print document with WeasyPrint as a tagged PDF/UA-1 file.

    Fits mkdocs-to-pdf's renderer slot (``write_pdf(html_string, output_path)``).
    """

    def __init__(self, document: PrintDocument, base_url: str | Path) -> None:
        self.document = document
        self.base_url = str(base_url)

    def write_pdf(self, html_string: str, output: str) -> None:
        from weasyprint import HTML  # noqa: PLC0415 (loads Pango: only when a PDF is built)

        html = prepare_print_html(html_string, self.document)
        rendered = HTML(string=html, base_url=self.base_url).render(pdf_variant=PDF_VARIANT, pdf_tags=True)
        rendered.write_pdf(output, pdf_variant=PDF_VARIANT, pdf_tags=True, finisher=finish_pdf)


_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def check_lang(lang: str) -> str:
    """A BCP 47 language tag such as ``en-US``, or ValueError."""
    if not _LANG.match(lang or ""):
        raise ValueError(f"{lang!r} is not a language tag such as 'en-US'")
    return lang
