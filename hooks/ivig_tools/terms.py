"""The medical-term lint: Markdown text in, findings out.

    findings = lint(text, "docs/what-it-treats.md", load_config())

``lint`` is pure (no MkDocs, no file access beyond the cached word lists) and reports
positions in the source text, front matter included. The rule data lives in
``hooks/data/medical_terms.yaml``; each rule has a stable ID (MED001 ...) and each
message says what to write instead. See that file for the sources of the rules.

Rules (severity by default):

    MED001 error    Do Not Use abbreviation (U/IU after a number, q.d., q.o.d., MS in a dose, MSO4, MgSO4)
    MED002 warning  ISMP error-prone abbreviation (SC/SQ/subq, IN as a route, IJ, HS, qhs, TIW, D/C ...)
    MED003 error    trailing zero in a dose ("1.0 mg"; lab units such as g/L are exempt)
    MED004 error    missing leading zero (".5 mg")
    MED010 warning  number and unit run together ("400mg")
    MED011 warning  unit not in the house form (ml, cc -> mL; µg, ug -> mcg)
    MED012 warning  full stop after a unit inside a sentence ("10 mg. daily")
    MED013 warning  dose of 1,000 or more without a thousands separator
    MED020 warning  product name not in the house form IVIG (other forms only inside quotes)
    MED021 warning  immunoglobulin class not in its exact case (IgG, IgA, IgM, IgD, IgE, subclasses)
    MED022 warning  known misspelling (immunoglobin, Guillain Barre ...)
    MED023 warning  dated term (gamma globulin, immune serum globulin)
    MED024 warning  British spelling (haemolytic, recognise, centre ...): the house spelling is US English
    MED030 warning  abbreviation not expanded at its first use on the page (headings do not count)
    MED031 info     abbreviation expanded but not used again on the page
    MED040 warning  run-together words from scraping ("asantibodies")
    MED041 info     word in no dictionary (English list, medical words, hooks/data/words.txt)
    MED050 warning  absolute claim ("cures", "completely safe"; a negation just before is honest)
    MED051 warning  off-label use named outside a section that says "off-label"
    MED052 warning  a number a reader could act on ("12 weeks", "2 g/kg", "21%") in an `!!! unverified` box
    MED060 info     reading grade of the page (Flesch-Kincaid)
    MED061 warning  reading grade above the target for the page's `audience:` (patients: 8)
    MED070 error    no `reviewed:` date in the front matter
    MED071 warning  `reviewed:` older than the review age (24 months)
    MED072 error    `reviewed:` not a date, or in the future
    MED073 error    front matter is not valid YAML
    MED090 warning  suppression comment without a reason
    MED091 warning  suppression comment naming no rule or an unknown rule
    MED092 info     suppression comment that silenced nothing

Suppression, on the line before (it covers its own line and the next non-blank line)
or for the whole page; the reason after "--" is required (MED090) and shows in JSON:

    <!-- medical-terms: disable MED050 -- quoted from the product label -->
    <!-- medical-terms: disable-file MED061 -- a summary table for clinicians -->
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import heapq
import os
import pickle
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ivig_tools import mdmask, readability, spelling
from ivig_tools.cache import cache_dir
from ivig_tools.findings import Finding

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_CONFIG = DATA_DIR / "medical_terms.yaml"
RULE_ID_RE = re.compile(r"^MED\d{3}$")


def _yaml() -> tuple[Any, Any]:
    """PyYAML and its loader (libyaml when installed: much faster on many pages).

    Imported on first use: the import is a good part of the command line's start-up,
    and a run usually needs no YAML parser at all (the rule file's data is cached, see
    :func:`_parse_rules`, and plain front matter is read without it)."""
    import yaml  # noqa: PLC0415 - deferred import, see above

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_NUM_LEFT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,/-")
_HEADING_RE = re.compile(r"\n[ \t]{0,3}(#{1,6})[ \t]+([^\n]*)")
_DIRECTIVE_RE = re.compile(
    r"<!--\s*medical-terms:\s*(?P<kind>disable-file|disable)\b(?P<body>.*?)-->",
    re.DOTALL,
)
_NEGATION_RE = re.compile(
    r"\b(?:not|no|never|nor|cannot|can't|can\u2019t|isn't|isn\u2019t|aren't|aren\u2019t|"
    r"doesn't|doesn\u2019t|don't|don\u2019t|without|neither|nothing)\b[^.!?;:\n]{0,40}$",
    re.IGNORECASE,
)
_ROMAN_RE = re.compile(r"^(?=[IVXLC]+$)C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")


_GLOB_CHARS = frozenset("*?[")


class ConfigError(ValueError):
    """The rule file is missing, unreadable or has an unexpected shape."""


# --- configuration ---------------------------------------------------------------------


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
    severities: dict[str, str]
    exclude: tuple[str, ...]
    vocabulary: tuple[VocabularyEntry, ...]
    abbreviations: dict[str, VocabularyEntry]
    allowlist: frozenset[str]
    extra_words: frozenset[str]
    compiled: dict[str, Any] = field(default_factory=dict)

    def severity(self, rule: str) -> str | None:
        sev = self.severities.get(rule)
        return None if sev in (None, "off") else sev

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


def _need(data: dict, key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise ConfigError(f"{where}: expected `{key}` to be a {kind.__name__}, got {type(value).__name__}")
    return value


def _vocabulary(raw: list, where: str) -> tuple[VocabularyEntry, ...]:
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not (item.get("definition") or item.get("see")):
            raise ConfigError(f"{where}: vocabulary entry {i + 1} needs a `definition` (or `see`)")
        if not (item.get("abbr") or item.get("term")):
            raise ConfigError(f"{where}: vocabulary entry {i + 1} needs an `abbr` or a `term`")
        if item.get("abbr") and not item.get("expansion"):
            raise ConfigError(f"{where}: vocabulary entry {item['abbr']!r} needs an `expansion`")
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


# The parsed rule file is kept as a pickle in the word lists' cache folder, named by a
# checksum of its text; the pickle holds the text too, and is used only when that text
# is the file's current text. Bump the version when the pickled shape changes.
_RULES_CACHE_VERSION = 1


def _rules_cache_path(text: str) -> Path:
    crc = zlib.crc32(text.encode("utf-8"))
    return cache_dir() / f"medical-terms-v{_RULES_CACHE_VERSION}-{crc:08x}-{len(text)}.pickle"


def _parse_rules(text: str, where: str) -> Any:
    """``yaml.load`` of the rule file's text, from the cache when it holds this text."""
    cache = _rules_cache_path(text)
    try:
        # Our own file, written below from the rule file; never shared input.
        with cache.open("rb") as fh:
            cached_text, data = pickle.load(fh)
        if cached_text == text:
            return data
    except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError):
        pass  # no cache yet, or an unreadable one: parse and write it again
    yaml, loader = _yaml()
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({exc})") from None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump((text, data), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
    except (OSError, pickle.PicklingError):
        pass  # no cache: the next run parses the YAML again
    return data


