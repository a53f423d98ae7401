"""Care cards and review lines: plain HTML and date helpers for the web pages.

Nothing here imports MkDocs; ``hooks/page_hooks.py`` is the thin adapter.

Care cards
    Three custom admonition types, one per urgency level, as the NHS website has them::

        !!! emergency "Signs of a severe allergic reaction"
            ...

    :func:`render_care_cards` rewrites the HTML the ``admonition`` extension made for
    them: the level's label goes into the title as real text, before the author's
    title ("Emergency: call now" / "Signs of a severe allergic reaction"), so the level
    is never told by colour or icon alone, and the card gets an ``id`` (``care-`` plus
    the title) that other pages can link to. The icon comes from the stylesheet.

Review lines
    :func:`review_line` turns a page's ``reviewed`` date and the one review interval of
    the medical-term lint (``review: max_age_months`` in hooks/data/medical_terms.yaml)
    into the dates the page shows: last reviewed, next review due.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class CareLevel:
    kind: str  # the admonition type written after "!!!"
    label: str  # the visible text that says the level


CARE_LEVELS: dict[str, CareLevel] = {
    level.kind: level
    for level in (
        CareLevel("emergency", "Emergency: call now"),
        CareLevel("urgent", "Urgent: call your care team today"),
        CareLevel("next-visit", "Mention it at your next visit"),
    )
}

# What "reviewed" means on this site (issue 18): said on every review line.
REVIEW_MEANING = "checked against its sources by the editors"

# <div class="admonition emergency"> then its title paragraph, as Python-Markdown writes them.
_CARD = re.compile(
    r'<div class="admonition (?P<kind>[a-z-]+)(?P<more>(?: [^"]*)?)">\s*'
    r'<p class="admonition-title">(?P<title>.*?)</p>',
    re.DOTALL,
)
_DETAILS = re.compile(r'<details class="(?P<classes>[^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\bid="([^"]+)"')


def card_id(title_html: str) -> str:
    """``care-`` plus the title in lower-case ASCII with hyphens."""
    text = html.unescape(_TAG.sub("", title_html))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return "care-" + (slug or "card")


def render_care_cards(page_html: str) -> str:
    """Label every care card with its level and give it an anchor; other HTML unchanged.

    A card written without a title (``!!! urgent``) gets the label alone, since the
    extension's default title would only repeat the type name.
    """
    taken = set(_ID.findall(page_html))

    def replace(m: re.Match[str]) -> str:
        level = CARE_LEVELS.get(m.group("kind"))
        if level is None:
            return m.group(0)
        title = m.group("title").strip()
        default_title = level.kind.replace("-", " ").capitalize()
        untitled = html.unescape(_TAG.sub("", title)).replace("-", " ").strip().lower() in (
            default_title.lower(),
            level.kind,
        )
        base = card_id(level.label if untitled else title)
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        label = f'<span class="ivig-care__level">{html.escape(level.label)}</span>'
        heading = label if untitled else f'{label} <span class="ivig-care__title">{title}</span>'
        classes = f"admonition {level.kind}{m.group('more')} ivig-care ivig-care--{level.kind}"
        return f'<div class="{classes}" id="{anchor}">\n<p class="admonition-title">{heading}</p>'

    return _CARD.sub(replace, page_html)


def collapsed_cards(page_html: str) -> list[str]:
    """Care card types written as collapsible blocks (``??? emergency``), which hide the advice."""
    found = []
    for m in _DETAILS.finditer(page_html):
        found += [c for c in m.group("classes").split() if c in CARE_LEVELS]
    return found


# --- Review dates ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewLine:
    reviewed: dt.date
    next_due: dt.date

    @property
    def reviewed_display(self) -> str:
        return display_date(self.reviewed)

    @property
    def next_due_display(self) -> str:
        return display_date(self.next_due)


def review_interval_months(rule_data: dict[str, object]) -> int:
    """The review interval of the lint: ``review: max_age_months`` of the rule file."""
    review = rule_data.get("review") if isinstance(rule_data, dict) else None
    months = review.get("max_age_months") if isinstance(review, dict) else None
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise ValueError(
            f"review: max_age_months must be a whole number of months (1 or more), not {months!r}"
        )
    return months


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it is shorter (29 Feb -> 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def display_date(day: dt.date) -> str:
    """22 November 2026 (no leading zero, month in words: no day/month order to misread)."""
    return f"{day.day} {day:%B %Y}"


def as_date(value: object) -> dt.date | None:
    """A front-matter ``reviewed`` value as a date (YAML gives dates; strings are parsed)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def review_line(reviewed: object, interval_months: int) -> ReviewLine | None:
    """Last reviewed and next review due for a page, or None without a valid date."""
    day = as_date(reviewed)
    if day is None:
        return None
    return ReviewLine(day, add_months(day, interval_months))
