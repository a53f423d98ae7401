"""``lint``: one page through every check of the medical-term lint, in a declared order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ivig_tools import mdmask, readability, spelling
from ivig_tools.findings import Finding
from ivig_tools.terms.abbreviations import check_abbreviations
from ivig_tools.terms.claims import check_claims, check_off_label, check_unverified_numbers
from ivig_tools.terms.config import Config, load_config
from ivig_tools.terms.doses import check_abbreviation_forms, check_doses
from ivig_tools.terms.engine import Page, heading_lines
from ivig_tools.terms.naming import check_naming, check_us_spelling
from ivig_tools.terms.pages import check_readability, check_review, read_front_matter
from ivig_tools.terms.suppression import apply_suppressions, find_directives
from ivig_tools.terms.words import check_spelling

Check = Callable[[Page], None]

# Every check, in the order it runs. The order matters in two places:
# - read_front_matter first: check_readability and check_review read what it found;
# - the form rules (doses, abbreviation forms, naming, US spelling) before
#   check_abbreviations and check_spelling: a word a form rule reported is marked in
#   ``page.flagged`` and not reported again as an abbreviation or a misspelling.
# Suppression comments are applied after all of them (see lint).
CHECKS: tuple[Check, ...] = (
    read_front_matter,  # MED073
    check_doses,  # MED001 (after a number), MED003, MED004, MED010 to MED013
    check_abbreviation_forms,  # MED001, MED002
    check_naming,  # MED020 to MED023
    check_us_spelling,  # MED024
    check_claims,  # MED050
    check_unverified_numbers,  # MED052
    check_off_label,  # MED051
    check_abbreviations,  # MED030, MED031
    check_spelling,  # MED040, MED041
    check_readability,  # MED060, MED061
    check_review,  # MED070 to MED072
)


def speller_for(config: Config) -> spelling.Speller:
    """The word lists of this rule file, loaded once per process."""
    c = config.compiled
    if c.speller is None:
        english = spelling.english_words(c.hunspell)
        sp = config.data["spelling"]
        c.speller = spelling.Speller(
            english,
            config.extra_words,
            c.function_words,
            prefixes=(sp.get("prefixes") or {}).get("forms") or (),
            drug_stems=(sp.get("drug_stems") or {}).get("forms") or (),
        )
    return c.speller


def lint(
    text: str, path: str, config: Config | None = None, *, today: dt.date | None = None
) -> list[Finding]:
    """All findings for one Markdown page (suppressed ones marked), sorted by position."""
    config = config or load_config()
    # A byte order mark is not part of the page (editors show no column for it): without
    # this, the front matter would not start the page and "reviewed:" would go unseen.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    masked = mdmask.prose_mask(text)
    stats, skipped = readability.page_stats(masked)
    page = Page(
        text,
        masked,
        path,
        config,
        mdmask.LineIndex(text),
        today=today or dt.date.today(),
        stats=stats,
        skipped_stats=skipped,
        speller=speller_for(config),
        headings=heading_lines(masked),
        tokens=stats.tokens,
    )
    for check in CHECKS:
        check(page)
    findings = apply_suppressions(page, find_directives(page))
    return sorted(findings, key=Finding.sort_key)
