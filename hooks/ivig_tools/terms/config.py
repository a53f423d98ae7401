"""The rule file (``hooks/data/medical_terms.yaml``): read, cached, checked and compiled."""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ivig_tools.cache import cache_dir, install_entry, read_keyed_pickle, setup_dir, write_keyed_pickle
from ivig_tools.findings import Severity
from ivig_tools.registry import Registry, SeveritySetting
from ivig_tools.schema import first_problem, line_of, validate
from ivig_tools.terms.compiled import Compiled, compile_config
from ivig_tools.terms.rules import MED_RULES
from ivig_tools.terms.schema import MEDICAL_TERMS_SCHEMA

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"


DEFAULT_CONFIG = DATA_DIR / "medical_terms.yaml"


def yaml_module() -> tuple[Any, Any]:
    """PyYAML and its loader (libyaml when installed: much faster on many pages).

    Imported on first use: the import is a good part of the command line's start-up,
    and a run usually needs no YAML parser at all (the rule file's data is cached, see
    :func:`_parse_rules`, and plain front matter is read without it)."""
    import yaml  # noqa: PLC0415 - deferred import, see above

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


_GLOB_CHARS = frozenset("*?[")


class ConfigError(ValueError):
    """The rule file is missing, unreadable or has an unexpected shape."""


@dataclass(frozen=True)
class VocabularyEntry:
    definition: str
    abbr: str = ""
    expansion: str = ""
    also: tuple[str, ...] = ()
    term: str = ""
    see: str = ""

    @property
    def heading(self) -> str:
        return self.term or self.abbr


@dataclass
class Config:
    """Rule data plus everything compiled from it once."""

    path: Path
    data: dict[str, Any]
    registry: Registry  # the MED rules with the severities of the rule file in force
    exclude: tuple[str, ...]
    vocabulary: tuple[VocabularyEntry, ...]
    abbreviations: dict[str, VocabularyEntry]
    allowlist: frozenset[str]
    extra_words: frozenset[str]
    compiled: Compiled

    def severity(self, rule: str) -> Severity | None:
        """The severity of a rule in force, or None when it is off."""
        return self.registry.severity(rule)

    def is_excluded(self, path: str) -> bool:
        p = PurePosixPath(str(path).replace("\\", "/"))
        for pattern in self.exclude:
            if p.name == pattern or str(p).endswith("/" + pattern):
                return True
            # (A plain file name matches only as the name, checked above; PurePath.match
            # is slow enough to show on large folders.)
            if (not pattern or "/" in pattern or _GLOB_CHARS.intersection(pattern)) and p.match(pattern):
                return True
        return False


def _vocabulary(raw: list[dict[str, Any]]) -> tuple[VocabularyEntry, ...]:
    out = []
    for item in raw:  # (its shape is checked by the schema)
        out.append(
            VocabularyEntry(
                definition=" ".join(str(item.get("definition") or "").split()),
                abbr=str(item.get("abbr") or ""),
                expansion=str(item.get("expansion") or ""),
                also=tuple(str(a) for a in item.get("also") or ()),
                term=str(item.get("term") or ""),
                see=str(item.get("see") or ""),
            )
        )
    return tuple(out)


def _read_words_file(path: Path) -> set[str]:
    words = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        word = raw.split("#", 1)[0].strip()
        if word:
            words.add(word)
    return words


# The parsed rule file is kept (cache.write_keyed_pickle, the text as its key), named by a
# checksum of its text, in the set-up folder (scripts/build_lint_data.py writes it there)
# or the cache folder; it is used only when its text is the file's current text.
# Bump the version when the pickled shape changes.
_RULES_CACHE_VERSION = 2


def _rules_cache_name(text: str) -> str:
    crc = zlib.crc32(text.encode("utf-8"))
    return f"medical-terms-v{_RULES_CACHE_VERSION}-{crc:08x}-{len(text)}.pickle"


