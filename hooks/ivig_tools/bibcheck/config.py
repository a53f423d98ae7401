"""The bibliography check's rule file (``hooks/data/doi_check.yaml``): the profile
(``house``: this guide's policy on top of biblatex's data model; ``biblatex``: the data model
alone, for any biblatex file) and severities of the rules where the project wants other ones
than the registry's."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ivig_tools import cli
from ivig_tools.bibcheck.rules import BIB_RULES, HOUSE_RULES, PROFILES
from ivig_tools.registry import Registry, SeveritySetting
from ivig_tools.schema import Integer, MapOf, Record, SeverityValue, Text, first_problem, validate

DEFAULT_BIB_CONFIG = Path(__file__).resolve().parent.parent.parent / "data" / "doi_check.yaml"

BIB_CONFIG_SCHEMA = Record(
    required={
        "version": Integer(minimum=1),
        "rules": MapOf(Text(choices=tuple(BIB_RULES.rules)), SeverityValue(), non_empty=False),
    },
    optional={"profile": Text(choices=PROFILES)},
)


class BibConfigError(ValueError):
    """The rule file is missing, unreadable or has an unexpected shape (one line, file:line)."""


@dataclass(frozen=True)
class BibConfig:
    path: Path
    registry: Registry  # the rules with the severities in force
    profile: str = "house"


def profile_overrides(profile: str) -> dict[str, SeveritySetting]:
    """The severities a profile sets: ``biblatex`` turns the house rules off."""
    return dict.fromkeys(sorted(HOUSE_RULES), "off") if profile == "biblatex" else {}


@functools.lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int, profile: str | None) -> BibConfig:
    import yaml  # noqa: PLC0415 - only the command line and the build need it

    where = str(path)
    try:  # (the shared reading path: regular files only, bounded, never blocking on a pipe)
        text = cli.read_text(path, shown=where)
    except cli.UsageError as exc:
        reason = str(exc).removeprefix(f"{where}").lstrip(":0123456789 ")
        raise BibConfigError(f"{where}: cannot read the rule file ({reason})") from None
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark is not None else where
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BibConfigError(f"{at}: not valid YAML ({problem})") from None
    problems = validate(data, BIB_CONFIG_SCHEMA)
    if problems:
        raise BibConfigError(first_problem(where, text, problems))
    chosen = profile or str(data.get("profile", "house"))
    overrides = profile_overrides(chosen)
    overrides.update({str(k): "off" if v is False else v for k, v in data["rules"].items()})
    return BibConfig(path, BIB_RULES.with_overrides(overrides), chosen)


def load_bib_config(path: str | Path | None = None, profile: str | None = None) -> BibConfig:
    """Read and check the rule file (cached while it is unchanged); ``profile`` overrides the
    file's ``profile:``. Its ``rules:`` apply on top of the profile."""
    try:
        p = Path(path).resolve() if path else DEFAULT_BIB_CONFIG
    except (OSError, RuntimeError):  # a symbolic link that loops
        raise BibConfigError(f"{path}: cannot read the rule file (a symbolic link that loops)") from None
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as exc:
        raise BibConfigError(f"{p}: cannot read the rule file ({exc.strerror})") from None
    if profile is not None and profile not in PROFILES:
        raise BibConfigError(f"unknown profile {profile!r} (expected one of: {', '.join(PROFILES)})")
    return _load(p, mtime, profile)
