"""Write (or check) the rule tables of CONTRIBUTING.md from the checkers' rule registries.

    python scripts/rule_tables.py --write   # after adding a rule or changing a severity
    python scripts/rule_tables.py --check   # exit 1 when CONTRIBUTING.md is out of date

Each table sits between ``<!-- rule-table: NAME -->`` and ``<!-- /rule-table -->`` lines,
NAME being a registry's name (``doi-check``, ``medical-terms``). The severities shown are
those in force: the registry's defaults with the overrides of the rule files.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from ivig_tools.bibcheck.config import load_bib_config  # noqa: E402
from ivig_tools.registry import Registry  # noqa: E402
from ivig_tools.terms import load_config  # noqa: E402

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
_TABLE_RE = re.compile(
    r"(?P<open><!-- rule-table: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(?P<close><!-- /rule-table -->)",
    re.DOTALL,
)


def registries() -> dict[str, Registry]:
    return {r.name: r for r in (load_bib_config().registry, load_config().registry)}


def render(text: str, tables: dict[str, Registry]) -> str:
    """``text`` with every marked table replaced by its registry's table."""

    def table(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in tables:
            raise SystemExit(f"rule_tables.py: error: {CONTRIBUTING.name} names no rule registry {name!r}")
        # (Blank lines around the table: Markdown ends an HTML comment block at a blank line.)
        return f"{m.group('open')}\n{tables[name].table_markdown()}\n{m.group('close')}"

    return _TABLE_RE.sub(table, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite the tables in CONTRIBUTING.md")
    mode.add_argument("--check", action="store_true", help="exit 1 when a table is out of date")
    args = parser.parse_args(argv)
    text = CONTRIBUTING.read_text(encoding="utf-8")
    found = {m.group("name") for m in _TABLE_RE.finditer(text)}
    tables = registries()
    missing = sorted(set(tables) - found)
    if missing:
        print(f"rule_tables.py: {CONTRIBUTING.name} has no table for {', '.join(missing)}", file=sys.stderr)
        return 1
    new = render(text, tables)
    if args.write:
        if new != text:
            CONTRIBUTING.write_text(new, encoding="utf-8")
        return 0
    if new != text:
        print(
            f"rule_tables.py: the rule tables in {CONTRIBUTING.name} are out of date; "
            "run `python scripts/rule_tables.py --write`",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