def _yaml_load(text: str, where: str) -> Any:
    yaml, loader = yaml_module()
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark is not None else where
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{at}: not valid YAML ({problem})") from None


def _parse_rules(text: str, where: str) -> Any:
    """``yaml.load`` of the rule file's text, from the set-up folder or the cache when
    either holds this text (else parsed, and kept in the cache)."""
    name = _rules_cache_name(text)
    for folder in (setup_dir(), cache_dir()):
        found, data = read_keyed_pickle(folder / name, text)
        if found:
            return data
    data = _yaml_load(text, where)
    write_keyed_pickle(cache_dir() / name, text, data)  # (if it cannot: parsed again next run)
    return data


def install_parsed_rules(path: str | Path | None = None) -> tuple[Path, bool]:
    """Keep the parsed rule file in the set-up folder (:func:`ivig_tools.cache.setup_dir`)
    unless it is there and current; older parses there are removed. (path, whether
    written). A rule file that is not valid YAML raises ConfigError."""
    p = Path(path).resolve() if path else DEFAULT_CONFIG
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the rule file ({exc.strerror})") from None
    target = setup_dir() / _rules_cache_name(text)
    return install_entry(
        target,
        current=lambda: read_keyed_pickle(target, text)[0],
        write=lambda: write_keyed_pickle(target, text, _yaml_load(text, str(p))),
        family="medical-terms-v*.pickle",
    )


@functools.lru_cache(maxsize=8)
def _load_config(path: Path, mtime_ns: int) -> Config:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read the rule file ({exc.strerror})") from None
    data = _parse_rules(text, where)
    problems = validate(data, MEDICAL_TERMS_SCHEMA)
    if problems:
        raise ConfigError(first_problem(where, text, problems))
    # (YAML 1.1 reads a bare `off` as false.)
    overrides: dict[str, SeveritySetting] = {
        str(k): "off" if v is False else v for k, v in data["rules"].items()
    }
    vocabulary = _vocabulary(data["vocabulary"])
    abbreviations = {v.abbr: v for v in vocabulary if v.abbr}
    headings = {v.heading for v in vocabulary}
    for i, v in enumerate(vocabulary):
        if v.see and v.see not in headings:
            line = line_of(text, ("vocabulary", i, "see"))
            raise ConfigError(
                f"{where}:{line}: vocabulary entry {v.heading!r} points to {v.see!r}, which has no entry"
            )
    extra = set(data["spelling"].get("medical_words") or ())
    words_file = data["spelling"].get("words_file")
    if words_file:
        wf = (path.parent / words_file).resolve()
        try:
            extra |= _read_words_file(wf)
        except OSError as exc:
            raise ConfigError(f"{wf}: cannot read the word list ({exc.strerror})") from None
    for v in vocabulary:
        for text in (v.term, v.expansion, *v.also):
            extra.update(_WORD_RE.findall(text))
    # The units the dose rules ask for are words too ("mcg", "mmol"), not misspellings.
    doses = data["doses"]
    for unit in (*doses["units"], *doses["lab_units"], *(doses.get("per_units") or ())):
        extra.update(w for w in _WORD_RE.findall(unit) if w not in doses["unit_forms"]["forms"])
    config = Config(
        path=path,
        data=data,
        registry=MED_RULES.with_overrides(overrides),
        exclude=tuple(str(x) for x in data.get("exclude") or ()),
        vocabulary=vocabulary,
        abbreviations=abbreviations,
        allowlist=frozenset(data["abbreviations"].get("allowlist") or ()),
        extra_words=frozenset(extra),
        compiled=compile_config(data),
    )
    return config


def load_config(path: str | Path | None = None) -> Config:
    """Read and compile the rule file (cached while the file is unchanged)."""
    p = Path(path).resolve() if path else DEFAULT_CONFIG
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the rule file ({exc.strerror})") from None
    return _load_config(p, mtime)
