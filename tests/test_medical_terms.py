"""Unit tests of the medical-term lint core: one rule, one input, one expected finding,
each with its false-positive twins that must stay silent."""

from __future__ import annotations

import datetime as dt

import pytest
from ivig_tools import mdmask, readability
from ivig_tools.terms import ConfigError, lint, load_config

TODAY = dt.date(2026, 11, 22)
FRONT = "---\ntitle: Test\nreviewed: 2026-10-01\n---\n\n"
# Rules that fire on whole pages, left out of the one-line tests below.
PAGE_RULES = {"MED060", "MED061", "MED070", "MED071", "MED072"}


@pytest.fixture(scope="module")
def config():
    return load_config()


def run(text: str, config, *, front: bool = True, rules: set[str] | None = None):
    found = lint((FRONT if front else "") + text, "page.md", config, today=TODAY)
    return [f for f in found if f.rule not in PAGE_RULES and (rules is None or f.rule in rules)]


def rules_of(text: str, config, **kw) -> list[str]:
    return [f.rule for f in run(text, config, **kw) if not f.suppressed]


# --- MED001 to MED013: abbreviations and doses -------------------------------------------

BAD = [
    ("Give 5 U daily.", "MED001", '"U" after a number is on the Do Not Use list; write "5 units"'),
    ("Give 5 u daily.", "MED001", None),
    (
        "Give 10 IU daily.",
        "MED001",
        '"IU" after a number is on the Do Not Use list; write "10 units" (or "10 international units")',
    ),
    ("Take it q.d. with food.", "MED001", '"q.d." (daily) is on the Do Not Use list; write "daily"'),
    ("Take it QD with food.", "MED001", None),
    ("Take it qod with food.", "MED001", None),
    ("Take it Q.O.D. with food.", "MED001", None),
    ("Give MS 10 mg at night.", "MED001", None),
    ("Give MSO4 at night.", "MED001", None),
    ("Give MgSO4 at night.", "MED001", None),
    ("It is given SC every week.", "MED002", None),
    ("It is given SQ every week.", "MED002", None),
    ("It is given subq every week.", "MED002", None),
    ("Give 0.5 mL IN once.", "MED002", '"IN" is an error-prone abbreviation (ISMP); write "intranasal"'),
    ("Take it HS with water.", "MED002", None),
    ("Take it qhs with water.", "MED002", None),
    ("Give it TIW for a month.", "MED002", None),
    ("Stop the drip (D/C) now.", "MED002", None),
    ("Give 1.0 mg now.", "MED003", None),
    ("Give .5 mg now.", "MED004", 'missing leading zero ".5 mg" can be misread; write "0.5 mg"'),
    ("The dose is 400mg per kg.", "MED010", 'put a space between number and unit: write "400 mg"'),
    ("The dose is 2g/kg.", "MED010", None),
    ("Draw up 10 ml of saline.", "MED011", 'write "10 mL" instead of "10 ml"'),
    ("Draw up 5 cc of saline.", "MED011", None),
    ("Give 50 µg now.", "MED011", None),
    ("Give 10 mg. daily.", "MED012", 'no full stop after a unit: write "10 mg"'),
    ("Give 100000 units.", "MED013", 'write "100,000 units" with a thousands separator'),
    ("Give 2500 mg.", "MED013", None),
]


@pytest.mark.parametrize(("text", "rule", "message"), BAD)
def test_rule_fires(text, rule, message, config):
    found = [f for f in run(text, config) if f.rule == rule]
    assert found, f"{rule} did not fire on {text!r}: {run(text, config)}"
    if message:
        assert found[0].message == message


TWINS_SILENT = [
    "We use SCIG at home.",  # never SC inside SCIG
    "Your IgG trough level is checked.",  # "trough" is a word, IgG a class
    "Draw up 10 mL of saline.",
    "Give 0.5 mg now.",
    "Give 100,000 units.",
    "Give 1 mg now.",
    "Guillain-Barré syndrome affects the nerves.",
    "The dose is 2 g/kg over 2 to 5 days, and 10% is a percentage.",
    "In the trial, patients got a dose. IN CAPITALS nothing happens.",
    "The unit was busy, and u is a letter; U-shaped.",
    "Our MS Word file has 2019 pages.",
    "It was 2019 and 10.5 mg was given; the IgG level was 8.0 g/L.",
    "The discussion ended with 10 mg.\nNext line.",  # a full stop that ends a sentence
    "The page ends with 10 mg.",
]


