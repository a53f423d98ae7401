"""A strict build of the real site, PDF included, and what a reader finds in it."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import DOCS, ROOT, content_pages
from ivig_tools.mdmask import FRONT_MATTER_RE
from pybtex.database import parse_file

pytestmark = pytest.mark.build

# Pages with no factual claims of their own: generated lists, the project pages, and a list of
# questions for the reader to ask.
UNCITED_PAGES = {"glossary.md", "references.md", "contributing.md", "about.md", "questions-to-ask.md"}
CITED_PAGES = [p for p in content_pages() if p not in UNCITED_PAGES]

# Traces of the scraped source texts that must never reach a reader.
SCRAPE_DAMAGE = [
    "Getty Images",
    "Willowpix",
    "Hospital patient clasped hands",
    "asantibodies",
    "detectsantigens",
    "ofhealthy",
    "donorsto",
    "youve",
    "The results showed:",
    "2019 Aug 8;7:295",
    "Immunol Allergy Clin North Am.\n",
    "antibodies known as Natural Killer",
    "UpToDate.Patient",
    "Hooper JA.Intravenous",
]


def _article(soup):
    article = soup.find("article")
    assert article is not None, "the page has no <article>"
    return article


def _text(soup) -> str:
    """Visible text of a page's article."""
    return " ".join(_article(soup).get_text(" ").split())


def _reference_item(soup, key: str):
    anchor = soup.find("span", id=f"ref-{key}")
    assert anchor is not None, f"{key} is not on the References page"
    return anchor.find_parent("li")


def _front_matter(src_uri: str) -> dict:
    text = (DOCS / src_uri).read_text(encoding="utf-8")
    m = FRONT_MATTER_RE.match(text)
    assert m, f"{src_uri} has no front matter"
    return yaml.safe_load(m.group(1)) or {}


@pytest.fixture(scope="module")
def bib():
    return parse_file(str(ROOT / "references.bib"))


# --- the source pages ----------------------------------------------------------------


@pytest.mark.parametrize("src_uri", content_pages())
def test_every_page_has_title_description_and_review_date(src_uri):
    meta = _front_matter(src_uri)
    assert meta.get("title"), f"{src_uri}: front matter needs a title"
    assert 20 <= len(str(meta.get("description", ""))) <= 160, f"{src_uri}: description of 20-160 characters"
    assert meta.get("reviewed"), f"{src_uri}: front matter needs a reviewed date"


# --- the built pages -----------------------------------------------------------------------


@pytest.mark.parametrize("src_uri", content_pages())
def test_every_page_shows_its_review_date_disclaimer_and_pdf_link(built_site, src_uri):
    soup = built_site.soup(src_uri)
    meta = _front_matter(src_uri)
    reviewed = soup.select_one(".ivig-reviewed time")
    assert reviewed is not None and reviewed["datetime"] == str(meta["reviewed"])
    disclaimer = soup.select_one(".ivig-disclaimer")
    assert disclaimer is not None and "not medical advice" in disclaimer.get_text()
    pdf = soup.select_one("a.ivig-pdf-link")
    assert pdf is not None and pdf["href"].endswith("pdf/ivig-guide.pdf")
    assert soup.find("meta", attrs={"name": "description"})["content"] == meta["description"]


@pytest.mark.parametrize("src_uri", CITED_PAGES)
def test_content_pages_cite_sources_that_resolve_in_their_reference_list(built_site, src_uri):
    soup = built_site.soup(src_uri)
    cites = soup.select('sup[id^="fnref"] a.footnote-ref[href^="#fn:cite-"]')
    assert cites, f"{src_uri} cites nothing"
    for a in cites:
        target = soup.find(id=a["href"][1:])
        assert target is not None and target.name == "li", f"{src_uri}: {a['href']} has no reference entry"
        assert target.get_text(strip=True), f"{src_uri}: {a['href']} is empty"


