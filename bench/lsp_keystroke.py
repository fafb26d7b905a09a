"""Per-keystroke cost of the language server against a cold CLI run on the same file.

    .venv/bin/python bench/lsp_keystroke.py [--lines 3000] [--runs 5] [--edits 30]

Builds a report of N lines from the seeds, then measures
  cold CLI      `python -m lint_reports --no-cache FILE`, a new process each time (what a pre-commit
                hook or a save-hook pays): start-up, pack loading, linting;
  server lint   the server's own code path (Session.lint with the packs already loaded)
                after a one-character edit, in process;
  round trip    didChange -> publishDiagnostics through a real `lint-reports-lsp`
                subprocess over JSON-RPC (debounce off), i.e. what the editor waits for.
Prints medians and the ratios. The target (issue 10) is "re-lints in under 0.1 x the time of
a cold CLI run": the server re-lint line; the round trip adds the protocol (the whole text in
and every diagnostic out as JSON) and is shown for what an editor waits.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def build_report(lines: int) -> str:
    source = []
    for seed in sorted((ROOT / "seeds").iterdir()):
        source += [line for line in seed.read_text(encoding="utf-8").split("\n") if line.strip()]
    return "\n".join(source[i % len(source)] for i in range(lines)) + "\n"


def median_ms(samples) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5, help="cold CLI runs")
    parser.add_argument("--edits", type=int, default=30, help="edits timed in the server")
    args = parser.parse_args()

    from lint_reports.lsp.session import Session
    from lsp_client import LspClient

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "report.txt"
        text = build_report(args.lines)
        path.write_text(text, encoding="utf-8")
        print(f"report: {args.lines} lines, {len(text)} characters, {len(text.encode())} bytes")

        empty = root / "empty.txt"
        empty.write_text("", encoding="utf-8")
        cold, startup = [], []
        for _ in range(args.runs):
            for target, samples in ((path, cold), (empty, startup)):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "lint_reports", "--no-cache", str(target)], cwd=root, capture_output=True, check=False)
                samples.append(time.perf_counter() - started)

        session = Session([root])
        session.lint(path, text)  # loads the packs once, as the server does on didOpen
        warm = []
        for edit in range(args.edits):
            changed = text.replace("工作", f"工作{edit % 10}", 1)
            started = time.perf_counter()
            session.lint(path, changed)
            warm.append(time.perf_counter() - started)

        client = LspClient(cwd=root)
        client.initialize(root, {"debounce": 0})
        uri = client.open(path, text)
        client.diagnostics(uri, version=1)
        trips = []
        for version in range(2, args.edits + 2):
            changed = text.replace("工作", f"工作{version % 10}", 1)
            started = time.perf_counter()
            client.change(uri, changed, version)
            client.diagnostics(uri, version=version)
            trips.append(time.perf_counter() - started)
        client.close()

    cold_ms, warm_ms, trip_ms = median_ms(cold), median_ms(warm), median_ms(trips)
    print(f"cold CLI run        {cold_ms:8.1f} ms (median of {args.runs}); of which start-up and pack loading "
          f"(the same CLI on an empty file) {median_ms(startup):.1f} ms")
    print(f"server re-lint      {warm_ms:8.1f} ms (median of {args.edits})  ratio {warm_ms / cold_ms:.3f}")
    print(f"didChange->publish  {trip_ms:8.1f} ms (median of {args.edits})  ratio {trip_ms / cold_ms:.3f}")
    verdict = "OK" if warm_ms < 0.1 * cold_ms else "OVER"
    print(f"target: server re-lint < 0.1 x cold CLI: {verdict}")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
