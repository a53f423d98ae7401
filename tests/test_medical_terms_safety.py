"""Every Joint Commission "Do Not Use" and ISMP dangerous dose form of issue 15, in the
shapes real medical text writes them (compound units, ranges, two-decimal zeros, mixed
case), each with a safe twin that must stay quiet."""

from __future__ import annotations

import datetime as dt

import pytest
from ivig_tools.terms import lint, load_config

TODAY = dt.date(2026, 11, 22)
FRONT = "---\ntitle: Test\nreviewed: 2026-10-01\n---\n\n"
DOSE_RULES = {"MED001", "MED002", "MED003", "MED004", "MED010", "MED011", "MED012", "MED013"}


@pytest.fixture(scope="module")
def config():
    return load_config()


def findings(text: str, config, rules=DOSE_RULES):
    return [
        f for f in lint(FRONT + text, "page.md", config, today=TODAY) if f.rule in rules and not f.suppressed
    ]


# (text, rule, the text reported at the finding's column, message)
DANGEROUS = [
    (
        "Give 5000 U/kg now.",
        "MED001",
        "U",
        '"U" after a number is on the Do Not Use list; write "5000 units/kg"',
    ),
    ("Run 18 U/kg/h for a day.", "MED001", "U", 'write "18 units/kg/h"'),
    ("Take 1,000 IU/day.", "MED001", "IU", 'write "1,000 units/day" (or "1,000 international units/day")'),
    ("Add 1 mg/100 U of heparin.", "MED001", "U", 'write "1 mg/100 units"'),
    ("Give 5 U/kg.", "MED001", "U", None),
    ("Give 50 μg/kg now.", "MED011", "μg", 'write "50 mcg/kg" instead of "50 μg/kg"'),
    ("Give 50 µg/kg now.", "MED011", "µg", 'write "50 mcg/kg"'),
    ("Give 10 ug/kg now.", "MED011", "ug", 'write "10 mcg/kg" instead of "10 ug/kg"'),
    ("Give 0.5-1.0 mg/kg now.", "MED003", "1.0", 'write "1 mg/kg"'),
    ("Give 0.8\u20131.0 g/kg now.", "MED003", "1.0", 'write "1 g/kg"'),
    ("Give 0.5/1.0 mg now.", "MED003", "1.0", 'write "1 mg"'),
    ("Give 0.5 to 1.0 mg/kg now.", "MED003", "1.0", 'write "1 mg/kg"'),
    (
        "Give 1.0-2 mg now.",
        "MED003",
        "1.0",
        'trailing zero "1.0-2 mg" can be misread as ten times the dose; write "1-2 mg"',
    ),
    ("Give .5 to 1 mg/kg now.", "MED004", ".5", 'write "0.5 to 1 mg/kg"'),
    (
        "Give 2.50 mg now.",
        "MED003",
        "2.50",
        'trailing zero "2.50 mg" can be misread as ten times the dose; write "2.5 mg"',
    ),
    ("Give 1.0 unit/kg now.", "MED003", "1.0", 'write "1 unit/kg"'),
    ("Give 1.0 U/kg now.", "MED003", "1.0", 'write "1 units/kg"'),
    ("Give .25 mcg/kg/min now.", "MED004", ".25", 'write "0.25 mcg/kg/min"'),
    ("Take it qD with food.", "MED001", "qD", '"qD" (daily) is on the Do Not Use list; write "daily"'),
    ("Take it qOD with food.", "MED001", "qOD", '"qOD" (every other day)'),
    ("Take it Qd with food.", "MED001", "Qd", None),
    ("Give MGSO4 now.", "MED001", "MGSO4", '"MGSO4" (magnesium sulfate) is on the Do Not Use list'),
    ("Give MgSO4 now.", "MED001", "MgSO4", None),
    ("Give 10U now.", "MED001", "U", 'write "10 units"'),
]


@pytest.mark.parametrize(("text", "rule", "at", "message"), DANGEROUS)
def test_dangerous_form_is_reported(text, rule, at, message, config):
    found = [f for f in findings(text, config) if f.rule == rule]
    assert found, f"{rule} did not fire on {text!r}: {findings(text, config)}"
    f = found[0]
    col = len(text) if f.line != FRONT.count("\n") + 1 else f.col - 1
    assert text[col : col + len(at)] == at, (text, f)
    if message:
        assert message in f.message, f.message


