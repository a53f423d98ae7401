"""Rebuild the open-medicine part of the real sample (bench/real-sample.md) from PyPI.

    python bench/real_sample_open_medicine.py SAMPLE_DIR

Downloads the open-medicine 0.12.0 wheel (MIT; guideline summaries in Markdown by its
author), checks its SHA-256, and writes its 145 guideline pages to
``SAMPLE_DIR/open-medicine/om-<guideline>-<section>.md``, the names in
bench/real-sample-manifest.tsv. The other parts of the sample were copied from public
repositories that no package registry serves; the manifest says where each came from.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "open_medicine-0.12.0-py3-none-any.whl"
SHA256 = "1256ddfd0b88398cf3391e39730bb2748716848049c8aef74a26934e86f37558"
PREFIX = "open_medicine/guidelines/content/"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(sys.argv[1]) / "open-medicine"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d", tmp,
               "open-medicine==0.12.0"]  # fmt: skip
        if subprocess.run(cmd, check=False).returncode != 0:
            print("could not download open-medicine 0.12.0 from PyPI", file=sys.stderr)
            return 1
        wheel = Path(tmp) / WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != SHA256:
            print(f"{WHEEL}: SHA-256 {digest}, expected {SHA256}", file=sys.stderr)
            return 1
        out.mkdir(parents=True, exist_ok=True)
        n = 0
        with zipfile.ZipFile(wheel) as z:
            for name in z.namelist():
                if name.startswith(PREFIX) and name.endswith(".md"):
                    guideline, section = name[len(PREFIX) :].split("/")
                    (out / f"om-{guideline}-{section}").write_bytes(z.read(name))
                    n += 1
    print(f"{n} pages in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
