"""MED001 to MED013: Do Not Use and error-prone abbreviations, and dose designations."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ivig_tools import mdmask
from ivig_tools.terms.engine import Page, gated_finditer

_NUM_LEFT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,/-")


_TRAILING_ZERO_RE = re.compile(r"[\d,]+\.0+")


def _group_thousands(num: str) -> str:
    whole, _, frac = num.partition(".")
    grouped = f"{int(whole):,}"
    return grouped + ("." + frac if frac else "")


def check_doses(page: Page) -> None:
    c = page.config.compiled
    masked = page.masked
    number_re = c.number_re
    fine_units = c.dose_units
    plain_units = c.plain_dose_units
    # "\d" also matches other scripts' digits; no such digit is below U+0100, so a page
    # that Latin-1 can encode needs only the ASCII digits.
    try:
        masked.encode("latin-1")
        matches: Iterable[re.Match[str]] = mdmask.merged_finditer(c.dose_split, masked)
    except UnicodeEncodeError:
        matches = c.dose_re.finditer(masked)
    for m in matches:
        start = m.start()
        if start and masked[start - 1] in _NUM_LEFT:
            continue
        num, sp, unit, dot = m.group("num", "sp", "unit", "dot")
        if sp and not dot and unit in fine_units and len(num) < 4 and num.isdigit():
            continue  # "400 mg": the common case, nothing to check
        if sp and not dot and unit in plain_units and num[0] != ".":
            whole = num.partition(".")[0]
            if not (len(whole) >= 4 and whole.isdigit()) and not _TRAILING_ZERO_RE.fullmatch(num):
                # "0.5 mg", "100,000 units": none of the checks below can fire (a unit
                # neither on the Do Not Use list nor a bad form, a space, no full stop,
                # no leading point, no trailing zero, no run of 1000 or more without
                # separators). Tested first because it is common.
                continue
        if not number_re.fullmatch(num):
            continue
        good_unit = unit
        if unit in c.dnu_after:
            e = c.dnu_after[unit]
            alt = f' (or "{num} {e["or"]}")' if e.get("or") else ""
            page.flagged.add(m.start("unit"))
            page.add(
                m.start("unit"),
                "MED001",
                f'"{unit}" after a number is on the Do Not Use list; write "{num} {e["write"]}"{alt}',
            )
            continue
        if unit in c.bad_units:
            good_unit = c.bad_units[unit]
            page.add(
                m.start("unit"), "MED011", f'write "{num} {good_unit}" instead of "{m.group(0).rstrip(".")}"'
            )
        if not sp:
            page.add(start, "MED010", f'put a space between number and unit: write "{num} {good_unit}"')
        if good_unit in c.dose_units and good_unit not in c.lab_units:
            if _TRAILING_ZERO_RE.fullmatch(num):
                fixed = num.split(".")[0]
                page.add(
                    start,
                    "MED003",
                    f'trailing zero "{num} {good_unit}" can be misread as ten times the dose; '
                    f'write "{fixed} {good_unit}"',
                )
            whole = num.split(".")[0]
            if whole.isdigit() and int(whole) >= c.thousands_from and len(whole) >= 4:
                page.add(
                    start,
                    "MED013",
                    f'write "{_group_thousands(num)} {good_unit}" with a thousands separator',
                )
        if num.startswith("."):
            page.add(
                start,
                "MED004",
                f'missing leading zero "{num} {good_unit}" can be misread; write "0{num} {good_unit}"',
            )
        if dot:
            page.add(m.start("dot"), "MED012", f'no full stop after a unit: write "{num} {good_unit}"')


def check_abbreviation_forms(page: Page) -> None:
    for m, alt in gated_finditer(page.config.compiled.abbr_forms, page.tokens, page.masked):
        rule, e, form = alt.payload
        found = m.group(0)
        start = m.start()
        if e.get("gate") in ("route", "dose") and found.endswith(form):
            start, found = m.end() - len(form), form
        other = f' (or "{e["or"]}")' if e.get("or") else ""
        if rule == "MED001":
            msg = f'"{found}" ({e["meaning"]}) is on the Do Not Use list; write "{e["write"]}"{other}'
        else:
            msg = f'"{found}" is an error-prone abbreviation (ISMP); write "{e["write"]}"{other}'
        page.add(start, rule, msg)
        page.flagged.add(start)
