"""The rules of the medical-term lint (MED): ID, default severity, summary and fix.

Severities can be changed in the ``rules:`` table of ``hooks/data/medical_terms.yaml``;
CONTRIBUTING.md's table is generated from this list (``scripts/rule_tables.py``).
"""

from __future__ import annotations

from ivig_tools.registry import Registry, Rule

MED_RULES = Registry(
    "medical-terms",
    [
        Rule(
            "MED001",
            "error",
            'A Joint Commission "Do Not Use" abbreviation (`U`, `IU`, `q.d.`, `q.o.d.`, `MS`, `MSO4`, '
            "`MgSO4`)",
            "write the word",
        ),
        Rule(
            "MED002",
            "warning",
            "An ISMP error-prone abbreviation (`SC`, `SQ`, `IN`, `HS`, `D/C` ...)",
            "write it out",
        ),
        Rule("MED003", "error", "A trailing zero in a dose (`1.0 mg`)", "write `1 mg`"),
        Rule("MED004", "error", "A missing leading zero (`.5 mg`)", "write `0.5 mg`"),
        Rule("MED010", "warning", "Number and unit run together (`400mg`)", "write `400 mg`"),
        Rule("MED011", "warning", "A unit not in the house form (`ml`, `cc`, `µg`)", "write `mL`, `mcg`"),
        Rule("MED012", "warning", "A full stop after a unit inside a sentence (`10 mg. daily`)", "drop it"),
        Rule(
            "MED013",
            "warning",
            "A dose of 1,000 or more without a thousands separator",
            "write `100,000 units`",
        ),
        Rule(
            "MED020",
            "warning",
            "Another name for the product (IVIg, IGIV ...)",
            "write IVIG, except inside a quoted product name",
        ),
        Rule("MED021", "warning", "An immunoglobulin class in the wrong case (`IGG`)", "write `IgG`"),
        Rule(
            "MED022",
            "warning",
            "A known misspelling (`immunoglobin`, `Guillain Barre`)",
            "use the spelling given",
        ),
        Rule("MED023", "warning", "A dated term (`gamma globulin`)", "write `immunoglobulin`"),
        Rule(
            "MED024",
            "warning",
            "A British spelling (`haemolytic`, `anaemia`, `recognise`, `centre`, `licence`, `labelled`)",
            "write the US form given (quoted titles, the link text of links to other sites and proper "
            "names such as `European Centre ...` are left alone)",
        ),
        Rule(
            "MED030",
            "warning",
            "An abbreviation used before it is expanded on this page",
            "expand it at first use",
        ),
        Rule("MED031", "info", "An abbreviation expanded but not used again", "write the words alone"),
        Rule(
            "MED040",
            "warning",
            "Words run together, as scraping leaves them (`fromdonors`)",
            "add the space",
        ),
        Rule("MED041", "info", "A word in no dictionary", "correct it, or add it to `hooks/data/words.txt`"),
        Rule("MED050", "warning", "An absolute claim (`cures`, `completely safe`)", "hedge it and cite it"),
        Rule(
            "MED051",
            "warning",
            'A use outside the labeled indications in a section that does not say "off-label"',
            "say so",
        ),
        Rule(
            "MED052",
            "warning",
            "A number a reader could act on (`12 weeks`, `2 g/kg`, `21%`, `3 to 4 hours`) inside an `!!! "
            "unverified` box",
            "remove it until a source confirms the claim",
        ),
        Rule("MED060", "info", "The page's reading grade (Flesch-Kincaid)"),
        Rule(
            "MED061",
            "warning",
            "The reading grade is above the target (8 for patients)",
            "shorter sentences, plainer words",
        ),
        Rule("MED070", "error", "No `reviewed:` date in the front matter", "add one"),
        Rule(
            "MED071",
            "warning",
            "The review is older than 24 months",
            "review the page and update the date",
        ),
        Rule("MED072", "error", "`reviewed:` is not a date, or is in the future", "write `YYYY-MM-DD`"),
        Rule("MED073", "error", "The front matter is not valid YAML", "fix it"),
        Rule("MED090", "warning", "A suppression comment without a reason", "add one after `--`"),
        Rule("MED091", "warning", "A suppression comment naming no rule, or an unknown one", "name the rule"),
        Rule("MED092", "info", "A suppression comment that silenced nothing", "remove it"),
    ],
    families=("MED",),
)
