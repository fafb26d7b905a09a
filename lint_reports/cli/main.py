"""Command line: arguments in, exit code out (0 clean, 1 findings, 2 usage/config/I-O error)."""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .. import __version__
from ..io.escape import visible

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
        """A usage error: one line saying what is wrong, one hint, exit 2 (not argparse's
        usage block, which buries the line that matters under every option)."""
        # usage errors quote the arguments (a file name from a script): one visible line
        message = visible(message)
        hint = _usage_hint(self, message)
        self.exit(EXIT_ERROR, f"lint-reports: error: {message}\n" + (f"hint: {hint}\n" if hint else ""))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lint-reports",
        description="检查中文报告（工作总结、安排意见、实施方案、情况汇报）中的模板残留、网页杂质、过时提法、缺失部分和复制损伤。",
    )
    parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    _add_output_options(parser)  # --format NAME[:FILE], -o, -q, --statistics, --color, exit status
    parser.add_argument("--select", action="append", metavar="RULES", help="only these rule ids or categories (comma-separated)")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="skip these rule ids or categories (comma-separated)")
    parser.add_argument("--year", type=int, metavar="YYYY", help="the year the reports speak from")
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
    parser.add_argument("--stdin-filename", metavar="NAME",
                        help="with the path '-' (standard input): the file name to report, and to choose per-file config and .md/.txt by")
    parser.add_argument("--rule-timeout", type=float, metavar="SECONDS", default=None,
                        help="stop a rule that runs longer than this on one file, plus 10 s per million characters; "
                             "all rules of one file get 6 times it, plus 20 s per million (default: 10; 0: no limit)")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an internal error (also: LINT_REPORTS_DEBUG=1)")
    _add_config_arguments(parser)
    parser.add_argument("--version", "-V", action="version", version=f"lint-reports {__version__}")
    return parser


# --- output, exit status, fix hints (what a ruff or yamllint user reaches for) ---------

@dataclass(frozen=True)
class Output:
    """One output of a run: a format, and the file it goes to (None: standard output)."""

    name: str
    path: Optional[str] = None


def _output_spec(value: str) -> Output:
    """`--format NAME` or `--format NAME:FILE` (only the first colon splits: C:\\x.json)."""
    from ..formats import FORMATS

    name, colon, path = value.partition(":")
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"invalid choice: '{name}' (choose from {', '.join(repr(f) for f in FORMATS)}; "
            f"NAME:FILE writes it to FILE)")
    if colon and not path:
        raise argparse.ArgumentTypeError(f"'{value}': a file name must follow the colon (--format {name}:FILE)")
    return Output(name, path or None)


def _add_output_options(parser) -> None:
    from ..formats import FORMATS

    group = parser.add_argument_group("output and exit status")
    group.add_argument("--format", "-f", action="append", type=_output_spec, metavar="FORMAT[:FILE]",
                       help=f"output format, one of {', '.join(FORMATS)} (default: text); repeat it for several "
                            "outputs of one run, each FORMAT:FILE written to its file "
                            "(--format text --format gitlab:gl-code-quality.json)")
    group.add_argument("--output-file", "-o", metavar="FILE",
                       help="write the output to FILE instead of standard output (for a --format without :FILE; "
                            "also what --list-rules, --show-files, --show-settings and the like print)")
    group.add_argument("--quiet", "-q", action="store_true",
                       help="print the findings only: no summary line, no progress, no notes")
    group.add_argument("--statistics", action="store_true",
                       help="count the findings per rule, most frequent first, instead of listing them (text, json)")
    group.add_argument("--show-fixes", action="store_true",
                       help="under each finding --fix would repair, the fix; with --fix, what was fixed per file and rule")
    group.add_argument("--color", choices=("auto", "always", "never"), default=None,
                       help="colour the text output: auto (default: when standard output is a terminal or "
                            "FORCE_COLOR is set, unless NO_COLOR is), always, never")
    group.add_argument("--no-color", dest="color", action="store_const", const="never",
                       help="the same as --color=never (also: NO_COLOR=1)")
    group.add_argument("--fail-level", choices=("info", "warning", "error", "never"),
                       help="lowest severity that makes the exit status 1 (default: warning; never: only errors exit non-zero)")
    group.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when there are findings (a usage, config or read error still exits 2)")
    group.add_argument("--exit-non-zero-on-fix", action="store_true",
                       help="with --fix: exit 1 when a file was changed, even if no finding remains")


