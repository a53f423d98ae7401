"""Comparing an entry with the registry record of its DOI (REG001): titles, journals, pages,
years and first authors as plain text."""

from __future__ import annotations

import codecs
import contextlib
import functools
import html
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from ivig_tools.bibcheck.records import (
    CONCERN_TYPES,
    CORRECTION_TYPES,
    RETRACTED,
    RETRACTION_TYPES,
    record_notices,
    update_type,
)
from ivig_tools.bibcheck.scanner import BibEntry, BibField, BibFile
from ivig_tools.findings import Finding

_HTML_TAG_RE = re.compile(r"<[^>]{0,200}>")


_LATEX_CMD_RE = re.compile(r"\\[A-Za-z]+\*?|\\.")


_NON_WORD_RE = re.compile(r"[\W_]+")


_STOP_WORDS = frozenset({"the", "of", "and", "in", "for", "on", "de", "la", "le", "der", "und", "a", "an"})


def plain(value: str) -> str:
    """Lower-case words only: no markup (HTML, LaTeX, braces), accents or punctuation."""
    if "<" in value:
        value = _HTML_TAG_RE.sub(" ", value)
    if "&" in value:
        value = html.unescape(value.replace("\\&", "&"))
    if "\\" in value:
        # "%" starts a LaTeX comment, so it is kept out of the decoder's sight.
        value = value.replace("\\%", "\x00").replace("%", "\x00").replace("\\&", "&")
        _register_latex_codec()
        # latexcodec gives up on some input; the commands left are dropped below.
        with contextlib.suppress(Exception):
            value = codecs.decode(value, "ulatex")  # type: ignore[call-overload]  # str to str
        value = value.replace("\x00", "%")
        value = _LATEX_CMD_RE.sub(" ", value)
    value = value.replace("{", "").replace("}", "")  # BibTeX grouping, not word breaks: M{\"u}ller
    folded = unicodedata.normalize("NFKD", value)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(_NON_WORD_RE.sub(" ", folded).split())


@functools.cache
def _register_latex_codec() -> None:
    import latexcodec  # noqa: F401, PLC0415 (registers the "ulatex" codec; a pybtex dependency)


def _journal_words(name: str) -> list[str]:
    name = re.sub(r"\([^)]*\)", " ", name)  # "Antibodies (Basel)"
    return [w for w in plain(name.replace("&", " and ")).split() if w not in _STOP_WORDS]


def _abbreviates(short: str, full: str) -> bool:
    """'Immunol' abbreviates 'immunology', 'Natl' abbreviates 'national'."""
    if not short or not full or short[0] != full[0] or len(short) > len(full):
        return False
    it = iter(full)
    return all(c in it for c in short)


def journals_match(a: str, b: str) -> bool:
    """The same journal, allowing for full versus abbreviated names, "The", punctuation."""
    wa, wb = _journal_words(a), _journal_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    if len(wa) != len(wb):
        return False
    return all(_abbreviates(x, y) or _abbreviates(y, x) for x, y in zip(wa, wb, strict=True))


_DASHES_RE = re.compile(r"\s*(?:-+|\u2010|\u2011|\u2012|\u2013|\u2014|\u2212)+\s*")


def _page_range(value: str) -> tuple[str, str]:
    value = _DASHES_RE.sub("-", plain_pages(value))
    first, _, last = value.partition("-")
    if last and first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last  # "136-44" is 136-144
    return first, last


def plain_pages(value: str) -> str:
    return _DASHES_RE.sub("-", value.replace("{", "").replace("}", "")).strip().casefold()


def pages_match(entry_pages: str, record_pages: str) -> bool:
    e_first, e_last = _page_range(entry_pages)
    r_first, r_last = _page_range(record_pages)
    if e_first != r_first:
        return False
    return not (e_last and r_last) or e_last == r_last


def _record_years(record: Mapping[str, Any]) -> list[int]:
    years = []
    for name in ("issued", "published-print", "published-online", "published"):
        try:
            years.append(int(record[name]["date-parts"][0][0]))
        except (TypeError, KeyError, IndexError, ValueError):
            continue
    return years


def _first_author_family(record: Mapping[str, Any]) -> str:
    authors = [a for a in record.get("author") or [] if isinstance(a, Mapping)]
    if not authors:
        return ""
    first = next((a for a in authors if a.get("sequence") == "first"), authors[0])
    return str(first.get("family") or first.get("name") or "")


def _entry_first_author(value: str) -> str:
    """The family name (with its 'von' part) of the first author, as pybtex reads it."""
    from pybtex.bibtex.utils import split_name_list  # noqa: PLC0415 (only for records in the cache)
    from pybtex.database import Person  # noqa: PLC0415

    names = split_name_list(value)
    if not names:
        return ""
    try:
        person = Person(names[0])
    except Exception:  # BIB009 reports unreadable names
        return ""
    return " ".join(person.prelast_names + person.last_names) or names[0]


