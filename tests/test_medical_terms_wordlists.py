"""The maintained word lists behind MED040 and MED041 are installed (by
scripts/ensure-wordlists.sh) and used: medical words are known, and a word a dictionary
knows is never split as run-together words."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ivig_tools.terms import lint, load_config, speller_for

FRONT = "---\ntitle: Test\nreviewed: 2026-10-01\n---\n\n"


@pytest.fixture(scope="module")
def config():
    return load_config()


def test_the_hunspell_dictionaries_of_the_rule_file_are_installed(config):
    missing = [p for p in config.data["spelling"]["hunspell"] if not Path(p).is_file()]
    assert not missing, (
        f"missing {missing}: run scripts/ensure-wordlists.sh (installs Debian's hunspell-en-med)"
    )


# Words the issue found flagged or split on real medical text.
MEDICAL = ["osmolality", "cholangitis", "methotrexate", "metformin", "angioedema", "polyuria", "mcg"]


@pytest.mark.parametrize("word", MEDICAL)
def test_medical_words_are_known(word, config):
    assert speller_for(config).known(word)
    found = lint(
        FRONT + f"The notes mention {word} twice: {word}.\n", "p.md", config, today=dt.date(2026, 11, 22)
    )
    assert {f.rule for f in found} & {"MED040", "MED041"} == set()


@pytest.mark.parametrize(("word", "rule"), [("fromdonors", "MED040"), ("imunity", "MED041")])
def test_unknown_words_are_still_reported(word, rule, config):
    found = lint(FRONT + f"It comes {word} here.\n", "p.md", config, today=dt.date(2026, 11, 22))
    assert rule in {f.rule for f in found}


@pytest.mark.parametrize(
    "word", ["anticoagulation", "microthrombi", "apixaban", "dupilumab", "carboxylation"]
)
def test_prefixed_words_medicine_stems_and_derived_words_are_known(word, config):
    assert speller_for(config).known(word)


@pytest.mark.parametrize("word", ["overthis", "antithe", "mestabolism", "apixabam"])
def test_their_twins_are_not(word, config):
    assert not speller_for(config).known(word)


# --- the word set built at set-up ---------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def word_set_dirs(tmp_path, monkeypatch):
    """An empty set-up folder and an empty cache folder, and no word set in memory."""
    from ivig_tools import spelling

    installed, cache = tmp_path / "installed", tmp_path / "cache"
    monkeypatch.setenv("IVIG_SETUP_DIR", str(installed))
    monkeypatch.setenv("IVIG_CACHE_DIR", str(cache))
    spelling.english_words.cache_clear()
    yield installed, cache
    spelling.english_words.cache_clear()


def _same_words(a, b) -> bool:
    return a.words._raw == b.words._raw and a.common == b.common and a.common_by_prefix == b.common_by_prefix


def test_a_run_with_an_empty_cache_reads_the_word_set_built_at_set_up(word_set_dirs, config):
    from ivig_tools import spelling

    installed, cache = word_set_dirs
    hunspell = config.compiled.hunspell
    path, built = spelling.install_word_set(hunspell)
    assert built and path.parent == installed and path.is_file()
    assert spelling.install_word_set(hunspell) == (path, False)  # current: nothing to do
    words = spelling.english_words(hunspell)
    assert not cache.exists(), "a run that found the set-up's word set built and cached its own"
    assert "osmolality" in words.words and "the" in words.common
    # The same words as a set built from the lists.
    spelling.english_words.cache_clear()
    path.unlink()
    built_now = spelling.english_words(hunspell)
    assert _same_words(words, built_now)
    assert list(cache.glob("en-words-*.pickle")), "a run without the set-up's copy keeps one in the cache"


def test_a_stale_or_damaged_word_set_is_not_used(word_set_dirs, config):
    from ivig_tools import spelling
    from ivig_tools.cache import write_keyed_pickle

    installed, _cache = word_set_dirs
    hunspell = config.compiled.hunspell
    key, name = spelling.word_set_key(hunspell)
    reference = spelling._build_word_set(hunspell)
    installed.mkdir()
    # Written for other sources (a dictionary since upgraded): another key, so not read.
    stale = ({"zzw": "zzword"}, frozenset({"zzword"}), {"zzw": "zzword"})
    assert write_keyed_pickle(installed / name, key + "|older", stale)
    got = spelling.english_words(hunspell)
    assert "zzword" not in got.words and _same_words(
        got, spelling.EnglishWords(spelling.BucketedWords(reference[0]), reference[1], reference[2])
    )
    # A truncated file: read as missing, never an error.
    spelling.english_words.cache_clear()
    data = (installed / name).read_bytes()
    (installed / name).write_bytes(data[:20])
    assert "osmolality" in spelling.english_words(hunspell).words
    # install_word_set replaces it, and removes word sets of older sources.
    (installed / "en-words-00000000.pickle").write_bytes(b"old")
    _path, built = spelling.install_word_set(hunspell)
    assert built and sorted(p.name for p in installed.iterdir()) == [name]


def test_the_set_up_script_builds_the_word_set_once(tmp_path):
    env = {**os.environ, "IVIG_SETUP_DIR": str(tmp_path), "IVIG_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, str(ROOT / "scripts" / "build_lint_data.py")]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    assert "word set is in" in first.stdout and len(list(tmp_path.glob("en-words-*.pickle"))) == 1
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert (again.returncode, again.stdout) == (0, "")
    bad = subprocess.run(
        [*cmd, "--config", str(tmp_path / "none.yaml")], env=env, capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.startswith("build_lint_data:")


def test_every_make_target_that_lints_builds_the_word_set_first():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(
        r"^lint-data: wordlists \$\(VENV\)/\.site-installed .*\n"
        r"\t@?\$\(BIN\)/python scripts/build_lint_data\.py",
        makefile,
        re.MULTILINE,
    )
    for target in ("site", "serve", "offline", "test", "lint"):
        rule = re.search(rf"^{target}:(.*?)##", makefile, re.MULTILINE)
        assert rule and "lint-data" in rule[1].split(), f"make {target} does not build the lint's data"


def test_the_rule_file_parsed_at_set_up_is_read_and_a_stale_one_is_not(tmp_path, monkeypatch):
    from ivig_tools.terms import config as config_module

    setup, cache = tmp_path / "setup", tmp_path / "cache"
    monkeypatch.setenv("IVIG_SETUP_DIR", str(setup))
    monkeypatch.setenv("IVIG_CACHE_DIR", str(cache))
    rules = tmp_path / "rules.yaml"
    text = config_module.DEFAULT_CONFIG.read_text(encoding="utf-8")
    rules.write_text(text, encoding="utf-8")
    path, written = config_module.install_parsed_rules(rules)
    assert written and path.parent == setup
    assert config_module.install_parsed_rules(rules) == (path, False)
    # The set-up copy is read: no YAML parse, nothing kept in the cache.
    expected = config_module._yaml_load(text, str(rules))
    monkeypatch.setattr(config_module, "yaml_module", lambda: pytest.fail("the YAML was parsed again"))
    assert config_module._parse_rules(text, str(rules)) == expected
    assert not cache.exists()
    monkeypatch.undo()
    monkeypatch.setenv("IVIG_SETUP_DIR", str(setup))
    monkeypatch.setenv("IVIG_CACHE_DIR", str(cache))
    # An edited rule file: the set-up copy is stale, so the file is parsed (and cached).
    edited = text + "\n# an edit\n"
    assert config_module._parse_rules(edited, str(rules)) == config_module._yaml_load(edited, str(rules))
    assert list(cache.glob("medical-terms-v*.pickle"))
