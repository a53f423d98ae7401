"""Ask the DOI registries about DOIs (only with ``doi_check.py --online``), and keep the cache.

- existence: the DOI handle API (``https://doi.org/api/handles/{doi}``): HTTP 404 or
  ``responseCode`` 100 means "not registered";
- metadata: a Crossref-compatible ``/works/{doi}`` API; the record is trimmed to the
  fields the checks use and stored in the cache (``hooks/data/doi-registry.json``).

Politeness and robustness: a ``User-Agent`` naming the project and a contact address
(``[tool.doi-check] contact`` in pyproject.toml, or the ``DOI_CHECK_CONTACT``
environment variable); at most :data:`MAX_CONCURRENT` requests at once; a timeout on
every request; HTTP 429 waits for ``Retry-After`` (capped), 5xx is retried with
exponential backoff, a bounded number of times. Anything else that goes wrong (a
timeout, a broken connection, an answer that is not the JSON expected) makes the DOI
"unverifiable": a warning, never a crash or a hang.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from ivig_tools.bibcheck import BibEntry, BibFile, doi_form, normalise_doi
from ivig_tools.findings import Finding

DEFAULT_API_URL = "https://api.crossref.org"
DEFAULT_HANDLE_URL = "https://doi.org/api/handles"
DEFAULT_TIMEOUT = 10.0
MAX_CONCURRENT = 3
MAX_BODY = 4 * 1024 * 1024
PROJECT_URL = "https://github.com/ivig-guide/ivig-guide"
ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"

Status = Literal["found", "not-registered", "not-crossref", "unverifiable"]

# The fields of a Crossref /works message the checks use; the cache keeps only these.
RECORD_FIELDS = (
    "DOI",
    "type",
    "title",
    "subtitle",
    "container-title",
    "short-container-title",
    "author",
    "issued",
    "published-print",
    "published-online",
    "published",
    "volume",
    "issue",
    "page",
    "article-number",
    "publisher",
    "updated-by",
)
_AUTHOR_FIELDS = ("given", "family", "name", "sequence")
_UPDATE_FIELDS = ("type", "label", "DOI", "updated", "source", "note")


@dataclass(frozen=True)
class Settings:
    api_url: str = DEFAULT_API_URL
    handle_url: str = DEFAULT_HANDLE_URL
    timeout: float = DEFAULT_TIMEOUT
    contact: str = ""
    max_attempts: int = 4  # for 429 and 5xx answers
    backoff: float = 1.0  # seconds before the first retry of a 5xx; doubles each time
    max_retry_after: float = 60.0  # the longest a Retry-After is honoured

    @property
    def user_agent(self) -> str:
        contact = self.contact.strip()
        if "@" in contact and not contact.startswith("mailto:"):
            contact = f"mailto:{contact}"
        about = f"{PROJECT_URL}; {contact}" if contact else PROJECT_URL
        return f"ivig-guide-doi-check/1.0 (+{about}) python-urllib"


def configured_contact(pyproject: Path = PYPROJECT) -> str:
    """The contact address for the User-Agent: $DOI_CHECK_CONTACT, else pyproject.toml."""
    env = os.environ.get("DOI_CHECK_CONTACT", "").strip()
    if env:
        return env
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    return str(data.get("tool", {}).get("doi-check", {}).get("contact", "")).strip()


@dataclass(frozen=True)
class Lookup:
    doi: str
    status: Status
    record: dict[str, Any] | None = None
    reason: str = ""  # why it could not be verified, or what the registry said


class Unverifiable(Exception):
    """The registry did not give a usable answer."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


