"""Standard input, bad config and packs, runaway rules, crashes, closed pipes, security,
and the promise that linting never changes a file."""
from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import ROOT, SEEDS, run_cli
import lint_reports.cli.main as cli

REPORT = "关于20**年xx区工作的总结\n第二行写得很好。\n"
POSIX_TIMER = pytest.mark.skipif(not hasattr(signal, "setitimer"),
                                 reason="no interval timer on this platform: rules run unbounded")


def _main(args, *, cwd, monkeypatch, capsys, stdin: bytes = None):
    """Run the CLI in this process (fast); returns (status, stdout, stderr)."""
    monkeypatch.chdir(cwd)
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- standard input ---------------------------------------------------------------------

def test_dash_reads_standard_input(tmp_path, monkeypatch, capsys):
    status, out, _ = _main(["-"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys,
                           stdin=REPORT.encode("gbk"))
    assert status == 1
    assert out.splitlines()[0].startswith("<stdin>:1:5: error placeholder-stars")


def test_stdin_filename_names_the_file_and_picks_its_config_and_type(tmp_path, monkeypatch, capsys):
    _write(tmp_path / ".lint-reports.yaml", """\
        per-file:
          "drafts/*":
            ignore: [placeholder-x]
        """)
    text = "# 20**年工作总结\n\n```\nxx区 in a code block is not prose\n```\n\nxx区\n"
    args = ["--format", "json", "-", "--stdin-filename", "drafts/plan.md"]
    status, out, _ = _main(args, cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys, stdin=text.encode())
    findings = json.loads(out)["findings"]
    assert status == 1
    assert [(f["path"], f["line"], f["rule"]) for f in findings] == [("drafts/plan.md", 1, "placeholder-stars")]
    # The same bytes under another name: per-file config no longer applies; the code block
    # is still not prose because the name ends in .md.
    args[-1] = "final/plan.md"
    _, out, _ = _main(args, cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys, stdin=text.encode())
    assert [(f["line"], f["rule"]) for f in json.loads(out)["findings"]] == [(1, "placeholder-stars"), (7, "placeholder-x")]


def test_stdin_filename_excluded_by_config_is_not_linted_with_force_exclude(tmp_path, monkeypatch, capsys):
    _write(tmp_path / ".lint-reports.yaml", "files:\n  exclude: ['vendor/']\n")
    status, out, err = _main(["-", "--stdin-filename", "vendor/x.txt", "--force-exclude"], cwd=tmp_path,
                             monkeypatch=monkeypatch, capsys=capsys, stdin=REPORT.encode())
    assert status == 0 and out == ""  # not "no problems in 0 files"
    assert "vendor/x.txt: not checked: excluded by files.exclude 'vendor/'" in err
    # without --force-exclude a name given on the command line is checked (as ruff does)
    status, out, _ = _main(["-", "--stdin-filename", "vendor/x.txt"], cwd=tmp_path,
                           monkeypatch=monkeypatch, capsys=capsys, stdin=REPORT.encode())
    assert status == 1 and out.startswith("vendor/x.txt:")


def test_stdin_with_other_paths_and_binary_stdin(tmp_path, monkeypatch, capsys):
    _write(tmp_path / "r.txt", REPORT)
    status, out, err = _main(["--format", "json", "r.txt", "-"], cwd=tmp_path, monkeypatch=monkeypatch,
                             capsys=capsys, stdin=b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert status == 1
    assert {f["path"] for f in json.loads(out)["findings"]} == {"r.txt"}
    assert err.count("warning") == 1 and "<stdin>" in err


@pytest.mark.parametrize("args, words", [
    (["--stdin-filename", "a.txt", "r.txt"], "--stdin-filename needs the path '-'"),
    (["-", "-"], "only once"),
])
def test_stdin_usage_errors(tmp_path, args, words):
    result = run_cli(*args, cwd=tmp_path, input="")
    assert result.returncode == 2 and words in result.stderr and result.stderr.startswith("lint-reports: error:")


def test_stdin_through_a_real_pipe(tmp_path):
    result = subprocess.run(
        f"printf '%s' '{REPORT}' | {sys.executable} -m lint_reports - --stdin-filename 报告.txt",
        shell=True, cwd=tmp_path, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("报告.txt:1:5:")


# --- command line -----------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["--format", "xml", "."], "invalid choice: 'xml'"),
    (["--year", "soon", "."], "--year"),
    (["--rule-timeout", "fast", "."], "--rule-timeout"),
    (["--rule-timeout", "-1", "."], "--rule-timeout -1.0"),
    (["--rule-timeout", "nan", "."], "--rule-timeout nan"),
])
def test_usage_errors_exit_2_with_one_line_and_a_hint(args, words):
    result = run_cli(*args)
    assert result.returncode == 2
    error, hint = result.stderr.splitlines()
    assert error.startswith("lint-reports: error: ") and words in error and hint.startswith("hint: ")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_nonexistent_paths_are_each_named_and_the_rest_is_linted(tmp_path):
    _write(tmp_path / "r.txt", REPORT)
    _write(tmp_path / "sub" / "other.txt", REPORT)
    result = run_cli("--format", "json", "gone.txt", "r.txt", "missing/", "", cwd=tmp_path)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and "gone.txt" in errors[0] and "missing" in errors[1]
    assert "empty path" in errors[2]  # not "." (which would lint sub/other.txt too)
    assert {f["path"] for f in json.loads(result.stdout)["findings"]} == {"r.txt"}


def test_closed_pipe_ends_quietly():
    command = f"set -o pipefail; {sys.executable} -m lint_reports --no-color seeds | head -1"
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert len(result.stdout.splitlines()) == 1 and result.stdout.startswith("seeds/")
    assert result.stderr == ""  # no BrokenPipeError, no "Exception ignored"
    assert result.returncode == 1  # the findings still decide the status


def test_closed_pipe_with_many_findings(tmp_path):
    _write(tmp_path / "r.txt", "xx区\n" * 5_000)  # ~500 KB of output, far beyond a pipe buffer
    for fmt in ("text", "json"):
        command = f"{sys.executable} -m lint_reports --format {fmt} r.txt | head -c 10 >/dev/null"
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True,
                                env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
        assert result.stderr == "" and result.returncode == 0


def test_closed_stdout_and_stderr(tmp_path):
    _write(tmp_path / "r.txt", REPORT)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for redirect, status in ((">&-", 1), ("2>&- >/dev/null", 1), ("nope.txt 2>&- >&-", 2)):
        command = f"{sys.executable} -m lint_reports r.txt {redirect}"
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, env=env)
        assert result.returncode == status, (redirect, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_an_internal_error_is_one_line_and_debug_shows_the_trace(tmp_path, monkeypatch, capsys):
    from lint_reports import formats

    def broken(name, report):
        raise ValueError("formatter exploded")

    monkeypatch.setattr(formats, "chunks", broken)  # what the command line writes from
    _write(tmp_path / "r.txt", REPORT)
    status, out, err = _main(["r.txt"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert status == 2
    assert err.count("\n") == 1 and "internal error: ValueError: formatter exploded" in err
    assert "please report it" in err and "--debug" in err
    with pytest.raises(ValueError, match="formatter exploded"):
        cli.main(["--debug", "r.txt"])
    monkeypatch.setenv("LINT_REPORTS_DEBUG", "1")
    with pytest.raises(ValueError):
        cli.main(["r.txt"])


def test_a_crashing_rule_costs_only_its_own_findings(tmp_path, monkeypatch, capsys):
    from lint_reports.kinds import block

    def crash(doc, rule):
        yield from ()
        raise KeyError("oops")

    monkeypatch.setattr(block, "check", crash)
    _write(tmp_path / "a.txt", REPORT)
    _write(tmp_path / "b.txt", REPORT)
    status, out, err = _main(["--format", "json", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert status == 2
    errors = err.splitlines()
    assert len(errors) == 2 and all("internal error in rule 'artifact-link-list'" in e for e in errors)
    assert "a.txt" in errors[0] and "b.txt" in errors[1]
    assert {f["path"] for f in json.loads(out)["findings"]} == {"a.txt", "b.txt"}  # other rules still ran
    capsys.readouterr()
    with pytest.raises(KeyError):
        cli.main(["--debug", "a.txt"])


def test_a_deleted_working_directory(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    command = f"cd {gone} && rmdir {gone} && {sys.executable} -m lint_reports r.txt"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


# --- config and packs -------------------------------------------------------------------

@pytest.mark.parametrize("config, line, words", [
    ("ignore: [no-such-rule]\n", 1, "ignore: unknown rule or category 'no-such-rule'"),
    ("severity:\n  no-such-rule: info\n", 2, "severity: unknown rule or category 'no-such-rule'"),
    ("select: [placeholder]\nyear: 2020\nselect: [artifact]\n", 3, "duplicate key 'select'"),
    ("select: placeholder\n", 1, "'select' must be a list"),
    ("allow: [1, 2]\n", 1, "'allow' must be"),
    ("allow: [产品名, '']\n", 1, "an empty word would allow everything"),
    ("per-file:\n  '*.md':\n    allow: ['']\n", 3, "'allow' must be"),
    ("fail-level: loud\n", 1, "'fail-level' must be"),
    ("- select\n", 1, "must be a mapping"),
    ("packs: [missing.yaml]\n", 1, "rule pack not found"),
    ("extends: nowhere.yaml\n", 0, "config file not found"),
])
def test_more_config_errors(tmp_path, config, line, words):
    _write(tmp_path / ".lint-reports.yaml", config)
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message and words in message, message
    if line:
        assert f".lint-reports.yaml:{line}:" in message, message
    else:
        assert "nowhere.yaml" in message


def test_config_that_is_not_text_or_not_a_file(tmp_path):
    _write(tmp_path / "r.txt", REPORT)
    (tmp_path / "bad.yaml").write_bytes(b"select: [\xff\xfe]\n")
    (tmp_path / "dir.yaml").mkdir()
    for name in ("bad.yaml", "dir.yaml"):
        result = run_cli("--config", name, "r.txt", cwd=tmp_path)
        assert result.returncode == 2 and name in result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_extends_cycle_through_three_files_and_itself(tmp_path):
    _write(tmp_path / "a.yaml", "extends: b.yaml\n")
    _write(tmp_path / "b.yaml", "extends: [default, c.yaml]\n")
    _write(tmp_path / "c.yaml", "extends: ./sub/../a.yaml\n")
    _write(tmp_path / "self.yaml", "extends: self.yaml\n")
    _write(tmp_path / "r.txt", REPORT)
    for name in ("a.yaml", "self.yaml"):
        result = run_cli("--config", name, "r.txt", cwd=tmp_path)
        assert result.returncode == 2 and "'extends' cycle" in result.stderr
        assert len(result.stderr.splitlines()) == 1


RUNAWAY_PACK = """\
pack: mine
rules:
  - id: runaway
    category: artifact
    severity: warning
    kind: pattern
    pattern: '(a+)+$'
    message: m
    examples: {bad: [], good: []}
"""


@POSIX_TIMER
def test_catastrophic_backtracking_is_stopped_and_named(tmp_path):
    # `(a+)+$` on thirty a's and a b takes longer than the age of the universe.
    _write(tmp_path / "mine.yaml", RUNAWAY_PACK)
    _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\n")
    _write(tmp_path / "a.txt", "a" * 30 + "b\n20**年\n")
    _write(tmp_path / "b.txt", "a" * 30 + "b\nxx区\n")
    started = time.perf_counter()
    result = run_cli("--format", "json", "--rule-timeout", "0.5", ".", cwd=tmp_path)
    elapsed = time.perf_counter() - started
    assert elapsed < 20, elapsed  # once stopped, the rule is not tried again on b.txt
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1, result.stderr
    assert "warning" in warnings[0] and "'runaway'" in warnings[0] and "mine.yaml" in warnings[0]
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == {"placeholder-stars", "placeholder-x"}
    assert result.returncode == 1  # a warning: the findings decide the status


@POSIX_TIMER
def test_time_limit_really_interrupts_a_regex_and_cleans_up():
    import re
    import signal

    from lint_reports.core.budget import RuleTimeout, time_limit

    handler_before = signal.getsignal(signal.SIGALRM)
    started = time.perf_counter()
    with pytest.raises(RuleTimeout):
        with time_limit(0.2):
            re.search(r"(x+x+)+y", "x" * 5000)
    assert time.perf_counter() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == handler_before
    with time_limit(5):  # a quick body is untouched
        assert re.search("b", "ab")


@POSIX_TIMER
def test_untimed_set_up_does_not_count_against_the_rule():
    import re
    import signal

    from lint_reports.core.budget import RuleTimeout, time_limit, untimed

    with time_limit(0.2):
        with untimed():  # a first run building a cache: longer than the whole budget
            time.sleep(0.4)
        assert re.search("b", "ab")  # the rule goes on with the time it had left
    with pytest.raises(RuleTimeout):  # and the clock runs again after the set-up
        with time_limit(0.2):
            with untimed():
                pass
            re.search(r"(x+x+)+y", "x" * 5000)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@POSIX_TIMER
def test_alarm_session_restores_the_handler_and_ignores_a_late_alarm():
    import signal

    from lint_reports.core.budget import alarm_session, time_limit
    from lint_reports.config.settings import Config
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter

    handler_before = signal.getsignal(signal.SIGALRM)
    with alarm_session():
        with time_limit(5):
            pass
        os.kill(os.getpid(), signal.SIGALRM)  # an alarm that lands after the call ended
        time.sleep(0.01)
    assert signal.getsignal(signal.SIGALRM) == handler_before
    Linter(Config()).lint(Document("r.txt", REPORT), "r.txt")
    assert signal.getsignal(signal.SIGALRM) == handler_before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@POSIX_TIMER
def test_time_limit_leaves_someone_elses_timer_alone():
    import signal

    from lint_reports.core.budget import can_interrupt, time_limit

    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        assert not can_interrupt()
        with time_limit(0.01):
            time.sleep(0.05)  # not interrupted: the other timer is kept
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 50
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_builtin_rules_stay_far_inside_their_budget():
    """The default budget must never stop a built-in rule on real text."""
    from lint_reports.config.settings import Config
    from lint_reports.core.context import SharedScan
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter
    from lint_reports.kinds import kind_module

    linter = Linter(Config(), select=["all"])
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))) * 5
    doc = Document("big.txt", text)
    settings = linter.settings_for("big.txt")
    scan = SharedScan(doc, settings.scan_factors)  # shared, as the engine shares it
    for rule, _ in settings.rules:
        ctx = settings.context(doc, rule.kind, scan)
        started = time.perf_counter()
        list(kind_module(rule.kind).check(ctx, rule))
        elapsed = time.perf_counter() - started
        assert elapsed < linter.guard.budget(doc) / 2, (rule.id, elapsed)


# --- security ---------------------------------------------------------------------------

def test_yaml_tags_cannot_run_code(tmp_path, monkeypatch, capsys):
    marker = tmp_path / "pwned"
    payload = f'!!python/object/apply:os.system ["touch {marker}"]'
    _write(tmp_path / "r.txt", REPORT)
    cases = {
        ".lint-reports.yaml": f"year: {payload}\n",
        "pack.yaml": f"pack: p\ndata:\n  words: {payload}\nrules: []\n",
        "rule.yaml": f"rules:\n  - id: r\n    category: artifact\n    severity: info\n    kind: pattern\n    pattern: {payload}\n    message: m\n",
        "include.yaml": "pack: p\ndata:\n  words: !include /etc/passwd\nrules: []\n",
        "name.yaml": "pack: p\ndata:\n  x: !!python/name:os.system\nrules: []\n",
    }
    for name, text in cases.items():
        _write(tmp_path / name, text)
        config = name if name == ".lint-reports.yaml" else "cfg.yaml"
        if config == "cfg.yaml":
            _write(tmp_path / "cfg.yaml", f"packs: [{name}]\n")
        status, _, err = _main(["--config", config, "r.txt"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        assert status == 2, (name, err)
        assert f"{name}:" in err and "not allowed" in err, err
        assert not marker.exists()


def test_front_matter_tags_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    _write(tmp_path / "r.md", f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n\n20**年工作总结\n')
    result = run_cli("--format", "json", "r.md", cwd=tmp_path)
    assert result.returncode == 1 and not marker.exists()
    assert [f["line"] for f in json.loads(result.stdout)["findings"]] == [5]


def test_pack_kind_cannot_name_another_module(tmp_path, monkeypatch, capsys):
    _write(tmp_path / "r.txt", REPORT)
    for kind in ("os", "..cli", "lint_reports.cli.main", "__init__", "budget"):
        _write(tmp_path / "p.yaml", f"rules:\n  - id: r\n    category: artifact\n    severity: info\n"
                                    f"    kind: '{kind}'\n    message: m\n")
        _write(tmp_path / "cfg.yaml", "packs: [p.yaml]\n")
        status, _, err = _main(["--config", "cfg.yaml", "r.txt"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        assert status == 2 and "unknown kind" in err, (kind, err)


def test_extends_reads_a_file_only_as_config_and_never_echoes_it(tmp_path):
    secret = "sk-THE-SECRET-TOKEN-1234"
    _write(tmp_path / "notes.txt", f"{secret}\nmore private text\n")
    _write(tmp_path / ".lint-reports.yaml", "extends: notes.txt\n")
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2 and "notes.txt" in result.stderr
    assert secret not in result.stderr + result.stdout


def test_replacement_templates_are_text_not_code(tmp_path):
    _write(tmp_path / "p.yaml", """\
        rules:
          - id: tmpl
            category: artifact
            severity: info
            kind: pattern
            pattern: '(?P<w>甲方)'
            message: '{match} {__class__}'
            fix: {replace: '\\g<w>{0.__class__}'}
        """)
    _write(tmp_path / "cfg.yaml", "packs: [p.yaml]\nselect: [tmpl]\n")
    _write(tmp_path / "r.txt", "甲方\n")
    result = run_cli("--format", "json", "--config", "cfg.yaml", "r.txt", cwd=tmp_path)
    assert json.loads(result.stdout)["findings"][0]["message"] == "甲方 {__class__}"


# --- never lose data --------------------------------------------------------------------

def test_linting_never_changes_a_file(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(SEEDS, tree / "seeds")
    (tree / "gbk.txt").write_bytes(REPORT.encode("gbk"))
    (tree / "crlf.md").write_bytes(("# 标题\r\n" + REPORT.replace("\n", "\r\n")).encode("utf-8-sig"))
    (tree / "utf16.txt").write_bytes(b"\xff\xfe" + REPORT.encode("utf-16-le"))
    (tree / "damaged.txt").write_bytes(REPORT.encode() + b"\xff\xfe\n")
    (tree / "binary.txt").write_bytes(bytes(range(256)))
    (tree / "readonly.txt").write_text(REPORT, encoding="utf-8")
    (tree / "readonly.txt").chmod(0o444)
    past = time.time() - 86400
    before = {}
    for path in sorted(tree.rglob("*")):
        if path.is_file():
            os.utime(path, (past, past))
            before[path] = (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode)
    for args in (["."], ["--format", "json", "."], ["--select", "all", "."], ["--list-rules"],
                 ["seeds/000_8261cbc6f0c4fd5e.txt", "-", "--stdin-filename", "gbk.txt"]):
        result = run_cli(*args, cwd=tree, input=REPORT)
        assert result.returncode in (0, 1, 2) and "Traceback" not in result.stderr
    after = {path: (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode) for path in before}
    assert after == before
    created = [p for p in tree.rglob("*") if p.is_file() and p not in before]
    assert all("cache" in str(p.relative_to(tree)) for p in created), created  # a result cache at most
