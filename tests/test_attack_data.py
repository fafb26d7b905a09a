"""Attacks on purpose (issue 17): data loss, code execution, hangs and memory.

Each test reproduces one attack that worked before its fix. Subprocesses run with a memory
limit and a timeout, so an attack that regresses fails the test instead of taking the
machine down.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, run_cli

SEED = sorted(SEEDS.glob("*.txt"))[1]
REPORT = "根据**县工作安排，现将情况汇报如下。\n一、主要工作\n今年完成了任务。\n"
MEMORY_LIMIT = 1536 * 1024 * 1024  # far above what one run needs, far below "until memory is gone"


def _limit_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_guarded(*args, cwd=None, env=None, timeout=60, stdout=subprocess.PIPE, input=None):
    """`python -m lint_reports ARGS` with bounded memory and time; a hang fails the test."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    try:
        return subprocess.run([sys.executable, "-m", "lint_reports", *args], cwd=cwd or ROOT, env=full_env,
                              stdout=stdout, stderr=subprocess.PIPE, input=input, timeout=timeout,
                              preexec_fn=_limit_memory if sys.platform != "win32" else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"lint-reports {' '.join(map(str, args))} did not finish within {timeout} s")


def one_line_refusal(result, name: str, *words) -> str:
    """The run exited 2 with a single error line naming `name` (no traceback, no internal error)."""
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "internal error" not in err and "Traceback" not in err, err
    assert name in lines[0], err
    for word in words:
        assert word in lines[0], err
    return lines[0]


needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


# --- 8. files that are not regular files, reads without end ----------------------------

@needs_posix
def test_a_fifo_named_on_the_command_line_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    result = run_guarded("--no-cache", str(fifo), str(good), timeout=30)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert f"{fifo}: cannot read: not a regular file (a FIFO)" in err, err
    assert "good.txt" in result.stdout.decode(), "the other file is still checked"


@needs_posix
@pytest.mark.parametrize("option", ["--baseline", "--explain-year"])
def test_dev_zero_as_a_file_option_is_refused(tmp_path, option):
    result = run_guarded("--no-cache", option, "/dev/zero", str(SEED), timeout=30)
    one_line_refusal(result, "/dev/zero", "not a regular file")


@needs_posix
@pytest.mark.parametrize("option", ["--baseline", "--explain-year"])
def test_a_fifo_as_a_file_option_is_refused(tmp_path, option):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_guarded("--no-cache", option, str(fifo), str(SEED), timeout=30)
    one_line_refusal(result, str(fifo), "not a regular file (a FIFO)")


@needs_posix
@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_user_dictionary_that_is_not_a_file_is_refused(tmp_path, special):
    if special == "fifo":
        special = tmp_path / "words.txt"
        os.mkfifo(special)
    (tmp_path / ".lint-reports.yaml").write_text(f"repetition:\n  user-dict: {special}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    result = run_guarded("--no-cache", "a.txt", cwd=tmp_path, timeout=30)
    line = one_line_refusal(result, str(special), "not a regular file")
    assert ".lint-reports.yaml:2" in line


@needs_posix
@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_config_that_is_not_a_file_is_refused(tmp_path, special):
    if special == "fifo":
        special = tmp_path / "config.yaml"
        os.mkfifo(special)
    result = run_guarded("--no-cache", "--config", str(special), str(SEED), timeout=30)
    one_line_refusal(result, str(special), "not a regular file")


@needs_posix
@pytest.mark.parametrize("key", ["extends", "packs"])
@pytest.mark.parametrize("special, kind", [("/dev/zero", "a character device"), ("fifo", "a FIFO"),
                                           ("folder", "a directory")])
def test_extends_or_packs_naming_what_is_not_a_file_names_the_config_line(tmp_path, key, special, kind):
    """The config that points there, and its line: a pack that is a FIFO was "not found", and
    `extends:` a FIFO or a device named only the FIFO, not the config that asked for it."""
    if special == "fifo":
        os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder").mkdir()
    (tmp_path / "cfg.yaml").write_text(f"year: 2024\n{key}: [{special}]\n", encoding="utf-8")
    result = run_guarded("--no-cache", "--config", "cfg.yaml", str(SEED), cwd=tmp_path, timeout=30)
    line = one_line_refusal(result, "cfg.yaml:2:", special, "not a regular file" if kind != "a directory" else "")
    assert kind in line or (kind == "a directory" and "not a config file" in line), line
    assert "not found" not in line, line


def test_reading_stops_at_the_limit_even_when_the_size_lies(tmp_path):
    """A file that grows while it is read (st_size said small) stops at the limit."""
    from lint_reports.io import safeio

    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 100)
    assert safeio.read_regular(path, 100).data == b"x" * 100
    with pytest.raises(safeio.FileTooLarge):
        safeio.read_regular(path, 99)
    if Path("/proc/self/status").exists():  # st_size 0, content nonetheless
        with pytest.raises(safeio.FileTooLarge):
            safeio.read_regular("/proc/self/status", 10)


def test_jobs_never_start_more_workers_than_files_or_cpus(tmp_path, monkeypatch):
    import concurrent.futures

    from lint_reports.core import runner
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    started = []

    class Recording:
        def __init__(self, max_workers=None, **kwargs):
            started.append(max_workers)
            raise OSError("no processes in this test")  # the runner then lints in-process

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(REPORT, encoding="utf-8")
    config = Config(base_dir=tmp_path)
    outcome = runner.lint_paths(Linter(config), [str(tmp_path)], config, jobs=1000)
    assert len(outcome.files) == 2 and outcome.findings
    assert started == [2], "two files: two workers at most"
    many = [tmp_path / f"r{i}.txt" for i in range(40)]
    for path in many:
        path.write_text(REPORT, encoding="utf-8")
    started.clear()
    runner.lint_paths(Linter(config), [str(tmp_path)], config, jobs=1000)
    assert started and started[0] <= runner._cpus() * runner.JOBS_PER_CPU


# --- 9. (data side) ----------------------------------------------------------------------

