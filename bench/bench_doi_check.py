"""Benchmark: the offline DOI check against parsing the same bibliography with pybtex alone.

    python bench/bench_doi_check.py [--entries 2000] [--pages 20] [--repeat 5] [--target 1.5]

Writes a generated bibliography (articles with DOIs, some without, web pages; every
third DOI has a record in a generated registry cache, so the comparisons with the
registry run too) and a few pages citing it into a temporary folder. Then, in one
run, alternating them, best of ``--repeat`` each:

- pybtex: ``pybtex.database.parse_file`` on the .bib (what mkdocs-bibtex does);
- check: everything ``hooks/doi_check.py`` does offline: read the .bib, the cache
  and the pages, and run every bibliography, DOI, registry and citation rule.

Prints both times and the ratio check/pybtex; the target is a ratio of at most 1.5
(exit 1 if missed).

    python bench/bench_doi_check.py --memory-mb 50 [--memory-target 500]

instead generates a bibliography of about that many MB (and its registry cache) and runs
the command line ``hooks/doi_check.py BIB --cache CACHE`` on it in a child process; it
prints the child's peak resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``,
what ``/usr/bin/time -v`` calls "Maximum resident set size") and its time; the target is a
peak of at most ``--memory-target`` MB (exit 1 if missed).

Measured on the project's 2-core build machine (2026-11-28), 49.9 MB, 109,226 entries:
435 MB peak with its generated 31 MB registry cache (787 MB before the compact fields of
issue 16); ``/usr/bin/time -v python hooks/doi_check.py references.bib`` on the same file
with the committed cache: 354 MB ("Maximum resident set size"), 8.7 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from ivig_tools import bibcheck  # noqa: E402
from pybtex.database import parse_file  # noqa: E402

JOURNALS = [
    ("Frontiers in Immunology", "Front Immunol"),
    ("The Lancet Neurology", "Lancet Neurol"),
    ("Journal of Allergy and Clinical Immunology", "J Allergy Clin Immunol"),
    ("Journal of the Neurological Sciences", "J Neurol Sci"),
    ("World Allergy Organization Journal", "World Allergy Organ J"),
    ("Antibodies", "Antibodies (Basel)"),
]
FAMILIES = ["Guo", "Zahavi", "Perez", "Hughes", "Allen", "Shrestha", "van Doorn", 'M{\\"u}ller', "Orange"]
GIVENS = ["Yi", "David", "Elena E.", "Richard A. C.", "J. A.", "Pragya", "Pieter A.", "Anna"]
WORDS = [
    "immunoglobulin",
    "therapy",
    "adverse",
    "effects",
    "intravenous",
    "subcutaneous",
    "trial",
    "randomised",
    "placebo",
    "chronic",
    "inflammatory",
    "demyelinating",
    "polyneuropathy",
    "primary",
    "immunodeficiency",
    "evidence",
    "review",
]


def generate(n: int, pages: int, folder: Path, rng: random.Random) -> tuple[Path, Path, Path]:
    entries = []
    records = {}
    keys = []
    for i in range(n):
        key = f"ref{i:05d}"
        keys.append(key)
        if i % 10 == 9:
            entries.append(
                f"@online{{{key},\n  author = {{{{Example Organisation {i}}}}},\n"
                f"  title = {{Patient information page {i} ({{IVIG}})}},\n"
                f"  url = {{https://www.example.org/pages/{i}}},\n"
                f"  note = {{Checked in 2026}},\n}}\n"
            )
            continue
        journal, short = rng.choice(JOURNALS)
        authors = [(rng.choice(FAMILIES), rng.choice(GIVENS)) for _ in range(rng.randint(1, 8))]
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize()
        title = title.replace("therapy", "{IVIG} therapy", 1)
        year = rng.randint(1995, 2025)
        volume = rng.randint(1, 400)
        first = rng.randint(1, 2000)
        pages_ = f"{first}--{first + rng.randint(1, 20)}"
        doi = f"10.{1000 + i % 5000}/bench.{year}.{i:05d}"
        fields = [
            f"  author       = {{{' and '.join(f'{f}, {g}' for f, g in authors)}}},",
            f"  title        = {{{title}}},",
            f"  journal      = {{{journal}}},",
            f"  shortjournal = {{{short}}},",
            f"  year         = {{{year}}},",
            f"  volume       = {{{volume}}},",
            f"  number       = {{{rng.randint(1, 12)}}},",
            f"  pages        = {{{pages_}}},",
        ]
        if i % 7 != 3:
            fields.append(f"  doi          = {{{doi}}},")
            if i % 3 == 0:
                records[doi.lower()] = {
                    "DOI": doi,
                    "type": "journal-article",
                    "title": [title.replace("{", "").replace("}", "")],
                    "container-title": [journal],
                    "short-container-title": [short.replace(" ", ". ") + "."],
                    "author": [
                        {
                            "family": f.replace('{\\"u}', "ü"),
                            "given": g,
                            "sequence": "first" if j == 0 else "additional",
                        }
                        for j, (f, g) in enumerate(authors)
                    ],
                    "issued": {"date-parts": [[year, rng.randint(1, 12)]]},
                    "volume": str(volume),
                    "page": pages_.replace("--", "-"),
                }
                if i % 99 == 0:
                    records[doi.lower()]["updated-by"] = [
                        {"type": "erratum", "label": "Erratum", "note": "x"}
                    ]
        fields.append(f"  pmid         = {{{30000000 + i}}},")
        entries.append(f"@article{{{key},\n" + "\n".join(fields) + "\n}\n")
    bib = folder / "references.bib"
    bib.write_text("% Generated for bench/bench_doi_check.py\n\n" + "\n".join(entries), encoding="utf-8")
    cache = folder / "doi-registry.json"
    cache.write_text(json.dumps({"records": records}, indent=2, sort_keys=True), encoding="utf-8")
    docs = folder / "docs"
    docs.mkdir()
    for p in range(pages):
        lines = ["---", f"title: Page {p}", "---", "", f"# Page {p}", ""]
        for _ in range(60):
            cited = "; ".join(f"@{rng.choice(keys)}" for _ in range(rng.randint(1, 3)))
            lines.append(f"IVIG is a treatment that is given through a vein, as studies show [{cited}].")
        lines += ["", "```", "[@not_a_citation]", "```", ""]
        (docs / f"page{p:02d}.md").write_text("\n".join(lines), encoding="utf-8")
    return bib, cache, docs


def time_pybtex(bib: Path) -> float:
    start = time.perf_counter()
    parse_file(str(bib), "bibtex")
    return time.perf_counter() - start


def time_check(bib: Path, cache: Path, docs: Path) -> tuple[float, int]:
    start = time.perf_counter()
    bibs = [bibcheck.parse_bib(bib.read_text(encoding="utf-8"), "references.bib")]
    registry = json.loads(cache.read_text(encoding="utf-8"))
    found = bibcheck.check_bibliography(bibs, registry)
    keys = bibcheck.entry_keys(bibs)
    cited: set[str] = set()
    for page in sorted(docs.glob("*.md")):
        page_findings, citations = bibcheck.check_page(page.read_text(encoding="utf-8"), page.name, keys)
        found.extend(page_findings)
        cited.update(c.key for c in citations)
    found.extend(bibcheck.check_uncited(bibs, cited))
    return time.perf_counter() - start, len(found)


def measure_memory(megabytes: float, target: float, seed: int) -> int:
    import resource  # noqa: PLC0415 - POSIX only, and only this mode needs it
    import subprocess  # noqa: PLC0415

    per_entry = 480  # bytes of a generated entry, about
    entries = int(megabytes * 1024 * 1024 / per_entry)
    with tempfile.TemporaryDirectory(prefix="bench-doi-mem-") as tmp:
        bib, cache, _ = generate(entries, 0, Path(tmp), random.Random(seed))
        size = bib.stat().st_size
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(ROOT / "hooks" / "doi_check.py"), str(bib), "--cache", str(cache)],
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # (kB on Linux)
    print(
        f"{entries} entries, {size / 1024 / 1024:.1f} MB .bib: doi_check.py exit {proc.returncode} "
        f"in {elapsed:.1f} s"
    )
    if proc.returncode not in (0, 1):
        print(proc.stderr.strip())
        return 1
    ok = peak_mb <= target
    print(
        f"  peak resident memory {peak_mb:7.0f} MB   target <= {target:.0f} MB: {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=2000)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--target", type=float, default=1.5)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--memory-mb", type=float, default=0, help="measure peak memory on a .bib of this size")
    ap.add_argument("--memory-target", type=float, default=500, help="peak memory target in MB")
    args = ap.parse_args()
    if args.memory_mb:
        return measure_memory(args.memory_mb, args.memory_target, args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-doi-") as tmp:
        bib, cache, docs = generate(args.entries, args.pages, Path(tmp), random.Random(args.seed))
        size = bib.stat().st_size
        time_pybtex(bib)  # warm up imports and caches for both sides
        time_check(bib, cache, docs)
        pybtex_times, check_times = [], []
        for _ in range(args.repeat):
            pybtex_times.append(time_pybtex(bib))
            elapsed, n = time_check(bib, cache, docs)
            check_times.append(elapsed)
        records = len(json.loads(cache.read_text(encoding="utf-8"))["records"])
    best_pybtex, best_check = min(pybtex_times), min(check_times)
    ratio = best_check / best_pybtex
    print(
        f"{args.entries} entries ({size / 1024:.0f} kB, {records} registry records), {args.pages} pages; "
        f"best of {args.repeat}:"
    )
    print(f"  pybtex parse alone   {best_pybtex:7.3f} s")
    print(f"  full offline check   {best_check:7.3f} s   ({n} findings)")
    ok = ratio <= args.target
    print(f"  ratio check/pybtex   {ratio:7.2f}   target <= {args.target}: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
