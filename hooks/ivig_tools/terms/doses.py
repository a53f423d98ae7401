"""MED001 to MED013: Do Not Use and error-prone abbreviations, and dose designations."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ivig_tools import mdmask
from ivig_tools.terms.engine import Page, gated_finditer

_NUM_LEFT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,/-")


# A number whose decimal part ends in zero: "1.0", "2.50", "1,000.00".
_TRAILING_ZERO_RE = re.compile(r"[\d,]*\.\d*0")
# The number in front of a compound unit's part ("mg/100 U").
_PART_NUMBER_RE = re.compile(r"[\d.,]+[ \t\u00a0]?")


def _group_thousands(num: str) -> str:
    whole, _, frac = num.partition(".")
    grouped = f"{int(whole):,}"
    return grouped + ("." + frac if frac else "")


def _without_trailing_zero(num: str) -> str:
    return num.rstrip("0").rstrip(".") or "0"


def unit_parts(unit: str) -> list[tuple[int, str]]:
    """(offset in ``unit``, unit) of each part of a compound unit: "mg/100 U" ->
    [(0, "mg"), (7, "U")]."""
    out = []
    pos = 0
    for i, part in enumerate(unit.split("/")):
        skip = 0
        if i:
            m = _PART_NUMBER_RE.match(part)
            skip = m.end() if m else 0
        out.append((pos + skip, part[skip:]))
        pos += len(part) + 1
    return out


def _number_left_ok(masked: str, start: int, currency: str) -> bool:
    """Whether a number starting at ``start`` stands alone: not inside a word, another
    number, a date or an identifier ("-" and "/" only between the numbers of a range),
    and not money ("$270")."""
    if not start:
        return True
    before = masked[start - 1]
    if before in currency:
        return False
    if before in _NUM_LEFT:
        return before in "/-" and start >= 2 and masked[start - 2].isdigit()
    return True


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
        if not _number_left_ok(masked, start, c.currency):
            continue
        num, sp, unit, dot = m.group("num", "sp", "unit", "dot")
        simple = "/" not in unit
        if simple and sp and not dot and unit in fine_units and len(num) < 4 and num.isdigit():
            continue  # "400 mg": the common case, nothing to check
        if simple and sp and not dot and unit in plain_units and num[0] != ".":
            whole = num.partition(".")[0]
            if not (len(whole) >= 4 and whole.isdigit()) and not _TRAILING_ZERO_RE.fullmatch(num):
                # "0.5 mg", "100,000 units": none of the checks below can fire (a unit
                # neither on the Do Not Use list nor a bad form, a space, no full stop,
                # no leading point, no trailing zero, no run of 1000 or more without
                # separators). Tested first because it is common.
                continue
        if not number_re.fullmatch(num):
            continue
        parts = unit_parts(unit)
        base = parts[0][1]
        if base == "g" and not sp and c.gauge_re.match(masked, m.end()):
            continue  # "25g needle": a gauge
        # The unit as it should be written: each part in the house form.
        good_unit = unit
        or_unit = unit
        dnu = []
        for off, part in reversed(parts):
            a, b = off, off + len(part)
            if part in c.dnu_after:
                e = c.dnu_after[part]
                dnu.append((off, part, e))
                good_unit = good_unit[:a] + e["write"] + good_unit[b:]
                or_unit = or_unit[:a] + (e.get("or") or e["write"]) + or_unit[b:]
            elif part in c.bad_units:
                good_unit = good_unit[:a] + c.bad_units[part] + good_unit[b:]
                or_unit = or_unit[:a] + c.bad_units[part] + or_unit[b:]
        good_base = good_unit.split("/", 1)[0]
        is_dose = good_base in c.dose_units and good_unit not in c.lab_units and good_base not in c.lab_units
        if dnu:
            for off, part, e in reversed(dnu):
                alt = f' (or "{num} {or_unit}")' if e.get("or") else ""
                at = m.start("unit") + off
                page.flagged.add(at)
                page.add(
                    at,
                    "MED001",
                    f'"{part}" after a number is on the Do Not Use list; write "{num} {good_unit}"{alt}',
                )
            # (The zeros are checked too: "1.0 U/kg" is twice dangerous.)
            _check_zeros(page, start, num, good_unit, is_dose=is_dose)
            continue
        if good_unit != unit:
            page.add(
                m.start("unit"), "MED011", f'write "{num} {good_unit}" instead of "{m.group(0).rstrip(".")}"'
            )
        if not sp:
            page.add(start, "MED010", f'put a space between number and unit: write "{num} {good_unit}"')
        _check_zeros(page, start, num, good_unit, is_dose=is_dose)
        if is_dose:
            whole = num.split(".")[0]
            if whole.isdigit() and int(whole) >= c.thousands_from and len(whole) >= 4:
                page.add(
                    start,
                    "MED013",
                    f'write "{_group_thousands(num)} {good_unit}" with a thousands separator',
                )
        if dot:
            page.add(m.start("dot"), "MED012", f'no full stop after a unit: write "{num} {good_unit}"')
    if "." in masked:
        _check_range_starts(page)


def _check_zeros(page: Page, start: int, num: str, unit: str, *, is_dose: bool, what: str = "") -> None:
    """MED003 (a dose's trailing zero) and MED004 (a missing leading zero)."""
    shown = what or f"{num} {unit}"
    if is_dose and _TRAILING_ZERO_RE.fullmatch(num):
        fixed = (
            what.replace(num, _without_trailing_zero(num), 1)
            if what
            else f"{_without_trailing_zero(num)} {unit}"
        )
        page.add(
            start,
            "MED003",
            f'trailing zero "{shown}" can be misread as ten times the dose; write "{fixed}"',
        )
    if num.startswith("."):
        fixed = what.replace(num, "0" + num, 1) if what else f"0{num} {unit}"
        page.add(start, "MED004", f'missing leading zero "{shown}" can be misread; write "{fixed}"')


def _check_range_starts(page: Page) -> None:
    """The first number of a range with a unit ("1.0-2 mg", ".5 to 1 mg/kg"): its zeros."""
    c = page.config.compiled
    masked = page.masked
    for m in c.range_re.finditer(masked):
        start = m.start()
        while start and (masked[start - 1].isdigit() or masked[start - 1] == ","):
            start -= 1
        num = masked[start : m.end()]
        if not c.number_re.fullmatch(num) or not _number_left_ok(masked, start, c.currency):
            continue
        unit = m.group("unit")
        base = unit_parts(unit)[0][1]
        base = c.bad_units.get(base, base)
        base = c.dnu_after[base]["write"] if base in c.dnu_after else base
        is_dose = base in c.dose_units and unit not in c.lab_units and base not in c.lab_units
        end = m.end("unit")
        _check_zeros(page, start, num, unit, is_dose=is_dose, what=masked[start:end])


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
