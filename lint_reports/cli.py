"""Command line: arguments in, exit code out (0 clean, 1 findings, 2 usage/config/I-O error)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def _names(values) -> list:
    names = []
    for value in values or []:
        names += [v.strip() for v in value.split(",") if v.strip()]
    return names


def build_parser() -> argparse.ArgumentParser:
    from .formats import FORMATS

    parser = argparse.ArgumentParser(
        prog="lint-reports",
        description="检查中文报告（工作总结、安排意见、实施方案、情况汇报）中的模板残留、网页杂质、过时提法、缺失部分和复制损伤。",
    )
    parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    parser.add_argument("--format", "-f", default="text", choices=FORMATS, help="output format (default: text)")
    parser.add_argument("--config", "-c", metavar="FILE", help="config file (default: .lint-reports.yaml or [tool.lint-reports] found upward)")
    parser.add_argument("--select", action="append", metavar="RULES", help="only these rule ids or categories (comma-separated)")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="skip these rule ids or categories (comma-separated)")
    parser.add_argument("--year", type=int, metavar="YYYY", help="the year the reports speak from")
    parser.add_argument("--fail-level", choices=("info", "warning", "error"), help="lowest severity that makes the exit status 1 (default: warning)")
    parser.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    parser.add_argument("--explain", metavar="RULE", help="explain a rule with its examples and exit")
    parser.add_argument("--explain-year", metavar="FILE", help="show the year FILE (and each piece of a compilation) speaks from, and why, then exit")
    parser.add_argument("--verbose", "-v", action="store_true", help="also print the year each file speaks from (on stderr)")
    parser.add_argument("--no-color", action="store_true", help="never colour the output (also: NO_COLOR)")
    parser.add_argument("--version", action="version", version=f"lint-reports {__version__}")
    return parser


def _use_color(args) -> bool:
    if args.no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() and args.format == "text"


def _error(message: str) -> int:
    print(f"lint-reports: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def run(argv=None) -> int:
    from . import config as config_module
    from .engine import Linter, at_or_above
    from .packs import PackError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.year is not None and not 1900 <= args.year <= 2200:
        parser.error(f"--year {args.year}: expected a year such as 2024")
    try:
        config_path = Path(args.config) if args.config else None
        config = config_module.load(config_path)
    except config_module.ConfigError as exc:
        return _error(str(exc))
    try:
        linter = Linter(config, select=_names(args.select), ignore=_names(args.ignore), year=args.year)
    except (PackError, config_module.ConfigError) as exc:
        return _error(str(exc))
    unknown = linter.validate_names(_names(args.select) + _names(args.ignore))
    if unknown:
        parser.error(f"unknown rule or category: {', '.join(unknown)} (see --list-rules)")

    if args.list_rules:
        from .explain import list_rules

        print(list_rules(linter), end="")
        return EXIT_CLEAN
    if args.explain:
        from .explain import explain

        text = explain(linter, args.explain)
        if text is None:
            parser.error(f"--explain: unknown rule '{args.explain}' (see --list-rules)")
        print(text, end="")
        return EXIT_CLEAN

    if args.explain_year:
        from .year import explain_file

        text, error = explain_file(linter, args.explain_year)
        if error:
            return _error(error)
        print(text, end="")
        return EXIT_CLEAN

    from .runner import lint_paths

    outcome = lint_paths(linter, args.paths or ["."], config, keep_documents=args.verbose)
    if args.verbose:
        from .year import summaries

        for line in summaries(linter, outcome.documents.values()):
            print(line, file=sys.stderr)
    for message in outcome.errors:
        print(f"lint-reports: error: {message}", file=sys.stderr)
    for message in outcome.warnings:
        print(f"lint-reports: warning: {message}", file=sys.stderr)

    from .formats import Report, render

    report = Report(outcome.findings, outcome.files, linter.by_id, color=_use_color(args))
    sys.stdout.write(render(args.format, report))
    sys.stdout.flush()
    if outcome.errors:
        return EXIT_ERROR
    fail_level = args.fail_level or config.fail_level
    return EXIT_FINDINGS if at_or_above(outcome.findings, fail_level) else EXIT_CLEAN


def main(argv=None) -> int:
    try:
        return run(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head`: stop quietly, and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_CLEAN
    except Exception as exc:  # a bug: one line, and the trace only when asked
        if os.environ.get("LINT_REPORTS_DEBUG"):
            raise
        print(f"lint-reports: internal error: {type(exc).__name__}: {exc} — please report it "
              f"(set LINT_REPORTS_DEBUG=1 for the trace)", file=sys.stderr)
        return EXIT_ERROR
