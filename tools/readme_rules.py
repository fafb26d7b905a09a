"""Write the rule table of README.md from the built-in rule packs.

    python tools/readme_rules.py          # rewrite the table in README.md
    python tools/readme_rules.py --check  # exit 1 if README.md is out of date (the test suite does this)

The table sits between the markers `<!-- rules:start -->` and `<!-- rules:end -->`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from lint_reports.config.packs import load_builtin_packs

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    rows = ["| rule | category | severity | on by default | pack | what it flags |",
            "|---|---|---|---|---|---|"]
    for pack in load_builtin_packs():
        for rule in pack.rules:
            description = " ".join(rule.description.split()).replace("|", "\\|")
            rows.append(f"| `{rule.id}` | {rule.category} | {rule.severity} | "
                        f"{'yes' if rule.enabled else 'no'} | `{pack.path}` | {description} |")
    return "\n".join(rows)


def with_table(readme: str) -> str:
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{rule_table()}\n{END}{after}"


def main(argv: list) -> int:
    text = README.read_text(encoding="utf-8")
    updated = with_table(text)
    if "--check" in argv:
        if updated != text:
            print("README.md: the rule table is out of date; run python tools/readme_rules.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
