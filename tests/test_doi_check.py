"""hooks/doi_check.py and ivig_tools.bibcheck: bibliography, citation and offline DOI rules."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ivig_tools import bibcheck, findings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "bib"
SITE_FIXTURE = ROOT / "tests" / "fixtures" / "doi-site"
SCRIPT = ROOT / "hooks" / "doi_check.py"
TEST_CACHE = json.loads((FIXTURES / "registry.json").read_text(encoding="utf-8"))

ARTICLE = """@article{{{key},
  author       = {{Guo, Yi and Tian, X.}},
  title        = {{Adverse effects of immunoglobulin therapy}},
  journal      = {{Frontiers in Immunology}},
  shortjournal = {{Front Immunol}},
  year         = {{2018}},
  volume       = {{9}},
  pages        = {{1299}},
  doi          = {{{doi}}},{extra}
}}
"""


def article(key="guo2018", doi="10.3389/fimmu.2018.01299", extra="", **replace) -> str:
    text = ARTICLE.format(key=key, doi=doi, extra=extra)
    for name, value in replace.items():
        lines = [ln for ln in text.splitlines() if not ln.strip().startswith(f"{name} ")]
        if value is not None:
            lines.insert(-1, f"  {name} = {{{value}}},")
        text = "\n".join(lines) + "\n"
    return text


def check(bib: str, pages=None, cache=TEST_CACHE) -> list[findings.Finding]:
    return bibcheck.check([("refs.bib", bib)], pages, cache)


def rules(bib: str, pages=None, cache=TEST_CACHE) -> list[str]:
    return [f.rule for f in check(bib, pages, cache)]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- one rule, one input -----------------------------------------------------------------


def test_a_clean_article_has_no_finding():
    assert check(article()) == []


@pytest.mark.parametrize(
    ("bib", "rule", "where"),
    [
        ("@article{a, title={X} year={2008}}\n", "BIB001", (1, 23)),
        ("% mail me@example.org\n@article{a, title={X}}\n", "BIB001", (2, 1)),
        ("@article{a, title={X}", "BIB001", (1, 22)),
        (article() + article(key="Guo2018", doi="10.1/other"), "BIB002", (11, 10)),
        (article(key="guo:2018"), "BIB003", (1, 10)),
        (article(journal=None), "BIB004", (1, 10)),
        (article(shortjournal=None), "HSE001", (1, 10)),
        (article(volume=None), "HSE001", (1, 10)),
        ("@online{w, title={A page}}\n", "BIB004", (1, 9)),
        ("@misc{w, url={https://example.org}, note={N}}\n", "HSE002", (1, 7)),
        (article(extra="\n  note = {},"), "BIB005", (10, 3)),
        (article(title="A 10% solution"), "BIB006", (9, 16)),
        ('@article{a, title="X } Y"}\n', "BIB007", (1, 22)),
        ("@article{a,\n  title = {A {b,\n}\n@article{n, title={Y}}\n", "BIB007", (2, 11)),
        (article(extra="\n  Title = {Again},"), "BIB008", (10, 3)),
        (article(author="Guo, Y., Tian, X."), "BIB009", (9, 3)),
        ("@article{a, journal = JAMA}\n", "BIB010", (1, 23)),
        (
            '@string{a = "xx"}\n'
            + "".join(
                f"@string{{{c} = {p} # {p}}}\n"
                for p, c in zip("abcdefghijklmnopq", "bcdefghijklmnopqr", strict=True)
            ),
            "BIB011",
            (17, 13),
        ),
        (article(extra="\n  crossref = {nobody},"), "BIB012", (10, 15)),
        (article(extra="\n  url = {https://a.org/1 https://b.org/2},"), "BIB013", (10, 10)),
        (article(author="World Health Organization"), "BIB014", (9, 3)),
        (article(extra="\n  issn = {1664-3225},"), "BIB015", (10, 11)),
        (article(pages="n.pag."), "BIB016", (9, 12)),
        (article(doi="https://doi.org/10.3389/fimmu.2018.01299"), "DOI001", (9, 19)),
        (article(doi="10.3389/fimmu"), "DOI005", (9, 19)),
        (article(doi="fimmu.2018.01299"), "DOI002", (9, 19)),
        (article(doi="10.1002/(SICI)1097-4636(199812)43:4<406::AID-JBM7>3.0.CO;2-#"), "DOI003", (9, 19)),
        (article() + article(key="b", doi="10.3389/FIMMU.2018.01299"), "DOI004", (19, 19)),
        (article().replace("  doi          = {10.3389/fimmu.2018.01299},\n", ""), "DOI006", (1, 10)),
        (article(year=2015), "REG001", (9, 3)),
        (article(doi="10.5555/retracted.2020"), "REG002", (9, 19)),
        (article(doi="10.5555/concern.2020"), "REG003", (9, 19)),
        (article(doi="10.1016/S1474-4422(07)70329-0"), "REG004", (9, 19)),
        (article(doi="10.5555/never.registered"), "REG005", (9, 19)),
    ],
)
def test_each_rule(bib, rule, where):
    found = [f for f in check(bib) if f.rule == rule]
    assert found, f"{rule} not reported; got {[f.format() for f in check(bib)]}"
    assert (found[0].line, found[0].col) == where
    assert found[0].severity == bibcheck.BIB_RULES.rules[rule].severity


def test_every_rule_has_one_severity_summary_and_fix():
    for rule in bibcheck.BIB_RULES:
        assert rule.severity in findings.SEVERITIES and rule.summary, rule
        assert rule.fix or rule.id == "REG007", rule  # (REG007 only informs)


@pytest.mark.parametrize(
    ("raw", "bare"),
    [
        ("https://doi.org/10.1000/xyz", "10.1000/xyz"),
        ("http://dx.doi.org/10.1000/xyz", "10.1000/xyz"),
        ("doi:10.1000/xyz", "10.1000/xyz"),
        ("DOI: 10.1000/xyz.", "10.1000/xyz"),
        ("10.1000/ xyz", "10.1000/xyz"),
        ("10.1000/xyz;", "10.1000/xyz"),
        ("https://doi.org/10.1016/S1474-4422%2807%2970329-0", "10.1016/S1474-4422(07)70329-0"),
        ("10.1016/S1474-4422(07)70329-0", "10.1016/S1474-4422(07)70329-0"),
        ("10.1000/abc\\_def", "10.1000/abc_def"),
    ],
)
def test_doi_normalisation(raw, bare):
    assert bibcheck.normalise_doi(raw) == bare


def test_doi001_says_what_to_write():
    (f,) = [f for f in check(article(doi="doi:10.3389/fimmu.2018.01299")) if f.rule == "DOI001"]
    assert "write doi = {10.3389/fimmu.2018.01299}" in f.message
    assert "guo2018" in f.message


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Lancet Neurology", "Lancet Neurol"),
        ("Antibodies", "Antibodies (Basel)"),
        ("Frontiers in Immunology", "Front. Immunol."),
        ("Journal of Allergy and Clinical Immunology", "J Allergy Clin Immunol"),
        ("Proceedings of the National Academy of Sciences", "Proc Natl Acad Sci"),
        ("Immunology & Allergy Clinics of North America", "Immunol Allergy Clin North Am"),
    ],
)
def test_journal_names_match(a, b):
    assert bibcheck.journals_match(a, b)
    assert bibcheck.journals_match(b, a)


def test_different_journals_do_not_match():
    assert not bibcheck.journals_match("Journal of Allergy and Clinical Immunology", "J Neurol Sci")
    assert not bibcheck.journals_match("Lancet", "Lancet Neurol")


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("136--144", "136-144"),
        ("S1--S46", "S1-S46"),
        ("136--44", "136-144"),
        ("1299", "1299"),
        ("136--144", "136"),
    ],
)
def test_page_ranges_match(ours, theirs):
    assert bibcheck.pages_match(ours, theirs)


def test_tolerated_differences_against_the_registry():
    bib = article(
        title="Adverse {Effects} of <i>immunoglobulin</i> therapy.",
        journal="Frontiers in Immunology",
        shortjournal="Front. Immunol.",
        year=2019,  # online versus print year
    )
    assert [f for f in check(bib) if f.rule == "REG001"] == []


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ('M{\\"u}ller', "Müller"),
        (
            "Intravenous immune globulin (10\\% caprylate) ({ICE} study)",
            "Intravenous Immune Globulin (10% Caprylate) (ICE Study)",
        ),
        ("<i>In vitro</i> effects &amp; {IVIG}", "In vitro effects & IVIG"),
    ],
)
def test_plain_text_comparison(ours, theirs):
    assert bibcheck.plain(ours) == bibcheck.plain(theirs)


def test_family_name_particles_are_tolerated():
    assert bibcheck.same_family_name("van Doorn", "Doorn")
    assert bibcheck.same_family_name('M{\\"u}ller', "Müller")
    assert not bibcheck.same_family_name("Hooper", "Perez")


def test_reg001_names_the_field_and_both_values():
    (f,) = [f for f in check(article(volume=10)) if f.rule == "REG001"]
    assert "volume" in f.message and '"10"' in f.message and '"9"' in f.message
    assert "10.3389/fimmu.2018.01299" in f.message and "guo2018" in f.message


def test_a_doi_of_another_paper_is_caught():
    found = check((FIXTURES / "problems.bib").read_text(encoding="utf-8"))
    wrong = {f.extra["field"] for f in found if f.rule == "REG001" and "'wrongdoi'" in f.message}
    assert wrong == {"title", "first author", "year", "journal", "volume", "pages"}


# --- citations in pages ----------------------------------------------------------------------


def test_unknown_citation_is_an_error_at_its_position():
    page = "# Title\n\nText [@guo2018; @nobody2020].\n"
    found = [f for f in check(article(), [("docs/p.md", page)]) if f.rule == "CIT001"]
    assert [f.format()[:32] for f in found] == ["docs/p.md:3:17: error CIT001 cit"]
    assert "'nobody2020'" in found[0].message


@pytest.mark.parametrize(
    ("page", "hint"),
    [
        ("[@Guo2018]", "write [@guo2018]"),
        ("[@guo:2018]", "rename the entry"),
        ("[mail me at x@example.org]", "e-mail address"),
    ],
)
def test_unknown_citation_hints(page, hint):
    bib = article() + article(key="guo:2018", doi="10.1/x")
    (f,) = [f for f in check(bib, [("p.md", page)]) if f.rule == "CIT001"]
    assert hint in f.message


def test_citations_in_code_are_ignored():
    page = "`[@nobody]`\n\n```\n[@nobody]\n```\n<!-- [@nobody] -->\n[@guo2018]\n"
    assert [f for f in check(article(), [("p.md", page)]) if f.rule.startswith("CIT")] == []


def test_uncited_entries_are_info():
    found = [f for f in check(article(), [("p.md", "No citations.")]) if f.rule == "CIT002"]
    assert [(f.severity, f.line) for f in found] == [("info", 1)]


def test_locators_are_info():
    found = [f for f in check(article(), [("p.md", "[see @guo2018, p. 3]")]) if f.rule == "CIT003"]
    assert found and found[0].severity == "info"


# --- golden fixtures --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["problems", "syntax", "unclosed", "names", "good"])
def test_fixture_findings(name):
    bib = FIXTURES / f"{name}.bib"
    found = bibcheck.check([(f"{name}.bib", bib.read_text(encoding="utf-8"))], None, TEST_CACHE)
    expected = (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8")
    assert findings.format_text(found) == expected


@pytest.mark.parametrize("name", ["biblatex-examples", "content"])
def test_fixture_findings_under_the_biblatex_profile(name):
    """Real-world excerpts (origin and license in each file's head) against biblatex's data model."""
    from ivig_tools.bibcheck.config import load_bib_config

    bib = FIXTURES / f"{name}.bib"
    found = bibcheck.check([(f"{name}.bib", bib.read_text(encoding="utf-8"))], None, TEST_CACHE)
    found = load_bib_config(profile="biblatex").registry.apply(found)
    expected = (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8")
    assert findings.format_text(found) == expected


def test_the_crossref_parent_gives_westfahl_space_its_booktitle_and_year():
    text = (FIXTURES / "biblatex-examples.bib").read_text(encoding="utf-8")
    assert [f for f in check(text) if f.rule == "BIB004"] == []
    orphan = text.replace("  crossref     = {westfahl:frontier},\n", "")
    missing = [f.extra["field"] for f in check(orphan) if f.rule == "BIB004"]
    assert missing == ["booktitle", "year"]


@pytest.mark.parametrize(
    "name", ["good", "problems", "syntax", "unclosed", "names", "biblatex-examples", "content"]
)
def test_fatal_findings_agree_with_pybtex(name):
    """A file pybtex cannot load is exactly a file with a fatal finding (the hook stops the build)."""
    from pybtex.database import parse_string
    from pybtex.exceptions import PybtexError

    text = (FIXTURES / f"{name}.bib").read_text(encoding="utf-8")
    try:
        parse_string(text, "bibtex")
        pybtex_ok = True
    except PybtexError:
        pybtex_ok = False
    bib = bibcheck.parse_bib(text, name)
    fatal = [f for f in bibcheck.check_bibliography([bib], {}) if bibcheck.is_fatal(f)]
    assert pybtex_ok == (not fatal)


# --- command line -------------------------------------------------------------------------


def test_the_real_repository_has_no_error_or_warning():
    result = run_cli("--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " error " not in result.stdout and " warning " not in result.stdout


def test_cli_exit_codes_and_formats(tmp_path):
    bad = run_cli(str(FIXTURES / "problems.bib"), "--cache", str(FIXTURES / "registry.json"))
    assert bad.returncode == 1
    assert "problems.bib:2:10: error BIB003" in bad.stdout

    good = run_cli(str(FIXTURES / "good.bib"), "--cache", str(FIXTURES / "registry.json"), "--format", "json")
    assert good.returncode == 0
    assert {row["rule"] for row in json.loads(good.stdout)} == {"REG004"}

    gh = run_cli(str(FIXTURES / "syntax.bib"), "--format", "github")
    assert gh.returncode == 1 and gh.stdout.startswith("::error file=")

    warn = tmp_path / "warn.bib"
    warn.write_text(article(extra="\n  note = {},"), encoding="utf-8")
    assert run_cli(str(warn)).returncode == 0
    assert run_cli(str(warn), "--strict").returncode == 1


def test_cli_pages_argument(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text("Text [@guo2018] [@nobody].\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(article(), encoding="utf-8")
    result = run_cli("refs.bib", "docs", cwd=tmp_path)
    assert result.returncode == 1
    assert "docs/p.md:1:18: error CIT001" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["missing.bib"],
        ["--cache", "missing.json"],
        ["--update-cache"],
        ["--timeout", "-1"],
        ["--format", "xml"],
        ["--no-such-option"],
    ],
)
def test_cli_usage_and_io_problems_exit_2_without_traceback(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 6


def test_cli_broken_cache_is_one_line(tmp_path):
    cache = tmp_path / "cache.json"
    cache.write_text("{not json", encoding="utf-8")
    result = run_cli("--cache", str(cache))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not valid JSON" in result.stderr


def test_cli_runs_without_importing_mkdocs():
    code = "\n".join(
        [
            "import runpy, sys",
            f"sys.argv = [{str(SCRIPT)!r}, '--help']",
            "try:",
            "    runpy.run_path(sys.argv[0], run_name='__main__')",
            "except SystemExit:",
            "    pass",
            "assert 'mkdocs' not in sys.modules, 'mkdocs was imported'",
        ]
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


# --- MkDocs hook -------------------------------------------------------------------------------


def test_hook_runs_before_mkdocs_bibtex():
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import doi_check
    finally:
        sys.path.remove(str(SCRIPT.parent))
    assert doi_check.on_config.mkdocs_priority == 100
    assert doi_check.on_page_markdown.mkdocs_priority == 100
    assert callable(doi_check.on_post_build)


def _fixture_site(tmp_path: Path) -> Path:
    site = tmp_path / "site-src"
    shutil.copytree(SITE_FIXTURE, site)
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("../../../hooks/doi_check.py", str(SCRIPT))
    config.write_text(text, encoding="utf-8")
    return site


def _build(site: Path) -> subprocess.CompletedProcess:
    from conftest import build_env

    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site / "out")],
        cwd=site,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.build
def test_unknown_citation_fails_the_strict_build_with_its_location(tmp_path):
    site = _fixture_site(tmp_path)
    result = _build(site)
    assert result.returncode != 0
    assert "page.md:7:48: error CIT001" in result.stderr
    assert "'guo2019'" in result.stderr


@pytest.mark.build
def test_fixture_site_with_known_citations_builds_clean(tmp_path):
    site = _fixture_site(tmp_path)
    (site / "docs" / "page.md").write_text("# Page\n\nCited again [@guo2018].\n", encoding="utf-8")
    result = _build(site)
    assert result.returncode == 0, result.stderr
    assert "CIT" not in result.stderr


@pytest.mark.build
def test_a_broken_bibliography_stops_the_build_with_file_and_line(tmp_path):
    site = _fixture_site(tmp_path)
    (site / "refs.bib").write_text((FIXTURES / "syntax.bib").read_text(encoding="utf-8"), encoding="utf-8")
    result = _build(site)
    assert result.returncode != 0
    assert "refs.bib:5:3: error BIB001" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_committed_registry_cache_is_in_the_form_update_cache_writes():
    """Sorted keys, two-space indentation: a refresh's diff shows only what changed."""
    from ivig_tools import doi_registry

    path = ROOT / "hooks" / "data" / "doi-registry.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == doi_registry.dump_cache(data)
    assert all(key == key.lower() for key in data["records"])


@pytest.mark.build
def test_the_hook_never_touches_the_network(tmp_path, monkeypatch):
    """A whole build, in this process, with every outgoing connection refused."""
    import socket

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access during the build: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    site = _fixture_site(tmp_path)
    (site / "docs" / "page.md").write_text("# Page\n\nCited again [@guo2018].\n", encoding="utf-8")
    config = load_config(str(site / "mkdocs.yml"), site_dir=str(site / "out"))
    build(config)
    assert (site / "out" / "index.html").exists()


# --- registry, severities, suppression, excludes -------------------------------------------------

NO_DOI = """@article{nodoi2020,
  author = {Smith, Ann},
  title = {A study without a DOI},
  journal = {Some Journal},
  shortjournal = {Some J},
  year = {2020},
  volume = {1},
  pages = {1--2},
}
"""


def _bib_and_page(tmp_path: Path, bib: str, page: str = "") -> tuple[Path, Path]:
    bib_path = tmp_path / "refs.bib"
    bib_path.write_text(bib, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "page.md").write_text(page or "# Page\n\nA claim.[@nodoi2020]\n", encoding="utf-8")
    return bib_path, docs


def _json(*args: str, cwd: Path) -> tuple[int, list[dict]]:
    result = run_cli("--format", "json", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def _ids_in_code(paths: list[Path]) -> set[str]:
    ids: set[str] = set()
    for path in paths:
        ids |= set(re.findall(r"[\"']((?:BIB|HSE|CIT|DOI|REG)\d{3})[\"']", path.read_text(encoding="utf-8")))
    return ids


def test_every_id_the_check_can_emit_is_registered_and_every_registered_id_is_emitted():
    tools = ROOT / "hooks" / "ivig_tools"
    code = [p for p in (tools / "bibcheck").glob("*.py") if p.name != "rules.py"]
    emitted = _ids_in_code([*code, tools / "doi_registry.py"])
    assert sorted(emitted - set(bibcheck.BIB_RULES.rules)) == []
    assert sorted(set(bibcheck.BIB_RULES.rules) - emitted) == []


def test_a_bib_comment_with_a_reason_silences_the_entry_after_it(tmp_path):
    bib = "% doi-check: disable DOI006 -- a report that has no DOI\n" + NO_DOI
    bib_path, docs = _bib_and_page(tmp_path, bib)
    _, rows = _json(str(bib_path), str(docs), "--cache", str(FIXTURES / "registry.json"), cwd=tmp_path)
    (row,) = [r for r in rows if r["rule"] == "DOI006"]
    assert row["suppressed"] and row["suppression_reason"] == "a report that has no DOI"
    assert [r["rule"] for r in rows if r["rule"].startswith("BIB09")] == []
    # The twin without the comment reports DOI006, not suppressed.
    bib_path, docs = _bib_and_page(tmp_path, NO_DOI)
    _, rows = _json(str(bib_path), str(docs), "--cache", str(FIXTURES / "registry.json"), cwd=tmp_path)
    assert [r["suppressed"] for r in rows if r["rule"] == "DOI006"] == [False]


@pytest.mark.parametrize(
    ("comment", "rules"),
    [
        ("% doi-check: disable DOI006\n", ["BIB090"]),  # no reason
        ("% doi-check: disable -- no rule named\n", ["BIB091"]),
        ("% doi-check: disable DOI999 -- a typo\n", ["BIB091"]),
        ("% doi-check: disable BIB005 -- nothing to silence\n", ["BIB092"]),
    ],
)
def test_bib_comment_problems_are_reported(tmp_path, comment, rules):
    bib_path, docs = _bib_and_page(tmp_path, comment + NO_DOI)
    _, rows = _json(str(bib_path), str(docs), "--cache", str(FIXTURES / "registry.json"), cwd=tmp_path)
    assert [r["rule"] for r in rows if r["rule"].startswith("BIB09")] == rules
    assert all(r["line"] == 1 and r["path"] == "refs.bib" for r in rows if r["rule"].startswith("BIB09"))


def test_a_page_comment_silences_a_citation_finding(tmp_path):
    page = (
        "# Page\n\n<!-- doi-check: disable CIT003 -- the page number is the point -->\n"
        "See [@nodoi2020, p. 3].\n"
    )
    bib_path, docs = _bib_and_page(tmp_path, NO_DOI, page)
    _, rows = _json(str(bib_path), str(docs), "--cache", str(FIXTURES / "registry.json"), cwd=tmp_path)
    (row,) = [r for r in rows if r["rule"] == "CIT003"]
    assert row["suppressed"] and row["suppression_reason"] == "the page number is the point"
    inside_code = (
        "# Page\n\n```\n<!-- doi-check: disable CIT003 -- in code -->\n```\nSee [@nodoi2020, p. 3].\n"
    )
    bib_path, docs = _bib_and_page(tmp_path, NO_DOI, inside_code)
    _, rows = _json(str(bib_path), str(docs), "--cache", str(FIXTURES / "registry.json"), cwd=tmp_path)
    assert [r["suppressed"] for r in rows if r["rule"] == "CIT003"] == [False]


@pytest.mark.parametrize(("setting", "expected"), [("error", ["error"]), ("'off'", [])])
def test_severities_of_the_bibliography_rules_are_configurable(tmp_path, setting, expected):
    config = tmp_path / "doi_check.yaml"
    config.write_text(f"version: 1\nrules: {{DOI006: {setting}}}\n", encoding="utf-8")
    bib_path, docs = _bib_and_page(tmp_path, NO_DOI)
    args = [str(bib_path), str(docs), "--cache", str(FIXTURES / "registry.json"), "--config", str(config)]
    code, rows = _json(*args, cwd=tmp_path)
    assert [r["severity"] for r in rows if r["rule"] == "DOI006"] == expected
    assert code == (1 if expected == ["error"] else 0)


def test_a_bad_bibliography_rule_file_is_one_line_with_its_line(tmp_path):
    config = tmp_path / "doi_check.yaml"
    config.write_text("version: 1\nrules:\n  DOI006: loud\n", encoding="utf-8")
    result = run_cli("--config", str(config))
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"{config.resolve()}:3: rules.DOI006: 'loud' is not one of error, warning, info, off" in line


def test_pages_the_lint_excludes_are_skipped_in_folders(tmp_path):
    bib_path, docs = _bib_and_page(tmp_path, NO_DOI)
    (docs / "references.md").write_text("# References\n\nA stray [@nokey2020].\n", encoding="utf-8")
    _, rows = _json(str(bib_path), str(docs), "--cache", str(FIXTURES / "registry.json"), cwd=tmp_path)
    assert [r for r in rows if r["rule"] == "CIT001"] == []
    # Named on its own, the page is checked.
    _, rows = _json(str(bib_path), str(docs / "references.md"), cwd=tmp_path)
    assert [r["rule"] for r in rows if r["rule"] == "CIT001"] == ["CIT001"]


def test_only_regular_files_are_read(tmp_path):
    result = run_cli("/dev/null")
    assert result.returncode == 2
    assert result.stderr.strip() == "doi_check.py: error: /dev/null: not a regular file (a character device)"


def test_the_hook_state_is_made_new_for_each_build(tmp_path):
    """on_config makes the build's state: nothing (cited keys, bibliography) carries over."""
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("doi_check_hook_under_test", SCRIPT)
    assert spec and spec.loader
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    (tmp_path / "references.bib").write_text(NO_DOI, encoding="utf-8")

    def config():
        plugins = SimpleNamespace(get=lambda name: None)
        return SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"), plugins=plugins)

    hook.on_config(config())
    first = hook._build
    first.cited.add("nodoi2020")
    hook.on_config(config())
    assert hook._build is not first
    assert hook._build.cited == set()
    assert [e.key for b in hook._build.bibs for e in b.entries] == ["nodoi2020"]


# --- profiles: this guide's house rules apart from biblatex's data model ----------------------

HOUSE_ONLY = """@article{smith:2020,
  author = {Smith, Ann},
  title = {A study},
  journal = {Some Journal},
  year = {2020},
}
"""


@pytest.mark.parametrize(
    ("profile", "expected"),
    [("house", ["BIB003", "DOI006", "HSE001", "HSE001", "HSE001"]), ("biblatex", [])],
)
def test_the_biblatex_profile_leaves_the_house_rules_out(tmp_path, profile, expected):
    bib = tmp_path / "other.bib"
    bib.write_text(HOUSE_ONLY, encoding="utf-8")
    code, rows = _json(
        str(bib), "--profile", profile, "--cache", str(FIXTURES / "registry.json"), cwd=tmp_path
    )
    assert sorted(r["rule"] for r in rows) == expected
    assert code == (1 if expected else 0)
    # The data model still holds under the biblatex profile: an article needs its journal.
    bib.write_text(HOUSE_ONLY.replace("  journal = {Some Journal},\n", ""), encoding="utf-8")
    _, rows = _json(str(bib), "--profile", profile, cwd=tmp_path)
    assert "BIB004" in [r["rule"] for r in rows]


def test_the_profile_can_be_set_in_the_rule_file(tmp_path):
    config = tmp_path / "doi_check.yaml"
    config.write_text("version: 1\nprofile: biblatex\nrules: {}\n", encoding="utf-8")
    bib = tmp_path / "other.bib"
    bib.write_text(HOUSE_ONLY, encoding="utf-8")
    code, rows = _json(str(bib), "--config", str(config), cwd=tmp_path)
    assert (code, rows) == (0, [])
    config.write_text("version: 1\nprofile: lenient\nrules: {}\n", encoding="utf-8")
    result = run_cli(str(bib), "--config", str(config), cwd=tmp_path)
    assert result.returncode == 2 and ":2: profile: 'lenient' is not one of house, biblatex" in result.stderr


# --- crossref, xdata, ids ----------------------------------------------------------------------

CROSSREF = """@proceedings{westfahl_frontier,
  editor = {Westfahl, Gary},
  title = {Space and Beyond},
  publisher = {Greenwood},
  year = {2000},
}
@inproceedings{westfahl_space,
  author = {Westfahl, Gary},
  title = {The True Frontier},
  crossref = {westfahl_frontier},
}
@xdata{gw_data,
  publisher = {Greenwood},
  year = {2001},
}
@incollection{with_xdata,
  author = {Westfahl, Gary},
  title = {A Chapter},
  booktitle = {A Collection},
  xdata = {gw_data},
}
"""


def test_required_fields_are_inherited_from_the_crossref_and_xdata_parents():
    assert [f.format() for f in check(CROSSREF) if f.rule.startswith("BIB")] == []
    # The safe twin: without the parent, the part misses its booktitle and year.
    alone = CROSSREF.replace("crossref = {westfahl_frontier}", "note = {no parent}")
    missing = [f.extra["field"] for f in check(alone) if f.rule == "BIB004"]
    assert missing == ["booktitle", "year"]


def test_a_dangling_crossref_is_its_own_rule_and_ids_are_aliases():
    dangling = CROSSREF.replace("crossref = {westfahl_frontier}", "crossref = {westfahl2000}")
    found = [f for f in check(dangling) if f.rule == "BIB012"]
    assert [(f.line, f.col) for f in found] == [(10, 15)]
    assert "westfahl2000" in found[0].message
    aliased = dangling.replace(
        "@proceedings{westfahl_frontier,", "@proceedings{westfahl_frontier,\n  ids = {westfahl2000},"
    )
    assert [f.rule for f in check(aliased) if f.rule in ("BIB012", "BIB004")] == []


# --- field content: each rule with safe twins that must stay quiet ---------------------------------


@pytest.mark.parametrize(
    ("extra", "rule", "bad"),
    [
        ("url = {https://a.org/1 https://b.org/2}", "BIB013", True),
        ("url = {https://a.org/1, https://b.org/2}", "BIB013", True),
        ("url = {https://web.archive.org/web/2020/https://example.org/x}", "BIB013", False),
        ("url = {https://example.org/?next=https://example.org/y}", "BIB013", False),
        ("editor = {World Medical Association}", "BIB014", True),
        ("editor = {Smith, Ann and National Institute for Health and Care Excellence}", "BIB014", True),
        ("editor = {{World Medical Association}}", "BIB014", False),
        ("editor = {Association, World Medical}", "BIB014", False),
        ("editor = {Ann Smith and Bob Jones}", "BIB014", False),
        ("issn = {1664-3225}", "BIB015", True),
        ("issn = {1664-322}", "BIB015", True),
        ("issn = {1664-3224}", "BIB015", False),
        ("issn = {0097-8493, 1664-3224}", "BIB015", False),
        ("issn = {2050-084X}", "BIB015", False),
        ('doi = {10.1109/TABLETOP.2006.28","publicationTitle":"First}', "DOI002", True),
        ("doi = {10.1002/(SICI)1097-4636(199812)43:4<406::AID-JBM7>3.0.CO;2-#}", "DOI002", False),
    ],
)
def test_field_content_rules_and_their_safe_twins(extra, rule, bad):
    text = article(extra=f"\n  {extra},")
    if extra.startswith("doi"):
        text = article(doi=extra.split("{", 1)[1].rsplit("}", 1)[0])
    found = [f.rule for f in check(text)]
    assert (rule in found) == bad, [f.format() for f in check(text)]


@pytest.mark.parametrize(
    ("pages", "bad"),
    [
        ("n/a", True),
        ("-", True),
        ("1-", True),
        ("pp. 12--14", True),
        ("??", True),
        ("136--144", False),
        ("136-144", False),
        ("136–144", False),
        ("S1--S46", False),
        ("e1002345", False),
        ("iv--xii", False),
        ("411.e1--411.e7", False),
        ("431--456, 791--823", False),
        ("1299", False),
    ],
)
def test_junk_page_values(pages, bad):
    assert ("BIB016" in rules(article(pages=pages))) == bad


def test_info_doi_uri_is_a_doi_in_uri_form():
    assert bibcheck.normalise_doi("info:doi/10.1000/xyz") == "10.1000/xyz"
    (f,) = [f for f in check(article(doi="info:doi/10.3389/fimmu.2018.01299")) if f.rule.startswith("DOI")]
    assert f.rule == "DOI001" and "write doi = {10.3389/fimmu.2018.01299}" in f.message


def test_a_macro_of_another_file_gets_advice_that_names_it(tmp_path):
    macros = "@string{jn = {Some Journal}}\n"
    uses = article().replace("journal      = {Frontiers in Immunology}", "journal      = jn")
    assert "= jn," in uses
    found = bibcheck.check([("macros.bib", macros), ("refs.bib", uses)], None, TEST_CACHE)
    (f,) = [f for f in found if f.rule == "BIB010"]
    assert (
        "'jn' is an @string of macros.bib:1" in f.message and "copy the @string into this file" in f.message
    )
    # The same macro in the same file, before its use, is fine.
    assert [
        f for f in bibcheck.check([("refs.bib", macros + uses)], None, TEST_CACHE) if f.rule == "BIB010"
    ] == []


@pytest.mark.parametrize(
    ("author", "fatal"),
    [("family=Gennep, given=Arnold, prefix=van, useprefix=true", True), ("family=Doe, given=Jane", False)],
)
def test_biblatex_extended_names_get_their_own_advice(author, fatal):
    (f,) = [f for f in check(article(author=author)) if f.rule == "BIB009"]
    assert "extended name format" in f.message and "too many commas" not in f.message
    assert bibcheck.is_fatal(f) == fatal


def test_doubling_string_macros_are_a_finding_not_a_memory_error():
    lines = ['@string{m0 = "xxxxxxxxxxxxxxxx"}']
    lines += [f"@string{{m{i} = m{i - 1} # m{i - 1}}}" for i in range(1, 40)]
    lines.append("@misc{k, title = m39, note = {N}}")
    text = "\n".join(lines) + "\n"
    assert len(text.encode()) < 1100  # (the file was 827 bytes)
    found = [f for f in check(text) if f.rule == "BIB011"]
    assert [(f.line, bibcheck.is_fatal(f)) for f in found] == [(14, True), (41, True)]
    assert [f for f in check(text) if f.rule in ("BIB001", "BIB010")] == []
