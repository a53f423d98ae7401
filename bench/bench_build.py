"""Build cost of the IVIG guide: against bare Material, the PDF step, and the hooks' share.

Run from anywhere: ``.venv/bin/python bench/bench_build.py [--repeat 5] [--pdf-repeat 3]``.

What is measured, all in one run on the same machine:

1. **Full HTML build vs bare Material.** Wall-clock time of ``mkdocs build`` (a fresh
   process each time, so imports count, as they do for a contributor) of

   - the real site: ``mkdocs.yml`` with every plugin and hook, ``--strict``, no PDF
     (``ENABLE_PDF_EXPORT`` unset, ``OFFLINE`` unset);
   - a bare build of the same Markdown: a temporary ``mkdocs.yml`` with only
     ``theme: material``, the same ``nav`` and the same ``markdown_extensions`` (the
     snippets base path made absolute so ``--8<--`` includes still resolve), over a copy
     of ``docs/`` in which nothing is stripped (citations stay as raw ``[@key]`` text).

   The two are run alternately, best of ``--repeat`` each; the ratio is full / bare.

2. **The PDF step.** The real build with ``ENABLE_PDF_EXPORT=1`` (best of
   ``--pdf-repeat``) minus the real build without it, compared with the PDF step before
   the PDF became a tagged PDF/UA-1 document (issue 12: 9.4 s on this machine; target at
   most 1.5 times that). The plugin's own figure ("Converting N articles to PDF took
   X s": collecting the pages plus rendering) is read from the same runs. On a shared
   machine wall-clock time swings with the load, so the step is also given in CPU time
   (user + system of the build process, best with PDF minus best without).

3. **The hooks' share.** One real HTML build in a fresh worker process
   (``--hooks-worker``), in-process through MkDocs' own API (``load_config``,
   ``on_startup``, ``build``, ``on_shutdown``, as ``mkdocs build`` does). Before the
   configuration is loaded, ``Hooks._load_hook`` is wrapped with a timer (module import
   of each hook file, including whatever it does at import time); after it is loaded,
   every event handler registered in ``config.plugins.events`` whose code lives under
   ``hooks/`` is replaced by a timing wrapper (each part of a ``CombinedEvent`` is
   registered separately, so each is timed on its own). Hook time = import time + the
   time inside those handlers, including everything they call (pandoc, the checkers in
   ``hooks/ivig_tools``). The share is hook time / the worker's whole time from before
   ``load_config`` to after ``on_shutdown`` (interpreter start-up excluded). Handlers
   do not call each other, so nothing is counted twice. Best (shortest total) of
   ``--repeat`` workers. Target: under 10 %.

Nothing here is a test: the figures vary with the machine. Prints a small table.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
HOOKS_DIR = ROOT / "hooks"
TARGET_HOOK_SHARE = 0.10
# The PDF step before issue 12 (untagged, A4, mkdocs-to-pdf's own renderer), and the limit.
PDF_STEP_BEFORE_S = 9.4
PDF_STEP_MAX_RATIO = 1.5
_PDF_PLUGIN_TIME = re.compile(r"Converting \d+ articles to PDF took ([\d.]+)s")


def build_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")
    for name in ("ENABLE_PDF_EXPORT", "OFFLINE"):
        env.pop(name, None)
    env.update(extra)
    return env


def read_config() -> dict:
    # Imported here, not at the top: the hooks worker must import MkDocs inside its timing.
    import yaml  # noqa: PLC0415
    from mkdocs.utils.yaml import get_yaml_loader  # noqa: PLC0415

    with CONFIG.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=get_yaml_loader())  # MkDocs' own loader (!ENV)


def bare_project(workdir: Path) -> Path:
    """A copy of docs/ and a mkdocs.yml with only Material, the nav and the extensions."""
    config = read_config()
    shutil.copytree(ROOT / "docs", workdir / "docs")
    extensions = []
    for item in config.get("markdown_extensions", []):
        if isinstance(item, dict) and "pymdownx.snippets" in item:
            options = dict(item["pymdownx.snippets"])
            options["base_path"] = [str((ROOT / p).resolve()) for p in options.get("base_path", ["."])]
            extensions.append({"pymdownx.snippets": options})
        else:
            extensions.append(item)
    bare = {
        "site_name": config["site_name"],
        "theme": {"name": "material"},
        "nav": config["nav"],
        "markdown_extensions": extensions,
    }
    path = workdir / "mkdocs.yml"
    path.write_text(json.dumps(bare, indent=1), encoding="utf-8")  # JSON is YAML
    return path


def timed_build(config: Path, site_dir: Path, *, strict: bool, **env: str) -> float:
    return timed_build_with_log(config, site_dir, strict=strict, **env)[0]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build_with_log(
    config: Path, site_dir: Path, *, strict: bool, **env: str
) -> tuple[float, str, float]:
    """Wall-clock seconds, the build's log, and its CPU seconds (user + system)."""
    # Not quiet when the PDF is built: its plugin logs its own time at INFO level.
    quiet = [] if env.get("ENABLE_PDF_EXPORT") else ["-q"]
    cmd = [sys.executable, "-m", "mkdocs", "build", *quiet, "--config-file", str(config)]
    cmd += ["--site-dir", str(site_dir)] + (["--strict"] if strict else [])
    cpu_start = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=config.parent, env=build_env(**env), capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu_start
    if result.returncode != 0:
        sys.exit(f"bench_build: {' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout + result.stderr, cpu


def hooks_worker(site_dir: str) -> None:
    """One in-process build with timers around the project's hooks; prints JSON."""
    logging.basicConfig(level=logging.ERROR)
    start = time.perf_counter()
    # MkDocs is imported inside the timing, as `mkdocs build` imports it.
    from mkdocs.config import config_options  # noqa: PLC0415

    times: dict[str, float] = defaultdict(float)
    load_hook = config_options.Hooks._load_hook

    def timed_load_hook(self, name, path):
        t = time.perf_counter()
        try:
            return load_hook(self, name, path)
        finally:
            times[f"{name} (import)"] += time.perf_counter() - t

    config_options.Hooks._load_hook = timed_load_hook

    from mkdocs.commands.build import build  # noqa: PLC0415
    from mkdocs.config import load_config  # noqa: PLC0415

    os.chdir(ROOT)
    config = load_config(str(CONFIG), site_dir=site_dir, strict=True)

    def timed(method, label):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                times[label] += time.perf_counter() - t

        return wrapper

    for event, methods in config.plugins.events.items():
        for i, method in enumerate(methods):
            code = getattr(getattr(method, "__func__", method), "__code__", None)
            if code is not None and Path(code.co_filename).resolve().is_relative_to(HOOKS_DIR):
                label = f"{Path(code.co_filename).name}:{method.__name__} ({event})"
                methods[i] = timed(method, label)

    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    total = time.perf_counter() - start
    print(json.dumps({"total": total, "hooks": dict(times)}))


def run_hooks_worker(site_dir: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--hooks-worker", str(site_dir)]
    result = subprocess.run(cmd, cwd=ROOT, env=build_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"bench_build: the hooks worker failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each HTML build (best is kept)")
    parser.add_argument("--pdf-repeat", type=int, default=3, help="runs of the build with the PDF")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--hooks-worker", metavar="SITE_DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.hooks_worker:
        hooks_worker(args.hooks_worker)
        return 0

    with tempfile.TemporaryDirectory(prefix="ivig-bench-") as tmp:
        tmp_path = Path(tmp)
        bare_config = bare_project(tmp_path / "bare")
        bare, full, pdf = [], [], []
        full_cpu, pdf_cpu, pdf_plugin = [], [], []
        for _ in range(args.repeat):
            bare.append(timed_build(bare_config, tmp_path / "site-bare", strict=False))
            elapsed, _, cpu = timed_build_with_log(CONFIG, tmp_path / "site-full", strict=True)
            full.append(elapsed)
            full_cpu.append(cpu)
        for _ in range(args.pdf_repeat):
            elapsed, log, cpu = timed_build_with_log(
                CONFIG, tmp_path / "site-pdf", strict=True, ENABLE_PDF_EXPORT="1"
            )
            pdf.append(elapsed)
            pdf_cpu.append(cpu)
            if match := _PDF_PLUGIN_TIME.search(log):
                pdf_plugin.append(float(match.group(1)))
        workers = [run_hooks_worker(tmp_path / "site-hooks") for _ in range(args.repeat)]

    best_worker = min(workers, key=lambda w: w["total"])
    hook_time = sum(best_worker["hooks"].values())
    share = hook_time / best_worker["total"]
    figures = {
        "bare_material_s": min(bare),
        "full_html_s": min(full),
        "ratio_full_over_bare": min(full) / min(bare),
        "full_with_pdf_s": min(pdf),
        "pdf_step_s": min(pdf) - min(full),
        "pdf_step_before_s": PDF_STEP_BEFORE_S,
        "pdf_step_ratio": (min(pdf) - min(full)) / PDF_STEP_BEFORE_S,
        "pdf_plugin_s": min(pdf_plugin) if pdf_plugin else None,
        "pdf_step_cpu_s": min(pdf_cpu) - min(full_cpu),
        "hooks_s": hook_time,
        "hooks_worker_total_s": best_worker["total"],
        "hooks_share": share,
        "hooks_detail_s": dict(sorted(best_worker["hooks"].items(), key=lambda kv: -kv[1])),
    }

    n, m = args.repeat, args.pdf_repeat
    rows = [
        (f"bare Material build (best of {n})", f"{figures['bare_material_s']:.2f} s"),
        (f"full HTML build, no PDF (best of {n})", f"{figures['full_html_s']:.2f} s"),
        ("ratio full / bare", f"{figures['ratio_full_over_bare']:.2f} x"),
        (f"full build with PDF (best of {m})", f"{figures['full_with_pdf_s']:.2f} s"),
        ("PDF step (with PDF - without)", f"{figures['pdf_step_s']:.2f} s"),
        (
            f"PDF step vs before issue 12 ({PDF_STEP_BEFORE_S} s)",
            f"{figures['pdf_step_ratio']:.2f} x (target <= {PDF_STEP_MAX_RATIO} x: "
            f"{'met' if figures['pdf_step_ratio'] <= PDF_STEP_MAX_RATIO else 'NOT met'})",
        ),
        ("PDF step in CPU time (with PDF - without)", f"{figures['pdf_step_cpu_s']:.2f} s"),
        (
            "PDF plugin's own time (collect + render)",
            f"{figures['pdf_plugin_s']:.2f} s" if figures["pdf_plugin_s"] is not None else "not logged",
        ),
        (
            "hooks' share of an HTML build",
            f"{share:.1%} ({hook_time:.2f} s of {best_worker['total']:.2f} s; target < 10%: "
            f"{'met' if share < TARGET_HOOK_SHARE else 'NOT met'})",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 30}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print("\ntime inside each hook (best worker run):")
    for label, seconds in figures["hooks_detail_s"].items():
        print(f"  {seconds * 1000:8.1f} ms  {label}")
    if args.json:
        print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
