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
    "unclosed display math": "$$ a^2 ",
    "dollars without math": "$5 and $ x ",
    "unclosed wiki links": "![[a.png ",
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
        "$x^2$ $$ \\frac{a}{b} $$ $5 and $6 ![[a.png]] "
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


MD_ALPHABET = [
    "```",
    "~~~",
    "`",
    "\n",
    "\n\n",
    "> ",
    "  ",
    "text",
    "5 mg",
    "1.0",
    "U",
    "/kg",
    "<!--",
    "-->",
    "[a](http://x.org/b)",
    "<b>",
    "</b>",
    "*[IV]: x\n",
    "[@key]",
    "{#id}",
    "---\n",
    "a@b.org",
    "-",
]


def fuzzed_md(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(MD_ALPHABET) for _ in range(n))


def test_fenced_code_spans_by_search_match_the_line_by_line_version():
    rng = random.Random(3)
    for _ in range(2000):
        text = fuzzed_md(rng, rng.randrange(0, 30))
        assert list(mdmask.fenced_code_spans(text)) == list(mdmask.fenced_code_spans_by_lines(text)), text


def test_blank_fast_matches_blank():
    rng = random.Random(4)
    for _ in range(2000):
        text = fuzzed_md(rng, rng.randrange(0, 20))
        starts = [rng.randrange(len(text) + 1) for _ in range(3)]
        spans = [(a, min(len(text), a + rng.randrange(0, 12))) for a in starts]
        assert mdmask.blank_fast(text, spans) == mdmask.blank(text, spans), (text, spans)


def test_prose_mask_matches_mask_then_blank_markup():
    rng = random.Random(5)
    for _ in range(2000):
        text = fuzzed_md(rng, rng.randrange(0, 30))
        assert mdmask.prose_mask(text) == mdmask.blank_markup(mdmask.mask(text)), text


def test_dose_scan_by_first_character_matches_the_one_pattern(config):
    compiled = config.compiled
    rng = random.Random(6)
    pieces = [
        "1",
        "0",
        ".",
        "5",
        "25",
        ",000",
        " ",
        "mg",
        "U",
        "/kg",
        "/h",
        "/100 ",
        "mL",
        "g",
        "-",
        "\u2013",
        "to",
        ".",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))
        fast = [m.span() for m in mdmask.merged_finditer(compiled.dose_split, text)]
        assert fast == [m.span() for m in compiled.dose_re.finditer(text)], text


def test_suppression_index_matches_a_linear_search(config):
    from ivig_tools.terms import linter
    from ivig_tools.terms.suppression import find_directives

    rng = random.Random(7)
    lines = [
        "Give 5 U now.",
        "It cures all.",
        "<!-- medical-terms: disable MED001 -- quoted -->",
        "<!-- medical-terms: disable MED050 -- quoted -->",
        "<!-- medical-terms: disable-file MED050 -- a table -->",
        "",
        "Plain text.",
    ]
    for _ in range(300):
        page_text = FRONT + "\n".join(rng.choice(lines) for _ in range(rng.randrange(1, 12))) + "\n"
        fast = [(f.line, f.rule, f.suppressed) for f in lint(page_text, "p.md", config, today=TODAY)]
        # The simple version: the first directive in page order naming the rule and covering the line.
        page = _page(page_text, config, linter)
        directives = find_directives(page)
        simple = []
        for f in page.findings:
            hit = f.rule not in ("MED090", "MED091", "MED092") and any(
                f.rule in d.rules and d.lines[0] <= f.line <= d.lines[1] for d in directives
            )
            simple.append((f.line, f.rule, hit))
        got = [x for x in fast if x[1] != "MED092"]
        assert sorted(got) == sorted(simple), page_text


def _page(text, config, linter):
    """The page after every check, before suppressions (what lint builds)."""
    from ivig_tools import readability
    from ivig_tools.terms.engine import Page, heading_lines

    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    masked = mdmask.prose_mask(text)
    stats = readability.text_stats(masked)
    page = Page(
        text,
        masked,
        "p.md",
        config,
        mdmask.LineIndex(text),
        today=TODAY,
        stats=stats,
        speller=linter.speller_for(config),
        headings=heading_lines(masked),
        tokens=stats.tokens,
    )
    for check in linter.CHECKS:
        check(page)
    return page


def test_bucketed_words_answer_as_a_plain_set():
    from ivig_tools.spelling import BucketedWords

    rng = random.Random(42)
    for _ in range(200):
        words = {"".join(rng.choice("abcde") for _ in range(rng.randrange(1, 5))) for _ in range(30)}
        extra = {"".join(rng.choice("abcde") for _ in range(3)) for _ in range(3)}
        bucketed = BucketedWords({k: "\n".join(v) for k, v in BucketedWords.pack(words).items()}, extra)
        for _ in range(100):
            q = "".join(rng.choice("abcde\n") for _ in range(rng.randrange(0, 6)))
            assert (q in bucketed) == (q in words or q in extra), (q, words, extra)


