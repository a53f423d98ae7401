"""The form of a DOI: normalising a doi field and telling a modern DOI from an older legal one."""

from __future__ import annotations

import re

DOI_MODERN_RE = re.compile(r"^10.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)


# Crossref's patterns for older DOIs, and the general form of the DOI Handbook.
DOI_OLDER_RES = (
    re.compile(r"^10.1002/[^\s]+$", re.IGNORECASE),
    re.compile(r"^10.\d{4}/\d+-\d+X?(\d+)\d+<[\d\w]+:[\d\w]*>\d+.\d+.\w+;\d$", re.IGNORECASE),
    re.compile(r"^10.1021/\w\w\d+$", re.IGNORECASE),
    re.compile(r"^10.1207/[\w\d]+\&\d+_\d+$", re.IGNORECASE),
    re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$"),
)


_DOI_PREFIX_RE = re.compile(
    r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|https?://[^/\s]*doi[^/\s]*/|info:doi/|doi:\s*|doi\s+)",
    re.IGNORECASE,
)


# Left over from a scrape or an export (a JSON or HTML fragment glued to the DOI): the DOI
# Handbook allows these characters, but no registered DOI has them in this arrangement.
SCRAPE_RESIDUE_RE = re.compile(r"\",|\":|\"\s*[,}]|\"[A-Za-z]+\"|</?[a-z]+[ >]|&(?:quot|amp|lt|gt);")


_LATEX_ESCAPE_RE = re.compile(r"\\([_%&#$])")


def normalise_doi(raw: str) -> str:
    """The bare DOI in a doi field: no resolver URL, 'doi:' prefix, spaces, braces or trailing punctuation."""
    from urllib.parse import unquote  # noqa: PLC0415 (rarely needed)

    value = raw.strip().replace("{", "").replace("}", "")
    value = _LATEX_ESCAPE_RE.sub(r"\1", value)
    while True:
        m = _DOI_PREFIX_RE.match(value)
        if not m:
            break
        was_url = "/" in m.group()
        value = value[m.end() :].strip()
        if was_url:
            value = unquote(value)
    value = "".join(value.split())
    while value and value[-1] in ".,;:)]}>\"'":
        last = value[-1]
        if last == ")" and value.count("(") >= value.count(")"):
            break
        if last == "]" and value.count("[") >= value.count("]"):
            break
        if last == ">" and value.count("<") >= value.count(">"):
            break
        value = value[:-1]
    return value


def doi_form(doi: str) -> str:
    """'modern', 'older', 'residue' (a DOI with a scraped fragment glued on) or 'invalid'."""
    if SCRAPE_RESIDUE_RE.search(doi):
        return "residue"
    if DOI_MODERN_RE.match(doi):
        return "modern"
    if any(p.match(doi) for p in DOI_OLDER_RES):
        return "older"
    return "invalid"
