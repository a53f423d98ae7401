"""Find the parts of a Markdown page that are not prose, without moving anything.

Checkers must never look inside front matter, fenced code or inline code, and must
report positions in the original file. ``mask`` returns a copy of the text of the
same length in which those regions are blanked (every character but a newline
becomes a space), so offsets, lines and columns found in the masked text are the
positions in the source.

Indented (four-space) code blocks are not recognised: this project writes code as
fenced blocks, and four-space indentation is ordinary inside lists.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Iterable, Iterator
from typing import TypeVar

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE_OPEN_RE = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# (Written "``*", not "`+": the same matches, but the regex engine then sees the literal
# first character and skips ahead fast, about thirty times faster on long pages.)
_BACKTICKS_RE = re.compile(r"``*")


def front_matter_end(text: str) -> int:
    """Offset just past the YAML front matter, or 0 when the page has none."""
    m = FRONT_MATTER_RE.match(text)
    return m.end() if m else 0


def fenced_code_spans(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, fences included.

    An unclosed fence runs to the end of the document, as CommonMark says.
    """
    if not any(ch in text for ch in _OTHER_LINE_BREAKS):
        yield from _fenced_code_spans_by_search(text, start)
    else:
        yield from fenced_code_spans_by_lines(text, start)


def fenced_code_spans_by_lines(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """:func:`fenced_code_spans`, reading every line (the simple version: any line break
    ``str.splitlines`` knows)."""
    pos = start
    lines = text[start:].splitlines(keepends=True)
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN_RE.match(lines[i].rstrip("\n"))
        if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
            fence = m.group("fence")
            block_start = pos
            pos += len(lines[i])
            i += 1
            close_re = re.compile(r"^[ \t>]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
            while i < len(lines) and not close_re.match(lines[i].rstrip("\n")):
                pos += len(lines[i])
                i += 1
            if i < len(lines):  # the closing fence
                pos += len(lines[i])
                i += 1
            yield block_start, pos
            continue
        pos += len(lines[i])
        i += 1


# str.splitlines also breaks lines at these; texts without them take the faster path.
_OTHER_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _fenced_code_spans_by_search(text: str, start: int) -> Iterator[tuple[int, int]]:
    """:func:`fenced_code_spans` for a text whose only line break is "\\n": the same
    spans, but only the lines holding three backticks or tildes are read (found with
    str.find) instead of every line."""
    n = len(text)

    def line_at(i: int) -> tuple[int, int]:
        """(start, end) of the line holding offset i, the end before its newline."""
        a = text.rfind("\n", start, i) + 1 or start
        b = text.find("\n", i)
        return a, (n if b == -1 else b)

    pos = start
    while pos < n:
        hits = [i for i in (text.find("```", pos), text.find("~~~", pos)) if i != -1]
        if not hits:
            return
        a, b = line_at(min(hits))
        pos = b + 1
        m = _FENCE_OPEN_RE.match(text[a:b])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            continue
        fence = m.group("fence")
        close_re = re.compile(r"^[ \t>]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
        block_start, end = a, n
        while pos < n:
            i = text.find(fence, pos)
            if i == -1:
                break
            ca, cb = line_at(i)
            pos = cb + 1
            if close_re.match(text[ca:cb]):
                end = min(cb + 1, n)
                break
        pos = end
        yield block_start, end


def inline_code_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of inline code spans (backtick runs of equal length).

    A span does not run past a blank line, so a stray backtick cannot swallow
    the rest of the page.
    """
    end = len(text) if end is None else end
    pos = start
    # The end of the paragraph holding ``pos``, searched again only once passed (a search
    # per backtick would read a long paragraph once per backtick: quadratic).
    limit = -1
    while True:
        m = _BACKTICKS_RE.search(text, pos, end)
        if not m:
            return
        ticks = m.group(0)
        if limit < m.end():
            para_end = text.find("\n\n", m.end(), end)
            limit = end if para_end == -1 else para_end
        close = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(text, m.end(), limit)
        if close:
            yield m.start(), close.end()
            pos = close.end()
        else:
            pos = m.end()


def html_comment_spans(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of each closed ``<!-- ... -->`` comment (the matches of
    ``<!--.*?-->`` with DOTALL), found with str.find: linear even when a comment is
    never closed (the regex, tried from every "<!--", reads to the end each time)."""
    pos = start
    while True:
        a = text.find("<!--", pos)
        if a == -1:
            return
        b = text.find("-->", a + 4)
        if b == -1:
            return  # never closed, and no later comment can be closed either
        yield a, b + 3
        pos = b + 3


def code_spans(text: str) -> list[tuple[int, int]]:
    """Front matter, fenced code and inline code: the regions no checker reads."""
    spans: list[tuple[int, int]] = []
    fm = front_matter_end(text)
    if fm:
        spans.append((0, fm))
    fences = list(fenced_code_spans(text, fm))
    spans.extend(fences)
    # Inline code only in the gaps between fenced blocks.
    cursor = fm
    for a, b in [*fences, (len(text), len(text))]:
        spans.extend(inline_code_spans(text, cursor, a))
        cursor = b
    return sorted(spans)


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace every character inside ``spans`` by a space, keeping newlines."""
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def mask(text: str, *, comments: bool = True) -> str:
    """``text`` with front matter, code and (by default) HTML comments blanked."""
    spans = code_spans(text)
    if comments:
        masked = blank(text, spans)
        spans += list(html_comment_spans(masked))
    return blank(text, spans)


class LineIndex:
    """Turn offsets into 1-based (line, column) quickly, many times over one text."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_start(self, offset: int) -> int:
        """The offset where the line holding ``offset`` starts."""
        return self._starts[bisect.bisect_right(self._starts, offset) - 1]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


# --- Markup that is not prose (added for the medical-term lint) ------------------------
#
# ``prose_mask`` goes one step further than ``mask``: besides front matter, code and
# HTML comments it blanks URLs, link targets and reference definitions, HTML tags with
# their attributes, attribute lists (``{#id .class}``), citation keys (``[@key]``),
# footnote labels (``[^x]``), e-mail addresses, abbreviation definitions
# (``*[X]: ...``), snippet lines (``--8<--``) and admonition markers (``!!! note``). The
# visible text of links, tags and admonition titles stays. Positions never move.
#
# Every pattern starts with ONE literal character (``\n``, ``[``, ``]``, ``<``, ``{``,
# ``:``, ``w``, ``@``) so the regex engine can skip ahead quickly on long pages: it does
# so only for a single literal first character, so the bracket markup is four patterns
# (by first character) whose matches :func:`merged_finditer` puts back in order.

# (The lookahead only says what every branch starts with: a line that cannot be one
# of them, most lines, is passed over at once instead of trying all four branches.)
_LINE_START_MARKUP_RE = re.compile(
    r"""\n(?=[ \t]*[*\[!?-])(?P<m>
      [ \t]*\*\[[^\]\n]+\]:[^\n]*                              # abbreviation definition
    | [ \t]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S[^\n]*              # link reference definition
    | [ \t]*-{1,2}8<-{1,2}[^\n]*                                # snippet include
    | [ \t]*(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*      # admonition marker and type
    )""",
    re.VERBOSE,
)
_BRACKET_MARKUP_RES = (
    # A footnote reference or label, or a wiki link or embed as Obsidian writes them
    # ("[[Page]]", "![[image.png]]": a target, not prose).
    re.compile(r"\[\^[^\]\s]+\]:?|\[\[[^\[\]\n]+\]\]"),
    re.compile(
        r"""
          \](?P<target>\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)
            (?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'))?[ \t]*\))              # inline link target (and title)
        | \](?P<label>\[[^\]\n]*\])                                 # reference link label
        """,
        re.VERBOSE,
    ),
    re.compile(
        r"""
          <(?:https?|ftp|mailto):[^>\s]*>                           # autolink
        | </?[A-Za-z][\w:-]*(?:\s+[^<>]*?)?/?>                      # HTML tag with attributes
        """,
        re.VERBOSE,
    ),
    re.compile(r"\{:?[ \t]*[#.][^}\n]*\}"),  # attribute list
)
# Bare URLs, found from their "://" (the scheme is checked in Python) or "www.".
_URL_TAIL_RE = re.compile(r"://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")
_WWW_RE = re.compile(r"www\.[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")
_SCHEMES = ("http", "https", "ftp")
_AT_RE = re.compile(r"@(?P<rest>[\w:.#$%&+?<>~/-]*[\w/])?")
_EMAIL_LOCAL = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")
_NOT_NEWLINE_RE = re.compile(r"[^\n]")
# TeX math, as pymdownx.arithmatex reads it: display math between "$$" (over lines), and
# inline "$...$" that touches its dollars (no space inside them) and reads as math (a
# backslash command, ^, _, { or =), so "$270 and $300" stays prose.
_DISPLAY_MATH = "$$"
_INLINE_MATH_RE = re.compile(r"\$(?=[^\s$])[^$\n]*?[^\s$\\]\$(?!\d)")
_MATH_SIGNS_RE = re.compile(r"\\[A-Za-z]|[\^_{=]")
# Display math longer than this (characters) is taken as an unclosed "$$", not math.
_DISPLAY_MATH_MAX = 4000


def merged_finditer(patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    """The matches ``finditer`` of the alternation of ``patterns`` finds (in order, not
    overlapping), when each pattern matches only at its own first character (so no two
    can match at one position) and never matches the empty string.

    Python's regex engine skips ahead fast (a string search) only for a pattern that
    starts with one literal character; an alternation whose branches start with several
    characters is tried at every position, about ten times slower on a long page."""
    for m, _k in tagged_finditer([(rx, k) for k, rx in enumerate(patterns)], text):
        yield m


T = TypeVar("T")


def tagged_finditer(
    patterns: list[tuple[re.Pattern[str], T]], text: str
) -> Iterator[tuple[re.Match[str], T]]:
    """The matches (with their tags) one ``finditer`` of the alternation of ``patterns``, in
    their order, finds: in order of position, not overlapping; where two patterns match at
    one position, the earlier in the list (as the alternation tries its branches in order).
    No pattern may match the empty string."""
    heap = []
    for k, (rx, _tag) in enumerate(patterns):
        m = rx.search(text)
        if m is not None:
            heap.append((m.start(), k, m))
    heapq.heapify(heap)
    while heap:
        _start, k, m = heapq.heappop(heap)
        yield m, patterns[k][1]
        end = m.end()
        # The finditer resumes at ``end``: patterns whose next match starts before it
        # (this one, and any that overlap it) search again from there.
        stale = [k]
        while heap and heap[0][0] < end:
            stale.append(heapq.heappop(heap)[1])
        for j in stale:
            m2 = patterns[j][0].search(text, end)
            if m2 is not None:
                heapq.heappush(heap, (m2.start(), j, m2))


def _blank_segment(segment: str) -> str:
    return _NOT_NEWLINE_RE.sub(" ", segment) if "\n" in segment else " " * len(segment)


def blank_fast(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Same result as :func:`blank`, built from slices (faster on long texts)."""
    out = []
    pos = 0
    for start, end in sorted(spans):
        a = max(start, pos)
        if end <= a:
            continue
        out.append(text[pos:a])
        out.append(_blank_segment(text[a:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def math_spans(masked: str) -> list[tuple[int, int]]:
    """(start, end) of TeX math (see _INLINE_MATH_RE), in order: linear, each "$" read
    a bounded number of times."""
    if "$" not in masked:
        return []
    display: list[tuple[int, int]] = []
    i = masked.find(_DISPLAY_MATH)
    while i != -1:
        j = masked.find(_DISPLAY_MATH, i + 2, i + 2 + _DISPLAY_MATH_MAX)
        if j == -1:  # an unclosed (or very long) "$$": not math; go on after it
            i = masked.find(_DISPLAY_MATH, i + 2)
            continue
        display.append((i, j + 2))
        i = masked.find(_DISPLAY_MATH, j + 2)
    spans: list[tuple[int, int]] = []
    k = 0
    for m in _INLINE_MATH_RE.finditer(masked):
        start, end = m.span()
        while k < len(display) and display[k][1] <= start:
            spans.append(display[k])
            k += 1
        if k < len(display) and display[k][0] < end:
            continue  # inside (or across) display math
        if _MATH_SIGNS_RE.search(masked, start + 1, end - 1):
            spans.append((start, end))
    spans.extend(display[k:])
    return spans


def markup_spans(masked: str) -> list[tuple[int, int]]:
    """(start, end) of the non-prose markup listed above, in an already masked text."""
    spans: list[tuple[int, int]] = math_spans(masked)
    for m in _LINE_START_MARKUP_RE.finditer("\n" + masked):
        spans.append((m.start("m") - 1, m.end("m") - 1))
    for m in merged_finditer(_BRACKET_MARKUP_RES, masked):
        gd = m.groupdict()  # (only the link pattern has groups)
        group = "target" if gd.get("target") else "label" if gd.get("label") else None
        spans.append(m.span(group) if group else m.span())
    for m in _URL_TAIL_RE.finditer(masked):
        start = m.start()
        while start and masked[start - 1].isalpha() and m.start() - start < 5:
            start -= 1
        if masked[start : m.start()].lower() in _SCHEMES:
            spans.append((start, m.end()))
    for m in _WWW_RE.finditer(masked):
        if not m.start() or not (masked[m.start() - 1].isalnum() or masked[m.start() - 1] in "./"):
            spans.append(m.span())
    for m in _AT_RE.finditer(masked):
        start = m.start()
        if start and masked[start - 1] in _EMAIL_LOCAL and "." in (m.group("rest") or ""):
            while start and masked[start - 1] in _EMAIL_LOCAL:  # e-mail address
                start -= 1
            spans.append((start, m.end()))
        elif m.group("rest") and (not start or masked[start - 1] in " \t\n[;-"):
            if start and masked[start - 1] == "-":  # [-@key]: suppressed author
                start -= 1
            spans.append((start, m.end()))  # citation key
    return spans


def blank_markup(masked: str) -> str:
    """Blank the non-prose markup listed above in an already ``mask``-ed text."""
    return blank_fast(masked, markup_spans(masked))


def prose_mask(text: str) -> str:
    """``text`` with everything that is not prose blanked; same length, same lines.

    The same as ``blank_markup(mask(text))``, computed with fewer passes.
    """
    # (Without a backtick or tilde there is no code: only front matter to find.)
    if "`" in text or "~" in text:
        spans = code_spans(text)
    else:
        fm = front_matter_end(text)
        spans = [(0, fm)] if fm else []
    masked = blank_fast(text, spans) if spans else text
    if "<!--" in masked:
        spans += list(html_comment_spans(masked))
        masked = blank_fast(text, spans)
    extra = markup_spans(masked)
    return blank_fast(masked, extra) if extra else masked
