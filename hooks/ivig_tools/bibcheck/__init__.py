"""Bibliography, citation and DOI checks: text in, findings out.

The core of ``hooks/doi_check.py`` (command line and MkDocs hook). Nothing here
touches the network or imports MkDocs; the online client is ``doi_registry``.

- :func:`parse_bib` is a small BibTeX scanner with the grammar of pybtex 0.26 (the
  parser mkdocs-bibtex uses), which records the line and column of every entry and
  field (pybtex keeps none) and reports what pybtex would stop on;
- :func:`check_bibliography` checks entries and DOIs, offline, against the registry
  cache (``hooks/data/doi-registry.json``: ``records`` keyed by lower-case DOI, each a
  Crossref ``/works`` message);
- :func:`check_page` checks the citations of one Markdown page, :func:`check_uncited`
  lists entries no page cites, :func:`check` does all of it;
- :func:`record_notices` gives a registry record's correction/retraction notices (REG004);
  the References page words them for readers itself (``references.notices_of``).

Every rule has a stable ID; :data:`BIB_RULES` registers them (CONTRIBUTING.md's table is generated
from it).
"""

from __future__ import annotations

from ivig_tools.bibcheck.compare import (
    compare_with_record,
    journals_match,
    pages_match,
    plain,
    plain_pages,
    same_family_name,
)
from ivig_tools.bibcheck.doi import DOI_MODERN_RE, DOI_OLDER_RES, doi_form, normalise_doi
from ivig_tools.bibcheck.entries import CITABLE_KEY_RE, REQUIRED, WEB_TYPES, check_bibliography
from ivig_tools.bibcheck.pages import check, check_page, check_uncited, entry_keys
from ivig_tools.bibcheck.records import (
    CONCERN_TYPES,
    CORRECTION_TYPES,
    RETRACTION_TYPES,
    record_notices,
    records_of,
)
from ivig_tools.bibcheck.rules import BIB_RULES, FATAL, is_fatal
from ivig_tools.bibcheck.scanner import PERSON_FIELDS, BibEntry, BibField, BibFile, parse_bib

__all__ = [
    "BIB_RULES",
    "CITABLE_KEY_RE",
    "CONCERN_TYPES",
    "CORRECTION_TYPES",
    "DOI_MODERN_RE",
    "DOI_OLDER_RES",
    "FATAL",
    "PERSON_FIELDS",
    "REQUIRED",
    "RETRACTION_TYPES",
    "WEB_TYPES",
    "BibEntry",
    "BibField",
    "BibFile",
    "check",
    "check_bibliography",
    "check_page",
    "check_uncited",
    "compare_with_record",
    "doi_form",
    "entry_keys",
    "is_fatal",
    "journals_match",
    "normalise_doi",
    "pages_match",
    "parse_bib",
    "plain",
    "plain_pages",
    "record_notices",
    "records_of",
    "same_family_name",
]