def _parse(parser, argv):
    """Options after paths too (`lint-reports docs/ --fix`, as ruff and yamllint take them);
    everything after `--` is a path (parse_intermixed_args drops a path first after it)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    after = []
    if "--" in argv:
        split = argv.index("--")
        argv, after = argv[:split], argv[split + 1:]
    args = parser.parse_intermixed_args(argv)
    args.paths += after
    return args


def _usage_hint(parser, message: str) -> Optional[str]:
    """The next step after a usage error: the option meant, or where the options are listed."""
    if "(see " in message:  # the message names its own next step
        return None
    unknown = re.search(r"unrecognized arguments: (\S+)", message)
    if unknown and unknown.group(1).startswith("-"):
        import difflib

        typed = unknown.group(1).split("=", 1)[0]
        options = sorted(o for o in parser._option_string_actions if o.startswith("--"))
        close = difflib.get_close_matches(typed, options, n=1, cutoff=0.75)
        if close:
            return f"did you mean {close[0]}? (lint-reports --help lists every option)"
    return "lint-reports --help lists every option"


def _resolve_outputs(args, parser) -> list:
    """Where each format goes; at most one output per destination."""
    outputs = []
    for spec in args.format or [Output("text")]:
        path = spec.path if spec.path is not None else args.output_file
        outputs.append(Output(spec.name, None if path in (None, "-") else path))
    if args.output_file and all(spec.path is not None for spec in args.format or [Output("text")]):
        parser.error(f"-o {visible(args.output_file)} is not used: every --format names its own file")
    taken: dict = {}
    for output in outputs:
        key = None if output.path is None else os.path.abspath(output.path)
        if key in taken:
            where = "standard output" if key is None else visible(output.path)
            parser.error(f"--format {taken[key]} and --format {output.name} would both write to {where}: "
                         f"give each its own file (--format {output.name}:FILE)")
        taken[key] = output.name
    if args.statistics and not any(output.name in ("text", "json") for output in outputs):
        parser.error("--statistics is written as text or json: add --format text or --format json")
    return outputs


# --- config and file selection (lint_reports.config.settings, lint_reports.io.walk) ----------------

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
    from ..config import settings as config_module

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
    from ..core.finding import SEVERITY_RANK

    failing = []
    for finding in findings:
        level = resolver.fail_level_for(finding.path, args.fail_level)
        if level != "never" and SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[level]:
            failing.append(finding)
    return failing


def _check_packs(args, resolver) -> int:
    """--check-packs: before the Linter is built, which would stop at the first failing example."""
    from .showsettings import check_packs

    lines, error = check_packs(resolver.run_config, args.paths)
    if error:
        return _error(error)
    written = _write_text(args, "\n".join(visible(line) for line in lines) + "\n", args.paths)
    if written is not None:
        return written
    return EXIT_FINDINGS if len(lines) > 1 else EXIT_CLEAN  # a line per failing example, then the summary


def _config_actions(args, linter, resolver):
    """--show-settings, --show-files: the exit status, or None to go on."""
    if args.show_settings:
        from .showsettings import show_settings

        text, error = show_settings(linter, resolver, args.show_settings, args.fail_level)
        if error:
            return _error(error)
        return _write_text(args, visible(text, keep_layout=True), [args.show_settings]) or EXIT_CLEAN
    if args.show_files:
        from ..io.walk import collect

        targets, errors = collect(args.paths or ["."], resolver, args.stdin_filename)
        for error in errors:
            kind = "error" if error.fatal else "warning"
            print(f"lint-reports: {kind}: {visible(error.display)}: {visible(error.message)}", file=sys.stderr)
        listed = "".join(visible(target.display) + "\n" for target in targets)
        written = _write_text(args, listed, [target.display for target in targets])
        if written is not None:
            return written
        return EXIT_ERROR if any(e.fatal for e in errors) else EXIT_CLEAN
    return None


def _use_color(args, stream) -> bool:
    """--color always/never; else (auto) NO_COLOR turns colour off, FORCE_COLOR on (CI logs
    show colours, but their standard output is no terminal), and otherwise a terminal decides."""
    choice = args.color or "auto"
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _findings_status(args, resolver, outcome) -> int:
    status = EXIT_CLEAN
    if not args.exit_zero and _failing(outcome.findings, args, resolver):
        status = EXIT_FINDINGS
    if args.exit_non_zero_on_fix and outcome.fixed_files:
        status = EXIT_FINDINGS
    return status


class _OutputError(Exception):
    """An output file that cannot be written; the message names it."""


def _linted_paths(outcome) -> set:
    return _real_paths(outcome.files)


def _real_paths(names) -> set:
    """The real paths of `names` (those that have one), to refuse writing over any of them."""
    found = set()
    for name in names:
        try:
            found.add(os.path.realpath(name))
        except (OSError, ValueError):
            pass
    return found


def _open_output(path: str, linted: set):
    real = os.path.realpath(path)
    if real in linted:
        raise _OutputError(f"{path}: not written, it is one of the files linted (choose another output file)")
    try:
        parent = os.path.dirname(real)
        if parent:
            os.makedirs(parent, exist_ok=True)
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise _OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _pieces(output: Output, report, args):
    from dataclasses import replace

    from ..formats import chunks

    report = replace(report, color=output.path is None and output.name == "text" and _use_color(args, sys.stdout))
    if args.statistics and output.name in ("text", "json"):
        from ..formats.statistics import chunks as statistics_chunks

        return statistics_chunks(output.name, report)
    return chunks(output.name, report)


def _write_stdout(pieces, name: str) -> None:
    if name == "html" and hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        for chunk in pieces:  # the page declares UTF-8, whatever the console uses
            sys.stdout.buffer.write(chunk.encode("utf-8"))
    else:
        sys.stdout.writelines(pieces)
    sys.stdout.flush()


def _write_outputs(outputs, report, args, parser, outcome) -> None:
    """Every output of the run from the one Report: files first (a closed standard output
    does not cost the CI its report files), then standard output."""
    files = [output for output in outputs if output.path is not None]
    failures = []
    linted = _linted_paths(outcome) if files else set()
    for output in files:
        try:
            with _open_output(output.path, linted) as handle:
                handle.writelines(_pieces(output, report, args))
        except _OutputError as exc:
            failures.append(str(exc))
        except OSError as exc:
            failures.append(f"{output.path}: cannot write: {exc.strerror or exc}")
    for output in outputs:
        if output.path is None:
            _write_stdout(_pieces(output, report, args), output.name)
    if failures:
        for message in failures[:-1]:
            print(f"lint-reports: error: {visible(message)}", file=sys.stderr)
        raise _OutputError(failures[-1])


def _write_diff(outcome, args) -> int:
    """--diff: the patch on standard output (or -o FILE); 1 when some file would change.
    Bytes, not text: each file's hunks are in its own encoding and line endings."""
    data = b"".join(outcome.diffs)
    if args.output_file and args.output_file != "-":
        try:
            _open_output(args.output_file, _linted_paths(outcome)).close()  # refuses a linted file
            with open(args.output_file, "wb") as handle:
                handle.write(data)
        except (_OutputError, OSError) as exc:
            return _error(str(exc) if isinstance(exc, _OutputError) else f"{args.output_file}: cannot write: {exc}")
    else:
        try:
            sys.stdout.flush()
            stream = getattr(sys.stdout, "buffer", None)
            if stream is not None:
                stream.write(data)
                stream.flush()
            else:  # a text-only stream (tests capturing output): the bytes as UTF-8 would show them
                sys.stdout.write(data.decode("utf-8", "backslashreplace"))
                sys.stdout.flush()
        except BrokenPipeError:
            _quiet_closed_stdout()
        except OSError as exc:
            return _output_failed(exc)
    would_change = outcome.diffs or outcome.fixed_files  # a UTF-16 file changes without a diff
    return EXIT_FINDINGS if would_change and not args.exit_zero else EXIT_CLEAN