@functools.lru_cache(maxsize=8)
def _load_config(path: Path, mtime_ns: int) -> Config:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read the rule file ({exc.strerror})") from None
    data = _parse_rules(text, where)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping at the top level")
    for key in ("rules", "do_not_use", "error_prone", "doses", "naming", "abbreviations", "claims"):
        _need(data, key, dict, where)
    for key in ("indications", "readability", "review", "spelling"):
        _need(data, key, dict, where)
    # (YAML 1.1 reads a bare `off` as false.)
    severities = {str(k): "off" if v is False else str(v) for k, v in data["rules"].items()}
    for rule, sev in severities.items():
        if not RULE_ID_RE.match(rule) or sev not in ("error", "warning", "info", "off"):
            raise ConfigError(f"{where}: unexpected rule entry {rule}: {sev}")
    vocabulary = _vocabulary(_need(data, "vocabulary", list, where), where)
    abbreviations = {v.abbr: v for v in vocabulary if v.abbr}
    headings = {v.heading for v in vocabulary}
    for v in vocabulary:
        if v.see and v.see not in headings:
            raise ConfigError(
                f"{where}: vocabulary entry {v.heading!r} points to {v.see!r}, which has no entry"
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
    config = Config(
        path=path,
        data=data,
        severities=severities,
        exclude=tuple(str(x) for x in data.get("exclude") or ()),
        vocabulary=vocabulary,
        abbreviations=abbreviations,
        allowlist=frozenset(data["abbreviations"].get("allowlist") or ()),
        extra_words=frozenset(extra),
    )
    _compile(config)
    return config


def load_config(path: str | Path | None = None) -> Config:
    """Read and compile the rule file (cached while the file is unchanged)."""
    p = Path(path).resolve() if path else DEFAULT_CONFIG
    try:
        mtime = p.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the rule file ({exc.strerror})") from None
    return _load_config(p, mtime)


# --- compiled patterns ----------------------------------------------------------------
#
# Speed: Python's regex engine skips quickly to candidate positions (a string search)
# only when a pattern starts with ONE literal character; with a character class or
# branches starting with different characters it tries every position, about ten times
# slower. So every branch here starts with a literal and puts its left-boundary check
# after it ("x(?<![\w-].)"), and a scan is run as one pattern per first character
# (mdmask.merged_finditer). Rules on words and phrases are gated: a pattern is run on a
# page only when the page contains its trigger word (set intersection on the page's
# tokens, done once per page).

_TOKEN_RE = readability.TOKEN_RE


def _alt(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def _loose(form: str) -> str:
    """A form with optional periods and flexible spaces: "q.d." -> q\\.?d\\.?"""
    letters = form.replace(".", "")
    parts = []
    for ch in letters:
        if ch in " -":
            parts.append(r"[ \t-]?")
        else:
            parts.append(re.escape(ch) + r"\.?")
    return "".join(parts)


def _phrase(form: str) -> str:
    """A phrase whose spaces may be any run of blanks (and one line break)."""
    return r"[ \t]*\n?[ \t]*".join(re.escape(w).replace("'", "['\u2019]") for w in form.split())


def _lead(pattern_rest: str, first: str, *, ignore_case: bool, left: str = r"[\w-]") -> list[str]:
    """Branches starting with a literal first character (both cases if ``ignore_case``)."""
    firsts = sorted({first.lower(), first.upper()}) if ignore_case and first.isalpha() else [first]
    rest = f"(?i:{pattern_rest})" if ignore_case and pattern_rest else pattern_rest
    return [f"{re.escape(f)}(?<!{left}.){rest}" for f in firsts]


def _phrase_branches(
    form: str, *, ignore_case: bool, left: str = r"[\w-]", right: str = r"(?![\w-])"
) -> list[str]:
    src = _phrase(form)
    rest = src[len(re.escape(form[0])) :] + right
    return _lead(rest, form[0], ignore_case=ignore_case, left=left)


def _digit_branches(rest: str) -> list[str]:
    r"""``\d`` + rest, spelled as ten literal branches (keeps the fast-search prefix)."""
    return [f"{d}{rest}" for d in "0123456789"]


def _triggers(form: str, *, ignore_case: bool) -> tuple[frozenset[str], ...]:
    """For each word of ``form``, the tokens one of which a page must contain."""
    words = [w for w in _TOKEN_RE.findall(form) if "'" not in w and "\u2019" not in w] or [form]
    if ignore_case:
        return tuple(frozenset({w, w.lower(), w.upper(), w.capitalize()}) for w in words)
    return tuple(frozenset({w}) for w in words)


def _case_variants(word: str) -> set[str]:
    out = {""}
    for ch in word:
        out = {o + v for o in out for v in {ch.lower(), ch.upper()}}
    return out


@dataclass
class _Alternative:
    """One form of a rule: regex branches (each starting with a literal), its trigger
    tokens, and what the rule needs to report it."""

    branches: tuple[str, ...]
    triggers: tuple[frozenset[str], ...]
    payload: Any

    def possible(self, tokens: set[str]) -> bool:
        return all(not t.isdisjoint(tokens) for t in self.triggers)


# A scan over several first characters runs as one literal-first pattern per character
# (fast to find), merged back into exactly the sequence one ``finditer`` of the whole
# alternation gives: see mdmask.merged_finditer.
_QUANTIFIERS = frozenset("?*+{")
_NOT_LITERAL = frozenset("()[].^$*+?{|\\")


def _literal_first(branch: str) -> str | None:
    """The character every match of ``branch`` starts with, when it begins with one
    required literal (``x``, or ``\\.`` as re.escape writes punctuation); else None."""
    if branch[:1] == "\\":
        first, after = branch[1:2], branch[2:3]
        if not first or first.isalnum():
            return None  # a class such as \d or \w
    else:
        first, after = branch[:1], branch[1:2]
        if not first or first in _NOT_LITERAL:
            return None
    return None if after in _QUANTIFIERS and after else first


def _split_by_first(branches: Iterable[str]) -> list[re.Pattern[str]] | None:
    """One pattern per first character (branch order kept), or None if a branch does
    not start with a literal."""
    by_first: dict[str, list[str]] = {}
    for b in branches:
        first = _literal_first(b)
        if first is None:
            return None
        by_first.setdefault(first, []).append(b)
    return [re.compile("|".join(bs)) for bs in by_first.values()]


def _gated_finditer(
    config: Config, group: str, tokens: set[str], masked: str
) -> Iterable[tuple[re.Match[str], _Alternative]]:
    """Matches of the group's forms whose trigger tokens occur in the page, in order."""
    alts: list[_Alternative] = config.compiled[group]
    cache = config.compiled.setdefault("_gated_cache", {})
    every = cache.get(group)
    if every is None:
        every = cache[group] = frozenset(t for a in alts for ts in a.triggers for t in ts)
    present = frozenset(tokens & every)
    if not present:
        return
    active = cache.get((group, present))
    if active is None:
        active = cache[(group, present)] = tuple(i for i, a in enumerate(alts) if a.possible(present))
    if not active:
        return
    scan = cache.get((group, active))
    if scan is None:
        # Literal-first branches, one pattern per first character (see mdmask.merged_finditer).
        branches = [b for i in active for b in alts[i].branches]
        split = _split_by_first(branches)
        scan = cache[(group, active)] = split if split is not None else [re.compile("|".join(branches))]
    named = None
    for m in mdmask.merged_finditer(scan, masked):
        if named is None:  # which form matched: the same alternation with a group per form
            named = cache.get((group, active, "named"))
            if named is None:
                named = re.compile("|".join(f"(?P<g{i}>{'|'.join(alts[i].branches)})" for i in active))
                cache[(group, active, "named")] = named
        am = named.match(masked, m.start())
        if am is not None and am.lastgroup:
            yield m, alts[int(am.lastgroup[1:])]


def _compile(config: Config) -> None:
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
    fine = rf"(?!(?<=[1-9])\d{{0,2}}[ \t]+(?:{_alt(units)})(?![\w/])(?!\.[ \t]+[a-z0-9]))"
    dose = (
        rf"(?P<num>FIRST(?<![\w.,/-].){fine}[\d,.]*)(?P<sp>[ \t\u00a0]*)(?P<unit>{_alt(all_units)})"
        r"(?P<dot>\.(?=[ \t]+[a-z0-9]))?(?![\w/])"
    )
    c["dose_re"] = re.compile(dose.replace("FIRST", r"[.\d]", 1))
    # The same, one pattern per first character (fast to find, see mdmask.merged_finditer);
    # for pages without other digits than 0-9 (see _check_doses).
    c["dose_split"] = [re.compile(dose.replace("FIRST", re.escape(ch), 1)) for ch in ".0123456789"]
    c["number_re"] = re.compile(_NUMBER)
    c["thousands_from"] = int(doses["thousands"].get("from", 1000))

    # Abbreviations from the Do Not Use and error-prone lists.
    alts: list[_Alternative] = []
    dose_words = _alt(["mL", "mg", "mcg", "g", "units", "unit", "doses", "dose", "sprays", "spray", "puffs"])
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
                    loose = _loose(form)
                    rest = loose[len(head) :] + r"(?![\w/])"
                    branches = _lead(rest, form[0], ignore_case=True, left=r"[\w/.]")
                elif gate == "route":
                    end = rf"[ \t]+{esc}(?![\w/-])"
                    branches = [rf"{re.escape(w[0])}(?<![\w.].){re.escape(w[1:])}{end}" for w in route_words]
                    branches += _digit_branches(rf"[ \t]?(?:{dose_words}){end}")
                elif gate == "dose":
                    branches = [rf"{head}(?<![\w/.-].){tail}(?=[ \t]*\d)(?![\w/-])"]
                    branches += _digit_branches(rf"[ \t]?(?:mg|mcg|g|mL)[ \t]+(?:of[ \t]+)?{esc}(?![\w/-])")
                else:
                    branches = [rf"{head}(?<![\w/.-].){tail}(?![\w/-])"]
                alts.append(
                    _Alternative(
                        tuple(branches), _triggers(form, ignore_case=gate == "any_case"), (rule, e, form)
                    )
                )
    c["abbr_alts"] = alts

    naming = d["naming"]
    house = naming["house_form"]["write"]
    c["house"] = house
    house_lower = {f.lower() for f in naming["house_form"]["forms"]} | {house.lower()}
    c["house_bad"] = frozenset(v for w in house_lower for v in _case_variants(w)) - {house}
    c["ig_classes"] = {x.lower(): x for x in naming["ig_classes"]["exact_case"]}
    c["ig_bad"] = frozenset(v for w in c["ig_classes"] for v in _case_variants(w)) - set(
        c["ig_classes"].values()
    )
    c["misspellings"] = {" ".join(k.lower().split()): v for k, v in naming["misspellings"]["forms"].items()}
    c["dated"] = {" ".join(k.lower().split()): v for k, v in naming["dated_terms"]["forms"].items()}
    naming_alts = []
    for rule, table in (("MED022", c["misspellings"]), ("MED023", c["dated"])):
        for form in sorted(table, key=len, reverse=True):
            naming_alts.append(
                _Alternative(
                    tuple(_phrase_branches(form, ignore_case=True)),
                    _triggers(form, ignore_case=True),
                    (rule, table[form]),
                )
            )
    c["naming_alts"] = naming_alts
    us: dict[str, str] = {}
    for family in (naming.get("us_spelling") or {}).get("families") or ():
        for british, american in family.items():
            us[str(british).lower()] = str(american)
    c["us_alts"] = [
        _Alternative(tuple(_phrase_branches(f, ignore_case=True)), _triggers(f, ignore_case=True), us[f])
        for f in sorted(us, key=len, reverse=True)
    ]

    claims = d["claims"]
    c["negatable"] = {" ".join(x.lower().split()) for x in claims.get("negatable") or ()}
    all_claims = list(claims.get("negatable") or ()) + list(claims.get("absolute") or ())
    c["claims_alts"] = [
        _Alternative(tuple(_phrase_branches(f, ignore_case=True)), _triggers(f, ignore_case=True), f)
        for f in sorted(set(all_claims), key=len, reverse=True)
    ]
    ind = d["indications"]
    c["offlabel_alts"] = [
        _Alternative(tuple(_phrase_branches(f, ignore_case=True)), _triggers(f, ignore_case=True), f)
        for f in sorted(set(ind["off_label"]), key=len, reverse=True)
    ]
    c["section_words_re"] = re.compile(
        r"(?i:" + "|".join(_phrase(w) for w in ind.get("section_words") or ["off-label"]) + ")"
    )
    uc = d.get("unverified_claims") or {}
    c["unverified_type"] = str(uc.get("admonition", "unverified"))
    units = [str(u) for group in (uc.get("units") or {}).values() for u in group]
    words = [str(w) for w in uc.get("number_words") or ()]
    number = rf"(?:{_NUMBER}|(?i:{_alt(words)})\b)" if words else _NUMBER
    unit = rf"(?:%|[ \t\u00a0]*(?:percent|per[ \t]+cent)\b|[ \t\u00a0-]*(?:{_alt(units)})(?![\w/]))"
    c["actionable_re"] = re.compile(
        rf"(?<![\w.,/]){number}(?:[ \t\u00a0]*(?:to|or|and|-|\u2013)[ \t\u00a0]*{number})?{unit}"
        rf"|(?<![\w.,/]){_NUMBER}[ \t\u00a0]+in[ \t\u00a0]+{_NUMBER}(?![\w.,]\d)"
    )
    sp = d["spelling"]
    c["function_words"] = tuple(sp.get("function_words") or ())
    c["hunspell"] = tuple(sp.get("hunspell") or ())


# --- helpers --------------------------------------------------------------------------


@dataclass
class _Page:
    text: str
    masked: str
    path: str
    config: Config
    index: mdmask.LineIndex
    tokens: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    # Offsets already reported by a form rule, so the abbreviation and spelling rules
    # do not report the same word twice.
    flagged: set[int] = field(default_factory=set)

    def add(self, offset: int, rule: str, message: str, **extra: Any) -> None:
        sev = self.config.severity(rule)
        if sev is None:
            return
        line, col = self.index.position(offset)
        self.findings.append(Finding(self.path, line, col, sev, rule, message, extra=extra))  # type: ignore[arg-type]


_TRAILING_ZERO_RE = re.compile(r"[\d,]+\.0+")
_NORM_DROP_RE = re.compile(r"[*_`]")
_NORM_SPACE_RE = re.compile(r"[\s\-\u2010\u2011\u2013]+")


@functools.lru_cache(maxsize=1024)
def _norm(text: str) -> str:
    """Lower case, no emphasis marks, hyphens and runs of blanks as one space."""
    text = _NORM_DROP_RE.sub("", text.lower().replace("\u2019", "'"))
    return _NORM_SPACE_RE.sub(" ", text).strip()


_AFTER_OPEN_RE = re.compile(r"s?\s*[),;]")
_AFTER_PAREN_RE = re.compile(r"s?[ \t]*\(([^()\n]{3,160})\)")
_WORD_END_RE = re.compile(r"[a-z]{2,}$")


def _group_thousands(num: str) -> str:
    whole, _, frac = num.partition(".")
    grouped = f"{int(whole):,}"
    return grouped + ("." + frac if frac else "")


def _heading_lines(masked: str) -> list[tuple[int, int, int, str]]:
    """(start, end, level, text) of each ATX heading."""
    # Searched in "\n" + masked (a literal first character is fast to find): shift by one.
    return [
        (m.start(), m.end() - 1, len(m.group(1)), m.group(2)) for m in _HEADING_RE.finditer("\n" + masked)
    ]


def _in_quotes(masked: str, start: int) -> bool:
    line_start = masked.rfind("\n", 0, start) + 1
    before = masked[line_start:start]
    if before.count('"') % 2 == 1:
        return True
    return before.rfind("\u201c") > before.rfind("\u201d")


# --- rules ----------------------------------------------------------------------------


def _check_doses(page: _Page) -> None:
    c = page.config.compiled
    masked = page.masked
    number_re = c["number_re"]
    fine_units = c["dose_units"]
    plain_units = c["plain_dose_units"]
    # "\d" also matches other scripts' digits; no such digit is below U+0100, so a page
    # that Latin-1 can encode needs only the ASCII digits.
    try:
        masked.encode("latin-1")
        matches: Iterable[re.Match[str]] = mdmask.merged_finditer(c["dose_split"], masked)
    except UnicodeEncodeError:
        matches = c["dose_re"].finditer(masked)
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
        if unit in c["dnu_after"]:
            e = c["dnu_after"][unit]
            alt = f' (or "{num} {e["or"]}")' if e.get("or") else ""
            page.flagged.add(m.start("unit"))
            page.add(
                m.start("unit"),
                "MED001",
                f'"{unit}" after a number is on the Do Not Use list; write "{num} {e["write"]}"{alt}',
            )
            continue
        if unit in c["bad_units"]:
            good_unit = c["bad_units"][unit]
            page.add(
                m.start("unit"), "MED011", f'write "{num} {good_unit}" instead of "{m.group(0).rstrip(".")}"'
            )
        if not sp:
            page.add(start, "MED010", f'put a space between number and unit: write "{num} {good_unit}"')
        if good_unit in c["dose_units"] and good_unit not in c["lab_units"]:
            if _TRAILING_ZERO_RE.fullmatch(num):
                fixed = num.split(".")[0]
                page.add(
                    start,
                    "MED003",
                    f'trailing zero "{num} {good_unit}" can be misread as ten times the dose; '
                    f'write "{fixed} {good_unit}"',
                )
            whole = num.split(".")[0]
            if whole.isdigit() and int(whole) >= c["thousands_from"] and len(whole) >= 4:
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


def _check_abbreviation_forms(page: _Page) -> None:
    for m, alt in _gated_finditer(page.config, "abbr_alts", page.tokens, page.masked):
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


def _token_offsets(masked: str, token: str) -> Iterator[int]:
    """Offsets where ``token`` occurs as a whole token (str.find: no regex to compile)."""
    n = len(token)
    i = masked.find(token)
    while i != -1:
        before = masked[i - 1] if i else " "
        after = masked[i + n : i + n + 2]
        if not (before.isalnum() or before in "_'\u2019") and not (
            after[:1].isalnum() or after[:1] == "_" or (after[:1] in "'\u2019" and after[1:2].isalpha())
        ):
            yield i
        i = masked.find(token, i + 1)


def _tokens_offsets(masked: str, tokens: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(offset, token) of each whole occurrence of any of ``tokens``, in order."""
    return heapq.merge(*(_tagged(_token_offsets(masked, t), t) for t in set(tokens)))


def _tagged(offsets: Iterator[int], token: str) -> Iterator[tuple[int, str]]:
    for i in offsets:
        yield i, token


def _check_naming(page: _Page) -> None:
    c = page.config.compiled
    house_bad = page.tokens & c["house_bad"]
    ig_bad = page.tokens & c["ig_bad"]
    for start, found in _tokens_offsets(page.masked, house_bad | ig_bad):
        if found in house_bad:
            page.flagged.add(start)
            if not _in_quotes(page.masked, start):
                page.add(
                    start,
                    "MED020",
                    f'write the house form "{c["house"]}" instead of "{found}" '
                    "(other forms only inside a quoted product name)",
                )
        else:
            right = c["ig_classes"][found.lower()]
            page.flagged.add(start)
            page.add(start, "MED021", f'write the immunoglobulin class as "{right}", not "{found}"')
    for m, alt in _gated_finditer(page.config, "naming_alts", page.tokens, page.masked):
        found = " ".join(m.group(0).split())
        page.flagged.add(m.start())
        rule, right = alt.payload
        if rule == "MED022":
            page.add(m.start(), rule, f'"{found}" is misspelled; write "{right}"')
        else:
            page.add(m.start(), rule, f'"{found}" is a dated term; write "{right}"')


# Link text of a link to another site ("[title](https://...)", "<a href="https://...">title</a>"),
# and of a reference-style link ("[title][label]"): the title of someone else's work.
_EXTERNAL_LINK_TEXT_RE = re.compile(
    r"\[(?P<t1>[^\]\n]+)\]\(<?(?:https?:|ftp:|mailto:|//|www\.)"
    r"|\[(?P<t2>[^\]\n]+)\]\[[^\]\n]*\]"
    r"|<a\s[^>]*href=[\"']?(?:https?:|//)[^>]*>(?P<t3>.*?)</a>",
    re.IGNORECASE | re.DOTALL,
)
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;\u2022>#*+(\[-]|\d[.)])[\s\"\u201c\u2018*_]*$")


def _external_link_text_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _EXTERNAL_LINK_TEXT_RE.finditer(text):
        group = "t1" if m.group("t1") is not None else "t2" if m.group("t2") is not None else "t3"
        spans.append(m.span(group))
    return spans


def _check_us_spelling(page: _Page) -> None:
    if page.config.severity("MED024") is None:
        return
    masked = page.masked
    links: list[tuple[int, int]] | None = None
    for m, alt in _gated_finditer(page.config, "us_alts", page.tokens, masked):
        start = m.start()
        found = m.group(0)
        if _in_quotes(masked, start):
            continue  # a quoted title or a quotation
        if found[0].isupper() and not found.isupper():
            line_start = masked.rfind("\n", 0, start) + 1
            if not _SENTENCE_START_RE.search(masked[max(line_start, start - 80) : start]):
                continue  # capitalized inside a sentence: a proper name ("European Centre ...")
        if links is None:
            links = _external_link_text_spans(page.text) if "[" in page.text or "<a" in page.text else []
        if any(a <= start < b for a, b in links):
            continue
        right = alt.payload
        if found.isupper() and len(found) > 1:
            right = right.upper()
        elif found[0].isupper():
            right = right[0].upper() + right[1:]
        page.flagged.add(start)
        msg = f'"{found}" is British spelling; the guide uses US English: write "{right}"'
        page.add(start, "MED024", msg)


_ADMONITION_HEAD_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]*(?P<type>[\w-]+)[^\n]*$", re.MULTILINE
)


def _indent_width(line: str) -> int:
    return len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))


def _admonition_blocks(text: str, kind: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each admonition of type ``kind``: its first line (the title) and its
    body, the lines after it indented deeper than it (blank lines inside included)."""
    for m in _ADMONITION_HEAD_RE.finditer(text):
        if m.group("type") != kind:
            continue
        indent = _indent_width(m.group("indent"))
        end = m.end()
        for line in _lines_after(text, m.end()):
            line_start, line_end = line
            body = text[line_start:line_end]
            if body.strip():
                if _indent_width(body) <= indent:
                    break
                end = line_end
        yield m.start(), end


def _lines_after(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line after the line ending at ``pos``."""
    while pos < len(text):
        start = pos + 1
        nl = text.find("\n", start)
        end = len(text) if nl == -1 else nl
        yield start, end
        pos = end


def _check_unverified_numbers(page: _Page) -> None:
    c = page.config.compiled
    kind = c["unverified_type"]
    if kind not in page.text or page.config.severity("MED052") is None:
        return
    code: list[tuple[int, int]] | None = None
    for start, end in _admonition_blocks(page.text, kind):
        if code is None:
            code = mdmask.code_spans(page.text)
        if any(a <= start < b for a, b in code):
            continue  # an example inside code
        for m in c["actionable_re"].finditer(page.masked, start, end):
            found = " ".join(m.group(0).split())
            page.add(
                m.start(),
                "MED052",
                f'"{found}" is a number a reader could act on, and unverified claims must not '
                "carry a number: remove it until a source confirms it (then cite the source "
                "and make it ordinary text)",
            )


def _check_claims(page: _Page) -> None:
    c = page.config.compiled
    write = page.config.data["claims"].get("write", "say what the evidence shows and cite it")
    for m, _form in _gated_finditer(page.config, "claims_alts", page.tokens, page.masked):
        found = " ".join(m.group(0).split())
        if found.lower() in c["negatable"]:
            line_start = page.masked.rfind("\n", 0, m.start()) + 1
            if _NEGATION_RE.search(page.masked[max(line_start, m.start() - 60) : m.start()]):
                continue
        page.add(m.start(), "MED050", f'"{found}" is an absolute claim; {write}')


def _check_off_label(page: _Page, headings: list[tuple[int, int, int, str]]) -> None:
    c = page.config.compiled
    masked = page.masked
    reported: set[tuple[int, str]] = set()
    starts = [h[0] for h in headings]
    for m, _form in _gated_finditer(page.config, "offlabel_alts", page.tokens, masked):
        # The section: from the nearest heading above to the next heading.
        i = bisect.bisect_right(starts, m.start()) - 1
        sec_start = headings[i][0] if i >= 0 else 0
        sec_end = starts[i + 1] if i + 1 < len(starts) else len(masked)
        texts = [masked[sec_start:sec_end]]
        if i >= 0:  # and every heading it sits under
            level = headings[i][2]
            for k in range(i - 1, -1, -1):
                if headings[k][2] < level:
                    texts.append(headings[k][3])
                    level = headings[k][2]
        if any(c["section_words_re"].search(t) for t in texts):
            continue
        name = " ".join(m.group(0).lower().split())
        if (i, name) in reported:
            continue
        reported.add((i, name))
        page.add(
            m.start(),
            "MED051",
            f'"{" ".join(m.group(0).split())}" is not a licensed use of IVIG; '
            'say "off-label" in this section (or in its heading)',
        )


def _first_use_ok(masked: str, start: int, end: int, entry: VocabularyEntry | None) -> bool:
    after = masked[end : end + 200]
    before = masked[max(0, start - 200) : start].rstrip()
    expansions = [_norm(x) for x in ((entry.expansion, *entry.also) if entry else ())]
    # "expansion (ABBR)"
    if before.endswith("(") and _AFTER_OPEN_RE.match(after):
        text = _norm(before[:-1])
        if entry is None:
            return bool(_WORD_END_RE.search(text))
        for exp in expansions:
            if text.endswith(exp) or text.rstrip("s").endswith(exp) or text.endswith(exp + "s"):
                return True
        return False
    # "ABBR (expansion)"
    m = _AFTER_PAREN_RE.match(after)
    if m:
        text = _norm(m.group(1))
        if entry is None:
            return len(text.split()) >= 2
        return any(text.startswith(exp) for exp in expansions)
    return False


def _abbreviation_of(tok: str, config: Config, speller: Any) -> str | None:
    """The abbreviation a capitalised token stands for, or None for an ordinary word."""
    result = None
    base = tok[:-1] if tok.endswith("s") and len(tok) > 2 else None
    if tok in config.abbreviations:
        result = tok
    elif base and base in config.abbreviations:
        result = base
    elif len(tok) <= 10:
        t = base if base and base.isupper() else tok
        letters = [ch for ch in t if ch.isalpha()]
        caps = sum(ch.isupper() for ch in letters)
        shaped = caps >= 2 and caps * 2 >= len(letters) and not _ROMAN_RE.match(t)
        # (a word in capitals for emphasis is not an abbreviation)
        if shaped and not (len(t) >= 3 and t.isupper() and t.lower() in speller.common):
            result = t
    if result in config.allowlist:
        result = None
    return result


def _check_abbreviations(page: _Page, headings: list[tuple[int, int, int, str]], speller: Any) -> None:
    config = page.config
    # Candidates from the page's distinct tokens (each token classified once per
    # process, with set operations for the rest), then only their occurrences are read.
    seen: set[str] = config.compiled.setdefault("_abbr_seen", set())
    positive: dict[str, str] = config.compiled.setdefault("_abbr_positive", {})
    for tok in page.tokens - seen:
        abbr = _abbreviation_of(tok, config, speller) if tok[:1].isupper() else None
        if abbr:
            positive[tok] = abbr
        seen.add(tok)
    forms: dict[str, list[str]] = {}
    for tok in page.tokens & positive.keys():
        forms.setdefault(positive[tok], []).append(tok)
    if not forms:
        return
    masked = page.masked
    starts = [h[0] for h in headings]
    for abbr, toks in forms.items():
        offsets: list[int] = []
        for start, _tok in _tokens_offsets(masked, toks):
            i = bisect.bisect_right(starts, start) - 1
            if (i >= 0 and start <= headings[i][1]) or start in page.flagged:
                continue  # headings neither need nor give the expansion
            offsets.append(start)
            if len(offsets) == 2:
                break  # the first use, and whether there is another
        if not offsets:
            continue
        entry = config.abbreviations.get(abbr)
        first = offsets[0]
        if not _first_use_ok(masked, first, first + len(abbr), entry):
            if entry:
                msg = f'expand "{abbr}" at its first use on the page: write "{entry.expansion} ({abbr})"'
            else:
                msg = (
                    f'expand "{abbr}" at its first use on the page ("expansion ({abbr})"), '
                    "and add it to the vocabulary in hooks/data/medical_terms.yaml"
                )
            page.add(first, "MED030", msg)
        elif len(offsets) == 1:
            what = f'"{entry.expansion}"' if entry else "the expansion"
            page.add(
                first, "MED031", f'"{abbr}" is defined but not used again on the page; write {what} alone'
            )


def _check_spelling(page: _Page, speller: Any) -> None:
    want_join = page.config.severity("MED040") is not None
    want_spell = page.config.severity("MED041") is not None
    if not (want_join or want_spell):
        return
    # Each distinct token is classified once per process (set operations for the rest).
    for tok in page.tokens - speller.checked:
        speller.checked.add(tok)
        if (
            len(tok) < 3
            or not tok[1:].islower()
            or (not tok.isalpha() and "'" not in tok and "\u2019" not in tok)
        ):
            continue  # abbreviations, IgG, numbers, short tokens
        res = speller.classify(tok)
        if res is not None:
            speller.flagged[tok] = res
    flagged = {t: speller.flagged[t] for t in page.tokens & speller.flagged.keys()}
    if not flagged:
        return
    for start, tok in _tokens_offsets(page.masked, flagged):
        if start in page.flagged:
            continue
        kind, detail = flagged[tok]
        if kind == "join" and want_join:
            page.add(start, "MED040", f'"{tok}" looks like run-together words; write "{detail}"')
        elif kind == "spell" and want_spell:
            hint = f'; did you mean "{detail}"?' if detail else ""
            page.add(
                start,
                "MED041",
                f'"{tok}" is not in the dictionaries{hint} (add real words to hooks/data/words.txt)',
            )


# Front matter made only of `key: plain text` lines (and `reviewed: YYYY-MM-DD`) reads the
# same with or without YAML; anything else (quotes, lists, blocks, ": " or " #" inside a
# value, other dates) goes to the YAML loader.
_SIMPLE_LINE_RE = re.compile(r"([A-Za-z_][\w-]*):[ \t]+([^\s\[\]{}*&!|>%@`\"'#,?:-][^\n]*)")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "~"})


def _simple_front_matter(body: str) -> dict | None:
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


def _front_matter(page: _Page) -> tuple[dict | None, int]:
    """The front matter as a mapping ({} without one), or None when it is not valid."""
    end = mdmask.front_matter_end(page.text)
    if not end:
        return {}, 0
    body = page.text[:end]
    body = body[body.index("\n") + 1 :]
    body = body[: body.rstrip().rfind("\n") + 1] if body.rstrip().endswith("---") else body
    simple = _simple_front_matter(body)
    if simple is not None:
        return simple, end
    yaml, loader = _yaml()
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


def _check_review(page: _Page, fm: dict, fm_end: int, today: dt.date) -> None:
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


def _check_readability(page: _Page, fm: dict, stats: readability.TextStats) -> None:
    rd = page.config.data["readability"]
    g = readability.flesch_kincaid(page.masked, stats)
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


# --- suppression ------------------------------------------------------------------------


@dataclass
class _Directive:
    offset: int
    kind: str
    rules: tuple[str, ...]
    reason: str
    lines: tuple[int, int]  # first and last line it silences (file: 0, 10**9)
    used: bool = False


def _directives(page: _Page) -> list[_Directive]:
    text = page.text
    if "medical-terms:" not in text:
        return []
    code = mdmask.code_spans(text)
    out = []
    for m in _DIRECTIVE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in code):
            continue
        body = m.group("body").strip()
        rm = re.match(r"((?:[A-Za-z]+\d+)(?:\s*,\s*[A-Za-z]+\d+)*)", body)
        rules = tuple(r.strip().upper() for r in rm.group(1).split(",")) if rm else ()
        reason = body[rm.end() :] if rm else body
        reason = re.sub(r"^[\s\-\u2013\u2014:]+", "", reason).strip()
        last_line, _ = page.index.position(m.end())
        first_line, _ = page.index.position(m.start())
        if m.group("kind") == "disable-file":
            lines = (0, 10**9)
        else:
            nxt = last_line + 1
            line_texts = text.split("\n")
            while nxt <= len(line_texts) and not line_texts[nxt - 1].strip():
                nxt += 1
            lines = (first_line, nxt)
        d = _Directive(m.start(), m.group("kind"), rules, reason, lines)
        out.append(d)
        known = page.config.severities
        if not rules:
            page.add(
                m.start(),
                "MED091",
                f'name the rule to disable: "<!-- medical-terms: {d.kind} MED0xx -- reason -->"',
            )
        for r in rules:
            if r not in known:
                page.add(
                    m.start(), "MED091", f'"{r}" is not a rule of the medical-term lint; check the rule ID'
                )
        if not reason and page.config.data.get("suppression", {}).get("require_reason", True):
            page.add(
                m.start(),
                "MED090",
                f'say why the rule is disabled: "<!-- medical-terms: {d.kind} '
                f'{", ".join(rules) or "MED0xx"} -- reason -->"',
            )
    return out


def _apply_suppressions(page: _Page, directives: list[_Directive]) -> list[Finding]:
    out = []
    for f in page.findings:
        hit = None
        if f.rule not in ("MED090", "MED091", "MED092"):
            for d in directives:
                if f.rule in d.rules and d.lines[0] <= f.line <= d.lines[1]:
                    hit = d
                    break
        if hit:
            hit.used = True
            out.append(
                Finding(
                    f.path,
                    f.line,
                    f.col,
                    f.severity,
                    f.rule,
                    f.message,
                    suppressed=True,
                    suppression_reason=hit.reason,
                    extra=f.extra,
                )
            )
        else:
            out.append(f)
    page.findings = out
    for d in directives:
        known = [r for r in d.rules if r in page.config.severities]
        if known and not d.used:
            page.add(
                d.offset, "MED092", f"this suppression of {', '.join(known)} silences nothing; remove it"
            )
    return page.findings


# --- entry point ------------------------------------------------------------------------


def speller_for(config: Config) -> spelling.Speller:
    sp = config.compiled.get("speller")
    if sp is None:
        english = spelling.english_words(config.compiled["hunspell"])
        sp = spelling.Speller(english, config.extra_words, config.compiled["function_words"])
        config.compiled["speller"] = sp
    return sp


def lint(
    text: str, path: str, config: Config | None = None, *, today: dt.date | None = None
) -> list[Finding]:
    """All findings for one Markdown page (suppressed ones marked), sorted by position."""
    config = config or load_config()
    today = today or dt.date.today()
    text = text.replace("\r\n", "\n")
    masked = mdmask.prose_mask(text)
    page = _Page(text, masked, path, config, mdmask.LineIndex(text))
    stats = readability.text_stats(masked)
    page.tokens = stats.tokens
    speller = speller_for(config)
    headings = _heading_lines(masked)
    fm, fm_end = _front_matter(page)
    _check_doses(page)
    _check_abbreviation_forms(page)
    _check_naming(page)
    _check_us_spelling(page)
    _check_claims(page)
    _check_unverified_numbers(page)
    _check_off_label(page, headings)
    _check_abbreviations(page, headings, speller)
    _check_spelling(page, speller)
    _check_readability(page, fm or {}, stats)
    if fm is not None:
        _check_review(page, fm, fm_end, today)
    directives = _directives(page)
    findings = _apply_suppressions(page, directives)
    return sorted(findings, key=Finding.sort_key)
