"""Benchmark: the medical-term lint on real public medical Markdown, against codespell.

    python bench/bench_medical_terms_real.py SAMPLE_DIR [--sizes 0.5,1,2,4,8] [--repeat 3] [--jobs 1]

SAMPLE_DIR holds the real sample (not in the repository: see bench/real-sample.md for
where it comes from, its licenses, and how to rebuild it). The script reports:

1. per-rule rates on the sample as it is: findings per 1,000 words for each rule, with
   the targets of issue 15 (MED041 at most 10, MED040 at most 0.2);
2. speed, side by side in one run: for each size, a corpus of the sample's files (whole
   files, the sources interleaved: the first file of each source folder, then the second
   of each, and so on; when the sample is smaller than the size its files are used again,
   and the "copies" column says how often: repeated text makes every memoized word a
   cache hit, so only sizes at or under the sample's own size measure real text), then
   codespell and the lint in three states on the same folder, in turn, best of
   ``--repeat`` each:

   - set up, cold: a fresh cache folder (``IVIG_CACHE_DIR``), as on a fresh CI machine
     after ``make`` (which builds the lint's word set and parsed rules into the venv,
     scripts/build_lint_data.py; this script runs that first if it has not been run);
   - not set up, cold: a fresh cache folder and no set-up data (``IVIG_SETUP_DIR``
     empty), as in an environment ``make`` never prepared: the run builds the word set
     from pyspellchecker's list and the Hunspell files and parses the rule file, and keeps
     both in the cache folder;
   - not set up, warm: the cache folder that run wrote.

   ``--jobs 1`` runs the lint in one process, as codespell runs; the default, 0, lets it
   share inputs over 256 kB out to one forked worker per CPU, as ``make lint`` does.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LINT = ROOT / "hooks" / "medical_terms.py"
sys.path.insert(0, str(ROOT / "hooks"))

from ivig_tools import mdmask  # noqa: E402

TARGETS = {"MED041": 10.0, "MED040": 0.2}
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def words_in(folder: Path) -> int:
    return sum(
        len(_WORD_RE.findall(mdmask.prose_mask(p.read_text(encoding="utf-8-sig"))))
        for p in sorted(folder.rglob("*.md"))
    )


def rates(sample: Path, today: str) -> tuple[int, Counter[str]]:
    proc = subprocess.run(
        [sys.executable, str(LINT), "--format", "json", "--jobs", "1", "--today", today, str(sample)],
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"the lint failed ({proc.returncode}): {proc.stderr[-500:]}")
    return words_in(sample), Counter(row["rule"] for row in json.loads(proc.stdout))


def interleaved(sample: Path) -> list[Path]:
    """The sample's files, one of each source folder in turn (a small corpus mixes them)."""
    by_source: dict[str, list[Path]] = {}
    for f in sorted(sample.rglob("*.md")):
        by_source.setdefault(f.relative_to(sample).parts[0], []).append(f)
    queues = list(by_source.values())
    out: list[Path] = []
    for i in range(max((len(q) for q in queues), default=0)):
        out.extend(q[i] for q in queues if i < len(q))
    return out


def build(folder: Path, files: list[Path], size: int) -> tuple[int, float]:
    """Copy whole sample files into ``folder`` until ``size`` bytes; (bytes, copies)."""
    sample_bytes = sum(f.stat().st_size for f in files)
    total, n = 0, 0
    while total < size:
        src = files[n % len(files)]
        dst = folder / f"{n:05d}-{src.name}"
        shutil.copyfile(src, dst)
        total += src.stat().st_size
        n += 1
    return total, total / sample_bytes


def run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env)
    elapsed = time.perf_counter() - t
    if proc.returncode not in (0, 1, 65):  # codespell exits 65 when it finds typos
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sample", type=Path, help="folder of real Markdown (see bench/real-sample.md)")
    ap.add_argument("--sizes", default="0.5,1,2,4,8", help="corpus sizes in MB, comma-separated")
    ap.add_argument("--repeat", type=int, default=3, help="runs per tool and size (best is kept)")
    ap.add_argument("--today", default="2026-11-22", help="the date review ages are checked against")
    ap.add_argument("--jobs", type=int, default=0, help="passed to the lint (0: automatic, 1: one process)")
    args = ap.parse_args()
    files = interleaved(args.sample)
    if not files:
        raise SystemExit(f"{args.sample}: no Markdown files")
    codespell = BIN / "codespell"
    if not codespell.exists():
        raise SystemExit(f"codespell not found at {codespell}: install requirements-dev.txt")

    sample_bytes = sum(f.stat().st_size for f in files)
    n_words, by_rule = rates(args.sample, args.today)
    print(f"sample: {len(files)} files, {sample_bytes / 1024:.0f} kB, {n_words} words")
    print(f"{'rule':<7} {'findings':>8} {'per 1,000 words':>16} {'target':>7}")
    for rule in sorted(set(by_rule) | set(TARGETS)):
        per = 1000 * by_rule[rule] / max(n_words, 1)
        target = f"<= {TARGETS[rule]:g}" if rule in TARGETS else ""
        flag = " MISSED" if rule in TARGETS and per > TARGETS[rule] else ""
        print(f"{rule:<7} {by_rule[rule]:8d} {per:16.2f} {target:>7}{flag}")

    # The set-up word set, as `make` leaves it (not timed: it is part of installing).
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_lint_data.py")], check=True, env=ENV)

    print()
    print(
        f"speed, lint --jobs {args.jobs}, best of {args.repeat}; every lint column starts from a fresh cache"
    )
    print("folder but the last; ratios are to codespell in the same round")
    print(
        f"{'size':>7} {'copies':>7} {'codespell':>10} {'set up':>8} {'ratio':>6}"
        f" {'not set up':>11} {'ratio':>6} {'and warm':>9} {'ratio':>6}"
    )
    for mb in (float(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-real-") as tmp:
            folder = Path(tmp) / "md"
            folder.mkdir()
            cache, no_setup = Path(tmp) / "cache", Path(tmp) / "no-setup"
            no_setup.mkdir()
            total, copies = build(folder, files, int(mb * 1024 * 1024))
            cs_cmd = [str(codespell), str(folder)]
            lint_cmd = [
                sys.executable,
                str(LINT),
                "--jobs",
                str(args.jobs),
                "--today",
                args.today,
                str(folder),
            ]
            set_up_env = {**ENV, "IVIG_CACHE_DIR": str(cache)}
            bare_env = {**set_up_env, "IVIG_SETUP_DIR": str(no_setup)}
            run(cs_cmd, ENV)  # the files into the page cache, for both
            cs = set_up = bare = warm = float("inf")
            for _ in range(args.repeat):
                cs = min(cs, run(cs_cmd, ENV))
                shutil.rmtree(cache, ignore_errors=True)
                set_up = min(set_up, run(lint_cmd, set_up_env))
                shutil.rmtree(cache, ignore_errors=True)
                bare = min(bare, run(lint_cmd, bare_env))
                warm = min(warm, run(lint_cmd, bare_env))  # the cache the run before wrote
            print(
                f"{total / 1048576:6.2f}M {copies:7.1f} {cs:9.3f}s {set_up:7.3f}s {set_up / cs:6.2f}"
                f" {bare:10.3f}s {bare / cs:6.2f} {warm:8.3f}s {warm / cs:6.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
