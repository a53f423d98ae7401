"""A small BibTeX scanner with the grammar of pybtex 0.26 (the parser mkdocs-bibtex uses): it
records the line and column of every entry and field and reports what pybtex would stop on
(BIB001, BIB002, BIB007, BIB008, BIB010)."""

from __future__ import annotations

import bisect
import re
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from string import ascii_letters, digits
from typing import Any

from ivig_tools.bibcheck.rules import BIB_RULES, FATAL
from ivig_tools.findings import Finding

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


# pybtex stops at the first syntax error; the scanner goes on, up to this many (a file of
# junk with an '@' on every line would otherwise cost a finding a line).
MAX_SYNTAX_ERRORS = 100


# A value longer than this through @string macros is refused (BIB011): 40 doubling macros
# in 827 bytes would otherwise ask for terabytes.
MAX_EXPANSION = 100_000


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


PERSON_FIELDS = ("author", "editor")  # pybtex's Person.valid_roles


class BibField:
    """One field: its lower-case name, its value as pybtex flattens it (outer delimiters
    gone, inner braces kept) and where both are.

    A value of one braced or quoted part, the usual case, is not copied: it is read from
    the file's text when asked for (a 50 MB file has a million fields)."""

    # (Offsets past name_offset are kept as differences: small ints are shared objects,
    # so a field costs one int object, not three.)
    __slots__ = ("_delta", "_length", "_text", "_value", "name", "name_offset", "spans")

    def __init__(
        self,
        name: str,
        value: str | None,
        name_offset: int,
        value_offset: int,
        spans: tuple[int, ...] | None = None,
        *,
        text: str = "",
        end: int = 0,
    ) -> None:
        self.name = name
        self._value = value  # None: text[value_offset:end]
        self._text = text
        self.name_offset = name_offset
        self._delta = value_offset - name_offset
        self._length = end - value_offset if value is None else 0
        # Start and end of each quoted or braced part, flat (a, b, a, b, ...); None for a
        # value of one such part (the text at value_offset).
        self.spans = spans

    @property
    def value_offset(self) -> int:
        return self.name_offset + self._delta

    @property
    def value(self) -> str:
        if self._value is None:
            start = self.name_offset + self._delta
            return self._text[start : start + self._length]
        return self._value

    @property
    def literal_spans(self) -> list[tuple[int, int]]:
        """The text of each quoted or braced part, as (start, end) offsets."""
        if self.spans is None:
            return [(self.value_offset, self.value_offset + len(self.value))]
        s = self.spans
        return [(s[i], s[i + 1]) for i in range(0, len(s), 2)]

    def __repr__(self) -> str:
        return f"BibField({self.name!r}, {self.value!r}, {self.name_offset}, {self.value_offset})"


