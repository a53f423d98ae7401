"""The rule data compiled once per rule file: patterns, lookup tables, trigger tokens."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ivig_tools.terms.engine import (
    NUMBER,
    Alternative,
    alt,
    case_variants,
    digit_branches,
    lead,
    loose,
    phrase,
    phrase_branches,
    triggers,
)

if TYPE_CHECKING:
    from ivig_tools.terms.config import Config


def compile_config(config: Config) -> None:
    d = config.data
    c = config.compiled
    doses = d["doses"]
    units = list(doses["units"])
    bad_units = dict(doses["unit_forms"]["forms"])
    dnu_after = {}
    for e in d["do_not_use"]["entries"]:
        if e.get("gate") == "after_number":
            for f in e["forms"]:
                dnu_after[f] = e
    c["dnu_after"] = dnu_after
    c["bad_units"] = bad_units
    c["dose_units"] = set(units)
    c["lab_units"] = set(doses.get("lab_units") or ())
    # Dose units that are neither on the Do Not Use list nor another unit's bad form.
    c["plain_dose_units"] = c["dose_units"] - set(dnu_after) - set(bad_units)
    all_units = set(units) | set(bad_units) | set(dnu_after)
    # Starts with a digit or a point (fast to find); the left boundary comes after the
    # first character, and a plainly fine dose ("400 mg": 1-999, a space, a house unit,
    # no full stop inside the sentence) does not match at all, so only doubtful ones
    # reach Python.
    fine = rf"(?!(?<=[1-9])\d{{0,2}}[ \t]+(?:{alt(units)})(?![\w/])(?!\.[ \t]+[a-z0-9]))"
    dose = (
        rf"(?P<num>FIRST(?<![\w.,/-].){fine}[\d,.]*)(?P<sp>[ \t\u00a0]*)(?P<unit>{alt(all_units)})"
        r"(?P<dot>\.(?=[ \t]+[a-z0-9]))?(?![\w/])"
    )
    c["dose_re"] = re.compile(dose.replace("FIRST", r"[.\d]", 1))
    # The same, one pattern per first character (fast to find, see mdmask.merged_finditer);
    # for pages without other digits than 0-9 (see check_doses).
    c["dose_split"] = [re.compile(dose.replace("FIRST", re.escape(ch), 1)) for ch in ".0123456789"]
    c["number_re"] = re.compile(NUMBER)
    c["thousands_from"] = int(doses["thousands"].get("from", 1000))

    # Abbreviations from the Do Not Use and error-prone lists.
    alts: list[Alternative] = []
    dose_words = alt(["mL", "mg", "mcg", "g", "units", "unit", "doses", "dose", "sprays", "spray", "puffs"])
    route_words = ["given", "route", "administered", "delivered"]
    for group, rule in (("do_not_use", "MED001"), ("error_prone", "MED002")):
        for e in d[group]["entries"]:
            gate = e.get("gate", "word")
            if gate == "after_number":
                continue
            for form in e["forms"]:
                esc = re.escape(form)
                head, tail = re.escape(form[0]), re.escape(form[1:])
                if gate == "any_case":
                    loose_form = loose(form)
                    rest = loose_form[len(head) :] + r"(?![\w/])"
                    branches = lead(rest, form[0], ignore_case=True, left=r"[\w/.]")
                elif gate == "route":
                    end = rf"[ \t]+{esc}(?![\w/-])"
                    branches = [rf"{re.escape(w[0])}(?<![\w.].){re.escape(w[1:])}{end}" for w in route_words]
                    branches += digit_branches(rf"[ \t]?(?:{dose_words}){end}")
                elif gate == "dose":
                    branches = [rf"{head}(?<![\w/.-].){tail}(?=[ \t]*\d)(?![\w/-])"]
                    branches += digit_branches(rf"[ \t]?(?:mg|mcg|g|mL)[ \t]+(?:of[ \t]+)?{esc}(?![\w/-])")
                else:
                    branches = [rf"{head}(?<![\w/.-].){tail}(?![\w/-])"]
                alts.append(
                    Alternative(
                        tuple(branches), triggers(form, ignore_case=gate == "any_case"), (rule, e, form)
                    )
                )
    c["abbr_alts"] = alts

    naming = d["naming"]
    house = naming["house_form"]["write"]
    c["house"] = house
    house_lower = {f.lower() for f in naming["house_form"]["forms"]} | {house.lower()}
    c["house_bad"] = frozenset(v for w in house_lower for v in case_variants(w)) - {house}
    c["ig_classes"] = {x.lower(): x for x in naming["ig_classes"]["exact_case"]}
    c["ig_bad"] = frozenset(v for w in c["ig_classes"] for v in case_variants(w)) - set(
        c["ig_classes"].values()
    )
    c["misspellings"] = {" ".join(k.lower().split()): v for k, v in naming["misspellings"]["forms"].items()}
    c["dated"] = {" ".join(k.lower().split()): v for k, v in naming["dated_terms"]["forms"].items()}
    naming_alts = []
    for rule, table in (("MED022", c["misspellings"]), ("MED023", c["dated"])):
        for form in sorted(table, key=len, reverse=True):
            naming_alts.append(
                Alternative(
                    tuple(phrase_branches(form, ignore_case=True)),
                    triggers(form, ignore_case=True),
                    (rule, table[form]),
                )
            )
    c["naming_alts"] = naming_alts
    us: dict[str, str] = {}
    for family in (naming.get("us_spelling") or {}).get("families") or ():
        for british, american in family.items():
            us[str(british).lower()] = str(american)
    c["us_alts"] = [
        Alternative(tuple(phrase_branches(f, ignore_case=True)), triggers(f, ignore_case=True), us[f])
        for f in sorted(us, key=len, reverse=True)
    ]

    claims = d["claims"]
    c["negatable"] = {" ".join(x.lower().split()) for x in claims.get("negatable") or ()}
    all_claims = list(claims.get("negatable") or ()) + list(claims.get("absolute") or ())
    c["claims_alts"] = [
        Alternative(tuple(phrase_branches(f, ignore_case=True)), triggers(f, ignore_case=True), f)
        for f in sorted(set(all_claims), key=len, reverse=True)
    ]
    ind = d["indications"]
    c["offlabel_alts"] = [
        Alternative(tuple(phrase_branches(f, ignore_case=True)), triggers(f, ignore_case=True), f)
        for f in sorted(set(ind["off_label"]), key=len, reverse=True)
    ]
    c["section_words_re"] = re.compile(
        r"(?i:" + "|".join(phrase(w) for w in ind.get("section_words") or ["off-label"]) + ")"
    )
    uc = d.get("unverified_claims") or {}
    c["unverified_type"] = str(uc.get("admonition", "unverified"))
    units = [str(u) for group in (uc.get("units") or {}).values() for u in group]
    words = [str(w) for w in uc.get("number_words") or ()]
    number = rf"(?:{NUMBER}|(?i:{alt(words)})\b)" if words else NUMBER
    unit = rf"(?:%|[ \t\u00a0]*(?:percent|per[ \t]+cent)\b|[ \t\u00a0-]*(?:{alt(units)})(?![\w/]))"
    c["actionable_re"] = re.compile(
        rf"(?<![\w.,/]){number}(?:[ \t\u00a0]*(?:to|or|and|-|\u2013)[ \t\u00a0]*{number})?{unit}"
        rf"|(?<![\w.,/]){NUMBER}[ \t\u00a0]+in[ \t\u00a0]+{NUMBER}(?![\w.,]\d)"
    )
    sp = d["spelling"]
    c["function_words"] = tuple(sp.get("function_words") or ())
    c["hunspell"] = tuple(sp.get("hunspell") or ())
