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
import re
from collections.abc import Iterable, Iterator

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE_OPEN_RE = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_BACKTICKS_RE = re.compile(r"`+")


def front_matter_end(text: str) -> int:
    """Offset just past the YAML front matter, or 0 when the page has none."""
    m = FRONT_MATTER_RE.match(text)
    return m.end() if m else 0


def fenced_code_spans(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, fences included.

    An unclosed fence runs to the end of the document, as CommonMark says.
    """
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


def inline_code_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of inline code spans (backtick runs of equal length).

    A span does not run past a blank line, so a stray backtick cannot swallow
    the rest of the page.
    """
    end = len(text) if end is None else end
    pos = start
    while True:
        m = _BACKTICKS_RE.search(text, pos, end)
        if not m:
            return
        ticks = m.group(0)
        para_end = text.find("\n\n", m.end(), end)
        limit = end if para_end == -1 else para_end
        close = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(text, m.end(), limit)
        if close:
            yield m.start(), close.end()
            pos = close.end()
        else:
            pos = m.end()


def html_comment_spans(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    for m in _HTML_COMMENT_RE.finditer(text, start):
        yield m.start(), m.end()


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

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
