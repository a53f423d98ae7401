"""Flesch-Kincaid grade level of a page's prose (MED060, MED061).

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

Input is text already masked (no code, front matter, URLs or markup). Headings and
table rows are left out; a paragraph or list item ends a sentence even without a full
stop. Syllables are counted with the usual vowel-group heuristic.

Speed: a page's counts come from whole-text scans (tokens, sentence ends), and each
distinct token's syllables are counted once per process, so a long page of real text
(where most chunks are new) costs a few passes in C. :func:`chunk_stats`, the same
counts for one chunk, is the simple version they are tested against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W\d_]+)*")
_VOWELS_RE = re.compile(r"[aeiouy]+")
_SILENT_E_RE = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
# A chunk that ends a sentence: a full stop, question or exclamation mark at its end
# (before closing quotes, brackets or a citation's bracket: "safe.[@key]" is masked to
# "safe.[      ]"), except after common abbreviations ("e.g.").
_SENTENCE_END_RE = re.compile(r"[.!?][)\]\[\"'\u201d*_]*$")
# A heading or table line, or a line that starts a new block (blank line, list item).
_SKIPPED_LINE_RE = re.compile(r"\n[ \t>]*(?:#{1,6}(?=[ \t\n])|\|)[^\n]*")
_BLOCK_START_RE = re.compile(r"\n(?=[ \t>]*(?:\n|\Z|(?:[-*+]|\d+[.)])[ \t]))")
# The line before each of those starts (anchored at line starts: linear on long lines).
_LINE_BEFORE_BLOCK_RE = re.compile(r"^([^\n]*)\n(?=[ \t>]*(?:\n|\Z|(?:[-*+]|\d+[.)])[ \t]))", re.MULTILINE)


@dataclass(frozen=True)
class Grade:
    grade: float
    words: int
    sentences: int
    syllables: int


def syllables(word: str) -> int:
    """One word's syllables (pages count theirs together: _count_new_syllables)."""
    w = word.lower().replace("\u2019", "'")
    if len(w) <= 3:
        return 1
    w = _SILENT_E_RE.sub("", w)
    w = w.removeprefix("y")
    return max(1, len(_VOWELS_RE.findall(w)))


_NOT_END_CHUNKS = frozenset({"e.g.", "i.e.", "al.", "etc.", "vs.", "Dr.", "approx.", "cf.", "(e.g.", "(i.e."})


def ends_sentence(chunk: str) -> bool:
    """Whether a whitespace-free chunk ends a sentence."""
    return bool(_SENTENCE_END_RE.search(chunk)) and chunk not in _NOT_END_CHUNKS


def chunk_stats(chunk: str) -> tuple[tuple[str, ...], int, int, int]:
    """Tokens of one whitespace-free chunk, their number and syllables, and 1 if it ends
    a sentence: the simple version :func:`text_stats` sums over a page (tested so)."""
    tokens = tuple(TOKEN_RE.findall(chunk))
    ends = 1 if ends_sentence(chunk) else 0
    return tokens, len(tokens), sum(syllables(t) for t in tokens), ends


@dataclass
class TextStats:
    tokens: set[str]  # distinct tokens of the page
    words: int
    syllables: int
    sentence_ends: int


# The chunks (runs of non-space) that end a sentence, counted over the whole text: a match
# ends where its chunk does, and a chunk has at most one (no end mark is a closer), so
# this counts the chunks :func:`chunk_stats` marks as ends.
_END_RE = re.compile(r"[.!?][)\]\[\"'\u201d*_]*(?!\S)")
# The chunks of _NOT_END_CHUNKS, each found as its own literal (fast to scan for) with the
# white space before it checked behind (\S before it: part of a longer chunk). (One pattern
# with a check behind every full stop instead was four times slower on real notes.)
_NOT_END_RES = tuple(
    (chunk, re.compile(f"{re.escape(chunk)}(?<!\\S{re.escape(chunk)})(?!\\S)"))
    for chunk in sorted(_NOT_END_CHUNKS)
)


# Syllables of the tokens seen in this process (see _count_new_syllables).
_SYLLABLES: dict[str, int] = {}
# The per-word steps of :func:`syllables`, for many words at once, one per line.
_SILENT_E_LINES_RE = re.compile(r"(?:[^laeiouy\n]es|[^laeiouy\n]ed|[^laeiouy\n]e)$", re.MULTILINE)
_Y_START_LINES_RE = re.compile(r"^y", re.MULTILINE)
_NOT_GROUP_MARK_RE = re.compile(r"[^\x01\n]+")


