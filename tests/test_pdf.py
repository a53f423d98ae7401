"""The PDF of the guide: an accessible, readable patient document.

Two levels: the renderer's plain helpers (``hooks/ivig_tools/pdf.py``) on strings, and the
PDF of the real strict build (the session's ``built_site``), read with pypdf and checked
with the ``pdfua`` checker.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import DOCS, ROOT
from ivig_tools import pdf as pdfmod
from ivig_tools.mdmask import FRONT_MATTER_RE

EXPECTED_TITLE = "IVIG guide: a referenced guide to intravenous immunoglobulin therapy"
# Pages that are for editors, not for patients: on the web only.
WEB_ONLY_PAGES = {"contributing.md"}


# --- the renderer's helpers ------------------------------------------------------------------------


def test_document_title_joins_cover_title_and_subtitle():
    title = pdfmod.document_title("IVIG guide", "A referenced guide to intravenous immunoglobulin therapy")
    assert title == EXPECTED_TITLE


def test_document_title_keeps_an_abbreviation_at_the_start_of_the_subtitle():
    assert pdfmod.document_title("Guide", "IVIG in children") == "Guide: IVIG in children"
    assert pdfmod.document_title("Guide", "") == "Guide"


def test_document_title_needs_a_cover_title():
    with pytest.raises(ValueError, match="cover_title"):
        pdfmod.document_title(" ", "Subtitle")


@pytest.mark.parametrize("lang", ["en-US", "en", "de-CH"])
def test_check_lang_accepts_language_tags(lang):
    assert pdfmod.check_lang(lang) == lang


@pytest.mark.parametrize("lang", ["", "english", "en_US", "en-"])
def test_check_lang_rejects_what_is_not_a_language_tag(lang):
    with pytest.raises(ValueError, match="language tag"):
        pdfmod.check_lang(lang)


def test_prepare_print_html_sets_language_and_title_and_drops_scripts_and_abbr():
    html = (
        "<html><head><title>IVIG guide - IVIG guide</title><script>x()</script></head>"
        '<body><p>The <abbr title="digital object identifier">DOI</abbr> is known.</p></body></html>'
    )
    out = pdfmod.prepare_print_html(html, pdfmod.PrintDocument(title=EXPECTED_TITLE, lang="en-US"))
    assert '<html lang="en-US">' in out
    assert f"<title>{EXPECTED_TITLE}</title>" in out
    assert "IVIG guide - IVIG guide" not in out
    assert "<script" not in out and "<abbr" not in out
    assert "<p>The DOI is known.</p>" in out


def test_prepare_print_html_leaves_source_list_headings_out_of_the_contents():
    html = (
        "<html><head></head><body>"
        '<article id="doc-toc"><h1>Contents</h1><ul>'
        '<li><a href="#a/:intro">Intro</a></li>'
        '<li><a href="#a/:sources-for-this-page">Sources for this chapter</a></li>'
        "</ul></article>"
        '<h2 id="a/:intro">Intro</h2>'
        '<h2 class="ivig-sources-heading" id="a/:sources-for-this-page">Sources for this chapter</h2>'
        "</body></html>"
    )
    out = pdfmod.prepare_print_html(html, pdfmod.PrintDocument(title="t", lang="en-US"))
    toc = out[out.index('id="doc-toc"') : out.index("</article>")]
    assert 'href="#a/:intro"' in toc
    assert "sources-for-this-page" not in toc
    # The heading itself stays in the chapter.
    assert 'class="ivig-sources-heading" id="a/:sources-for-this-page"' in out


def test_prepare_print_html_joins_citation_runs_to_the_word_before():
    cite = '<sup id="r{n}"><a class="footnote-ref" href="#f{n}">{n}</a></sup>'
    html = (
        "<html><head></head><body><p>spread through blood."
        + cite.format(n=8)
        + '<sup class="ivig-cite-sep">,</sup>'
        + cite.format(n=9)
        + " Some words. A note<sup>a</sup> and a space "
        + cite.format(n=3)
        + "</p></body></html>"
    )
    out = pdfmod.prepare_print_html(html, pdfmod.PrintDocument(title="t", lang="en-US"))
    wj = pdfmod.WORD_JOINER
    assert f'blood.{wj}<sup id="r8">' in out
    assert f'</sup>{wj}<sup class="ivig-cite-sep">,</sup>{wj}<sup id="r9">' in out
    # Not a citation, and a citation after a space: left alone (twins).
    assert "A note<sup>a</sup>" in out
    assert f'a space {pdfmod.ZERO_WIDTH_SPACE}<sup id="r3">' in out
    assert out.count(wj) == 3


def test_prepare_print_html_marks_a_break_before_an_inline_element_after_a_space():
    html = (
        "<html><head></head><body><p>protect your <span>kidneys.</span> See "
        '<a href="#x">this</a> and <em>that</em>, not<em>joined</em>.</p></body></html>'
    )
    out = pdfmod.prepare_print_html(html, pdfmod.PrintDocument(title="t", lang="en-US"))
    zwsp = pdfmod.ZERO_WIDTH_SPACE
    assert f"your {zwsp}<span>" in out and f"See {zwsp}<a" in out and f"and {zwsp}<em>" in out
    assert "not<em>joined</em>" in out  # no space, no break: left alone (twin)
    assert out.count(zwsp) == 3


@pytest.mark.parametrize("width_in", [6.8, 6.82, 6.84])
def test_no_line_is_cut_after_its_first_word_before_an_inline_element(width_in):
    """The WeasyPrint bug the zero width space works around, on the widths that show it."""
    from weasyprint import HTML

    html = (
        f'<html><head><style>p {{ width: {width_in}in; font: 11.5pt/1.5 "DejaVu Sans" }}</style></head>'
        "<body><p>Drinking enough fluids before an infusion also matters, because it helps "
        "protect your <span>kidneys.</span> Before you start, tell your care team.</p></body></html>"
    )
    out = pdfmod.prepare_print_html(html, pdfmod.PrintDocument(title="t", lang="en-US"))
    lines = []

    def walk(box):
        if type(box).__name__ == "LineBox":
            lines.append("".join(t.text for t in box.descendants() if hasattr(t, "text")))
        for child in getattr(box, "children", []):
            walk(child)

    walk(HTML(string=out).render().pages[0]._page_box)
    assert len(_flat(lines[0])) > 40, lines


def test_prepare_print_html_refuses_a_document_without_head():
    with pytest.raises(ValueError, match="<head>"):
        pdfmod.prepare_print_html("<p>text</p>", pdfmod.PrintDocument(title="t", lang="en-US"))


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"text": "3", "classes": ["footnote-ref"], "external": False, "target": "#fn"}, "Source 3"),
        ({"text": "What IVIG is", "classes": [], "external": False, "target": "#w"}, "What IVIG is"),
        (
            {
                "text": "PubMed 1",
                "classes": [],
                "external": True,
                "target": "https://pubmed.ncbi.nlm.nih.gov/1/",
            },
            "PubMed 1 (https://pubmed.ncbi.nlm.nih.gov/1/)",
        ),
        (
            {"text": "https://x.org/", "classes": [], "external": True, "target": "https://x.org/"},
            "https://x.org/",
        ),
        (
            {"text": "", "classes": [], "external": False, "target": "#x"},
            "Link to another part of this guide",
        ),
    ],
)
def test_describe_link(kwargs, expected):
    assert pdfmod.describe_link(title="", **kwargs) == expected


def test_describe_link_falls_back_to_the_title_and_stays_short():
    assert pdfmod.describe_link(text="", title="Go up", classes=[], external=False, target="#t") == "Go up"
    long = pdfmod.describe_link(text="word " * 100, title="", classes=[], external=False, target="#t")
    assert len(long) <= 160 and long.endswith("…")


# --- print-only / web-only wording (docs/assets/stylesheets/media.css) ---------------------------

MEDIA_CSS = DOCS / "assets" / "stylesheets" / "media.css"
MARKED_HTML = """
<p>Always shown.</p>
<p class="web-only">Point at a word on the web.</p>
<p class="print-only">See the Glossary in print.</p>
<p>Sources are <span class="web-only">at the bottom of each page</span><span class="print-only">at the
end of each chapter</span>.</p>
<ul>
  <li>First item.</li>
  <li class="web-only">Button near the title.</li>
  <li><p class="web-only">Link in the footer.</p></li>
  <li><p class="print-only">Printed item.</p></li>
