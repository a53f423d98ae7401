"""The medical-term lint: Markdown text in, findings out.

    findings = lint(text, "docs/what-it-treats.md", load_config())

``lint`` is pure (no MkDocs, no file access beyond the cached word lists) and reports
positions in the source text, front matter included. The rule data lives in
``hooks/data/medical_terms.yaml``; each rule has a stable ID (MED001 ...) and each
message says what to write instead. See that file for the sources of the rules.

The rules, each with its ID, default severity, summary and fix, are registered in
:mod:`ivig_tools.terms.rules` (the one place; CONTRIBUTING.md's table is generated from
it). The modules: ``config`` (read, validate against ``schema``, compile into ``compiled``),
``engine`` (matching, the :class:`Page`), one module per rule family (``doses``, ``naming``,
``abbreviations``, ``words``, ``claims``, ``pages``), ``suppression``, and ``linter``
(:func:`lint` runs the declared list of checks).

Suppression, on the line before (it covers its own line and the next non-blank line)
or for the whole page; the reason after "--" is required (MED090) and shows in JSON:

    <!-- medical-terms: disable MED050 -- quoted from the product label -->
    <!-- medical-terms: disable-file MED061 -- a summary table for clinicians -->
"""

from ivig_tools.terms.abbreviations import abbreviation_of
from ivig_tools.terms.config import (
    DEFAULT_CONFIG,
    Config,
    ConfigError,
    VocabularyEntry,
    load_config,
)
from ivig_tools.terms.linter import lint, speller_for
from ivig_tools.terms.pages import simple_front_matter

__all__ = [
    "DEFAULT_CONFIG",
    "Config",
    "ConfigError",
    "VocabularyEntry",
    "abbreviation_of",
    "lint",
    "load_config",
    "simple_front_matter",
    "speller_for",
]
