"""A small schema checker for the rule files: closed keys, required keys, closed value sets.

    problems = validate(data, MEDICAL_TERMS_SCHEMA)    # [(("doses", "units", 3), "expected text, got 5")]
    line = line_of(text, ("doses", "units", 3))         # 1-based line of that value in the YAML

A rule file that does not validate is reported as one line, ``file:line: what is wrong``
(see :func:`first_problem`), never a traceback and never a rule that silently stops
reporting. Schemas are plain Python values built with the classes below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ivig_tools.registry import SEVERITY_SETTINGS

Path_: TypeAlias = tuple[str | int, ...]
Problem: TypeAlias = tuple[Path_, str]


class Schema:
    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        raise NotImplementedError


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    return "text"


@dataclass(frozen=True)
class Text(Schema):
    """A string; with ``choices``, one of them (a closed set)."""

    choices: tuple[str, ...] = ()
    non_empty: bool = True

    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        if not isinstance(value, str):
            out.append((where, f"expected text, got {_kind(value)}"))
        elif self.choices and value not in self.choices:
            out.append((where, f"{value!r} is not one of {', '.join(self.choices)}"))
        elif self.non_empty and not value.strip():
            out.append((where, "expected text, got an empty value"))


@dataclass(frozen=True)
class Integer(Schema):
    minimum: int = 0

    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            out.append((where, f"expected a whole number, got {_kind(value)}"))
        elif value < self.minimum:
            out.append((where, f"expected a number of at least {self.minimum}, got {value}"))


@dataclass(frozen=True)
class Boolean(Schema):
    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        if not isinstance(value, bool):
            out.append((where, f"expected true or false, got {_kind(value)}"))


@dataclass(frozen=True)
class Optional(Schema):
    """``inner``, or null."""

    inner: Schema

    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        if value is not None:
            self.inner.check(value, where, out)


@dataclass(frozen=True)
class ListOf(Schema):
    item: Schema
    non_empty: bool = True
    unique: bool = False

    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        if not isinstance(value, list):
            out.append((where, f"expected a list, got {_kind(value)}"))
            return
        if self.non_empty and not value:
            out.append((where, "expected a list with at least one item, got an empty list"))
        seen: set[object] = set()
        for i, item in enumerate(value):
            self.item.check(item, (*where, i), out)
            if self.unique and isinstance(item, str):
                if item in seen:
                    out.append(((*where, i), f"{item!r} is listed twice"))
                seen.add(item)


@dataclass(frozen=True)
class MapOf(Schema):
    """A mapping with free keys (checked by ``key``) and values checked by ``value``."""

    key: Schema
    value: Schema
    non_empty: bool = True

    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        if not isinstance(value, dict):
            out.append((where, f"expected a mapping, got {_kind(value)}"))
            return
        if self.non_empty and not value:
            out.append((where, "expected at least one entry, got an empty mapping"))
        for k, v in value.items():
            self.key.check(k, (*where, str(k)), out)
            self.value.check(v, (*where, str(k)), out)


@dataclass(frozen=True)
class Record(Schema):
    """A mapping with a closed set of keys: ``required`` ones and ``optional`` ones.

    ``check_also`` runs on the whole mapping once its keys are right (for rules across
    keys, such as "a default that is one of the keys above")."""

    required: Mapping[str, Schema]
    optional: Mapping[str, Schema] = field(default_factory=dict)
    check_also: Callable[[dict[str, Any], Path_, list[Problem]], None] | None = None

    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        if not isinstance(value, dict):
            out.append((where, f"expected a mapping, got {_kind(value)}"))
            return
        start = len(out)
        for key in value:
            if key not in self.required and key not in self.optional:
                known = ", ".join(sorted([*self.required, *self.optional]))
                out.append(((*where, str(key)), f"unknown key {key!r} (expected one of: {known})"))
        for key, schema in self.required.items():
            if key not in value:
                out.append((where, f"missing the required key {key!r}"))
            else:
                schema.check(value[key], (*where, key), out)
        for key, schema in self.optional.items():
            if key in value:
                schema.check(value[key], (*where, key), out)
        if self.check_also is not None and len(out) == start:
            self.check_also(value, where, out)


class SeverityValue(Schema):
    """A severity setting; YAML 1.1 reads a bare ``off`` as false, which means "off" too."""

    def check(self, value: object, where: Path_, out: list[Problem]) -> None:
        if value is not False:
            Text(choices=SEVERITY_SETTINGS).check(value, where, out)


def validate(data: object, schema: Schema) -> list[Problem]:
    out: list[Problem] = []
    schema.check(data, (), out)
    return out


def line_of(text: str, where: Sequence[str | int]) -> int:
    """The 1-based line of the value at ``where`` in a YAML text (of its key when the value
    is missing; 1 when the path cannot be followed)."""
    import yaml  # noqa: PLC0415 - only on the error path

    try:
        node: Any = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return 1
    line = 1
    for step in where:
        if node is None:
            break
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if str(key_node.value) == str(step):
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    if node is not None and not isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        line = node.start_mark.line + 1
    return line


def describe(where: Sequence[str | int]) -> str:
    """``doses.units[3]`` for ("doses", "units", 3)."""
    out = ""
    for step in where:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "the top level"


def first_problem(path: str, text: str, problems: Sequence[Problem]) -> str:
    """One line for the first problem: ``file:line: in key.path: what is wrong`` (and how
    many more there are)."""
    where, what = problems[0]
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{path}:{line_of(text, where)}: {describe(where)}: {what}{more}"
