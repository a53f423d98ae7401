"""Page weight of the IVIG guide: bytes a reader's browser transfers, compressed.

Run: ``.venv/bin/python bench/bench_page_weight.py [--site DIR]``.

Builds the real site as ``make site`` does (PDF included, so every link and ``<link>``
is as published; ``--site DIR`` reuses a build), serves it on 127.0.0.1 with a threaded
``http.server``, and opens each page in Debian's Chromium (Playwright, cold cache: a new
browser context per page). Every request the page makes (the page itself, CSS, JS, the
search worker and its index, fonts, images, including what loads after ``load`` until
the network is idle) is recorded; each recorded file is then read from the built site
and compressed here, with gzip (level 6, what web servers such as GitHub Pages use on the
fly) and brotli (quality 11, as for precompressed static files), since ``http.server``
itself sends everything uncompressed. Requests to other hosts are blocked and listed,
never counted (there should be none).

Reports the home page and the heaviest content page (by gzip total), by kind of file,
and one line per page.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

try:
    import brotli
except ImportError:  # brotli comes with weasyprint; the table just loses a column without it
    brotli = None

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from chromium import CHROMIUM_FLAGS, INSTALL_HINT, chromium_path  # noqa: E402

KINDS = {
    ".html": "HTML",
    ".css": "CSS",
    ".js": "JS",
    ".json": "search index",
    ".woff": "fonts",
    ".woff2": "fonts",
    ".ttf": "fonts",
    ".otf": "fonts",
    ".png": "images",
    ".jpg": "images",
    ".jpeg": "images",
    ".gif": "images",
    ".svg": "images",
    ".webp": "images",
    ".ico": "images",
}
KIND_ORDER = ["HTML", "CSS", "JS", "search index", "fonts", "images", "other"]


@dataclass
class PageWeight:
    url_path: str
    files: dict[str, tuple[str, int, int, int]] = field(default_factory=dict)  # path -> kind, raw, gz, br
    off_site: list[str] = field(default_factory=list)

    def total(self, column: int) -> int:
        return sum(f[column] for f in self.files.values())

    def by_kind(self, column: int) -> dict[str, int]:
        sums: dict[str, int] = defaultdict(int)
        for f in self.files.values():
            sums[f[0]] += f[column]
        return sums


@functools.cache
def sizes(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()
    gz = len(gzip.compress(data, compresslevel=6, mtime=0))
    br = len(brotli.compress(data, quality=11)) if brotli else 0
    return len(data), gz, br


def build_site(site_dir: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore", ENABLE_PDF_EXPORT="1")
    env.pop("OFFLINE", None)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "--site-dir", str(site_dir)]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"bench_page_weight: the build failed:\n{result.stdout}\n{result.stderr}")


def content_paths(site: Path) -> list[str]:
    """URL paths of the site's pages, from its sitemap order (home first)."""
    import re  # noqa: PLC0415

    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    base = locs[0] if locs else ""
    return [loc.removeprefix(base) for loc in locs]


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def weigh(browser, site: Path, base: str, url_path: str) -> PageWeight:
    weight = PageWeight(url_path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r):
        if r.request.url.startswith(base) or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            weight.off_site.append(r.request.url)
            r.abort("blockedbyclient")

    def finished(request):
        if not request.url.startswith(base):
            return
        response = request.response()
        if response is None or response.status >= 400:
            return
        rel = unquote(urlsplit(request.url).path)[1:]
        path = site / rel
        if path.is_dir() or rel.endswith("/") or not rel:
            path = path / "index.html"
        if path.is_file():
            kind = KINDS.get(path.suffix.lower(), "other")
            weight.files[path.relative_to(site).as_posix()] = (kind, *sizes(path))

    context.route("**/*", route)
    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(base + url_path, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    context.close()
    return weight


def kb(n: int) -> str:
    return f"{n / 1000:7.1f} kB"


def report(title: str, weight: PageWeight) -> None:
    print(f"\n{title}: /{weight.url_path}  ({len(weight.files)} files)")
    raw, gz, br = weight.by_kind(1), weight.by_kind(2), weight.by_kind(3)
    print(f"  {'kind':<13} {'raw':>10} {'gzip':>10} {'brotli':>10}")
    for kind in KIND_ORDER:
        if kind in raw:
            print(f"  {kind:<13} {kb(raw[kind]):>10} {kb(gz[kind]):>10} {kb(br[kind]):>10}")
    print(f"  {'total':<13} {kb(weight.total(1)):>10} {kb(weight.total(2)):>10} {kb(weight.total(3)):>10}")
    no_index = {k: v for k, v in gz.items() if k != "search index"}
    print(f"  without the search index: {kb(sum(no_index.values())).strip()} gzip")
    if weight.off_site:
        print(f"  blocked requests to other hosts (not counted): {', '.join(sorted(set(weight.off_site)))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build one)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    chromium = chromium_path()
    if chromium is None:
        sys.exit(f"bench_page_weight: needs Debian's chromium: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="ivig-weight-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build_site(site)
        server, base = serve(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
                weights = [weigh(browser, site, base, path) for path in content_paths(site)]
                browser.close()
        finally:
            server.shutdown()
            server.server_close()

    home = weights[0]
    heaviest = max(weights[1:], key=lambda w: w.total(2))
    report("Home page", home)
    report("Heaviest content page", heaviest)
    print(f"\nEvery page (compressed totals){'' if brotli else ' (brotli not installed)'}:")
    print(f"  {'page':<22} {'files':>5} {'gzip':>10} {'brotli':>10}")
    for w in weights:
        print(f"  /{w.url_path:<21} {len(w.files):>5} {kb(w.total(2)):>10} {kb(w.total(3)):>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
