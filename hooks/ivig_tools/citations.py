"""Find the citations in a Markdown page exactly as mkdocs-bibtex 4.4.0 finds them.

mkdocs-bibtex works with regular expressions on the raw Markdown of a page
(``mkdocs_bibtex/citation.py``); the expressions below are copied from it, and
``tests/test_citations.py`` checks that they have not drifted from the installed
plugin. What this module adds:

- positions: every citation carries offsets into the ORIGINAL text and a 1-based
  line and column (of its ``@``), so a checker can say ``docs/page.md:12:5``;
- front matter, fenced code, inline code and HTML comments are ignored
  (``mdmask``), so example citations in code are never reported.

What mkdocs-bibtex recognises (and so what this module returns):

- a citation block is anything in square brackets on one line, ``[...]``; its
  content is split at ``;`` and each part that holds ``@key`` is a citation:
  ``[@key]``, ``[@a; @b]``, ``[see @key, p. 3]`` (prefix "see", suffix "p. 3");
  a part that *starts* with an e-mail address is skipped, but ``[mail me at
  x@example.org]`` is read as a citation of ``example`` (the plugin's own quirk);
- a key is letters, digits, ``_`` and ``-`` (``[\\w-]+``): ``@smith:2008`` is read
  as ``@smith``;
- with ``enable_inline_citations`` (off in this project's mkdocs.yml), a bare
  ``@key`` outside square brackets is a citation too; pass ``inline=True``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivig_tools import mdmask

# --- copied from mkdocs_bibtex/citation.py (4.4.0) -------------------------------------
CITATION_REGEX = re.compile(r"(?:(?P<prefix>[^@;]*?)\s*)?@(?P<key>[\w-]+)(?:,\s*(?P<suffix>[^;]+))?")
CITATION_BLOCK_REGEX = re.compile(r"\[(.*?)\]")
EMAIL_REGEX = re.compile(r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}")
INLINE_REFERENCE_REGEX = re.compile(r"(?<!\\)(?<![\[\w])@(?P<key>[\w:-]+)(?![^\[\]]*\])")
# -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """One cited key. ``start``/``end`` span ``@key`` in the original text; line/col are of the ``@``."""

    key: str
    start: int
    end: int
    line: int
    col: int


@dataclass(frozen=True)
class CitationMatch:
    """A citation with what surrounds it, for checkers that need more than the key."""

    citation: Citation
    prefix: str = ""
    suffix: str = ""
    inline: bool = False
    block_start: int = -1  # offset of the "[" of the block (-1 for inline citations)
    block_end: int = -1


def iter_citation_matches(text: str, *, inline: bool = False) -> Iterator[CitationMatch]:
    """Every citation mkdocs-bibtex would see in ``text``, outside code and comments, in order."""
    masked = mdmask.mask(text)
    if "@" not in masked:
        return
    index = mdmask.LineIndex(text)
    found: list[CitationMatch] = []
    blocks: list[tuple[int, int]] = []
    for block in CITATION_BLOCK_REGEX.finditer(masked):
        content = block.group(1)
        if "@" not in content:
            continue
        base = block.start(1)
        offset = 0
        any_citation = False
        for part in content.split(";"):
            part_start = base + offset
            offset += len(part) + 1
            if EMAIL_REGEX.match(part) is not None:
                continue
            m = CITATION_REGEX.match(part)
            if not m:
                continue
            any_citation = True
            start = part_start + m.start("key") - 1  # the "@"
            end = part_start + m.end("key")
            line, col = index.position(start)
            found.append(
                CitationMatch(
                    Citation(m.group("key"), start, end, line, col),
                    prefix=m.group("prefix") or "",
                    suffix=m.group("suffix") or "",
                    block_start=block.start(),
                    block_end=block.end(),
                )
            )
        if any_citation:
            blocks.append((block.start(), block.end()))
    if inline:
        # mkdocs-bibtex looks for inline references after replacing every citation
        # block by footnote references ("[^cite-key]"): keep the brackets, blank the rest.
        chars = list(masked)
        for a, b in blocks:
            for i in range(a + 1, b - 1):
                if chars[i] != "\n":
                    chars[i] = " "
        after_blocks = "".join(chars)
        for m in INLINE_REFERENCE_REGEX.finditer(after_blocks):
            start, end = m.start(), m.end()
            line, col = index.position(start)
            found.append(CitationMatch(Citation(m.group("key"), start, end, line, col), inline=True))
        found.sort(key=lambda c: c.citation.start)
    yield from found


def find_citations(text: str, *, inline: bool = False) -> list[Citation]:
    """The citations in a page, in order; ``inline`` as mkdocs-bibtex's ``enable_inline_citations``."""
    return [m.citation for m in iter_citation_matches(text, inline=inline)]
