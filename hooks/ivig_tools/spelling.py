"""The word lists behind the spelling (MED041) and run-together (MED040) rules.

The English list is pyspellchecker's ``en.json.gz`` (word frequencies from
OpenSubtitles/Wiktionary, MIT); the medical and US English lists are Debian's Hunspell
dictionaries (``hunspell-en-med``, ``hunspell-en-us``; installed by
``scripts/ensure-wordlists.sh``, read where installed, never copied into the repository).
Nothing is cached on disk: the English list is searched where it lies (its keys are
sorted: :class:`SortedJsonWords` builds the set of a two-letter prefix when a page first
asks for it), and the Hunspell stems are read only when a word is not in it, so a first
run on a fresh machine costs what every run costs.

Everything here is pure and cached per process: :func:`english_words` is built once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

# Words at least this frequent in the English list may be parts of a join.
JOIN_PART_MIN_FREQ = 100

_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# A count that is not a plain integer (then the list is parsed whole).
_JSON_BAD_COUNT_RE = re.compile(r'": (?!(?:0|[1-9][0-9]*),?\n)')
# A count of at least JOIN_PART_MIN_FREQ (100): three digits or more, no leading zero.
# (Led by a literal newline, not "^": the regex engine then skips to each line quickly.)
_JSON_COMMON_RE = re.compile(r'\n"([^"\n]*)": [1-9][0-9]{2}')
# Lines of the list whose order is checked before it is searched (see SortedJsonWords).
ORDER_PROBES = 256


class UnsortedList(ValueError):
    """The English list is not one sorted `"word": count,` a line: parse it whole."""


class SortedJsonWords:
    """pyspellchecker's English list, searched where it lies instead of parsed whole.

    The decompressed ``en.json.gz`` is one ``"word": count,`` a line, its keys sorted, so
    the words with a given two-letter prefix are one run of lines, found by binary search,
    and their set is built when a page first asks for that prefix: a run pays for the
    prefixes its pages use, not for a set of all 160,000 words. The words frequent enough
    to be parts of a join are asked for under every prefix (a misspelling's one-letter
    edits), so that set is built whole, by one regular-expression pass, on first use.
    Any other layout raises :class:`UnsortedList` (the caller then parses the list whole).
    """

    def __init__(self, text: str) -> None:
        # Every line between the braces starts with a quote and holds exactly two (no
        # backslash: no escaped quote), so it is `"key"` and a value without strings;
        # every value is a plain integer.
        close = text.rstrip().rfind("\n") + 1  # the line of the closing brace
        lines = text.count("\n", 0, close) - 1
        if (
            not text.startswith('{\n"')
            or text[close:].strip() != "}"
            or "\\" in text
            or text.count('\n"', 0, close) != lines
            or text.count('"', 0, close) != 2 * lines
            or text.count('": ', 0, close) != lines
            or _JSON_BAD_COUNT_RE.search(text, 0, close)
        ):
            raise UnsortedList("not one entry a line")
        self._text = text
        self._start, self._end = 2, close
        self.prefixes: dict[str, frozenset[str]] = {}
        self._common: frozenset[str] | None = None
        # (A cheap test of the order: lines spread over the list, in order.)
        step = max(1, (close - 2) // ORDER_PROBES)
        keys = [self._key_at(self._line_start(pos)) for pos in range(2, close, step)]
        if keys != sorted(keys):
            raise UnsortedList("keys out of order")

    def _line_start(self, pos: int) -> int:
        return max(self._start, self._text.rfind("\n", 0, pos) + 1)

    def _key_at(self, start: int) -> str:
        return self._text[start + 1 : self._text.find('"', start + 1)]

    def _first_at_least(self, target: str) -> int:
        """The start of the first line whose key is not below ``target``."""
        text = self._text
        lo, hi = self._start, self._end
        while lo < hi:
            s = self._line_start((lo + hi) // 2)
            if self._key_at(s) < target:
                lo = text.find("\n", s) + 1
            else:
                hi = s
        return lo

    def words(self, prefix: str) -> frozenset[str]:
        """The words that start with ``prefix`` (not empty; kept in :attr:`prefixes`)."""
        got = self.prefixes.get(prefix)
        if got is None:
            lo = self._first_at_least(prefix)
            last = ord(prefix[-1])
            if last < 0x10FFFF:
                hi = self._first_at_least(prefix[:-1] + chr(last + 1))
            else:
                hi = lo
                while hi < self._end and self._key_at(hi).startswith(prefix):
                    hi = self._text.find("\n", hi) + 1
            got = self.prefixes[prefix] = frozenset(self._text[lo:hi].split('"')[1::2])
        return got

    def common(self) -> frozenset[str]:
        """The words counted at least JOIN_PART_MIN_FREQ times."""
        if self._common is None:
            self._common = frozenset(_JSON_COMMON_RE.findall(self._text, 1, self._end))
        return self._common


class ParsedJsonWords:
    """The English list parsed whole (the simple reader, and the fallback)."""

    def __init__(self, freq: dict[str, int]) -> None:
        self._all = frozenset(freq)
        self._frequent = frozenset(w for w, n in freq.items() if n >= JOIN_PART_MIN_FREQ)
        self.prefixes: dict[str, frozenset[str]] = {}

    def words(self, prefix: str) -> frozenset[str]:
        return self._all

    def common(self) -> frozenset[str]:
        return self._frequent


class EnglishWords:
    """The English word set (lower case): pyspellchecker's list (searched where it lies,
    :class:`SortedJsonWords`) and the stems of the Hunspell dictionaries (read on the
    first word that the English list lacks)."""

    def __init__(self, json_text: str | None, hunspell: tuple[str, ...]) -> None:
        self._hunspell = hunspell
        self._stems: frozenset[str] | None = None
        self.json: SortedJsonWords | ParsedJsonWords
        if json_text is None:
            self.json = ParsedJsonWords({})
        else:
            try:
                self.json = SortedJsonWords(json_text)
            except UnsortedList:
                self.json = ParsedJsonWords(_parse_json(json_text))
        self.words = KnownWords(self)
        self.common = CommonWords(self)

    def stems(self) -> frozenset[str]:
        """The Hunspell stems (read on first use)."""
        if self._stems is None:
            self._stems = frozenset(_hunspell_stems(self._hunspell))
        return self._stems


class KnownWords:
    """``word in`` the English list or the Hunspell stems or ``extra``."""

    def __init__(self, english: EnglishWords, extra: Iterable[str] = ()) -> None:
        self._english = english
        self._prefixes = english.json.prefixes
        self._words = english.json.words
        self._extra = frozenset(extra)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self._extra:
            return True
        key = word[:2]
        if key:
            got = self._prefixes.get(key)
            if word in (self._words(key) if got is None else got):
                return True
        return word in self._english.stems()


class CommonWords:
    """``word in`` the frequent words of the English list or ``extra`` (join parts)."""

    def __init__(self, english: EnglishWords, extra: Iterable[str] = ()) -> None:
        self._english = english
        self._extra = frozenset(extra)
        self._set: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._set is None:
            self._set = self._english.json.common() | self._extra
        return word in self._set


def _parse_json(text: str) -> dict[str, int]:
    import json  # noqa: PLC0415 - only when the list is not in the shipped form

    data = json.loads(text)
    return data if isinstance(data, dict) else {}


def _english_json_path() -> Path | None:
    try:
        import spellchecker  # noqa: PLC0415 - optional data source, imported lazily
    except ImportError:
        return None
    path = Path(spellchecker.__file__).parent / "resources" / "en.json.gz"
    return path if path.is_file() else None


# A .dic entry: the word before its "/FLAGS" (the first line, the entry count, and the
# indented comment lines some lists carry start with a digit or a blank: not entries).
_DIC_ENTRY_RE = re.compile(r"^[^\W\d][^/\n\t]*", re.MULTILINE)


def _hunspell_stems(paths: Iterable[str]) -> set[str]:
    """The stems of Hunspell .dic files, lower case (a plain reader: affix flags are
    dropped; the Speller's own inflection rules cover the regular endings)."""
    stems: set[str] = set()
    for p in paths:
        path = Path(p)
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        # (One lower() and split over the joined entries: much faster than per line.)
        found = "\n".join(m.rstrip() for m in _DIC_ENTRY_RE.findall(text)).lower()
        stems.update(found.split("\n"))
    stems.discard("")
    return stems


@functools.lru_cache(maxsize=4)
def english_words(hunspell: tuple[str, ...] = ()) -> EnglishWords:
    """The English word set, once per process: nothing is parsed here; the lists are
    read as the pages ask (see :class:`EnglishWords`)."""
    source = _english_json_path()
    text = None
    if source is not None:
        import gzip  # noqa: PLC0415

        try:
            text = gzip.decompress(source.read_bytes()).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile):
            text = None
    return EnglishWords(text, hunspell)