class FieldMap(Mapping[str, BibField]):
    """An entry's fields by lower-case name, in file order: a read-only mapping over a tuple
    (a tenth of a dict's memory; entries have a dozen fields, so a scan is as quick)."""

    __slots__ = ("_fields",)

    def __init__(self, fields: Iterable[BibField] = ()) -> None:
        self._fields = tuple(fields)

    def __getitem__(self, name: str) -> BibField:
        for f in self._fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def get(self, name: str, default: Any = None) -> Any:
        for f in self._fields:
            if f.name == name:
                return f
        return default

    def __contains__(self, name: object) -> bool:
        return any(f.name == name for f in self._fields)

    def __iter__(self) -> Iterator[str]:
        return (f.name for f in self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def values(self) -> tuple[BibField, ...]:  # type: ignore[override]
        return self._fields

    def __repr__(self) -> str:
        return f"FieldMap({list(self._fields)!r})"


@dataclass(slots=True)
class BibEntry:
    type: str  # lower case
    key: str
    offset: int  # of the "@"
    key_offset: int
    fields: FieldMap


class _LineIndex:
    """Offsets to 1-based (line, column), with the line starts in one array (8 bytes a line)."""

    def __init__(self, text: str) -> None:
        starts = array("q", [0])
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


@dataclass
class BibFile:
    path: str
    text: str
    entries: list[BibEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    macros: dict[str, int] = field(default_factory=dict)  # @string names (lower case) and offsets
    _index: _LineIndex | None = None

    def position(self, offset: int) -> tuple[int, int]:
        if self._index is None:
            self._index = _LineIndex(self.text)
        return self._index.position(offset)

    def finding(self, offset: int, rule: str, message: str, *, fatal: bool = False, **extra: Any) -> Finding:
        line, col = self.position(offset)
        if fatal:
            extra[FATAL] = True
        return Finding(self.path, line, col, BIB_RULES.rules[rule].severity, rule, message, extra=extra)


class _Stop(Exception):
    """A syntax error: pybtex stops at the first one; the scanner resumes at the next entry."""

    def __init__(self, offset: int, rule: str, message: str, *, macro: str = "") -> None:
        super().__init__(message)
        self.offset = offset
        self.rule = rule  # "" for a consequence already reported: no finding
        self.message = message
        self.macro = macro


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
        self.overflowed: dict[str, int] = {}  # macros refused by BIB011, and their line
        self.kind = ""  # "string" inside an @string
        self.string_name = ""
        self.key = ""
        self.field_name = ""

    def where(self) -> str:
        if self.kind == "string":
            return f"@string '{self.string_name}'" if self.string_name else "this @string"
        where = f"entry '{self.key}'" if self.key else "this entry"
        return f"{where}, field '{self.field_name}'" if self.field_name else where

    def ws(self) -> int:
        m = _WS_RE.match(self.text, self.pos)
        assert m is not None  # (\s* always matches)
        self.pos = m.end()
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
        stops = 0
        while True:
            at = text.find("@", self.pos)
            if at < 0:
                return
            if stops >= MAX_SYNTAX_ERRORS:
                line, _ = self.bib.position(at)
                self.bib.findings.append(
                    self.bib.finding(
                        at,
                        "BIB001",
                        f"more than {MAX_SYNTAX_ERRORS} syntax errors: the rest of the file (from line "
                        f"{line}) is not checked; is it a .bib file? Fix the errors above first",
                        fatal=True,
                    )
                )
                return
            self.pos = at + 1
            self.key = self.field_name = self.kind = self.string_name = ""
            try:
                self.command(at)
            except _Stop as stop:
                stops += 1
                if stop.rule == "BIB011" and self.string_name:
                    self.overflowed[self.string_name] = self.bib.position(at)[0]
                elif stop.rule == "" and self.string_name:
                    self.overflowed[self.string_name] = (
                        self.overflowed.get(stop.macro, 0) or self.bib.position(at)[0]
                    )
                if stop.rule:
                    extra = {"macro": stop.macro} if stop.rule == "BIB010" else {}
                    self.bib.findings.append(
                        self.bib.finding(stop.offset, stop.rule, stop.message, fatal=True, **extra)
                    )
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
            self.kind, self.string_name = "string", name.group().lower()
            self.expect("=", f"after the macro name '{name.group()}'")
            value, _, _ = self.value()
            self.macros[self.string_name] = value
            self.bib.macros[self.string_name] = pos
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
                end = value_offset + len(value) if spans is None else 0
                lower = sys.intern(name.group().lower())
                if lower in fields:
                    seen_duplicates.append(
                        self.bib.finding(
                            pos,
                            "BIB008",
                            f"entry '{self.key}' has the field '{lower}' twice; keep one",
                            fatal=True,
                        )
                    )
                elif spans is None:  # one literal part: read it from the text when needed
                    fields[lower] = BibField(lower, None, pos, value_offset, None, text=text, end=end)
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
        self.bib.entries.append(BibEntry(entry_type, self.key, at, key_offset, FieldMap(fields.values())))

    def value(self) -> tuple[str, int, tuple[int, ...] | None]:
        text = self.text
        parts: list[str] = []
        spans: list[int] = []
        length = 0
        expanded = False
        first = -1
        while True:
            pos = self.ws()
            if first < 0:
                first = pos
            ch = text[pos]
            if ch in '{"':
                end = self.delimited(pos)
                spans += (pos + 1, end - 1)
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
                    if macro in self.overflowed:
                        raise _Stop(
                            pos,
                            "BIB011" if self.kind != "string" else "",
                            f"{self.where()}: the @string '{name.group()}' expands to more than "
                            f"{MAX_EXPANSION:,} characters (line {self.overflowed[macro]}); "
                            "define it as the text itself",
                            macro=macro,
                        )
                    if macro not in self.macros:
                        raise _Stop(
                            pos,
                            "BIB010",
                            f"{self.where()}: '{name.group()}' is not a defined @string; "
                            f"write the value in braces: {{{name.group()}}}",
                            macro=name.group(),
                        )
                    parts.append(self.macros[macro])
                    self.pos = name.end()
                    expanded = True
            length += len(parts[-1])
            if expanded and length > MAX_EXPANSION:
                raise _Stop(
                    first,
                    "BIB011",
                    f"{self.where()}: the value expands to more than {MAX_EXPANSION:,} characters "
                    "through @string macros (pybtex would run out of memory); define the macros as "
                    "the text itself",
                    macro=self.string_name,
                )
            m = _WS_RE.match(text, self.pos)
            assert m is not None  # (\s* always matches)
            pos = m.end()
            if pos < self.end and text[pos] == "#":
                self.pos = pos + 1
                continue
            flat = None if len(parts) == 1 and len(spans) == 2 else tuple(spans)
            return "".join(parts), first + (1 if text[first] in '{"' else 0), flat

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
