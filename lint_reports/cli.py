"""Command line: arguments in, exit code out (0 clean, 1 findings, 2 usage/config/I-O error)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .untrusted import visible

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def _names(values) -> list:
    names = []
    for value in values or []:
        names += [v.strip() for v in value.split(",") if v.strip()]
    return names


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # usage errors quote the arguments (a file name from a script): one visible line
        super().error(visible(message))


def build_parser() -> argparse.ArgumentParser:
    from .formats import FORMATS

    parser = _Parser(
        prog="lint-reports",
        description="检查中文报告（工作总结、安排意见、实施方案、情况汇报）中的模板残留、网页杂质、过时提法、缺失部分和复制损伤。",
    )
    parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    parser.add_argument("--format", "-f", default="text", choices=FORMATS, help="output format (default: text)")
    parser.add_argument("--select", action="append", metavar="RULES", help="only these rule ids or categories (comma-separated)")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="skip these rule ids or categories (comma-separated)")
    parser.add_argument("--year", type=int, metavar="YYYY", help="the year the reports speak from")
    parser.add_argument("--fail-level", choices=("info", "warning", "error"), help="lowest severity that makes the exit status 1 (default: warning)")
    parser.add_argument("--fix", action="store_true", help="apply the safe fixes in place, then report what remains (never placeholders or outdated references)")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a unified diff instead of writing them")
    parser.add_argument("--jobs", "-j", type=int, metavar="N", help="lint N files at once (default: the CPU count when there are many files)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache of results of unchanged files")
    parser.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    parser.add_argument("--explain", metavar="RULE", help="explain a rule with its examples and exit")
    parser.add_argument("--explain-year", metavar="FILE", help="show the year FILE (and each piece of a compilation) speaks from, and why, then exit")
    parser.add_argument("--verbose", "-v", action="store_true", help="also print the year each file speaks from (on stderr)")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline")
    parser.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE and exit 0")
    parser.add_argument("--report-unused-suppressions", action="store_true",
                        help="report suppression comments that hide nothing (rule unused-suppression)")
    parser.add_argument("--no-color", action="store_true", help="never colour the output (also: NO_COLOR)")
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="with the path '-' (standard input): the file name to report, and to choose per-file config and .md/.txt by")
    parser.add_argument("--rule-timeout", type=float, metavar="SECONDS", default=None,
                        help="stop a rule that runs longer than this on one file, plus 10 s per million characters (default: 10; 0: no limit)")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an internal error (also: LINT_REPORTS_DEBUG=1)")
    _add_config_arguments(parser)
    parser.add_argument("--version", action="version", version=f"lint-reports {__version__}")
    return parser


# --- config and file selection (lint_reports.config, lint_reports.walk) ----------------

def _add_config_arguments(parser) -> None:
    group = parser.add_argument_group("config and file selection")
    group.add_argument("--config", "-c", action="append", metavar="FILE|KEY=VALUE",
                       help="a config file for every file (default: the config closest to each file), "
                            "or KEY=VALUE to override one setting of every config, e.g. -c year=2022 "
                            "-c 'ignore=[placeholder-mou]' (repeatable)")
    group.add_argument("--no-config", "--isolated", dest="no_config", action="store_true",
                       help="read no config file at all (the defaults, plus any -c KEY=VALUE)")
    group.add_argument("--force-exclude", action="store_true",
                       help="apply files.exclude to files named on the command line too (pre-commit passes names)")
    group.add_argument("--show-settings", metavar="FILE",
                       help="show the settings that apply to FILE (configs and their order, rules, severities, year) and exit")
    group.add_argument("--show-files", action="store_true",
                       help="list the files that would be checked (after excludes) and exit")
    group.add_argument("--check-packs", action="store_true",
                       help="run the examples of the rule packs given as paths (default: the built-in packs and "
                            "the config's) as tests, report each failing one, and exit")


def _resolver(args, parser):
    """The Resolver for -c FILE / -c KEY=VALUE / --no-config / --force-exclude."""
    from . import config as config_module

    files = [value for value in args.config or [] if not config_module.is_override(value)]
    if len(files) > 1:
        parser.error(f"--config: one config file at most (got {', '.join(files)}); use -c KEY=VALUE for single settings")
    if files and args.no_config:
        parser.error("--no-config and --config FILE: choose one")
    overrides = [config_module.Override(value) for value in args.config or [] if config_module.is_override(value)]
    return config_module.Resolver(Path(files[0]) if files else None, isolated=args.no_config,
                                  overrides=overrides, force_exclude=args.force_exclude)


def _failing(findings, args, resolver) -> list:
    """The findings at or above the fail level of their file (--fail-level, else the
    fail-level of the config that applies to the file)."""
    from .finding import SEVERITY_RANK

    return [f for f in findings
            if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[resolver.fail_level_for(f.path, args.fail_level)]]


def _check_packs(args, resolver) -> int:
    """--check-packs: before the Linter is built, which would stop at the first failing example."""
    from .showsettings import check_packs

    lines, error = check_packs(resolver.run_config, args.paths)
    if error:
        return _error(error)
    print("\n".join(visible(line) for line in lines))
    return EXIT_FINDINGS if len(lines) > 1 else EXIT_CLEAN  # a line per failing example, then the summary


def _config_actions(args, linter, resolver):
    """--show-settings, --show-files: the exit status, or None to go on."""
    if args.show_settings:
        from .showsettings import show_settings

        text, error = show_settings(linter, resolver, args.show_settings, args.fail_level)
        if error:
            return _error(error)
        _print_text(text)
        return EXIT_CLEAN
    if args.show_files:
        from .walk import collect

        targets, errors = collect(args.paths or ["."], resolver, args.stdin_filename)
        for error in errors:
            kind = "error" if error.fatal else "warning"
            print(f"lint-reports: {kind}: {visible(error.display)}: {visible(error.message)}", file=sys.stderr)
        for target in targets:
            print(visible(target.display))
        return EXIT_ERROR if any(e.fatal for e in errors) else EXIT_CLEAN
    return None


def _use_color(args) -> bool:
    if args.no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() and args.format == "text"


def _error(message: str) -> int:
    print(f"lint-reports: error: {visible(message)}", file=sys.stderr)
    return EXIT_ERROR


def _print_text(text: str) -> None:
    """A multi-line human-readable output (--list-rules, --explain, --explain-year) that
    quotes packs and documents: their control characters shown, not sent to the terminal."""
    print(visible(text, keep_layout=True), end="")


def run(argv=None) -> int:
    from . import config as config_module
    from .engine import Linter
    from .packs import PackError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.year is not None and not config_module.MIN_YEAR <= args.year <= config_module.MAX_YEAR:
        parser.error(f"--year {args.year}: expected a year such as 2024")
    try:
        resolver = _resolver(args, parser)
        config = resolver.run_config
    except config_module.ConfigError as exc:
        return _error(str(exc))
    if args.check_packs:
        return _check_packs(args, resolver)
    try:
        linter = Linter(config, select=_names(args.select), ignore=_names(args.ignore), year=args.year,
                        enable=["unused-suppression"] if args.report_unused_suppressions else [])
    except (PackError, config_module.ConfigError) as exc:
        return _error(str(exc))
    resolver.check = linter.config_problem  # each file's own config meets the same rules
    unknown = linter.validate_names(_names(args.select) + _names(args.ignore))
    if unknown:
        parser.error(f"unknown rule or category: {', '.join(unknown)} (see --list-rules)")
    status = _config_actions(args, linter, resolver)
    if status is not None:
        return status

    if args.list_rules:
        from .explain import list_rules

        _print_text(list_rules(linter))
        return EXIT_CLEAN
    if args.explain:
        from .explain import explain

        text = explain(linter, args.explain)
        if text is None:
            parser.error(f"--explain: unknown rule '{args.explain}' (see --list-rules)")
        _print_text(text)
        return EXIT_CLEAN

    if args.explain_year:
        from .year import explain_file

        try:
            year_linter = linter.for_config(resolver.for_file(Path(args.explain_year)))
        except (PackError, config_module.ConfigError) as exc:
            return _error(str(exc))
        text, error = explain_file(year_linter, args.explain_year)
        if error:
            return _error(error)
        _print_text(text)
        return EXIT_CLEAN

    if args.baseline or args.write_baseline:
        from . import baseline

    known = None
    if args.baseline and not args.write_baseline:
        try:
            known = baseline.load(Path(args.baseline))
        except baseline.BaselineError as exc:
            return _error(str(exc))

    from .runner import CHECK, DIFF, FIX, lint_paths

    if args.stdin_filename and "-" not in args.paths:
        parser.error("--stdin-filename needs the path '-' (read the report from standard input)")
    if args.paths.count("-") > 1:
        parser.error("standard input ('-') can be given only once")
    if args.rule_timeout is not None:
        if not args.rule_timeout >= 0:  # also refuses nan
            parser.error(f"--rule-timeout {args.rule_timeout}: expected a number of seconds, 0 for no limit")
        linter.guard.seconds = args.rule_timeout
    linter.guard.debug = _debug_requested(argv)
    if args.jobs is not None and args.jobs < 0:
        parser.error(f"--jobs {args.jobs}: expected 0 (automatic) or a number of processes")
    mode = DIFF if args.diff else FIX if args.fix else CHECK
    cache = None
    if not args.no_cache:
        from .cache import Cache

        cache = Cache.open(linter)
    from .progress import Progress

    outcome = lint_paths(linter, args.paths or ["."], resolver, keep_documents=args.format == "html" or args.verbose,
                         mode=mode, jobs=args.jobs, cache=cache, progress=Progress(),
                         stdin_filename=args.stdin_filename)
    if args.verbose:
        from .year import summaries

        for doc in outcome.documents.values():  # each with the rules of its own config
            for line in summaries(linter.for_config(resolver.of_display.get(doc.path)), [doc]):
                print(visible(line), file=sys.stderr)
    for message in outcome.errors:
        print(f"lint-reports: error: {visible(message)}", file=sys.stderr)
    for message in outcome.warnings:
        print(f"lint-reports: warning: {visible(message)}", file=sys.stderr)
    nothing_read = bool(outcome.unreadable) and not outcome.files
    if mode == DIFF:
        sys.stdout.write("".join(outcome.diffs))
        sys.stdout.flush()
        if outcome.errors or nothing_read:
            return EXIT_ERROR
        return EXIT_FINDINGS if outcome.diffs else EXIT_CLEAN
    if mode == FIX and outcome.fixed_files:
        noun = "file" if outcome.fixed_files == 1 else "files"
        print(f"lint-reports: fixed {outcome.fixed_edits} problems in {outcome.fixed_files} {noun}", file=sys.stderr)

    if args.write_baseline:
        try:
            count = baseline.write(Path(args.write_baseline), outcome.findings)
        except baseline.BaselineError as exc:
            return _error(str(exc))
        print(f"lint-reports: wrote {count} findings to baseline {visible(args.write_baseline)}", file=sys.stderr)
        return EXIT_ERROR if outcome.errors else EXIT_CLEAN
    if known is not None:
        outcome.findings = baseline.new_findings(outcome.findings, known)

    from .formats import Report, chunks

    report = Report(outcome.findings, outcome.files, linter.by_id, color=_use_color(args),
                    documents=outcome.documents)
    if outcome.errors or nothing_read:
        status = EXIT_ERROR
    else:
        status = EXIT_FINDINGS if _failing(outcome.findings, args, resolver) else EXIT_CLEAN
    try:
        if args.format == "html" and hasattr(sys.stdout, "buffer"):
            sys.stdout.flush()
            for chunk in chunks(args.format, report):  # the page declares UTF-8, whatever the console uses
                sys.stdout.buffer.write(chunk.encode("utf-8"))
        else:
            sys.stdout.writelines(chunks(args.format, report))
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_closed_stdout()  # piped into `head`: the reader has what it wanted
    from .packcache import save_learned

    save_learned()  # patterns compiled on first use: from the cache next time
    return status


def _quiet_closed_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not complain again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _debug_requested(argv) -> bool:
    args = sys.argv[1:] if argv is None else list(argv)
    before_separator = args[:args.index("--")] if "--" in args else args
    return "--debug" in before_separator or bool(os.environ.get("LINT_REPORTS_DEBUG"))


def _tolerant_output() -> None:
    """Never crash on output: a terminal that is not UTF-8, or a file name with bytes that
    are not UTF-8, prints escapes instead of raising UnicodeEncodeError."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with the descriptor closed (`>&-`): discard
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
        try:
            getattr(sys, name).reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass


def main(argv=None) -> int:
    _tolerant_output()
    try:
        return run(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head`: stop quietly, and keep Python from complaining at exit.
        _quiet_closed_stdout()
        return EXIT_CLEAN
    except Exception as exc:  # a bug: one line, and the trace only when asked
        if _debug_requested(argv):
            raise
        print(f"lint-reports: internal error: {type(exc).__name__}: {visible(exc)[:200]} — please report it with "
              f"lint-reports {__version__}, Python {sys.version.split()[0]} (run again with --debug, "
              f"or LINT_REPORTS_DEBUG=1, for the trace)", file=sys.stderr)
        return EXIT_ERROR
