"""The vocabulary generators and the MkDocs hook functions of the medical-term lint."""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from ivig_tools.terms import lint, load_config
from ivig_tools.vocabulary import abbreviations_markdown, glossary_markdown, slug

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def config():
    return load_config()


# --- generators -----------------------------------------------------------------------------


def test_abbreviations_markdown(config):
    lines = abbreviations_markdown(config).splitlines()
    assert "*[IVIG]: intravenous immunoglobulin" in lines
    assert "*[CIDP]: chronic inflammatory demyelinating polyneuropathy" in lines
    assert "*[NK]: natural killer" in lines
    assert all(re.fullmatch(r"\*\[[A-Za-z0-9]+\]: \S.*", line) for line in lines)
    assert [line.split("]")[0].lower() for line in lines] == sorted(
        line.split("]")[0].lower() for line in lines
    )
    assert len(lines) == len({v.abbr for v in config.vocabulary if v.abbr})


def test_glossary_is_alphabetical_with_stable_anchors(config):
    body = glossary_markdown(config)
    terms = re.findall(r'<dt id="(term-[a-z0-9-]+)">(.*?)</dt>', body)
    assert len(terms) == len(config.vocabulary)
    # The term without what an abbreviation stands for ("CIDP", "NK cells").
    headings = [(re.sub(r" <span[^>]*>.*?</span>", "", h), a) for a, h in terms]
    names = [h for h, _ in headings]
    assert names == sorted(names, key=str.casefold)
    anchors = [a for _, a in headings]
    assert len(set(anchors)) == len(anchors)
    assert ("CIDP", "term-cidp") in headings
    assert ("NK cells", "term-nk-cells") in headings
    assert ("Off-label", "term-off-label") in headings
    assert (
        '<dt id="term-cidp">CIDP <span class="ivig-glossary__expansion">'
        "(chronic inflammatory demyelinating polyneuropathy)</span></dt>\n<dd>A long-term condition"
    ) in body
    # A `see:` entry links to its target's anchor (and gives the abbreviation).
    assert (
        'Confidence interval <span class="ivig-glossary__expansion">(CI)</span></dt>\n'
        '<dd>See <a href="#term-ci">CI</a>.</dd>'
    ) in body
    for target in re.findall(r'href="#(term-[a-z0-9-]+)"', body):
        assert target in anchors


def test_slug():
    assert slug("Guillain-Barré syndrome") == "term-guillain-barre-syndrome"
    assert slug("NK cells") == "term-nk-cells"


def test_every_term_the_guide_needs_is_defined(config):
    headings = {v.heading.lower() for v in config.vocabulary} | {v.abbr.lower() for v in config.vocabulary}
    needed = [
        "IVIG", "IgG", "SCIG", "CIDP", "MMN", "ITP", "NK cells", "TRALI", "INCAT", "PI",
        "plasma", "antibody", "antigen", "immunoglobulin", "biologic", "placebo", "off-label",
        "anaphylaxis", "aseptic meningitis", "hemolytic anemia", "infusion",
        "premedication", "confidence interval",
    ]  # fmt: skip
    assert [n for n in needed if n.lower() not in headings] == []


def test_glossary_body_lints_clean(config):
    """The generated glossary is prose too: no errors or warnings in it."""
    page = "---\ntitle: Glossary\nreviewed: 2026-11-01\naudience: general\n---\n\n# Glossary\n\n"
    page += glossary_markdown(config)
    found = lint(page, "glossary.md", config, today=dt.date(2026, 11, 22))
    bad = [f.format() for f in found if f.severity != "info" and f.rule != "MED061"]
    assert bad == []


# --- MkDocs hooks -----------------------------------------------------------------------------


@pytest.fixture
def hooks():
    import medical_terms

    return medical_terms


def _page(tmp_path: Path, name: str, text: str):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    path = docs / name
    path.write_text(text, encoding="utf-8")
    page = SimpleNamespace(file=SimpleNamespace(src_uri=name, abs_src_path=str(path), content_string=text))
    cfg = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), docs_dir=str(docs))
    return page, cfg


def test_hook_priorities(hooks):
    from mkdocs.plugins import CombinedEvent

    assert isinstance(hooks.on_page_markdown, CombinedEvent)
    priorities = [m.mkdocs_priority for m in hooks.on_page_markdown.methods]
    assert priorities == [100, -50]


def test_hook_lints_the_source_file_and_logs(hooks, tmp_path, caplog):
    text = "---\ntitle: T\nreviewed: 2026-10-01\n---\n\nGive 5 U daily. It is completely safe.\n"
    page, cfg = _page(tmp_path, "uses.md", text)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.medical_terms"):
        # MkDocs hands over the markdown without front matter; positions still come from the file.
        out = hooks._lint_page(text.split("---\n", 2)[2], page=page, config=cfg, files=None)
    records = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert (
        "ERROR",
        'docs/uses.md:6:8: error MED001 "U" after a number is on the Do Not Use list; write "5 units"',
    ) in records
    assert any(level == "WARNING" and "docs/uses.md:6:23: warning MED050" in msg for level, msg in records)
    assert out.startswith("\nGive 5 U daily.")


def test_hook_skips_excluded_pages_and_fills_the_glossary(hooks, tmp_path, caplog):
    text = "---\ntitle: Glossary\n---\n\n# Glossary\n\n<!-- glossary -->\n"
    page, cfg = _page(tmp_path, "glossary.md", text)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.medical_terms"):
        out = hooks._lint_page("# Glossary\n\n<!-- glossary -->\n", page=page, config=cfg, files=None)
    assert caplog.records == []  # excluded from linting (no MED070 for it)
    assert "<!-- glossary -->" not in out
    assert '<dt id="term-cidp">CIDP ' in out


def test_hook_appends_abbreviations(hooks, tmp_path):
    page, cfg = _page(tmp_path, "index.md", "Text.\n")
    out = hooks._append_abbreviations("Text.\n", page=page, config=cfg, files=None)
    assert out.startswith("Text.\n\n*[")
    assert "\n*[IVIG]: intravenous immunoglobulin\n" in out


@pytest.mark.build
def test_strict_build_of_a_fixture_site(tmp_path):
    """A real MkDocs build: tooltips and glossary in the HTML, and --strict fails on a warning."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(
            f"""\
            site_name: Fixture
            nav: [index.md, glossary.md]
            hooks: [{ROOT / "hooks" / "medical_terms.py"}]
            markdown_extensions: [abbr, attr_list, toc]
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "docs" / "index.md").write_text(
        "---\nreviewed: 2026-10-01\n---\n\n# Home\n\nIntravenous immunoglobulin (IVIG) helps. IVIG works.\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "glossary.md").write_text("# Glossary\n\n<!-- glossary -->\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")]
    ok = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="intravenous immunoglobulin">IVIG</abbr>' in html
    glossary = (tmp_path / "site" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert 'id="term-cidp"' in glossary
    (tmp_path / "docs" / "index.md").write_text(
        "---\nreviewed: 2026-10-01\n---\n\n# Home\n\n"
        "Intravenous immunoglobulin (IVIG) is completely safe. IVIG.\n",
        encoding="utf-8",
    )
    bad = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert bad.returncode != 0
    assert re.search(
        r"docs/index\.md:7:38: warning MED050 \"completely safe\" is an absolute claim", bad.stderr
    )
