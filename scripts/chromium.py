"""Where Debian's Chromium is and how this project starts it (tests and benchmarks).

Never a browser download: the project drives the system's chromium
(`scripts/ensure-chromium.sh` installs Debian's package). Without the
background-networking flags Chromium tries to reach Google's hosts, which this
project never contacts.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

INSTALL_HINT = (
    "install it with `bash scripts/ensure-chromium.sh` (as root) or `sudo apt-get install chromium`"
)


def chromium_path() -> str | None:
    """The chromium to drive: $CHROMIUM_PATH, else chromium on PATH, else chromium-browser."""
    candidates = (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
        shutil.which("chromium-browser"),
    )
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    return None