@pytest.mark.parametrize("text", TWINS_SILENT)
def test_false_positive_twins_stay_silent(text, config):
    rules = {"MED001", "MED002", "MED003", "MED004", "MED010", "MED011", "MED012", "MED013", "MED021"}
    assert rules_of(text, config, rules=rules) == []


def test_code_urls_links_html_citations_and_front_matter_are_not_linted(config):
    text = (
        "---\ntitle: Give 5 U qd\nreviewed: 2026-10-01\ndescription: IVIg 400mg\n---\n\n"
        "Run `give 5 U qd IVIg` here.\n\n"
        "```text\nGive 5 U qd IVIg 400mg immunoglobin\n```\n\n"
        "See https://example.org/5U/qd/IVIg and [the label](https://example.org/IVIg_400mg) "
        'and <a href="x.html" title="IVIg 5 U">text</a> and [@ivig400mg; @qd2020].\n\n'
        "*[IVIg]: 5 U qd\n\n"
        "<!-- a comment with 5 U qd IVIg -->\n"
    )
    found = [f for f in lint(text, "page.md", config, today=TODAY) if f.rule not in PAGE_RULES]
    assert found == []


def test_positions_are_those_of_the_source_file(config):
    text = "---\ntitle: x\nreviewed: 2026-10-01\n---\n\nSee `code` then give 5 U daily.\n"
    (f,) = [f for f in lint(text, "docs/x.md", config, today=TODAY) if f.rule == "MED001"]
    assert (f.path, f.line, f.col, f.severity) == ("docs/x.md", 6, 24, "error")
    assert (
        f.format()
        == 'docs/x.md:6:24: error MED001 "U" after a number is on the Do Not Use list; write "5 units"'
    )


# --- MED020 to MED023: naming --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "message"),
    [
        ("Intravenous immunoglobulin (IVIG) helps. IVIg is made from plasma.", "MED020", None),
        ("IGIV is made from plasma.", "MED020", None),
        ("Your IGG level is low.", "MED021", 'write the immunoglobulin class as "IgG", not "IGG"'),
        ("Your igm level is low.", "MED021", None),
        ("Your Igg1 level is low.", "MED021", None),
        ("It contains immunoglobin.", "MED022", '"immunoglobin" is misspelled; write "immunoglobulin"'),
        ("It treats Guillain Barre syndrome.", "MED022", None),
        ("It treats Guillain-Barre syndrome.", "MED022", None),
        (
            "It was called gamma globulin.",
            "MED023",
            '"gamma globulin" is a dated term; write "immunoglobulin"',
        ),
        ("It was called immune serum globulin.", "MED023", None),
    ],
)
def test_naming(text, rule, message, config):
    found = [f for f in run(text, config) if f.rule == rule]
    assert found, run(text, config)
    if message:
        assert found[0].message == message


@pytest.mark.parametrize(
    "text",
    [
        'The product "Privigen IVIg" is one brand.',
        "The label says \u201cimmune globulin intravenous (human), IGIV\u201d.",
        "Your IgG, IgA, IgM, IgE, IgD, IgG1 and IgA2 levels.",
        "Guillain-Barré syndrome.",
    ],
)
def test_naming_twins(text, config):
    assert rules_of(text, config, rules={"MED020", "MED021", "MED022", "MED023"}) == []


# --- MED024: US English ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found", "fixed"),
    [
        ("It can cause haemolytic disease.", "haemolytic", "hemolytic"),
        ("It can cause hemolytic anaemia.", "anaemia", "anemia"),
        ("Your body will recognise the germ.", "recognise", "recognize"),
        ("Ask the treatment centre.", "centre", "center"),
        ("Its licence covers adults.", "licence", "license"),
        ("The organisation keeps records.", "organisation", "organization"),
        ("Swelling (oedema) can happen.", "oedema", "edema"),
        ("Paediatric doses differ.", "Paediatric", "Pediatric"),
        ("The colour of the fluid.", "colour", "color"),
        ("A change in behaviour.", "behaviour", "behavior"),
        ("The screening programme.", "programme", "program"),
        ("In randomised trials.", "randomised", "randomized"),
        ("- Recognised early, it is treatable.", "Recognised", "Recognized"),
        ("Two uses are labelled in the US.", "labelled", "labeled"),
    ],
)
def test_british_spelling_gets_the_us_form(text, found, fixed, config):
    (f,) = run(text, config, rules={"MED024"})
    assert (f.severity, f.message) == (
        "warning",
        f'"{found}" is British spelling; the guide uses US English: write "{fixed}"',
    )
    assert f.col == text.index(found) + 1


