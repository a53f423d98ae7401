"""The medical-term lint's rule data and rule registry: the rule file is validated on
load (one line with file:line, exit 2), its data is tested like codespell tests its
dictionaries, and every rule ID the code can emit is registered."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ivig_tools.registry import Registry, Rule
from ivig_tools.terms import ConfigError, load_config
from ivig_tools.terms.rules import MED_RULES

ROOT = Path(__file__).resolve().parent.parent
RULE_FILE = ROOT / "hooks" / "data" / "medical_terms.yaml"
CLI = ROOT / "hooks" / "medical_terms.py"


@pytest.fixture(scope="module")
def config():
    return load_config()


def _custom(tmp_path: Path, old: str, new: str) -> Path:
    text = RULE_FILE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "medical_terms.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "words.txt").write_text("", encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


# --- validation on load ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (  # an entry without `write` (was a KeyError traceback)
            "{forms: [IJ], write: injection, gate: word}",
            "{forms: [IJ], gate: word}",
            "forms: [IJ]",
            "error_prone.entries[3]: missing the required key 'write'",
        ),
        (  # a misspelt gate (was silently a whole-word match)
            "{forms: [IJ], write: injection, gate: word}",
            "{forms: [IJ], write: injection, gate: wrod}",
            "forms: [IJ]",
            "error_prone.entries[3].gate: 'wrod' is not one of after_number, route, dose, word, any_case",
        ),
        (  # a misspelt key
            "{forms: [IJ], write: injection, gate: word}",
            "{forms: [IJ], write: injection, gaet: word}",
            "forms: [IJ]",
            "error_prone.entries[3].gaet: unknown key 'gaet'",
        ),
        (  # a severity outside the closed set
            "rules: {}",
            "rules: {MED050: warn}",
            "rules: {MED050: warn}",
            "rules.MED050: 'warn' is not one of error, warning, info, off",
        ),
        (  # a rule the lint does not have
            "rules: {}",
            "rules: {MED999: warning}",
            "rules: {MED999: warning}",
            "rules.MED999: 'MED999' is not one of MED001",
        ),
        (  # a data group naming another rule than the one it is for
            "  rule: MED050\n",
            "  rule: MED051\n",
            "rule: MED051",
            "claims.rule: 'MED051' is not one of MED050",
        ),
        (  # a default audience without a target
            "default_audience: patients",
            "default_audience: readers",
            "default_audience: readers",
            "readability.default_audience: names no audience listed under `targets`",
        ),
        (  # a number where a whole number is needed
            "max_age_months: 24",
            "max_age_months: two years",
            "max_age_months: two years",
            "review.max_age_months: expected a whole number, got text",
        ),
    ],
)
def test_a_bad_rule_file_is_one_line_with_file_and_line(tmp_path, old, new, needle, message):
    path = _custom(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    text = str(info.value)
    assert text.startswith(f"{path.resolve()}:{_line_of(path, needle)}: "), text
    assert message in text
    assert "\n" not in text


def test_a_rule_file_that_is_not_yaml_names_line_and_column(tmp_path):
    path = _custom(tmp_path, "rules: {}", "rules: {MED050: [warning}")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path.resolve()))}:\d+:\d+: not valid YAML"):
        load_config(path)


def test_the_command_line_exits_2_with_one_line_on_a_bad_rule_file(tmp_path):
    path = _custom(tmp_path, "{forms: [IJ], write: injection, gate: word}", "{forms: [IJ], gate: word}")
    proc = subprocess.run(
        [sys.executable, str(CLI), "--config", str(path), str(ROOT / "tests/fixtures/md")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.strip().splitlines()
    assert f"medical_terms.py: error: {path.resolve()}:{_line_of(path, 'forms: [IJ]')}: " in line
    assert "missing the required key 'write'" in line


def test_a_severity_override_changes_the_finding(tmp_path):
    from ivig_tools.terms import lint

    path = _custom(tmp_path, "rules: {}", "rules: {MED050: error}")
    found = [f for f in lint("A miracle drug.\n", "p.md", load_config(path)) if f.rule == "MED050"]
    assert [f.severity for f in found] == ["error"]


# --- the rule data, tested like a dictionary -------------------------------------------------


def _word_maps(config) -> dict[str, dict[str, str]]:
    naming = config.data["naming"]
    us = {b: u for family in naming["us_spelling"]["families"] for b, u in family.items()}
    return {
        "misspellings": naming["misspellings"]["forms"],
        "dated_terms": naming["dated_terms"]["forms"],
        "us_spelling": us,
        "unit_forms": config.data["doses"]["unit_forms"]["forms"],
    }


def test_no_entry_maps_a_form_to_itself(config):
    for name, table in _word_maps(config).items():
        assert [k for k, v in table.items() if k == v] == [], name


def test_no_fix_is_itself_a_form_to_fix(config):
    for name, table in _word_maps(config).items():
        assert [v for v in table.values() if v in table] == [], name


def test_no_form_is_listed_twice(config):
    families = config.data["naming"]["us_spelling"]["families"]
    british = [b.lower() for family in families for b in family]
    assert sorted({b for b in british if british.count(b) > 1}) == []
    forms = [
        f
        for group in ("do_not_use", "error_prone")
        for e in config.data[group]["entries"]
        for f in e["forms"]
    ]
    assert sorted({f for f in forms if forms.count(f) > 1}) == []
    claims = config.data["claims"]
    both = [c.lower() for c in claims["negatable"] + claims["absolute"]]
    assert sorted({c for c in both if both.count(c) > 1}) == []


def test_no_form_of_one_naming_rule_is_a_form_of_another(config):
    maps = _word_maps(config)
    seen: dict[str, str] = {}
    for name in ("misspellings", "dated_terms", "us_spelling"):
        for form in maps[name]:
            assert form.lower() not in seen, f"{form!r} in {name} and {seen.get(form.lower())}"
            seen[form.lower()] = name


def test_us_spelling_forms_are_lower_case_single_words(config):
    for family in config.data["naming"]["us_spelling"]["families"]:
        for british, us in family.items():
            assert british == british.lower() and re.fullmatch(r"[a-z]+", british), british
            assert us == us.lower() and re.fullmatch(r"[a-z]+", us), us


def test_every_group_of_rule_data_names_its_source(config):
    for group, value in config.data.items():
        if isinstance(value, dict) and ("rule" in value or "entries" in value or "forms" in value):
            assert value.get("source"), group
    assert config.data["naming"]["us_spelling"]["source"]


# --- the registry --------------------------------------------------------------------------


HOOKS = ROOT / "hooks"


def _ids_in_code(folder: Path, prefixes: str) -> set[str]:
    ids: set[str] = set()
    for path in folder.rglob("*.py"):
        if path.name == "rules.py":
            continue  # the registry itself
        ids |= set(re.findall(rf"[\"']((?:{prefixes})\d{{3}})[\"']", path.read_text(encoding="utf-8")))
    return ids


def test_every_id_the_lint_can_emit_is_registered_and_every_registered_id_is_emitted():
    emitted = _ids_in_code(HOOKS / "ivig_tools" / "terms", "MED")
    assert sorted(emitted - set(MED_RULES.rules)) == []
    assert sorted(set(MED_RULES.rules) - emitted) == []


def test_registry_rejects_a_rule_twice_or_outside_its_families():
    rule = Rule("MED001", "error", "A thing", "fix it")
    with pytest.raises(ValueError, match="twice"):
        Registry("x", [rule, rule], families=("MED",))
    with pytest.raises(ValueError, match="families"):
        Registry("x", [Rule("BIB001", "error", "A thing")], families=("MED",))
    with pytest.raises(ValueError, match="no such rule"):
        Registry("x", [rule], families=("MED",), overrides={"MED002": "off"})
    with pytest.raises(ValueError, match="full stop"):
        Rule("MED001", "error", "A thing.", "fix it")


def test_contributing_tables_are_the_registries():
    """CONTRIBUTING.md shows the rule tables generated from the registries
    (regenerate them with `python scripts/rule_tables.py --write`)."""
    import rule_tables

    assert rule_tables.main(["--check"]) == 0
