"""The word lists behind the spelling (MED041) and run-together (MED040) rules.

The English list is pyspellchecker's ``en.json.gz`` (word frequencies from
OpenSubtitles/Wiktionary, MIT); the medical and US English lists are Debian's Hunspell
dictionaries (``hunspell-en-med``, ``hunspell-en-us``; installed by
``scripts/ensure-wordlists.sh``, read where installed, never copied into the repository).
The merged word set is built once, at set-up (``make`` runs ``scripts/build_lint_data.py``,
which writes it into the Python environment: :func:`install_word_set`), and read from
there; without that copy it is built on first use and kept in the user's cache folder
(``$IVIG_CACHE_DIR``, ``$XDG_CACHE_HOME/ivig-guide`` or ``~/.cache/ivig-guide``); when
neither can be written the lists are simply read again. Every word is kept as one string
per three-letter prefix (:class:`BucketedWords`: a run builds the sets of only the prefixes
its pages use); the frequent words are one set.

Everything here is pure and cached per process: :func:`english_words` is built once.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ivig_tools.cache import cache_dir, install_entry, read_keyed_pickle, setup_dir, write_keyed_pickle

# Words at least this frequent in the English list may be parts of a join.
JOIN_PART_MIN_FREQ = 100
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


# The length of the prefix that names a bucket: three letters make about 6,600 buckets
# (two letters: 751, a first look-up 2.5 times dearer on 1.5 MB of real notes).
PREFIX = 3


class BucketedWords:
    """A large word set kept as one newline-joined string per prefix (:data:`PREFIX`
    letters); the set for a prefix is built on its first look-up, so a run pays only for
    the prefixes its pages use. (Searching a bucket's text for the first few look-ups, as
    it once did, no longer paid with three-letter buckets: the same time on the guide and
    on 2 MB of real notes, so it was removed.)
    """

    def __init__(self, raw: dict[str, str], extra: Iterable[str] = ()) -> None:
        self._raw = raw
        self._sets: dict[str, frozenset[str]] = {}
        self._extra = frozenset(extra)

    @staticmethod
    def pack(words: Iterable[str]) -> dict[str, list[str]]:
        buckets: dict[str, list[str]] = {}
        for w in words:
            buckets.setdefault(w[:PREFIX], []).append(w)
        return buckets

    @staticmethod
    def pack_sorted(words: list[str]) -> dict[str, str]:
        """:meth:`pack` of a sorted list, each bucket joined: the buckets are runs of the
        list, cut by binary search (no per-word Python step)."""
        out: dict[str, str] = {}
        i, n = 0, len(words)
        while i < n:
            key = words[i][:PREFIX]
            if len(key) == PREFIX and ord(key[-1]) < 0x10FFFF:
                j = bisect.bisect_left(words, key[:-1] + chr(ord(key[-1]) + 1), i)
            else:  # (a word under PREFIX characters, or a last code point: walk the run)
                j = i + 1
                while j < n and words[j][:PREFIX] == key:
                    j += 1
            out[key] = "\n".join(words[i:j])
            i = j
        return out

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = word[:PREFIX]
        s = self._sets.get(key)
        if s is None:
            raw = self._raw.get(key)
            s = self._sets[key] = frozenset(raw.split("\n")) if raw else frozenset()
        return word in s or word in self._extra

    def __len__(self) -> int:
        return sum(r.count("\n") + 1 for r in self._raw.values() if r) + len(self._extra)


def pack_sorted_and_more(words: list[str], more: set[str]) -> dict[str, str]:
    """The buckets (joined) of ``words`` and ``more``: the same set as
    ``BucketedWords.pack(set(words) | more)``, faster when ``words`` is sorted (as
    pyspellchecker's list is): its runs are cut by binary search and only the words of
    ``more`` that it lacks are packed one by one."""
    if any(a >= b for a, b in itertools.pairwise(words)):
        return {k: "\n".join(v) for k, v in BucketedWords.pack(set(words) | more).items()}
    out = BucketedWords.pack_sorted(words)
    for key, rest in BucketedWords.pack(more.difference(words)).items():
        out[key] = f"{out[key]}\n" + "\n".join(rest) if key in out else "\n".join(rest)
    return out


@dataclass(frozen=True)
class EnglishWords:
    words: BucketedWords  # every word in the list
    # Words frequent enough to be parts of a join: a plain set (about 47,000 words, loaded
    # whole: most words of a page are among them, and a misspelling's edits are tested
    # against it in one set operation).
    common: frozenset[str]
    # The same words by prefix (:meth:`BucketedWords.pack`, joined): a misspelling's
    # neighbours that share its prefix are looked for among these (see Speller._near).
    common_by_prefix: dict[str, str] = dataclasses.field(default_factory=dict)


def _english_json_path() -> Path | None:
    """pyspellchecker's English list, found without importing the package (every run
    names its word set by this file; only a run that builds the set reads it)."""
    import importlib.util  # noqa: PLC0415

    try:
        spec = importlib.util.find_spec("spellchecker")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "resources" / "en.json.gz"
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


def _source_key(paths: Iterable[Path]) -> str:
    parts = []
    for p in paths:
        try:
            st = p.stat()
            parts.append(f"{p}|{st.st_size}|{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{p}|missing")
    return ";".join(parts)


# The word set's file (cache.write_keyed_pickle): its key (its sources' paths, sizes and
# times, and this format's version), then (buckets of every word, the common words, the
# common words by prefix).
_FORMAT = "v11"


def word_set_key(hunspell: tuple[str, ...] = ()) -> tuple[str, str]:
    """(key, file name) of the word set built from pyspellchecker's list and ``hunspell``."""
    source = _english_json_path()
    sources = ([source] if source is not None else []) + [Path(p) for p in hunspell]
    key = f"{_source_key(sources)}|{_FORMAT}"
    # The name is a checksum of the key; the file holds the key itself, which must match
    # (so a checksum collision cannot load another list).
    return key, f"en-words-{zlib.crc32(key.encode()):08x}.pickle"


