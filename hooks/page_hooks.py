"""MkDocs hooks for what a web reader sees on a page: thin adapters over ``hooks/ivig_tools``.

- ``on_page_content``: care cards get their level label and an anchor
  (:mod:`ivig_tools.carecards`); abbreviations keep their tooltip only at their first
  use on the page, never inside a heading, a link or a reference list
  (:mod:`ivig_tools.vocabulary`).
- ``on_page_markdown``: the About page's people and clinical sign-off, from
  ``extra.people`` in mkdocs.yml (:mod:`ivig_tools.people`).
- ``on_page_context``: the review line's dates (``page.meta["ivig_review"]``), from the
  page's ``reviewed`` date plus the one review interval of the medical-term lint
  (``review: max_age_months`` in hooks/data/medical_terms.yaml).

The theme partials under ``overrides/`` show them.
"""

from __future__ import annotations

import logging

from ivig_tools import carecards, people
from ivig_tools.terms import ConfigError, load_config
from ivig_tools.vocabulary import first_use_abbreviations
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.ivig_pages")


# --- start of MkDocs hooks ----------------------------------------------------------


def on_config(config):
    _review_interval()  # a broken rule file stops the build here, with one sentence
    _people(config)
    return config


def on_page_markdown(markdown, page, config, files):
    return people.fill_markers(markdown, _people(config))


@event_priority(-20)  # after the other hooks' content changes
def on_page_content(html, page, config, files):
    for kind in carecards.collapsed_cards(html):
        log.warning(
            f"{page.file.src_uri}: a '{kind}' care card is collapsible ('??? {kind}'), so its advice "
            f"is hidden until opened; write it as '!!! {kind}'"
        )
    html = carecards.render_care_cards(html)
    return first_use_abbreviations(html)


def on_page_context(context, page, config, nav):
    line = carecards.review_line(page.meta.get("reviewed"), _review_interval())
    page.meta["ivig_review"] = (
        {
            "reviewed_iso": line.reviewed.isoformat(),
            "reviewed": line.reviewed_display,
            "next_iso": line.next_due.isoformat(),
            "next": line.next_due_display,
            "meaning": carecards.REVIEW_MEANING,
        }
        if line
        else None
    )
    return context


# --- end of MkDocs hooks ------------------------------------------------------------


def _review_interval() -> int:
    try:
        rules = load_config()
    except ConfigError as exc:
        raise PluginError(f"hooks/page_hooks.py: {exc}") from None
    try:
        return carecards.review_interval_months(rules.data)
    except ValueError as exc:
        raise PluginError(f"{rules.path}: {exc}") from None


def _people(config) -> dict[str, list[str]]:
    try:
        return people.people_of(config.extra)
    except people.PeopleError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