@pytest.mark.parametrize("src_uri", content_pages())
def test_no_raw_citation_or_pandoc_markup_reaches_the_reader(built_site, src_uri):
    soup = built_site.soup(src_uri)
    article = _article(soup)
    for code in article.find_all(["code", "pre"]):
        code.decompose()
    html = str(article)
    for leftover in (
        "[@",
        "[^cite-",
        "{.nocase}",
        "\\bibliography",
        "<!-- references -->",
        "<!-- glossary -->",
    ):
        assert leftover not in html, f"{src_uri}: {leftover!r} left in the page"


@pytest.mark.parametrize("src_uri", content_pages())
def test_no_scrape_damage_anywhere(built_site, src_uri):
    text = _text(built_site.soup(src_uri))
    for damage in SCRAPE_DAMAGE:
        assert damage not in text, f"{src_uri}: scrape damage {damage!r}"


def test_contributing_page_shows_the_citation_syntax_literally(built_site):
    # CONTRIBUTING.md (included through a snippet) shows the syntax in code; the
    # protection of code from mkdocs-bibtex itself is proved by the fixture build below.
    soup = built_site.soup("contributing.md")
    assert "[@key]" in [c.get_text() for c in soup.find_all("code")]
    assert soup.find(id="fnref:cite-key") is None


# --- the References page -------------------------------------------------------------------------


def test_references_page_lists_every_entry_in_alphabetical_order(built_site, bib):
    soup = built_site.soup("references.md")
    listed = [span["id"].removeprefix("ref-") for span in soup.select('.ivig-references span[id^="ref-"]')]
    assert sorted(listed) == sorted(bib.entries)

    def first_author(key):
        persons = bib.entries[key].persons.get("author", [])
        name = " ".join(persons[0].last_names) if persons else key
        return name.strip("{}").casefold()

    assert [first_author(k) for k in listed] == sorted(first_author(k) for k in listed)


@pytest.mark.parametrize(
    ("key", "ama_start", "doi"),
    [
        (
            "hooper2008",
            "Hooper JA. Intravenous immunoglobulins: evolution of commercial IVIG preparations.",
            "10.1016/j.iac.2008.06.002",
        ),
        (
            "guo2018",
            "Guo Y, Tian X, Wang X, Xiao Z. Adverse effects of immunoglobulin therapy. "
            "Front Immunol. 2018;9:1299.",
            "10.3389/fimmu.2018.01299",
        ),
        (
            "zahavi2020",
            "Zahavi D, Weiner LM. Monoclonal antibodies in cancer therapy. Antibodies (Basel). 2020;9(3):34.",
            "10.3390/antib9030034",
        ),
    ],
)
def test_references_page_gives_ama_text_and_a_working_doi_link(built_site, key, ama_start, doi):
    item = _reference_item(built_site.soup("references.md"), key)
    assert " ".join(item.p.get_text().split()).startswith(ama_start)
    links = {a["href"]: a.get_text() for a in item.find_all("a")}
    assert links.get(f"https://doi.org/{doi}") == doi


def test_a_title_with_a_percent_sign_renders_whole(built_site):
    item = _reference_item(built_site.soup("references.md"), "hughes2008")
    assert "(10% caprylate-chromatography purified) for the treatment of" in item.get_text()


def test_the_erratum_from_the_registry_shows_next_to_its_entry(built_site):
    item = _reference_item(built_site.soup("references.md"), "hughes2008")
    # AMA wording, at the end of the reference itself (hooks/ivig_tools/references.py).
    text = " ".join(item.p.get_text().split())
    assert text.endswith("Published correction appears in Lancet Neurol. 2008;7(9):771.")


def test_references_link_back_to_each_citing_page(built_site):
    soup = built_site.soup("references.md")
    for src_uri in CITED_PAGES:
        page = built_site.soup(src_uri)
        keys = {sup["id"].split(":cite-", 1)[1] for sup in page.select('sup[id^="fnref:cite-"]')}
        for key in keys:
            hrefs = [a["href"] for a in _reference_item(soup, key).select(".ivig-ref-cited a")]
            stem = src_uri.removesuffix(".md")
            expected = f"../#fnref:cite-{key}" if stem == "index" else f"../{stem}/#fnref:cite-{key}"
            assert expected in hrefs, f"{key}: no link back to {src_uri}"