class Client:
    """A small, polite HTTP client for the two registry APIs."""

    def __init__(self, settings: Settings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self._slots = threading.BoundedSemaphore(MAX_CONCURRENT)
        self._sleep = sleep

    # --- HTTP ------------------------------------------------------------------------

    def get(self, url: str) -> Response:
        """GET with retries for 429 and 5xx; any other status is returned; failures raise Unverifiable."""
        s = self.settings
        request = urllib.request.Request(
            url, headers={"User-Agent": s.user_agent, "Accept": "application/json"}
        )
        last = ""
        for attempt in range(1, s.max_attempts + 1):
            try:
                with self._slots, urllib.request.urlopen(request, timeout=s.timeout) as answer:
                    return Response(answer.status, answer.read(MAX_BODY))
            except urllib.error.HTTPError as error:
                status = error.code
                try:
                    body = error.read(MAX_BODY)
                except (OSError, ValueError):
                    body = b""
                finally:
                    error.close()
                if status == 429:
                    wait = retry_after(
                        error.headers.get("Retry-After"), default=s.backoff * 2 ** (attempt - 1)
                    )
                    last = "HTTP 429 (too many requests)"
                elif 500 <= status <= 599:
                    wait = s.backoff * 2 ** (attempt - 1)
                    last = f"HTTP {status}"
                else:
                    return Response(status, body)
                if attempt < s.max_attempts:
                    self._sleep(min(wait, s.max_retry_after))
            except TimeoutError as error:
                raise Unverifiable(f"no answer within {s.timeout:g} s") from error
            except urllib.error.URLError as error:
                reason = error.reason
                if isinstance(reason, TimeoutError | socket.timeout):
                    raise Unverifiable(f"no answer within {s.timeout:g} s") from error
                raise Unverifiable(f"cannot connect ({reason})") from error
            except (OSError, ValueError) as error:  # connection reset, bad status line, ...
                raise Unverifiable(f"broken answer ({type(error).__name__}: {error})") from error
        raise Unverifiable(f"{last} after {s.max_attempts} attempts")

    def get_json(self, url: str) -> tuple[int, object]:
        answer = self.get(url)
        if answer.status == 404:
            return 404, None
        if answer.status != 200:
            raise Unverifiable(f"HTTP {answer.status}")
        try:
            return 200, json.loads(answer.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise Unverifiable("the answer is not valid JSON") from error

    # --- the registries -------------------------------------------------------------

    def handle_exists(self, doi: str) -> bool:
        """True or False from the handle API; Unverifiable when it does not say."""
        status, data = self.get_json(f"{self.settings.handle_url.rstrip('/')}/{quote(doi, safe='/')}")
        if status == 404:
            return False
        if not isinstance(data, dict) or "responseCode" not in data:
            raise Unverifiable("the handle API answered something unexpected")
        code = data.get("responseCode")
        if code == 1:
            return True
        if code == 100:
            return False
        raise Unverifiable(f"the handle API answered responseCode {code!r}")

    def works(self, doi: str) -> dict[str, Any] | None:
        """The trimmed /works record, None when the API does not know the DOI."""
        status, data = self.get_json(f"{self.settings.api_url.rstrip('/')}/works/{quote(doi, safe='/')}")
        if status == 404:
            return None
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, dict) or (
            isinstance(data, dict) and data.get("status") not in (None, "ok")
        ):
            raise Unverifiable("the works API answered something unexpected")
        if str(message.get("DOI", "")).lower() != doi.lower():
            raise Unverifiable(f"the works API answered for another DOI ({message.get('DOI')!r})")
        return trim_record(message)

    def lookup(self, doi: str) -> Lookup:
        try:
            exists: bool | None = self.handle_exists(doi)
            handle_problem = ""
        except Unverifiable as problem:
            exists, handle_problem = None, str(problem)
        if exists is False:
            return Lookup(doi, "not-registered", reason="the handle API does not know it")
        try:
            record = self.works(doi)
        except Unverifiable as problem:
            return Lookup(doi, "unverifiable", reason=f"works API: {problem}")
        if record is not None:
            return Lookup(doi, "found", record)
        if exists:
            return Lookup(doi, "not-crossref", reason="registered, but the works API has no record")
        return Lookup(doi, "unverifiable", reason=f"handle API: {handle_problem}; works API: not found")

    def lookup_many(self, dois: Iterable[str]) -> dict[str, Lookup]:
        """Look up each DOI once (case-insensitively); the result is keyed by lower-case DOI."""
        unique = list({d.lower(): d for d in dois}.values())
        if not unique:
            return {}
        with ThreadPoolExecutor(max_workers=MAX_CONCURRENT) as pool:
            return {d.lower(): r for d, r in zip(unique, pool.map(self.lookup, unique), strict=True)}


def retry_after(value: str | None, *, default: float) -> float:
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def trim_record(message: Mapping[str, Any]) -> dict[str, Any]:
    """A /works message reduced to the fields the checks use (keeps the cache's diffs readable)."""
    record = {k: message[k] for k in RECORD_FIELDS if k in message and message[k] not in (None, [], "")}
    if "author" in record:
        record["author"] = [
            {k: a[k] for k in _AUTHOR_FIELDS if k in a} for a in record["author"] if isinstance(a, Mapping)
        ]
    if "updated-by" in record:
        record["updated-by"] = [
            {k: u[k] for k in _UPDATE_FIELDS if k in u}
            for u in record["updated-by"]
            if isinstance(u, Mapping)
        ]
    for key in ("issued", "published-print", "published-online", "published"):
        if isinstance(record.get(key), Mapping):
            record[key] = {"date-parts": record[key].get("date-parts")}
    return record


# --- the cache -----------------------------------------------------------------------------


def _update_identity(update: Mapping[str, Any]) -> tuple[str, str]:
    return (str(update.get("type", "")).lower(), str(update.get("DOI") or update.get("note") or "").lower())


def merge_cache(cache: Mapping[str, Any], lookups: Mapping[str, Lookup], today: str) -> dict[str, Any]:
    """The cache with what the lookups learned. Unverifiable lookups change nothing.

    A record's ``checked`` date changes only when its content changes, so a refresh
    that learns nothing leaves the file as it was. Notices added by hand (for example
    an erratum seen on PubMed) are kept when the registry does not list them.
    """
    merged: dict[str, Any] = json.loads(json.dumps(cache))  # a deep copy
    records: dict[str, Any] = merged.setdefault("records", {})
    unregistered: dict[str, Any] = merged.get("unregistered") or {}
    by_lower = {k.lower(): k for k in records}
    for doi, lookup in lookups.items():
        lower = doi.lower()
        if lookup.status == "found" and lookup.record is not None:
            old_key = by_lower.get(lower)
            old = records.pop(old_key, None) if old_key else None
            new = dict(lookup.record)
            if old:
                kept = [
                    u
                    for u in old.get("updated-by") or []
                    if isinstance(u, Mapping)
                    and _update_identity(u) not in {_update_identity(n) for n in new.get("updated-by") or []}
                ]
                if kept:
                    new["updated-by"] = [*(new.get("updated-by") or []), *kept]
                if old.get("provenance"):
                    new["provenance"] = old["provenance"]
            new.setdefault("provenance", "Crossref REST API /works")
            same = old is not None and {k: v for k, v in old.items() if k != "checked"} == new
            new["checked"] = (
                old.get("checked", today) if old is not None and same and old.get("checked") else today
            )
            records[lower] = new
            unregistered.pop(lower, None)
        elif lookup.status == "not-registered":
            old_key = by_lower.get(lower)
            if old_key:
                records.pop(old_key, None)
            unregistered.setdefault(lower, {"checked": today, "reason": lookup.reason})
    if unregistered:
        merged["unregistered"] = unregistered
    else:
        merged.pop("unregistered", None)
    return merged


def dump_cache(cache: Mapping[str, Any]) -> str:
    return json.dumps(cache, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_cache(path: Path, cache: Mapping[str, Any]) -> None:
    """Write atomically: a temporary file beside the cache, then a rename over it."""
    text = dump_cache(cache)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- findings --------------------------------------------------------------------------------


def lookup_findings(
    bibs: Sequence[BibFile], lookups: Mapping[str, Lookup], settings: Settings
) -> list[Finding]:
    """REG006 (could not verify) and REG007 (not with Crossref) for the entries of each DOI.

    "Not registered" (REG005) and disagreements (REG001-REG004) come from
    ``bibcheck.check_bibliography`` run on the merged cache.
    """
    out = []
    for bib in bibs:
        for entry in bib.entries:
            doi = entry_doi(entry)
            lookup = lookups.get(doi.lower()) if doi else None
            if lookup is None:
                continue
            f = entry.fields["doi"]
            if lookup.status == "unverifiable":
                out.append(
                    bib.finding(
                        f.value_offset,
                        "REG006",
                        f"entry '{entry.key}' (doi {doi}): could not verify with the registry "
                        f"({lookup.reason}); try again later",
                    )
                )
            elif lookup.status == "not-crossref":
                out.append(
                    bib.finding(
                        f.value_offset,
                        "REG007",
                        f"entry '{entry.key}' (doi {doi}) is registered, but not with Crossref "
                        f"({settings.api_url}); its metadata was not compared",
                    )
                )
    return out


def entry_doi(entry: BibEntry) -> str:
    field = entry.fields.get("doi")
    if field is None or not field.value.strip():
        return ""
    doi = normalise_doi(field.value)
    return doi if doi_form(doi) != "invalid" else ""
