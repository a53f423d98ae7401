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
