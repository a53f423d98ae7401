"""The rules of the bibliography check (BIB, CIT, DOI and REG): ID, default severity,
summary and fix.

Severities can be changed in the ``rules:`` table of ``hooks/data/doi_check.yaml``;
CONTRIBUTING.md's table is generated from this list (``scripts/rule_tables.py``).
"""

from __future__ import annotations

from ivig_tools.findings import Finding
from ivig_tools.registry import Registry, Rule

BIB_RULES = Registry(
    "doi-check",
    [
        Rule("BIB001", "error", "The `.bib` file does not parse", "fix the syntax at the position given"),
        Rule("BIB002", "error", "Two entries share a key (keys compare case-insensitively)", "rename one"),
        Rule(
            "BIB003",
            "error",
            "The key has characters mkdocs-bibtex cannot cite",
            "use letters, digits, `_`, `-`",
        ),
        Rule(
            "BIB004",
            "error",
            "A required field is missing",
            "add it (article: author, title, journal, shortjournal, year, volume, pages)",
        ),
        Rule("BIB005", "warning", "A field is empty", "fill it or delete it"),
        Rule("BIB006", "error", "An unescaped `%` would cut the field", "write `\\%`"),
        Rule("BIB007", "error", "Unbalanced braces in a field", "close every `{`"),
        Rule("BIB008", "error", "The same field twice in one entry", "keep one"),
        Rule("BIB009", "error", "An author list that cannot be read", "write `Last, First and Last, First`"),
        Rule(
            "BIB010",
            "error",
            "A bare word as a value that no `@string` defines",
            "put the value in braces",
        ),
        Rule("CIT001", "error", "A citation names no entry", "fix the key or add the entry"),
        Rule("CIT002", "info", "An entry no page cites", "cite it or remove it"),
        Rule(
            "CIT003",
            "info",
            "A citation with a locator or prefix, which the AMA style drops",
            "cite the key alone",
        ),
        Rule("DOI001", "error", "The `doi` field is not a bare DOI", "write the form the message gives"),
        Rule("DOI002", "error", "The `doi` field is not a DOI", "correct it"),
        Rule("DOI003", "info", "A legal DOI of an older form", "check it is right"),
        Rule("DOI004", "error", "The same DOI on two entries", "one of them is wrong"),
        Rule("DOI005", "info", "The DOI has no record in the registry cache", "refresh the cache online"),
        Rule("DOI006", "info", "An article has no DOI", "add it if it has one"),
        Rule(
            "REG001",
            "error",
            "A field differs from the registry record (both values named)",
            "correct the entry, or the DOI",
        ),
        Rule("REG002", "error", "The work was retracted, withdrawn or removed", "stop citing it"),
        Rule(
            "REG003",
            "warning",
            "The work has an expression of concern",
            "ask a medical reviewer whether to keep it",
        ),
        Rule("REG004", "info", "The work has a correction or erratum", "it shows on the References page"),
        Rule("REG005", "error", "The DOI is not registered", "it is wrong"),
        Rule("REG006", "warning", "The registry could not be asked (online mode only)", "try again later"),
        Rule("REG007", "info", "The DOI is registered outside Crossref, so its metadata was not compared"),
        Rule("BIB090", "warning", "A suppression comment without a reason", "add one after `--`"),
        Rule(
            "BIB091",
            "warning",
            "A suppression comment naming no rule, or one the bibliography check does not have",
            "name the rule",
        ),
        Rule("BIB092", "info", "A suppression comment that silenced nothing", "remove it"),
    ],
    families=("BIB", "CIT", "DOI", "REG"),
)

# Findings of these rules mean pybtex (and so mkdocs-bibtex) cannot load the file.
FATAL = "fatal"


def is_fatal(finding: Finding) -> bool:
    """True when mkdocs-bibtex would crash on this problem (the hook then stops the build)."""
    return bool(finding.extra.get(FATAL))