# --- British spellings ------------------------------------------------------------------
# The English list is mostly American; a British form is accepted when its American
# twin is known ("randomised", "haemolytic", "centre", "licence", "fibres").
_BRITISH = [
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"our(s|ed|ing|ite|ites|able|ful)?$"), r"or\1"),
    (re.compile(r"tre(s|d)?$"), r"ter\1"),
    (re.compile(r"bre(s)?$"), r"ber\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"lled$"), "led"),
    (re.compile(r"lling$"), "ling"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe"), "e"),
]


def american_variants(word: str) -> list[str]:
    out = []
    for pattern, repl in _BRITISH:
        if pattern.search(word):
            out.append(pattern.sub(repl, word))
    if "ae" in word or "oe" in word:  # both a suffix change and a vowel change
        simple = word.replace("ae", "e").replace("oe", "e")
        out.extend(p.sub(r, simple) for p, r in _BRITISH[:5] if p.search(simple))
    return out


# --- Inflections -------------------------------------------------------------------------
# The English list lacks some regular inflections ("attaches"): a word is known when it
# is a known stem plus a regular ending.
_SUFFIXES = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("ation", "ate"),
    ("ation", "e"),
    ("ations", "ate"),
    ("ations", "e"),
)


def stems(word: str) -> list[str]:
    out = []
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + repl
            out.append(stem)
            if len(stem) >= 2 and stem[-1] == stem[-2] and suffix in ("ed", "ing"):
                out.append(stem[:-1])  # "stopped" -> "stop"
    return out


