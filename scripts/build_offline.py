"""Build the copy of the guide that works from file:// and zip it for download.

`make offline` runs this. It builds mkdocs.offline.yml (mkdocs.yml plus the vendored
iframe-worker shim) with OFFLINE=true, which turns on Material's offline plugin, strictly,
into site-offline/; makes the "page not found" page's links relative (MkDocs writes them
site-absolute, for any address, so from file:// it showed unstyled); checks that the copy
loads nothing from the network; and zips it into site/downloads/ivig-guide-offline.zip.
Run after `make site`, the zip lands inside the published site, which links to it.

Exit status: 0 when the copy was built and zipped, 1 when the build or the check failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.offline.yml"
SITE_DIR = ROOT / "site-offline"
ZIP_PATH = ROOT / "site" / "downloads" / "ivig-guide-offline.zip"
# The folder the zip unpacks into, so unpacking never scatters files.
ZIP_FOLDER = "ivig-guide"

# <script src="..."> and <link rel="stylesheet" href="..."> pointing off the machine.
_REMOTE_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", re.IGNORECASE)
_REL = re.compile(r"""\brel\s*=\s*["']?([^"'>]+)""", re.IGNORECASE)
# Link relations a browser fetches while showing the page.
_FETCHED_RELS = {"stylesheet", "preload", "modulepreload", "icon", "preconnect"}


def build(config: Path, site_dir: Path) -> None:
    """Run the strict MkDocs build of the offline variant (raises CalledProcessError)."""
    env = dict(os.environ, OFFLINE="true", NO_MKDOCS_2_WARNING="1")
    # The PDF belongs to the published site; the offline copy does not carry a second one.
    env.pop("ENABLE_PDF_EXPORT", None)
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(config),
        "--site-dir",
        str(site_dir),
    ]
    subprocess.run(cmd, env=env, check=True)


# Material's page configuration names the site's root ("base"); on 404.html it is site-absolute.
_MATERIAL_BASE = re.compile(r'"base":\s*"([^"]*)"')


def relative_404(site_dir: Path) -> int:
    """Rewrite 404.html's site-absolute addresses ("/path/assets/...") to relative ones ("./assets/...").

    404.html sits at the root of the copy, so the site's root is ".". Returns how many
    addresses were rewritten (0 when the page is missing or already relative).
    """
    page = site_dir / "404.html"
    if not page.is_file():
        return 0
    html = page.read_text(encoding="utf-8")
    m = _MATERIAL_BASE.search(html)
    if not m or not m.group(1).startswith("/"):
        return 0
    base = m.group(1)
    # The root itself (Material's "base" and its storage scope), then every path under it.
    html, roots = re.subn(f'"{re.escape(base)}"', '"."', html)
    html, count = re.subn(f'"{re.escape(base.rstrip("/"))}/', '"./', html)
    page.write_text(html, encoding="utf-8")
    return roots + count


def remote_resources(site_dir: Path) -> list[str]:
    """Scripts and stylesheets the copy would fetch from the network: `path: url` lines."""
    problems = []
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        rel_page = page.relative_to(site_dir).as_posix()
        problems += [f"{rel_page}: script {m.group(1)}" for m in _REMOTE_SCRIPT.finditer(html)]
        for tag in _LINK_TAG.findall(html):
            href, rel = _HREF.search(tag), _REL.search(tag)
            if href and rel and _FETCHED_RELS & set(rel.group(1).lower().split()):
                problems.append(f"{rel_page}: {rel.group(1)} {href.group(1)}")
    return problems


def write_zip(site_dir: Path, zip_path: Path) -> int:
    """Zip site_dir under ZIP_FOLDER/, atomically and reproducibly; return the file count."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    # Fixed timestamps (SOURCE_DATE_EPOCH when set) and sorted entries: the same site gives
    # the same zip.
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01, zip's first day
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    fd, tmp_name = tempfile.mkstemp(prefix=".offline-", suffix=".zip", dir=zip_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for path in files:
                info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{path.relative_to(site_dir).as_posix()}", stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
        tmp.replace(zip_path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(files)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=CONFIG, help="MkDocs configuration of the variant")
    parser.add_argument("--site-dir", type=Path, default=SITE_DIR, help="where to build the copy")
    parser.add_argument("--zip", type=Path, default=ZIP_PATH, help="the zip to write")
    args = parser.parse_args(argv)

    if not args.config.is_file():
        print(f"build_offline: {args.config} does not exist.", file=sys.stderr)
        return 1
    try:
        build(args.config, args.site_dir)
    except subprocess.CalledProcessError as exc:
        print(
            f"build_offline: the strict build of {_shown(args.config)} failed "
            f"(exit code {exc.returncode}); see the messages above.",
            file=sys.stderr,
        )
        return 1
    relative_404(args.site_dir)
    remote = remote_resources(args.site_dir)
    if remote:
        print("build_offline: the offline copy would load these from the network:", file=sys.stderr)
        for line in remote:
            print(f"  {line}", file=sys.stderr)
        return 1
    count = write_zip(args.site_dir, args.zip)
    size_mb = args.zip.stat().st_size / 1_000_000
    print(f"Offline copy: {_shown(args.site_dir / 'index.html')} (open it from the file system)")
    print(f"Zip: {_shown(args.zip)} ({count} files, {size_mb:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
