"""The rules of the bibliography check (BIB, HSE, CIT, DOI and REG): ID, default severity,
summary and fix.

BIB rules follow BibTeX's grammar (as pybtex reads it) and biblatex's data model, so they fit
any biblatex file. :data:`HOUSE_RULES` are this guide's policy (the HSE family, and the key
characters mkdocs-bibtex can cite, and "an article has no DOI"): the ``biblatex`` profile
(``profile:`` in ``hooks/data/doi_check.yaml``, or ``--profile``) turns them off.

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
            "The key has characters mkdocs-bibtex cannot cite (a house rule)",
            "use letters, digits, `_`, `-`",
        ),
        Rule(
            "BIB004",
            "error",
            "A field biblatex's data model requires is missing, counting what a `crossref` or `xdata` "
            "parent gives",
            "add it (article: author, title, journal, year; `@online`: title and url, doi or eprint)",
        ),
        Rule("BIB005", "warning", "A field is empty", "fill it or delete it"),
        Rule("BIB006", "error", "An unescaped `%` would cut the field", "write `\\%`"),
        Rule("BIB007", "error", "Unbalanced braces in a field", "close every `{`"),
        Rule("BIB008", "error", "The same field twice in one entry", "keep one"),
        Rule("BIB009", "error", "An author list that cannot be read", "write `Last, First and Last, First`"),
        Rule(
            "BIB010",
            "error",
            "A bare word as a value that no `@string` before it in the same file defines",
            "put the value in braces, or define the macro above it in this file",
        ),
        Rule(
            "BIB011",
            "error",
            "`@string` macros expand a value beyond 100,000 characters",
            "define the macros as the text itself",
        ),
        Rule(
            "BIB012",
            "warning",
            "A `crossref`, `xref` or `xdata` names no entry",
            "correct the key or add the parent entry",
        ),
        Rule(
            "BIB013",
            "warning",
            "Several URLs in one `url` field, which no style can link",
            "keep one; put the others in a note",
        ),
        Rule(
            "BIB014",
            "warning",
            "An organization as author without braces, read as a person (World Medical Association: "
            "'Association WM')",
            "brace it: `{{World Medical Association}}`",
        ),
        Rule(
            "BIB015",
            "error",
            "An ISSN that is malformed or whose check digit is wrong",
            "copy it again from the journal",
        ),
        Rule(
            "BIB016",
            "warning",
            "A `pages` value that is not a page, a range or an article number",
            "write `first--last` or the article number, or remove the field",
        ),
        Rule(
            "HSE001",
            "error",
            "An article lacks what this guide's AMA style prints",
            "add shortjournal (the NLM abbreviation), volume and pages",
        ),
        Rule(
            "HSE002",
            "error",
            "A web page (`@misc` with a url) has no title",
            "add title = {...}",
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
        Rule("DOI006", "info", "An article has no DOI (a house rule)", "add it if it has one"),
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
    families=("BIB", "HSE", "CIT", "DOI", "REG"),
)

# This guide's policy, not biblatex's data model: the ``biblatex`` profile turns these off.
HOUSE_RULES = frozenset({"BIB003", "DOI006", "HSE001", "HSE002"})

PROFILES = ("house", "biblatex")

# Findings of these rules mean pybtex (and so mkdocs-bibtex) cannot load the file.
FATAL = "fatal"


def is_fatal(finding: Finding) -> bool:
    """True when mkdocs-bibtex would crash on this problem (the hook then stops the build)."""
    return bool(finding.extra.get(FATAL))
