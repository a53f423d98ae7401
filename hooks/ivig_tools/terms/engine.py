"""The matching engine shared by the rules: literal-first patterns gated by the page's tokens,
the page being linted (:class:`Page`) and small text helpers."""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import re
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ivig_tools import mdmask, readability, spelling
from ivig_tools.findings import Finding

if TYPE_CHECKING:
    from ivig_tools.terms.config import Config

NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"


_HEADING_RE = re.compile(r"\n[ \t]{0,3}(#{1,6})[ \t]+([^\n]*)")


_TOKEN_RE = readability.TOKEN_RE


def alt(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def loose(form: str) -> str:
    """A form with optional periods and flexible spaces: "q.d." -> q\\.?d\\.?"""
    letters = form.replace(".", "")
    parts = []
    for ch in letters:
        if ch in " -":
            parts.append(r"[ \t-]?")
        else:
            parts.append(re.escape(ch) + r"\.?")
    return "".join(parts)


def phrase(form: str) -> str:
    """A phrase whose spaces may be any run of blanks (and one line break)."""
    return r"[ \t]*\n?[ \t]*".join(re.escape(w).replace("'", "['\u2019]") for w in form.split())


def lead(pattern_rest: str, first: str, *, ignore_case: bool, left: str = r"[\w-]") -> list[str]:
    """Branches starting with a literal first character (both cases if ``ignore_case``)."""
    firsts = sorted({first.lower(), first.upper()}) if ignore_case and first.isalpha() else [first]
    rest = f"(?i:{pattern_rest})" if ignore_case and pattern_rest else pattern_rest
    return [f"{re.escape(f)}(?<!{left}.){rest}" for f in firsts]


def phrase_branches(
    form: str, *, ignore_case: bool, left: str = r"[\w-]", right: str = r"(?![\w-])"
) -> list[str]:
    src = phrase(form)
    rest = src[len(re.escape(form[0])) :] + right
    return lead(rest, form[0], ignore_case=ignore_case, left=left)


def digit_branches(rest: str) -> list[str]:
    r"""``\d`` + rest, spelled as ten literal branches (keeps the fast-search prefix)."""
    return [f"{d}{rest}" for d in "0123456789"]


def triggers(form: str, *, ignore_case: bool) -> tuple[frozenset[str], ...]:
    """For each word of ``form``, the tokens one of which a page must contain."""
    words = [w for w in _TOKEN_RE.findall(form) if "'" not in w and "\u2019" not in w] or [form]
    if ignore_case:
        # Short words in every mix of cases ("qD", "qOD" alone on a page); longer ones in
        # the usual three (a phrase's words are matched case-blind by the pattern anyway,
        # but pages write them so).
        return tuple(
            frozenset(case_variants(w) if len(w) <= 5 else {w, w.lower(), w.upper(), w.capitalize()})
            for w in words
        )
    return tuple(frozenset({w}) for w in words)


def case_variants(word: str) -> set[str]:
    out = {""}
    for ch in word:
        out = {o + v for o in out for v in {ch.lower(), ch.upper()}}
    return out


@dataclass
class Alternative:
    """One form of a rule: regex branches (each starting with a literal), its trigger
    tokens, and what the rule needs to report it."""

    branches: tuple[str, ...]
    triggers: tuple[frozenset[str], ...]
    payload: Any

    def possible(self, tokens: Set[str]) -> bool:
        return all(not t.isdisjoint(tokens) for t in self.triggers)


# A scan over several first characters runs as one literal-first pattern per character
# (fast to find), merged back into exactly the sequence one ``finditer`` of the whole
# alternation gives: see mdmask.merged_finditer.
_QUANTIFIERS = frozenset("?*+{")


_NOT_LITERAL = frozenset("()[].^$*+?{|\\")


def _literal_first(branch: str) -> str | None:
    """The character every match of ``branch`` starts with, when it begins with one
    required literal (``x``, or ``\\.`` as re.escape writes punctuation); else None."""
    if branch[:1] == "\\":
        first, after = branch[1:2], branch[2:3]
        if not first or first.isalnum():
            return None  # a class such as \d or \w
    else:
        first, after = branch[:1], branch[1:2]
        if not first or first in _NOT_LITERAL:
            return None
    return None if after in _QUANTIFIERS and after else first


def _split_by_first(branches: Iterable[str]) -> list[re.Pattern[str]] | None:
    """One pattern per first character (branch order kept), or None if a branch does
    not start with a literal."""
    by_first: dict[str, list[str]] = {}
    for b in branches:
        first = _literal_first(b)
        if first is None:
            return None
        by_first.setdefault(first, []).append(b)
    return [re.compile("|".join(bs)) for bs in by_first.values()]


@dataclass
class Forms:
    """The forms of one rule group, scanned together by :func:`gated_finditer`, with what
    that scan learns per set of trigger tokens (the active forms) and per form (its
    patterns, compiled on first use: each form's, once per process)."""

    alternatives: list[Alternative]
    every_trigger: frozenset[str] = frozenset()
    active: dict[frozenset[str], tuple[int, ...]] = field(default_factory=dict)
    patterns: dict[int, list[re.Pattern[str]]] = field(default_factory=dict)
    # For each trigger token, the forms that have it among their first word's tokens: a
    # form is possible only if its first word's trigger is present, so only these are tried.
    by_first_trigger: dict[str, list[int]] = field(default_factory=dict)
    untriggered: tuple[int, ...] = ()  # (forms with no trigger: always possible; none today)

    def __post_init__(self) -> None:
        self.every_trigger = frozenset(t for a in self.alternatives for ts in a.triggers for t in ts)
        for i, a in enumerate(self.alternatives):
            for t in a.triggers[0] if a.triggers else ():
                self.by_first_trigger.setdefault(t, []).append(i)
        self.untriggered = tuple(i for i, a in enumerate(self.alternatives) if not a.triggers)

    def active_for(self, present: frozenset[str]) -> tuple[int, ...]:
        """The forms whose trigger tokens all occur among ``present``, in order."""
        got = self.active.get(present)
        if got is None:
            alts = self.alternatives
            candidates = {i for t in present for i in self.by_first_trigger.get(t, ())}
            candidates.update(self.untriggered)
            got = self.active[present] = tuple(i for i in sorted(candidates) if alts[i].possible(present))
        return got

    def patterns_of(self, i: int) -> list[re.Pattern[str]]:
        """Form ``i``'s branches, one pattern per first character (fast to find), or one
        pattern when a branch does not start with a literal."""
        got = self.patterns.get(i)
        if got is None:
            branches = self.alternatives[i].branches
            split = _split_by_first(branches)
            got = self.patterns[i] = split if split is not None else [re.compile("|".join(branches))]
        return got


def gated_finditer(
    forms: Forms, tokens: set[str], masked: str
) -> Iterator[tuple[re.Match[str], Alternative]]:
    """Matches of the group's forms whose trigger tokens occur in the page, in order: the
    matches one ``finditer`` of the alternation of the active forms' branches finds, each
    with its form (tested against that simple version on fuzzed text). Each active form is
    scanned by its own patterns, merged in order (:func:`mdmask.tagged_finditer`): a page's set of
    active forms is nearly always new, and compiling one alternation per set cost more
    than the scans."""
    alts = forms.alternatives
    present = frozenset(tokens & forms.every_trigger)
    if not present:
        return
    active = forms.active_for(present)
    if not active:
        return
    patterns = [(rx, i) for i in active for rx in forms.patterns_of(i)]
    for m, i in mdmask.tagged_finditer(patterns, masked):
        yield m, alts[i]


@dataclass
class Page:
    text: str
    masked: str
    path: str
    config: Config
    index: mdmask.LineIndex
    today: dt.date
    stats: readability.TextStats
    speller: spelling.Speller
    headings: list[tuple[int, int, int, str]]
    tokens: set[str] = field(default_factory=set)
    # The stats of the headings and table rows alone (readability.page_stats), if known.
    skipped_stats: readability.TextStats | None = None
    # The front matter as a mapping (None when it is not valid) and where it ends: set by
    # the first check, read_front_matter.
    front_matter: dict[str, Any] | None = None
    front_matter_end: int = 0
    findings: list[Finding] = field(default_factory=list)
    # Offsets already reported by a form rule, so the abbreviation and spelling rules
    # do not report the same word twice.
    flagged: set[int] = field(default_factory=set)
    _quotes: QuoteIndex | None = None

    def in_quotes(self, start: int) -> bool:
        """Whether ``start`` is inside quotes opened earlier on its line."""
        if self._quotes is None:
            self._quotes = QuoteIndex(self.masked, self.index)
        return self._quotes(start)

    def line_start(self, offset: int) -> int:
        return self.index.line_start(offset)

    def add(self, offset: int, rule: str, message: str, **extra: Any) -> None:
        sev = self.config.severity(rule)
        if sev is None:
            return
        line, col = self.index.position(offset)
        self.findings.append(Finding(self.path, line, col, sev, rule, message, extra=extra))


def heading_lines(masked: str) -> list[tuple[int, int, int, str]]:
    """(start, end, level, text) of each ATX heading."""
    # Searched in "\n" + masked (a literal first character is fast to find): shift by one.
    return [
        (m.start(), m.end() - 1, len(m.group(1)), m.group(2)) for m in _HEADING_RE.finditer("\n" + masked)
    ]


def in_quotes(masked: str, start: int) -> bool:
    """Whether ``start`` is inside quotes opened earlier on its line. The simple version,
    reading the line up to ``start`` each time (quadratic on a long line): the checks use
    :class:`QuoteIndex`, which gives the same answers (tested on fuzzed text)."""
    line_start = masked.rfind("\n", 0, start) + 1
    before = masked[line_start:start]
    if before.count('"') % 2 == 1:
        return True
    return before.rfind("\u201c") > before.rfind("\u201d")


def _offsets_of(text: str, ch: str) -> list[int]:
    out = []
    i = text.find(ch)
    while i != -1:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


class QuoteIndex:
    """:func:`in_quotes` for many offsets of one text: the quote marks' offsets, found
    once, and bisection (logarithmic per question, however long the line)."""

    def __init__(self, masked: str, lines: mdmask.LineIndex) -> None:
        self._lines = lines
        self._straight = _offsets_of(masked, '"')
        self._open = _offsets_of(masked, "\u201c")
        self._close = _offsets_of(masked, "\u201d")

    @staticmethod
    def _last(offsets: list[int], line_start: int, start: int) -> int:
        i = bisect.bisect_left(offsets, start) - 1
        return offsets[i] if i >= 0 and offsets[i] >= line_start else -1

    def __call__(self, start: int) -> bool:
        ls = self._lines.line_start(start)
        s = self._straight
        if (bisect.bisect_left(s, start) - bisect.bisect_left(s, ls)) % 2 == 1:
            return True
        return self._last(self._open, ls, start) > self._last(self._close, ls, start)


def _token_offsets(masked: str, token: str) -> Iterator[int]:
    """Offsets where ``token`` occurs as a whole token (str.find: no regex to compile)."""
    n = len(token)
    i = masked.find(token)
    while i != -1:
        before = masked[i - 1] if i else " "
        after = masked[i + n : i + n + 2]
        if not (before.isalnum() or before in "_'\u2019") and not (
            after[:1].isalnum() or after[:1] == "_" or (after[:1] in "'\u2019" and after[1:2].isalpha())
        ):
            yield i
        i = masked.find(token, i + 1)


def tokens_offsets(masked: str, tokens: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(offset, token) of each whole occurrence of any of ``tokens``, in order."""
    distinct = set(tokens)
    if len(distinct) == 1:  # (most often one form: no merge to set up)
        (token,) = distinct
        return _tagged(_token_offsets(masked, token), token)
    return heapq.merge(*(_tagged(_token_offsets(masked, t), t) for t in distinct))


def _tagged(offsets: Iterator[int], token: str) -> Iterator[tuple[int, str]]:
    for i in offsets:
        yield i, token