_WordSet = tuple[dict[str, str], frozenset[str], dict[str, str]]


def _read_word_set(path: Path, key: str) -> _WordSet | None:
    """The word set in ``path`` when its key is ``key``; None when missing, stale or damaged."""
    found, value = read_keyed_pickle(path, key)
    if not found or not isinstance(value, tuple) or len(value) != 3:
        return None
    words, common, by_prefix = value
    if not (isinstance(words, dict) and isinstance(common, frozenset) and isinstance(by_prefix, dict)):
        return None
    return words, common, by_prefix


def _build_word_set(hunspell: tuple[str, ...]) -> _WordSet:
    """Read pyspellchecker's list and the Hunspell files (about 0.2 s)."""
    source = _english_json_path()
    freq: dict[str, int] = {}
    if source is not None:
        # (gzip and json only here: a run that finds the word set does not import them.)
        import gzip  # noqa: PLC0415
        import json  # noqa: PLC0415

        freq = json.loads(gzip.decompress(source.read_bytes()))
    words = pack_sorted_and_more(list(freq), _hunspell_stems(hunspell))
    common = frozenset(w for w, n in freq.items() if n >= JOIN_PART_MIN_FREQ)
    by_prefix = {k: "\n".join(v) for k, v in BucketedWords.pack(sorted(common)).items()}
    return words, common, by_prefix


def install_word_set(hunspell: tuple[str, ...] = ()) -> tuple[Path, bool]:
    """Build the word set into :func:`ivig_tools.cache.setup_dir` unless it is there and current;
    other word sets there (from older sources) are removed. (path, whether built)."""
    key, name = word_set_key(hunspell)
    path = setup_dir() / name
    return install_entry(
        path,
        current=lambda: _read_word_set(path, key) is not None,
        write=lambda: write_keyed_pickle(path, key, _build_word_set(hunspell)),
        family="en-words-*.pickle",
    )


@functools.lru_cache(maxsize=4)
def english_words(hunspell: tuple[str, ...] = ()) -> EnglishWords:
    """The English word set (lower case): pyspellchecker's list and the Hunspell
    dictionaries' stems, once per process. Read from the set-up's copy
    (:func:`ivig_tools.cache.setup_dir`), else from the user's cache folder, else built from the lists
    and kept in the cache folder (named by its sources: a changed or newly installed
    dictionary makes a new one)."""
    key, name = word_set_key(hunspell)
    found = _read_word_set(setup_dir() / name, key) or _read_word_set(cache_dir() / name, key)
    if found is None:
        found = _build_word_set(hunspell)
        write_keyed_pickle(cache_dir() / name, key, found)  # (if it cannot: built again next run)
    words, common, by_prefix = found
    return EnglishWords(BucketedWords(words), common, by_prefix)