def test_packing_a_sorted_list_gives_the_buckets_of_the_simple_packing():
    from ivig_tools.spelling import BucketedWords, pack_sorted_and_more

    rng = random.Random(15)
    chars = "aab'e\u00e9z\U0010ffff"
    for _ in range(500):
        words = {
            "".join(rng.choice(chars) for _ in range(rng.randrange(0, 5)))
            for _ in range(rng.randrange(0, 30))
        }
        more = {
            "".join(rng.choice(chars) for _ in range(rng.randrange(0, 5)))
            for _ in range(rng.randrange(0, 30))
        }
        simple = BucketedWords.pack(words | more)
        # Sorted (the fast path), and in another order (the simple packing again).
        for order in (sorted(words), sorted(words, reverse=True)):
            packed = pack_sorted_and_more(order, more)
            assert packed.keys() == simple.keys(), (order, more)
            for key, bucket in packed.items():
                assert sorted(bucket.split("\n")) == sorted(simple[key]), (key, order, more)


def test_text_stats_by_whole_text_scans_match_the_sums_over_chunks():

    from ivig_tools import readability

    rng = random.Random(23)
    pieces = [
        "word",
        "e.g.",
        "(e.g.",
        "i.e.",
        "al.",
        "Dr.",
        "etc.",
        "end.",
        "yes!",
        "why?",
        "x.)",
        "a.b.",
        "safe.[",
        "]",
        "it\u2019s",
        "don't",
        "_",
        "*",
        "\u201d",
        "12",
        "3.5",
        "IgG.",
        "!)",
        ".",
        "'s",
        " ",
        " ",
        " ",
        "\n",
        "\t",
        "\u00a0",
        "\u2003",
        "caf\u00e9",
        "co-op",
        "re-",
        "...",
        "?!",
        ".).",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 25)))
        fast = readability.text_stats(text)
        infos = [readability.chunk_stats(c) for c in text.split()]
        assert fast.tokens == {t for info in infos for t in info[0]}, text
        assert fast.words == sum(info[1] for info in infos), text
        assert fast.syllables == sum(info[2] for info in infos), text
        assert fast.sentence_ends == sum(info[3] for info in infos), text


def test_the_command_leaves_no_cyclic_garbage_that_grows_with_its_input(tmp_path):
    """The command runs with the cyclic collector off (hooks/medical_terms.py): that is
    only sound while the garbage it would collect does not grow with the input."""
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    page = (ROOT / "docs" / "side-effects.md").read_text(encoding="utf-8")
    (small / "a.md").write_text(page, encoding="utf-8")
    for i in range(40):
        (large / f"p{i}.md").write_text(page.replace("IVIG", f"IVIG{i}"), encoding="utf-8")
    # (The module loaded under another name, so its os._exit does not end the probe; its
    # main() is the command's whole run.)
    probe = (
        "import gc, runpy, sys\n"
        "gc.disable()\n"
        "code = runpy.run_path(sys.argv[1], run_name='probe')['main'](sys.argv[2:])\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(f'cyclic={gc.collect()}\\n')\n"
        "sys.exit(code)\n"
    )
    counts = []
    for folder in (small, large):
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                probe,
                str(ROOT / "hooks" / "medical_terms.py"),
                "--jobs",
                "1",
                str(folder),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode in (0, 1), proc.stderr
        counts.append(int(proc.stderr.rsplit("cyclic=", 1)[1].split()[0]))
    assert counts[1] <= counts[0] + 50, counts


def test_is_edit1_answers_as_membership_in_edits1():
    from ivig_tools.spelling import edits1, is_edit1

    rng = random.Random(31)
    chars = "abz'\u00e9"
    for _ in range(3000):
        word = "".join(rng.choice(chars) for _ in range(rng.randrange(0, 6)))
        edits = edits1(word)
        others = [*rng.sample(sorted(edits), min(5, len(edits)))] if edits else []
        others += ["".join(rng.choice(chars) for _ in range(rng.randrange(0, 7))) for _ in range(5)]
        for other in [*others, word]:
            assert is_edit1(word, other) == (other in edits), (word, other)


