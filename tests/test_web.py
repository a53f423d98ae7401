"""The web reader's page: care cards, review lines, quiet abbreviations, the glossary,
sharing tags and the theme's words (issues 11, 13 and 18).

Three levels: unit tests on strings (``ivig_tools.carecards``, ``ivig_tools.vocabulary``),
a strict build of a one-page fixture site (``tests/fixtures/web``) with the real theme
overrides, stylesheet and hook, and assertions on the real built site (``built_site``).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, content_pages, run_mkdocs_build
from ivig_tools import carecards
from ivig_tools.terms import abbreviation_of, load_config, speller_for
from ivig_tools.vocabulary import first_use_abbreviations, glossary_markdown

FIXTURE = ROOT / "tests" / "fixtures" / "web"


def real_config() -> dict:
    from mkdocs.utils.yaml import get_yaml_loader

    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        return yaml.load(f, Loader=get_yaml_loader())  # MkDocs' own loader (!ENV)


def build_fixture_site(folder: Path, *, extra: dict | None = None, page: str | None = None) -> Path:
    """Build tests/fixtures/web with the real theme, stylesheet and page hook; return the site.

    ``extra`` is merged over the real ``extra:`` settings (``report_email``, say); ``page``
    replaces the fixture page's text.
    """
    real = real_config()
    docs = folder / "docs"
    shutil.copytree(FIXTURE, docs)
    if page is not None:
        (docs / "index.md").write_text(page, encoding="utf-8")
    for sheet in real["extra_css"]:  # every stylesheet the real site loads
        (docs / sheet).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs" / sheet, docs / sheet)
    theme = dict(real["theme"], custom_dir=str(ROOT / "overrides"))
    config = {
        "site_name": "Fixture",
        "site_url": "https://example.org/fixture/",
        "theme": theme,
        "plugins": ["search"],
        "hooks": [str(ROOT / "hooks" / "page_hooks.py")],
        "markdown_extensions": [e for e in real["markdown_extensions"] if "snippets" not in str(e)],
        "extra_css": real["extra_css"],
        "extra": {**(real.get("extra") or {}), **(extra or {})},
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = run_mkdocs_build(folder / "site", config=path)
    if result.returncode != 0:
        raise AssertionError(f"the fixture site did not build:\n{result.stdout}\n{result.stderr}")
    return folder / "site"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("web-fixture"))


def fixture_soup(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")


# --- Care cards: unit ------------------------------------------------------------------

CARD_HTML = '<div class="admonition {kind}">\n<p class="admonition-title">{title}</p>\n<p>Body.</p>\n</div>'


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("emergency", "Emergency: call now"),
        ("urgent", "Urgent: call your care team today"),
        ("next-visit", "Mention it at your next visit"),
    ],
)
def test_each_care_level_gets_its_label_as_text_before_the_title(kind, label):
    out = carecards.render_care_cards(CARD_HTML.format(kind=kind, title="Signs of a clot"))
    title = BeautifulSoup(out, "html.parser").select_one(".admonition-title")
    assert title.select_one(".ivig-care__level").get_text() == label
    assert title.get_text(" ", strip=True) == f"{label} Signs of a clot"
    card = title.parent
    assert card["id"] == "care-signs-of-a-clot"
    assert {"admonition", kind, "ivig-care", f"ivig-care--{kind}"} <= set(card["class"])


def test_a_card_without_a_title_shows_the_label_alone():
    out = carecards.render_care_cards(CARD_HTML.format(kind="next-visit", title="Next-visit"))
    title = BeautifulSoup(out, "html.parser").select_one(".admonition-title")
    assert title.get_text(strip=True) == "Mention it at your next visit"
    assert title.parent["id"] == "care-mention-it-at-your-next-visit"


def test_two_cards_with_one_title_get_different_anchors():
    html = CARD_HTML.format(kind="urgent", title="Fever") * 2 + '<h2 id="care-fever-3">x</h2>'
    ids = [
        d["id"] for d in BeautifulSoup(carecards.render_care_cards(html), "html.parser").select(".ivig-care")
    ]
    assert ids == ["care-fever", "care-fever-2"]


def test_other_admonitions_are_left_alone():
    html = CARD_HTML.format(kind="warning", title="Emergency: call now") + CARD_HTML.format(
        kind="note", title="Still being checked"
    )
    assert carecards.render_care_cards(html) == html


def test_markup_in_the_title_is_kept_and_left_out_of_the_anchor():
    out = carecards.render_care_cards(CARD_HTML.format(kind="urgent", title="Signs of <em>hemolysis</em>"))
    soup = BeautifulSoup(out, "html.parser")
    assert soup.select_one(".ivig-care__title em").get_text() == "hemolysis"
    assert soup.select_one(".ivig-care")["id"] == "care-signs-of-hemolysis"


# --- Review dates: unit ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 22), 24, dt.date(2028, 11, 22)),
        (dt.date(2024, 2, 29), 24, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
        (dt.date(2026, 6, 30), 18, dt.date(2027, 12, 30)),
    ],
)
def test_next_review_adds_whole_months(day, months, expected):
    assert carecards.add_months(day, months) == expected


def test_review_line_reads_the_date_and_says_it_in_words():
    line = carecards.review_line(dt.date(2026, 11, 22), 24)
    assert (line.reviewed_display, line.next_due_display) == ("22 November 2026", "22 November 2028")
    assert carecards.review_line("2026-03-05", 24).reviewed_display == "5 March 2026"
    assert carecards.review_line(None, 24) is None
    assert carecards.review_line("soon", 24) is None


def test_the_interval_is_the_one_the_lint_enforces():
    rule_data = yaml.safe_load((ROOT / "hooks" / "data" / "medical_terms.yaml").read_text(encoding="utf-8"))
    assert carecards.review_interval_months(rule_data) == rule_data["review"]["max_age_months"]


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"review": {}},
        {"review": {"max_age_months": "24"}},
        {"review": {"max_age_months": 0}},
        {"review": {"max_age_months": True}},
    ],
)
def test_a_missing_or_bad_interval_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="max_age_months"):
        carecards.review_interval_months(bad)


def test_the_review_meaning_claims_no_clinical_sign_off():
    words = carecards.REVIEW_MEANING.lower()
    assert "checked against its sources by the editors" in words
    for claim in ("clinic", "doctor", "medical", "approved", "signed", "expert", "verified"):
        assert claim not in words


# --- Abbreviations: unit ---------------------------------------------------------------


def _abbr(text: str) -> str:
    return f'<abbr title="x">{text}</abbr>'


def test_only_the_first_use_in_running_text_keeps_its_mark():
    html = f"<p>{_abbr('IVIG')} and {_abbr('IVIG')}, {_abbr('CIDP')}</p><p>{_abbr('CIDP')}</p>"
    assert first_use_abbreviations(html) == f"<p>{_abbr('IVIG')} and IVIG, {_abbr('CIDP')}</p><p>CIDP</p>"


@pytest.mark.parametrize(
    "context",
    [
        "<h2>{}</h2>",
        '<h3 id="x">About <em>{}</em></h3>',
        '<a href="#x">{}</a>',
        '<div class="footnote"><ol><li><p>{}</p></li></ol></div>',
        '<div class="ivig-references"><ol><li>{}</li></ol></div>',
    ],
)
def test_no_mark_inside_a_heading_link_or_reference_list(context):
    html = context.format(_abbr("CIDP")) + f"<p>Then {_abbr('CIDP')}.</p>"
    out = first_use_abbreviations(html)
    assert out == context.format("CIDP") + f"<p>Then {_abbr('CIDP')}.</p>"


def test_void_and_unclosed_elements_do_not_confuse_the_context():
    html = f'<h2>A<br>B</h2><p>x<img src="a.png"> {_abbr("GBS")}<br/> {_abbr("GBS")}</p>'
    assert (
        first_use_abbreviations(html) == f'<h2>A<br>B</h2><p>x<img src="a.png"> {_abbr("GBS")}<br/> GBS</p>'
    )
    assert first_use_abbreviations("<p>no marks at all</p>") == "<p>no marks at all</p>"


# --- The fixture site: theme, stylesheet and hook together -------------------------------


@pytest.mark.build
def test_fixture_cards_render_with_labels_and_anchors(fixture_site):
    soup = fixture_soup(fixture_site)
    cards = soup.select("div.ivig-care")
    assert [c["id"] for c in cards] == [
        "care-signs-of-a-severe-allergic-reaction",
        "care-signs-of-a-kidney-problem",
        "care-mild-headache-after-an-infusion",
        "care-emergency-call-now",
    ]
    labels = [c.select_one(".ivig-care__level").get_text() for c in cards]
    assert labels == [
        "Emergency: call now",
        "Urgent: call your care team today",
        "Mention it at your next visit",
        "Emergency: call now",
    ]
    note = soup.select_one("div.admonition.note")
    assert "ivig-care" not in note["class"]


@pytest.mark.build
def test_fixture_review_line_adds_the_lint_interval(fixture_site):
    line = fixture_soup(fixture_site).select_one(".ivig-reviewed")
    times = line.find_all("time")
    assert [t["datetime"] for t in times] == ["2024-02-29", "2026-02-28"]
    text = " ".join(line.get_text(" ").split())
    assert "Page last reviewed: 29 February 2024 · Next review due: 28 February 2026" in text
    assert "checked against its sources by the editors" in text


@pytest.mark.build
def test_fixture_abbreviation_marked_once(fixture_site):
    soup = fixture_soup(fixture_site)
    marks = soup.select("article abbr")
    assert [m.get_text() for m in marks] == ["IVIG"]
    assert marks[0].find_parent("p").get_text().startswith("Intravenous immunoglobulin (IVIG)")


# --- Glossary: every term used, every abbreviation defined, US spelling ---------------------

# Pages whose words are not the guide's own prose: the glossary itself, the generated
# References page and the contributor guide (which quotes rules and bad examples).
NOT_PROSE = {"glossary.md", "references.md", "contributing.md"}


def page_prose(path: Path) -> str:
    """A page's Markdown without front matter, code, comments, citations, URLs and abbr lines."""
    from ivig_tools import mdmask

    text = path.read_text(encoding="utf-8")
    end = mdmask.front_matter_end(text)
    text = text[end:] if end else text
    chars = list(text)
    for a, b in mdmask.code_spans(text):
        chars[a:b] = " " * (b - a)
    text = "".join(chars)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL)
    text = re.sub(r"\[@[^\]]*\]", " ", text)
    text = re.sub(r"\]\([^)]*\)", "] ", text)
    text = re.sub(r"https?://\S+", " ", text)
    return re.sub(r"^\*\[.*$", " ", text, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def prose() -> dict[str, str]:
    return {
        p.relative_to(ROOT / "docs").as_posix(): page_prose(p)
        for p in sorted((ROOT / "docs").rglob("*.md"))
        if p.relative_to(ROOT / "docs").as_posix() not in NOT_PROSE
    }


def _used(form: str, text: str) -> bool:
    """``form`` occurs as a word (plurals too); abbreviations and names in their own case."""
    if sum(ch.isupper() for ch in form) >= 2:
        return re.search(rf"(?<![\w-]){re.escape(form)}s?(?![\w-])", text) is not None
    word = rf"{re.escape(form[:-1])}(?:y|ies)" if form.endswith("y") else rf"{re.escape(form)}(?:s|es)?"
    return re.search(rf"(?<![\w-]){word}(?![\w-])", text, re.IGNORECASE) is not None


def test_every_glossary_term_is_used_on_some_page(prose):
    config = load_config()
    everything = "\n".join(prose.values())
    unused = [
        v.heading
        for v in config.vocabulary
        if not any(_used(f, everything) for f in (v.heading, v.abbr, v.expansion, *v.also) if f)
    ]
    assert unused == [], (
        f"no page uses these glossary terms: {unused}; remove them from `vocabulary:` in "
        "hooks/data/medical_terms.yaml (or use them on a page)"
    )


def test_every_abbreviation_a_page_uses_is_in_the_glossary(prose):
    """Abbreviations as the medical-term lint recognises them (its own rule), minus its allowlist."""
    config = load_config()
    speller = speller_for(config)
    known = {v.abbr for v in config.vocabulary if v.abbr}
    missing: dict[str, list[str]] = {}
    for name, text in prose.items():
        for token in sorted(set(re.findall(r"[A-Z][A-Za-z0-9]*", text))):
            abbr = abbreviation_of(token, config, speller)
            if abbr and abbr not in known:
                missing.setdefault(abbr, []).append(name)
    assert missing == {}, (
        f"abbreviations used on pages but missing from the glossary: {missing}; add them to "
        "`vocabulary:` in hooks/data/medical_terms.yaml"
    )


def test_the_abbreviation_check_would_catch_a_new_one(tmp_path):
    """The twin of the test above: a page using an unknown abbreviation is caught."""
    page = tmp_path / "x.md"
    page.write_text("---\ntitle: X\n---\n\nThe XQZR trial, `ABCD` in code, [@key2020].\n", encoding="utf-8")
    config = load_config()
    found = {
        abbreviation_of(t, config, speller_for(config))
        for t in re.findall(r"[A-Z][A-Za-z0-9]*", page_prose(page))
    }
    assert "XQZR" in found
    assert "ABCD" not in found


# British forms the house style (US English) writes otherwise; reference titles keep theirs.
BRITISH = re.compile(
    r"\b\w*(?:haem|anaem|oedem|leukaem|paediat|oesoph|foetus)\w*"
    r"|\b(?:licence|defence|offence|fibres?|colours?|centres?|behaviours?|favour\w*|"
    r"\w+is(?:e|es|ed|ing|ation|ations)|\w+ys(?:e|ed|es|ing))\b",
    re.IGNORECASE,
)
NOT_BRITISH = {"otherwise", "advise", "advised", "advises", "wise", "rise", "exercise", "promise",
               "surprise", "compromise", "expertise", "precise", "concise", "noise", "raise",
               "raised", "praise", "likewise", "premise", "analyses", "paralysis", "franchise",
               "supervise", "revise", "revised", "devise", "despise", "disease", "diseases",
               "demise", "comprise", "comprises", "enterprise", "bruise", "bruised", "bruising",
               "cruise", "arise", "arises", "arising", "arisen", "poise", "noisy", "raising"}  # fmt: skip


def test_the_glossary_uses_us_spelling():
    config = load_config()
    text = " ".join(f"{v.heading} {v.expansion} {v.definition}" for v in config.vocabulary)
    british = sorted({m.group(0) for m in BRITISH.finditer(text)} - NOT_BRITISH)
    assert british == []
    assert BRITISH.search("It recognises the antigen") is not None  # the check itself works
    assert BRITISH.search("haemolytic anaemia, licence, fibres") is not None


def test_the_glossary_is_a_definition_list_with_letter_links_and_no_headings():
    config = load_config()
    body = glossary_markdown(config)
    soup = BeautifulSoup(body, "html.parser")
    assert not re.search(r"^#", body, re.MULTILINE), "a Markdown heading in the glossary body"
    assert soup.find(re.compile(r"^h[1-6]$")) is None, "terms must not become headings (nor PDF bookmarks)"
    terms = soup.select(".ivig-glossary dl > dt[id^='term-']")
    assert len(terms) == len(config.vocabulary)
    assert len(soup.select(".ivig-glossary dl > dd")) == len(terms)
    letters = [a.get_text() for a in soup.select("nav.ivig-az a")]
    assert letters == sorted(set(letters)) and "A" in letters and "I" in letters
    for a in soup.select("nav.ivig-az a"):
        group = soup.find(id=a["href"].removeprefix("#"))
        assert group is not None
        first = group.select_one("dt").get_text().lstrip()
        assert first[:1].upper() == a.get_text()


# --- The real site ---------------------------------------------------------------------

PAGES = content_pages()


def _front_matter(src_uri: str) -> dict:
    text = (ROOT / "docs" / src_uri).read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    return yaml.safe_load(m.group(1)) if m else {}


@pytest.mark.build
@pytest.mark.parametrize("src_uri", PAGES)
def test_every_page_has_sharing_tags(built_site, src_uri):
    soup = built_site.soup(src_uri)
    meta = _front_matter(src_uri)
    real = real_config()

    def prop(name):
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        assert tag is not None, f"{src_uri}: no {name} tag"
        return tag["content"]

    title = meta["title"]
    assert prop("og:title") == prop("twitter:title") == title
    assert prop("og:description") == prop("twitter:description") == meta["description"]
    assert prop("og:site_name") == real["site_name"]
    assert prop("og:locale") == "en_US"
    assert prop("og:type") == ("website" if src_uri == "index.md" else "article")
    assert prop("og:url") == soup.find("link", rel="canonical")["href"]
    assert prop("og:url").startswith(real["site_url"])
    assert prop("twitter:card") == "summary"
    for tag in soup.find_all("meta", attrs={"property": re.compile("^og:")}):
        if tag["property"] != "og:url":
            assert "://" not in tag["content"], "a sharing tag points at another site"
    page_title = soup.title.get_text()
    assert page_title.count(real["site_name"]) == 1, f"{src_uri}: <title> {page_title!r}"


@pytest.mark.build
def test_home_title_does_not_repeat_the_site_name(built_site):
    assert built_site.soup("index.md").title.get_text() == real_config()["site_name"]
    assert built_site.soup("side-effects.md").title.get_text() == "Side effects and safety - IVIG guide"
    not_found = BeautifulSoup((built_site.path / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert not_found.title.get_text() == "Page not found - IVIG guide"
    assert not_found.find("h1").get_text() == "Page not found"


@pytest.mark.build
@pytest.mark.parametrize("src_uri", PAGES)
def test_every_page_has_a_review_line_with_the_next_date(built_site, src_uri):
    meta = _front_matter(src_uri)
    months = load_config().data["review"]["max_age_months"]
    line = built_site.soup(src_uri).select_one("aside.ivig-page-meta .ivig-reviewed")
    reviewed = carecards.as_date(meta["reviewed"])
    due = carecards.add_months(reviewed, months)
    assert [t["datetime"] for t in line.find_all("time")] == [reviewed.isoformat(), due.isoformat()]
    text = " ".join(line.get_text(" ").split())
    last, next_due = carecards.display_date(reviewed), carecards.display_date(due)
    assert f"Page last reviewed: {last} · Next review due: {next_due}" in text
    assert "Reviewed means this page was checked against its sources by the editors." in text


@pytest.mark.build
@pytest.mark.parametrize("src_uri", PAGES)
def test_abbreviations_are_marked_once_and_never_in_headings_links_or_sources(built_site, src_uri):
    article = built_site.soup(src_uri).select_one("article")
    marks = article.find_all("abbr")
    texts = [m.get_text() for m in marks]
    assert len(texts) == len(set(texts)), f"{src_uri}: marked more than once: {texts}"
    for m in marks:
        assert m.find_parent(re.compile(r"^(h[1-6]|a)$")) is None, f"{src_uri}: {m} in a heading or link"
        assert m.find_parent(class_=re.compile(r"^(footnote|ivig-references)$")) is None


@pytest.mark.build
def test_a_page_that_uses_abbreviations_still_marks_them(built_site):
    """The twin of the test above: the first use keeps its tooltip."""
    marks = built_site.soup("does-it-work.md").select("article abbr[title]")
    assert {"IVIG", "CIDP"} <= {m.get_text() for m in marks}


@pytest.mark.build
@pytest.mark.parametrize("src_uri", PAGES)
def test_care_cards_on_the_real_pages_say_their_level(built_site, src_uri):
    soup = built_site.soup(src_uri)
    for kind, level in carecards.CARE_LEVELS.items():
        for card in soup.select(f"div.admonition.{kind}"):
            assert "ivig-care" in card["class"] and card.get("id", "").startswith("care-")
            assert card.select_one(".admonition-title .ivig-care__level").get_text() == level.label


@pytest.mark.build
def test_contributing_is_out_of_the_navigation_and_in_the_footer(built_site):
    soup = built_site.soup("side-effects.md")
    nav = soup.select_one("nav.md-nav--primary")
    assert "contributing" not in " ".join(a.get("href", "") for a in nav.find_all("a"))
    assert "Contributing" not in nav.get_text()
    link = soup.select_one("footer a.ivig-contributing-link")
    assert link["href"] == "../contributing/"
    assert (built_site.path / "contributing" / "index.html").is_file()


@pytest.mark.build
def test_the_local_preview_address_is_not_a_live_link(built_site):
    soup = built_site.soup("contributing.md")
    assert "127.0.0.1:8000" in soup.select_one("article").get_text()
    assert soup.select('a[href*="127.0.0.1"]') == []


@pytest.mark.build
def test_page_actions_are_in_words(built_site):
    actions = built_site.soup("side-effects.md").select_one("article .ivig-page-actions")
    words = [" ".join(a.get_text().split()) for a in actions.find_all("a")]
    assert words == ["Report an error", "Edit this page"]
    assert actions.select("a[href^='mailto:']") == []  # no address configured, none invented


@pytest.mark.build
def test_a_configured_report_address_adds_an_email_link(tmp_path):
    site = build_fixture_site(tmp_path, extra={"report_email": "editors@example.org"})
    soup = fixture_soup(site)
    mail = soup.select_one("article .ivig-page-actions a.ivig-report-email")
    assert mail is not None and " ".join(mail.get_text().split()) == "Report an error"
    href = mail["href"]
    assert href.startswith("mailto:editors@example.org?subject=")
    assert "https%3A//example.org/fixture/" in href


@pytest.mark.build
def test_the_offline_404_page_uses_relative_addresses(built_site, offline_copy):
    page = (offline_copy.site_dir / "404.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    local = [t.get("href") or t.get("src") for t in soup.find_all(["link", "script", "a"])]
    local = [u for u in local if u and "://" not in u and not u.startswith(("mailto:", "#"))]
    assert local, "no local links on the 404 page"
    assert [u for u in local if u.startswith("/")] == []
    assert '"base": "."' in page


def test_a_collapsible_care_card_is_reported():
    html = '<details class="emergency"><summary>Signs</summary><p>x</p></details>'
    assert carecards.collapsed_cards(html) == ["emergency"]
    assert carecards.collapsed_cards('<details class="note"><summary>x</summary></details>') == []


@pytest.mark.build
def test_a_collapsible_care_card_fails_the_strict_build(tmp_path):
    page = (FIXTURE / "index.md").read_text(encoding="utf-8")
    page = page.replace("*[IVIG]:", '??? urgent "Hidden"\n    Hidden advice.\n\n*[IVIG]:')
    with pytest.raises(AssertionError, match=r"'urgent' care card is collapsible"):
        build_fixture_site(tmp_path, page=page)


# --- The PDF and the offline copy --------------------------------------------------------------


@pytest.mark.build
def test_glossary_terms_are_not_pdf_bookmarks(built_site):
    from pypdf import PdfReader

    reader = PdfReader(built_site.path / "pdf" / "ivig-guide.pdf")

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    # The Glossary chapter's own bookmarks (another chapter may have a section that happens to
    # share a term's name, such as "Kawasaki disease" on "Does it work?").
    outline = reader.outline
    top = [item.title.strip().casefold() if not isinstance(item, list) else None for item in outline]
    assert "glossary" in top
    at = top.index("glossary")
    children = outline[at + 1] if at + 1 < len(outline) and isinstance(outline[at + 1], list) else []
    bookmarks = {t.strip().casefold() for t in titles(children)}
    terms = {v.heading.casefold() for v in load_config().vocabulary}
    assert sorted(terms & bookmarks) == []


def test_relative_404_rewrites_site_absolute_addresses(tmp_path):
    from build_offline import relative_404

    (tmp_path / "404.html").write_text(
        '<link href="/guide/assets/main.css"><script>__md_scope=new URL("/guide/",location)</script>'
        '<a href="/guide/index.html">x</a><a href="https://example.org/guide/">y</a>'
        '<script id="__config">{"base": "/guide/", "search": "/guide/assets/w.js"}</script>',
        encoding="utf-8",
    )
    assert relative_404(tmp_path) == 5
    assert (tmp_path / "404.html").read_text(encoding="utf-8") == (
        '<link href="./assets/main.css"><script>__md_scope=new URL(".",location)</script>'
        '<a href="./index.html">x</a><a href="https://example.org/guide/">y</a>'
        '<script id="__config">{"base": ".", "search": "./assets/w.js"}</script>'
    )
    assert relative_404(tmp_path) == 0  # already relative
    assert relative_404(tmp_path / "missing") == 0