def _warn_if_nothing_checked(outcome) -> None:
    """A run that checked no file says so, unless an error or warning already told why."""
    if not outcome.files and not outcome.errors and not outcome.warnings:
        print("lint-reports: warning: no file was linted", file=sys.stderr)


def _print_fixed(outcome) -> None:
    """--fix --show-fixes: what was fixed, per file and rule (as ruff lists it)."""
    for path, counts in outcome.fixed_rules.items():
        print(f"- {visible(path)}:", file=sys.stderr)
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            print(f"    {count} × {rule}", file=sys.stderr)


def _rule_listing(args, parser, linter, outputs) -> int:
    """--list-rules and --explain RULE, as text or as JSON, with the config applied."""
    from . import explain as explaining

    if len(outputs) > 1 or outputs[0].name not in ("text", "json"):
        parser.error("--list-rules and --explain print text or json: use --format text or --format json")
    as_json = outputs[0].name == "json"
    if args.list_rules:
        text = explaining.list_rules_json(linter) if as_json else explaining.list_rules(linter)
    else:
        text = explaining.explain_json(linter, args.explain) if as_json else explaining.explain(linter, args.explain)
        if text is None:
            from ..config.settings import did_you_mean

            parser.error(f"--explain: unknown rule '{args.explain}'{did_you_mean(args.explain, linter.by_id)}"
                         " (see --list-rules)")
    if outputs[0].path is None:
        if as_json:
            sys.stdout.write(text)
        else:
            _print_text(text)
        return EXIT_CLEAN
    try:
        with _open_output(outputs[0].path, set()) as handle:
            handle.write(text if as_json else visible(text, keep_layout=True))
    except _OutputError as exc:
        return _error(str(exc))
    return EXIT_CLEAN


