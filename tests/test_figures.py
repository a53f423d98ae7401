"""The guide's three figures (issue 17): the SVG files, a fixture site and the real site.

The figures are SVG files written by hand in ``docs/assets/figures/`` and inlined into
the pages by a ``pymdownx.snippets`` line inside a ``<figure>`` block (so ``currentColor``
and the theme's CSS variables reach them). Each figure may only show the facts its
caption cites; the tests below pin those facts.

Three levels:

1. the SVG files themselves: accessible name and description, size, no request to
   another host, colours only from the text colour, text at the body size, the numbers
   it may show and no others, bar lengths that match the numbers;
2. a fixture site (``tests/fixtures/figures-site``) with the three blocks, built with
   the real theme overrides, hooks, stylesheets and PDF template: each figure, its
   title, caption citations and text equivalent in the HTML, and in the PDF as vector
   text on one page with its caption;
3. the real site: the same assertions on the pages the figures belong to
   (``test_real_site_shows_the_figure``).

The browser checks (text size on a phone, both palettes, axe) are in test_browser.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_env, page_url

FIGURES_DIR = ROOT / "docs" / "assets" / "figures"
STYLESHEETS = ROOT / "docs" / "assets" / "stylesheets"
FIXTURE = ROOT / "tests" / "fixtures" / "figures-site"
SVG_NS = "{http://www.w3.org/2000/svg}"
# Body text on a phone is 16 CSS px (Material: .8rem of a 20 px root); the figures draw
# their text at 16 units and are never wider than a 375 px phone's content column
# (375 - 2 x 16 px margins), so they are drawn 1:1 there and the text stays 16 px.
BODY_PX = 16
MAX_WIDTH = 343
MAX_BYTES = 5_000
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Figure:
    page: str  # source page, as in docs/
    heading: str  # the section it belongs to
    figure_id: str
    svg: str  # file in docs/assets/figures/
    keys: tuple[str, ...]  # what the caption cites
    numbers: frozenset[str]  # every number the drawing may show (and does)
    equivalent: tuple[str, ...]  # phrases of the text equivalent, one per list item or table row
    equivalent_kind: str  # "ol" (steps) or "table" (numbers)


FIGURES = [
    Figure(
        page="how-it-is-made.md",
        heading="From plasma to medicine",
        figure_id="figure-plasma-to-medicine",
        svg="plasma-to-medicine.svg",
        keys=("misbah1993", "statpearls_ivig", "medscape_preparation", "iduk_infection_risk"),
        numbers=frozenset({"1", "2", "3", "4", "5", "6", "7", "1,000", "100,000"}),
        equivalent=(
            "donate plasma",
            "screened",
            "about 1,000 to 100,000 donors",
            "cold ethanol fractionation",
            "purify",
            "kill or remove viruses",
            "finished medicine",
        ),
        equivalent_kind="ol",
    ),
    Figure(
        page="having-an-infusion.md",
        heading="On the day",
        figure_id="figure-infusion-course",
        svg="infusion-course.svg",
        keys=(
            "versus_arthritis_ivig",
            "myaware_ivig",
            "ara_ivig",
            "privigen_dosing",
            "eunethta_administration",
            "privigen_eu_leaflet",
            "privigen_safety",
            "hamad_after_treatment",
        ),
        numbers=frozenset({"3", "4", "20", "1"}),
        equivalent=(
            "drink enough fluids",
            "starts slowly",
            "raised step by step",
            "blood pressure, pulse and temperature are checked regularly",
            "three to four hours",
            "at least 20 minutes",
        ),
        equivalent_kind="ol",
    ),
    Figure(
        page="does-it-work.md",
        heading="What the trial found",
        figure_id="figure-trial-result",
        svg="ice-trial-result.svg",
        keys=("hughes2008",),
        numbers=frozenset({"32", "59", "54", "12", "58", "21", "33.5", "95", "15.4", "51.7"}),
        equivalent=("32 of 59 (54%)", "12 of 58 (21%)"),
        equivalent_kind="table",
    ),
]
IDS = [f.svg for f in FIGURES]
BY_NAME = {f.svg: f for f in FIGURES}


def svg_root(name: str) -> ET.Element:
    return ET.fromstring((FIGURES_DIR / name).read_text(encoding="utf-8"))


def drawn_texts(root: ET.Element) -> list[str]:
    """The text a reader sees in the drawing, one entry per <text> element."""
    return [" ".join("".join(t.itertext()).split()) for t in root.iter(f"{SVG_NS}text")]


def numbers_in(text: str) -> set[str]:
    return set(NUMBER_RE.findall(text))


# --- 1. the SVG files ----------------------------------------------------------------------


def test_every_figure_file_is_listed():
    assert sorted(p.name for p in FIGURES_DIR.glob("*.svg")) == sorted(IDS)


@pytest.mark.parametrize("name", IDS)
def test_figure_has_an_accessible_name_and_description(name):
    root = svg_root(name)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    title = by_id.get(root.get("aria-labelledby"))
    desc = by_id.get(root.get("aria-describedby"))
    assert title is not None and title.tag == f"{SVG_NS}title", "aria-labelledby must name the <title>"
    assert desc is not None and desc.tag == f"{SVG_NS}desc", "aria-describedby must name the <desc>"
    assert root[0] is title, "the <title> comes first (as SVG wants it)"
    assert len(title.text.split()) >= 4
    # The description carries every number the drawing shows, and no other.
    shown = numbers_in(" ".join(drawn_texts(root)))
    assert numbers_in(desc.text) == shown, f"{name}: description {numbers_in(desc.text)} vs drawing {shown}"


@pytest.mark.parametrize("name", IDS)
def test_figure_is_small_self_contained_text(name):
    path = FIGURES_DIR / name
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size <= MAX_BYTES, f"{name} is {path.stat().st_size} bytes"
    assert not text.startswith("<?xml"), "inlined into HTML: no XML declaration"
    assert "\n\n" not in text, "a blank line would end the raw HTML block in Markdown"
    root = ET.fromstring(text)
    tags = {el.tag.removeprefix(SVG_NS) for el in root.iter()}
    assert not tags & {"image", "script", "style", "foreignObject", "use", "a"}, tags
    for el in root.iter():
        for attr, value in el.attrib.items():
            assert "http" not in value or attr == "xmlns", f"{name}: {attr}={value!r} points elsewhere"
            assert "url(" not in value, f"{name}: {attr}={value!r}"


@pytest.mark.parametrize("name", IDS)
def test_figure_colours_come_from_the_text_colour(name):
    """currentColor (or none) everywhere; white only for text on a solid bar (CSS overrides it)."""
    root = svg_root(name)
    parents = {child: parent for parent in root.iter() for child in parent}
    for el in root.iter():
        for attr in ("fill", "stroke", "color", "stop-color"):
            value = el.get(attr)
            if value is None or value in ("none", "currentColor"):
                continue
            assert value == "#fff" and "ivig-fig-on-solid" in el.get("class", ""), (
                f"{name}: {el.tag} {attr}={value!r}"
            )
            assert el in parents, "never on the root"


def test_stylesheet_uses_only_theme_variables_for_colour():
    css = (STYLESHEETS / "figures.css").read_text(encoding="utf-8")
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for prop, value in re.findall(r"(?<![-\w])(fill|stroke|color)\s*:\s*([^;]+);", body):
        assert value.strip() in ("currentColor", "none") or value.strip().startswith("var(--md-"), (
            prop,
            value,
        )
    assert re.search(r"\.ivig-figure\s*\{[^}]*break-inside:\s*avoid", body), (
        "figures must not split in the PDF"
    )
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb|hsl", body), "colours come from the theme"


def test_stylesheet_is_in_extra_css():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- assets/stylesheets/figures.css" in text


@pytest.mark.parametrize("name", IDS)
def test_figure_text_is_body_size_when_drawn_one_to_one(name):
    root = svg_root(name)
    width = float(root.get("width"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}", "drawn 1:1"
    assert width <= MAX_WIDTH, f"{name} is {width} wide: it would shrink (and its text) on a phone"
    assert float(root.get("font-size")) >= BODY_PX
    for el in root.iter():
        size = el.get("font-size")
        assert size is None or float(size) >= BODY_PX, f"{name}: font-size {size} on {el.tag}"
        assert "font-size" not in el.get("style", "")


@pytest.mark.parametrize("name", IDS)
def test_figure_shows_only_its_cited_numbers(name):
    shown = numbers_in(" ".join(drawn_texts(svg_root(name))))
    assert shown == BY_NAME[name].numbers


def test_safe_twin_an_unlisted_number_is_caught():
    """The number check is not vacuous: a drawing with a made-up duration fails it."""
    text = (FIGURES_DIR / "infusion-course.svg").read_text(encoding="utf-8")
    changed = ET.fromstring(text.replace("Usually takes 3 to 4 hours", "Usually takes 2 to 4 hours"))
    assert numbers_in(" ".join(drawn_texts(changed))) != BY_NAME["infusion-course.svg"].numbers


def test_plasma_steps_are_numbered_one_to_seven_in_order():
    root = svg_root("plasma-to-medicine.svg")
    badges = [t for t in root.iter(f"{SVG_NS}text") if t.text and t.text.isdigit()]
    assert [t.text for t in badges] == [str(i) for i in range(1, 8)]
    ys = [float(t.get("y")) for t in badges]
    assert ys == sorted(ys), "step numbers go down the page in order"
    texts = drawn_texts(root)
    order = ["donate plasma", "screened", "pooled", "Cold alcohol", "purification", "viruses", "finished"]
    positions = [next(i for i, t in enumerate(texts) if word in t) for word in order]
    assert positions == sorted(positions)


def test_trial_bars_are_as_long_as_their_numbers():
    root = svg_root("ice-trial-result.svg")
    group = {g.get("class"): g for g in root.iter(f"{SVG_NS}g")}
    wholes = [r for r in group["ivig-fig-whole"] if float(r.get("height")) > 20]
    solids = [r for r in group["ivig-fig-solid"] if float(r.get("height")) > 20]
    assert len(wholes) == len(solids) == 2
    for whole, solid, (improved, total) in zip(wholes, solids, [(32, 59), (12, 58)], strict=True):
        assert whole.get("y") == solid.get("y") and whole.get("x") == solid.get("x")
        share = float(solid.get("width")) / float(whole.get("width"))
        assert share == pytest.approx(improved / total, abs=0.002)
    percents = [t.text for t in group["ivig-fig-on-solid"]]
    assert percents == [f"{round(100 * 32 / 59)}%", f"{round(100 * 12 / 58)}%"]
    labels = " ".join(drawn_texts(root))
    assert "IVIG: 32 of 59" in labels and "Placebo: 12 of 58" in labels
    # Solid means "improved", an outline "did not improve": said in the legend, not by colour.
    assert "Improved" in labels and "Did not improve" in labels


# --- 2. the fixture site -------------------------------------------------------------------


def build_figure_fixture_site(dest: Path, *, pdf: bool) -> Path:
    """Copy the fixture site to ``dest``, point it at this repository and build it into dest/site."""
    shutil.copytree(FIXTURE, dest)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('"../../.."', f'"{ROOT}"').replace("../../../", f"{ROOT}/")
    config.write_text(text, encoding="utf-8")
    css = dest / "docs" / "assets" / "stylesheets"
    css.mkdir(parents=True)
    for sheet in ("extra.css", "figures.css"):
        shutil.copy(STYLESHEETS / sheet, css / sheet)
    env = build_env(ENABLE_PDF_EXPORT="1") if pdf else build_env()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest / "site")],
        cwd=dest,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"the figures fixture site did not build:\n{result.stdout}\n{result.stderr}")
    return dest / "site"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return build_figure_fixture_site(tmp_path_factory.mktemp("figures") / "src", pdf=True)


def page_soup(site: Path, src_uri: str) -> BeautifulSoup:
    html = (site / page_url(src_uri) / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def assert_figure_in_html(soup: BeautifulSoup, fig: Figure) -> None:
    """The figure, its name, caption citations and text equivalent, in its section."""
    figure = soup.find("figure", id=fig.figure_id)
    assert figure is not None, f"{fig.page}: no <figure id={fig.figure_id!r}> (is the block pasted?)"
    section = figure.find_previous(["h2", "h3"])
    assert section is not None and section.get_text(" ", strip=True).rstrip("¶").strip() == fig.heading
    assert "ivig-figure" in figure.get("class", [])

    svg = figure.find("svg")
    source = svg_root(fig.svg)
    assert svg is not None and svg.get("role") == "img"
    title = svg.find("title")
    assert title is not None and title.get_text() == source[0].text
    assert svg.get("aria-labelledby") == title.get("id")
    desc = soup.find(id=svg.get("aria-describedby"))
    assert desc is not None and desc.name == "desc"
    shown = [" ".join(t.get_text().split()) for t in svg.find_all("text")]
    assert shown == drawn_texts(source), "the page shows the drawing in docs/assets/figures/ as it is"
    # Nothing was put into the drawing on the way (an <abbr> in a <text> would not render).
    inside = {el.name for el in svg.find_all()}
    assert inside == {el.tag.removeprefix(SVG_NS) for el in source.iter()} - {"svg"}, inside
    assert not svg.find_all(["image", "script", "a"])

    caption = figure.find("figcaption")
    assert caption is not None and len(caption.get_text(strip=True)) > 40
    cited = {a["href"].removeprefix("#fn:cite-") for a in caption.select("a.footnote-ref")}
    assert cited == set(fig.keys), f"{fig.page}: the caption cites {sorted(cited)}"
    for key in fig.keys:
        assert soup.find(id=f"fn:cite-{key}") is not None, f"{key} is not in the page's reference list"

    if fig.equivalent_kind == "ol":
        # The text equivalent is next to the figure: an ordered list right after it (after at
        # most one short lead-in) or right before it.
        near = [*figure.find_next_siblings(limit=2), *figure.find_previous_siblings(limit=1)]
        steps = next((el for el in near if el.name == "ol"), None)
        assert steps is not None, f"{fig.page}: no ordered list next to the figure, found {near}"
        items = [" ".join(li.get_text(" ").split()) for li in steps.find_all("li", recursive=False)]
        assert len(items) == len(fig.equivalent), items
        for item, phrase in zip(items, fig.equivalent, strict=True):
            assert phrase in item, f"{fig.page}: list item {item!r} should say {phrase!r}"
    else:
        table = figure.find_previous("table")
        assert table is not None and table.find_previous(["h2", "h3"]) == section
        rows = [" ".join(tr.get_text(" ").split()) for tr in table.find_all("tr")]
        for phrase in fig.equivalent:
            assert any(phrase in row for row in rows), f"{fig.page}: no table row says {phrase!r}"
        text = caption.get_text(" ")
        assert "33.5 percentage points" in text and "15.4 to 51.7" in text and "table above" in text


def assert_figure_in_pdf(pdf: Path, fig: Figure) -> None:
    """Vector text (extractable, no picture), the whole drawing and its caption on one page."""
    from pypdf import PdfReader

    texts = drawn_texts(svg_root(fig.svg))
    first, last = texts[0], texts[-1]
    caption_start = {
        "plasma-to-medicine.svg": "Figure: from plasma to medicine.",
        "infusion-course.svg": "Figure: the course of an infusion.",
        "ice-trial-result.svg": "Figure: the trial's main result.",
    }[fig.svg]
    reader = PdfReader(str(pdf))
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    hits = [i for i, t in enumerate(pages) if first in t and last in t]
    assert hits, f"{fig.svg}: its first and last label ({first!r}, {last!r}) are not on one PDF page"
    page_index = hits[0]
    page_text = pages[page_index]
    for label in texts:
        assert label in page_text, f"{fig.svg}: {label!r} is not on PDF page {page_index + 1} with the rest"
    assert caption_start in page_text, f"{fig.svg}: the caption is not on the figure's PDF page"
    resources = reader.pages[page_index].get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    images = [k for k, v in xobjects.items() if v.get_object().get("/Subtype") == "/Image"]
    assert not images, f"{fig.svg}: PDF page {page_index + 1} holds raster images {images}"


@pytest.mark.build
@pytest.mark.parametrize("name", IDS)
def test_fixture_site_shows_the_figure(fixture_site, name):
    fig = BY_NAME[name]
    assert_figure_in_html(page_soup(fixture_site, fig.page), fig)


@pytest.mark.build
@pytest.mark.parametrize("name", IDS)
def test_fixture_pdf_has_the_figure_whole_with_its_caption(fixture_site, name):
    assert_figure_in_pdf(fixture_site / "pdf" / "ivig-guide.pdf", BY_NAME[name])


@pytest.mark.build
def test_safe_twin_a_figure_without_its_list_is_caught(fixture_site):
    """The text-equivalent check fails when the list after the figure is missing."""
    fig = BY_NAME["plasma-to-medicine.svg"]
    soup = page_soup(fixture_site, fig.page)
    soup.find("figure", id=fig.figure_id).find_next("ol").decompose()
    with pytest.raises(AssertionError, match="no ordered list next to the figure"):
        assert_figure_in_html(soup, fig)


def pdf_figure_alts(pdf: Path) -> list[str]:
    """The /Alt text of every /Figure in a tagged PDF's structure tree."""
    from pypdf import PdfReader

    root = PdfReader(str(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF is not tagged"
    alts, todo = [], [root["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if not hasattr(node, "get"):
            continue  # a marked-content number
        if node.get("/S") == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        todo.extend(kids if isinstance(kids, list) else [] if kids is None else [kids])
    return alts


# --- 3. the real site ----------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.parametrize("name", IDS)
def test_real_site_shows_the_figure(built_site, name):
    """Each figure is on its page, in its section, with caption and text equivalent, and in the PDF."""
    fig = BY_NAME[name]
    assert_figure_in_html(built_site.soup(fig.page), fig)
    pdf = built_site.path / "pdf" / "ivig-guide.pdf"
    assert_figure_in_pdf(pdf, fig)
    # The tagged PDF (hooks/pdf_export.py) names the drawing by its <title>, for screen readers.
    assert svg_root(fig.svg)[0].text in pdf_figure_alts(pdf)