def test_unverified_entries_say_so_on_the_references_page(built_site, bib):
    soup = built_site.soup("references.md")
    for key, entry in bib.entries.items():
        note = str(entry.fields.get("note", "")).replace("{", "").replace("}", "")
        if note:
            status = _reference_item(soup, key).select_one(".ivig-ref-status")
            assert status is not None and note.rstrip(".") in status.get_text()


# The PDF is tested in tests/test_pdf.py.


def test_the_build_prints_no_traceback(built_site):
    # Strict mode fails on logged warnings and errors; a traceback printed by a plugin that
    # swallowed its exception would not fail it.
    assert "Traceback" not in built_site.log


def test_sources_are_unchanged_by_the_build(built_site):
    # The build reads docs/, references.bib and hooks/data; it must never rewrite them.
    assert built_site.sources_after == built_site.sources_before


# --- a small fixture site with the real hooks ----------------------------------------------------

FIXTURE_PAGE = """---
title: Fixture
description: A page that shows citations in prose and in code.
reviewed: 2026-11-22
---

# Fixture

A cited sentence.[@guo2018] Two sources.[@hughes2008; @zahavi2020]

Inline code keeps `[@guo2018]` and `@zahavi2020` as written.

```text
[@hughes2008] stays literal in a fenced block, and so does mail@example.org.
```
"""


