"""One registry per checker: every rule's ID, default severity, summary and fix, in one place.

    MED_RULES = Registry("medical-terms", [Rule("MED001", "error", "A ...", "write the word")], ...)

The code emits findings by rule ID; the severity a finding gets is the registry's, unless
the checker's rule file overrides it (``rules:`` in ``hooks/data/medical_terms.yaml`` and
``hooks/data/doi_check.yaml``; ``off`` turns a rule off). The rule tables in
CONTRIBUTING.md are generated from the registries (``scripts/rule_tables.py``), and tests
check that every ID the code can emit is registered and every registered ID is emitted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Final, Literal

from ivig_tools.findings import SEVERITIES, Finding, Severity

SeveritySetting = Literal["error", "warning", "info", "off"]
SEVERITY_SETTINGS: Final[tuple[SeveritySetting, ...]] = ("error", "warning", "info", "off")
RULE_ID_RE: Final = re.compile(r"^[A-Z]{3}\d{3}$")


@dataclass(frozen=True)
class Rule:
    """A rule: stable ID, default severity, what it reports and what to write instead."""

    id: str
    severity: Severity
    summary: str
    fix: str = ""

    def __post_init__(self) -> None:
        if not RULE_ID_RE.match(self.id):
            raise ValueError(f"Unexpected rule ID: {self.id!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.id}: unexpected severity {self.severity!r}")
        if not self.summary or self.summary.endswith(".") or self.fix.endswith("."):
            raise ValueError(f"{self.id}: summary and fix are clauses without a final full stop")

    def meaning(self) -> str:
        """The "Meaning and fix" cell of the rule tables."""
        return f"{self.summary}: {self.fix}." if self.fix else f"{self.summary}."


class Registry:
    """The rules of one checker, in ID order, and the severities in force."""

    def __init__(
        self,
        name: str,
        rules: Iterable[Rule],
        families: Iterable[str],
        overrides: Mapping[str, SeveritySetting] | None = None,
    ) -> None:
        self.name = name
        self.families = tuple(families)
        self.rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in self.rules:
                raise ValueError(f"{name}: rule {rule.id} registered twice")
            if rule.id[:3] not in self.families:
                raise ValueError(f"{name}: rule {rule.id} is not in the families {self.families}")
            self.rules[rule.id] = rule
        self.overrides: dict[str, SeveritySetting] = dict(overrides or {})
        unknown = sorted(set(self.overrides) - set(self.rules))
        if unknown:
            raise ValueError(f"{name}: no such rule: {', '.join(unknown)}")

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.rules

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rules.values())

    def with_overrides(self, overrides: Mapping[str, SeveritySetting]) -> Registry:
        """The same rules with these severities in force (``off``: the rule does not report)."""
        return Registry(self.name, self.rules.values(), self.families, overrides)

    def severity(self, rule_id: str) -> Severity | None:
        """The severity in force, or None when the rule is off."""
        setting = self.overrides.get(rule_id)
        if setting is None:
            return self.rules[rule_id].severity
        return None if setting == "off" else setting

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings with the severities in force; findings of rules set off are dropped."""
        out = []
        for f in findings:
            severity = self.severity(f.rule)
            if severity is None:
                continue
            out.append(f if severity == f.severity else replace(f, severity=severity))
        return out

    def table_markdown(self) -> str:
        """The Markdown table of CONTRIBUTING.md: rule, severity in force, meaning and fix."""
        lines = ["| Rule | Severity | Meaning and fix |", "|---|---|---|"]
        for rule in self.rules.values():
            lines.append(f"| {rule.id} | {self.severity(rule.id) or 'off'} | {rule.meaning()} |")
        return "\n".join(lines) + "\n"