@pytest.mark.parametrize("value", ["inf", "1e308", "1e30"])
def test_a_rule_timeout_without_end_means_no_limit_not_an_internal_error(value):
    result = run_guarded("--no-cache", "--rule-timeout", value, str(SEED), timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 1 and err == "", err
    plain = run_guarded("--no-cache", str(SEED), timeout=60)
    assert result.stdout == plain.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("extra", [[], ["--format", "json"], ["--format", "html"], ["--diff"]])
def test_standard_output_on_a_full_device_is_one_error_line(extra):
    with open("/dev/full", "w") as full:
        result = run_guarded("--no-cache", *extra, str(SEED), stdout=full, timeout=60)
    line = one_line_refusal(result, "standard output", "No space left on device")
    assert line.startswith("lint-reports: error: ")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("extra", [
    ["--list-rules"], ["--list-rules", "--format", "json"], ["--explain", "placeholder-x"],
    ["--show-settings", str(SEED)], ["--show-files", str(SEEDS)], ["--explain-year", str(SEED)],
    ["--check-packs"], ["--statistics", str(SEED)]])
def test_every_command_with_standard_output_on_a_full_device_is_one_error_line(extra):
    """Not only the findings: the listings print through print(), whose failed write used to
    escape as an OSError and be reported as an internal error (a bug) with exit status 2."""
    with open("/dev/full", "w") as full:
        result = run_guarded("--no-cache", *extra, stdout=full, timeout=120)
    line = one_line_refusal(result, "standard output", "No space left on device")
    assert line.startswith("lint-reports: error: ")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("extra, status", [
    (["no-such-file.txt"], 2), (["--verbose", "CLEAN"], 2), (["--fix", "FIXABLE"], 2), (["CLEAN"], 0)])
def test_standard_error_on_a_full_device_still_exits_with_an_error(tmp_path, extra, status):
    """Errors, warnings and notes cannot be shown: the run must not die of it (an uncaught
    OSError in the error path left exit status 1, "findings", for a path that does not exist)
    and its status says that something went wrong; a run with nothing to say is unaffected."""
    (tmp_path / "CLEAN").write_text("今年完成了任务。\n", encoding="utf-8")
    (tmp_path / "FIXABLE").write_text("今年完成了任务。\n下载文档一键复制全文\n", encoding="utf-8")
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "lint_reports", "--no-cache", *extra], cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=full, timeout=120,
                                preexec_fn=_limit_memory if sys.platform != "win32" else None)
    assert result.returncode == status, result
    if extra[-1] != "no-such-file.txt":
        assert result.stdout.decode("utf-8").startswith("no problems"), result.stdout
    if "--fix" in extra:
        assert "下载文档" not in (tmp_path / "FIXABLE").read_text(encoding="utf-8")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_both_standard_streams_on_a_full_device_exit_with_an_error(tmp_path):
    (tmp_path / "r.txt").write_text("今年完成了任务。\n", encoding="utf-8")
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "lint_reports", "--no-cache", "r.txt"], cwd=tmp_path,
                                stdout=full, stderr=full, timeout=120,
                                preexec_fn=_limit_memory if sys.platform != "win32" else None)
    assert result.returncode == 2


