"""The entry rules (BIB003 to BIB006, BIB012, HSE001, HSE002; field content in ``content``) and
:func:`check_bibliography`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ivig_tools.bibcheck import content
from ivig_tools.bibcheck.doi_checks import check_doi
from ivig_tools.bibcheck.records import records_of
from ivig_tools.bibcheck.scanner import PERSON_FIELDS, BibEntry, BibField, BibFile
from ivig_tools.findings import Finding

CITABLE_KEY_RE = re.compile(r"^[\w-]+$")  # mkdocs-bibtex's CITATION_REGEX key


WEB_TYPES = frozenset({"online", "electronic", "www", "webpage"})


_DATE = ("year", "date")


# biblatex's data model (the manual's "required fields"; BibTeX's own types with their
# biblatex aliases). Each requirement is a tuple of alternatives; the first one names the
# field in messages. (@misc is left out: BibTeX requires nothing of it.)
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal", "journaltitle"), _DATE),
    "book": (("author", "editor"), ("title",), _DATE),
    "mvbook": (("author", "editor"), ("title",), _DATE),
    "inbook": (("author",), ("title",), ("booktitle",), _DATE),
    "bookinbook": (("author",), ("title",), ("booktitle",), _DATE),
    "booklet": (("author", "editor"), ("title",), _DATE),
    "collection": (("editor",), ("title",), _DATE),
    "incollection": (("author",), ("title",), ("booktitle",), _DATE),
    "manual": (("author", "editor", "organization"), ("title",), _DATE),
    "online": (("title",), ("url", "doi", "eprint")),
    "patent": (("author",), ("title",), ("number",), _DATE),
    "periodical": (("title",), _DATE),
    "proceedings": (("title",), _DATE),
    "inproceedings": (("author",), ("title",), ("booktitle",), _DATE),
    "report": (("author",), ("title",), ("institution",), _DATE),
    "techreport": (("author",), ("title",), ("institution",), _DATE),
    "thesis": (("author",), ("title",), ("institution", "school"), _DATE),
    "phdthesis": (("author",), ("title",), ("school", "institution"), _DATE),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), _DATE),
    "unpublished": (("author",), ("title",)),
}
# biblatex's aliases of BibTeX's and older types.
REQUIRED["conference"] = REQUIRED["inproceedings"]
for _alias in WEB_TYPES - {"online"}:
    REQUIRED[_alias] = REQUIRED["online"]


# This guide's AMA style prints these for an article (HSE001).
HOUSE_ARTICLE: tuple[tuple[str, ...], ...] = (("shortjournal",), ("volume",), ("pages", "eid"))


# Fields a child never inherits (biblatex's \DefaultInheritance exceptions).
_NO_INHERIT = frozenset(
    {
        "ids",
        "crossref",
        "xref",
        "xdata",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
    }
)
_IN_TYPES = frozenset(
    {"inbook", "bookinbook", "suppbook", "incollection", "suppcollection", "inproceedings", "inreference"}
)
_BOOK_TYPES = frozenset(
    {
        "book",
        "mvbook",
        "collection",
        "mvcollection",
        "proceedings",
        "mvproceedings",
        "reference",
        "mvreference",
    }
)


_FIELD_HINTS = {
    "author": "author = {Family, Given and Family, Given}",
    "shortjournal": "shortjournal = {the NLM abbreviation, e.g. Front Immunol}, which the AMA style prints",
    "journaltitle": "journal = {the full journal name}",
    "journal": "journal = {the full journal name}",
    "year": "year = {YYYY}",
    "pages": "pages = {first--last}, or the article number in pages",
    "url": "url = {https://...}",
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


def _present(fields: Mapping[str, BibField], name: str) -> bool:
    f = fields.get(name)
    return f is not None and bool(f.value.strip())


def _keys_in(value: str) -> list[str]:
    return [k for k in (part.strip() for part in value.replace("{", "").replace("}", "").split(",")) if k]


def inherited(entry: BibEntry, by_key: Mapping[str, BibEntry], depth: int = 0) -> set[str]:
    """The field names an entry's ``crossref`` and ``xdata`` parents give it (biblatex's
    default inheritance: same names, and a book's or proceedings' title as the booktitle of
    a part of it, a periodical's title as an article's journal title)."""
    if depth > 8:
        return set()
    out: set[str] = set()
    for link in ("crossref", "xdata"):
        f = entry.fields.get(link)
        if f is None:
            continue
        for key in _keys_in(f.value) if link == "xdata" else [f.value.strip()]:
            parent = by_key.get(key.lower())
            if parent is None or parent is entry:
                continue
            names = {n for n, pf in parent.fields.items() if pf.value.strip()} | inherited(
                parent, by_key, depth + 1
            )
            out |= names - _NO_INHERIT
            if link == "crossref" and "title" in names:
                if entry.type in _IN_TYPES and parent.type in _BOOK_TYPES:
                    out.add("booktitle")
                elif entry.type == "article" and parent.type == "periodical":
                    out.add("journaltitle")
    return out


def _missing(
    fields: Mapping[str, BibField], got: set[str], requirements: tuple[tuple[str, ...], ...]
) -> list[tuple[str, ...]]:
    return [alts for alts in requirements if not any(_present(fields, a) or a in got for a in alts)]


def check_crossrefs(bib: BibFile, entry: BibEntry, by_key: Mapping[str, BibEntry]) -> list[Finding]:
    """BIB012: a crossref, xref or xdata that names no entry."""
    out = []
    for link in ("crossref", "xref", "xdata"):
        f = entry.fields.get(link)
        if f is None or not f.value.strip():
            continue
        for key in _keys_in(f.value) if link == "xdata" else [f.value.strip()]:
            if key.lower() not in by_key:
                out.append(
                    bib.finding(
                        f.value_offset,
                        "BIB012",
                        f"entry '{entry.key}': {link} = {{{key}}} names no entry in the bibliography, so "
                        f"nothing is inherited from it; correct the key or add the entry '{key}'",
                    )
                )
    return out


def _check_entry(
    bib: BibFile, entry: BibEntry, by_key: Mapping[str, BibEntry] | None = None
) -> list[Finding]:
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
    got = inherited(entry, by_key) if by_key and ("crossref" in fields or "xdata" in fields) else set()
    for rule, requirements in (
        ("BIB004", REQUIRED.get(entry.type, ())),
        ("HSE001", HOUSE_ARTICLE if entry.type == "article" else ()),
    ):
        for alternatives in _missing(fields, got, requirements):
            name = alternatives[0]
            either = " or ".join(f"'{a}'" for a in alternatives)
            hint = _FIELD_HINTS.get(name, f"{name} = {{...}}")
            why = " (this guide's AMA style prints it)" if rule == "HSE001" and "AMA" not in hint else ""
            parent = " (nor does its crossref or xdata parent)" if got else ""
            out.append(
                bib.finding(
                    entry.key_offset,
                    rule,
                    f"{entry.type} '{key}' has no {either} field{parent}{why}; add {hint}",
                    field=name,
                )
            )
    if entry.type == "misc" and _is_web(entry) and not (_present(fields, "title") or "title" in got):
        out.append(
            bib.finding(
                entry.key_offset, "HSE002", f"web page '{key}' has no 'title' field; add title = {{...}}"
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
            out.extend(content.check_names(bib, entry, f))
        elif f.name == "url":
            out.extend(content.check_url(bib, entry, f))
        elif f.name == "issn":
            out.extend(content.check_issn(bib, entry, f))
        elif f.name == "pages":
            out.extend(content.check_pages(bib, entry, f))
    return out


def _macro_advice(bibs: Sequence[BibFile], bib: BibFile, finding: Finding) -> Finding:
    """BIB010 for a macro defined elsewhere: say where, and what to do (pybtex reads each file
    on its own, and a macro only after its @string)."""
    macro = finding.extra.get("macro", "")
    if not macro:
        return finding
    name, macro = macro, macro.lower()
    if macro in bib.macros:
        line, _ = bib.position(bib.macros[macro])
        message = (
            f"{finding.message.split(': ', 1)[0]}: '{name}' is defined by the @string on line {line}, "
            "after this entry; pybtex reads a macro only after its @string: move the @string above"
        )
        return replace(finding, message=message)
    for other in bibs:
        if other is not bib and macro in other.macros:
            line, _ = other.position(other.macros[macro])
            message = (
                f"{finding.message.split(': ', 1)[0]}: '{name}' is an @string of {other.path}:{line}, "
                "but each .bib file is read on its own; copy the @string into this file, above "
                "this entry"
            )
            return replace(finding, message=message)
    return finding


def check_bibliography(bibs: Sequence[BibFile], cache: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every bibliography-wide rule over parsed .bib files (offline; the cache may be empty)."""
    findings: list[Finding] = []
    records = records_of(cache)
    unregistered = {str(k).lower() for k in ((cache or {}).get("unregistered") or {})}
    keys: dict[str, tuple[BibFile, BibEntry]] = {}
    dois: dict[str, tuple[BibFile, BibEntry]] = {}
    by_key: dict[str, BibEntry] = {}
    for bib in bibs:
        for entry in bib.entries:
            by_key.setdefault(entry.key.lower(), entry)
            ids = entry.fields.get("ids")
            if ids is not None:
                for alias in _keys_in(ids.value):
                    by_key.setdefault(alias.lower(), entry)
    for bib in bibs:
        findings.extend(_macro_advice(bibs, bib, f) if f.rule == "BIB010" else f for f in bib.findings)
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
            findings.extend(_check_entry(bib, entry, by_key))
            findings.extend(check_crossrefs(bib, entry, by_key))
            findings.extend(check_doi(bib, entry, dois, records, unregistered))
    return findings