@pytest.mark.parametrize(
    "text",
    [
        "It can cause hemolytic anemia; the center's license covers fibers.",  # US forms
        'The leaflet "Haemolytic anaemia: a guide for patients" explains it.',  # quoted title
        "The leaflet \u201cLiving with paediatric immunodeficiency\u201d explains it.",
        "See [Anaemia in the paediatric clinic](https://example.org/anaemia).",  # link text
        "See [Anaemia in the paediatric clinic][nhs].\n\n[nhs]: https://example.org/a",
        'See <a href="https://example.org/a">Haemolytic anaemia</a> for more.',
        "The European Centre for Disease Prevention and Control reports it.",  # proper name
        "Cite it as [@haemolytic2019] or `organise` in code.",  # citation key, code
        "```text\nhaemolytic anaemia\n```",
        "We analyze and advise, supervise and exercise; the analyses were done.",  # -ise in US too
    ],
)
def test_us_spelling_twins_stay_silent(text, config):
    assert rules_of(text, config, rules={"MED024"}) == []


def test_us_spelling_data_is_well_formed(config):
    """Every British form maps to a different US form, in lower case, and no US form is
    itself listed as British (codespell's checks for its dictionaries)."""
    pairs = [(b, u) for fam in config.data["naming"]["us_spelling"]["families"] for b, u in fam.items()]
    british = [b for b, _ in pairs]
    assert len(british) == len(set(british))
    assert [(b, u) for b, u in pairs if b == u or b != b.lower() or u != u.lower()] == []
    assert sorted({u for _, u in pairs} & set(british)) == []


def test_references_page_is_not_linted(config):
    assert config.is_excluded("references.md") and config.is_excluded("docs/references.md")


# --- MED030, MED031: abbreviations ------------------------------------------------------------


def test_abbreviation_must_be_expanded_at_first_use(config):
    (f,) = run("CIDP affects nerves. CIDP is treated.", config, rules={"MED030"})
    assert f.message == (
        'expand "CIDP" at its first use on the page: '
        'write "chronic inflammatory demyelinating polyneuropathy (CIDP)"'
    )
    assert f.col == 1


@pytest.mark.parametrize(
    "text",
    [
        "Chronic inflammatory demyelinating polyneuropathy (CIDP) affects nerves. CIDP is treated.",
        "CIDP (chronic inflammatory demyelinating polyneuropathy) affects nerves. CIDP is treated.",
        "Randomised controlled trials (RCTs) compare. RCTs are fair.",
        "Natural killer (NK) cells kill. NK cells are white cells.",
        "Immunoglobulin G (IgG) is common. IgG is measured.",
        "## CIDP\n\nChronic inflammatory demyelinating polyneuropathy (CIDP) affects nerves. CIDP again.",
        "The US and the UK use DNA tests and IV drips; the NHS pays.",
        "Section II and type III; NOT a word in capitals.",
    ],
)
def test_abbreviation_expanded_or_allowed(text, config):
    assert rules_of(text, config, rules={"MED030"}) == []


def test_unknown_abbreviation_and_defined_but_unused(config):
    found = run("The XYZQ test is done.", config, rules={"MED030"})
    assert found and "add it to the vocabulary" in found[0].message
    (f,) = run("Multifocal motor neuropathy (MMN) is rare.", config, rules={"MED031"})
    assert f.severity == "info" and "multifocal motor neuropathy" in f.message


def test_expansion_must_match_the_vocabulary(config):
    assert rules_of("Very important problem (VIP) is here. VIP again.", config, rules={"MED030"}) == []
    assert rules_of("Some other words (CIDP) here. CIDP again.", config, rules={"MED030"}) == ["MED030"]


