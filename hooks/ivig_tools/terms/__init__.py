"""The medical-term lint: Markdown text in, findings out.

    findings = lint(text, "docs/what-it-treats.md", load_config())

``lint`` is pure (no MkDocs, no file access beyond the cached word lists) and reports
positions in the source text, front matter included. The rule data lives in
``hooks/data/medical_terms.yaml``; each rule has a stable ID (MED001 ...) and each
message says what to write instead. See that file for the sources of the rules.

Rules (severity by default):

    MED001 error    Do Not Use abbreviation (U/IU after a number, q.d., q.o.d., MS in a dose, MSO4, MgSO4)
    MED002 warning  ISMP error-prone abbreviation (SC/SQ/subq, IN as a route, IJ, HS, qhs, TIW, D/C ...)
    MED003 error    trailing zero in a dose ("1.0 mg"; lab units such as g/L are exempt)
    MED004 error    missing leading zero (".5 mg")
    MED010 warning  number and unit run together ("400mg")
    MED011 warning  unit not in the house form (ml, cc -> mL; µg, ug -> mcg)
    MED012 warning  full stop after a unit inside a sentence ("10 mg. daily")
    MED013 warning  dose of 1,000 or more without a thousands separator
    MED020 warning  product name not in the house form IVIG (other forms only inside quotes)
    MED021 warning  immunoglobulin class not in its exact case (IgG, IgA, IgM, IgD, IgE, subclasses)
    MED022 warning  known misspelling (immunoglobin, Guillain Barre ...)
    MED023 warning  dated term (gamma globulin, immune serum globulin)
    MED024 warning  British spelling (haemolytic, recognise, centre ...): the house spelling is US English
    MED030 warning  abbreviation not expanded at its first use on the page (headings do not count)
    MED031 info     abbreviation expanded but not used again on the page
    MED040 warning  run-together words from scraping ("asantibodies")
    MED041 info     word in no dictionary (English list, medical words, hooks/data/words.txt)
    MED050 warning  absolute claim ("cures", "completely safe"; a negation just before is honest)
    MED051 warning  off-label use named outside a section that says "off-label"
    MED052 warning  a number a reader could act on ("12 weeks", "2 g/kg", "21%") in an `!!! unverified` box
    MED060 info     reading grade of the page (Flesch-Kincaid)
    MED061 warning  reading grade above the target for the page's `audience:` (patients: 8)
    MED070 error    no `reviewed:` date in the front matter
    MED071 warning  `reviewed:` older than the review age (24 months)
    MED072 error    `reviewed:` not a date, or in the future
    MED073 error    front matter is not valid YAML
    MED090 warning  suppression comment without a reason
    MED091 warning  suppression comment naming no rule or an unknown rule
    MED092 info     suppression comment that silenced nothing

Suppression, on the line before (it covers its own line and the next non-blank line)
or for the whole page; the reason after "--" is required (MED090) and shows in JSON:

    <!-- medical-terms: disable MED050 -- quoted from the product label -->
    <!-- medical-terms: disable-file MED061 -- a summary table for clinicians -->
"""

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
    "lint",
    "load_config",
    "simple_front_matter",
    "speller_for",
]
