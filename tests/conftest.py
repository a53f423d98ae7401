"""Shared fixtures: the real site, built once per test session in a temporary folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

# pytester runs small pytest sessions with this conftest (tests/test_setup.py).
pytest_plugins = ("pytester",)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    log: str
    sources_before: dict[str, str]
    sources_after: dict[str, str]
    offline_dir: Path  # the file:// copy whose zip is in downloads/, as `make site` builds it

    def html(self, src_uri: str) -> str:
        """The built HTML of a page, from its source name (``side-effects.md``)."""
        return (self.path / page_url(src_uri) / "index.html").read_text(encoding="utf-8")

    def soup(self, src_uri: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(src_uri), "html.parser")


def page_url(src_uri: str) -> str:
    stem = src_uri.removesuffix(".md")
    return "" if stem == "index" else stem


def content_pages() -> list[str]:
    """Every Markdown page in docs/, as its source name."""
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def build_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")
    env.update(extra)
    return env


def run_mkdocs_build(site_dir: Path, *, config: Path = ROOT / "mkdocs.yml", **env: str):
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)],
        cwd=config.parent,
        env=build_env(**env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """A strict build of the real site, PDF included, exactly as `make site` builds it.

    Built once per test session: under pytest-xdist the first worker builds it and the
    others wait for it and reuse it (see ``shared_build``).
    """
    before = source_digests()
    key = digest({"sources": before, "env": "ENABLE_PDF_EXPORT=1"})
    folder, record = shared_build(tmp_path_factory, "real-site", key, _build_real_site)
    if record["failure"]:
        pytest.fail(record["failure"])
    return BuiltSite(
        folder / "site",
        record["log"],
        record["sources_before"],
        record["sources_after"],
        folder / "offline" / "site-offline",
    )


def _build_real_site(folder: Path) -> dict:
    site_dir = folder / "site"
    before = source_digests()
    record = {"failure": "", "log": "", "sources_before": before, "sources_after": before}
    result = run_mkdocs_build(site_dir, ENABLE_PDF_EXPORT="1")
    record["log"] = result.stdout + result.stderr
    if result.returncode != 0:
        record["failure"] = f"the strict build of the real site failed:\n{result.stdout}\n{result.stderr}"
        return record
    # `make site` also puts the offline copy's zip into the site, which links to it.
    (folder / "offline").mkdir(exist_ok=True)
    offline = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_offline.py"),
            "--site-dir",
            str(folder / "offline" / "site-offline"),
            "--zip",
            str(site_dir / "downloads" / "ivig-guide-offline.zip"),
        ],
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if offline.returncode != 0:
        record["failure"] = f"the offline build failed:\n{offline.stdout}\n{offline.stderr}"
    record["sources_after"] = source_digests()
    return record


# --- Keeping module-scoped builds to one worker ---------------------------------------------


def pytest_collection_modifyitems(config, items):
    """Under xdist, keep the tests that share a module-scoped fixture on one worker.

    `make test` runs ``--dist loadgroup``: tests spread one by one across the workers,
    except those carrying the same ``xdist_group`` mark, which run on one worker. Every
    test that uses a module-scoped fixture of its own module (a fixture-site build, a
    parsed workflow) gets its module's group, so that fixture runs once, not once per
    worker. Session-scoped builds are shared through ``shared_build`` instead.
    """
    for item in items:
        fixture_info = getattr(item, "_fixtureinfo", None)
        if fixture_info is None or item.get_closest_marker("xdist_group"):
            continue
        here = str(item.path)
        module_scoped = (
            d
            for defs in fixture_info.name2fixturedefs.values()
            for d in defs
            if d.scope == "module" and getattr(d.func, "__code__", None) is not None
        )
        if any(d.func.__code__.co_filename == here for d in module_scoped):
            item.add_marker(pytest.mark.xdist_group(item.path.name))
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # One test that needs the real site goes first: its worker starts the build at
        # once while the other workers run the tests that need no build, instead of all
        # of them waiting for it at the start.
        first = next((i for i, item in enumerate(items) if "built_site" in item.fixturenames), None)
        if first:
            items.insert(0, items.pop(first))


# --- One build per session, shared by pytest-xdist workers --------------------------------

SHARED_BUILD_TIMEOUT = 540  # seconds a worker waits for another worker's build (under pytest-timeout)


def digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def shared_build(tmp_path_factory, name: str, key: str, build) -> tuple[Path, dict]:
    """Run ``build(folder) -> record`` once per test session and return ``(folder, record)``.

    Without xdist this is a fresh temporary folder. Under xdist every worker's temporary
    folder lies in the session's one (``.../pytest-N/popen-gw0``), so the build goes to
    ``.../pytest-N/<name>-<key>`` under a file lock: the first worker builds and writes the
    record (a JSON-able dict, failures included, so a failed build is not run twice); the
    others wait on the lock and read it. ``key`` (a digest of the inputs) keeps a changed
    source from reusing an older build.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        return folder, build(folder)

    from filelock import FileLock, Timeout

    folder = tmp_path_factory.getbasetemp().parent / f"{name}-{key}"
    done = folder.with_name(folder.name + ".json")
    try:
        with FileLock(str(folder) + ".lock", timeout=SHARED_BUILD_TIMEOUT):
            if not done.is_file():
                shutil.rmtree(folder, ignore_errors=True)  # left by a build that raised
                folder.mkdir(parents=True)
                record = build(folder)
                partial = done.with_suffix(".partial")
                partial.write_text(json.dumps(record), encoding="utf-8")
                partial.replace(done)
    except Timeout:
        pytest.fail(f"waited {SHARED_BUILD_TIMEOUT} s for another test worker to build {folder}")
    return folder, json.loads(done.read_text(encoding="utf-8"))


def source_digests() -> dict[str, str]:
    """SHA-256 of every file a build reads, to prove the build changes none of them."""
    files = [ROOT / "references.bib", ROOT / "mkdocs.yml", ROOT / "CONTRIBUTING.md"]
    for folder in (DOCS, ROOT / "hooks" / "data"):
        files.extend(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}


# --- Offline copy (for tests/test_browser.py and tests/test_links.py) ----------------------


@dataclass(frozen=True)
class OfflineCopy:
    site_dir: Path  # the copy as built (site-offline/)
    zip_path: Path  # the zip inside the published site (downloads/ivig-guide-offline.zip)


@pytest.fixture(scope="session")
def offline_copy(built_site) -> OfflineCopy:
    """The file:// copy that ``built_site`` built, as `make site` does, and its zip."""
    return OfflineCopy(built_site.offline_dir, built_site.path / "downloads" / "ivig-guide-offline.zip")
