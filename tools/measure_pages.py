"""Score the linter on real pages whose furniture is marked (format: tests/pagegold.py).

    .venv/bin/python tools/measure_pages.py                      # ../shared/corpus-web + tools/corpus-web-gold
    .venv/bin/python tools/measure_pages.py --pages tests/pages  # the test fixtures (gold beside them)
    .venv/bin/python tools/measure_pages.py -v                   # also list every miss and body alarm

Prints furniture recall (lines and pieces flagged as artifact / all marked) and every finding of
an artifact/placeholder/outdated/repetition category inside a body, per file and in total.
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pagegold import read_gold, score  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "corpus-web")
    parser.add_argument("--gold", type=Path, help="folder of NAME.furniture (default: tools/corpus-web-gold, or --pages)")
    parser.add_argument("--lint", default=str(ROOT / ".venv" / "bin" / "lint-reports"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    gold_dir = args.gold or (ROOT / "tools" / "corpus-web-gold" if args.pages.name == "corpus-web" else args.pages)
    pages = sorted(p for p in args.pages.glob("*.txt") if (gold_dir / (p.stem + ".furniture")).is_file())
    if not pages:
        print(f"no page in {args.pages} has a gold file in {gold_dir}", file=sys.stderr)
        return 2
    out = subprocess.run([args.lint, "--no-cache", "--format", "json", *map(str, pages)],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        print(out.stderr, file=sys.stderr)
        return 2
    by_path = collections.defaultdict(list)
    for finding in json.loads(out.stdout)["findings"]:
        by_path[Path(finding["path"]).name].append(finding)
    total = found = blanks = blanks_missed = 0
    alarms = collections.Counter()
    for page in pages:
        text = page.read_text(encoding="utf-8").replace("\r\n", "\n")
        result = score(text, read_gold(gold_dir / (page.stem + ".furniture")), by_path[page.name])
        total += result.furniture_total
        found += result.furniture_found
        page_blanks = len(read_gold(gold_dir / (page.stem + ".furniture")).blanks)
        blanks += page_blanks
        blanks_missed += len(result.missed_blanks)
        for finding in result.body_alarms:
            alarms[finding["category"]] += 1
        print(f"{page.name}: furniture {result.furniture_found}/{result.furniture_total}, "
              f"body alarms {len(result.body_alarms)}")
        if args.verbose:
            for line, what in result.missed:
                print(f"    missed {line}: {what[:80]}")
            for line, what in result.missed_blanks:
                print(f"    blank missed {line}: {what}")
            for finding in result.body_alarms:
                print(f"    alarm  {finding['line']}:{finding['column']} {finding['rule']} {finding['message'][:80]}")
    recall = found / total if total else 1.0
    print(f"TOTAL furniture {found}/{total} (recall {recall:.3f}); body alarms "
          f"{sum(alarms.values())} {dict(alarms)}; blanks flagged {blanks - blanks_missed}/{blanks} "
          f"over {len(pages)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