# --- British spellings ------------------------------------------------------------------
# The English list is mostly American; a British form is accepted when its American
# twin is known ("randomised", "haemolytic", "centre", "licence", "fibres").
_BRITISH = [
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"our(s|ed|ing|ite|ites|able|ful|less)?$"), r"or\1"),
    (re.compile(r"tre(s|d)?$"), r"ter\1"),
    (re.compile(r"bre(s)?$"), r"ber\1"),
    (re.compile(r"ence(s)?$"), r"ense\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"lled$"), "led"),
    (re.compile(r"lling$"), "ling"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe"), "e"),
]


# Any of the British forms above: most words have none, and one search tells.
_ANY_BRITISH_RE = re.compile("|".join(pattern.pattern for pattern, _repl in _BRITISH))


def american_variants(word: str) -> list[str]:
    if not _ANY_BRITISH_RE.search(word):
        return []  # (no pattern matches the word, nor its "ae"/"oe" simplification below)
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
    # Productive endings of compounds ("pincerlike", "toddlerhood", "headedness",
    # "chairbound") and "-ic" beside "-ical" ("hepatically", "technologic").
    ("like", ""),
    ("hood", ""),
    ("ness", ""),
    ("bound", ""),
    ("ically", "ic"),
    ("ic", "ical"),
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
    return edits1_head(word, len(word) + 1)


def edits1_head(word: str, k: int) -> set[str]:
    """The strings of :func:`edits1` made by an edit at one of the first ``k`` positions
    (a deletion, replacement or insertion before character ``i < k``, or a transposition
    of characters ``i`` and ``i + 1``). An edit at a later position leaves ``word[:k]``
    as it is, so every string of ``edits1(word)`` that does not start with ``word[:k]``
    is among these."""
    splits = [(word[:i], word[i:]) for i in range(min(k, len(word) + 1))]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


_LETTER_SET = frozenset(_LETTERS)


def is_edit1(word: str, other: str) -> bool:
    """Whether ``other`` is in ``edits1(word)``, without building that set."""
    n, m = len(word), len(other)
    if m == n:
        if other == word:  # a letter replaced by itself, or two equal letters swapped
            return any(c in _LETTER_SET for c in word) or any(a == b for a, b in itertools.pairwise(word))
        i = 0
        while word[i] == other[i]:
            i += 1
        j = n - 1
        while word[j] == other[j]:
            j -= 1
        if i == j:
            return other[i] in _LETTER_SET
        return j == i + 1 and word[i] == other[j] and word[j] == other[i]
    if m == n - 1:  # a deletion: any character
        i = 0
        while i < m and word[i] == other[i]:
            i += 1
        return word[i + 1 :] == other[i:]
    if m == n + 1:  # an insertion: a letter a to z
        i = 0
        while i < n and word[i] == other[i]:
            i += 1
        return other[i] in _LETTER_SET and other[i + 1 :] == word[i:]
    return False


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
        self.function_words = frozenset(w.lower() for w in function_words)
        # (The project's words and function words the frequent list lacks: a few dozen.)
        more = (extra | self.function_words) - english.common
        self.common = english.common | more if more else english.common
        # (Those words by prefix, for _near.)
        self._extra_by_prefix = BucketedWords.pack(more)
        self._common_with_prefix: dict[str, tuple[str, ...]] = {}
        # Longest first, so "hyper" is tried before "hy..." prefixes of it.
        self.prefixes = tuple(sorted({p.lower() for p in prefixes}, key=len, reverse=True))
        # The prefixes by their first two letters, longest first, and any shorter one: a word
        # is tried only against those it can start with (the answer is the same: any one
        # that fits makes the word known).
        self._prefixes_by_start: dict[str, tuple[str, ...]] = {}
        for p in self.prefixes:
            if len(p) >= 2:
                self._prefixes_by_start[p[:2]] = (*self._prefixes_by_start.get(p[:2], ()), p)
        self._short_prefixes = tuple(p for p in self.prefixes if len(p) < 2)
        self.drug_stems = tuple(sorted({d.lower() for d in drug_stems}, key=len, reverse=True))
        self._memo: dict[str, tuple[str, str] | None] = {}
        self._near_memo: dict[str, list[str]] = {}
        # Tokens already classified in this process, and those that were flagged.
        self.checked: set[str] = set()
        self.flagged: dict[str, tuple[str, str]] = {}

    def _in_words(self, w: str) -> bool:
        # (The common words first: a set in memory, and most words of a page are there.)
        return w in self.common or w in self.english.words

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
        for p in (*self._prefixes_by_start.get(w[:2], ()), *self._short_prefixes):
            if not w.startswith(p):
                continue
            rest = w[len(p) :].lstrip("-")
            # (Not "overthis": a function word after a prefix is scrape damage.)
            if len(rest) >= 4 and rest not in self.function_words and self.known(rest):
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
            got = self._near_memo[w] = sorted(self._near_set(w))
        return got

    def _near_set(self, w: str) -> set[str]:
        """``edits1(w) & self.common`` (the simple version, tested against this on fuzzed
        words), in two parts: the edits within the first :data:`PREFIX` characters, built
        and intersected as a set (about a third of them), and the common words that share
        ``w``'s prefix (a few dozen), each tested by :func:`is_edit1`."""
        if len(w) <= PREFIX:
            return edits1(w) & self.common
        near = edits1_head(w, PREFIX) & self.common
        head = w[:PREFIX]
        same = self._common_with_prefix.get(head)
        if same is None:
            raw = self.english.common_by_prefix.get(head)
            same = self._common_with_prefix[head] = (
                *(raw.split("\n") if raw else ()),
                *self._extra_by_prefix.get(head, ()),
            )
        n = len(w)
        # (Only a word one letter shorter, as long, or one longer can be one edit away.)
        near.update(c for c in same if n - 2 < len(c) < n + 2 and is_edit1(w, c))
        return near

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
            if len(low) >= 5 and low.isalpha():
                parts = self.split_join(low)
                # A one-letter slip of a known word is a misspelling, not a join. (Tested
                # after the split, which is cheaper and rarely found: a misspelling's
                # neighbours are then built only if it is reported, for its suggestion.)
                if parts and any(len(c) >= 4 for c in self._near(low)):
                    parts = None
            result = ("join", " ".join(parts)) if parts else ("spell", "")
        self._memo[word] = result
        return result
