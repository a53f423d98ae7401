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
- :func:`notices_for` gives the correction/retraction notices of a DOI for the
  References page.

Every rule has a stable ID; :data:`RULES` lists them (CONTRIBUTING.md shows the table).
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import html
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from string import ascii_letters, digits

from ivig_tools.citations import Citation, iter_citation_matches
from ivig_tools.findings import Finding, Severity
from ivig_tools.mdmask import LineIndex

# --- rules -------------------------------------------------------------------------------

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


# --- the BibTeX scanner ------------------------------------------------------------------

# pybtex.database.input.bibtex.LowLevelParser, as patterns.
_NAME_CHARS = ascii_letters + "@!$&*+-./:;<>?[\\]^_`|~\x7f"
_NAME_RE = re.compile(f"[{re.escape(_NAME_CHARS)}][{re.escape(_NAME_CHARS + digits)}]*")
_KEY_BRACE_RE = re.compile(r"[^\s,}]+")
_KEY_PAREN_RE = re.compile(r"[^\s,]+")
_NUMBER_RE = re.compile(r"[0-9]+")
_WS_RE = re.compile(r"\s*")
_BRACES_RE = re.compile(r"[{}]")
_BRACES_QUOTE_RE = re.compile(r'[{}"]')
_NEXT_ENTRY_RE = re.compile(r"\n[ \t]*@")
_SWALLOWED_RE = re.compile(r"\n[ \t]*@[A-Za-z]+[ \t]*[{(]")
_MAX_NESTING = 100
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
PERSON_FIELDS = ("author", "editor")  # pybtex's Person.valid_roles


@dataclass(slots=True)
class BibField:
    name: str  # lower case
    value: str  # as pybtex flattens it: outer delimiters gone, inner braces kept
    name_offset: int
    value_offset: int
    literal_spans: list[tuple[int, int]]  # the text of each quoted or braced part


@dataclass(slots=True)
class BibEntry:
    type: str  # lower case
    key: str
    offset: int  # of the "@"
    key_offset: int
    fields: dict[str, BibField]