# --- MED040, MED041: scrape damage and spelling --------------------------------------------------


@pytest.mark.parametrize(
    ("word", "fixed"),
    [
        ("asantibodies", "as antibodies"),
        ("detectsantigens", "detects antigens"),
        ("ofhealthy", "of healthy"),
        ("donorsto", "donors to"),
    ],
)
def test_run_together_words(word, fixed, config):
    (f,) = run(f"This {word} here.", config, rules={"MED040", "MED041"})
    assert (f.rule, f.severity) == ("MED040", "warning")
    assert f.message == f'"{word}" looks like run-together words; write "{fixed}"'


def test_misspelling_is_not_a_join(config):
    (f,) = run("You recieve it.", config, rules={"MED040", "MED041"})
    assert (f.rule, f.severity) == ("MED041", "info")
    assert 'did you mean "receive"' in f.message


@pytest.mark.parametrize(
    "text",
    [
        "Randomised trials recognise haemolytic anaemia; the centre's licence covers fibres.",
        "Immunoglobulin, thrombocytopenia, polyneuropathy, dermatomyositis and premedication.",
        "It doesn't hurt, and it's given by carers with paracetamol.",
        "Guillain-Barré syndrome and Kawasaki disease.",
    ],
)
def test_spelling_knows_medical_british_and_contracted_words(text, config):
    assert rules_of(text, config, rules={"MED040", "MED041"}) == []


# --- MED050, MED051: claims ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim", ["cures", "completely safe", "no side effects", "risk-free", "guaranteed", "miracle"]
)
def test_absolute_claims(claim, config):
    (f,) = run(f"This medicine is {claim} for you.", config, rules={"MED050"})
    assert f.severity == "warning" and claim in f.message.lower()


@pytest.mark.parametrize(
    "text",
    [
        "IVIG is not a cure for CIDP.",
        "No medicine is completely safe.",
        "It is never risk-free.",
        "Securely cured meats are sold elsewhere.",  # whole words only ("securely")
    ],
)
def test_negated_claims_are_honest(text, config):
    found = run(text, config, rules={"MED050"})
    assert [f.message for f in found if "cured" not in f.message] == []


def test_off_label_use_needs_off_label_in_its_section(config):
    page = "# Uses\n\n## Pregnancy\n\nIt is given for recurrent miscarriage.\n"
    (f,) = run(page, config, rules={"MED051"})
    assert f.message.startswith('"recurrent miscarriage" is not a licensed use of IVIG')
    ok = [
        "# Uses\n\n## Off-label uses\n\n### Pregnancy\n\nIt is given for recurrent miscarriage.\n",
        "# Uses\n\n## Pregnancy\n\nUse for recurrent miscarriage is off-label.\n",
        "# Uses\n\nKawasaki disease and ITP are licensed uses.\n",
    ]
    for text in ok:
        assert run(text, config, rules={"MED051"}) == [], text


# --- MED052: no number in an unverified claim -------------------------------------------------


@pytest.mark.parametrize(
    ("box", "numbers"),
    [
        ('!!! unverified "Relapse after 12 weeks"\n    Symptoms may come back.\n', ["12 weeks"]),
        ('!!! unverified "Relapse"\n    Symptoms may come back after 1 month.\n', ["1 month"]),
        ('!!! unverified "Dose"\n    Some get 2 g/kg, and 21% relapse.\n', ["2 g/kg", "21%"]),
        ('!!! unverified "Time"\n    It takes 3 to 4 hours.\n', ["3 to 4 hours"]),
        ('??? unverified "Time"\n    It takes three to four hours.\n', ["three to four hours"]),
        ('???+ unverified "Risk"\n    About 1 in 1,000 people.\n', ["1 in 1,000"]),
        ('!!! unverified "Rate"\n    Start slowly.\n\n    Then 0.5 mL/kg/hour.\n', ["0.5 mL/kg/hour"]),
        ('- A list item\n\n    !!! unverified "Nested"\n        Every 4 weeks.\n', ["4 weeks"]),
    ],
)
def test_unverified_claim_must_not_carry_a_number(box, numbers, config):
    found = run(box, config, rules={"MED052"})
    assert [f.message.split('"')[1] for f in found] == numbers
    assert all(f.severity == "warning" for f in found)
    assert "unverified claims must not carry a number" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Most people get 2 g/kg over 2 to 5 days; 21% relapse after 12 weeks.",  # ordinary text
        '!!! note "After 12 weeks"\n    Most people get 2 g/kg every 3 weeks.\n',  # another box
        '!!! warning "Call 911"\n    Within 1 hour, 5% of people.\n',
        '!!! unverified "Relapse"\n    Symptoms may come back.\n\nMost relapse after 12 weeks.\n',
        '!!! unverified "Relapse"\n    Symptoms may come back in some people.\n',  # no number
        '```markdown\n!!! unverified "Example"\n    After 12 weeks.\n```\n',  # code
        '!!! unverified "Study"\n    A trial in 2019 of some patients[@x2019] found it.\n',  # a year
    ],
)
def test_numbers_outside_unverified_boxes_stay_quiet(text, config):
    assert rules_of(text, config, rules={"MED052"}) == []


