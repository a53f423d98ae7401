"""The copy of the guide that works from file:// (`make offline`, scripts/build_offline.py).

Checked here without a browser: the variant's configuration, the vendored iframe-worker
shim in every page, nothing fetched from the network, the search index inlined as a script
(the offline plugin's way), pages as .html files, and a zip that holds the whole copy.
Whether search really answers from file:// is for the browser tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_offline.py"
VARIANT = ROOT / "mkdocs.offline.yml"
SHIM_URI = "assets/javascripts/vendor/iframe-worker-shim.js"
SHIM = ROOT / "docs" / SHIM_URI


def _load_script():
    spec = importlib.util.spec_from_file_location("build_offline", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_offline"] = module
    spec.loader.exec_module(module)
    return module


build_offline = _load_script()


# --- the variant's configuration ---------------------------------------------------


def _raw_config(path: Path) -> dict:
    with path.open("rb") as f:
        return yaml_load(f)


def test_variant_adds_only_the_shim_to_the_site_configuration():
    base, variant = _raw_config(ROOT / "mkdocs.yml"), _raw_config(VARIANT)
    # INHERIT merges mappings and replaces lists: the plugins must come through once, unchanged.
    assert variant["plugins"] == base["plugins"]
    assert variant["extra"]["polyfills"] == [SHIM_URI]
    changed = {key for key in variant if variant[key] != base.get(key)}
    assert changed == {"extra"}
    for key, value in base.get("extra", {}).items():
        if key != "polyfills":
            assert variant["extra"][key] == value


def test_offline_plugin_is_switched_by_the_environment():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"- offline:\s*\n\s*enabled: !ENV \[OFFLINE, false\]", text)
    plugins = [
        next(iter(p)) if isinstance(p, dict) else p for p in _raw_config(ROOT / "mkdocs.yml")["plugins"]
    ]
    assert plugins.count("offline") == 1


def test_vendored_shim_is_the_published_package_file():
    vendor = SHIM.parent
    assert SHIM.read_bytes().startswith(b'"use strict";')
    # Material's offline plugin adds its CDN copy unless a polyfill's URL names iframe-worker.
    assert "iframe-worker" in SHIM_URI
    assert "MIT" in (vendor / "iframe-worker-LICENSE.txt").read_text(encoding="utf-8") or (
        "Permission is hereby granted" in (vendor / "iframe-worker-LICENSE.txt").read_text(encoding="utf-8")
    )
    readme = (vendor / "README.txt").read_text(encoding="utf-8")
    assert re.search(r"iframe-worker\S* 1\.\d+\.\d+", readme)
    # Not a Markdown page: MkDocs would build it (and the strict build reject it).
    assert not list(vendor.glob("*.md"))


# --- the helpers of scripts/build_offline.py ---------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script src="assets/javascripts/bundle.js"></script>', []),
        ('<script src="https://unpkg.com/iframe-worker/shim"></script>', ["script https://unpkg.com/"]),
        ("<script defer src='//cdn.example.org/x.js'></script>", ["script //cdn.example.org/x.js"]),
        ('<link rel="stylesheet" href="https://fonts.googleapis.com/css?x">', ["stylesheet https://"]),
        ('<link href="http://example.org/a.css" rel="stylesheet">', ["stylesheet http://example.org"]),
        ('<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>', ["preconnect https://"]),
        ('<link rel="canonical" href="https://ivig-guide.github.io/ivig-guide/">', []),
        ('<a href="https://doi.org/10.1/x">doi</a>', []),
        ('<link rel="stylesheet" href="assets/stylesheets/main.css">', []),
    ],
)
def test_remote_resources(tmp_path, html, expected):
    (tmp_path / "page.html").write_text(f"<html><head>{html}</head></html>", encoding="utf-8")
    found = build_offline.remote_resources(tmp_path)
    assert len(found) == len(expected)
    for line, start in zip(found, expected, strict=True):
        assert line.startswith(f"page.html: {start}")


def test_zip_is_complete_and_reproducible(tmp_path):
    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text("<h1>IVIG</h1>\n", encoding="utf-8")
    (site / "search" / "search_index.js").write_text("var __index = {}", encoding="utf-8")
    first, second = tmp_path / "a" / "copy.zip", tmp_path / "b" / "copy.zip"
    assert build_offline.write_zip(site, first) == 2
    os.utime(site / "index.html", (1_700_000_000, 1_700_000_000))
    assert build_offline.write_zip(site, second) == 2
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        assert zf.testzip() is None
        assert sorted(zf.namelist()) == ["ivig-guide/index.html", "ivig-guide/search/search_index.js"]
    # Written atomically: no temporary file is left beside it.
    assert [p.name for p in first.parent.iterdir()] == ["copy.zip"]


# --- builds ------------------------------------------------------------------------


@dataclass(frozen=True)
class OfflineBuild:
    site: Path
    zip: Path
    output: str
    cwd: Path


def run_build_offline(tmp_path: Path, config: Path) -> OfflineBuild:
    site, zip_path = tmp_path / "site-offline", tmp_path / "site" / "downloads" / "ivig-guide-offline.zip"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--config",
            str(config),
            "--site-dir",
            str(site),
            "--zip",
            str(zip_path),
        ],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"scripts/build_offline.py failed ({result.returncode}):\n{output}")
    return OfflineBuild(site, zip_path, output, config.parent)


FIXTURE_MKDOCS = """\
site_name: Offline fixture
site_url: https://example.org/fixture/
strict: true
theme:
  name: material
  font: false
  features: [search.suggest, search.highlight]
