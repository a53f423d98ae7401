"""Benchmark: the medical-term lint against codespell on the same generated Markdown.

    python bench/bench_medical_terms.py [--sizes 0.5,1,2,4,8] [--repeat 3] [--target-mb 2]

For each size it writes a corpus of guide-like pages (front matter, headings, one sentence
per line, lists, links, citations, a code block, and a few deliberate errors) into a
temporary folder, then runs both tools as command lines on the same folder, alternating
them, best of ``--repeat`` wall-clock runs each. It prints the ratio lint/codespell per
size; the target is a ratio of 1.0 or less at 2 MB (with ``--check``, exit 1 if missed).

The lint shares large inputs (over 256 kB) out to one forked worker per CPU; ``--jobs 1``
measures it in one process, as codespell runs.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LINT = ROOT / "hooks" / "medical_terms.py"

SENTENCES = [
    "Intravenous immunoglobulin (IVIG) is made from the plasma of thousands of healthy donors.",
    "IVIG gives you antibodies that your body cannot make well enough.",
    "Your nurse checks your blood pressure, pulse and temperature before each infusion.",
    "The usual starting dose is 400 mg per kg of body weight every 3 to 4 weeks.",
    "Some people need a higher dose of 2 g/kg, given over 2 to 5 days.",
    "A headache is the most common side effect, and it usually settles within a day or two.",
    "Drinking plenty of water before and after the infusion can make headaches less likely.",
    "Your doctor may suggest paracetamol or an antihistamine before the infusion.",
    "The infusion starts slowly, and the rate goes up if you feel well.",
    "Tell the nurse straight away if you feel unwell, itchy or short of breath.",
    "Serious side effects are rare, but they include blood clots and kidney problems.",
    "Your immunoglobulin G (IgG) trough level is measured just before the next dose.",
    "The trough level helps your doctor decide whether the dose is right for you.",
    "In chronic inflammatory demyelinating polyneuropathy (CIDP), IVIG can improve strength.",
    "A randomised controlled trial compares a treatment with a placebo or another treatment.",
    "The results are given with a 95% confidence interval, which shows how precise they are.",
    "Some people later switch to subcutaneous immunoglobulin (SCIG), which is given under the skin.",
    "SCIG can be given at home with a small pump, once you and your nurse are confident.",
    "Plasma is screened for viruses, and the manufacturing process removes or inactivates them.",
    "Each bottle is labelled with a batch number, so it can be traced back to its donors.",
    "Guillain-Barré syndrome is treated with IVIG or plasma exchange in hospital.",
    "Immune thrombocytopenia (ITP) is a condition in which the immune system destroys platelets.",
    "After the infusion, you can usually go home the same day.",
    "Keep a diary of your infusions, your symptoms and any side effects.",
    "Your care team will review how well the treatment works at regular appointments.",
    "Some uses of IVIG are off-label, which means they are not in the product licence.",
    "The product information leaflet lists every ingredient and the known side effects.",
    "Natural killer (NK) cells are white blood cells that can kill infected cells.",
    "An allergic reaction called anaphylaxis is very rare but needs treatment at once.",
    "A dose of 0.5 mg or 10 mL may be used in a test, and 100,000 units is written with a comma.",
]
ERRORS = [
    "Give 5 U daily, or 1.0 mg qd when the doctor says so.",
    "The immunoglobin is given over several hours asantibodies take time to work.",
    "A dose of 400mg is wrong, and so is 10 ml or 100000 units.",
    "This product is made from the blood ofhealthy donors and is completely safe.",
    "Some people recieve the treatment at home.",
]
HEADINGS = ["Before the infusion", "During the infusion", "After the infusion", "Side effects", "Evidence"]


def make_page(rng: random.Random, n: int, size: int) -> str:
    out = [
        "---",
        f"title: Generated page {n}",
        "description: A generated page for the benchmark.",
        "reviewed: 2026-06-01",
        "---",
        "",
        f"# Generated page {n}",
        "",
    ]
    length = sum(len(x) + 1 for x in out)
    para = 0
    while length < size:
        block: list[str] = []
        kind = rng.random()
        if kind < 0.1:
            block = [f"## {rng.choice(HEADINGS)}", ""]
        elif kind < 0.2:
            block = [f"- {rng.choice(SENTENCES)}" for _ in range(rng.randint(2, 5))] + [""]
        elif kind < 0.22:
            block = ["```text", "IVIg 5 U qd SC  # code is never linted", "```", ""]
        else:
            for _ in range(rng.randint(2, 5)):
                s = rng.choice(ERRORS) if rng.random() < 0.03 else rng.choice(SENTENCES)
                r = rng.random()
                if r < 0.15:
                    s = s[:-1] + f".[@source{rng.randint(1, 40)}]"
                elif r < 0.2:
                    s = s[:-1] + f", as [the guideline](https://example.org/guide/{para}) says."
                block.append(s)
            block.append("")
        para += 1
        out.extend(block)
        length += sum(len(x) + 1 for x in block)
    return "\n".join(out) + "\n"


def make_corpus(folder: Path, megabytes: float, seed: int = 1) -> int:
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    total, n = 0, 0
    while total < target:
        page = make_page(rng, n, 16 * 1024)
        (folder / f"page-{n:04d}.md").write_text(page, encoding="utf-8")
        total += len(page.encode())
        n += 1
    return total


# Both tools run with Python's normal bytecode caching: an inherited
# PYTHONDONTWRITEBYTECODE would make the lint recompile its modules on every run while
# codespell's were compiled when pip installed it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def best_time(cmd: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=ENV)
        best = min(best, time.perf_counter() - t)
        if proc.returncode not in (0, 1, 65):  # codespell exits 65 when it finds typos
            raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.5,1,2,4,8", help="corpus sizes in MB, comma-separated")
    ap.add_argument("--repeat", type=int, default=5, help="runs per tool and size (best is kept)")
    ap.add_argument("--target-mb", type=float, default=2.0, help="size at which the ratio must be <= 1.0")
    ap.add_argument("--jobs", type=int, default=0, help="passed to the lint (0: automatic, 1: one process)")
    ap.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = ap.parse_args()
    codespell = BIN / "codespell"
    if not codespell.exists():
        raise SystemExit(f"codespell not found at {codespell}: install requirements-dev.txt")
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"lint --jobs {args.jobs} ({'automatic' if args.jobs == 0 else args.jobs}), best of {args.repeat}")
    print(f"{'size':>7} {'files':>6} {'codespell':>10} {'lint':>8} {'ratio':>6}")
    ok = True
    for mb in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-medical-terms-") as tmp:
            folder = Path(tmp)
            total = make_corpus(folder, mb)
            files = len(list(folder.glob("*.md")))
            cs_cmd = [str(codespell), str(folder)]
            lint_cmd = [sys.executable, str(LINT), "--jobs", str(args.jobs), str(folder)]
            # Warm both (file cache, the lint's word-list cache), then alternate.
            best_time(cs_cmd, 1)
            best_time(lint_cmd, 1)
            cs, lt = float("inf"), float("inf")
            for _ in range(args.repeat):
                cs = min(cs, best_time(cs_cmd, 1))
                lt = min(lt, best_time(lint_cmd, 1))
            ratio = lt / cs
            print(f"{total / 1048576:6.2f}M {files:6d} {cs:9.3f}s {lt:7.3f}s {ratio:6.2f}")
            if mb == args.target_mb and ratio > 1.0:
                ok = False
    print("target: ratio <= 1.0 at", args.target_mb, "MB:", "met" if ok else "MISSED")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
