"""The shape of ``hooks/data/medical_terms.yaml``, checked every time it is loaded.

Every mapping has a closed set of keys (a misspelt key is an error, not a silent
default), gates and severities are closed sets, each rule group names the one rule ID
its data is for, and every ID in the ``rules:`` table is a registered rule.
"""

from __future__ import annotations

from typing import Any

from ivig_tools.schema import (
    Boolean,
    Integer,
    ListOf,
    MapOf,
    Optional,
    Path_,
    Problem,
    Record,
    Schema,
    SeverityValue,
    Text,
)
from ivig_tools.terms.rules import MED_RULES

GATES = ("after_number", "route", "dose", "word", "any_case")


def _rule(rule_id: str) -> Text:
    return Text(choices=(rule_id,))


TEXT = Text()
TEXTS = ListOf(TEXT, unique=True)
SOURCE = {"source": TEXT}
WORD_MAP = MapOf(TEXT, TEXT)


def _entry(*, meaning: bool) -> Record:
    required: dict[str, Schema] = {"forms": TEXTS, "write": TEXT, "gate": Text(choices=GATES)}
    optional: dict[str, Schema] = {"or": TEXT, "note": TEXT}
    (required if meaning else optional)["meaning"] = TEXT
    return Record(required, optional)


def _example(rule_id: str, **more: Schema) -> Record:
    return Record({"rule": _rule(rule_id), "example": TEXT, "write": TEXT}, {"note": TEXT, **more})


def _default_audience_has_a_target(value: dict[str, Any], where: Path_, out: list[Problem]) -> None:
    if value["default_audience"] not in value["targets"]:
        out.append(((*where, "default_audience"), "names no audience listed under `targets`"))


def _vocabulary_entry(value: dict[str, Any], where: Path_, out: list[Problem]) -> None:
    if not (value.get("definition") or value.get("see")):
        out.append((where, "needs a `definition` (or `see`)"))
    if not (value.get("abbr") or value.get("term")):
        out.append((where, "needs an `abbr` or a `term`"))
    if value.get("abbr") and not value.get("expansion"):
        out.append((where, f"{value['abbr']!r} needs an `expansion`"))


MEDICAL_TERMS_SCHEMA = Record(
    required={
        "version": Integer(minimum=1),
        "rules": MapOf(Text(choices=tuple(MED_RULES.rules)), SeverityValue(), non_empty=False),
        "do_not_use": Record({**SOURCE, "rule": _rule("MED001"), "entries": ListOf(_entry(meaning=True))}),
        "zeros": Record({**SOURCE, "trailing_zero": _example("MED003"), "leading_zero": _example("MED004")}),
        "error_prone": Record({**SOURCE, "rule": _rule("MED002"), "entries": ListOf(_entry(meaning=False))}),
        "doses": Record(
            {
                **SOURCE,
                "units": TEXTS,
                "lab_units": TEXTS,
                "run_together": _example("MED010"),
                "unit_forms": Record({"rule": _rule("MED011"), "forms": WORD_MAP}),
                "period_after_unit": _example("MED012"),
                "thousands": _example("MED013", **{"from": Integer(minimum=1)}),
            },
            {"per_units": TEXTS, "gauge_words": TEXTS, "currency": TEXT},
        ),
        "naming": Record(
            {
                **SOURCE,
                "house_form": Record({"rule": _rule("MED020"), "write": TEXT, "forms": TEXTS}),
                "ig_classes": Record({"rule": _rule("MED021"), "exact_case": TEXTS}),
                "misspellings": Record({"rule": _rule("MED022"), "forms": WORD_MAP}, SOURCE),
                "dated_terms": Record({"rule": _rule("MED023"), "forms": WORD_MAP}),
                "us_spelling": Record({**SOURCE, "rule": _rule("MED024"), "families": ListOf(WORD_MAP)}),
            }
        ),
        "abbreviations": Record(
            {**SOURCE, "rule": _rule("MED030"), "unused_rule": _rule("MED031"), "allowlist": TEXTS}
        ),
        "spelling": Record(
            {**SOURCE, "function_words": TEXTS, "medical_words": TEXTS},
            {
                "words_file": TEXT,
                "hunspell": ListOf(TEXT, non_empty=False),
                "prefixes": Record({**SOURCE, "forms": TEXTS}),
                "drug_stems": Record({**SOURCE, "forms": TEXTS}),
            },
        ),
        "claims": Record(
            {**SOURCE, "rule": _rule("MED050"), "negatable": TEXTS, "absolute": TEXTS, "write": TEXT}
        ),
        "indications": Record(
            {
                **SOURCE,
                "rule": _rule("MED051"),
                "us_labelled": TEXTS,
                "eu_core_smpc": TEXTS,
                "off_label": TEXTS,
                "section_words": TEXTS,
            }
        ),
        "unverified_claims": Record(
            {
                **SOURCE,
                "rule": _rule("MED052"),
                "admonition": TEXT,
                "units": MapOf(TEXT, TEXTS),
                "number_words": TEXTS,
            }
        ),
        "readability": Record(
            {
                **SOURCE,
                "grade_rule": _rule("MED060"),
                "rule": _rule("MED061"),
                "targets": MapOf(TEXT, Optional(Integer(minimum=1))),
                "default_audience": TEXT,
                "min_words": Integer(minimum=1),
            },
            check_also=_default_audience_has_a_target,
        ),
        "review": Record({**SOURCE, "key": TEXT, "max_age_months": Integer(minimum=1)}),
        "suppression": Record({"require_reason": Boolean()}),
        "vocabulary": ListOf(
            Record(
                {},
                {
                    "abbr": TEXT,
                    "expansion": TEXT,
                    "also": TEXTS,
                    "term": TEXT,
                    "definition": TEXT,
                    "see": TEXT,
                },
                check_also=_vocabulary_entry,
            )
        ),
    },
    optional={"exclude": ListOf(TEXT, non_empty=False)},
)