# --- MED060, MED061: readability ----------------------------------------------------------------

EASY = "The nurse puts a thin tube in your arm. The drip runs for a few hours. You can read or rest. " * 12
HARD = (
    "Immunomodulatory mechanisms of intravenous immunoglobulin administration encompass "
    "complement inactivation, neonatal receptor saturation, idiotypic antibody neutralisation "
    "and modulation of inflammatory cytokine production in autoimmune neuropathies. "
) * 8


def test_readability_is_reported_and_warns_above_target(config):
    found = lint(FRONT + EASY, "p.md", config, today=TODAY)
    (grade,) = [f for f in found if f.rule == "MED060"]
    assert grade.severity == "info" and "target 8 for patients" in grade.message
    assert grade.extra["grade"] < 8
    assert not [f for f in found if f.rule == "MED061"]
    hard = lint(FRONT + HARD, "p.md", config, today=TODAY)
    (warn,) = [f for f in hard if f.rule == "MED061"]
    assert warn.severity == "warning" and warn.extra["grade"] > 8
    assert "above the target 8 for patients" in warn.message


def test_patient_target_is_grade_8(tmp_path, config):
    """A page between grade 8 and 9 warns for patients, not for a general audience."""
    middle = (
        "Immunoglobulin is made from the plasma of many donors and purified in several steps. "
        "Your doctor decides the dose from your weight and then checks your levels every few months. "
    ) * 8
    found = lint(FRONT + middle, "p.md", config, today=TODAY)
    (grade,) = [f for f in found if f.rule == "MED060"]
    assert 8 < grade.extra["grade"] <= 9, grade.message
    assert [f.rule for f in found if f.rule == "MED061"] == ["MED061"]
    general = FRONT.replace("title: Test", "title: Test\naudience: general")
    assert [f for f in lint(general + middle, "p.md", config, today=TODAY) if f.rule == "MED061"] == []


def test_audience_in_front_matter_changes_the_target(config):
    text = "---\ntitle: T\nreviewed: 2026-10-01\naudience: clinicians\n---\n\n" + HARD
    found = lint(text, "p.md", config, today=TODAY)
    assert [f.rule for f in found if f.rule.startswith("MED06")] == ["MED060"]


def test_flesch_kincaid_counts_words_sentences_and_skips_headings():
    g = readability.flesch_kincaid(
        mdmask.prose_mask("# A very long heading indeed\n\nThe cat sat. The dog ran.\n")
    )
    assert (g.words, g.sentences) == (6, 2)
    assert readability.syllables("immunoglobulin") >= 5
    assert readability.syllables("the") == 1


# --- MED070 to MED073: review date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "rule", "line"),
    [
        ("---\ntitle: T\n---\n\n", "MED070", 1),
        ("", "MED070", 1),
        ("---\ntitle: T\nreviewed: 2024-01-01\n---\n\n", "MED071", 3),
        ("---\ntitle: T\nreviewed: someday\n---\n\n", "MED072", 3),
        ("---\ntitle: T\nreviewed: 2027-01-01\n---\n\n", "MED072", 3),
        ("---\ntitle: [unclosed\n---\n\n", "MED073", 3),
    ],
)
def test_review_date(front, rule, line, config):
    found = [
        f for f in lint(front + "Some text.\n", "p.md", config, today=TODAY) if f.rule.startswith("MED07")
    ]
    assert [(f.rule, f.line) for f in found][:1] == [(rule, line)]


