"""What the guide tells readers: the evidence corrections, the safety content and the pages a
patient expects, asserted on the real strict build (issue-level promises, not wording)."""

from __future__ import annotations

import re

import pytest
from conftest import content_pages

pytestmark = pytest.mark.build

EMERGENCY_NUMBERS = {"911": "US", "999": "UK", "112": "European Union"}


def _article(built_site, src_uri: str):
    article = built_site.soup(src_uri).find("article")
    assert article is not None, f"{src_uri} has no <article>"
    return article


def _text(node) -> str:
    return " ".join(node.get_text(" ").split())


def _section(article, heading: str):
    """The elements under the heading whose text starts with ``heading``, up to the next heading."""
    for h in article.find_all(["h2", "h3"]):
        if _text(h).startswith(heading):
            level = int(h.name[1])
            parts = []
            for sib in h.find_next_siblings():
                if sib.name in {f"h{n}" for n in range(1, level + 1)}:
                    break
                parts.append(sib)
            return parts
    raise AssertionError(f"no heading starting {heading!r}")


def _cites(node) -> list[str]:
    return [a["href"].split("cite-", 1)[1] for a in node.select('a.footnote-ref[href*="cite-"]')]


# --- evidence corrections (issue 9) ------------------------------------------------------------


def test_vaccine_timing_follows_cdc_not_the_seed(built_site):
    article = _article(built_site, "side-effects.md")
    text = _text(article)
    assert "12 weeks" not in text and "1 month after" not in text
    section = _section(article, "Vaccines")
    section_text = " ".join(_text(p) for p in section)
    for months in ("8 months", "10 months", "11 months", "14 days"):
        assert months in section_text
    assert "Non-live vaccines" in section_text
    assert "cdc_timing" in [k for p in section for k in _cites(p)]
    assert "care team" in section_text


def test_us_labelled_uses_are_each_cited_and_measles_is_not_among_them(built_site):
    article = _article(built_site, "what-it-treats.md")
    heading = article.find(lambda t: t.name == "p" and _text(t).startswith("In the US, the labels"))
    assert heading is not None
    us_list = heading.find_next_sibling("ul")
    items = us_list.find_all("li", recursive=False)
    assert len(items) >= 6
    for li in items:
        assert _cites(li), f"labelled use without a citation: {_text(li)!r}"
        assert "measles" not in _text(li).lower()
        assert "Kawasaki" not in _text(li)
    after = _text(us_list.find_next_sibling("p"))
    assert "measles" in after and "gamastan_label" in _cites(us_list.find_next_sibling("p"))


def test_liver_is_a_short_lived_test_rise_not_damage(built_site):
    text = _text(_article(built_site, "side-effects.md"))
    assert "damage the liver" not in text
    assert "short-lived rise in liver blood test results" in text


def test_smaller_corrections(built_site):
    does = _text(_article(built_site, "does-it-work.md"))
    assert "percentage points" in does
    assert "large trial" not in does.lower()
    assert "For most of the conditions it is used for" not in does
    for page in content_pages():
        assert "extremely rare" not in _text(_article(built_site, page))


def test_hooper_never_carries_a_fact_alone(built_site):
    for page in content_pages():
        for sup in _article(built_site, page).select('sup[id^="fnref"]'):
            if getattr(sup.previous_sibling, "name", None) == "sup":
                continue  # not the first of a group of adjacent citations
            group = [sup]
            nxt = sup.next_sibling
            while getattr(nxt, "name", None) == "sup":
                group.append(nxt)
                nxt = nxt.next_sibling
            keys = [k for s in group for k in _cites(s)]
            assert keys != ["hooper2008"], f"{page}: a sentence rests on hooper2008 alone"


def test_anaphylaxis_box_lists_its_signs(built_site):
    article = _article(built_site, "side-effects.md")
    card = article.select_one(".admonition.emergency")
    assert card is not None
    text = _text(card).lower()
    for sign in ("breathing", "wheez", "swelling", "hives", "faint"):
        assert sign in text
    assert _cites(card)


# --- safety gaps (issue 18) ----------------------------------------------------------------------


def test_maltose_warning_is_where_a_reader_with_diabetes_looks_and_is_cited(built_site):
    before = _article(built_site, "before-you-start.md")
    section = _section(before, "If you have diabetes")
    text = " ".join(_text(p) for p in section)
    assert "maltose" in text and "falsely high" in text and "insulin" in text
    keys = {k for p in section for k in _cites(p)}
    assert "fda_glucose_2009" in keys
    day = _text(_article(built_site, "having-an-infusion.md"))
    assert "If you have diabetes" in day
    assert _article(built_site, "having-an-infusion.md").find(
        "a", href=re.compile(r"before-you-start/#if-you-have-diabetes")
    )