def test_near_words_by_prefix_match_the_common_words_among_all_edits(config):
    """Speller._near_set (edits at the first PREFIX positions, plus the common words of
    the same prefix tested one by one) against the simple version."""
    from ivig_tools.spelling import BucketedWords, EnglishWords, Speller, edits1

    rng = random.Random(8)
    chars = "abcd'\u00e9"
    for _ in range(300):
        common = {"".join(rng.choice(chars) for _ in range(rng.randrange(1, 7))) for _ in range(60)}
        extra = {"".join(rng.choice(chars) for _ in range(rng.randrange(3, 6))) for _ in range(5)}
        by_prefix = {k: "\n".join(v) for k, v in BucketedWords.pack(sorted(common)).items()}
        english = EnglishWords(BucketedWords({}), frozenset(common), by_prefix)
        speller = Speller(english, extra, ["ab"])
        for _ in range(20):
            w = "".join(rng.choice(chars) for _ in range(rng.randrange(0, 8)))
            assert speller._near_set(w) == edits1(w) & speller.common, w


def test_syllables_counted_together_match_syllables_one_by_one():
    from ivig_tools import readability

    rng = random.Random(12)
    chars = "aeyiouslbdzqY\u2019'\u0130\u00e9\u00c9"
    for _ in range(500):
        tokens = {"".join(rng.choice(chars) for _ in range(rng.randrange(1, 9))) for _ in range(20)}
        readability._SYLLABLES.clear()
        readability._count_new_syllables(tokens)
        for t in tokens:
            assert readability._SYLLABLES[t] == readability.syllables(t), t
    for word in ("immunoglobulin", "the", "makes", "yoke", "yes", "bled", "\u0130ab", "cafe"):
        readability._SYLLABLES.clear()
        readability._count_new_syllables([word])
        assert readability._SYLLABLES[word] == readability.syllables(word), word


def _gated_simple(forms, tokens, text):
    """gated_finditer's simple version: one finditer of the alternation of the active
    forms' branches, with a named group per form to tell which matched."""
    import re

    active = [
        i for i, a in enumerate(forms.alternatives) if a.possible(frozenset(tokens & forms.every_trigger))
    ]
    if not active:
        return []
    named = re.compile("|".join(f"(?P<g{i}>{'|'.join(forms.alternatives[i].branches)})" for i in active))
    return [(m.span(), int(m.lastgroup[1:])) for m in named.finditer(text)]


@pytest.mark.parametrize(
    "group", ["naming_forms", "us_forms", "abbr_forms", "claims_forms", "offlabel_forms"]
)
def test_gated_scans_per_form_match_one_alternation_of_the_active_forms(config, group):
    from ivig_tools import readability
    from ivig_tools.terms.engine import gated_finditer

    forms = getattr(config.compiled, group)
    rng = random.Random(group)
    words = sorted(forms.every_trigger)
    separators = [" ", " ", "-", ".", ", ", "\n", "(", ")", "/", "'s ", "qd", "1", " mg"]
    for _ in range(400):
        parts = []
        for _ in range(rng.randrange(1, 12)):
            w = rng.choice(words)
            parts.append(rng.choice([w, w.lower(), w.upper(), w.capitalize(), w[: max(1, len(w) - 1)]]))
            parts.append(rng.choice(separators))
        text = "".join(parts)
        tokens = readability.text_stats(text).tokens
        index = {id(a): i for i, a in enumerate(forms.alternatives)}
        fast = [(m.span(), index[id(alt)]) for m, alt in gated_finditer(forms, tokens, text)]
        assert fast == _gated_simple(forms, tokens, text), text


def test_the_one_search_for_british_forms_misses_no_form():
    from ivig_tools.spelling import _ANY_BRITISH_RE, _BRITISH

    rng = random.Random(9)
    pieces = [
        "is",
        "e",
        "ed",
        "ing",
        "ys",
        "our",
        "s",
        "tre",
        "bre",
        "ence",
        "ogue",
        "ll",
        "ae",
        "oe",
        "a",
        "x",
        "ation",
    ]
    for _ in range(5000):
        word = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 5)))
        any_form = bool(_ANY_BRITISH_RE.search(word))
        assert any_form == any(p.search(word) for p, _r in _BRITISH), word


def test_page_stats_in_two_parts_match_the_whole_and_give_the_same_grade():
    from ivig_tools import readability

    rng = random.Random(17)
    pieces = [
        "# Title",
        "## Sub",
        "| a | b. |",
        "|---|",
        "Word.",
        "e.g.",
        "text",
        "end!",
        "x.)",
        " ",
        " ",
        "\n",
        "\n",
        "\n\n",
        "- item",
        "1. item",
        "> quote.",
        "#no",
        "Dr.",
        "\t",
        "|",
    ]
    for _ in range(3000):
        masked = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
        whole, skipped = readability.page_stats(masked)
        simple = readability.text_stats(masked)
        assert (whole.tokens, whole.words, whole.syllables, whole.sentence_ends) == (
            simple.tokens,
            simple.words,
            simple.syllables,
            simple.sentence_ends,
        ), masked
        assert readability.flesch_kincaid(masked, whole, skipped) == _grade_simple(masked), masked


