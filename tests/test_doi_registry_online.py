"""ivig_tools.doi_registry and `doi_check.py --online` against a local stand-in of the registries.

The server on 127.0.0.1 answers the handle API (``/handles/{doi}``) and a
Crossref-compatible ``/works/{doi}``, each DOI with its own behaviour: found, not
found, 429 then found, 500, a hang past the timeout, malformed JSON, a retraction.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest
from ivig_tools import bibcheck, doi_registry
from ivig_tools.doi_registry import Client, Lookup, Settings

pytestmark = pytest.mark.online

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "hooks" / "doi_check.py"


def work(doi: str, **fields) -> dict:
    message = {
        "DOI": doi,
        "type": "journal-article",
        "title": ["A found paper"],
        "container-title": ["Journal of Examples"],
        "short-container-title": ["J Ex"],
        "author": [{"given": "Jane", "family": "Doe", "sequence": "first", "ORCID": "x", "affiliation": []}],
        "issued": {"date-parts": [[2020, 5, 1]]},
        "volume": "1",
        "page": "1-10",
        "reference": [{"key": "a huge list the cache does not keep"}],
    }
    message.update(fields)
    return {"status": "ok", "message-type": "work", "message": message}


RETRACTION = [
    {
        "type": "retraction",
        "label": "Retraction",
        "DOI": "10.5555/retraction-notice",
        "source": "retraction-watch",
        "updated": {"date-parts": [[2021, 1, 2]]},
    }
]


class Registry(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []  # (path, user agent)
        self.in_flight = 0
        self.max_in_flight = 0
        self.counts: dict[str, int] = {}
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Registry

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def send(self, status: int, body: object, headers: dict | None = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        s = self.server
        with s.lock:
            s.requests.append((self.path, self.headers.get("User-Agent", "")))
            s.in_flight += 1
            s.max_in_flight = max(s.max_in_flight, s.in_flight)
            s.counts[self.path] = s.counts.get(self.path, 0) + 1
            count = s.counts[self.path]
        try:
            if s.delay:
                time.sleep(s.delay)
        finally:
            # Out of flight before the answer goes out: once the client has it, it may send
            # its next request before this thread runs again, which would count 4.
            with s.lock:
                s.in_flight -= 1
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.answer(count)

    def answer(self, count: int) -> None:
        kind, _, doi = self.path.lstrip("/").partition("/")
        doi = unquote(doi)
        name = doi.split("/", 1)[1] if "/" in doi else doi
        if kind == "handles":
            if name.startswith("missing"):
                self.send(404, {"responseCode": 100, "handle": doi})
            elif name == "handle-garbage":
                self.send(200, b"<html>not json</html>")
            else:
                self.send(200, {"responseCode": 1, "handle": doi, "values": []})
            return
        if kind != "works":
            self.send(404, b"Resource not found.")
            return
        if name.startswith("found") or name == "handle-garbage":
            self.send(200, work(doi))
        elif name == "ratelimited":
            if count == 1:
                self.send(429, b"slow down", {"Retry-After": "1"})
            else:
                self.send(200, work(doi))
        elif name == "flaky":
            if count == 1:
                self.send(503, b"busy")
            else:
                self.send(200, work(doi))
        elif name == "broken":
            self.send(500, b"internal error")
        elif name == "hang":
            time.sleep(3)
            self.send(200, work(doi))
        elif name == "garbage":
            self.send(200, b'{"status": "ok", "message": ')
        elif name == "nonsense":
            self.send(200, {"status": "ok", "message": ["not", "a", "record"]})
        elif name == "other-doi":
            self.send(200, work("10.9999/someone-else"))
        elif name == "retracted":
            self.send(200, work(doi, **{"updated-by": RETRACTION}))
        elif name == "datacite":
            self.send(404, b"Resource not found.")
        else:
            self.send(404, b"Resource not found.")


@pytest.fixture
def registry():
    server = Registry()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def client(registry: Registry, sleeps: list[float] | None = None, **settings) -> Client:
    options = {"timeout": 0.5, "backoff": 0.01, "max_retry_after": 0.05, "contact": "editors@example.org"}
    options.update(settings)
    s = Settings(api_url=registry.url, handle_url=f"{registry.url}/handles", **options)
    recorded = sleeps if sleeps is not None else []

    def sleep(seconds: float) -> None:
        recorded.append(seconds)
        time.sleep(seconds)

    return Client(s, sleep=sleep)


# --- the client ---------------------------------------------------------------------------


def test_found(registry):
    result = client(registry).lookup("10.5555/found")
    assert result.status == "found"
    assert result.record["title"] == ["A found paper"]
    assert "reference" not in result.record  # trimmed
    assert result.record["author"] == [{"given": "Jane", "family": "Doe", "sequence": "first"}]


def test_not_registered(registry):
    result = client(registry).lookup("10.5555/missing")
    assert result.status == "not-registered"
    assert [p for p, _ in registry.requests] == ["/handles/10.5555/missing"]


def test_429_honours_retry_after_capped(registry):
    sleeps: list[float] = []
    result = client(registry, sleeps).lookup("10.5555/ratelimited")
    assert result.status == "found"
    assert sleeps == [0.05]  # Retry-After: 1, capped at max_retry_after


def test_5xx_is_retried_with_backoff(registry):
    sleeps: list[float] = []
    assert client(registry, sleeps).lookup("10.5555/flaky").status == "found"
    assert sleeps == [0.01]


def test_persistent_500_is_unverifiable_after_bounded_retries(registry):
    sleeps: list[float] = []
    result = client(registry, sleeps, max_attempts=3).lookup("10.5555/broken")
    assert result.status == "unverifiable"
    assert "HTTP 500 after 3 attempts" in result.reason
    assert sleeps == [0.01, 0.02]


def test_a_hang_past_the_timeout_is_unverifiable(registry):
    start = time.monotonic()
    result = client(registry, timeout=0.3).lookup("10.5555/hang")
    assert result.status == "unverifiable"
    assert "0.3 s" in result.reason
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("name", ["garbage", "nonsense", "other-doi"])
def test_malformed_answers_are_unverifiable(registry, name):
    result = client(registry).lookup(f"10.5555/{name}")
    assert result.status == "unverifiable"


def test_registered_elsewhere_than_crossref(registry):
    assert client(registry).lookup("10.5555/datacite").status == "not-crossref"


def test_broken_handle_api_falls_back_to_the_works_api(registry):
    assert client(registry).lookup("10.5555/handle-garbage").status == "found"


def test_nothing_listening_is_unverifiable():
    s = Settings(api_url="http://127.0.0.1:9", handle_url="http://127.0.0.1:9/handles", timeout=0.5)
    assert Client(s).lookup("10.5555/found").status == "unverifiable"


def test_at_most_three_requests_at_once_and_a_polite_user_agent(registry):
    registry.delay = 0.1
    dois = [f"10.5555/found-{i}" for i in range(9)]
    results = client(registry).lookup_many(dois)
    assert {r.status for r in results.values()} == {"found"}
    assert registry.max_in_flight == 3
    agents = {ua for _, ua in registry.requests}
    assert len(agents) == 1
    (agent,) = agents
    assert "mailto:editors@example.org" in agent and "ivig-guide" in agent


def test_contact_from_environment_then_pyproject(monkeypatch, tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.doi-check]\ncontact = "team@example.org"\n', encoding="utf-8")
    monkeypatch.delenv("DOI_CHECK_CONTACT", raising=False)
    assert doi_registry.configured_contact(pyproject) == "team@example.org"
    monkeypatch.setenv("DOI_CHECK_CONTACT", "other@example.org")
    assert doi_registry.configured_contact(pyproject) == "other@example.org"


def test_retry_after_as_a_date():
    assert doi_registry.retry_after("Wed, 21 Oct 2015 07:28:00 GMT", default=5) == 0.0
    assert doi_registry.retry_after("7", default=5) == 7.0
    assert doi_registry.retry_after("soon", default=5) == 5


# --- the cache ---------------------------------------------------------------------------------


def test_merge_keeps_hand_added_notices_and_dates(registry):
    old = {
        "records": {
            "10.5555/found": {
                **work("10.5555/found")["message"],
                "updated-by": [{"type": "erratum", "label": "Erratum", "note": "seen on PubMed"}],
                "provenance": "PubMed",
                "checked": "2026-01-01",
            }
        }
    }
    lookups = client(registry).lookup_many(["10.5555/found", "10.5555/missing"])
    merged = doi_registry.merge_cache(old, lookups, "2026-11-22")
    record = merged["records"]["10.5555/found"]
    assert record["updated-by"] == [{"type": "erratum", "label": "Erratum", "note": "seen on PubMed"}]
    assert record["provenance"] == "PubMed"
    assert record["checked"] == "2026-11-22"  # the content changed (trimmed)
    assert merged["unregistered"]["10.5555/missing"]["checked"] == "2026-11-22"
    again = doi_registry.merge_cache(merged, lookups, "2026-12-01")
    assert again == merged  # nothing new: nothing changes, not even the dates


def test_unverifiable_changes_nothing():
    cache = {"records": {"10.5555/x": {"DOI": "10.5555/x"}}}
    lookups = {"10.5555/x": Lookup("10.5555/x", "unverifiable", reason="timeout")}
    assert doi_registry.merge_cache(cache, lookups, "2026-11-22") == cache


def test_write_cache_is_atomic_and_sorted(tmp_path):
    path = tmp_path / "cache.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o444)
    doi_registry.write_cache(path, {"records": {"b": {"z": 1, "a": 2}}, "note": "n"})
    text = path.read_text(encoding="utf-8")
    assert (
        text == '{\n  "note": "n",\n  "records": {\n    "b": {\n      "a": 2,\n      "z": 1\n    }\n  }\n}\n'
    )
    assert path.stat().st_mode & 0o777 == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["cache.json"]  # no temporary file left


# --- the command line -------------------------------------------------------------------------

BIB = """@article{{{key},
  author = {{Doe, Jane}}, title = {{A found paper}}, journal = {{Journal of Examples}},
  shortjournal = {{J Ex}}, year = {{2020}}, volume = {{1}}, pages = {{1--10}}, doi = {{{doi}}},
}}
"""


def test_cli_online_reports_and_updates_the_cache(registry, tmp_path):
    bib = tmp_path / "refs.bib"
    names = ["found", "missing", "ratelimited", "hang", "garbage", "retracted", "datacite"]
    bib.write_text("".join(BIB.format(key=n, doi=f"10.5555/{n}") for n in names), encoding="utf-8")
    cache = tmp_path / "cache.json"
    cache.write_text('{"records": {}}\n', encoding="utf-8")
    command = [
        sys.executable,
        str(SCRIPT),
        str(bib),
        "--online",
        "--update-cache",
        "--cache",
        str(cache),
        "--api-url",
        registry.url,
        "--handle-url",
        f"{registry.url}/handles",
        "--timeout",
        "0.5",
        "--format",
        "json",
    ]
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert time.monotonic() - start < 15
    assert result.returncode == 1, result.stderr
    by_key: dict[str, set[str]] = {}
    for row in json.loads(result.stdout):
        key = row["message"].split("'")[1]
        by_key.setdefault(key, set()).add(row["rule"])
    assert by_key["missing"] == {"REG005"}
    assert by_key["hang"] == {"REG006", "DOI005"}
    assert by_key["garbage"] == {"REG006", "DOI005"}
    assert by_key["retracted"] == {"REG002"}
    assert by_key["datacite"] == {"REG007", "DOI005"}
    assert "found" not in by_key and "ratelimited" not in by_key

    data = json.loads(cache.read_text(encoding="utf-8"))
    assert sorted(data["records"]) == ["10.5555/found", "10.5555/ratelimited", "10.5555/retracted"]
    assert list(data["unregistered"]) == ["10.5555/missing"]
    assert cache.read_text(encoding="utf-8") == doi_registry.dump_cache(data)

    # Offline, the refreshed cache now says what the registry said.
    offline = bibcheck.check([("refs.bib", bib.read_text(encoding="utf-8"))], None, data)
    rules = {(f.message.split("'")[1], f.rule) for f in offline}
    assert ("missing", "REG005") in rules and ("retracted", "REG002") in rules
