"""The rule data compiled once per rule file: patterns, lookup tables, trigger tokens."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ivig_tools.terms.engine import (
    NUMBER,
    Alternative,
    Forms,
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
    from ivig_tools.spelling import Speller


@dataclass
class Compiled:
    """Everything compiled from the rule data once per rule file, plus what the checks
    learn about tokens while they run (kept for the next page of the same process)."""

    # MED001 (after a number), MED003, MED004, MED010 to MED013
    dnu_after: dict[str, dict[str, Any]]  # "U", "IU" -> their Do Not Use entry
    bad_units: dict[str, str]  # "ml" -> "mL"
    dose_units: set[str]
    lab_units: set[str]
    plain_dose_units: set[str]  # dose units neither on the Do Not Use list nor a bad form
    dose_re: re.Pattern[str]
    dose_split: list[re.Pattern[str]]  # dose_re, one pattern per first character
    range_re: re.Pattern[str]  # the first number of a range with a unit ("1.0-2 mg")
    number_re: re.Pattern[str]
    thousands_from: int
    gauge_re: re.Pattern[str]  # what makes "25g" a needle gauge ("25g needle")
    currency: str  # characters before a number that make it money ("$270 U.S.")
    # MED001, MED002 (words)
    abbr_forms: Forms
    # MED020 to MED024
    house: str
    house_bad: frozenset[str]
    ig_classes: dict[str, str]  # lower case -> exact case
    ig_bad: frozenset[str]
    misspellings: dict[str, str]
    dated: dict[str, str]
    naming_forms: Forms
    us_forms: Forms
    # MED050 to MED052
    negatable: set[str]
    claims_forms: Forms
    offlabel_forms: Forms
    section_words_re: re.Pattern[str]
    unverified_type: str
    actionable_re: re.Pattern[str]
    # MED040, MED041
    function_words: tuple[str, ...]
    hunspell: tuple[str, ...]
    # Learnt while linting: tokens already classified as abbreviations (or not), and the
    # word lists, loaded on first use.
    abbr_seen: set[str] = field(default_factory=set)
    abbr_positive: dict[str, str] = field(default_factory=dict)
    speller: Speller | None = None


def _phrase_forms(forms: Iterable[str], payload: Callable[[str], Any] = str) -> list[Alternative]:
    """One case-blind phrase form per distinct phrase, longest first (a longer phrase wins
    over a phrase inside it), each carrying ``payload(phrase)``."""
    return [
        Alternative(tuple(phrase_branches(f, ignore_case=True)), triggers(f, ignore_case=True), payload(f))
        for f in sorted(set(forms), key=len, reverse=True)
    ]


def compile_config(data: dict[str, Any]) -> Compiled:
    """Compile the (validated) rule data."""
    d = data
    doses = d["doses"]
    units = list(doses["units"])
    bad_units = dict(doses["unit_forms"]["forms"])
    dnu_after: dict[str, dict[str, Any]] = {}
    for e in d["do_not_use"]["entries"]:
        if e.get("gate") == "after_number":
            for f in e["forms"]:
                dnu_after[f] = e
    dose_units = set(units)
    lab_units = set(doses.get("lab_units") or ())
    # Dose units that are neither on the Do Not Use list nor another unit's bad form.
    plain_dose_units = dose_units - set(dnu_after) - set(bad_units)
    all_units = set(units) | set(bad_units) | set(dnu_after)
    per_units = set(doses.get("per_units") or ()) | all_units
    # A unit, and any "/" parts after it: "U/kg/h", "mcg/kg/min", "mg/100 U".
    unit_re = rf"(?:{alt(all_units)})(?:/(?:{NUMBER}[ \t\u00a0]?)?(?:{alt(per_units)}))*"
    # Starts with a digit or a point (fast to find); the left boundary comes after the
    # first character, and a plainly fine dose ("400 mg": 1-999, a space, a house unit,
    # no full stop inside the sentence) does not match at all, so only doubtful ones
    # reach Python.
    fine = rf"(?!(?<=[1-9])\d{{0,2}}[ \t]+(?:{alt(units)})(?![\w/])(?!\.[ \t]+[a-z0-9]))"
    dose = (
        # (After a "-" or "/" only in a range: "0.5-1.0 mg/kg", "0.5/1.0 mg".)
        rf"(?P<num>FIRST(?<![\w.,].)(?<![^\d][/-].){fine}[\d,.]*)(?P<sp>[ \t\u00a0]*)(?P<unit>{unit_re})"
        # (Not "U.S.": a full stop then a letter is an abbreviation, not the unit.)
        r"(?P<dot>\.(?=[ \t]+[a-z0-9]))?(?![\w/])(?!\.[^\W\d_])"
    )
    dose_re = re.compile(dose.replace("FIRST", r"[.\d]", 1))
    # The same, one pattern per first character (fast to find, see mdmask.merged_finditer);
    # for pages without other digits than 0-9 (see check_doses).
    dose_split = [re.compile(dose.replace("FIRST", re.escape(ch), 1)) for ch in ".0123456789"]
    # A range's first number that has a point (only such a number can have a trailing
    # zero or lack a leading one): found from its point, the digits before it read in
    # Python. The second number is a dose of its own (dose_re).
    range_re = re.compile(
        r"\.\d+(?=[ \t\u00a0]*(?:-|\u2013|\u2014|/|[ \t\u00a0]to[ \t\u00a0])[ \t\u00a0]*"
        rf"{NUMBER}[ \t\u00a0]*(?P<unit>{unit_re})(?![\w/]))"
    )
    number_re = re.compile(NUMBER)
    thousands_from = int(doses["thousands"].get("from", 1000))
    gauge_words = doses.get("gauge_words") or ()
    gauge_re = re.compile(rf"[ \t\u00a0-]*(?:{alt(gauge_words)})\b" if gauge_words else r"(?!)")
    currency = str(doses.get("currency") or "")

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

    naming = d["naming"]
    house = naming["house_form"]["write"]
    house_lower = {f.lower() for f in naming["house_form"]["forms"]} | {house.lower()}
    house_bad = frozenset(v for w in house_lower for v in case_variants(w)) - {house}
    ig_classes = {x.lower(): x for x in naming["ig_classes"]["exact_case"]}
    ig_bad = frozenset(v for w in ig_classes for v in case_variants(w)) - set(ig_classes.values())
    misspellings = {" ".join(k.lower().split()): v for k, v in naming["misspellings"]["forms"].items()}
    dated = {" ".join(k.lower().split()): v for k, v in naming["dated_terms"]["forms"].items()}
    naming_alts = [
        *_phrase_forms(misspellings, lambda f: ("MED022", misspellings[f])),
        *_phrase_forms(dated, lambda f: ("MED023", dated[f])),
    ]
    us: dict[str, str] = {}
    for family in (naming.get("us_spelling") or {}).get("families") or ():
        for british, american in family.items():
            us[str(british).lower()] = str(american)
    us_alts = _phrase_forms(us, us.__getitem__)

    claims = d["claims"]
    negatable = {" ".join(x.lower().split()) for x in claims.get("negatable") or ()}
    claims_alts = _phrase_forms([*(claims.get("negatable") or ()), *(claims.get("absolute") or ())])
    ind = d["indications"]
    offlabel_alts = _phrase_forms(ind["off_label"])
    section_words_re = re.compile(
        r"(?i:" + "|".join(phrase(w) for w in ind.get("section_words") or ["off-label"]) + ")"
    )
    uc = d.get("unverified_claims") or {}
    unverified_type = str(uc.get("admonition", "unverified"))
    actionable_units = [str(u) for group in (uc.get("units") or {}).values() for u in group]
    words = [str(w) for w in uc.get("number_words") or ()]
    number = rf"(?:{NUMBER}|(?i:{alt(words)})\b)" if words else NUMBER
    unit = rf"(?:%|[ \t\u00a0]*(?:percent|per[ \t]+cent)\b|[ \t\u00a0-]*(?:{alt(actionable_units)})(?![\w/]))"
    actionable_re = re.compile(
        rf"(?<![\w.,/]){number}(?:[ \t\u00a0]*(?:to|or|and|-|\u2013)[ \t\u00a0]*{number})?{unit}"
        rf"|(?<![\w.,/]){NUMBER}[ \t\u00a0]+in[ \t\u00a0]+{NUMBER}(?![\w.,]\d)"
    )
    sp = d["spelling"]
    function_words = tuple(sp.get("function_words") or ())
    hunspell = tuple(sp.get("hunspell") or ())
    return Compiled(
        dnu_after=dnu_after,
        bad_units=bad_units,
        dose_units=dose_units,
        lab_units=lab_units,
        plain_dose_units=plain_dose_units,
        dose_re=dose_re,
        dose_split=dose_split,
        range_re=range_re,
        number_re=number_re,
        thousands_from=thousands_from,
        gauge_re=gauge_re,
        currency=currency,
        abbr_forms=Forms(alts),
        house=house,
        house_bad=house_bad,
        ig_classes=ig_classes,
        ig_bad=ig_bad,
        misspellings=misspellings,
        dated=dated,
        naming_forms=Forms(naming_alts),
        us_forms=Forms(us_alts),
        negatable=negatable,
        claims_forms=Forms(claims_alts),
        offlabel_forms=Forms(offlabel_alts),
        section_words_re=section_words_re,
        unverified_type=unverified_type,
        actionable_re=actionable_re,
        function_words=function_words,
        hunspell=hunspell,
    )
