"""Derive, at set-up, the data every medical-term lint run would otherwise build first.

    python scripts/build_lint_data.py [--config PATH]

Two things, each written into the set-up folder (``sys.prefix/share/ivig-guide``, inside
the Python environment as a package keeps its data; see ``ivig_tools.cache.setup_dir``):

- the spelling rules' word set (MED040, MED041): pyspellchecker's English list merged
  with the Hunspell lists named under ``spelling: hunspell:`` in the rule file (installed
  by scripts/ensure-wordlists.sh); building it takes about 0.2 s;
- the rule file parsed (YAML), about 0.01 s.

``make`` runs this after installing the packages and the word lists, so a fresh machine's
first lint run, with an empty cache folder, starts with both. Each is named by what it
derives from: it does nothing when they are current, replaces a stale one, and a run
whose rule file or lists changed since simply builds its own (and keeps it in the cache).

Exit status: 0 done (or already current), 2 the rule file cannot be read, 3 the set-up
folder cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from ivig_tools import spelling  # noqa: E402
from ivig_tools.terms.config import ConfigError, install_parsed_rules, load_config  # noqa: E402

PROG = "build_lint_data"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", metavar="PATH", help="rule file (default: hooks/data/medical_terms.yaml)")
    args = ap.parse_args(argv)
    try:
        config = load_config(args.config)
        rules_path, rules_built = install_parsed_rules(args.config)
    except ConfigError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 3
    hunspell = config.compiled.hunspell
    missing = [p for p in hunspell if not Path(p).is_file()]
    try:
        words_path, words_built = spelling.install_word_set(hunspell)
    except OSError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 3
    if words_built:
        note = f" (without {', '.join(missing)}: run scripts/ensure-wordlists.sh)" if missing else ""
        print(f"{PROG}: the lint's word set is in {words_path}{note}")
    if rules_built:
        print(f"{PROG}: the parsed rule file is in {rules_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
