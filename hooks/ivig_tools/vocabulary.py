"""The one vocabulary, written out for the site.

Both functions take the configuration loaded by :func:`ivig_tools.terms.load_config`
(the ``vocabulary:`` list of ``hooks/data/medical_terms.yaml``) and return Markdown:

* :func:`abbreviations_markdown` - ``*[IVIG]: intravenous immunoglobulin`` lines for the
  ``abbr`` extension, which Material shows as tooltips;
* :func:`glossary_markdown` - the body of the Glossary page: letter links, then an A-Z
  definition list, each term with a stable anchor (``term-cidp``), its expansion and
  its definition;
* :func:`first_use_abbreviations` - the built page with each abbreviation marked only at
  its first use in running text (not in headings, links or reference lists).

A term is written once, in the YAML; the lint, the tooltips and the glossary all read it.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import unicodedata

from ivig_tools.terms import Config, VocabularyEntry


def slug(heading: str) -> str:
    """``term-`` plus the heading in lower-case ASCII with hyphens: "NK cells" -> term-nk-cells."""
    ascii_text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    return "term-" + re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _sort_key(entry: VocabularyEntry) -> tuple[str, str]:
    h = unicodedata.normalize("NFKD", entry.heading).encode("ascii", "ignore").decode()
    return (h.casefold(), entry.heading)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def abbreviations_markdown(config: Config) -> str:
    """Abbreviation definitions for every vocabulary abbreviation, sorted, one per line."""
    lines = [
        f"*[{v.abbr}]: {v.expansion}"
        for v in sorted(config.vocabulary, key=lambda v: v.abbr.casefold())
        if v.abbr
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def _letter(entry: VocabularyEntry) -> str:
    first = _sort_key(entry)[0][:1].upper()
    return first if first.isalpha() else "#"


def letter_anchor(letter: str) -> str:
    """``glossary-a`` for the terms under A (``glossary-other`` for the rest)."""
    return f"glossary-{letter.lower()}" if letter.isalpha() else "glossary-other"


def _term_html(entry: VocabularyEntry, by_heading: dict[str, VocabularyEntry]) -> str:
    """The term as the list shows it, with what an abbreviation stands for beside it:
    "CIDP (chronic inflammatory ...)", "NK (natural killer) cells", "Confidence interval (CI)".
    """
    esc = functools.partial(html_lib.escape, quote=False)
    heading = (
        entry.heading if entry.abbr and entry.heading.startswith(entry.abbr) else _capitalise(entry.heading)
    )
    if entry.abbr:
        head, _, tail = heading.partition(entry.abbr)
        expansion = f'<span class="ivig-glossary__expansion">({esc(entry.expansion)})</span>'
        return f"{esc(head)}{esc(entry.abbr)} {expansion}{esc(tail)}"
    target = by_heading.get(entry.see)
    if target is not None and target.abbr:  # "Confidence interval (CI)"
        return f'{esc(heading)} <span class="ivig-glossary__expansion">({esc(target.abbr)})</span>'
    return esc(heading)


def glossary_markdown(config: Config) -> str:
    """The glossary body: letter links, then one definition list per letter, A to Z.

    HTML inside the Markdown page (a raw block Python-Markdown passes through): a
    definition list, not one heading per term, so the page stays short, the table of
    contents and the PDF bookmarks do not list every term, and each term keeps its
    stable anchor (``<dt id="term-cidp">``).
    """
    by_heading = {v.heading: v for v in config.vocabulary}
    groups: dict[str, list[VocabularyEntry]] = {}
    for v in sorted(config.vocabulary, key=_sort_key):
        groups.setdefault(_letter(v), []).append(v)
    esc = functools.partial(html_lib.escape, quote=False)
    links = "".join(
        f'<li><a href="#{letter_anchor(letter)}" aria-label="Terms starting with {letter}">{letter}</a></li>'
        for letter in groups
    )
    out = [f'<nav class="ivig-az" aria-label="Glossary letters"><ul>{links}</ul></nav>', ""]
    out.append('<div class="ivig-glossary">')
    for letter, entries in groups.items():
        out.append(f'<div class="ivig-glossary__group" id="{letter_anchor(letter)}">')
        out.append(f'<p class="ivig-glossary__letter">{letter}</p>')
        out.append("<dl>")
        for v in entries:
            parts = [esc(v.definition)] if v.definition else []
            if v.see:
                target = by_heading[v.see]
                word = "See also" if v.definition else "See"
                parts.append(f'{word} <a href="#{slug(target.heading)}">{esc(target.heading)}</a>.')
            out.append(f'<dt id="{slug(v.heading)}">{_term_html(v, by_heading)}</dt>')
            out.append(f"<dd>{' '.join(parts)}</dd>")
        out.append("</dl>")
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out) + "\n"


# --- Abbreviations in the built page ---------------------------------------------------

# Where an abbreviation is never marked: headings, links, and reference lists (the
# citation footnotes at the end of a page and the References page).
_QUIET_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a"})
_QUIET_CLASSES = frozenset({"footnote", "ivig-references"})
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""")


def first_use_abbreviations(page_html: str) -> str:
    """Keep each abbreviation's ``<abbr>`` mark only at its first use in running text.

    The ``abbr`` extension marks every occurrence on the page. A mark is kept at the
    first occurrence that is not inside a heading, a link or a reference list; every
    other occurrence becomes plain text (the same characters, no tooltip, no underline).
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, quiet here)
    seen: set[str] = set()
    pos = 0
    abbr_open: tuple[int, str] | None = None  # (index in out of the opening tag, its text)
    for m in _HTML_TAG.finditer(page_html):
        out.append(page_html[pos : m.start()])
        pos = m.end()
        closing, tag, attrs = m.group(1) == "/", m.group(2).lower(), m.group(3)
        if tag == "abbr":
            if not closing:
                abbr_open = (len(out), m.group(0))
                out.append(m.group(0))
                continue
            if abbr_open is not None:
                index, _ = abbr_open
                abbr_open = None
                text = html_lib.unescape("".join(out[index + 1 :])).strip()
                quiet = bool(stack) and stack[-1][1]
                if quiet or text in seen:
                    out[index] = ""  # drop the opening tag, and this closing one
                    continue
                seen.add(text)
            out.append(m.group(0))
            continue
        out.append(m.group(0))
        if tag in _VOID_TAGS or attrs.rstrip().endswith("/"):
            continue
        if closing:
            for i in range(len(stack) - 1, -1, -1):  # tolerate an unclosed inner element
                if stack[i][0] == tag:
                    del stack[i:]
                    break
            continue
        class_attr = _CLASS_ATTR.search(attrs)
        classes = set(class_attr.group(1).split()) if class_attr else set()
        quiet = (bool(stack) and stack[-1][1]) or tag in _QUIET_TAGS or bool(classes & _QUIET_CLASSES)
        stack.append((tag, quiet))
    out.append(page_html[pos:])
    return "".join(out)