def _count_new_syllables(tokens: Iterable[str]) -> None:
    """Put :func:`syllables` of each of ``tokens`` into ``_SYLLABLES``, for all of them
    at once: the tokens, lower case, one per line, go through the same steps as
    whole-text substitutions (silent endings, a leading "y"), each vowel group becomes
    one mark, and each line's marks are counted (tested against :func:`syllables` on
    fuzzed words)."""
    if len(_SYLLABLES) > 500_000:
        _SYLLABLES.clear()
    # (Three characters or fewer: one syllable. Lower case keeps an ASCII word's length.)
    short = [t for t in tokens if len(t) <= 3 and t.isascii()]
    _SYLLABLES.update(dict.fromkeys(short, 1))
    rest = [t for t in tokens if len(t) > 3 or not t.isascii()]
    if not rest:
        return
    lower = "\n".join(rest).lower().replace("\u2019", "'")
    lines = lower.split("\n")
    if len(lines) != len(rest):  # (no lower case makes a line break; but if one did)
        _SYLLABLES.update(zip(rest, map(syllables, rest), strict=True))
        return
    stripped = _Y_START_LINES_RE.sub("", _SILENT_E_LINES_RE.sub("", lower))
    marks = _NOT_GROUP_MARK_RE.sub("", _VOWELS_RE.sub("\x01", stripped)).split("\n")
    for token, low, mark in zip(rest, lines, marks, strict=True):
        _SYLLABLES[token] = 1 if len(low) <= 3 else max(1, len(mark))


def text_stats(text: str) -> TextStats:
    """Tokens, words, syllables and sentence ends of ``text``: the sums of
    :func:`chunk_stats` over its chunks, found by whole-text scans (a token never spans
    white space), so the cost is a few passes in C plus one step per distinct token."""
    found = TOKEN_RE.findall(text)
    tokens = set(found)
    # (A set's difference with a dict asks the dict per token of the page; the difference
    # of two key views would walk every token seen in the process instead.)
    new = tokens.difference(_SYLLABLES)
    if new:
        _count_new_syllables(new)
    syl = sum(map(_SYLLABLES.__getitem__, found))
    ends = len(_END_RE.findall(text)) - sum(len(p.findall(text)) for c, p in _NOT_END_RES if c in text)
    return TextStats(tokens, len(found), syl, ends)


_NO_STATS = TextStats(set(), 0, 0, 0)


def page_stats(masked: str) -> tuple[TextStats, TextStats]:
    """:func:`text_stats` of the whole of ``masked``, and of its headings and table rows
    alone (which the grade leaves out): one pass over each part, not two over the tables
    (a heading or table line is cut out whole, up to the line break after it, so no chunk
    is joined or split; tested against text_stats of the whole on fuzzed pages)."""
    text = "\n" + masked + "\n"
    skipped_lines = _SKIPPED_LINE_RE.findall(text)
    if not skipped_lines:
        return text_stats(masked), _NO_STATS
    prose = text_stats(_SKIPPED_LINE_RE.sub("", text))
    skipped = text_stats("\n".join(skipped_lines))
    whole = TextStats(
        prose.tokens | skipped.tokens,
        prose.words + skipped.words,
        prose.syllables + skipped.syllables,
        prose.sentence_ends + skipped.sentence_ends,
    )
    return whole, skipped


def flesch_kincaid(masked: str, stats: TextStats | None = None, skipped: TextStats | None = None) -> Grade:
    """The grade of a masked page; ``stats`` (of the whole of ``masked``) and ``skipped``
    (of its headings and table rows: :func:`page_stats` gives both) save passes."""
    stats = stats or text_stats(masked)
    words, syl, ends = stats.words, stats.syllables, stats.sentence_ends
    text = "\n" + masked + "\n"
    if skipped is None:
        skipped_lines = _SKIPPED_LINE_RE.findall(text)
        skipped = text_stats("\n".join(skipped_lines)) if skipped_lines else _NO_STATS
    # Headings and tables do not count.
    words -= skipped.words
    syl -= skipped.syllables
    ends -= skipped.sentence_ends
    if words <= 0:
        return Grade(0.0, 0, 0, 0)
    unfinished = 0
    for raw in _LINE_BEFORE_BLOCK_RE.findall(text, 1):  # (from 1: the first line follows "\n")
        # (a citation masked to "[   ]" after the full stop does not count)
        line = raw.strip(" \t>").rstrip(" \t[]")
        if not line or line[0] in "#|":
            continue  # a blank line, heading or table row before: nothing to finish
        chunks = line.rsplit(None, 1)  # (the last chunk, as split()[-1], without the list)
        if not chunks:
            continue  # only other white space, such as a no-break space: nothing to finish
        if not ends_sentence(chunks[-1]):
            unfinished += 1  # a paragraph or list item ends without a full stop
    sentences = max(1, ends + unfinished)
    grade = 0.39 * (words / sentences) + 11.8 * (syl / words) - 15.59
    return Grade(round(grade, 1), words, sentences, syl)