@pytest.mark.parametrize("src_uri", content_pages())
def test_no_page_names_only_one_countrys_emergency_number(built_site, src_uri):
    text = _text(_article(built_site, src_uri))
    named = {n for n in EMERGENCY_NUMBERS if re.search(rf"\b{n}\b", text)}
    if named:
        assert named == set(EMERGENCY_NUMBERS), f"{src_uri} names only {sorted(named)}"


def test_about_page_says_plainly_that_no_clinician_has_signed_off(built_site):
    text = _text(_article(built_site, "about.md"))
    assert "No doctor, nurse or pharmacist has yet checked and signed off" in text
    assert "checked the page against its sources" in text


def test_home_infusion_says_what_to_do_and_whom_to_call(built_site):
    article = _article(built_site, "having-an-infusion.md")
    section = " ".join(_text(p) for p in _section(article, "Infusions at home"))
    assert "stop the infusion" in section and "care team" in section and "emergency number" in section
    help_page = " ".join(
        _text(p) for p in _section(_article(built_site, "when-to-get-help.md"), "If it happens at home")
    )
    assert "whom to call" in help_page


def test_regular_ivig_vaccines_are_planned_with_the_care_team(built_site):
    section = _section(_article(built_site, "side-effects.md"), "Vaccines")
    text = " ".join(_text(p) for p in section)
    assert "regular schedule" in text and "Plan every vaccine with your care team" in text


# --- what patients expect (issue 11) -------------------------------------------------------------


def test_when_to_get_help_has_three_levels_in_words(built_site):
    article = _article(built_site, "when-to-get-help.md")
    for kind, label in (
        ("emergency", "Emergency: call now"),
        ("urgent", "Urgent: call your care team today"),
        ("next-visit", "Mention it at your next visit"),
    ):
        cards = article.select(f".admonition.{kind}")
        assert cards, f"no {kind} card"
        for card in cards:
            assert label in _text(card.select_one(".admonition-title"))
            assert _cites(card), f"a {kind} card cites nothing"
    titles = " ".join(_text(t) for t in article.select(".admonition-title")).lower()
    for topic in ("allergic", "clot", "kidney", "meningitis", "hemolysis", "breathing"):
        assert topic in titles


@pytest.mark.parametrize("src_uri", ["side-effects.md", "having-an-infusion.md", "before-you-start.md"])
def test_pages_about_side_effects_link_to_when_to_get_help(built_site, src_uri):
    assert _article(built_site, src_uri).find("a", href=re.compile(r"when-to-get-help/"))


@pytest.mark.parametrize(
    ("src_uri", "heading"),
    [
        ("before-you-start.md", "Tell your care team if you"),
        ("having-an-infusion.md", "On the day"),
        ("having-an-infusion.md", "How SCIG is given"),
        ("does-it-work.md", "Primary immunodeficiency"),
        ("does-it-work.md", "Immune thrombocytopenia"),
        ("does-it-work.md", "Kawasaki disease"),
        ("does-it-work.md", "Guillain-Barré syndrome"),
    ],
)
def test_patient_sections_exist_and_are_cited(built_site, src_uri, heading):
    section = _section(_article(built_site, src_uri), heading)
    assert any(_cites(p) for p in section), f"{src_uri} § {heading} cites nothing"


def test_questions_page_is_a_list_to_take_along(built_site):
    article = _article(built_site, "questions-to-ask.md")
    assert len(article.select("li")) >= 10


def test_support_page_names_at_least_three_organizations_with_cited_addresses(built_site):
    article = _article(built_site, "support.md")
    links = [
        a
        for a in article.select("a[href^='https://']")
        if a.get_text().strip() in a["href"] and a.find_parent(class_="footnote") is None
    ]
    assert len(links) >= 3
    for a in links:
        assert _cites(a.find_parent("p")), f"{a['href']} is not cited to a page that names it"


def test_every_web_source_has_an_address_and_the_day_it_was_read():
    from conftest import ROOT
    from pybtex.database import parse_file

    bib = parse_file(str(ROOT / "references.bib"))
    for key, entry in bib.entries.items():
        if entry.type.lower() == "online":
            assert entry.fields.get("url", "").startswith(("http://", "https://")), f"{key} has no url"
            read_on = entry.fields.get("urldate", "")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", read_on), f"{key} has no urldate"


def test_glossary_and_side_effects_define_aseptic_meningitis_alike(built_site):
    glossary = _text(_article(built_site, "glossary.md"))
    side_effects = _text(_article(built_site, "side-effects.md"))
    for text in (glossary, side_effects):
        pattern = r"aseptic meningitis.{0,80}lining around the brain.{0,60}not caused by an infection"
        assert re.search(pattern, text, re.IGNORECASE)