def same_family_name(ours: str, theirs: str) -> bool:
    """'van Doorn' and 'Doorn' are the same family name (particles are filed either way)."""
    a, b = plain(ours).split(), plain(theirs).split()
    return a == b or (bool(a) and bool(b) and a[-1] == b[-1])


def compare_with_record(
    bib: BibFile, entry: BibEntry, record: Mapping[str, Any], doi: str, *, source: str = "the registry cache"
) -> list[Finding]:
    """REG001-REG004: the entry against the registry record of its DOI."""
    findings: list[Finding] = []
    fields = entry.fields
    mismatches: list[tuple[BibField | None, str, str, str]] = []

    def value(name: str) -> str:
        f = fields.get(name)
        return " ".join(f.value.split()) if f else ""

    title = value("title")
    record_titles = [str(t) for t in record.get("title") or [] if t]
    if title and record_titles:
        subtitles = [str(t) for t in record.get("subtitle") or [] if t]
        candidates = {plain(t) for t in record_titles}
        candidates |= {plain(f"{t} {s}") for t in record_titles for s in subtitles}
        if plain(title) not in candidates:
            mismatches.append((fields["title"], "title", title, record_titles[0]))

    author_field = fields.get("author")
    family = _first_author_family(record)
    if author_field and family:
        ours = _entry_first_author(" ".join(author_field.value.split()))
        if ours and not same_family_name(ours, family):
            mismatches.append((author_field, "first author", ours.replace("{", "").replace("}", ""), family))

    year_field = fields.get("year") or fields.get("date")
    years = _record_years(record)
    if year_field and years:
        ours = year_field.value.strip()[:4]
        if ours.isdigit() and not any(abs(int(ours) - y) <= 1 for y in years):
            mismatches.append((year_field, "year", ours, str(years[0])))

    names = [value(n) for n in ("journal", "journaltitle", "shortjournal") if value(n)]
    record_names = [
        str(t) for n in ("container-title", "short-container-title") for t in record.get(n) or [] if t
    ]
    if names and record_names and not any(journals_match(a, b) for a in names for b in record_names):
        where = fields.get("journal") or fields.get("journaltitle") or fields.get("shortjournal")
        mismatches.append((where, "journal", " / ".join(names), " / ".join(dict.fromkeys(record_names))))

    volume = value("volume")
    record_volume = str(record.get("volume") or "")
    if volume and record_volume and plain(volume) != plain(record_volume):
        mismatches.append((fields["volume"], "volume", volume, record_volume))

    pages = value("pages") or value("eid")
    record_pages = [str(record[n]) for n in ("page", "article-number") if record.get(n)]
    if pages and record_pages and not any(pages_match(pages, p) for p in record_pages):
        where = fields.get("pages") or fields.get("eid")
        mismatches.append((where, "pages", pages, " / ".join(record_pages)))

    hint = (
        "; several fields disagree, so the DOI may belong to another paper: check it"
        if len(mismatches) >= 2
        else "; correct the entry (or the DOI, if it belongs to another paper)"
    )
    for where, name, ours, theirs in mismatches:
        offset = where.name_offset if where else entry.key_offset
        findings.append(
            bib.finding(
                offset,
                "REG001",
                f"entry '{entry.key}' (doi {doi}): {name} differs from {source}: "
                f'the entry has "{ours}", the registry has "{theirs}"{hint}',
                field=name,
            )
        )

    doi_field = fields.get("doi")
    offset = doi_field.value_offset if doi_field else entry.key_offset
    updates = [u for u in record.get("updated-by") or [] if isinstance(u, Mapping)]
    for update, text in zip(updates, record_notices(record), strict=True):
        kind = update_type(update)
        if kind in RETRACTION_TYPES:
            findings.append(
                bib.finding(
                    offset,
                    "REG002",
                    f"entry '{entry.key}' (doi {doi}) has been {RETRACTED[kind]}: {text}; "
                    "stop citing it, or cite it only as retracted work and say so",
                )
            )
        elif kind in CONCERN_TYPES:
            findings.append(
                bib.finding(
                    offset,
                    "REG003",
                    f"entry '{entry.key}' (doi {doi}) has an expression of concern: {text}; "
                    "check the statements it supports",
                )
            )
        elif kind in CORRECTION_TYPES:
            findings.append(
                bib.finding(
                    offset,
                    "REG004",
                    f"entry '{entry.key}' (doi {doi}) has a correction notice: {text}; "
                    "the References page shows it next to the entry",
                )
            )
    return findings
