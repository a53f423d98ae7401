"""The rules of the bibliography check (BIB, CIT, DOI and REG families)."""

from __future__ import annotations

from ivig_tools.findings import Finding, Severity

RULES: dict[str, tuple[Severity, str]] = {
    "BIB001": ("error", "the .bib file does not parse (pybtex, and so the build, would stop here)"),
    "BIB002": ("error", "two entries have the same key (keys compare case-insensitively)"),
    "BIB003": ("error", "a key mkdocs-bibtex cannot cite (only letters, digits, '_' and '-')"),
    "BIB004": ("error", "a field required for the entry type is missing"),
    "BIB005": ("warning", "an empty field"),
    "BIB006": ("error", "an unescaped '%' in a field (cuts the rendered reference); write '\\%'"),
    "BIB007": ("error", "unbalanced braces in a field value"),
    "BIB008": ("error", "the same field twice in one entry (pybtex stops)"),
    "BIB009": ("error", "an author or editor list pybtex cannot read (too many commas in a name)"),
    "BIB010": ("error", "a bare word as a field value that no @string defines (pybtex stops)"),
    "CIT001": ("error", "a citation names no entry (mkdocs-bibtex would silently delete it)"),
    "CIT002": ("info", "an entry no page cites"),
    "CIT003": ("info", "a citation with a locator or prefix, which the AMA style does not show"),
    "DOI001": ("error", "a doi field that is not the bare DOI (URL, 'doi:' prefix, spaces, punctuation)"),
    "DOI002": ("error", "a doi field that is not a DOI"),
    "DOI003": ("info", "a legal DOI of an older form, outside Crossref's modern pattern"),
    "DOI004": ("error", "the same DOI on two entries (DOIs compare case-insensitively)"),
    "DOI005": ("info", "a DOI with no record in the registry cache: unverified"),
    "DOI006": ("info", "an article without a DOI"),
    "REG001": ("error", "the entry disagrees with the registry record of its DOI"),
    "REG002": ("error", "the DOI's work is retracted, withdrawn or removed"),
    "REG003": ("warning", "the DOI's work has an expression of concern"),
    "REG004": ("info", "the DOI's work has a correction or erratum (shown on the References page)"),
    "REG005": ("error", "the DOI is not registered"),
    "REG006": ("warning", "the registry could not be asked (online mode): could not verify"),
    "REG007": ("info", "the DOI is registered, but not with Crossref: metadata not compared"),
}


# Findings of these rules mean pybtex (and so mkdocs-bibtex) cannot load the file.
FATAL = "fatal"


def is_fatal(finding: Finding) -> bool:
    """True when mkdocs-bibtex would crash on this problem (the hook then stops the build)."""
    return bool(finding.extra.get(FATAL))