def test_real_hooks_cite_prose_and_leave_code_alone(tmp_path):
    from conftest import run_mkdocs_build

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(FIXTURE_PAGE, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "site_name": "Fixture",
                "theme": {"name": "material", "font": False},
                "plugins": [
                    "search",
                    {
                        "bibtex": {
                            "bib_file": str(ROOT / "references.bib"),
                            "csl_file": str(ROOT / "hooks" / "data" / "american-medical-association.csl"),
                            "footnote_format": "cite-{key}",
                            "enable_inline_citations": False,
                        }
                    },
                ],
                "hooks": [str(ROOT / "hooks" / "doi_check.py"), str(ROOT / "hooks" / "site_hooks.py")],
                "markdown_extensions": ["footnotes", "attr_list", "md_in_html", "pymdownx.superfences"],
            }
        ),
        encoding="utf-8",
    )
    result = run_mkdocs_build(tmp_path / "site", config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    soup = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    codes = [c.get_text() for c in soup.find_all("code")]
    assert "[@guo2018]" in codes
    assert "@zahavi2020" in codes
    assert any("[@hughes2008] stays literal" in c and "mail@example.org" in c for c in codes)
    cites = [a.get_text() for a in soup.select("a.footnote-ref")]
    assert cites == ["1", "2", "3"]
    # "[@hughes2008; @zahavi2020]" reads "2,3".
    sep = soup.select_one("sup.ivig-cite-sep")
    assert sep is not None and sep.get_text() == ","
    hughes = soup.find(id="fn:cite-hughes2008").get_text()
    assert "(10% caprylate-chromatography purified) for the treatment of chronic" in hughes


# --- citations, source lists and the register (hooks/ivig_tools/references.py, register.py) -------


@pytest.mark.parametrize("src_uri", CITED_PAGES)
def test_each_citation_link_is_named_for_its_source(built_site, bib, src_uri):
    soup = built_site.soup(src_uri)
    links = soup.select('sup[id^="fnref"] a.footnote-ref[href^="#fn:cite-"]')
    assert links
    for a in links:
        key = a["href"].removeprefix("#fn:cite-")
        label = a.get("aria-label", "")
        # "Source 3: Guo Y et al. 2018": the visible number, then the first author's family name.
        assert label.startswith(f"Source {a.get_text()}: "), f"{src_uri}: {a} has no source name"
        persons = bib.entries[key].persons.get("author", [])
        family = " ".join(persons[0].prelast_names + persons[0].last_names).strip("{}") if persons else ""
        assert family in label, f"{src_uri}: {label!r} does not name {family!r}"
        year = bib.entries[key].fields.get("year", "")
        assert label.endswith(year), f"{src_uri}: {label!r} does not end with the year {year}"


@pytest.mark.parametrize("src_uri", CITED_PAGES)
def test_each_source_list_has_a_heading_and_one_labelled_back_link_per_source(built_site, src_uri):
    soup = built_site.soup(src_uri)
    sources = soup.select_one("div.footnote.ivig-sources")
    assert sources is not None, f"{src_uri}: no source list"
    heading = sources.select_one("h2.ivig-sources-heading")
    assert heading is not None and heading.select_one(".ivig-cite-screen").get_text() == "this page"
    assert " ".join(heading.get_text(" ").split()).startswith("Sources for this page")
    assert heading.select_one(".ivig-cite-print").get_text() == "this chapter"
    for li in sources.select("ol > li"):
        back = li.select("a.footnote-backref")
        assert len(back) == 1, f"{src_uri}: {li['id']} has {len(back)} back-links"
        assert back[0].get_text() in ("Back to text", "Back to first citation")
        assert back[0]["href"] == "#" + li["id"].replace("fn:", "fnref:", 1)
    assert "\u21a9" not in _article(soup).get_text()


def test_the_citation_stylesheet_is_linked_and_sizes_the_citation_targets(built_site):
    soup = built_site.soup("side-effects.md")
    hrefs = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    assert any(h.endswith("assets/stylesheets/citations.css") for h in hrefs)
    css = (built_site.path / "assets" / "stylesheets" / "citations.css").read_text(encoding="utf-8")
    rule = re.search(r"\.md-typeset a\.footnote-ref \{(.*?)\}", css, re.DOTALL)
    assert rule is not None
    assert "padding:" in rule.group(1) and "margin: 0 -10px" in rule.group(1)
    assert ".admonition.unverified" in css


def test_the_references_page_is_unnumbered_and_says_what_page_numbers_mean(built_site):
    from ivig_tools.references import REFERENCES_INTRO

    soup = built_site.soup("references.md")
    box = soup.select_one("div.ivig-references")
    assert box.find("ol") is None
    assert box.select("ul > li span[id^='ref-']")
    assert " ".join(box.select_one("p.ivig-ref-intro").get_text().split()) == REFERENCES_INTRO


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # AMA 3.5: all authors up to six; more than six, the first three and "et al".
        ("guo2018", "Guo Y, Tian X, Wang X, Xiao Z. Adverse"),
        ("perez2017", "Perez EE, Orange JS, Bonilla F, et al. Update"),
        # The group author is kept, after the named ones.
        ("hughes2008", "Hughes RAC, Donofrio P, Bril V, et al; ICE Study Group. Intravenous"),
        # AMA 3.9: the subtitle as the bibliography writes it.
        ("perez2017", "in human disease: a review of evidence."),
        ("hughes2008", "(ICE study): a randomised placebo-controlled trial."),
    ],
)
def test_references_follow_ama_for_authors_and_subtitles(built_site, key, expected):
    text = " ".join(_reference_item(built_site.soup("references.md"), key).p.get_text().split())
    assert expected in text


def test_web_sources_say_when_they_were_accessed(built_site, bib):
    import datetime as dt

    web = {k: e for k, e in bib.entries.items() if e.fields.get("urldate")}
    if not web:
        pytest.skip("references.bib has no web source with a urldate yet (the fixture site test covers it)")
    soup = built_site.soup("references.md")
    for key, entry in web.items():
        day = dt.date.fromisoformat(entry.fields["urldate"])
        text = " ".join(_reference_item(soup, key).p.get_text().split())
        assert f"Accessed {day:%B} {day.day}, {day.year}." in text, f"{key}: {text}"


