"""Benchmark: the medical-term lint on real public medical Markdown, against codespell.

    python bench/bench_medical_terms_real.py SAMPLE_DIR [--sizes 0.5,1,2,4,8] [--repeat 3] [--jobs 1]

SAMPLE_DIR holds the real sample (not in the repository: see bench/real-sample.md for
where it comes from, its licenses, and how to rebuild it). The script reports:

1. per-rule rates on the sample as it is: findings per 1,000 words for each rule, with
   the targets of issue 15 (MED041 at most 10, MED040 at most 0.2);
2. speed, side by side in one run: for each size, a corpus of the sample's files (whole
   files, in a fixed order; when the sample is smaller than the size its files are used
   again, and the "copies" column says how often: repeated text makes every
   memoized word a cache hit, so only sizes at or under the sample's own size measure
   real text), then codespell, the lint with a cold cache and the lint with a warm cache
   on the same folder, in turn, best of ``--repeat`` each. Cold: the lint's cache folder
   (``IVIG_CACHE_DIR``) emptied before the run, as on a fresh CI machine (the lint then
   builds its word set from pyspellchecker's list and the Hunspell files); warm: the
   folder kept from the run before, as on a developer's machine. ``--jobs 1`` runs the
   lint in one process, as codespell runs; the default, 0, lets it share inputs over
   1 MB out to one forked worker per CPU, as ``make lint`` does.
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
    files = sorted(args.sample.rglob("*.md"))
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

    print()
    print(f"speed, lint --jobs {args.jobs}, best of {args.repeat}; cold: a fresh cache folder each run")
    print(f"{'size':>7} {'copies':>7} {'codespell':>10} {'cold':>8} {'ratio':>6} {'warm':>8} {'ratio':>6}")
    for mb in (float(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-real-") as tmp:
            folder = Path(tmp) / "md"
            folder.mkdir()
            cache = Path(tmp) / "cache"
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
            lint_env = {**ENV, "IVIG_CACHE_DIR": str(cache)}
            run(cs_cmd, ENV)  # the files into the page cache, for both
            cs, cold, warm = float("inf"), float("inf"), float("inf")
            for _ in range(args.repeat):
                cs = min(cs, run(cs_cmd, ENV))
                shutil.rmtree(cache, ignore_errors=True)
                cold = min(cold, run(lint_cmd, lint_env))
                warm = min(warm, run(lint_cmd, lint_env))  # the cache the cold run wrote
            print(
                f"{total / 1048576:6.2f}M {copies:7.1f} {cs:9.3f}s {cold:7.3f}s {cold / cs:6.2f}"
                f" {warm:7.3f}s {warm / cs:6.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
