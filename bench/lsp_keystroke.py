"""Per-keystroke cost of the language server against a cold CLI run on the same file.

    .venv/bin/python bench/lsp_keystroke.py [--lines 3000] [--runs 5] [--edits 30]

Builds a report of N lines from the seeds, then measures
  cold CLI      `python -m lint_reports --no-cache FILE`, a new process each time (what a pre-commit
                hook or a save-hook pays): start-up, pack loading, linting;
  quick lint    the server's own code path (Session.lint with the packs already loaded) after
                a one-character edit, in process, as published at once on didChange: the
                line-local rules re-scan the edited lines, the whole-document rules keep their
                findings away from the edit (lint_reports/lsp/incremental.py);
  exact lint    the same edit linted exactly (line-local rules still re-scan only the edited
                lines, every other rule runs in full), as published after the debounce;
  round trips   didChange -> publishDiagnostics through a real `lint-reports-lsp` subprocess
                over JSON-RPC: with a debounce, the quick publish that comes at once; with
                debounce 0, the exact one. What an editor waits for.
Prints medians (wall clock, and CPU seconds for the CLI and the in-process lints: the machine
may be busy) and the ratios. The target (issue 10) is "re-lints in under 0.1 x the time of a
cold CLI run"; the verdict is on the quick lint, the exact lint's ratio is printed beside it.
"""
from __future__ import annotations

import argparse
import resource
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
        cold, cold_cpu, startup = [], [], []
        for _ in range(args.runs):
            for target, samples in ((path, cold), (empty, startup)):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "lint_reports", "--no-cache", str(target)], cwd=root, capture_output=True, check=False)
                samples.append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if target == path:
                    cold_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

        def edited(number: int) -> str:
            return text.replace("工作", f"工作{number % 10}", 1)

        session = Session([root])
        session.lint(path, text)  # loads the packs once, as the server does on didOpen
        timings = {}
        for quick in (True, False):
            wall, cpu = [], []
            for edit in range(args.edits):
                started, started_cpu = time.perf_counter(), time.process_time()
                session.lint(path, edited(edit), quick=quick)
                wall.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            timings[quick] = (wall, cpu)

        trips = {}
        for debounce in (60_000, 0):  # the exact lint of a long debounce never comes in between
            client = LspClient(cwd=root)
            client.initialize(root, {"debounce": debounce})
            uri = client.open(path, text)
            client.diagnostics(uri, version=1)
            trips[debounce] = []
            for version in range(2, args.edits + 2):
                started = time.perf_counter()
                client.change(uri, edited(version), version)
                client.diagnostics(uri, version=version)
                trips[debounce].append(time.perf_counter() - started)
            client.close()

    cold_ms, cold_cpu_ms = median_ms(cold), median_ms(cold_cpu)
    print(f"cold CLI run          {cold_ms:8.1f} ms wall, {cold_cpu_ms:7.1f} ms CPU (median of {args.runs}); of which "
          f"start-up and pack loading (the same CLI on an empty file) {median_ms(startup):.1f} ms wall")
    for quick, label in ((True, "quick lint (at once)"), (False, "exact lint (debounced)")):
        wall_ms, cpu_ms = median_ms(timings[quick][0]), median_ms(timings[quick][1])
        print(f"{label:22s}{wall_ms:8.1f} ms wall, {cpu_ms:7.1f} ms CPU (median of {args.edits})  "
              f"ratio {wall_ms / cold_ms:.3f} wall, {cpu_ms / cold_cpu_ms:.3f} CPU")
    for debounce, label in ((60_000, "didChange->quick pub"), (0, "didChange->exact pub")):
        trip_ms = median_ms(trips[debounce])
        print(f"{label:22s}{trip_ms:8.1f} ms wall (median of {args.edits})  ratio {trip_ms / cold_ms:.3f}")
    quick_ms = median_ms(timings[True][0])
    verdict = "OK" if quick_ms < 0.1 * cold_ms else "OVER"
    exact = "under" if median_ms(timings[False][0]) < 0.1 * cold_ms else "over"
    print(f"target: quick re-lint < 0.1 x cold CLI: {verdict} (the exact re-lint is {exact} it)")
    return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