</ul>
"""


def _rendered(media_type: str) -> tuple[str, int]:
    """The text WeasyPrint lays out for MARKED_HTML with media.css, and the number of list items."""
    from weasyprint import CSS, HTML

    document = HTML(string=MARKED_HTML, media_type=media_type).render(
        stylesheets=[CSS(filename=str(MEDIA_CSS), media_type=media_type)]
    )
    texts, items = [], set()

    def walk(box):
        if getattr(box, "text", None):
            texts.append(box.text)
        if getattr(box, "element_tag", None) == "li" and box.element is not None:
            items.add(id(box.element))
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    # Text boxes are joined with spaces; punctuation goes back onto its word.
    return re.sub(r" ([.,])", r"\1", _flat(" ".join(texts))), len(items)


def test_print_hides_web_only_wording_and_shows_print_only_wording():
    text, items = _rendered("print")
    assert "Always shown." in text
    assert "See the Glossary in print." in text
    assert "Sources are at the end of each chapter." in text
    assert "Printed item." in text
    for web in ("Point at a word", "bottom of each page", "Button near", "Link in the footer"):
        assert web not in text
    assert items == 2, "a list item whose only content is web-only must go, bullet and all"


def test_the_web_shows_web_only_wording_and_hides_print_only_wording():
    text, items = _rendered("screen")
    assert "Point at a word on the web." in text
    assert "Sources are at the bottom of each page." in text
    assert "Button near the title." in text and "Link in the footer." in text
    for printed in ("See the Glossary", "end of each chapter", "Printed item"):
        assert printed not in text
    assert items == 3


# --- the PDF of the real build ---------------------------------------------------------------------


def _chapter_sources() -> list[str]:
    """Every page in the nav, in order, that the PDF should carry (as its source name)."""
    from mkdocs.utils.yaml import get_yaml_loader

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        config = yaml.load(f, Loader=get_yaml_loader())

    def pages(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from pages(value)
            else:
                yield value

    return [src for src in pages(config["nav"]) if src not in WEB_ONLY_PAGES]


def _chapter_titles() -> list[str]:
    """The title of every chapter the PDF should carry, in order (from the pages' front matter)."""
    titles = []
    for src in _chapter_sources():
        meta = yaml.safe_load(FRONT_MATTER_RE.match((DOCS / src).read_text(encoding="utf-8")).group(1))
        titles.append(meta["title"])
    return titles


@pytest.fixture(scope="module")
def pdf_path(built_site):
    path = built_site.path / "pdf" / "ivig-guide.pdf"
    assert path.is_file(), "the build did not write the PDF"
    return path


@pytest.fixture(scope="module")
def reader(pdf_path):
    from pypdf import PdfReader

    return PdfReader(str(pdf_path))


@pytest.fixture(scope="module")
def pages(reader):
    return [page.extract_text() or "" for page in reader.pages]


@pytest.fixture(scope="module")
def text_sizes(reader):
    """(page index, text, size in pt) of every text span the PDF draws."""
    spans = []
    for index, page in enumerate(reader.pages):

        def visit(text, cm, tm, _font, size, index=index):
            if text.strip():
                # The rendered size: the font size scaled by the text and the page matrices.
                spans.append((index, text.strip(), round(size * abs(tm[3]) * abs(cm[3]), 1)))

        page.extract_text(visitor_text=visit)
    assert spans, "no text found in the PDF"
    return spans


def _flat(text: str) -> str:
    for invisible in (pdfmod.WORD_JOINER, pdfmod.ZERO_WIDTH_SPACE):
        text = text.replace(invisible, "")
    return " ".join(text.split())


@pytest.mark.build
def test_pdf_is_tagged_with_language_and_pdf_ua_identification(reader):
    root = reader.trailer["/Root"]
    # What `pdfinfo` reports as "Tagged: yes": a marked, structured document.
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-US"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data()
    assert re.search(rb'pdfuaid:part="?1', xmp), "no PDF/UA-1 identification in the XMP metadata"


@pytest.mark.build
def test_pdf_passes_the_pdf_ua_checker(pdf_path):
    result = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", str(pdf_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.stdout, f"pdfua printed nothing:\n{result.stderr}"
    report = json.loads(result.stdout)
    problems = [f for f in report["findings"] if f.get("severity", "").lower() in {"error", "warning"}]
    assert report["summary"]["errors"] == 0, problems
    assert report["summary"]["warnings"] == 0, problems


@pytest.mark.build
def test_every_link_has_a_description(reader):
    seen = 0
    for page in reader.pages:
        for reference in page.get("/Annots") or []:
            annot = reference.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            seen += 1
            contents = str(annot.get("/Contents", "")).strip()
            assert contents, f"a link without a description: {annot}"
            assert not contents.startswith("#"), f"a link described by its bare target: {contents!r}"
    assert seen > 50, f"only {seen} links in the PDF"


@pytest.mark.build
def test_pdf_metadata(reader):
    meta = reader.metadata
    assert meta.title == EXPECTED_TITLE
    assert meta.author == "The IVIG guide editors"
    assert "intravenous immunoglobulin" in meta.subject
    assert "IVIG" in meta["/Keywords"]


@pytest.mark.build
def test_pdf_is_us_letter(reader):
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def _sizes_of(html_texts: list[str], text_sizes, *, min_length: int = 40) -> list[float]:
    """Sizes of the PDF's text spans that come from the given HTML texts.

    Only spans of ``min_length`` characters or more count: shorter ones (a heading, the
    running header, a line of the contents) could match a paragraph by chance.
    """
    return [
        size
        for _, text, size in text_sizes
        if len(text) >= min_length and any(_flat(text) in html_text for html_text in html_texts)
    ]


@pytest.mark.build
def test_body_text_is_at_least_11_pt_and_small_print_at_least_9_pt(built_site, text_sizes):
    # Body text: the paragraphs and list items of every chapter (not its source list).
    body = []
    for src in _chapter_sources():
        article = built_site.soup(src).find("article")
        for block in article.find_all(["p", "li"]):
            if not block.find_parent(class_=["footnote", "ivig-references", "ivig-page-meta", "admonition"]):
                body.append(_flat(block.get_text()))
    sizes = _sizes_of(body, text_sizes)
    assert len(sizes) > 100, f"only {len(sizes)} body text spans found in the PDF"
    by_size = Counter(sizes)
    assert min(sizes) >= 11, f"body text below 11 pt: {sorted(by_size.items())}"
    # Only citation superscripts may be smaller than 9 pt, and never below 8 pt.
    small = {(text, size) for _, text, size in text_sizes if size < 9}
    assert all(re.fullmatch(r"[\d,–-]+", text) for text, _ in small), sorted(small)[:10]
    assert all(size >= 8 for _, size in small), sorted(small)[:10]


@pytest.mark.build
def test_care_cards_are_printed_at_body_size(built_site, text_sizes):
    """Emergency and urgent advice is never small print."""
    card_texts = []
    for src in _chapter_sources():
        for card in built_site.soup(src).select(".ivig-care li, .ivig-care .admonition-title"):
            card_texts.append(_flat(card.get_text()))
    if not card_texts:
        pytest.skip("no page has a care card")
    sizes = _sizes_of(card_texts, text_sizes, min_length=12)
    assert sizes, "no care-card text found in the PDF"
    assert min(sizes) >= 11, f"care-card text at {min(sizes)} pt"


@pytest.mark.build
def test_pdf_source_lists_are_headed_by_chapter_and_carry_no_arrows(built_site, pages):
    cited = [src for src in _chapter_sources() if built_site.soup(src).select_one("article .footnote")]
    if not any(built_site.soup(src).select_one(".ivig-sources-heading") for src in cited):
        pytest.skip("the source lists have no heading in this build")
    whole = _flat(" ".join(pages))
    # Each cited chapter heads its own list (the contents leave these headings out, and the
    # running header shows only the chapter's title).
    headed = sum(text.count("Sources for this chapter\n") for text in pages[2:])
    assert headed == len(cited), (headed, cited)
    assert "Sources for this page" not in whole
    assert "\u21a9" not in whole and "Back to text" not in whole


@pytest.mark.build
def test_pdf_cited_in_links_land_on_the_citation(reader):
    names = set(reader.named_destinations)
    targets, starts = [], []
    for page in reader.pages:
        if "Cited in" not in (page.extract_text() or ""):
            continue
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            dest = annot.get("/Dest") or (annot.get("/A") or {}).get("/D")
            if isinstance(dest, str) and ":fnref" in dest:
                targets.append(dest)
            elif isinstance(dest, str) and dest.endswith(":"):
                starts.append(dest)
    assert len(targets) >= 10, "the References chapter links hardly any citations"
    missing = [t for t in targets if t not in names]
    assert not missing, f"'Cited in' links to anchors the PDF does not have: {missing[:5]}"
    # A link to a chapter's start (Home's is "#.:") would drop the reader at its title.
    assert not starts, f"'Cited in' links that land on a chapter's start: {sorted(set(starts))}"


@pytest.mark.build
def test_references_are_at_least_9_pt(text_sizes, pages):
    reference_pages = {i for i, text in enumerate(pages) if "Cited in:" in text}
    assert reference_pages, "the References chapter was not found"
    sizes = [
        size for i, text, size in text_sizes if i in reference_pages and not re.fullmatch(r"[\d,]+", text)
    ]
    assert min(sizes) >= 9, f"the References chapter has text at {min(sizes)} pt"


@pytest.mark.build
def test_pdf_has_a_cover_with_title_build_date_and_the_one_disclaimer(pages):
    assert "IVIG guide" in pages[0]
    assert "A referenced guide to intravenous" in pages[0]
    assert re.search(r"Built on \d{1,2} \w+ 20\d\d", pages[0])
    whole = _flat("\n".join(pages))
    assert whole.count("Medical disclaimer") == 1, "the disclaimer box must appear once, on the cover"
    assert "Medical disclaimer" in pages[0]
    assert whole.count("does not replace talking with your doctor or nurse") == 1
    # The site's copyright line is a disclaimer too: not in every page footer.
    assert whole.count("general information, not medical advice") <= 1


@pytest.mark.build
def test_outline_has_one_top_level_entry_per_chapter(reader):
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == _chapter_titles()
    assert top.count("IVIG guide") == 1


@pytest.mark.build
def test_glossary_terms_are_not_bookmarks(reader):
    titles = [getattr(item, "title", "") for item in reader.outline]
    glossary_index = titles.index("Glossary")
    after = reader.outline[glossary_index + 1] if glossary_index + 1 < len(reader.outline) else None
    assert not isinstance(after, list), f"the Glossary has bookmarks under it: {after}"


@pytest.mark.build
def test_pdf_has_a_one_page_table_of_contents_with_page_numbers(pages):
    toc = pages[1]
    assert "Contents" in toc
    for title in _chapter_titles():
        # The page number may come out before or after its title in the extracted text.
        pattern = rf"(\d+\s*{re.escape(title)}\n|{re.escape(title)}\s*\d+)"
        assert re.search(pattern, toc), f"no page number for {title!r} in the one-page contents"
    assert "Contents" not in pages[2], "the contents run onto a second page"


@pytest.mark.build
def test_pdf_pages_are_numbered(pages):
    total = len(pages)
    assert any(f"Page 3 of {total}" in p for p in pages[2:4])


@pytest.mark.build
def test_pdf_has_no_contributing_chapter_no_localhost_and_no_arrows(reader, pages):
    whole = "\n".join(pages)
    assert "Contributing" not in [getattr(item, "title", "") for item in reader.outline]
    assert "Run the checkers" not in whole and "pre-commit" not in whole
    assert "127.0.0.1" not in whole and "localhost" not in whole
    assert "↩" not in whole
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            uri = str(annot.get_object().get("/A", {}).get("/URI", ""))
            assert "127.0.0.1" not in uri and "localhost" not in uri, uri


@pytest.mark.build
def test_pdf_carries_citations_and_the_references(pages):
    whole = _flat("\n".join(pages))
    assert "Guo Y, Tian X, Wang X, Xiao Z. Adverse effects of immunoglobulin therapy" in whole
    assert "doi:10.3389/fimmu.2018.01299" in "\n".join(pages).replace("\n", "")


@pytest.mark.build
def test_no_page_is_nearly_empty_except_where_a_chapter_ends(pages):
    """A short page is allowed only at a chapter's end (each chapter starts on a new page)."""

    def lines(text):
        return [line for line in text.splitlines() if line.strip()]

    # extract_text lists the running header (the chapter title) and then "Page n of N" last.
    headers = [lines(text)[-2] if len(lines(text)) >= 2 else "" for text in pages]
    for index in range(2, len(pages)):
        body = lines(pages[index])[:-2]
        chapter_ends = index == len(pages) - 1 or headers[index] != headers[index + 1]
        if len(body) < 6:
            assert chapter_ends, f"page {index + 1} holds only {len(body)} lines mid-chapter: {body}"


@pytest.mark.build
def test_every_page_loads_the_print_and_web_wording_stylesheet(built_site):
    for src in ("index.md", "glossary.md", "about.md"):
        links = [link.get("href", "") for link in built_site.soup(src).select('link[rel="stylesheet"]')]
        assert any(href.endswith("assets/stylesheets/media.css") for href in links), (src, links)


@pytest.mark.build
def test_marked_wording_reaches_only_its_medium(built_site, pages):
    whole = _flat("\n".join(pages))
    web_only, print_only = [], []
    for src in _chapter_sources():
        article = built_site.soup(src).find("article")
        for kind, found in ((".web-only", web_only), (".print-only", print_only)):
            found += [_in_context(el) for el in article.select(kind)]
    if not web_only and not print_only:
        pytest.skip("no page marks web-only or print-only wording yet")
    for text in web_only:
        assert text not in whole, f"web-only wording in the PDF: {text!r}"
    for text in print_only:
        assert text in whole, f"print-only wording missing from the PDF: {text!r}"


def _in_context(element, around: int = 24) -> str:
    """A marked element's words as its own medium reads them: with up to ``around``
    characters of the sentence on each side, the other medium's wording left out (a
    one-word span such as "page" alone would match anywhere in the PDF)."""
    block = element.find_parent(["p", "li", "h1", "h2", "h3", "td"]) if element.name == "span" else None
    if block is None:
        return _flat(element.get_text())
    token = "\ue000"
    mine = "print-only" if "print-only" in element.get("class", []) else "web-only"
    other = "web-only" if mine == "print-only" else "print-only"
    copy = BeautifulSoup(str(block), "html.parser")
    for el in copy.select(f".{other}"):
        el.decompose()
    for el in copy.select(f".{mine}"):
        if _flat(el.get_text()) == _flat(element.get_text()):
            el.replace_with(token + el.get_text() + token)
            break
    text = _flat(copy.get_text())
    start, end = text.index(token), text.rindex(token)
    return _flat(text[max(0, start - around) : end + 1 + around].replace(token, ""))


@pytest.mark.build
def test_pdf_is_published_without_its_template_sources(built_site, pdf_path):
    assert not (built_site.path / "pdf" / "cover.html.j2").exists()
    assert pdf_path.stat().st_size > 20_000