def _write_text(args, text: str, inputs) -> Optional[int]:
    """The text of --show-settings, --show-files, --check-packs or --explain-year: to -o FILE
    when given (as --list-rules writes it), else standard output. None once written, or the
    exit status of a failed write; FILE must not be one of `inputs` (the files it is about)."""
    if not args.output_file or args.output_file == "-":
        print(text, end="")
        return None
    try:
        with _open_output(args.output_file, _real_paths(inputs)) as handle:
            handle.write(text)
    except _OutputError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"{args.output_file}: cannot write: {exc.strerror or exc}")
    return None


def _error(message: str) -> int:
    print(f"lint-reports: error: {visible(message)}", file=sys.stderr)
    return EXIT_ERROR


def _print_text(text: str) -> None:
    """A multi-line human-readable output (--list-rules, --explain, --explain-year) that
    quotes packs and documents: their control characters shown, not sent to the terminal."""
    print(visible(text, keep_layout=True), end="")


def run(argv=None) -> int:
    from ..config import settings as config_module
    from ..core.engine import Linter
    from ..config.packs import PackError

    parser = build_parser()
    args = _parse(parser, argv)
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
        from ..core.finding import CATEGORIES

        known = set(linter.by_id) | set(CATEGORIES)
        named = ", ".join(name + config_module.did_you_mean(name, known) for name in unknown)
        parser.error(f"unknown rule or category: {named} (see --list-rules)")
    status = _config_actions(args, linter, resolver)
    if status is not None:
        return status

    outputs = _resolve_outputs(args, parser)
    if args.list_rules or args.explain:
        return _rule_listing(args, parser, linter, outputs)

    if args.explain_year:
        from .explain_year import explain_file

        try:
            year_linter = linter.for_config(resolver.for_file(Path(args.explain_year)))
        except (PackError, config_module.ConfigError) as exc:
            return _error(str(exc))
        text, error = explain_file(year_linter, args.explain_year)
        if error:
            return _error(error)
        return _write_text(args, visible(text, keep_layout=True), [args.explain_year]) or EXIT_CLEAN

    if args.baseline or args.write_baseline:
        from ..core import baseline

    known = None
    if args.baseline and not args.write_baseline:
        try:
            known = baseline.load(Path(args.baseline))
        except baseline.BaselineError as exc:
            return _error(str(exc))

    from ..core.runner import CHECK, DIFF, FIX, lint_paths

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
        from ..speed.result_cache import Cache

        cache = Cache.open(linter)
    from .progress import Progress

    keep_documents = any(output.name == "html" for output in outputs) or args.verbose
    outcome = lint_paths(linter, args.paths or ["."], resolver, keep_documents=keep_documents,
                         mode=mode, jobs=args.jobs, cache=cache, progress=Progress(enabled=False if args.quiet else None),
                         stdin_filename=args.stdin_filename)
    if args.verbose:
        from .explain_year import summaries

        for doc in outcome.documents.values():  # each with the rules of its own config
            for line in summaries(linter.for_config(resolver.of_display.get(doc.path)), [doc]):
                print(visible(line), file=sys.stderr)
    for message in outcome.errors:
        print(f"lint-reports: error: {visible(message)}", file=sys.stderr)
    for message in outcome.warnings:
        print(f"lint-reports: warning: {visible(message)}", file=sys.stderr)
    nothing_read = bool(outcome.unreadable) and not outcome.files
    _warn_if_nothing_checked(outcome)
    if mode == DIFF:
        status = _write_diff(outcome, args)
        if outcome.errors or nothing_read:
            return EXIT_ERROR
        return status
    if mode == FIX and outcome.fixed_files and not args.quiet:
        problems = "problem" if outcome.fixed_edits == 1 else "problems"
        noun = "file" if outcome.fixed_files == 1 else "files"
        print(f"lint-reports: fixed {outcome.fixed_edits} {problems} in {outcome.fixed_files} {noun}",
              file=sys.stderr)
        if args.show_fixes:
            _print_fixed(outcome)

    if args.write_baseline:
        if os.path.realpath(args.write_baseline) in _linted_paths(outcome):  # a report, not a baseline
            return _error(f"{args.write_baseline}: not written, it is one of the files linted (choose another baseline file)")
        try:
            count = baseline.write(Path(args.write_baseline), outcome.findings)
        except baseline.BaselineError as exc:
            return _error(str(exc))
        if not args.quiet:
            noun = "finding" if count == 1 else "findings"
            print(f"lint-reports: wrote {count} {noun} to baseline {visible(args.write_baseline)}", file=sys.stderr)
        return EXIT_ERROR if outcome.errors else EXIT_CLEAN
    if known is not None:
        outcome.findings = baseline.new_findings(outcome.findings, known)

    from ..formats import Report

    report = Report(outcome.findings, outcome.files, linter.by_id, documents=outcome.documents,
                    summary=not args.quiet and bool(outcome.files), show_fixes=args.show_fixes,
                    fail_level=lambda path: resolver.fail_level_for(path, args.fail_level))
    if outcome.errors or nothing_read:
        status = EXIT_ERROR
    else:
        status = _findings_status(args, resolver, outcome)
    try:
        _write_outputs(outputs, report, args, parser, outcome)
    except BrokenPipeError:
        _quiet_closed_stdout()  # piped into `head`: the reader has what it wanted
    except _OutputError as exc:
        return _error(str(exc))
    except OSError as exc:
        return _output_failed(exc)
    return status


