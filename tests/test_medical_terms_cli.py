"""The medical-term lint as a command line: formats, exit codes, golden fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "hooks" / "medical_terms.py"
FIXTURES = ROOT / "tests" / "fixtures" / "md"
TODAY = "2026-11-22"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CLI), "--today", TODAY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("name", ["medical-terms-bad", "medical-terms-clean"])
def test_golden_fixture(name):
    """The findings on each fixture page are exactly those in its .expected.txt file."""
    proc = run(f"tests/fixtures/md/{name}.md")
    expected = (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8")
    assert proc.stdout == expected
    assert proc.stderr == ""


def test_exit_codes():
    assert run("tests/fixtures/md/medical-terms-bad.md").returncode == 1  # errors
    assert run("tests/fixtures/md/medical-terms-clean.md").returncode == 0  # only info
    assert run("--strict", "tests/fixtures/md/medical-terms-clean.md").returncode == 0


def test_strict_fails_on_warnings(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("---\nreviewed: 2026-10-01\n---\n\nIt is completely safe.\n", encoding="utf-8")
    assert run(str(page)).returncode == 0
    assert run("--strict", str(page)).returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tests/fixtures/md/no-such-page.md"], "tests/fixtures/md/no-such-page.md: no such file or folder"),
        (["--format", "xml", "docs"], "invalid choice: 'xml'"),
        (["--config", "no-such-rules.yaml", "docs"], "no-such-rules.yaml: cannot read the rule file"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_and_io_problems_exit_2_with_one_line(args, message):
    proc = run(*args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr


def test_unreadable_file_is_named(tmp_path):
    bad = tmp_path / "latin1.md"
    bad.write_bytes("caf\xe9\n".encode("latin-1"))
    proc = run(str(bad))
    assert proc.returncode == 2
    assert "latin1.md:1:4: not UTF-8 text" in proc.stderr


def test_github_format_escapes_and_levels(tmp_path):
    page = tmp_path / "a,b:c.md"
    page.write_text(
        "---\nreviewed: 2026-10-01\n---\n\nGive 5 U now.\n\nSome 100% completely safe text.\n",
        encoding="utf-8",
    )
    proc = run("--format", "github", str(page), cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert "::error file=a%2Cb%3Ac.md,line=5,col=8,title=MED001::" in lines[0]
    assert any(line.startswith("::warning file=a%2Cb%3Ac.md,line=7,col=11,title=MED050::") for line in lines)
    assert proc.returncode == 1


def test_github_data_escaping():
    from ivig_tools.findings import Finding, github_annotation

    f = Finding("docs/x.md", 3, 4, "warning", "MED050", '100% "safe"\r\nline two')
    assert (
        github_annotation(f)
        == '::warning file=docs/x.md,line=3,col=4,title=MED050::100%25 "safe"%0D%0Aline two'
    )


def test_json_shows_suppressions_with_their_reason():
    proc = run("--format", "json", "tests/fixtures/md/medical-terms-bad.md")
    rows = json.loads(proc.stdout)
    suppressed = [r for r in rows if r["suppressed"]]
    assert [(r["rule"], r["line"], r["suppression_reason"]) for r in suppressed] == [
        ("MED050", 21, "quoted from a 1950s advertisement")
    ]
    # ... and the text format leaves them out
    assert ":21:" not in run("tests/fixtures/md/medical-terms-bad.md").stdout
    assert {r["severity"] for r in rows} == {"error", "warning", "info"}


def test_folder_is_searched_and_exclude_list_applies(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.md", "sub/b.md", "glossary.md", "references.md", "contributing.md"):
        (tmp_path / name).write_text("It is completely safe.\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("It is completely safe.\n", encoding="utf-8")
    proc = run("--format", "json", str(tmp_path))
    paths = {Path(r["path"]).name for r in json.loads(proc.stdout)}
    assert paths == {"a.md", "b.md"}
    # A file named explicitly is linted even when a folder search would skip it.
    proc = run("--format", "json", str(tmp_path / "glossary.md"))
    assert {Path(r["path"]).name for r in json.loads(proc.stdout)} == {"glossary.md"}


def test_default_path_is_docs(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "---\nreviewed: 2026-10-01\n---\n\nGive 5 U.\n", encoding="utf-8"
    )
    proc = run(cwd=tmp_path)
    assert proc.stdout.startswith("docs/index.md:5:8: error MED001")
    assert proc.returncode == 1


def test_workers_give_the_same_findings(tmp_path):
    bad = (FIXTURES / "medical-terms-bad.md").read_text(encoding="utf-8")
    for i in range(6):
        (tmp_path / f"p{i}.md").write_text(bad, encoding="utf-8")
    one = run("--jobs", "1", "--format", "json", str(tmp_path))
    two = run("--jobs", "2", "--format", "json", str(tmp_path))
    assert one.returncode == two.returncode == 1
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert run("--jobs", "-1", str(tmp_path)).returncode == 2


def test_workers_get_runs_of_neighbouring_pages_of_about_equal_size():
    import random

    sys.path.insert(0, str(ROOT / "hooks"))
    from medical_terms import _contiguous_chunks

    rng = random.Random(5)
    for _ in range(500):
        sizes = [rng.choice([0, 1, 10, 1000, 40000]) for _ in range(rng.randrange(1, 40))]
        workers = rng.randrange(1, 5)
        chunks = _contiguous_chunks(sizes, workers)
        assert [i for c in chunks for i in c] == list(range(len(sizes))), (sizes, workers)
        assert 1 <= len(chunks) <= workers
        share = sum(sizes) / workers
        for c in chunks:
            # A run holds no more than its share plus the page that straddles its end.
            assert sum(sizes[i] for i in c) <= share + max(sizes), (sizes, workers, chunks)


def test_a_long_output_is_written_whole_before_the_command_ends(tmp_path):
    """The command ends with os._exit after flushing its output (hooks/medical_terms.py):
    more findings than a pipe holds must all arrive, in both output formats."""
    bad = (FIXTURES / "medical-terms-bad.md").read_text(encoding="utf-8")
    for i in range(60):
        (tmp_path / f"p{i:02d}.md").write_text(bad, encoding="utf-8")
    as_json = run("--jobs", "1", "--format", "json", str(tmp_path))
    rows = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and len(as_json.stdout) > 200_000
    as_text = run("--jobs", "2", str(tmp_path))
    assert as_text.stdout.count("\n") == sum(not r["suppressed"] for r in rows)  # (text leaves them out)
    assert as_text.stdout.endswith("\n") and as_text.returncode == 1