# --- Classification -------------------------------------------------------------------


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


class Speller:
    """Known words, joins and suggestions for one configuration; results are memoised."""

    def __init__(
        self,
        english: EnglishWords,
        extra_words: Iterable[str],
        function_words: Iterable[str],
        *,
        prefixes: Iterable[str] = (),
        drug_stems: Iterable[str] = (),
    ) -> None:
        extra = frozenset(w.lower() for w in extra_words)
        self.english = english
        self.extra = extra
        self.words = KnownWords(english, extra)
        self.function_words = frozenset(w.lower() for w in function_words)
        self.common = CommonWords(english, extra | self.function_words)
        # Longest first, so "hyper" is tried before "hy..." prefixes of it.
        self.prefixes = tuple(sorted({p.lower() for p in prefixes}, key=len, reverse=True))
        self.drug_stems = tuple(sorted({d.lower() for d in drug_stems}, key=len, reverse=True))
        self._memo: dict[str, tuple[str, str] | None] = {}
        self._near_memo: dict[str, list[str]] = {}
        # Tokens already classified in this process, and those that were flagged.
        self.checked: set[str] = set()
        self.flagged: dict[str, tuple[str, str]] = {}

    def _in_words(self, w: str) -> bool:
        return w in self.words

    def known(self, word: str) -> bool:
        w = word.lower().replace("\u2019", "'")
        if self._in_words(w):
            return True
        if "'" in w:
            base = re.sub(r"'(s|t|re|ve|ll|d|m)$", "", w)
            if self._in_words(base) or w.endswith("n't"):
                return True
            w = base
        if any(self._in_words(v) for v in american_variants(w)) or any(self._in_words(s) for s in stems(w)):
            return True
        if len(w) >= 7 and w.endswith(self.drug_stems):
            return True  # a medicine named by its USAN/INN stem
        for p in self.prefixes:
            rest = w[len(p) :].lstrip("-")
            # (Not "overthis": a function word after a prefix is scrape damage.)
            if w.startswith(p) and len(rest) >= 4 and rest not in self.function_words and self.known(rest):
                return True  # a prefix and a known word
        return False

    def _part(self, part: str) -> bool:
        if part in self.function_words:
            return True
        return len(part) >= 3 and (
            part in self.common or any(v in self.common for v in american_variants(part))
        )

    def split_join(self, word: str) -> list[str] | None:
        """Two or three known words that ``word`` runs together, or None."""
        w = word.lower()
        n = len(w)
        best = None
        for i in range(1, n):
            a, b = w[:i], w[i:]
            glued = a in self.function_words or b in self.function_words or (len(a) >= 4 and len(b) >= 4)
            if glued and self._part(a) and self._part(b):
                cand = [a, b]
                # Prefer the split with the longest shortest part ("as antibodies").
                if best is None or min(map(len, cand)) > min(map(len, best)):
                    best = cand
        if best:
            return best
        for i in range(1, n - 1):
            a = w[:i]
            if not self._part(a):
                continue
            for j in range(i + 1, n):
                b, c = w[i:j], w[j:]
                if self._part(b) and self._part(c) and {a, b, c} & self.function_words:
                    return [a, b, c]
        return None

    def _near(self, w: str) -> list[str]:
        """The common words one edit away from ``w`` (memoized: a misspelling's edits are
        built once, for both the join test and the suggestion)."""
        got = self._near_memo.get(w)
        if got is None:
            got = self._near_memo[w] = [c for c in edits1(w) if c in self.common]
        return got

    def suggestion(self, word: str) -> str:
        """The suggestion for an unknown word (asked only when it is reported)."""
        w = word.lower()
        cands = self._near(w)
        if not cands:
            return ""
        # Prefer the candidate with the same first letter, then alphabetical (stable).
        return min(cands, key=lambda c: (c[0] != w[0], c))

    def classify(self, word: str) -> tuple[str, str] | None:
        """None for a known word, ("join", "as antibodies") or ("spell", "") for a word in
        no dictionary (its suggestion: :meth:`suggestion`, built only when reported)."""
        try:
            return self._memo[word]
        except KeyError:
            pass
        result: tuple[str, str] | None = None
        if not self.known(word):
            low = word.lower()
            parts = None
            # A one-letter slip of a known word is a misspelling, not a join.
            if len(low) >= 5 and low.isalpha() and not any(len(c) >= 4 for c in self._near(low)):
                parts = self.split_join(low)
            result = ("join", " ".join(parts)) if parts else ("spell", "")
        self._memo[word] = result
        return result