@dataclass
class BibFile:
    path: str
    text: str
    entries: list[BibEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    _index: LineIndex | None = None

    def position(self, offset: int) -> tuple[int, int]:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index.position(offset)

    def finding(self, offset: int, rule: str, message: str, *, fatal: bool = False, **extra) -> Finding:
        line, col = self.position(offset)
        if fatal:
            extra[FATAL] = True
        return Finding(self.path, line, col, RULES[rule][0], rule, message, extra=extra)


class _Stop(Exception):
    """A syntax error: pybtex stops at the first one; the scanner resumes at the next entry."""

    def __init__(self, offset: int, rule: str, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.rule = rule
        self.message = message


def _describe(text: str, pos: int) -> str:
    if pos >= len(text):
        return "the end of the file"
    ch = text[pos]
    return "a line break" if ch in "\r\n" else f"{ch!r}"


class _Scanner:
    def __init__(self, bib: BibFile) -> None:
        self.bib = bib
        self.text = bib.text
        self.end = len(self.text)
        self.pos = 0
        self.macros = {m: m for m in _MONTHS}
        self.key = ""
        self.field_name = ""

    def where(self) -> str:
        where = f"entry '{self.key}'" if self.key else "this entry"
        return f"{where}, field '{self.field_name}'" if self.field_name else where

    def ws(self) -> int:
        self.pos = _WS_RE.match(self.text, self.pos).end()
        if self.pos >= self.end:
            raise _Stop(self.end, "BIB001", f"the file ends inside {self.where()}; close the entry with '}}'")
        return self.pos

    def expect(self, char: str, after: str) -> None:
        pos = self.ws()
        if self.text[pos] != char:
            raise _Stop(
                pos,
                "BIB001",
                f"syntax error in {self.where()}: {char!r} expected {after}, "
                f"found {_describe(self.text, pos)}",
            )
        self.pos = pos + 1

    def run(self) -> None:
        text = self.text
        while True:
            at = text.find("@", self.pos)
            if at < 0:
                return
            self.pos = at + 1
            self.key = self.field_name = ""
            try:
                self.command(at)
            except _Stop as stop:
                fatal = True
                self.bib.findings.append(self.bib.finding(stop.offset, stop.rule, stop.message, fatal=fatal))
                nxt = _NEXT_ENTRY_RE.search(text, max(stop.offset, at + 1))
                self.pos = nxt.end() - 1 if nxt else self.end

    def command(self, at: int) -> None:
        text = self.text
        pos = self.ws()
        m = _NAME_RE.match(text, pos)
        if not m:
            raise _Stop(
                pos,
                "BIB001",
                "an entry type is expected after '@' (every '@' outside an entry starts one, "
                "even on a '%' comment line; write 'at' there instead)",
            )
        command = m.group().lower()
        self.pos = m.end()
        pos = self.ws()
        if text[pos] not in "{(":
            raise _Stop(
                pos,
                "BIB001",
                f"'{{' expected after '@{m.group()}', found {_describe(text, pos)} (every '@' outside an "
                "entry starts one, even on a '%' comment line; write 'at' there instead)",
            )
        closing = "}" if text[pos] == "{" else ")"
        self.pos = pos + 1
        if command == "comment":
            return  # pybtex skips to the next "@"
        if command == "string":
            pos = self.ws()
            name = _NAME_RE.match(text, pos)
            if not name:
                raise _Stop(pos, "BIB001", "@string: a macro name is expected")
            self.pos = name.end()
            self.expect("=", f"after the macro name '{name.group()}'")
            value, _, _ = self.value()
            self.macros[name.group().lower()] = value
        elif command == "preamble":
            self.value()
        else:
            self.entry(command, at, closing)
            return
        self.expect(closing, "to close the entry")

    def entry(self, entry_type: str, at: int, closing: str) -> None:
        text = self.text
        pos = self.ws()
        key_re = _KEY_BRACE_RE if closing == "}" else _KEY_PAREN_RE
        m = key_re.match(text, pos)
        if not m:
            raise _Stop(pos, "BIB001", f"an entry key is expected after '@{entry_type}{{'")
        self.key = m.group()
        key_offset = pos
        self.pos = m.end()
        fields: dict[str, BibField] = {}
        seen_duplicates: list[Finding] = []
        last = ""
        while True:
            self.field_name = ""
            pos = self.ws()
            name = _NAME_RE.match(text, pos)
            if name:
                self.field_name = last = name.group()
                self.pos = name.end()
                self.expect("=", f"after the field name '{name.group()}'")
                value, value_offset, spans = self.value()
                lower = name.group().lower()
                if lower in fields:
                    seen_duplicates.append(
                        self.bib.finding(
                            pos,
                            "BIB008",
                            f"entry '{self.key}' has the field '{lower}' twice; keep one",
                            fatal=True,
                        )
                    )
                else:
                    fields[lower] = BibField(lower, value, pos, value_offset, spans)
                pos = self.ws()
            if text[pos] == ",":
                self.pos = pos + 1
                continue
            break
        self.field_name = ""
        if text[pos] != closing:
            after = f"after the field '{last}'" if last else "after the key"
            raise _Stop(
                pos,
                "BIB001",
                f"syntax error in entry '{self.key}': ',' or {closing!r} expected {after}, "
                f"found {_describe(text, pos)}"
                + (" (is a '{' in a value above never closed?)" if text[pos] == "@" else ""),
            )
        self.pos = pos + 1
        self.bib.findings.extend(seen_duplicates)
        self.bib.entries.append(BibEntry(entry_type, self.key, at, key_offset, fields))

    def value(self) -> tuple[str, int, list[tuple[int, int]]]:
        text = self.text
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        first = -1
        while True:
            pos = self.ws()
            if first < 0:
                first = pos
            ch = text[pos]
            if ch in '{"':
                end = self.delimited(pos)
                spans.append((pos + 1, end - 1))
                parts.append(text[pos + 1 : end - 1])
                self.pos = end
                if ch == "{":
                    swallowed = _SWALLOWED_RE.search(text, pos, end)
                    if swallowed:
                        line, _ = self.bib.position(swallowed.start() + 1)
                        self.bib.findings.append(
                            self.bib.finding(
                                pos,
                                "BIB007",
                                f"the value of '{self.field_name}' in entry '{self.key}' runs on into "
                                f"the entry on line {line}: a '{{' is not closed; close it",
                            )
                        )
            else:
                number = _NUMBER_RE.match(text, pos)
                if number:
                    parts.append(number.group())
                    self.pos = number.end()
                else:
                    name = _NAME_RE.match(text, pos)
                    if not name:
                        raise _Stop(
                            pos,
                            "BIB001",
                            f"syntax error in {self.where()}: a value is expected "
                            f"('{{...}}', '\"...\"' or a number), found {_describe(text, pos)}",
                        )
                    macro = name.group().lower()
                    if macro not in self.macros:
                        raise _Stop(
                            pos,
                            "BIB010",
                            f"{self.where()}: '{name.group()}' is not a defined @string; "
                            f"write the value in braces: {{{name.group()}}}",
                        )
                    parts.append(self.macros[macro])
                    self.pos = name.end()
            pos = _WS_RE.match(text, self.pos).end()
            if pos < self.end and text[pos] == "#":
                self.pos = pos + 1
                continue
            return "".join(parts), first + (1 if text[first] in '{"' else 0), spans

    def delimited(self, start: int) -> int:
        """Offset just past the value that opens at ``start`` (a '{' or '"')."""
        text = self.text
        quoted = text[start] == '"'
        depth = 0 if quoted else 1
        pattern = _BRACES_QUOTE_RE if quoted else _BRACES_RE
        pos = start + 1
        opened: list[int] = [] if quoted else [start]
        while True:
            m = (pattern if depth == 0 else _BRACES_RE).search(text, pos)
            if not m:
                where = opened[-1] if opened else start
                raise _Stop(
                    where,
                    "BIB007",
                    f"unbalanced braces in {self.where()}: this {text[where]!r} is never closed; "
                    f"close it (pybtex reads to the end of the file)",
                )
            ch = m.group()
            pos = m.end()
            if ch == '"':
                return pos
            if ch == "{":
                depth += 1
                opened.append(m.start())
                if depth > _MAX_NESTING + 1:
                    raise _Stop(m.start(), "BIB007", f"too many nested braces in {self.where()}")
            else:
                if depth == 0:
                    raise _Stop(
                        m.start(),
                        "BIB007",
                        f"unbalanced braces in {self.where()}: this '}}' closes nothing; "
                        "remove it or add the missing '{'",
                    )
                depth -= 1
                opened.pop()
                if depth == 0 and not quoted:
                    return pos


def parse_bib(text: str, path: str) -> BibFile:
    """Scan a .bib text: its entries (with positions) and the syntax problems pybtex would stop on."""
    bib = BibFile(path, text)
    _Scanner(bib).run()
    return bib


# --- text comparison -----------------------------------------------------------------------

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
            value = codecs.decode(value, "ulatex")
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


# --- DOIs ----------------------------------------------------------------------------------

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
    r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|https?://[^/\s]*doi[^/\s]*/|doi:\s*|doi\s+)", re.IGNORECASE
)
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
    """'modern', 'older' or 'invalid'."""
    if DOI_MODERN_RE.match(doi):
        return "modern"
    if any(p.match(doi) for p in DOI_OLDER_RES):
        return "older"
    return "invalid"


# --- registry records ----------------------------------------------------------------------

_RETRACTED = {
    "retraction": "retracted",
    "partial_retraction": "partly retracted",
    "withdrawal": "withdrawn",
    "removal": "removed",
}
RETRACTION_TYPES = frozenset(_RETRACTED)
CONCERN_TYPES = frozenset({"expression_of_concern"})
CORRECTION_TYPES = frozenset({"correction", "corrigendum", "erratum", "addendum", "clarification"})


def _update_type(update: Mapping) -> str:
    return re.sub(r"[\s-]+", "_", str(update.get("type", "")).strip().casefold())


def records_of(cache: Mapping | None) -> dict[str, dict]:
    """The cache's records, keyed by lower-case DOI."""
    if not cache:
        return {}
    records = cache.get("records") or {}
    return {str(k).lower(): v for k, v in records.items() if isinstance(v, dict)}


def notices_for(cache: Mapping | None, doi: str) -> list[str]:
    """Text for the References page: each correction, concern or retraction of the DOI's work.

    >>> notices_for({"records": {"10.1/x": {"updated-by": [{"type": "erratum",
    ...     "label": "Erratum", "note": "Lancet Neurol. 2008;7(9):771"}]}}}, "10.1/X")
    ['Erratum: Lancet Neurol. 2008;7(9):771']
    """
    record = records_of(cache).get(normalise_doi(doi).lower())
    return record_notices(record) if record else []


def record_notices(record: Mapping) -> list[str]:
    out = []
    for update in record.get("updated-by") or []:
        if not isinstance(update, Mapping):
            continue
        kind = update.get("label") or _update_type(update).replace("_", " ").capitalize() or "Update"
        details = []
        if update.get("note"):
            details.append(str(update["note"]))
        if update.get("DOI"):
            details.append(f"doi:{update['DOI']}")
        date = _date_text(update.get("updated"))
        if date:
            details.append(date)
        out.append(f"{kind}: {'; '.join(details)}" if details else str(kind))
    return out


def _date_text(value) -> str:
    try:
        parts = value["date-parts"][0]
        return "-".join(f"{int(p):02d}" if i else str(int(p)) for i, p in enumerate(parts))
    except (TypeError, KeyError, IndexError, ValueError):
        return ""


def _record_years(record: Mapping) -> list[int]:
    years = []
    for name in ("issued", "published-print", "published-online", "published"):
        try:
            years.append(int(record[name]["date-parts"][0][0]))
        except (TypeError, KeyError, IndexError, ValueError):
            continue
    return years


def _first_author_family(record: Mapping) -> str:
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


def _same_family(ours: str, theirs: str) -> bool:
    """'van Doorn' and 'Doorn' are the same family name (particles are filed either way)."""
    a, b = plain(ours).split(), plain(theirs).split()
    return a == b or (bool(a) and bool(b) and a[-1] == b[-1])


def compare_with_record(
    bib: BibFile, entry: BibEntry, record: Mapping, doi: str, *, source: str = "the registry cache"
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
        if ours and not _same_family(ours, family):
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
        kind = _update_type(update)
        if kind in RETRACTION_TYPES:
            findings.append(
                bib.finding(
                    offset,
                    "REG002",
                    f"entry '{entry.key}' (doi {doi}) has been {_RETRACTED[kind]}: {text}; "
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


# --- bibliography checks ---------------------------------------------------------------

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
                    return name
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


def check_bibliography(bibs: Sequence[BibFile], cache: Mapping | None = None) -> list[Finding]:
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
            findings.extend(_check_doi(bib, entry, dois, records, unregistered))
    return findings


def _check_doi(
    bib: BibFile,
    entry: BibEntry,
    seen: dict[str, tuple[BibFile, BibEntry]],
    records: Mapping[str, Mapping],
    unregistered: Collection[str],
) -> list[Finding]:
    doi_field = entry.fields.get("doi")
    key = entry.key
    if doi_field is None or not doi_field.value.strip():
        if entry.type == "article" and doi_field is None:
            return [
                bib.finding(
                    entry.key_offset,
                    "DOI006",
                    f"article '{key}' has no doi; add doi = {{10.xxxx/...}} if it has one (not required)",
                )
            ]
        return []
    raw = " ".join(doi_field.value.split())
    doi = normalise_doi(raw)
    out: list[Finding] = []
    at = doi_field.value_offset
    form = doi_form(doi)
    if form == "invalid":
        out.append(
            bib.finding(
                at,
                "DOI002",
                f"entry '{key}': \"{raw}\" is not a DOI (a DOI reads 10.NNNN/suffix); "
                "correct it from the publisher's page, or remove the field",
            )
        )
        return out
    if doi != raw:
        out.append(
            bib.finding(
                at,
                "DOI001",
                f"entry '{key}': the doi field holds \"{raw}\", not a bare DOI; write doi = {{{doi}}}",
            )
        )
    if form == "older":
        out.append(
            bib.finding(
                at,
                "DOI003",
                f"entry '{key}' (doi {doi}): a legal DOI of an older form, outside Crossref's modern "
                "pattern; check it against the publisher's page",
            )
        )
    lower = doi.lower()
    if lower in seen:
        _, other = seen[lower]
        out.append(
            bib.finding(
                at,
                "DOI004",
                f"entry '{key}' (doi {doi}) has the same DOI as entry '{other.key}'; "
                "one of them has the wrong DOI, or they are the same work: merge them",
            )
        )
    else:
        seen[lower] = (bib, entry)
    if lower in unregistered:
        out.append(
            bib.finding(
                at,
                "REG005",
                f"entry '{key}' (doi {doi}): the DOI is not registered (the registry said so when the "
                "cache was last refreshed); correct it from the publisher's page",
            )
        )
        return out
    record = records.get(lower)
    if record is None:
        out.append(
            bib.finding(
                at,
                "DOI005",
                f"entry '{key}' (doi {doi}) is unverified: no record in the registry cache; "
                "run `python hooks/doi_check.py --online --update-cache`",
            )
        )
        return out
    out.extend(compare_with_record(bib, entry, record, doi))
    return out


# --- citations -----------------------------------------------------------------------------

_KEY_TAIL_RE = re.compile(r"[:./][\w:./-]*[\w-]")


def check_page(
    text: str,
    path: str,
    keys: Collection[str],
    *,
    inline: bool = False,
    bib_name: str = "references.bib",
) -> tuple[list[Finding], list[Citation]]:
    """CIT001/CIT003 for one Markdown page; also returns its citations."""
    findings: list[Finding] = []
    citations: list[Citation] = []
    by_lower: dict[str, str] | None = None
    for match in iter_citation_matches(text, inline=inline):
        c = match.citation
        citations.append(c)
        if c.key in keys:
            if match.prefix.strip() or match.suffix.strip():
                extra = " ".join(p for p in (match.prefix.strip(), match.suffix.strip()) if p)
                findings.append(
                    Finding(
                        path,
                        c.line,
                        c.col,
                        "info",
                        "CIT003",
                        f"citation of '{c.key}': the AMA style does not show \"{extra}\"; "
                        "put it in the sentence instead",
                    )
                )
            continue
        if by_lower is None:
            by_lower = {k.lower(): k for k in keys}
        tail = _KEY_TAIL_RE.match(text, c.end)
        if c.key.lower() in by_lower:
            hint = f"keys are case-sensitive here: write [@{by_lower[c.key.lower()]}]"
        elif tail and (c.key + tail.group()) in keys:
            hint = (
                f"mkdocs-bibtex reads '@{c.key}{tail.group()}' as '@{c.key}' (keys may hold only letters, "
                "digits, '_' and '-'): rename the entry"
            )
        elif c.start > 0 and (text[c.start - 1].isalnum() or text[c.start - 1] in "._%+-"):
            hint = (
                "this looks like an e-mail address in square brackets, which mkdocs-bibtex reads as a "
                "citation; take it out of the brackets or write the '@' as '&#64;'"
            )
        else:
            hint = f"add the entry to {bib_name} or correct the key (mkdocs-bibtex would silently delete it)"
        findings.append(
            Finding(
                path,
                c.line,
                c.col,
                "error",
                "CIT001",
                f"citation of unknown key '{c.key}': no entry in {bib_name} has it; {hint}",
            )
        )
    return findings, citations


def check_uncited(
    bibs: Sequence[BibFile], cited: Collection[str], *, pages_where: str = "docs/"
) -> list[Finding]:
    """CIT002: entries no page cites."""
    out = []
    for bib in bibs:
        for entry in bib.entries:
            if entry.key not in cited:
                out.append(
                    bib.finding(
                        entry.key_offset,
                        "CIT002",
                        f"entry '{entry.key}' is cited nowhere in {pages_where}; cite it with "
                        f"[@{entry.key}] or remove it",
                    )
                )
    return out


def entry_keys(bibs: Iterable[BibFile]) -> set[str]:
    return {e.key for bib in bibs for e in bib.entries}


def check(
    bib_texts: Sequence[tuple[str, str]],
    pages: Sequence[tuple[str, str]] | None = None,
    cache: Mapping | None = None,
    *,
    inline: bool = False,
    pages_where: str = "docs/",
) -> list[Finding]:
    """Everything offline: ``bib_texts`` and ``pages`` are (path, text) pairs."""
    bibs = [parse_bib(text, path) for path, text in bib_texts]
    findings = check_bibliography(bibs, cache)
    if pages is not None:
        keys = entry_keys(bibs)
        bib_name = ", ".join(b.path for b in bibs) or "the bibliography"
        cited: set[str] = set()
        for path, text in pages:
            page_findings, citations = check_page(text, path, keys, inline=inline, bib_name=bib_name)
            findings.extend(page_findings)
            cited.update(c.key for c in citations)
        findings.extend(check_uncited(bibs, cited, pages_where=pages_where))
    return findings