def _grade_simple(masked):
    """flesch_kincaid's simple version: the whole page's stats minus a second pass over its
    headings and tables, and each block start's line read back from the "\n" before it."""
    import re

    from ivig_tools import readability

    stats = readability.text_stats(masked)
    words, syl, ends = stats.words, stats.syllables, stats.sentence_ends
    text = "\n" + masked + "\n"
    skipped_lines = re.findall(r"\n[ \t>]*(?:#{1,6}(?=[ \t\n])|\|)[^\n]*", text)
    if skipped_lines:
        skipped = readability.text_stats("\n".join(skipped_lines))
        words, syl, ends = words - skipped.words, syl - skipped.syllables, ends - skipped.sentence_ends
    if words <= 0:
        return readability.Grade(0.0, 0, 0, 0)
    unfinished = 0
    for m in re.finditer(r"\n(?=[ \t>]*(?:\n|\Z|(?:[-*+]|\d+[.)])[ \t]))", text):
        end = m.start()
        line = text[text.rfind("\n", 0, end) + 1 : end].strip(" \t>").rstrip(" \t[]")
        if not line or line[0] in "#|":
            continue
        chunks = line.rsplit(None, 1)
        if chunks and not readability.ends_sentence(chunks[-1]):
            unfinished += 1
    sentences = max(1, ends + unfinished)
    grade = 0.39 * (words / sentences) + 11.8 * (syl / words) - 15.59
    return readability.Grade(round(grade, 1), words, sentences, syl)


def test_prefixes_tried_by_their_first_letters_answer_as_trying_every_prefix():
    from ivig_tools.spelling import BucketedWords, EnglishWords, Speller

    rng = random.Random(21)
    chars = "abcde-"
    for _ in range(200):
        words = {"".join(rng.choice("abcde") for _ in range(rng.randrange(4, 7))) for _ in range(40)}
        prefixes = {"".join(rng.choice("abcde") for _ in range(rng.randrange(1, 4))) for _ in range(8)}
        english = EnglishWords(
            BucketedWords({k: "\n".join(v) for k, v in BucketedWords.pack(words).items()}), frozenset()
        )
        fast = Speller(english, (), ["ab"], prefixes=prefixes)
        simple = Speller(english, (), ["ab"], prefixes=prefixes)
        simple._prefixes_by_start, simple._short_prefixes = {}, simple.prefixes  # every prefix, in turn
        hits = 0
        for _ in range(40):
            if rng.random() < 0.5:  # a prefix and a known word, as the rule is for
                w = rng.choice(sorted(prefixes)) + rng.choice(["", "-"]) + rng.choice(sorted(words))
            else:
                w = "".join(rng.choice(chars) for _ in range(rng.randrange(1, 12)))
            assert fast.known(w) == simple.known(w), (w, prefixes)
            hits += fast.known(w) and w not in words
        assert hits  # (the prefix path was taken)


def test_math_spans_match_the_simple_version():
    """mdmask.math_spans against a simple reading: the "$$" pairs in order (each closing
    within the limit, else skipped), then the inline matches outside them."""
    import re

    rng = random.Random(44)
    pieces = ["$", "$$", "x", "^2", "\\frac", " ", "\n", "5", "=", "{", "_", "a b", "\\"]
    inline = re.compile(r"\$(?=[^\s$])[^$\n]*?[^\s$\\]\$(?!\d)")
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 25)))
        display = []
        i = text.find("$$")
        while i != -1:
            j = text.find("$$", i + 2)
            if j == -1 or j - (i + 2) > mdmask._DISPLAY_MATH_MAX - 2:
                i = text.find("$$", i + 2)
                continue
            display.append((i, j + 2))
            i = text.find("$$", j + 2)
        simple = list(display)
        for m in inline.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in display):
                continue
            if re.search(r"\\[A-Za-z]|[\^_{=]", text[m.start() + 1 : m.end() - 1]):
                simple.append(m.span())
        assert sorted(mdmask.math_spans(text)) == sorted(simple), text


@pytest.mark.parametrize(
    ("text", "masked_words"),
    [
        ("As the $$NH_3 + H^+ \\Leftrightarrow NH_4$$ reaction", {"Leftrightarrow", "NH"}),
        ("The ratio $\\frac{a}{b}$ is used.", {"frac"}),
        ("See ![[Pasted image 2023.png]] and [[Other note]].", {"png", "Pasted", "Other"}),
    ],
)
def test_math_and_wiki_links_are_not_prose(text, masked_words):
    from ivig_tools import readability

    tokens = readability.text_stats(mdmask.prose_mask(text)).tokens
    assert not tokens & masked_words, tokens


def test_dollar_amounts_stay_prose():
    masked = mdmask.prose_mask("It costs $270 and $300, or $5 for 10 mg.")
    assert masked == "It costs $270 and $300, or $5 for 10 mg."