def test_review_age_boundary(config):
    young = "---\ntitle: T\nreviewed: 2024-11-22\n---\n\nText.\n"
    old = "---\ntitle: T\nreviewed: 2024-11-21\n---\n\nText.\n"
    assert not [f for f in lint(young, "p.md", config, today=TODAY) if f.rule == "MED071"]
    assert [f.rule for f in lint(old, "p.md", config, today=TODAY) if f.rule == "MED071"] == ["MED071"]


# --- suppression -----------------------------------------------------------------------------------


def test_suppression_with_reason_is_kept_and_marked(config):
    text = "<!-- medical-terms: disable MED050 -- quoted from a 1950s advertisement -->\nA miracle drug.\n"
    found = run(text, config, rules={"MED050", "MED090", "MED092"})
    (f,) = found
    assert f.suppressed and f.suppression_reason == "quoted from a 1950s advertisement"
    assert f.rule == "MED050"


def test_suppression_only_covers_the_next_line(config):
    text = "<!-- medical-terms: disable MED050 -- quoted -->\nA miracle drug.\n\nAnother miracle.\n"
    found = run(text, config, rules={"MED050"})
    assert [(f.line, f.suppressed) for f in found] == [(7, True), (9, False)]


def test_suppression_problems_are_reported(config):
    text = (
        "<!-- medical-terms: disable MED050 -->\nA miracle drug.\n\n"
        "<!-- medical-terms: disable MED999 -- typo -->\nText.\n\n"
        "<!-- medical-terms: disable MED001 -- nothing here -->\nText.\n"
    )
    found = run(text, config)
    assert sorted(f.rule for f in found if not f.suppressed) == ["MED090", "MED091", "MED092"]


def test_disable_file(config):
    text = "<!-- medical-terms: disable-file MED061 -- a summary table for clinicians -->\n\n" + HARD
    found = lint(FRONT + text, "p.md", config, today=TODAY)
    (f,) = [f for f in found if f.rule == "MED061"]
    assert f.suppressed and f.suppression_reason == "a summary table for clinicians"


def test_directive_inside_code_is_ignored(config):
    text = "```\n<!-- medical-terms: disable MED050 -->\n```\nA miracle drug.\n"
    (f,) = run(text, config, rules={"MED050"})
    assert not f.suppressed


# --- configuration ---------------------------------------------------------------------------------


def test_bad_config_is_a_clear_error(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules: [not, a, mapping]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules\.yaml"):
        load_config(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.yaml")


def test_rule_set_off_is_not_run(tmp_path, config):
    text = config.path.read_text(encoding="utf-8").replace("\nrules: {}\n", "\nrules: {MED050: off}\n")
    assert "MED050: off" in text
    custom = tmp_path / "medical_terms.yaml"
    custom.write_text(text, encoding="utf-8")
    (tmp_path / "words.txt").write_text("", encoding="utf-8")
    assert rules_of("A miracle drug.", load_config(custom), rules={"MED050"}) == []


def test_every_rule_in_the_data_has_a_source(config):
    for group in ("do_not_use", "error_prone", "doses", "naming", "abbreviations", "spelling", "claims"):
        assert config.data[group].get("source"), group
    assert config.data["naming"]["us_spelling"].get("source")
    assert config.data["unverified_claims"].get("source")
    for group in ("indications", "readability", "review"):
        assert config.data[group].get("source"), group


@pytest.mark.parametrize(
    "body",
    [
        "title: What it treats\nreviewed: 2026-11-22\ndescription: Uses, approved and off-label.\n",
        "title: T\naudience: clinicians\nreviewed: 2026-01-05\n",
        "title: 'Quoted: title'\nreviewed: 2026-01-05\n",
        "title: T\nreviewed: 2026-1-5\n",
        "title: T\nreviewed: yes\n",
        "tags: [a, b]\nreviewed: 2026-01-05\n",
        "title: a: b\n",
        "count: 12\n",
    ],
)
def test_simple_front_matter_reads_as_yaml(body):
    import yaml
    from ivig_tools.terms import simple_front_matter

    fast = simple_front_matter(body)
    assert fast is None or fast == yaml.safe_load(body)
