"""Lighthouse scores of the IVIG guide: home page and side-effects page, mobile preset.

Run: ``.venv/bin/python bench/bench_lighthouse.py [--runs 3] [--site DIR --port N]``.

- Lighthouse is the npm package pinned in ``bench/lighthouse/package.json`` (installed
  with ``npm ci`` into ``bench/lighthouse/node_modules`` when missing; never a browser
  download). It drives Debian's Chromium through ``CHROME_PATH`` (scripts/chromium.py finds it) with
  the headless flags the project uses everywhere.
- The site is built as ``make site`` builds it (PDF included) but with ``SITE_URL`` set
  to the local server's address, so canonical links and the sitemap point at the pages
  Lighthouse loads, as they do on GitHub Pages.
- It is served on 127.0.0.1 by ``http.server`` with gzip for text files, as GitHub Pages
  serves them; without it Lighthouse would fault the test server, not the site.
- Mobile preset: Lighthouse's default form factor, screen emulation and simulated
  throttling (no ``--preset`` flag). Categories: performance, accessibility, best
  practices, SEO. With ``--runs`` > 1 the run with the median performance score is kept.

Targets: performance >= 95; accessibility, best practices and SEO = 100. Prints the
scores, then every audit that did not pass in full, with its details. Exit status 0
(a measurement, not a test: CI does not run it, and ``make bench`` goes on to the next
benchmark); with ``--check``, 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from chromium import CHROMIUM_FLAGS, INSTALL_HINT, chromium_path  # noqa: E402

LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = " ".join(CHROMIUM_FLAGS)
PAGES = {"home": "", "side effects": "side-effects/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (GitHub Pages does the same)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the slash
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # GitHub Pages' value
        self.end_headers()
        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(site_dir: Path, site_url: str) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore", ENABLE_PDF_EXPORT="1")
    env["SITE_URL"] = site_url
    env.pop("OFFLINE", None)
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "--site-dir", str(site_dir)]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"bench_lighthouse: the build failed:\n{result.stdout}\n{result.stderr}")


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.is_file():
        return
    if not shutil.which("npm"):
        sys.exit("bench_lighthouse: needs Node.js and npm to install lighthouse (bench/lighthouse)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True)


def run_lighthouse(url: str, out: Path, chromium: str) -> dict:
    env = dict(os.environ, CHROME_PATH=chromium)
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--quiet",
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=600)
    if result.returncode != 0 or not out.is_file():
        sys.exit(f"bench_lighthouse: lighthouse failed on {url}:\n{result.stdout}\n{result.stderr}")
    return json.loads(out.read_text(encoding="utf-8"))


def scores(lhr: dict) -> dict[str, int]:
    return {c: round((lhr["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}


def failing_audits(lhr: dict) -> list[str]:
    lines = []
    for category in CATEGORIES:
        for ref in lhr["categories"][category]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            score = audit.get("score")
            mode = audit.get("scoreDisplayMode")
            if score is None or score >= 1 or mode in ("notApplicable", "manual", "informative"):
                continue
            if category == "performance" and ref.get("weight", 0) == 0 and score >= 0.9:
                continue
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            lines.append(
                f"  [{category}] {ref['id']}: score {score:.2f}, weight {ref.get('weight', 0)}"
                f" - {audit['title']}{value}"
            )
            if category == "performance" and ref.get("weight", 0) == 0:
                continue  # diagnostics and insights: listed, details in the JSON (--keep)
            for item in (audit.get("details") or {}).get("items", [])[:5]:
                lines.append(f"      {_describe(item)}")
    return lines


def _describe(item: dict) -> str:
    node = item.get("node") or {}
    if node:
        return f"{node.get('selector', '')}  {node.get('snippet', '')[:140]}"
    parts = [f"{k}={v}" for k, v in item.items() if isinstance(v, (str, int, float)) and k != "type"]
    return ", ".join(parts)[:200]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median kept)")
    parser.add_argument("--site", type=Path, help="a site already built for --port's address")
    parser.add_argument("--port", type=int, help="serve on this port (default: a free one)")
    parser.add_argument("--keep", type=Path, help="copy the JSON reports into this folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    chromium = chromium_path()
    if chromium is None:
        sys.exit(f"bench_lighthouse: needs Debian's chromium: {INSTALL_HINT}")
    ensure_lighthouse()
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}/"
    ok = True
    with tempfile.TemporaryDirectory(prefix="ivig-lighthouse-") as tmp:
        tmp_path = Path(tmp)
        site = args.site
        if site is None:
            site = tmp_path / "site"
            build_site(site, base)
        handler = functools.partial(GzipHandler, directory=str(site))
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        results = {}
        try:
            for name, path in PAGES.items():
                runs = []
                for i in range(args.runs):
                    out = tmp_path / f"{path.strip('/') or 'index'}-{i}.json"
                    runs.append(run_lighthouse(base + path, out, chromium))
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(out, args.keep / out.name)
                perf = [scores(r)["performance"] for r in runs]
                median = statistics.median_low(perf)
                results[name] = (runs[perf.index(median)], perf)
        finally:
            server.shutdown()
            server.server_close()

    print(f"Lighthouse {results['home'][0]['lighthouseVersion']}, mobile preset, Debian Chromium")
    print(f"{'page':<14}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, (lhr, perf_runs) in results.items():
        s = scores(lhr)
        row = "".join(f"{s[c]:>16}" for c in CATEGORIES)
        runs_note = f"   (performance runs: {perf_runs})" if len(perf_runs) > 1 else ""
        print(f"{name:<14}{row}{runs_note}")
        ok &= all(s[c] >= TARGETS[c] for c in CATEGORIES)
    print("targets: performance >= 95, the others 100: " + ("met" if ok else "NOT met"))
    for name, (lhr, _) in results.items():
        metrics = lhr["audits"]
        vitals = ", ".join(
            f"{m} {metrics[a]['displayValue']}"
            for m, a in [
                ("FCP", "first-contentful-paint"),
                ("LCP", "largest-contentful-paint"),
                ("TBT", "total-blocking-time"),
                ("CLS", "cumulative-layout-shift"),
                ("SI", "speed-index"),
            ]
            if a in metrics
        )
        print(f"\n{name}: {vitals}")
        lines = failing_audits(lhr)
        print("\n".join(lines) if lines else "  every scored audit passed")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
