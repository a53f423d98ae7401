"""The maintained word lists behind MED040 and MED041 are installed (by
scripts/ensure-wordlists.sh) and used: medical words are known, and a word a dictionary
knows is never split as run-together words."""

from __future__ import annotations

import datetime as dt
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
