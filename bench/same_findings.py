"""Do two lint-reports checkouts report exactly the same? Runs each one's command line with
`--format json --no-cache` over the same inputs (seeds, the test corpora and pages, the
benchmark's 20 MB file) and compares the outputs byte for byte.

    .venv/bin/python bench/same_findings.py /work/main/.venv/bin/lint-reports .venv/bin/lint-reports

A speed change must leave every finding, message, fix and fingerprint as it was: this is
the check to run before measuring one.
"""
from __future__ import annotations

import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "bench" / "corpus" / ".lint-reports.yaml"


def inputs() -> dict:
    groups = {
        "seeds": sorted((ROOT / "seeds").glob("*")),
        "tests/data/corpus": sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt")),
        "tests/data/corpus-web": sorted((ROOT / "tests" / "data" / "corpus-web").glob("*.txt")),
        "tests/pages": sorted((ROOT / "tests" / "pages").glob("*.txt")),
    }
    big = ROOT / "bench" / "corpus" / "big" / "big.txt"
    if big.is_file():
        groups["bench/corpus/big"] = [big]
    return {name: [str(p) for p in paths if p.is_file()] for name, paths in groups.items()}


def run(lint: str, files: list, cache_home: str) -> str:
    env = dict(os.environ, XDG_CACHE_HOME=cache_home)
    command = [lint, "--format", "json", "--no-cache", "--jobs", "1"]
    if CONFIG.is_file():
        command += ["-c", str(CONFIG)]
    result = subprocess.run(command + files, capture_output=True, text=True, cwd=ROOT, env=env)
    return f"exit {result.returncode}\n{result.stdout}\n--- stderr\n{result.stderr}"


def main(argv) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-5], file=sys.stderr)
        return 2
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for name, files in inputs().items():
            # a cold and a warm pack cache each: both must say the same
            outputs = [run(lint, files, os.path.join(scratch, f"c{i}")) for i, lint in enumerate(argv)]
            outputs += [run(argv[1], files, os.path.join(scratch, "c1"))]
            same = outputs[0] == outputs[1] == outputs[2]
            print(f"{name}: {len(files)} files, {len(outputs[0])} bytes of output: {'same' if same else 'DIFFERENT'}")
            if not same:
                failed += 1
                other = outputs[1] if outputs[1] != outputs[0] else outputs[2]
                diff = difflib.unified_diff(outputs[0].splitlines(), other.splitlines(), lineterm="", n=1)
                for number, line in enumerate(diff):
                    if number > 40:
                        break
                    print("   ", line[:200])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