def _output_failed(exc: OSError) -> int:
    """Standard output cannot be written (a full disk, /dev/full): one error line instead
    of a traceback, and nothing left in the buffer for Python to fail on again at exit."""
    _quiet_closed_stdout()
    return _error(f"cannot write to standard output: {exc.strerror or exc}")


def _quiet_closed_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not complain again."""
    _quiet_closed(sys.stdout)


def _quiet_closed(stream) -> None:
    """Point `stream`'s descriptor at /dev/null: what is left in its buffer, and what is
    written to it later, goes nowhere instead of failing again (at exit, too)."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return  # not a file (tests capturing output): nothing to fail at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
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


class _StdoutFailed(Exception):
    """Standard output could not be written (a full disk, /dev/full). Not an OSError: no
    handler meant for a file the run reads or writes may take it for one of its own, and the
    catch-all for bugs must not call it an internal error."""

    def __init__(self, error: OSError):
        super().__init__(error)
        self.error = error


class _GuardedStream:
    """sys.stdout or sys.stderr for the length of a run, so that a failed write anywhere
    (print() in a listing as much as the findings) is handled in one place: on stdout it
    raises _StdoutFailed; on stderr, with nowhere left to say anything, the write is dropped
    and remembered, and the exit status is then an error. A closed pipe stays a
    BrokenPipeError (the reader has what it wanted). Everything else goes to the stream."""

    def __init__(self, stream, name: str):
        self._stream = stream
        self._name = name
        self.failed = False

    def _guard(self, action, *args):
        try:
            return action(*args)
        except BrokenPipeError:
            if self._name == "stdout":
                raise
            return None  # stderr piped into a reader that left: nothing to tell it
        except OSError as exc:
            if self._name == "stdout":
                raise _StdoutFailed(exc) from None
            if not self.failed:
                self.failed = True
                _quiet_closed(self._stream)
            return None

    def write(self, text):
        return self._guard(self._stream.write, text)

    def flush(self):
        return self._guard(self._stream.flush)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv=None) -> int:
    _tolerant_output()
    real = sys.stdout, sys.stderr
    errors = _GuardedStream(real[1], "stderr")
    sys.stdout, sys.stderr = _GuardedStream(real[0], "stdout"), errors
    try:
        status = _main(argv)
        return EXIT_ERROR if errors.failed else status  # an error or a note nobody could read
    finally:
        sys.stdout, sys.stderr = real


def _main(argv) -> int:
    try:
        status = run(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head`: stop quietly, and keep Python from complaining at exit.
        _quiet_closed_stdout()
        return EXIT_CLEAN
    except _StdoutFailed as exc:
        return _output_failed(exc.error)
    except Exception as exc:  # a bug: one line, and the trace only when asked
        if _debug_requested(argv):
            raise
        print(f"lint-reports: internal error: {type(exc).__name__}: {visible(exc)[:200]} — please report it with "
              f"lint-reports {__version__}, Python {sys.version.split()[0]} (run again with --debug, "
              f"or LINT_REPORTS_DEBUG=1, for the trace)", file=sys.stderr)
        return EXIT_ERROR
    try:
        sys.stdout.flush()  # what print() left in the buffer: a full disk shows here, not at exit
    except BrokenPipeError:
        _quiet_closed_stdout()
    except _StdoutFailed as exc:
        return _output_failed(exc.error)
    return status