def test_the_register_lists_every_unverified_box_in_the_guide(built_site):
    from conftest import page_url
    from ivig_tools import register

    boxes = []
    for src_uri in content_pages():
        found, findings = register.find_boxes((DOCS / src_uri).read_text(encoding="utf-8"), f"docs/{src_uri}")
        assert not findings, [f.format() for f in findings]
        boxes += [(src_uri, b.claim) for b in found]
    about = built_site.soup("about.md")
    rows = about.select(".ivig-register table tbody tr")
    claims = [" ".join(r.find_all("td")[1].get_text().split()) for r in rows]
    # Every box once (the table follows the navigation's order, these pages the alphabet's).
    assert sorted(claims) == sorted(c for _, c in boxes)
    page_of = {claim: src_uri for src_uri, claim in boxes}
    for row, claim in zip(rows, claims, strict=True):
        src_uri = page_of[claim]
        href = row.find("a")["href"]
        page, _, anchor = href.partition("#")
        assert anchor.startswith("unverified-")
        assert page == (f"../{page_url(src_uri)}/" if page_url(src_uri) else "../"), href
        target = built_site.soup(src_uri).find(id=anchor)
        assert target is not None and "unverified" in target["class"], f"{href} does not reach its box"
    if boxes:
        assert "<!-- unverified-register -->" not in built_site.html("about.md")


CITE_SITE = ROOT / "tests" / "fixtures" / "cite-site"


@pytest.fixture(scope="module")
def cite_site(tmp_path_factory):
    import shutil

    from conftest import run_mkdocs_build

    site = tmp_path_factory.mktemp("cite") / "cite-site"
    shutil.copytree(CITE_SITE, site)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("ROOT", str(ROOT)), encoding="utf-8")
    result = run_mkdocs_build(site / "site", config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "site"


def _fixture_reference(site, key: str) -> str:
    soup = BeautifulSoup((site / "references" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return " ".join(soup.find(id=f"ref-{key}").find_parent("li").p.get_text().split())


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "label_page",
            "Food and Drug Administration. Fixture label page: a web source with an access date. "
            "Accessed November 3, 2026. https://www.example.org/fixture-label",
        ),
        ("six2020", "One A, Two B, Three C, Four D, Five E, Six F. Six authors are all listed."),
        ("hooper2008", "Hooper JA. Intravenous immunoglobulins: evolution of commercial IVIG preparations."),
        ("hughes2008", "Hughes RAC, Donofrio P, Bril V, et al; ICE Study Group. Intravenous"),
    ],
)
def test_fixture_site_references_in_ama(cite_site, key, expected):
    assert _fixture_reference(cite_site, key).startswith(expected)


def test_fixture_site_page_list_matches_the_references_page(cite_site):
    soup = BeautifulSoup(
        (cite_site / "side-effects" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    item = soup.find(id="fn:cite-label_page").p
    link = item.select_one("a.footnote-backref")
    assert link.get_text() == "Back to text"
    link.decompose()
    assert " ".join(item.get_text().split()) == _fixture_reference(cite_site, "label_page")


def test_every_title_reads_as_the_bibliography_writes_it(built_site, bib):
    # AMA 3.9: the title's own spelling; pandoc's sentence case must not change a letter
    # (a subtitle after a colon starts lower-case where the bibliography says so).
    from ivig_tools.references import plain_field

    def norm(text: str) -> str:
        for fancy, plain in (
            ("\u2019", "'"),
            ("\u2018", "'"),
            ("\u201c", '"'),
            ("\u201d", '"'),
            ("\u2013", "--"),
        ):
            text = text.replace(fancy, plain)
        return " ".join(text.split())

    soup = built_site.soup("references.md")
    for key, entry in bib.entries.items():
        title = norm(plain_field(entry.fields.get("title", "")))
        text = norm(_reference_item(soup, key).p.get_text())
        assert title in text, f"{key}: {title!r} not in {text!r}"


@pytest.mark.parametrize("src_uri", CITED_PAGES)
def test_the_page_contents_list_its_sources(built_site, src_uri):
    toc = built_site.soup(src_uri).select(
        'nav.md-nav--secondary a.md-nav__link[href="#sources-for-this-page"]'
    )
    # Material shows the page's contents twice (in the drawer on phones, beside the text on desktops).
    assert toc and {" ".join(a.get_text().split()) for a in toc} == {"Sources for this page"}
