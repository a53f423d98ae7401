"""Shared fixtures: the real site, built once per test session in a temporary folder."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    log: str
    sources_before: dict[str, str]
    sources_after: dict[str, str]

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
    """A strict build of the real site, PDF included, exactly as `make site` builds it."""
    site_dir = tmp_path_factory.mktemp("site")
    before = source_digests()
    result = run_mkdocs_build(site_dir, ENABLE_PDF_EXPORT="1")
    if result.returncode != 0:
        pytest.fail(f"the strict build of the real site failed:\n{result.stdout}\n{result.stderr}")
    return BuiltSite(site_dir, result.stdout + result.stderr, before, source_digests())


def source_digests() -> dict[str, str]:
    """SHA-256 of every file a build reads, to prove the build changes none of them."""
    files = [ROOT / "references.bib", ROOT / "mkdocs.yml", ROOT / "CONTRIBUTING.md"]
    for folder in (DOCS, ROOT / "hooks" / "data"):
        files.extend(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}


# --- Offline copy (added for tests/test_browser.py and tests/test_links.py) ----------------
# `make offline` after `make site`, as the Pages workflow runs them: the file:// copy is
# built by scripts/build_offline.py and its zip lands in the built site's downloads/.

BUILD_OFFLINE = ROOT / "scripts" / "build_offline.py"


@dataclass(frozen=True)
class OfflineCopy:
    site_dir: Path  # the copy as built (site-offline/)
    zip_path: Path  # the zip inside the published site (downloads/ivig-guide-offline.zip)


@pytest.fixture(scope="session")
def offline_copy(built_site, tmp_path_factory) -> OfflineCopy:
    """The file:// copy, built once; its zip is written into ``built_site``."""
    if not BUILD_OFFLINE.is_file():
        pytest.fail(f"{BUILD_OFFLINE.relative_to(ROOT)} does not exist: the offline copy cannot be built")
    site_dir = tmp_path_factory.mktemp("offline") / "site-offline"
    zip_path = built_site.path / "downloads" / "ivig-guide-offline.zip"
    result = subprocess.run(
        [sys.executable, str(BUILD_OFFLINE), "--site-dir", str(site_dir), "--zip", str(zip_path)],
        cwd=ROOT,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"scripts/build_offline.py failed:\n{result.stdout}\n{result.stderr}")
    return OfflineCopy(site_dir, zip_path)
