"""What is inside a field: names (BIB009, BIB014), URLs (BIB013), ISSNs (BIB015) and page
values (BIB016)."""

from __future__ import annotations

import re

from ivig_tools.bibcheck.scanner import BibEntry, BibField, BibFile
from ivig_tools.findings import Finding

_AND_RE = re.compile(r"\s+and\s+", re.IGNORECASE)


def split_names(value: str) -> list[str]:
    """The names of a name list, split at ' and ' outside braces (as BibTeX does)."""
    names: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(value)
    while i < n:
        ch = value[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and ch.isspace():
            m = _AND_RE.match(value, i)
            if m:
                names.append(value[start:i].strip())
                start = i = m.end()
                continue
        i += 1
    names.append(value[start:].strip())
    return [name for name in names if name]


def _top_level_commas(name: str) -> int:
    depth = commas = 0
    for ch in name:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            commas += 1
    return commas


_EXTENDED_RE = re.compile(r"(?:^|,)\s*(?:family|given|prefix|suffix|useprefix)\s*=", re.IGNORECASE)


# Words that make a name an organization's (whole words, any case).
_ORGANISATION_RE = re.compile(
    r"\b(?:Association|Organi[sz]ation|Society|Institute|Institutes|Agency|Foundation|Committee|"
    r"Council|Group|Administration|Department|Ministry|Cent(?:er|re)s?|College|Network|Federation|"
    r"Consortium|Collaboration|Board|Commission|Services?|Authority|Office|Academy|Alliance|Union|"
    r"Inc|Ltd|Company|Corporation|Laborator(?:y|ies)|Team|Programme|Program|Project|Hospital|"
    r"Trust|Panel|Registry|Taskforce|Force)\b",
    re.IGNORECASE,
)


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w[0].isalpha())


def check_names(bib: BibFile, entry: BibEntry, f: BibField) -> list[Finding]:
    """BIB009: a name pybtex cannot read (too many commas, or biblatex's extended name format,
    which pybtex does not know); BIB014: an organization without braces."""
    out: list[Finding] = []
    for name in split_names(" ".join(f.value.split())):
        commas = _top_level_commas(name)
        if _EXTENDED_RE.search(name):
            out.append(
                bib.finding(
                    f.name_offset,
                    "BIB009",
                    f"entry '{entry.key}', field '{f.name}': \"{name}\" is biblatex's extended name "
                    "format (family=..., given=...), which pybtex (and so mkdocs-bibtex) does not know: "
                    + ("it stops at the third comma" if commas > 2 else "it prints the text as it is")
                    + "; write {Family, Given}, with a particle {van Family, Given}",
                    fatal=commas > 2,
                )
            )
            continue
        if commas > 2:
            out.append(
                bib.finding(
                    f.name_offset,
                    "BIB009",
                    f"entry '{entry.key}', field '{f.name}': pybtex cannot read the name \"{name}\" (too "
                    "many commas); separate people with 'and': {Family, Given and Family, Given}",
                    fatal=True,
                )
            )
            continue
        if commas == 0 and not name.startswith("{") and name.lower() != "others":
            words = name.split()
            if len(words) >= 2 and _ORGANISATION_RE.search(name):
                out.append(
                    bib.finding(
                        f.name_offset,
                        "BIB014",
                        f"entry '{entry.key}', field '{f.name}': \"{name}\" is read as a person, family "
                        f'name "{words[-1]}" (the AMA style prints "{words[-1]} '
                        f'{_initials(words[:-1])}"); if it is an organization, brace it: {{{{{name}}}}}',
                    )
                )
    return out


# A URL starts the field or follows white space, a comma or a semicolon (a URL inside
# another, as in web.archive.org/web/2020/https://..., follows a '/').
_URL_START_RE = re.compile(r"(?:^|[\s,;]+)(?:https?|ftp)://", re.IGNORECASE)


def check_url(bib: BibFile, entry: BibEntry, f: BibField) -> list[Finding]:
    """BIB013: more than one URL in the url field."""
    value = f.value.strip()
    count = len(_URL_START_RE.findall(value))
    if count < 2:
        return []
    first = re.split(r"[\s,;]+", value)[0]
    return [
        bib.finding(
            f.value_offset,
            "BIB013",
            f"entry '{entry.key}': the url field holds {count} URLs, which no style links as one; "
            f"keep one, e.g. url = {{{first}}}, and put the others in a note",
        )
    ]


_ISSN_RE = re.compile(r"^(\d{4})-?(\d{3}[\dX])$", re.IGNORECASE)


def issn_check_digit(digits: str) -> str:
    """The check digit of the first seven digits of an ISSN (ISO 3297: weights 8 to 2, mod 11)."""
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def check_issn(bib: BibFile, entry: BibEntry, f: BibField) -> list[Finding]:
    """BIB015: an ISSN that is not one, or whose check digit is wrong."""
    out = []
    for raw in re.split(r"[\s,;]+", f.value.replace("{", "").replace("}", "")):
        if not raw:
            continue
        m = _ISSN_RE.match(raw)
        if not m:
            out.append(
                bib.finding(
                    f.value_offset,
                    "BIB015",
                    f"entry '{entry.key}': \"{raw}\" is not an ISSN (NNNN-NNNC); "
                    "copy it again from the journal",
                )
            )
            continue
        digits = m.group(1) + m.group(2)
        expected = issn_check_digit(digits[:7])
        if digits[7].upper() != expected:
            out.append(
                bib.finding(
                    f.value_offset,
                    "BIB015",
                    f"entry '{entry.key}': the ISSN {raw} is not valid (its check digit should be "
                    f"{expected}, not {digits[7]}); copy it again from the journal",
                )
            )
    return out


_PAGE = r"[A-Za-z]{0,4}\d+(?:[.:][A-Za-z]{0,3}\d+)*[A-Za-z]{0,3}\+?|[ivxlcdmIVXLCDM]+"
_PAGES_RE = re.compile(rf"^(?:{_PAGE})(?:\s*(?:-{{1,3}}|–|—)\s*(?:{_PAGE}))?$")


def check_pages(bib: BibFile, entry: BibEntry, f: BibField) -> list[Finding]:
    """BIB016: a pages value that is no page, range, list of them or article number."""
    value = " ".join(f.value.replace("{", "").replace("}", "").replace("\\,", "").split())
    value = value.replace("\\textendash", "–").replace("\\textemdash", "—")
    parts = [p.strip() for p in value.split(",")]
    if all(_PAGES_RE.match(p) for p in parts):
        return []
    return [
        bib.finding(
            f.value_offset,
            "BIB016",
            f"entry '{entry.key}': pages = {{{f.value}}} is not a page, a range or an article number; "
            "write first--last (e.g. 136--144) or the article number, or remove the field",
        )
    ]