SAFE = [
    "Give 0.4 g/kg/day for 5 days.",
    "Run 2 mcg/kg/min.",
    "Draw up 30 mL.",
    "Give 0.5 mg/kg.",
    "Give 2 g/kg over 2 to 5 days.",
    "Give 0.5-1 mg/kg.",
    "Give 1,000 units/day.",
    "Add 1 mg/100 units of heparin.",
    "Give 2.5 mg now.",
    "Give 10 mcg/kg.",
    "Run 18 units/kg/h.",
    "The IgG level was 8.0 g/L and 1.0-2.0 mg/dL.",  # lab results keep their precision
    "Use a 25g needle or a 23g butterfly.",  # gauges, not doses
    "It cost $270 U.S. dollars, about \u20ac250.",  # money and "U.S."
    "Version 2.0 of the leaflet, page 1-2.",
    "The 2019-2020 season.",
    "In 2019 it was 5 units.",
    "Take it daily, and quadrant QDs are not a dose.",
    "The 18-U shaped curve.",
]


@pytest.mark.parametrize("text", SAFE)
def test_safe_twin_stays_quiet(text, config):
    assert findings(text, config) == []


def test_range_reports_each_number_once(config):
    found = findings("Give 1.0 to 2.0 mg now.", config)
    assert [(f.rule, f.col) for f in found] == [("MED003", 6), ("MED003", 13)]


def test_compound_unit_marks_the_unit_for_the_abbreviation_rule(config):
    # "IU" reported as a Do Not Use unit is not reported again as an unexpanded abbreviation.
    rules = {f.rule for f in findings("Take 1,000 IU/day.", config, rules={"MED001", "MED030"})}
    assert rules == {"MED001"}


# --- precision on real text (issue 15) -----------------------------------------------------

QUIET_ON_REAL_TEXT = [
    ("Smith AB, Jones CD, Lee E. Outcomes of therapy. 2019.", "MED030"),  # authors' initials
    ("The BRCA1 gene and JAK2 mutations are common.", "MED030"),  # gene symbols
    ("# Notes\n\nPlain text.\n\n## References\n\n1. NEJM and JAMA papers.\n", "MED030"),
    ("GUIDELINES FOR MANAGEMENT OF TYPE 1 DIABETES", "MED030"),  # capitals for emphasis
    ("The pump was made by Dexcom and sold by Medtronic.", "MED041"),  # names mid-sentence
    ("Give 50 mcg of methotrexate.", "MED041"),  # the unit the lint asks for, a drug
    # Found on the real sample (bench/real-sample.md): names, prefixes, compound endings.
    ("10. Rewers M, Bugawan TL, Norris JM. Newborn screening.", "MED040"),  # surname, initials
    ("29. Pop-Busui R, kirkwood I, Schmid H. Dysfunction.", "MED040"),  # scraped lower case
    ("2. Petkov V. Essential Pharmacology. Vesselin Petkov. 2012.", "MED040"),  # a full name
    ("**Asboe-Hansen sign**: the blister spreads.", "MED040"),  # a hyphenated name
    ("It downregulates the receptor.", "MED040"),  # down- + a known word
    ("Psychodynamic therapy and psychoeducation help.", "MED040"),
    ("A pincerlike grasp in toddlerhood.", "MED040"),  # -like, -hood
    ("It is cleared hepatically.", "MED040"),  # -ically beside -ic
    ("Enteroendocrine cells and retroorbital pain.", "MED040"),
    ("Olaparib, ticagrelor, enzalutamide and abiraterone were given.", "MED041"),  # USAN stems
    ("A colourless fluid.", "MED041"),  # British -our(less), its US twin known
    ("As the $$NH_3 + H^+ \\Leftrightarrow NH_4$$ reaction; see ![[Pasted image.png]].", "MED041"),
]


@pytest.mark.parametrize(("text", "rule"), QUIET_ON_REAL_TEXT)
def test_real_text_forms_stay_quiet(text, rule, config):
    assert findings(text, config, rules={rule}) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("See the CDC guidance today.", "MED030"),  # an abbreviation still needs its expansion
        ("The NEJM paper said so.\n\n## References\n\n1. A paper.\n", "MED030"),  # above the list
        ("The imunity sensor was made by Dexcom.", "MED041"),  # a misspelling inside a sentence
        # Scrape damage on the real sample still reported, beside the names above.
        ("It is an immunemediated disease.", "MED040"),
        ("Diabetesrelated distress is common.", "MED040"),  # capitalized, but no name after
        ("Give it atleast twice.", "MED040"),
        ("Rewers M, bugawanx disease, Norris JM.", "MED041"),  # no initials after it
        ("Olaprib was given.", "MED041"),  # a misspelt medicine does not end with its stem
    ],
)
def test_their_twins_still_fire(text, rule, config):
    assert [f.rule for f in findings(text, config, rules={rule})] == [rule]


def test_a_word_cut_by_emphasis_marks_is_not_misspelled(config):
    assert findings("**N**ever **L**et **M**onkeys **E**at.", config, rules={"MED040", "MED041"}) == []
    twin = findings("Never let monkys eat.", config, rules={"MED041"})
    assert [f.rule for f in twin] == ["MED041"]
