"""The register of claims awaiting verification: unit tests on strings and one fixture site build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from ivig_tools import register

ROOT = Path(__file__).resolve().parent.parent
SITE_FIXTURE = ROOT / "tests" / "fixtures" / "cite-site"

BOX = """# Page

Some prose.

!!! unverified "IVIG can cause swelling"
    We have not found this in a published source yet.
    Missing: a published source for how often this happens.

More prose.
"""


def boxes_of(text: str, path: str = "docs/page.md"):
    return register.find_boxes(text, path)


# --- finding boxes ---------------------------------------------------------------------


def test_a_complete_box_gives_its_claim_and_what_is_missing_quietly():
    boxes, findings = boxes_of(BOX)
    assert findings == []
    assert [(b.line, b.col, b.claim, b.missing) for b in boxes] == [
        (5, 1, "IVIG can cause swelling", "a published source for how often this happens.")
    ]


def test_a_box_without_a_missing_line_is_a_warning_at_its_opener():
    text = BOX.replace("    Missing: a published source for how often this happens.\n", "")
    boxes, findings = boxes_of(text)
    assert len(boxes) == 1
    assert [f.format().split(" ", 3)[:3] for f in findings] == [["docs/page.md:5:1:", "warning", "UNV001"]]
    assert "Missing:" in findings[0].message


def test_a_missing_line_followed_by_another_paragraph_is_not_the_end_of_the_box():
    text = BOX.replace("happens.\n", "happens.\n\n    And one more paragraph.\n")
    _, findings = boxes_of(text)
    assert [f.rule for f in findings] == ["UNV001"]
    assert "last line" in findings[0].message


def test_a_missing_line_may_wrap_and_may_stand_alone_as_a_paragraph():
    text = BOX.replace(
        "    Missing: a published source for how often this happens.\n",
        "\n    Missing: a published source\n    for how often this happens.\n",
    )
    boxes, findings = boxes_of(text)
    assert findings == []
    assert boxes[0].missing == "a published source for how often this happens."


def test_an_empty_missing_line_is_a_warning():
    text = BOX.replace("Missing: a published source for how often this happens.", "Missing:")
    _, findings = boxes_of(text)
    assert [f.rule for f in findings] == ["UNV005"]


def test_a_box_without_a_title_is_a_warning():
    text = BOX.replace('!!! unverified "IVIG can cause swelling"', "!!! unverified")
    _, findings = boxes_of(text)
    assert [f.rule for f in findings] == ["UNV002"]


def test_other_admonitions_and_boxes_in_code_are_not_in_the_register():
    text = (
        '!!! note "Still being checked"\n    Text.\n\n'
        '```markdown\n!!! unverified "An example in code"\n    No missing line here.\n```\n\n'
        '<!-- !!! unverified "In a comment" -->\n'
    )
    assert boxes_of(text) == ([], [])


def test_collapsible_and_nested_boxes_are_found_with_their_line_and_column():
    text = '- A list item\n\n    ??? unverified "Nested claim"\n        Body.\n        Missing: a source.\n'
    boxes, findings = boxes_of(text)
    assert findings == []
    assert [(b.line, b.col, b.claim, b.missing) for b in boxes] == [(3, 5, "Nested claim", "a source.")]


def test_the_box_ends_where_its_indentation_ends():
    text = '!!! unverified "Claim"\n    Body.\n\nMissing: not in the box.\n'
    _, findings = boxes_of(text)
    assert [f.rule for f in findings] == ["UNV001"]


# --- anchors ---------------------------------------------------------------------------------


def test_anchors_are_readable_and_unique_on_a_page():
    boxes, _ = boxes_of(BOX + "\n" + BOX.split("\n", 2)[2] + "\n" + BOX.split("\n", 2)[2])
    assert register.anchor_ids(boxes) == [
        "unverified-ivig-can-cause-swelling",
        "unverified-ivig-can-cause-swelling-2",
        "unverified-ivig-can-cause-swelling-3",
    ]


def test_slug_folds_accents_and_stops_at_a_word_within_sixty_characters():
    assert register.slug("Él-Gamal's 2 g/kg claim!") == "el-gamal-s-2-g-kg-claim"
    long = register.slug("word " * 30)
    assert len(long) <= 60 and not long.endswith("-")
    assert register.slug("***") == "claim"


def test_add_anchors_puts_a_div_before_each_box_and_mark_boxes_moves_its_id_onto_the_box():
    markdown = register.add_anchors(BOX, "page.md")
    anchor = '<div class="ivig-unverified-anchor" id="unverified-ivig-can-cause-swelling"></div>'
    assert f"{anchor}\n\n!!! unverified" in markdown
    html = (
        '<div class="ivig-unverified-anchor" id="unverified-x"></div>\n'
        '<div class="admonition unverified">\n<p class="admonition-title">X</p>'
    )
    assert register.mark_boxes(html) == (
        '<div class="admonition unverified" id="unverified-x">\n<p class="admonition-title">'
        '<span class="ivig-unverified-label">Not yet confirmed:</span> X</p>'
    )
    nested = (
        '<p><div class="ivig-unverified-anchor" id="unverified-y"></div></p>\n'
        '<details class="unverified">\n<summary>Y</summary>'
    )
    assert register.mark_boxes(nested) == (
        '<details class="unverified" id="unverified-y">\n<summary>'
        '<span class="ivig-unverified-label">Not yet confirmed:</span> Y</summary>'
    )


MISSING_P = '<p class="ivig-unverified-missing"><strong>What is missing:</strong>'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "<p>We have not found it.\nMissing: a source.</p>",
            f"<p>We have not found it.</p>\n{MISSING_P} a source.</p>",
        ),
        (
            "<p>Text.</p>\n<p>Missing: a source.</p>",
            f"<p>Text.</p>\n{MISSING_P} a source.</p>",
        ),
    ],
)
def test_the_missing_line_becomes_its_own_labelled_paragraph(body, expected):
    html = f'<div class="admonition unverified">\n<p class="admonition-title">X</p>\n{body}\n</div>'
    out = register.mark_boxes(html)
    assert out.endswith(f"{expected}\n</div>")
    # Outside the box, a line starting "Missing:" is prose and stays so.
    prose = "<p>Intro.\nMissing: nothing.</p>"
    assert register.mark_boxes(prose + html).startswith(prose)


def test_mark_boxes_leaves_other_admonitions_alone():
    html = '<div class="admonition note">\n<p class="admonition-title">Note</p>'
    assert register.mark_boxes(html) == html


def test_add_anchors_leaves_a_page_without_boxes_alone():
    assert register.add_anchors("# Page\n\nText.\n", "page.md") == "# Page\n\nText.\n"


# --- the table and the marker ------------------------------------------------------------------


def row(src_uri, title, claim, missing, anchor="unverified-a"):
    box = register.UnverifiedBox(f"docs/{src_uri}", 1, 1, claim, missing)
    return register.RegisterRow(src_uri, title, anchor, box)


def test_register_table_links_each_page_to_its_box():
    table = register.render_register(
        [
            row("side-effects.md", "Side effects", "IVIG can | cause swelling", "a published source."),
            row("index.md", "Home", "A home claim", "a source.", "unverified-b"),
            row("about.md", "About", "An about claim", "a source.", "unverified-c"),
        ],
        "about.md",
    )
    lines = table.splitlines()
    assert "| Page | Claim | What is missing |" in lines
    link = "[Side effects](side-effects.md#unverified-a)"
    assert f"| {link} | IVIG can \\| cause swelling | A published source. |" in lines
    # The home page's anchor is deferred past the PDF plugin, as on the References page.
    assert '| [Home](index.md){ data-ivig-anchor="unverified-b" } | A home claim | A source. |' in lines
    assert "| [About](#unverified-c) | An about claim | A source. |" in lines


def test_register_links_are_relative_to_the_page_holding_it():
    table = register.render_register([row("treatment/a.md", "A", "C", "m.")], "info/about.md")
    assert "[A](../treatment/a.md#unverified-a)" in table


def test_an_empty_register_says_so_in_words():
    text = register.render_register([], "about.md")
    assert "No claims are awaiting verification" in text
    assert "|" not in text


def test_the_marker_is_replaced_outside_code_only():
    text = f"Intro.\n\n{register.MARKER}\n\nUse `{register.MARKER}` to place it.\n"
    out = register.replace_marker(text, "TABLE")
    assert out == f"Intro.\n\nTABLE\n\nUse `{register.MARKER}` to place it.\n"


@pytest.mark.parametrize(
    ("markers", "boxes", "rules"),
    [
        ({}, 0, []),  # no boxes, no marker: nothing to show, nothing wrong
        ({}, 2, ["UNV003"]),
        ({"docs/about.md": [(40, 1)]}, 2, []),
        ({"docs/about.md": [(40, 1)]}, 0, []),
        ({"docs/about.md": [(40, 1), (50, 1)], "docs/x.md": [(3, 1)]}, 1, ["UNV004", "UNV004"]),
    ],
)
def test_marker_findings(markers, boxes, rules):
    findings = register.marker_findings(markers, boxes)
    assert [f.rule for f in findings] == rules
    if rules == ["UNV004", "UNV004"]:
        assert [f.format().split(": ", 1)[0] for f in findings] == ["docs/about.md:50:1", "docs/x.md:3:1"]


def test_every_rule_the_module_can_emit_is_registered_with_a_severity():
    source = (ROOT / "hooks" / "ivig_tools" / "register.py").read_text(encoding="utf-8")
    emitted = set(re.findall(r'"(UNV\d{3})"', source))
    assert emitted == set(register.RULES)


# --- a fixture site built with the real hooks ----------------------------------------------------


def build_fixture(tmp_path: Path, **replace: str):
    """Copy the fixture site, apply ``{relative path: new text}``, build it strictly."""
    from conftest import run_mkdocs_build

    site = tmp_path / "cite-site"
    shutil.copytree(SITE_FIXTURE, site)
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("ROOT", str(ROOT)), encoding="utf-8")
    for rel, text in replace.items():
        (site / rel).write_text(text, encoding="utf-8")
    result = run_mkdocs_build(site / "site", config=config)
    return site / "site", result


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    site, result = build_fixture(tmp_path_factory.mktemp("register"))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def soup_of(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_fixture_register_lists_every_box_with_a_link_to_it(fixture_site):
    about = soup_of(fixture_site, "about")
    rows = about.select(".ivig-register table tbody tr")
    cells = [[" ".join(td.get_text().split()) for td in tr.find_all("td")] for tr in rows]
    # In the order of the navigation, then of the page.
    assert cells == [
        ["Home", "A claim on the home page", "A published source."],
        ["Side effects", "IVIG can cause swelling", "A published source for how often this happens."],
        ["Side effects", "Nested claim in a list", "A source that names the interval."],
    ]
    hrefs = [tr.find("a")["href"] for tr in rows]
    assert hrefs == [
        "../#unverified-a-claim-on-the-home-page",
        "../side-effects/#unverified-ivig-can-cause-swelling",
        "../side-effects/#unverified-nested-claim-in-a-list",
    ]
    assert "<!-- unverified-register -->" not in str(about)


def test_fixture_boxes_carry_their_anchor_and_title(fixture_site):
    page = soup_of(fixture_site, "side-effects")
    box = page.find(id="unverified-ivig-can-cause-swelling")
    assert box is not None and "admonition" in box["class"] and "unverified" in box["class"]
    assert box.select_one(".admonition-title").get_text() == "Not yet confirmed: IVIG can cause swelling"
    missing = box.select_one("p.ivig-unverified-missing")
    assert missing.get_text() == "What is missing: a published source for how often this happens."
    nested = page.find(id="unverified-nested-claim-in-a-list")
    assert nested is not None and "unverified" in nested["class"]
    assert not page.select(".ivig-unverified-anchor"), "an anchor <div> was left behind"


def test_fixture_box_without_missing_line_fails_the_strict_build_naming_file_and_line(tmp_path):
    text = (SITE_FIXTURE / "docs" / "side-effects.md").read_text(encoding="utf-8")
    broken = text.replace("    Missing: a published source for how often this happens.\n", "")
    _, result = build_fixture(tmp_path, **{"docs/side-effects.md": broken})
    assert result.returncode != 0
    line = 1 + text.split("\n").index('!!! unverified "IVIG can cause swelling"')
    assert f"docs/side-effects.md:{line}:1: warning UNV001" in result.stderr


def test_fixture_without_the_marker_fails_the_strict_build(tmp_path):
    about = (SITE_FIXTURE / "docs" / "about.md").read_text(encoding="utf-8")
    _, result = build_fixture(tmp_path, **{"docs/about.md": about.replace(register.MARKER, "")})
    assert result.returncode != 0
    assert "docs/about.md:1:1: warning UNV003" in result.stderr and register.MARKER in result.stderr