plugins:
  - search
  - offline:
      enabled: !ENV [OFFLINE, false]
extra:
  generator: false
nav:
  - Home: index.md
  - Treatment:
      - Infusions: treatment/infusions.md
"""


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory) -> OfflineBuild:
    """The real variant file and shim over a tiny site: independent of the guide's content."""
    root = tmp_path_factory.mktemp("offline-fixture")
    (root / "mkdocs.yml").write_text(FIXTURE_MKDOCS, encoding="utf-8")
    (root / "mkdocs.offline.yml").write_bytes(VARIANT.read_bytes())
    docs = root / "docs"
    (docs / "treatment").mkdir(parents=True)
    (docs / SHIM_URI).parent.mkdir(parents=True)
    (docs / SHIM_URI).write_bytes(SHIM.read_bytes())
    (docs / "index.md").write_text(
        "# Home\n\nImmunoglobulin replacement. See [infusions](treatment/infusions.md).\n", encoding="utf-8"
    )
    (docs / "treatment" / "infusions.md").write_text(
        "# Infusions\n\nA slow infusion rate reduces headaches.\n", encoding="utf-8"
    )
    return run_build_offline(root, root / "mkdocs.offline.yml")


@pytest.fixture(scope="module")
def real_build(tmp_path_factory) -> OfflineBuild:
    return run_build_offline(tmp_path_factory.mktemp("offline-real"), VARIANT)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def assert_works_offline(build: OfflineBuild, *, words: list[str], pages: list[str]) -> None:
    site = build.site
    html_pages = _pages(site)
    assert html_pages

    # The shim is vendored byte for byte and loaded, by a relative URL, before the bundle.
    assert (site / SHIM_URI).read_bytes() == SHIM.read_bytes()
    for page in html_pages:
        html = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        depth = rel.count("/")
        if rel == "404.html":
            # MkDocs writes the error page with root-relative URLs from site_url, for a web
            # server; a browser never shows it from file://. Only "no network" applies.
            assert SHIM_URI in html
            continue
        shim = html.find(f'<script src="{"../" * depth}{SHIM_URI}"></script>')
        bundle = re.search(r'<script src="(?:\.\./)*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"', html)
        assert shim >= 0, f"{rel} does not load the vendored shim"
        assert bundle, f"{rel} has no Material bundle"
        assert shim < bundle.start(), f"{rel} loads the shim after the bundle"
        assert "unpkg.com" not in html, rel
        # Nothing a browser would fetch from the network to show the page.
        assert not re.search(r"<script\b[^>]*\bsrc=[\"']?(?:https?:)?//", html, re.IGNORECASE), rel
        for tag in re.findall(r"<link\b[^>]*>", html, re.IGNORECASE):
            if re.search(r"rel=[\"']?(?:stylesheet|preload|modulepreload|preconnect)", tag):
                assert not re.search(r"href=[\"']?(?:https?:)?//", tag), f"{rel}: {tag}"
    assert build_offline.remote_resources(site) == []

    # Pages are files (no directory URLs, which file:// cannot resolve to index.html).
    for page in pages:
        assert (site / page).is_file(), page
    index = (site / "index.html").read_text(encoding="utf-8")
    nav_links = [
        href
        for tag in re.findall(r"<a\b[^>]*\bmd-nav__link\b[^>]*>", index)
        for href in re.findall(r'href="([^"#]+)"', tag)
    ]
    assert nav_links
    assert all(link.endswith(".html") or link.endswith("/index.html") for link in nav_links), nav_links

    # The search index is inlined into a script, the offline plugin's way round fetch().
    index_js = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert index_js.startswith("var __index = ")
    data = json.loads(index_js.removeprefix("var __index = "))
    assert data == json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in data["docs"])
    for word in words:
        assert word in text, f"{word!r} is not in the search index"
    assert '"search": "assets/javascripts/workers/search.' in index

    # The zip holds the whole copy under one folder, and the script says where it is.
    with zipfile.ZipFile(build.zip) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
    files = {f"ivig-guide/{p.relative_to(site).as_posix()}" for p in site.rglob("*") if p.is_file()}
    assert names == files
    assert {"ivig-guide/index.html", "ivig-guide/search/search_index.js", f"ivig-guide/{SHIM_URI}"} <= names
    printed = re.search(r"^Zip: (\S+) \((\d+) files", build.output, re.MULTILINE)
    assert printed, build.output
    assert (build.cwd / printed[1]).resolve() == build.zip.resolve()
    assert int(printed[2]) == len(files)


@pytest.mark.build
def test_fixture_site_works_offline(fixture_build):
    assert_works_offline(
        fixture_build,
        words=["Immunoglobulin replacement", "slow infusion rate"],
        pages=["index.html", "treatment/infusions.html"],
    )


@pytest.mark.build
def test_the_guide_works_offline(real_build):
    nav_pages = []
    for item in _raw_config(ROOT / "mkdocs.yml").get("nav", []):
        stack = [item]
        while stack:
            node = stack.pop()
            for value in node.values() if isinstance(node, dict) else [node]:
                if isinstance(value, list):
                    stack.extend(value)
                elif isinstance(value, str) and value.endswith(".md"):
                    nav_pages.append(value.removesuffix(".md") + ".html")
    assert "index.html" in nav_pages
    assert_works_offline(real_build, words=["IVIG"], pages=nav_pages)
    # The offline copy carries no PDF of its own (the published site has it).
    assert not list(real_build.site.rglob("*.pdf"))
