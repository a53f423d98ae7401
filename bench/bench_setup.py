"""Fresh setup time: `make site` in a new venv with cold caches, uv against plain pip.

Run from anywhere: ``python3 bench/bench_setup.py [--repeat 1] [--installers uv,pip]``
(it needs only Python, make and the network to PyPI; not the project's venv).

What is measured, all in one run on the same machine, for each installer in turn
(alternating when ``--repeat`` is more than 1):

1. A copy of the working tree as a fresh clone has it (``git ls-files``: tracked and
   untracked files, nothing git ignores, so no ``.venv``, ``site/`` or ``.cache/``) in a
   new temporary folder.
2. Cold caches: new empty ``UV_CACHE_DIR``, ``PIP_CACHE_DIR`` and ``IVIG_CACHE_DIR``
   (the project's own cache) for every run. pip reads no configuration file
   (``PIP_CONFIG_FILE=/dev/null``, the ``PIP_*`` variables removed), so both installers
   fetch from PyPI alone: a machine's local wheel folders or mirrors do not count.
3. Wall-clock time of ``make venv VENV=<new> INSTALLER=<x>`` (create the venv, install
   the site lock: the install phase), then ``make site`` on it (the strict build with the
   PDF and the offline zip: the build phase). Their sum is what a fresh ``make site``
   costs. Then ``make <venv>/.dev-installed`` (what ``make test`` adds on top: the test
   and tool lock), reported on its own.

Before each run, ``fs ref`` times extracting a zip of 15,000 small files (made here, like
the icons inside mkdocs-material's wheel) into a new folder: a fresh setup creates about
19,000 files, and on a shared machine the file system's speed varies more than the
network's, so this column says how fast the disk was when the row was measured.

Prints one row per run, the best of each installer and the ratio pip / uv.
Target: a fresh ``make site`` in at most 25 s with the default installer (uv).
Nothing here is a test: the figures depend on the machine and the network.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 25.0


def working_tree_copy(dest: Path) -> None:
    """The files a fresh clone would have (plus untracked, not ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in listed:
        if not raw:
            continue
        rel = Path(raw.decode("utf-8"))
        src = ROOT / rel
        if not src.is_file():  # deleted in the working tree
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / rel)


def cold_env(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    for name in ("UV_CACHE_DIR", "PIP_CACHE_DIR", "IVIG_CACHE_DIR"):
        folder = scratch / name.lower()
        folder.mkdir()
        env[name] = str(folder)
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def fs_reference(scratch: Path, files: int = 15_000) -> float:
    """Seconds to extract ``files`` small files from a zip: the file system's speed right now."""
    archive = scratch / "fs-ref.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(files):
            zf.writestr(f"icons/{i % 50}/icon-{i}.svg", f'<svg xmlns="http://www.w3.org/2000/svg" id="{i}"/>')
    start = time.perf_counter()
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(scratch / "fs-ref")
    elapsed = time.perf_counter() - start
    shutil.rmtree(scratch / "fs-ref")
    archive.unlink()
    return elapsed


def timed_make(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(["make", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"make {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return elapsed


def one_run(installer: str, *, dev: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"bench-setup-{installer}-") as tmp:
        scratch = Path(tmp)
        repo = scratch / "repo"
        repo.mkdir()
        working_tree_copy(repo)
        env = cold_env(scratch)
        venv = scratch / "venv"
        common = [f"VENV={venv}", f"INSTALLER={installer}"]
        times = {"fs_ref": fs_reference(scratch)}
        times["install"] = timed_make(["venv", *common], repo, env)
        times["build"] = timed_make(["site", *common], repo, env)
        times["site"] = times["install"] + times["build"]
        if dev:
            times["dev"] = timed_make([f"{venv}/.dev-installed", *common], repo, env)
        return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per installer (default 1)")
    parser.add_argument("--installers", default="uv,pip", help="comma-separated: uv, pip (default both)")
    parser.add_argument("--no-dev", action="store_true", help="skip the test-lock install")
    args = parser.parse_args(argv)
    installers = [i.strip() for i in args.installers.split(",") if i.strip()]
    if not installers or any(i not in {"uv", "pip"} for i in installers) or args.repeat < 1:
        parser.error("--installers takes uv and/or pip; --repeat at least 1")
    load = os.getloadavg()[0]
    print(f"Fresh `make site`, cold caches, PyPI only; load average {load:.2f} at start")
    header = ("installer", "fs ref s", "install s", "build s", "make site s", "+ test lock s")
    widths = (-10, 9, 10, 10, 13, 15)
    print("".join(f"{h:<{-w}}" if w < 0 else f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.repeat):
        for installer in installers:
            times = one_run(installer, dev=not args.no_dev)
            dev = f"{times['dev']:15.1f}" if "dev" in times else f"{'-':>15}"
            print(
                f"{installer:<10}{times['fs_ref']:9.1f}{times['install']:10.1f}{times['build']:10.1f}"
                f"{times['site']:13.1f}{dev}",
                flush=True,
            )
            if installer not in best or times["site"] < best[installer]["site"]:
                best[installer] = times
    print()
    for installer, times in best.items():
        verdict = "within" if times["site"] <= TARGET_SECONDS else "over"
        target = f"{verdict} the {TARGET_SECONDS:.0f} s target"
        print(f"best {installer}: fresh make site {times['site']:.1f} s ({target})")
    if {"uv", "pip"} <= best.keys():
        uv, pip = best["uv"], best["pip"]
        install, site = pip["install"] / uv["install"], pip["site"] / uv["site"]
        print(f"ratio pip / uv: install {install:.2f}x, make site {site:.2f}x")
        if "dev" in uv and "dev" in pip:
            print(f"ratio pip / uv, test lock on top: {pip['dev'] / uv['dev']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
