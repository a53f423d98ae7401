"""Build the medical-term lint's word set at set-up, so that no lint run has to.

    python scripts/build_wordset.py [--config PATH]

The spelling rules (MED040, MED041) read one merged word set: pyspellchecker's English
list and the Hunspell lists named under ``spelling: hunspell:`` in the rule file (installed
by scripts/ensure-wordlists.sh). Building it takes about 0.2 s, as long as a whole lint
run of a small page; ``make`` runs this script after installing the packages and the
lists, and it writes the set into the Python environment (``sys.prefix/share/ivig-guide``,
as a package keeps its data; see ``ivig_tools.spelling.installed_dir``), so a fresh
machine's first run, with an empty cache folder, starts with it. It does nothing when the
set there is current, and replaces it when a list changed.

Exit status: 0 done (or already current), 2 the rule file cannot be read, 3 the set
cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from ivig_tools import spelling  # noqa: E402
from ivig_tools.terms.config import ConfigError, load_config  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", metavar="PATH", help="rule file (default: hooks/data/medical_terms.yaml)")
    args = ap.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"build_wordset: {exc}", file=sys.stderr)
        return 2
    hunspell = config.compiled.hunspell
    missing = [p for p in hunspell if not Path(p).is_file()]
    try:
        path, built = spelling.install_word_set(hunspell)
    except OSError as exc:
        print(f"build_wordset: {exc}", file=sys.stderr)
        return 3
    if built:
        note = f" (without {', '.join(missing)}: run scripts/ensure-wordlists.sh)" if missing else ""
        print(f"build_wordset: the lint's word set is in {path}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
