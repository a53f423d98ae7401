"""Whole-page rules: front matter (MED073), reading grade (MED060, MED061) and review date
(MED070 to MED072)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ivig_tools import mdmask, readability
from ivig_tools.terms.config import yaml_module
from ivig_tools.terms.engine import Page

# Front matter made only of `key: plain text` lines (and `reviewed: YYYY-MM-DD`) reads the
# same with or without YAML; anything else (quotes, lists, blocks, ": " or " #" inside a
# value, other dates) goes to the YAML loader.
_SIMPLE_LINE_RE = re.compile(r"([A-Za-z_][\w-]*):[ \t]+([^\s\[\]{}*&!|>%@`\"'#,?:-][^\n]*)")


_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "~"})


def simple_front_matter(body: str) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    for line in body.split("\n"):
        if not line.strip():
            continue
        m = _SIMPLE_LINE_RE.fullmatch(line.rstrip())
        if not m:
            return None
        key, value = m.group(1), m.group(2).strip()
        if ": " in value or " #" in value or value.endswith(":") or value.lower() in _YAML_WORDS:
            return None
        if value[0].isdigit():
            if not _ISO_DATE_RE.fullmatch(value):
                return None  # numbers and other dates: as YAML reads them
            try:
                data[key] = dt.date.fromisoformat(value)
            except ValueError:
                return None
            continue
        if key in data:
            return None
        data[key] = value
    return data


def _front_matter(page: Page) -> tuple[dict[str, Any] | None, int]:
    """The front matter as a mapping ({} without one), or None when it is not valid."""
    end = mdmask.front_matter_end(page.text)
    if not end:
        return {}, 0
    body = page.text[:end]
    body = body[body.index("\n") + 1 :]
    body = body[: body.rstrip().rfind("\n") + 1] if body.rstrip().endswith("---") else body
    simple = simple_front_matter(body)
    if simple is not None:
        return simple, end
    yaml, loader = yaml_module()
    try:
        data = yaml.load(body, Loader=loader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        offset = 0
        if mark is not None:
            offset = page.text.index("\n") + 1
            for _ in range(mark.line):
                offset = page.text.index("\n", offset) + 1
        page.add(offset, "MED073", f"front matter is not valid YAML ({getattr(exc, 'problem', exc)}); fix it")
        return None, end
    if not isinstance(data, dict):
        page.add(0, "MED073", "front matter must be a YAML mapping (key: value lines)")
        return None, end
    return data, end


def _key_offset(text: str, end: int, key: str) -> int:
    m = re.search(rf"^{re.escape(key)}[ \t]*:", text[:end], re.MULTILINE)
    return m.start() if m else 0


def _add_months(day: dt.date, months: int) -> dt.date:
    y, mth = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, mth + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def read_front_matter(page: Page) -> None:
    """Read the front matter into the page (MED073 when it is not valid YAML)."""
    page.front_matter, page.front_matter_end = _front_matter(page)


def check_review(page: Page) -> None:
    fm, fm_end, today = page.front_matter, page.front_matter_end, page.today
    if fm is None:
        return  # not valid YAML: MED073 says so
    rv = page.config.data["review"]
    key = rv.get("key", "reviewed")
    months = int(rv.get("max_age_months", 24))
    if key not in fm or fm[key] in (None, ""):
        page.add(0, "MED070", f"no `{key}:` date in the front matter; add `{key}: YYYY-MM-DD` after a review")
        return
    value = fm[key]
    offset = _key_offset(page.text, fm_end, key)
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            page.add(offset, "MED072", f"`{key}: {fm[key]}` is not a date; write `{key}: YYYY-MM-DD`")
            return
    if value > today:
        page.add(offset, "MED072", f"`{key}: {value}` is in the future; write the date of the last review")
    elif _add_months(value, months) < today:
        page.add(
            offset,
            "MED071",
            f"`{key}: {value}` is older than {months} months; review the page and update `{key}:`",
        )


def check_readability(page: Page) -> None:
    fm, stats = page.front_matter or {}, page.stats
    rd = page.config.data["readability"]
    g = readability.flesch_kincaid(page.masked, stats, page.skipped_stats)
    if g.words < int(rd.get("min_words", 100)):
        return
    audience = str(fm.get("audience") or rd.get("default_audience", "patients"))
    targets = rd.get("targets") or {}
    target = targets.get(audience, targets.get(rd.get("default_audience", "patients"), 9))
    offset = mdmask.front_matter_end(page.text)
    tgt = f"target {target} for {audience}" if target is not None else f"no target for {audience}"
    page.add(
        offset,
        "MED060",
        f"reading grade {g.grade} (Flesch-Kincaid: {g.words} words, {g.sentences} sentences), {tgt}",
        grade=g.grade,
    )
    if target is not None and g.grade > float(target):
        page.add(
            offset,
            "MED061",
            f"reading grade {g.grade} is above the target {target} for {audience}: "
            "write shorter sentences and everyday words (or set `audience:` in the front matter)",
            grade=g.grade,
        )