def _fix_target(tmp_path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text("今年完成了任务。\n下载文档一键复制全文\n", encoding="utf-8")
    return path


@needs_posix
def test_fix_keeps_setuid_setgid_and_sticky_bits(tmp_path):
    path = _fix_target(tmp_path)
    os.chmod(path, 0o6755 | stat.S_ISVTX)
    wanted = stat.S_IMODE(os.stat(path).st_mode)  # what this OS let the owner set
    result = run_guarded("--no-cache", "--fix", str(path))
    assert "下载文档" not in path.read_text(encoding="utf-8"), result.stderr.decode()
    assert stat.S_IMODE(os.stat(path).st_mode) == wanted


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the file away")
def test_fix_keeps_the_owner_and_the_setuid_bit_of_a_file_it_does_not_own(tmp_path):
    """chown clears setuid/setgid: the owner must be restored before the mode, not after."""
    path = _fix_target(tmp_path)
    os.chown(path, 12345, 23456)
    os.chmod(path, 0o6755)
    result = run_guarded("--no-cache", "--fix", str(path))
    assert "下载文档" not in path.read_text(encoding="utf-8"), result.stderr.decode()
    info = os.stat(path)
    assert (info.st_uid, info.st_gid) == (12345, 23456)
    assert stat.S_IMODE(info.st_mode) == 0o6755


# --- 2. --fix and edits saved while it runs -------------------------------------------------

def _edit_during(monkeypatch, where: str, edit):
    """Make `edit()` happen at `where` in the fix: after the edits are computed (a long fix
    of a big file), or after the new content is written, just before it replaces the file."""
    from lint_reports.core import fix

    if where == "while fixing":
        real = fix.fix_document

        def fixing(*args, **kwargs):
            result = real(*args, **kwargs)
            edit()
            return result

        monkeypatch.setattr(fix, "fix_document", fixing)
    else:
        real_keep = fix._keep_owner_and_mode

        def keeping(*args, **kwargs):
            real_keep(*args, **kwargs)
            edit()

        monkeypatch.setattr(fix, "_keep_owner_and_mode", keeping)


@pytest.mark.parametrize("where", ["while fixing", "just before the rename"])
def test_fix_never_discards_a_line_saved_while_it_runs(tmp_path, monkeypatch, capsys, where):
    import lint_reports.cli.main as cli

    path = _fix_target(tmp_path)

    def append():
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("用户刚加的一行。\n")

    _edit_during(monkeypatch, where, append)
    status = cli.main(["--no-cache", "--fix", str(path)])
    err = capsys.readouterr().err
    assert path.read_text(encoding="utf-8").endswith("用户刚加的一行。\n")
    assert "下载文档" in path.read_text(encoding="utf-8"), "left exactly as the user saved it"
    assert status == 2 and f"{path}: not fixed: the file changed while it was being fixed" in err, err
    assert not [p for p in tmp_path.iterdir() if p.name != path.name], "no temporary file left"


def test_fix_sees_an_edit_that_keeps_the_size_and_the_mtime(tmp_path, monkeypatch, capsys):
    import lint_reports.cli.main as cli

    path = _fix_target(tmp_path)
    before = os.stat(path)

    def same_size_same_time():
        path.write_bytes(path.read_bytes().replace("任务".encode(), "工作".encode()))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    _edit_during(monkeypatch, "while fixing", same_size_same_time)
    assert cli.main(["--no-cache", "--fix", str(path)]) == 2
    assert "not fixed: the file changed" in capsys.readouterr().err
    assert "今年完成了工作。" in path.read_text(encoding="utf-8")


def test_an_unchanged_file_is_still_fixed(tmp_path, capsys):
    import lint_reports.cli.main as cli

    path = _fix_target(tmp_path)
    assert cli.main(["--no-cache", "--fix", str(path)]) == 0, capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "今年完成了任务。\n"


# --- 1. the result cache deletes only what it made -------------------------------------------

OLD = time.time() - 40 * 24 * 3600  # older than the cache's 30 days


def _age(*paths):
    for path in paths:
        os.utime(path, (OLD, OLD), follow_symlinks=False)


def _other_project(parent: Path) -> Path:
    """Somebody's folder, old and untouched for 40 days: a prune must never take it."""
    other = parent / "sibling-project"
    (other / "src").mkdir(parents=True)
    (other / "src" / "main.txt").write_text("重要的工作\n", encoding="utf-8")
    _age(other / "src" / "main.txt", other / "src", other)
    return other


def _project(root: Path) -> Path:
    project = root / "project"
    project.mkdir()
    (project / ".lint-reports.yaml").write_text("fail-level: error\n", encoding="utf-8")
    (project / "report.txt").write_text(REPORT, encoding="utf-8")
    return project


@needs_posix
def test_a_symlinked_project_cache_pointing_at_its_parent_deletes_nothing(tmp_path):
    other = _other_project(tmp_path)
    project = _project(tmp_path)
    (project / ".lint-reports-cache").symlink_to("..")
    result = run_guarded("report.txt", cwd=project, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert result.returncode == 1, result.stderr.decode()
    assert (other / "src" / "main.txt").read_text(encoding="utf-8") == "重要的工作\n"
    assert not (tmp_path / ".gitignore").exists(), "nothing written through the link either"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "sibling-project", "xdg"]
    assert list((tmp_path / "xdg" / "lint-reports").glob("*/*/*.json")), "the user cache served instead"


def _runs_with_shared_cache(shared: Path, project: Path, *extra):
    result = run_guarded(*extra, "report.txt", cwd=project, env={"LINT_REPORTS_CACHE_DIR": str(shared)})
    assert result.returncode in (0, 1), result.stderr.decode()
    return result


@needs_posix
def test_a_shared_cache_directory_keeps_other_programs_folders_and_prunes_only_ours(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    other = _other_project(shared)
    lookalike = shared / "0123456789abcdef01234567"  # named like an environment, but not ours
    (lookalike / "ab").mkdir(parents=True)
    (lookalike / "ab" / ("ab" * 32 + ".json")).write_text("{}", encoding="utf-8")
    _age(lookalike / "ab", lookalike)
    project = _project(tmp_path)
    _runs_with_shared_cache(shared, project, "--select", "placeholder")  # one environment of ours
    (ours,) = [p for p in shared.iterdir() if p.is_dir() and p not in (other, lookalike)]
    assert list(ours.glob("*/*.json"))
    _age(*ours.rglob("*"), ours)
    _runs_with_shared_cache(shared, project)  # another environment: ours is stale and goes
    assert not ours.exists()
    assert (other / "src" / "main.txt").exists()
    assert (lookalike / "ab" / ("ab" * 32 + ".json")).exists()
    assert not (shared / ".gitignore").exists() and not (shared / "CACHEDIR.TAG").exists()


@needs_posix
def test_a_prune_takes_only_our_files_from_our_environment_and_follows_no_link(tmp_path):
    shared = tmp_path / "shared"
    outside = tmp_path / "outside"
    outside.mkdir()
    precious = outside / ("cd" * 32 + ".json")  # named like an entry, reached through a link
    precious.write_text("keep", encoding="utf-8")
    project = _project(tmp_path)
    _runs_with_shared_cache(shared, project, "--select", "placeholder")
    (ours,) = [p for p in shared.iterdir() if p.is_dir()]
    (ours / "notes.txt").write_text("somebody's", encoding="utf-8")  # not named as we name files
    (ours / "cd").symlink_to(outside)  # a bucket name, but a link out
    _age(*ours.rglob("*"), ours)
    _runs_with_shared_cache(shared, project)
    assert precious.read_text(encoding="utf-8") == "keep"
    assert (ours / "notes.txt").exists(), "the folder stays for what is not ours"
    buckets = [p for p in ours.iterdir() if p.is_dir() and not p.is_symlink()]
    assert not buckets, "our entries and buckets went"
    assert (ours / "cd").is_symlink(), "a link is not ours to remove either"


@needs_posix
def test_a_check_run_in_a_fresh_project_deletes_nothing_and_marks_its_own_directory(tmp_path):
    project = _project(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in project.rglob("*")}
    _age(project / "report.txt")
    run_guarded("report.txt", cwd=project)
    cache = project / ".lint-reports-cache"
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert all(path.exists() for path in before)


def test_a_symlinked_environment_directory_disables_the_cache_without_writing_through_it(tmp_path):
    from lint_reports.speed.result_cache import Cache
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    outside = tmp_path / "outside"
    outside.mkdir()
    directory = tmp_path / "cache"
    directory.mkdir()
    linter = Linter(Config())
    first = Cache.open(linter, directory)
    first.root.rename(tmp_path / "moved")
    first.root.symlink_to(outside)
    cache = Cache.open(linter, directory)
    assert not cache.enabled
    cache.put("ab" * 32, [])
    assert list(outside.iterdir()) == []


# --- 3. cache entries are plain data, checked field by field ---------------------------------

def _cached_run(tmp_path, directory=None):
    """(linter, config, cache, report) for in-process runs over one report with a cache."""
    from lint_reports.speed.result_cache import Cache
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    report = tmp_path / "report.txt"
    if not report.exists():
        report.write_text(REPORT + "下载文档一键复制全文\n", encoding="utf-8")
    config = Config(base_dir=tmp_path)
    linter = Linter(config)
    return linter, config, Cache.open(linter, directory or tmp_path / "cache"), report


def _findings_of(outcome) -> list:
    return [(f.path, f.line, f.column, f.end_column, f.rule, f.severity, f.message, f.fix)
            for f in outcome.findings]


def _entry(cache) -> Path:
    """The one entry the command-line run wrote (its settings, so its environment, are its own)."""
    (entry,) = cache.directory.glob("*/*/*.json")
    return entry


def test_a_cache_entry_with_wrong_field_types_is_a_miss_not_an_internal_error(tmp_path):
    """Written under its real key, with one field of each finding of the wrong type."""
    linter, config, cache, report = _cached_run(tmp_path)
    run_guarded("report.txt", cwd=tmp_path, env={"LINT_REPORTS_CACHE_DIR": str(tmp_path / "cache")})
    plain = run_guarded("--no-cache", "report.txt", cwd=tmp_path)
    entry = _entry(cache)
    record = json.loads(entry.read_text(encoding="utf-8"))
    for field, wrong in (("line", "7"), ("severity", "nope"), ("fix", {"start": "a"}), ("anchor", [1, 2]),
                         ("column", True), ("message", None), ("end", -1)):
        broken = dict(record, key=entry.stem, findings=[dict(f, **{field: wrong}) for f in record["findings"]])
        entry.write_text(json.dumps(broken), encoding="utf-8")
        result = run_guarded("report.txt", cwd=tmp_path, env={"LINT_REPORTS_CACHE_DIR": str(tmp_path / "cache")})
        assert (result.returncode, result.stdout, result.stderr) == (plain.returncode, plain.stdout, plain.stderr), field


@needs_posix
@pytest.mark.parametrize("plant", ["fifo", "dev-zero-link", "link-out"])
def test_a_cache_entry_that_is_not_a_regular_file_is_a_miss(tmp_path, plant):
    """Run as a user would (a subprocess with bounded memory): a regression must not read
    /dev/zero inside the test process."""
    linter, config, cache, report = _cached_run(tmp_path)
    env = {"LINT_REPORTS_CACHE_DIR": str(tmp_path / "cache")}
    expected = run_guarded("report.txt", cwd=tmp_path, env=env)
    entry = _entry(cache)
    entry.unlink()
    if plant == "fifo":
        os.mkfifo(entry)
    elif plant == "dev-zero-link":
        entry.symlink_to("/dev/zero")
    else:
        secret = tmp_path / "secret.json"
        secret.write_text(json.dumps({"key": entry.stem, "findings": []}), encoding="utf-8")
        entry.symlink_to(secret)
    again = run_guarded("report.txt", cwd=tmp_path, env=env, timeout=30)
    assert (again.returncode, again.stdout, again.stderr) == (expected.returncode, expected.stdout, expected.stderr)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12)
# What each field of a stored finding must be; a value outside it must make the entry a miss.
VALID = {
    "path": lambda v: type(v) is str, "rule": lambda v: type(v) is str, "message": lambda v: type(v) is str,
    "line": lambda v: type(v) is int and v >= 1, "column": lambda v: type(v) is int and v >= 1,
    "end_column": lambda v: type(v) is int and v >= 1, "start": lambda v: type(v) is int and v >= 0,
    "end": lambda v: type(v) is int and v >= 0,
    "category": lambda v: False, "severity": lambda v: False,  # a random value is never a category
    "fix": lambda v: v is None, "suggestion": lambda v: v is None or type(v) is str,
    "whole_document": lambda v: type(v) is bool, "anchor": lambda v: v is None,
}


@pytest.fixture(scope="module")
def cached_world(tmp_path_factory):
    from lint_reports.core import runner

    tmp_path = tmp_path_factory.mktemp("hypothesis-cache")
    linter, config, cache, report = _cached_run(tmp_path)
    expected = _findings_of(runner.lint_paths(linter, [report], config, cache=cache, jobs=1))
    entry = _entry(cache)
    return linter, config, cache, report, expected, entry, entry.read_bytes()


def _lint_with_entry(world, content: bytes):
    from lint_reports.core import runner

    linter, config, cache, report, expected, entry, original = world
    entry.write_bytes(content)
    try:
        return _findings_of(runner.lint_paths(linter, [report], config, cache=cache, jobs=1))
    finally:
        entry.write_bytes(original)


def _entry_with(world, **changes) -> bytes:
    record = json.loads(world[6])
    record.update(changes)
    return json.dumps(record).encode()


@settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_random_bytes_or_json_in_a_cache_entry_never_raise_nor_change_findings(cached_world, content):
    assert _lint_with_entry(cached_world, content) == cached_world[4]


@settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(findings=st.lists(JSON, min_size=1, max_size=3))
def test_random_findings_under_the_right_key_never_raise_nor_change_findings(cached_world, findings):
    """An empty list would be a valid entry (a clean file); anything else random is not."""
    assert _lint_with_entry(cached_world, _entry_with(cached_world, findings=findings)) == cached_world[4]


@settings(derandomize=True, max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_one_field_of_the_wrong_type_makes_the_entry_a_miss(cached_world, data):
    record = json.loads(cached_world[6])
    assert record["findings"], "the report has findings to damage"
    index = data.draw(st.integers(0, len(record["findings"]) - 1))
    field = data.draw(st.sampled_from(sorted(VALID)))
    value = data.draw(JSON.filter(lambda v: not VALID[field](v)))
    findings = [dict(f) for f in record["findings"]]
    findings[index][field] = value
    assert _lint_with_entry(cached_world, _entry_with(cached_world, findings=findings)) == cached_world[4]


# --- 3. the pack cache and every other file in the user cache: never code --------------------

class _Planted:
    """Unpickling this makes a directory: proof that a cache file ran code."""

    def __init__(self, proof):
        self.proof = str(proof)

    def __reduce__(self):
        return os.mkdir, (self.proof,)


def test_no_file_in_the_user_cache_is_ever_turned_into_code(tmp_path):
    """Every file a run leaves in the user cache (prepared packs, what else it keeps) is
    replaced by a pickle that runs code when loaded; the next run must run none of it."""
    import pickle

    xdg = tmp_path / "xdg"
    env = {"XDG_CACHE_HOME": str(xdg)}
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    first = run_guarded("--no-cache", "report.txt", cwd=tmp_path, env=env)
    files = [p for p in (xdg / "lint-reports").rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert files, "the run keeps something in the user cache"
    proof = tmp_path / "code-ran"
    bomb = pickle.dumps(_Planted(proof), protocol=2)
    for path in files:
        path.write_bytes(bomb)
    # and the same under every name an older version read
    for name in ("prepared-packs-", "learned-patterns-"):
        for path in list(files):
            (path.parent / (name + "0" * 32 + ".pickle")).write_bytes(bomb)
    again = run_guarded("--no-cache", "report.txt", cwd=tmp_path, env=env)
    assert not proof.exists(), "a file in the cache ran code"
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)


def test_a_relative_xdg_cache_home_is_ignored_so_no_cache_lands_in_the_repository(tmp_path):
    """The XDG spec: a relative path there is invalid and ignored. Used as it was, every run
    started in a checkout kept (and next time read) its user cache inside that checkout,
    where a pull request can plant files; the cache goes under $HOME/.cache instead."""
    repository, home = tmp_path / "repo", tmp_path / "home"
    repository.mkdir()
    home.mkdir()
    (repository / "report.txt").write_text(REPORT, encoding="utf-8")
    env = {"XDG_CACHE_HOME": ".cache", "HOME": str(home), "LINT_REPORTS_CACHE_DIR": ""}
    result = run_guarded("report.txt", cwd=repository, env=env)
    assert result.returncode in (0, 1), result.stderr.decode()
    assert sorted(p.name for p in repository.iterdir()) == ["report.txt"], "nothing written in the repository"
    assert any((home / ".cache" / "lint-reports").iterdir()), "the user cache is under $HOME/.cache"


def test_the_package_never_deserialises_code():
    """No pickle, marshal, shelve or eval anywhere in lint_reports: reading a file never runs it."""
    import re

    package = Path(__file__).resolve().parent.parent / "lint_reports"
    forbidden = re.compile(r"^\s*(?:import|from)\s+(?:pickle|marshal|shelve|dill|cloudpickle)\b|(?<![.\w])(?:eval|exec)\(",
                           re.MULTILINE)
    offenders = [str(path.relative_to(package)) for path in package.rglob("*.py")
                 if forbidden.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


SMALL_PACK = """pack: mine
rules:
  - id: my-word
    category: artifact
    severity: warning
    kind: pattern
    words: [广告语]
    message: 删除“{match}”。
    examples: {bad: ["这是广告语"], good: ["正文"]}
"""


@pytest.fixture(scope="module")
def pack_world(tmp_path_factory):
    """A config with one small pack, its parsed document kept in a private user cache."""
    from lint_reports.speed import packcache
    from lint_reports.config.settings import Config

    home = tmp_path_factory.mktemp("pack-cache")
    pack = home / "mine.yaml"
    pack.write_text(SMALL_PACK, encoding="utf-8")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(home / "xdg")
    try:
        config = Config(use_default_packs=False, packs=[pack])
        expected = _pack_findings(config)
        path = packcache._path(packcache.text_key(SMALL_PACK))
        assert path.is_file()
        yield config, expected, path, path.read_bytes()
    finally:
        if previous is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = previous


def _pack_findings(config) -> list:
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter

    doc = Document("a.txt", "这是广告语。\n另一段广告语\n")
    return [(f.line, f.column, f.rule, f.message) for f in Linter(config).lint(doc, "a.txt")]


def _with_pack_file(world, content: bytes) -> list:
    config, expected, path, original = world
    path.write_bytes(content)
    try:
        return _pack_findings(config)
    finally:
        path.write_bytes(original)


@settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_random_bytes_or_json_in_the_pack_cache_never_raise_nor_change_findings(pack_world, content):
    assert _with_pack_file(pack_world, content) == pack_world[1]


@settings(derandomize=True, max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(tree=JSON)
def test_a_random_document_under_the_right_key_never_raises_nor_changes_findings(pack_world, tree):
    """Kept under the pack's own key but not what the pack says: parsed again from the pack."""
    key = json.loads(pack_world[3])["key"]
    content = json.dumps({"key": key, "tree": tree}).encode()
    assert _with_pack_file(pack_world, content) == pack_world[1]


# --- 7. one huge line: every per-finding step linear, and a budget for the whole file -------

class _Spot:
    def __init__(self, start, end, rule="r"):
        self.start, self.end, self.rule, self.anchor = start, end, rule, None


def test_anchors_on_one_huge_line_cost_in_proportion_to_the_findings():
    """40 000 findings on one 4 MB line: each anchor looked for the line's ends (the whole
    line, twice): minutes. Now a few characters each."""
    from lint_reports.core import fingerprint

    unit = "甲" * 99 + "，"
    text = unit * 40_000
    spots = [_Spot(i * 100 + 99, i * 100 + 100) for i in range(40_000)]
    started = time.process_time()
    fingerprint.attach(type("Doc", (), {"text": text})(), spots, "a.txt")
    assert time.process_time() - started < 2.0
    assert spots[5].anchor.before == "甲" * fingerprint.CONTEXT_CHARS and spots[5].anchor.text == "，"
    assert spots[-1].anchor.after == ""


def test_anchors_stop_at_their_own_line():
    from lint_reports.core import fingerprint

    text = "前一行\n根据**县工作\n后一行"
    start = text.index("**")
    (spot,) = [_Spot(start, start + 2)]
    fingerprint.attach(type("Doc", (), {"text": text})(), [spot], "./a.txt")
    assert (spot.anchor.before, spot.anchor.text, spot.anchor.after) == ("根据", "**", "县工作")
    assert spot.anchor.path == "a.txt"
    huge = text * 100
    long = _Spot(0, len(huge))
    fingerprint.attach(type("Doc", (), {"text": huge})(), [long], "a.txt")
    assert len(long.anchor.text) < fingerprint.TEXT_CHARS + 20 and long.anchor.text.endswith(f"({len(huge)})")


HUGE_LINE_UNITS = {
    # each repeated without a newline: one line, a finding every few characters
    "deleted artifacts": "今年完成了任务，下载文档一键复制全文。",
    "links and half-width marks": "工作,见http://x.cn/a 安排,",
    "mojibake runs": "锟斤拷鈥銆工作",
    "stray spaces after dates": "4月18日 工作 安排，",
    "placeholders and doubled words": "根据**县的的工作（",
}


@pytest.mark.slow
@pytest.mark.parametrize("unit", list(HUGE_LINE_UNITS.values()), ids=list(HUGE_LINE_UNITS))
def test_a_single_huge_line_costs_in_proportion_to_its_length(unit, monkeypatch):
    """Four times the line, at most about four times the time: every rule's per-match work
    (a line's `unless`, a deletion's rest of the line, a run's start, a date before a space,
    a mark inside a link) used to copy or search the whole line per match."""
    from lint_reports.config.settings import Config
    from lint_reports.core import engine
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter

    # the cost of each finding is measured here, not the cap on their number (which the big
    # line of some units passes: that has its own test)
    monkeypatch.setattr(engine, "MAX_FINDINGS", 10 ** 9)
    linter = Linter(Config())

    def cost(chars: int) -> float:
        doc = Document("a.txt", unit * (chars // len(unit)))
        started = time.process_time()
        findings = linter.lint(doc, "a.txt")
        spent = time.process_time() - started
        warnings, errors = linter.guard.take()
        assert findings and not warnings and not errors, (warnings, errors)
        return spent

    cost(20_000)  # warm: patterns compiled, jieba's index open
    small, big = cost(200_000), cost(800_000)
    assert big < 6 * small + 0.3, (small, big)  # (quadratic: 16 times)


@pytest.mark.slow
def test_fixing_a_big_file_with_thousands_of_fixes_costs_in_proportion_to_its_length():
    """Thousands of fixes in one big file: each used to rebuild the whole text and count its
    newlines from the start (quadratic), and every round kept a copy of the text."""
    from lint_reports.core import fix
    from lint_reports.config.settings import Config
    from lint_reports.io.load import load_document
    from lint_reports.core.engine import Linter

    linter = Linter(Config())
    unit = "今年完成了任务，下载文档一键复制全文。\r\n" * 3 + "工作安排,下载文档一键复制全文。"

    def cost(chars: int) -> float:
        data = (unit * (chars // len(unit))).encode("utf-8")
        doc = load_document("a.txt", data)
        started = time.process_time()
        fixed = fix.fix_document(linter, doc, "a.txt", data)
        spent = time.process_time() - started
        assert fixed.applied and "下载文档".encode() not in fixed.fixed and b"\r\n" in fixed.fixed
        linter.guard.take()
        return spent

    cost(20_000)
    small, big = cost(150_000), cost(600_000)
    assert big < 6 * small + 0.3, (small, big)


def test_the_engine_scan_in_pieces_finds_the_lines_one_pass_finds(monkeypatch):
    """The shared scan hands the text to the engine in pieces (its list of every occurrence
    took gigabytes on a text made of factors): pieces of a few characters, with occurrences
    across their ends, must give exactly the lines of each factor one pass gives."""
    from lint_reports.speed import prefilter

    if prefilter.ENGINE is None:
        pytest.skip("no ahocorasick engine: the regex path scans without pieces")
    text = "甲方乙方\n下载文档一键复制全文\nXX，XX，\n\n文档下载文档\n" * 7 + "方乙方乙"
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    factors = frozenset({"甲方", "方乙", "下载文档", "文档", "XX，", "，X", "乙", "文档一键复制全文"})
    whole = prefilter.Scan(text, starts)._scan_with_engine(factors)
    assert whole and set(whole) <= factors
    for piece in (1, 2, 3, 5, 7, 64):
        monkeypatch.setattr(prefilter, "ENGINE_PIECE", piece)
        assert prefilter.Scan(text, starts)._scan_with_engine(factors) == whole, piece


def test_a_document_of_more_findings_than_the_cap_reports_the_cap_and_says_so(tmp_path, monkeypatch, capsys):
    """A document built to hold a finding every few characters kept them all: millions on
    one 60 MB line, and memory grew with their number. The first MAX_FINDINGS are reported,
    the rules stop there with one warning, and the file is not cached (the next run says it
    again)."""
    import lint_reports.cli.main as cli
    from lint_reports.core import engine

    monkeypatch.setattr(engine, "MAX_FINDINGS", 50)
    (tmp_path / "r.txt").write_text("XX，" * 200 + "\n下载文档一键复制全文\n", encoding="utf-8")
    monkeypatch.setenv("LINT_REPORTS_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):
        assert cli.main(["--format", "json", str(tmp_path / "r.txt")]) == 1
        out, err = capsys.readouterr()
        assert len(json.loads(out)["findings"]) == 50
        assert err.count("more than 50 findings") == 1 and "internal error" not in err, err


@pytest.mark.slow
def test_a_line_made_of_findings_stays_within_the_memory_limit(tmp_path):
    """Twelve megabytes of `XX，` (a finding, and factors of the shared scan, every three
    characters) took some 2.5 GB: the engine's list of every occurrence, then every finding
    kept. Under the tests' memory limit the run must finish, capped, with one warning."""
    from lint_reports.core import engine

    path = tmp_path / "flood.txt"
    path.write_text("XX，" * (4 * 1024 * 1024) + "\n", encoding="utf-8")
    result = run_guarded("--no-cache", "--quiet", "--format", "json", str(path), timeout=300)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, err
    assert f"more than {engine.MAX_FINDINGS:,} findings" in err and "internal error" not in err, err
    assert len(json.loads(result.stdout)["findings"]) == engine.MAX_FINDINGS


SUPPRESSION_FLOODS = {
    "unclosed comments": "<!-- lint-reports-disable x ",
    "disable and enable pairs": "<!-- lint-reports-disable placeholder -->**县\n<!-- lint-reports-enable placeholder -->\n",
    "directives on one line": "**县 <!-- lint-reports-disable-line placeholder-x --> ",
    "disables never enabled": "**县\n<!-- lint-reports-disable placeholder -->\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("unit", list(SUPPRESSION_FLOODS.values()), ids=list(SUPPRESSION_FLOODS))
def test_many_comments_and_suppressions_cost_in_proportion_to_their_number(unit):
    """Each unclosed `<!--` searched to the end of the text (Markdown masking and the
    directive parser), each `enable` walked every earlier `disable`, and every finding was
    compared with every directive: 5 000 of them took minutes."""
    from lint_reports.config.settings import Config
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter

    linter = Linter(Config())

    def cost(count: int) -> float:
        doc = Document("a.md", unit * count)
        started = time.process_time()
        linter.lint(doc, "a.md")
        spent = time.process_time() - started
        assert linter.guard.take() == ([], [])
        return spent

    cost(200)
    small, big = cost(2_000), cost(8_000)
    assert big < 6 * small + 0.3, (small, big)


def _pairwise(doc, findings):
    """What suppress.apply must compute, by its definition: every finding against every
    directive (the quadratic reference)."""
    kept, used = [], {}
    directives = doc.suppressions
    for finding in findings:
        if any(d.start <= finding.start and finding.end <= d.end and not doc.text.startswith("<!--", d.start)
               for d in directives):
            continue
        hidden = False
        for index, directive in enumerate(directives):
            for target in directive.hiding_targets(finding):
                used[index, target] = used.get((index, target), 0) + 1
                hidden = True
        if not hidden:
            kept.append(finding)
    return kept, used


SUPPRESSION_PIECES = ["正文**县", "\n", "<!-- lint-reports-disable placeholder -->", "<!-- lint-reports-enable -->",
                      "<!-- lint-reports-enable placeholder -->", "<!-- lint-reports-disable-line placeholder-x -->",
                      "<!-- lint-reports-disable-next-line all -->", "lint-reports: disable-line placeholder-stars x",
                      "<!-- lint-reports-disable placeholder-x, artifact -->", "```\n", "xx区", " ",
                      "<!-- lint-reports-disable", "-->", "<!-- lint-reports-disable all -- 理由 -->"]
SUPPRESSION_RULES = [("placeholder-stars", "placeholder"), ("placeholder-x", "placeholder"),
                     ("artifact-url", "artifact"), ("numbering-sequence", "numbering")]


@settings(derandomize=True, max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(pieces=st.lists(st.sampled_from(SUPPRESSION_PIECES), max_size=14), markdown=st.booleans(),
       spans=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 12), st.sampled_from(SUPPRESSION_RULES)),
                      max_size=8))
def test_suppressions_hide_and_count_exactly_what_the_pairwise_definition_says(pieces, markdown, spans):
    from lint_reports.core import suppress
    from lint_reports.core.document import Document
    from lint_reports.core.finding import Finding

    text = "".join(pieces)
    doc = Document("a.md" if markdown else "a.txt", text)
    findings = []
    for start, width, (rule, category) in spans:
        start = min(start, len(text))
        line, column = doc.position(start)
        findings.append(Finding(doc.path, line, column, column + 1, rule, category, "warning", "m",
                                start, min(len(text), start + width)))
    kept = suppress.apply(doc, list(findings), [], set())
    expected_kept, expected_used = _pairwise(doc, findings)
    assert kept == expected_kept
    assert {(i, t): n for i, d in enumerate(doc.suppressions) for t, n in d.used.items()} == expected_used


@pytest.mark.slow
def test_an_allowed_word_repeated_everywhere_costs_in_proportion():
    """`allow:` words were compared with every finding, each of their occurrences with each
    finding."""
    from lint_reports.config.settings import Config
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter

    linter = Linter(Config(allow=["工作"]))

    def cost(count: int) -> float:
        doc = Document("a.txt", "工作**县的的，，安排。\n" * count)
        started = time.process_time()
        findings = linter.lint(doc, "a.txt")
        assert findings and not any(f.start <= doc.text.find("工作") < f.end for f in findings[:5])
        return time.process_time() - started

    cost(500)
    small, big = cost(5_000), cost(20_000)
    assert big < 6 * small + 0.3, (small, big)


needs_timer = pytest.mark.skipif(not hasattr(__import__("signal"), "setitimer"), reason="needs POSIX interval timers")


@needs_timer
def test_the_rules_of_one_file_share_a_budget():
    """Every rule just under its own budget: without a budget for the whole file, a run
    lasts rules × budget. With it, the rules after the budget is used up are skipped on
    that file, with one warning, and the findings so far are kept."""
    from lint_reports.core import budget
    from lint_reports.core.context import RuleContext
    from lint_reports.core.document import Document

    guard = budget.RuleGuard(seconds=0.2)  # file budget: 6 × 0.2 s = 1.2 s (a tiny document)
    rules = [type("Rule", (), {"id": f"slow-{i}", "pack": "packs/mine.yaml"})() for i in range(12)]
    ctx = RuleContext(Document("notes.txt", "正文。\n"))

    def slow(ctx, rule):
        time.sleep(0.15)  # under the rule's own 0.2 s
        return [rule.id]

    started = time.monotonic()
    with guard.session():
        found = [f for rule in rules for f in guard.run(slow, ctx, rule)]
    spent = time.monotonic() - started
    warnings, errors = guard.take()
    assert errors == [] and len(warnings) == 1, warnings
    assert "notes.txt: its rules took longer than 1 s together (the budget of one file)" in warnings[0]
    assert 5 <= len(found) <= 8 and found == [r.id for r in rules[:len(found)]]
    assert spent < 1.6
    assert not guard.stopped, "no rule is blamed: each stayed within its own budget"
    with guard.session():  # the next file has its own budget
        assert guard.run(slow, RuleContext(Document("next.txt", "正文。\n")), rules[-1]) == [rules[-1].id]


@needs_timer
def test_untimed_set_up_does_not_count_against_the_file_either():
    from lint_reports.core import budget
    from lint_reports.core.context import RuleContext
    from lint_reports.core.document import Document

    guard = budget.RuleGuard(seconds=0.1)  # file budget 0.6 s
    ctx = RuleContext(Document("a.txt", "正文。\n"))

    def building_a_cache_first(ctx, rule):
        with budget.untimed():
            time.sleep(0.8)  # (the jieba index of a first run)
        return ["found"]

    with guard.session():
        assert guard.run(building_a_cache_first, ctx, type("Rule", (), {"id": "r", "pack": "p"})()) == ["found"]
        assert guard.run(lambda d, r: ["second"], ctx, type("Rule", (), {"id": "s", "pack": "p"})()) == ["second"]
    assert guard.take() == ([], [])


def test_no_budget_means_no_file_budget_either():
    from lint_reports.core import budget
    from lint_reports.core.context import RuleContext
    from lint_reports.core.document import Document

    for seconds in (0, float("inf"), 1e308):
        guard = budget.RuleGuard(seconds=seconds)
        assert guard.file_budget(Document("a.txt", "x")) == 0
        with guard.session():
            assert guard.run(lambda d, r: ["ok"], RuleContext(Document("a.txt", "x")), type("R", (), {"id": "r", "pack": "p"})()) == ["ok"]


# --- 8. .docx: zip bombs, monsters, tables ---------------------------------------------------

docx_installed = pytest.mark.skipif(__import__("importlib").util.find_spec("docx") is None,
                                    reason="needs python-docx (the docx extra)")


def _docx(body: bytes = "<w:p><w:r><w:t>正文。</w:t></w:r></w:p>".encode(), extra=(), document_prefix: bytes = b"") -> bytes:
    """A .docx made by python-docx with `body` inside <w:body>, and `extra` (name, bytes or a
    callable writing into a zip stream) parts added."""
    import io
    import zipfile

    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    source = zipfile.ZipFile(template)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                declaration, _, rest = data.partition(b"?>")
                head, _, _ = rest.partition(b"<w:body>")
                data = declaration + b"?>" + document_prefix + head + b"<w:body>" + body + b"</w:body></w:document>"
            archive.writestr(info.filename, data)
        for name, content in extra:
            if callable(content):
                with archive.open(name, "w") as stream:
                    content(stream)
            else:
                archive.writestr(name, content)
    return out.getvalue()


def _zeros(megabytes: int):
    def write(stream):
        block = bytes(1024 * 1024)
        for _ in range(megabytes):
            stream.write(block)
    return write


_PEAK = ("import resource, subprocess, sys; status = subprocess.run(sys.argv[1:]).returncode; "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(status)")


def _run_measured(*args, cwd):
    """(result, peak resident MB) of one guarded run: measured by a wrapper process whose
    only child is the run (this test process has had many children)."""
    full_env = dict(os.environ)
    try:
        result = subprocess.run([sys.executable, "-c", _PEAK, sys.executable, "-m", "lint_reports", *args],
                                cwd=cwd, env=full_env, capture_output=True, timeout=60, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"lint-reports {' '.join(args)} did not finish within 60 s")
    err, _, peak = result.stderr.rstrip(b"\n").rpartition(b"\n")
    result.stderr = err + b"\n" if err else b""
    return result, int(peak) // 1024


@docx_installed
@pytest.mark.slow
def test_a_docx_zip_bomb_is_skipped_before_anything_is_unpacked(tmp_path):
    """300 MB of zeros in a 300 KB .docx: python-docx unpacked every part into memory."""
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx(extra=[("word/media/image1.bin", _zeros(300))]))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    (tmp_path / "good.txt").write_text(REPORT, encoding="utf-8")
    result, peak = _run_measured("--no-cache", "bomb.docx", "good.txt", cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "bomb.docx: skipped, a .docx that unpacks to more than 256 MB (a zip bomb?)" in err
    assert "good.txt" in result.stdout.decode()
    assert peak < 300, f"{peak} MB: something unpacked the bomb"


@docx_installed
@pytest.mark.parametrize("case", ["xml", "parts", "paragraphs"])
def test_a_docx_over_the_caps_is_skipped_with_one_warning(tmp_path, case):
    from lint_reports.io import docx as wordfile

    if case == "xml":  # 40 MB of empty paragraphs
        data = _docx(extra=[("word/footer9.xml", lambda s: [s.write(b"<w:p/>" * 100_000) for _ in range(70)])])
        words = "a .docx whose text (XML) unpacks to more than 32 MB"
    elif case == "parts":
        data = _docx(extra=[(f"word/media/p{i}.bin", b"") for i in range(wordfile.MAX_PARTS + 1)])
        words = f"a .docx of more than {wordfile.MAX_PARTS:,} parts"
    else:
        data = _docx(b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * (wordfile.MAX_PARAGRAPHS + 1))
        words = f"a .docx of more than {wordfile.MAX_PARAGRAPHS:,} paragraphs"
    path = tmp_path / "big.docx"
    path.write_bytes(data)
    started = time.monotonic()
    result = run_guarded("--no-cache", "big.docx", cwd=tmp_path, timeout=60)
    err = result.stderr.decode()
    assert f"big.docx: skipped, {words}" in err and len(err.splitlines()) == 1, err
    assert result.returncode == 0 and time.monotonic() - started < 30


@docx_installed
def test_a_docx_of_many_paragraphs_is_read_in_seconds_and_every_table_cell_once():
    """Each paragraph asked python-docx for its style (a search of every style); each table
    row rebuilt the table's grid; and cells were told apart by id() of short-lived lxml
    proxies, which Python reuses: a 500-row table lost most of its cells."""
    from lint_reports.io import docx as wordfile

    heading = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>一、工作</w:t></w:r></w:p>'.encode()
    plain = "<w:p><w:r><w:t>今年完成了任务。</w:t></w:r></w:p>".encode()
    row = ("<w:tr><w:tc><w:p><w:r><w:t>甲**县</w:t></w:r></w:p></w:tc>"
           "<w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr>").encode()
    merged = ('<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>上</w:t></w:r></w:p></w:tc>'
              '<w:tc><w:p><w:r><w:t>右1</w:t></w:r></w:p></w:tc></w:tr>'
              '<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>'
              '<w:tc><w:p><w:r><w:t>右2</w:t></w:r></w:p></w:tc></w:tr>').encode()
    table = b"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>" + row * 2_000 + merged + b"</w:tbl>"
    data = _docx((heading + plain * 9) * 2_000 + table)
    started = time.process_time()
    doc = wordfile.read("big.docx", data)
    assert time.process_time() - started < 10
    lines = doc.text.split("\n")
    assert len(lines) == 20_000 + 4_000 + 3
    assert lines[20_000:20_004] == ["甲**县", "乙", "甲**县", "乙"] and lines[-3:] == ["上", "右1", "右2"]
    assert len(doc.heading_levels) == 2_000 and set(doc.heading_levels.values()) == {1}


@docx_installed
def test_a_docx_with_an_entity_bomb_is_not_expanded():
    from lint_reports.io import docx as wordfile
    from lint_reports.core.document import DecodeError

    laughs = b"<!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaa\">" + b"".join(
        f"<!ENTITY {chr(98 + i)} \"{('&' + chr(97 + i) + ';') * 10}\">".encode() for i in range(8)) + b"]>"
    with pytest.raises(DecodeError):
        wordfile.read("laughs.docx", _docx(b"<w:p><w:r><w:t>&i;</w:t></w:r></w:p>", document_prefix=laughs))


# --- files the linter writes besides --fix: the baseline ------------------------------------

def _baseline_findings():
    from conftest import lint_text

    return lint_text(REPORT)


@needs_posix
def test_write_baseline_never_replaces_a_fifo_or_a_device(tmp_path):
    from lint_reports.core import baseline

    fifo = tmp_path / "baseline.json"
    os.mkfifo(fifo)
    with pytest.raises(baseline.BaselineError, match="baseline.json: cannot write baseline: not a regular file"):
        baseline.write(fifo, _baseline_findings())
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and sorted(tmp_path.iterdir()) == [fifo]
    if os.geteuid() == 0:  # a stand-in for /dev/null (only root may make one)
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        with pytest.raises(baseline.BaselineError, match="not a regular file"):
            baseline.write(device, _baseline_findings())
        assert stat.S_ISCHR(os.lstat(device).st_mode)


@needs_posix
def test_write_baseline_through_a_link_keeps_the_link_and_leaves_no_temporary(tmp_path, monkeypatch):
    from lint_reports.core import baseline

    (tmp_path / "shared").mkdir()
    real = tmp_path / "shared" / "baseline.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "baseline.json"
    link.symlink_to(real)
    assert baseline.write(link, _baseline_findings()) > 0
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["tool"] == "lint-reports"

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(baseline.BaselineError, match="No space left on device"):
        baseline.write(link, _baseline_findings())
    assert sorted(p.name for p in (tmp_path / "shared").iterdir()) == ["baseline.json"]


# --- jieba's index in the user cache: planted files ------------------------------------------

DOUBLED = "今年我们认真认真学习，二十大、二十大精神。\n"


def _index_path(xdg: Path) -> Path:
    from lint_reports.kinds.repetition import lexicon

    return xdg / "lint-reports" / lexicon._index_name(lexicon._dictionary_path())


@needs_posix
@pytest.mark.parametrize("plant", ["fifo index", "fifo lock", "link lock", "dev-zero index"])
def test_planted_files_where_jieba_s_index_goes_neither_hang_nor_truncate(tmp_path, plant):
    xdg = tmp_path / "xdg"
    index = _index_path(xdg)
    index.parent.mkdir(parents=True)
    lock = index.with_name(index.name + ".lock")
    precious = tmp_path / "precious.txt"
    precious.write_text("do not truncate me\n", encoding="utf-8")
    if plant == "fifo index":
        os.mkfifo(index)
    elif plant == "dev-zero index":
        index.symlink_to("/dev/zero")
    elif plant == "fifo lock":
        os.mkfifo(lock)
    else:
        lock.symlink_to(precious)
    (tmp_path / "a.txt").write_text(DOUBLED, encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(xdg)}
    result = run_guarded("--no-cache", "a.txt", cwd=tmp_path, env=env, timeout=60)
    plain = run_guarded("--no-cache", "a.txt", cwd=tmp_path, env={"XDG_CACHE_HOME": str(tmp_path / "clean")})
    assert (result.returncode, result.stdout, result.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    assert b"repetition-word" in result.stdout
    assert precious.read_text(encoding="utf-8") == "do not truncate me\n"


def test_a_planted_index_with_a_view_that_never_ends_is_rebuilt_not_run(tmp_path):
    import sqlite3

    xdg = tmp_path / "xdg"
    index = _index_path(xdg)
    index.parent.mkdir(parents=True)
    connection = sqlite3.connect(index)
    connection.executescript(
        "CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER, tag TEXT);"
        "CREATE VIEW meta AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT 'total' AS key, x AS value FROM c WHERE x < 0;")
    connection.close()
    (tmp_path / "a.txt").write_text(DOUBLED, encoding="utf-8")
    result = run_guarded("--no-cache", "a.txt", cwd=tmp_path, env={"XDG_CACHE_HOME": str(xdg)}, timeout=60)
    assert b"repetition-word" in result.stdout and result.stderr == b"", result.stderr


# --- a baseline: never written over a report, never a nonsense count, mode kept -------------

BASELINE_REPORT = "根据**县人民政府要求，全县共有xx个村。\n今年圆满完成了各项工作任务。\n"


def test_a_baseline_count_below_one_is_an_error_and_a_long_version_is_not_quoted(tmp_path):
    """`count: -5` (or 0) was accepted and meant nothing: the finding it names was reported
    all the same. A version that is not a number was quoted whole (however long) in the error."""
    (tmp_path / "a.txt").write_text(BASELINE_REPORT, encoding="utf-8")
    entry = {"path": "a.txt", "rule": "placeholder-x", "text": "xx", "before": "全县共有", "after": "个村。", "count": 1}
    for count in (0, -5):
        (tmp_path / "b.json").write_text(json.dumps({"tool": "lint-reports", "version": 1,
                                                     "findings": [dict(entry, count=count)]}), encoding="utf-8")
        result = run_cli("--baseline", "b.json", ".", cwd=tmp_path)
        assert result.returncode == 2 and result.stdout == "", result.stdout
        assert result.stderr.startswith("lint-reports: error: b.json: entry 1 of 'findings'"), result.stderr
        assert "count of 1 or more" in result.stderr
    (tmp_path / "b.json").write_text(json.dumps({"tool": "lint-reports", "version": "9" * 5000, "findings": []}),
                                     encoding="utf-8")
    result = run_cli("--baseline", "b.json", ".", cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr) < 300, result.stderr
    assert "baseline version (not shown) is not supported" in result.stderr


def test_write_baseline_never_overwrites_a_file_it_lints(tmp_path):
    """`lint-reports --write-baseline 报告.txt` (meant as "a baseline for this report") lints
    `.`, which holds 报告.txt, and replaced the report with the baseline's JSON: the report
    was gone. It is refused as `-o` onto a linted file is, and nothing is written."""
    (tmp_path / "报告.txt").write_text(BASELINE_REPORT, encoding="utf-8")
    for args in (["--write-baseline", "报告.txt"], ["--write-baseline", "./报告.txt", "报告.txt"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines()[-1] == (
            f"lint-reports: error: {args[1]}: not written, it is one of the files linted (choose another baseline file)")
        assert (tmp_path / "报告.txt").read_text(encoding="utf-8") == BASELINE_REPORT
    # another name still works
    assert run_cli("--write-baseline", "baseline.json", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["findings"]


def test_write_baseline_keeps_the_mode_of_the_file_it_replaces_and_the_umask_for_a_new_one(tmp_path):
    """The temporary file behind the atomic write is made 0600: a baseline written anew, or
    replaced, became readable by its owner only (a CI job under another user could not read it)."""
    import os
    import stat

    (tmp_path / "a.txt").write_text(BASELINE_REPORT, encoding="utf-8")
    previous = os.umask(0o022)
    try:
        assert run_cli("--write-baseline", "new.json", "a.txt", cwd=tmp_path).returncode == 0
        assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == 0o644
        os.chmod(tmp_path / "new.json", 0o664)
        assert run_cli("--write-baseline", "new.json", "a.txt", cwd=tmp_path).returncode == 0
        assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == 0o664
    finally:
        os.umask(previous)
