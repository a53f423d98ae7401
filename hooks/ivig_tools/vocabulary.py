"""The one vocabulary, written out for the site.

Both functions take the configuration loaded by :func:`ivig_tools.terms.load_config`
(the ``vocabulary:`` list of ``hooks/data/medical_terms.yaml``) and return Markdown:

* :func:`abbreviations_markdown` - ``*[IVIG]: intravenous immunoglobulin`` lines for the
  ``abbr`` extension, which Material shows as tooltips;
* :func:`glossary_markdown` - the body of the Glossary page, one ``##`` heading per term
  with a stable anchor (``{#term-cidp}``), then the expansion and the definition.

A term is written once, in the YAML; the lint, the tooltips and the glossary all read it.
"""

from __future__ import annotations

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


def glossary_markdown(config: Config, *, level: int = 2) -> str:
    """The glossary body: every vocabulary entry in alphabetical order."""
    if not 1 <= level <= 6:
        raise ValueError(f"Unexpected heading level: {level}")
    by_heading = {v.heading: v for v in config.vocabulary}
    out: list[str] = []
    for v in sorted(config.vocabulary, key=_sort_key):
        heading = v.heading if v.abbr and v.heading == v.abbr else _capitalise(v.heading)
        out.append(f"{'#' * level} {heading} {{#{slug(v.heading)}}}")
        out.append("")
        parts = []
        if v.abbr:
            parts.append(f"*{_capitalise(v.expansion)} ({v.abbr}).*")
        if v.definition:
            parts.append(v.definition)
        if v.see:
            target = by_heading[v.see]
            if target.abbr and not v.abbr:  # "Randomised controlled trial (RCT)."
                parts.insert(0, f"*{_capitalise(v.heading)} ({target.abbr}).*")
            word = "See also" if v.definition or v.abbr else "See"
            parts.append(f"{word} [{target.heading}](#{slug(target.heading)}).")
        out.append(" ".join(parts))
        out.append("")
    return "\n".join(out)


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
