"""The entry rules (BIB003 to BIB006, BIB009, DOI004) and :func:`check_bibliography`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ivig_tools.bibcheck.doi_checks import check_doi
from ivig_tools.bibcheck.records import records_of
from ivig_tools.bibcheck.scanner import PERSON_FIELDS, BibEntry, BibFile
from ivig_tools.findings import Finding

CITABLE_KEY_RE = re.compile(r"^[\w-]+$")  # mkdocs-bibtex's CITATION_REGEX key


WEB_TYPES = frozenset({"online", "electronic", "www", "webpage"})


_DATE = ("year", "date")


# Each requirement is a tuple of alternatives; the first one names the field in messages.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (
        ("author",),
        ("title",),
        ("journal", "journaltitle"),
        ("shortjournal",),
        _DATE,
        ("volume",),
        ("pages", "eid"),
    ),
    "book": (("author", "editor"), ("title",), ("publisher",), _DATE),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), _DATE),
    "inbook": (("author", "editor"), ("title",), ("publisher",), _DATE),
    "inproceedings": (("author",), ("title",), ("booktitle",), _DATE),
    "phdthesis": (("author",), ("title",), ("school", "institution"), _DATE),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), _DATE),
    "thesis": (("author",), ("title",), ("school", "institution"), _DATE),
    "techreport": (("author",), ("title",), ("institution",), _DATE),
    "report": (("author",), ("title",), ("institution",), _DATE),
}


_FIELD_HINTS = {
    "author": "author = {Family, Given and Family, Given}",
    "shortjournal": "shortjournal = {the NLM abbreviation, e.g. Front Immunol}, which the AMA style prints",
    "journal": "journal = {the full journal name}",
    "year": "year = {YYYY}",
    "pages": "pages = {first--last}, or the article number in pages",
    "url": "url = {https://...}, or a note = {...} saying why there is no link",
}


_VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "urlraw"})


def _is_web(entry: BibEntry) -> bool:
    if entry.type in WEB_TYPES:
        return True
    if entry.type == "misc":
        howpublished = entry.fields.get("howpublished")
        return "url" in entry.fields or (howpublished is not None and "\\url" in howpublished.value)
    return False


def _unescaped_percent(value: str) -> int:
    """Index of the first '%' not preceded by an odd number of backslashes, or -1."""
    i = value.find("%")
    while i >= 0:
        n = 0
        while i - n - 1 >= 0 and value[i - n - 1] == "\\":
            n += 1
        if n % 2 == 0:
            return i
        i = value.find("%", i + 1)
    return -1


def _too_many_commas(value: str) -> str:
    """The first name in an author list with more than two commas, or ''."""
    if value.count(",") <= 2:
        return ""
    for naive in re.split(r"\s+and\s+", value):
        if naive.count(",") > 2:
            from pybtex.bibtex.utils import split_name_list, split_tex_string  # noqa: PLC0415

            for name in split_name_list(" ".join(value.split())):
                if len(split_tex_string(name, ",")) > 3:
                    return str(name)
            return ""
    return ""


def _check_entry(bib: BibFile, entry: BibEntry) -> list[Finding]:
    out: list[Finding] = []
    fields = entry.fields
    key = entry.key
    if not CITABLE_KEY_RE.match(key):
        suggestion = re.sub(r"[^\w-]+", "_", key).strip("_") or "key"
        out.append(
            bib.finding(
                entry.key_offset,
                "BIB003",
                f"entry key '{key}' cannot be cited: mkdocs-bibtex reads only letters, digits, '_' and '-' "
                f"in a key (it would silently drop the citation); rename it, e.g. '{suggestion}'",
            )
        )
    requirements = REQUIRED.get(entry.type, ())
    for alternatives in requirements:
        if not any(fields.get(a) and fields[a].value.strip() for a in alternatives):
            name = alternatives[0]
            either = " or ".join(f"'{a}'" for a in alternatives)
            hint = _FIELD_HINTS.get(name, f"{name} = {{...}}")
            out.append(
                bib.finding(
                    entry.key_offset,
                    "BIB004",
                    f"{entry.type} '{key}' has no {either} field; add {hint}",
                    field=name,
                )
            )
    if _is_web(entry):
        if not (fields.get("title") and fields["title"].value.strip()):
            out.append(
                bib.finding(
                    entry.key_offset, "BIB004", f"web page '{key}' has no 'title' field; add title = {{...}}"
                )
            )
        has_url = fields.get("url") and fields["url"].value.strip()
        has_note = fields.get("note") and fields["note"].value.strip()
        if not has_url and not has_note:
            out.append(
                bib.finding(
                    entry.key_offset,
                    "BIB004",
                    f"web page '{key}' has no 'url' field; add {_FIELD_HINTS['url']}",
                    field="url",
                )
            )
    for f in fields.values():
        value = f.value
        if not value.strip():
            out.append(
                bib.finding(
                    f.name_offset,
                    "BIB005",
                    f"entry '{key}' has an empty '{f.name}' field; fill it in or remove the line",
                )
            )
            continue
        if "%" in value and f.name not in _VERBATIM_FIELDS:
            for a, b in f.literal_spans:
                i = _unescaped_percent(bib.text[a:b])
                if i >= 0:
                    out.append(
                        bib.finding(
                            a + i,
                            "BIB006",
                            f"entry '{key}', field '{f.name}': an unescaped '%' starts a comment "
                            "and cuts the rendered reference; write '\\%'",
                        )
                    )
                    break
        if f.name in PERSON_FIELDS:
            bad = _too_many_commas(value)
            if bad:
                out.append(
                    bib.finding(
                        f.name_offset,
                        "BIB009",
                        f"entry '{key}', field '{f.name}': pybtex cannot read the name \"{bad}\" (too many "
                        "commas); separate people with 'and': {Family, Given and Family, Given}",
                        fatal=True,
                    )
                )
    return out


def check_bibliography(bibs: Sequence[BibFile], cache: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every bibliography-wide rule over parsed .bib files (offline; the cache may be empty)."""
    findings: list[Finding] = []
    records = records_of(cache)
    unregistered = {str(k).lower() for k in ((cache or {}).get("unregistered") or {})}
    keys: dict[str, tuple[BibFile, BibEntry]] = {}
    dois: dict[str, tuple[BibFile, BibEntry]] = {}
    for bib in bibs:
        findings.extend(bib.findings)
        for entry in bib.entries:
            lower = entry.key.lower()
            if lower in keys:
                other_bib, other = keys[lower]
                line, _ = other_bib.position(other.key_offset)
                where = f"line {line}" if other_bib is bib else f"{other_bib.path}:{line}"
                findings.append(
                    bib.finding(
                        entry.key_offset,
                        "BIB002",
                        f"entry key '{entry.key}' is already used by the entry at {where} "
                        "(keys compare case-insensitively); rename one of them",
                        fatal=other_bib is bib,
                    )
                )
            else:
                keys[lower] = (bib, entry)
            findings.extend(_check_entry(bib, entry))
            findings.extend(check_doi(bib, entry, dois, records, unregistered))
    return findings
