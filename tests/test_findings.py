"""The one finding format (hooks/ivig_tools/findings.py) and the CI summary built on it.

Text, JSON (suppressed findings included), GitHub annotations with GitHub's escaping, exit
codes with and without --strict, the Markdown summary, and scripts/findings_summary.py
with checkers that are missing, crash or print nonsense.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from ivig_tools import findings as fmod
from ivig_tools.findings import Finding

ROOT = Path(__file__).resolve().parent.parent


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


summary_script = _load_script("findings_summary")


def F(
    *, path="docs/uses.md", line=12, col=5, severity="error", rule="MED001", message="msg", **kw
) -> Finding:
    return Finding(path, line, col, severity, rule, message, **kw)


# --- the Finding itself and the text format ------------------------------------------


def test_one_line_per_finding_in_the_house_format():
    f = F(message='"q.d." is on the Do Not Use list; write "daily"')
    assert f.format() == 'docs/uses.md:12:5: error MED001 "q.d." is on the Do Not Use list; write "daily"'


def test_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="Unexpected severity"):
        F(severity="fatal")


def test_text_is_sorted_by_place_then_severity_and_skips_suppressed():
    found = [
        F(path="docs/b.md", line=1, col=1, severity="info", rule="R3"),
        F(path="docs/a.md", line=9, col=1, severity="warning", rule="R2"),
        F(path="docs/a.md", line=2, col=4, severity="info", rule="R1"),
        F(path="docs/a.md", line=2, col=4, severity="error", rule="R0"),
        F(path="docs/a.md", line=1, col=1, rule="HIDDEN", suppressed=True, suppression_reason="quoted"),
    ]
    assert fmod.format_text(found).splitlines() == [
        "docs/a.md:2:4: error R0 msg",
        "docs/a.md:2:4: info R1 msg",
        "docs/a.md:9:1: warning R2 msg",
        "docs/b.md:1:1: info R3 msg",
    ]


def test_text_of_nothing_is_empty():
    assert fmod.format_text([]) == ""
    assert fmod.format_github([]) == ""


def test_render_names_the_formats_on_a_bad_one():
    assert fmod.render([F()], "text") == fmod.format_text([F()])
    with pytest.raises(ValueError, match="Unexpected format: 'xml'"):
        fmod.render([F()], "xml")


# --- JSON --------------------------------------------------------------------------


def test_json_lists_every_finding_with_suppressions_marked():
    found = [
        F(rule="MED001"),
        F(line=20, rule="MED010", message="µg: write mcg", suppressed=True, suppression_reason="quoted"),
    ]
    rows = json.loads(fmod.format_json(found))
    assert [r["rule"] for r in rows] == ["MED001", "MED010"]
    assert set(rows[0]) == {
        "path",
        "line",
        "col",
        "severity",
        "rule",
        "message",
        "suppressed",
        "suppression_reason",
    }
    assert rows[0]["suppressed"] is False
    assert rows[1]["suppressed"] is True
    assert rows[1]["suppression_reason"] == "quoted"
    # Non-ASCII stays readable in the JSON text.
    assert "µg" in fmod.format_json(found)


def test_json_keeps_extra_only_when_there_is_some():
    rows = json.loads(fmod.format_json([F(), F(line=13, extra={"doi": "10.1/x"})]))
    assert "extra" not in rows[0]
    assert rows[1]["extra"] == {"doi": "10.1/x"}


def test_json_of_nothing_is_an_empty_array():
    assert json.loads(fmod.format_json([])) == []


# --- exit codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severities", "strict", "expected"),
    [
        ([], False, 0),
        (["info"], False, 0),
        (["info"], True, 0),
        (["warning"], False, 0),
        (["warning"], True, 1),
        (["error"], False, 1),
        (["error", "info"], True, 1),
    ],
)
def test_exit_code(severities, strict, expected):
    found = [F(severity=s, line=i + 1) for i, s in enumerate(severities)]
    assert fmod.exit_code(found, strict=strict) == expected


def test_suppressed_findings_never_fail():
    found = [F(suppressed=True), F(severity="warning", suppressed=True)]
    assert fmod.exit_code(found) == fmod.EXIT_OK
    assert fmod.exit_code(found, strict=True) == fmod.EXIT_OK


def test_exit_code_constants():
    assert (fmod.EXIT_OK, fmod.EXIT_FINDINGS, fmod.EXIT_USAGE) == (0, 1, 2)


# --- GitHub annotations --------------------------------------------------------------


def _unescape_data(value: str) -> str:
    # The reverse of GitHub's toolkit (packages/core/src/command.ts), as the runner reads it.
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(value: str) -> str:
    return _unescape_data(value.replace("%3A", ":").replace("%2C", ","))


def _parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    assert line.startswith("::")
    command, _, message = line[2:].partition("::")
    level, _, props = command.partition(" ")
    pairs = dict(p.split("=", 1) for p in props.split(","))
    return level, {k: _unescape_property(v) for k, v in pairs.items()}, _unescape_data(message)


@pytest.mark.parametrize(
    ("severity", "level"), [("error", "error"), ("warning", "warning"), ("info", "notice")]
)
def test_annotation_shape(severity, level):
    line = fmod.github_annotation(F(path="docs/side-effects.md", line=3, col=7, severity=severity))
    assert line == f"::{level} file=docs/side-effects.md,line=3,col=7,title=MED001::msg"


def test_annotation_escapes_percent_cr_lf_in_the_message():
    line = fmod.github_annotation(F(message="100% of\r\nthe dose: 10%0A, not %25"))
    assert line.endswith("::100%25 of%0D%0Athe dose: 10%250A, not %2525")
    # Colons and commas are legal in the message; only the properties need them escaped.
    assert "\n" not in line
    assert "\r" not in line


def test_annotation_escapes_colon_and_comma_in_properties():
    line = fmod.github_annotation(F(path="docs/a,b:c%.md", rule="R:1,2"))
    assert "file=docs/a%2Cb%3Ac%25.md," in line
    assert ",title=R%3A1%2C2::" in line


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("docs/plain.md", "plain"),
        ("docs/odd, name: 50%.md", "line one\nline two\r\nthree: a, b; 10% and %0A and %25"),
        ("C:\\docs\\x.md", "::error:: inside a message"),
        ("docs/µ.md", "µg is error-prone; write mcg"),
    ],
)
def test_annotation_round_trips_through_githubs_unescaping(path, message):
    level, props, text = _parse_annotation(fmod.github_annotation(F(path=path, message=message)))
    assert level == "error"
    assert props == {"file": path, "line": "12", "col": "5", "title": "MED001"}
    assert text == message


def test_github_format_is_one_annotation_per_active_finding():
    found = [F(line=2), F(line=1, severity="warning"), F(line=3, suppressed=True)]
    lines = fmod.format_github(found).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::warning", "::error"]


# --- the Markdown summary ----------------------------------------------------------


def test_summary_counts_and_lists_every_active_finding():
    found = [
        F(path="docs/a.md", line=1, col=2, rule="DOI010", message="retracted | see notice\nnow"),
        F(path="docs/a.md", line=5, col=1, severity="info", rule="DOI030"),
        F(path="docs/a.md", line=6, col=1, severity="info", rule="DOI031"),
        F(path="docs/a.md", line=7, col=1, rule="HIDDEN", suppressed=True),
    ]
    text = fmod.summary_markdown(found, title="References")
    lines = text.splitlines()
    assert lines[0] == "### References"
    assert "1 error, 0 warnings, 2 infos" in lines
    assert "| Severity | Location | Rule | Message |" in lines
    assert "| error | `docs/a.md:1:2` | DOI010 | retracted \\| see notice now |" in lines
    assert "HIDDEN" not in text


def test_summary_without_findings_has_no_table():
    text = fmod.summary_markdown([], title="Medical terms")
    assert text.startswith("### Medical terms\n")
    assert "0 errors, 0 warnings, 0 infos" in text
    assert "|" not in text


def test_log_findings_uses_the_matching_levels(caplog):
    logger = logging.getLogger("mkdocs.plugins.test_findings")
    found = [
        F(line=1),
        F(line=2, severity="warning"),
        F(line=3, severity="info"),
        F(line=4, suppressed=True),
    ]
    with caplog.at_level(logging.INFO, logger=logger.name):
        fmod.log_findings(found, logger)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("ERROR", "docs/uses.md:1:5: error MED001 msg"),
        ("WARNING", "docs/uses.md:2:5: warning MED001 msg"),
        ("INFO", "docs/uses.md:3:5: info MED001 msg"),
    ]


# --- scripts/findings_summary.py ---------------------------------------------------


def _fake_checker(root: Path, script: str, body: str) -> None:
    path = root / script
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body), encoding="utf-8")


ROWS = [
    {
        "path": "references.bib",
        "line": 4,
        "col": 3,
        "severity": "error",
        "rule": "DOI010",
        "message": "hooper1995: 10.1/x is retracted",
        "suppressed": False,
    },
    {
        "path": "docs/a.md",
        "line": 9,
        "col": 1,
        "severity": "info",
        "rule": "DOI030",
        "message": "unverified",
        "suppressed": True,
        "suppression_reason": "waiting for the publisher",
    },
]


def test_summary_script_renders_a_checkers_json(tmp_path):
    _fake_checker(
        tmp_path,
        "hooks/doi_check.py",
        f"""
        import sys
        assert sys.argv[1:] == ["--format", "json"], sys.argv
        print({json.dumps(json.dumps(ROWS))})
        sys.exit(1)
        """,
    )
    text = summary_script.section(summary_script.CHECKERS["doi"], root=tmp_path)
    assert text.startswith("### References and DOIs (`hooks/doi_check.py`)")
    assert "1 error, 0 warnings, 0 infos" in text
    assert "| error | `references.bib:4:3` | DOI010 | hooper1995: 10.1/x is retracted |" in text
    assert "1 more suppressed in place" in text


def test_summary_script_passes_the_docs_folder_to_the_term_lint(tmp_path):
    _fake_checker(
        tmp_path,
        "hooks/medical_terms.py",
        """
        import sys
        assert sys.argv[1:] == ["--format", "json", "docs"], sys.argv
        print("[]")
        """,
    )
    text = summary_script.section(summary_script.CHECKERS["medical"], root=tmp_path)
    assert "0 errors, 0 warnings, 0 infos" in text


def test_summary_script_explains_a_missing_checker(tmp_path):
    text = summary_script.section(summary_script.CHECKERS["doi"], root=tmp_path)
    assert "`hooks/doi_check.py` does not exist, so it was not run." in text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "import sys\nprint('Traceback: boom', file=sys.stderr)\nsys.exit(2)\n",
            "failed with exit code 2",
        ),
        ("print('not json')\n", "did not print JSON"),
        ("print('{}')\n", "printed dict, not a list"),
        (
            'print(\'[{"path": "a", "line": 1, "col": 1, "severity": "fatal", '
            '"rule": "X", "message": "m"}]\')\n',
            "unexpected row",
        ),
        ('print(\'[{"path": "a"}]\')\n', "unexpected row"),
    ],
)
def test_summary_script_explains_a_broken_checker(tmp_path, body, expected):
    _fake_checker(tmp_path, "hooks/doi_check.py", body)
    text = summary_script.section(summary_script.CHECKERS["doi"], root=tmp_path)
    assert text.startswith("### References and DOIs")
    assert expected in text
    if "exit code 2" in expected:
        assert "Traceback: boom" in text


def test_summary_script_main_writes_every_section(tmp_path, monkeypatch, capsys):
    # The sections themselves are tested above; here only how main() puts them together.
    monkeypatch.setattr(
        summary_script,
        "section",
        lambda checker, root=tmp_path, python=sys.executable: f"### {checker.name}\n",
    )
    out = tmp_path / "summary.md"
    out.write_text("before\n", encoding="utf-8")
    assert summary_script.main(["--output", str(out), "--title", "Checks"]) == 0
    assert out.read_text(encoding="utf-8") == "before\n## Checks\n\n### doi\n\n### medical\n"
    assert summary_script.main(["--checker", "doi"]) == 0
    assert capsys.readouterr().out == "## Findings of the content checkers\n\n### doi\n"


def test_summary_script_stays_under_githubs_size_limit():
    text = "## T\n" + "".join(f"| error | `a.md:{i}:1` | R | {'x' * 80} |\n" for i in range(20_000))
    cut = summary_script.truncate(text, limit=10_000)
    assert len(cut.encode("utf-8")) < 10_300
    assert cut.rstrip().endswith("run `make lint` to see every finding.")
    assert summary_script.truncate("short\n") == "short\n"


# --- the command-line core shared by the checkers -------------------------------------------------


def test_an_internal_error_is_one_line_and_exit_3(capsys):
    from ivig_tools import cli

    def broken() -> int:
        raise KeyError("boom")

    assert cli.run_main("x.py", broken) == fmod.EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("x.py: internal error: KeyError: 'boom' (at test_findings.py:")
    assert "Traceback" not in err


def test_a_usage_error_is_one_line_and_exit_2(capsys):
    from ivig_tools import cli

    def bad_input() -> int:
        raise cli.UsageError("docs/x.md: not UTF-8 text")

    assert cli.run_main("x.py", bad_input) == fmod.EXIT_USAGE
    assert capsys.readouterr().err == "x.py: error: docs/x.md: not UTF-8 text\n"


def test_only_regular_files_are_read_and_folders_honour_excludes(tmp_path):
    from ivig_tools import cli

    (tmp_path / "a.md").write_text("A", encoding="utf-8")
    (tmp_path / "glossary.md").write_text("G", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("B", encoding="utf-8")
    found = cli.markdown_files([tmp_path], lambda rel: rel == "glossary.md")
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.md", "sub/b.md"]
    assert cli.markdown_files([tmp_path / "glossary.md"], lambda rel: True) == [tmp_path / "glossary.md"]
    with pytest.raises(cli.UsageError, match="not a regular file"):
        cli.read_text(Path("/dev/null"))
    with pytest.raises(cli.UsageError, match="no such file or folder"):
        cli.markdown_files([tmp_path / "missing.md"])
    (tmp_path / "latin1.md").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(cli.UsageError, match=r"latin1\.md:1:4: not UTF-8 text"):
        cli.read_text(tmp_path / "latin1.md")


# --- the one entry point that runs every checker --------------------------------------------------


def test_the_entry_point_runs_every_checker_and_keeps_the_worst_exit_code(tmp_path):
    import checkers

    assert {c.script for c in checkers.CHECKERS} == {"hooks/doi_check.py", "hooks/medical_terms.py"}
    assert checkers.worst([0, 1, 0]) == 1
    assert checkers.worst([1, 2]) == 2
    assert checkers.worst([2, 3, 1]) == 3
    assert checkers.worst([0, 0]) == 0
    assert checkers.worst([1, 7]) == 7  # an unknown code is the most serious
    root = Path(checkers.__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "hooks/checkers.py", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    rows = json.loads(proc.stdout)
    # One array with the findings of both checkers.
    assert {r["rule"][:3] for r in rows} >= {"MED", "DOI"}
    alone = subprocess.run(
        [sys.executable, "hooks/checkers.py", "--format", "json", "--only", "doi"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert [r for r in rows if not r["rule"].startswith("MED")] == json.loads(alone.stdout)
