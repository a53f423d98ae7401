"""The medical-term lint on hostile pages (issue 15): no quadratic pattern, a byte order
mark read like any other page, and an internal error that never exits 1. Each fast path
is checked against its simple version on fuzzed text."""

from __future__ import annotations

import datetime as dt
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ivig_tools import mdmask
from ivig_tools.findings import EXIT_INTERNAL
from ivig_tools.terms import lint, load_config
from ivig_tools.terms.engine import QuoteIndex, in_quotes

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "hooks" / "medical_terms.py"
TODAY = dt.date(2026, 11, 22)
FRONT = "---\ntitle: Test\nreviewed: 2026-10-01\n---\n\n"


@pytest.fixture(scope="module")
def config():
    cfg = load_config()
    lint(FRONT + "Warm up the word lists.", "warm.md", cfg, today=TODAY)
    return cfg


def timed_lint(text: str, config) -> float:
    t0 = time.perf_counter()
    lint(text, "p.md", config, today=TODAY)
    return time.perf_counter() - t0


# --- no quadratic pattern ---------------------------------------------------------------

HOSTILE_200K = {
    "unclosed comments": "<!-- a ",
    "unclosed suppression comments": "<!-- medical-terms: disable MED050 ",
    "closed suppression comments": "<!-- medical-terms: disable MED050 -- quoted --> cures\n",
    "backticks without blank lines": "`` ` ``` a ",
    "quotes and names on one line": '"\u201c IVIg colour " ',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_200K))
def test_200_kb_of_hostile_markup_takes_under_2_s(name, config):
    unit = HOSTILE_200K[name]
    text = FRONT + unit * (200_000 // len(unit))
    assert timed_lint(text, config) < 2.0


def test_a_5_mb_single_line_takes_under_10_s(config):
    unit = (
        'IVIg cures the colour of "anaemia" in the centre of PI (qd) 5 U. Smith AB. sepsis '
        "off-label [x](https://example.org/c) <b>x</b> {#id} [^1] a@b.com @key `c` 1.0-2 mg .5 mg/kg "
    )
    text = FRONT + unit * (5_000_000 // len(unit))
    assert "\n" not in text[len(FRONT) :]
    assert timed_lint(text, config) < 10.0


# --- a byte order mark -------------------------------------------------------------------


def test_a_page_with_a_byte_order_mark_is_read_like_any_other(config):
    page = FRONT + "Give 5 U now.\n"
    plain = lint(page, "p.md", config, today=TODAY)
    with_bom = lint("\ufeff" + page, "p.md", config, today=TODAY)
    assert "MED070" not in {f.rule for f in with_bom}
    assert [f.format() for f in with_bom] == [f.format() for f in plain]


def test_the_command_line_reads_a_page_with_a_byte_order_mark(tmp_path):
    page = tmp_path / "bom.md"
    page.write_bytes(b"\xef\xbb\xbf" + FRONT.encode() + b"Plain words here.\n")
    proc = subprocess.run(
        [sys.executable, str(CLI), "--today", "2026-11-22", str(page)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "MED070" not in proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- an internal error exits 3, with where to report it -----------------------------------


def _run_broken(setup: str) -> subprocess.CompletedProcess[str]:
    code = (
        f"import runpy, sys; sys.path.insert(0, {str(ROOT / 'hooks')!r}); {setup}; "
        f"sys.argv = ['medical_terms.py', {str(ROOT / 'tests/fixtures/md/medical-terms-bad.md')!r}]; "
        f"runpy.run_path({str(CLI)!r}, run_name='__main__')"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_a_crash_inside_a_check_exits_3_not_1():
    proc = _run_broken(
        "import ivig_tools.terms.linter as L; L.CHECKS = (lambda page: 1 / 0,)",
    )
    assert proc.returncode == EXIT_INTERNAL == 3
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert "internal error" in line and "ZeroDivisionError" in line and "report" in line


def test_a_crash_while_starting_exits_3_not_1():
    proc = _run_broken("sys.modules['ivig_tools.terms'] = None")
    assert proc.returncode == 3
    (line,) = proc.stderr.splitlines()
    assert "internal error while starting" in line and "report" in line


# --- fast paths against their simple versions, on fuzzed text ----------------------------

ALPHABET = ['"', "\u201c", "\u201d", "\n", "\n\n", "<!--", "-->", "`", "``", "a", " ", "-", ">", "!"]


def fuzzed(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def test_html_comment_spans_match_the_lazy_regex():
    simple = re.compile(r"<!--.*?-->", re.DOTALL)
    rng = random.Random(15)
    for _ in range(3000):
        text = fuzzed(rng, rng.randrange(0, 40))
        want = [m.span() for m in simple.finditer(text)]
        assert list(mdmask.html_comment_spans(text)) == want, text


def _inline_code_spans_simple(text: str) -> list[tuple[int, int]]:
    """inline_code_spans as it was: the paragraph's end searched again for every run."""
    out = []
    pos, end = 0, len(text)
    while True:
        m = re.compile(r"``*").search(text, pos, end)
        if not m:
            return out
        ticks = m.group(0)
        para_end = text.find("\n\n", m.end(), end)
        limit = end if para_end == -1 else para_end
        close = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(text, m.end(), limit)
        if close:
            out.append((m.start(), close.end()))
            pos = close.end()
        else:
            pos = m.end()


def test_inline_code_spans_match_the_simple_version():
    rng = random.Random(1515)
    for _ in range(3000):
        text = fuzzed(rng, rng.randrange(0, 40))
        assert list(mdmask.inline_code_spans(text)) == _inline_code_spans_simple(text), text


def test_quote_index_matches_in_quotes():
    rng = random.Random(151515)
    for _ in range(1000):
        text = fuzzed(rng, rng.randrange(0, 40))
        index = QuoteIndex(text, mdmask.LineIndex(text))
        for start in range(len(text) + 1):
            assert index(start) == in_quotes(text, start), (text, start)


def test_line_start_matches_rfind():
    rng = random.Random(7)
    for _ in range(500):
        text = fuzzed(rng, rng.randrange(0, 30))
        lines = mdmask.LineIndex(text)
        for i in range(len(text) + 1):
            assert lines.line_start(i) == text.rfind("\n", 0, i) + 1
