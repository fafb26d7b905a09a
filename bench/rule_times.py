"""Per-rule and per-stage CPU time of one whole lint run, in-process, for docs/perf.md.

    .venv/bin/python bench/rule_times.py [--top N] LINT-ARGS...   # e.g. --no-cache --jobs 1 bench/corpus/many/

Wraps the Linter's `check_rule` (the time of each rule's check, lazily built shared
structure included: the first rule to ask for a document's structure pays for it) and the
engine's after-rule stages (fingerprints, fix regions), runs the command line's `main`, and
prints a table of process-time seconds. Works on any checkout whose engine has
`Linter.check_rule` (run it with that checkout's interpreter to compare two).
"""
from __future__ import annotations

import collections
import contextlib
import importlib
import io
import sys
import time


def _engine():
    for name in ("lint_reports.core.engine", "lint_reports.engine"):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    raise SystemExit("no lint_reports engine found")


def _main():
    for name in ("lint_reports.cli.main", "lint_reports.cli"):
        try:
            return importlib.import_module(name).main
        except (ModuleNotFoundError, AttributeError):
            continue
    raise SystemExit("no lint_reports command line found")


def _timed(owner, name, table, key):
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            result = original(*args, **kwargs)
            if isinstance(result, (list, tuple)) or result is None:
                return result
            return list(result)  # a generator: its work happens here
        finally:
            table[key(*args)] += time.process_time() - started

    setattr(owner, name, wrapper)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    top = 40
    if argv[:1] == ["--top"]:
        top, argv = int(argv[1]), argv[2:]
    engine = _engine()
    table: collections.Counter = collections.Counter()
    _timed(engine.Linter, "check_rule", table, lambda self, doc, rule: f"rule {rule.id}")
    for module_name, function in (("fingerprint", "attach"), ("fixhints", "locate")):
        module = getattr(engine, module_name, None)
        if module is not None and hasattr(module, function):
            _timed(module, function, table, lambda *a, _n=f"stage {module_name}.{function}": _n)
    started = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            _main()(argv)
        except SystemExit:
            pass
    total = time.process_time() - started
    print(f"{total:8.3f}  whole run (process time)")
    print(f"{sum(v for k, v in table.items() if k.startswith('rule')):8.3f}  all rules")
    for key, seconds in table.most_common(top):
        print(f"{seconds:8.3f}  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
