"""Speed for CI: --jobs gives the same output as one process; the cache answers for
unchanged files and never for changed ones, and a broken cache is never fatal; the
progress counter shows only at a terminal."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import CORPUS, SEEDS, run_cli

BODY = "工作总结\n\n一、主要做法展开全文。\n二、**县要抓好落实。\n"


@pytest.fixture
def many(tmp_path):
    """16 reports: the seeds and clean corpus texts, copied under several directories."""
    for copy in range(2):
        shutil.copytree(SEEDS, tmp_path / "reports" / f"seeds{copy}")
        target = tmp_path / "reports" / f"corpus{copy}"
        target.mkdir()
        for path in sorted(CORPUS.glob("*.txt"))[:3]:
            shutil.copy(path, target / path.name)
    return tmp_path


def test_jobs_do_not_change_the_output(many):
    for output in ("text", "json"):
        runs = [run_cli("--no-cache", "--format", output, *jobs, "reports", cwd=many)
                for jobs in (["--jobs", "1"], ["--jobs", "3"], [])]
        assert runs[0].returncode == 1
        assert runs[0].stdout.count("seeds1/004") > 0
        for run in runs[1:]:
            assert (run.stdout, run.returncode) == (runs[0].stdout, runs[0].returncode)


def test_the_default_is_one_process_for_a_small_run_and_every_cpu_for_a_big_one():
    from lint_reports.core.runner import default_jobs

    assert default_jobs(5, 10_000_000) == 1
    assert default_jobs(500, 100_000) == 1
    assert default_jobs(500, 10_000_000) == min(len(os.sched_getaffinity(0)), 500)


def test_under_pre_commit_the_default_is_one_process(monkeypatch):
    from lint_reports.core.runner import default_jobs

    monkeypatch.setenv("PRE_COMMIT", "1")
    assert default_jobs(500, 10_000_000) == 1


def test_a_negative_jobs_count_is_a_usage_error():
    result = run_cli("--jobs", "-1", "seeds")
    assert result.returncode == 2
    assert "--jobs -1" in result.stderr


def _entries(cache_dir):
    return sorted(p for p in cache_dir.rglob("*.json"))


def _plant(cache_dir, message):
    """Add a marker finding to every cache entry: if it is printed, the cache answered."""
    for entry in _entries(cache_dir):
        record = json.loads(entry.read_text(encoding="utf-8"))
        marker = dict(record["findings"][0], message=message) if record["findings"] else None
        if marker:
            record["findings"].append(marker)
        entry.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def test_unchanged_files_come_from_the_cache_changed_ones_do_not(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text("fail-level: warning\n", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    first = run_cli("report.txt", cwd=tmp_path)
    cache_dir = tmp_path / ".lint-reports-cache"
    assert (cache_dir / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert len(_entries(cache_dir)) == 1
    _plant(cache_dir, "FROM-THE-CACHE")
    assert "FROM-THE-CACHE" in run_cli("report.txt", cwd=tmp_path).stdout
    assert "FROM-THE-CACHE" not in run_cli("--no-cache", "report.txt", cwd=tmp_path).stdout
    # a changed file misses
    report.write_text(BODY + "三、下步打算。\n", encoding="utf-8")
    assert "FROM-THE-CACHE" not in run_cli("report.txt", cwd=tmp_path).stdout
    report.write_text(BODY, encoding="utf-8")
    assert "FROM-THE-CACHE" in run_cli("report.txt", cwd=tmp_path).stdout
    # a changed config, selection or year misses
    assert "FROM-THE-CACHE" not in run_cli("--ignore", "artifact-url", "report.txt", cwd=tmp_path).stdout
    assert "FROM-THE-CACHE" not in run_cli("--year", "2020", "report.txt", cwd=tmp_path).stdout
    (tmp_path / ".lint-reports.yaml").write_text("fail-level: error\n", encoding="utf-8")
    assert run_cli("report.txt", cwd=tmp_path).stdout == first.stdout


def test_a_changed_user_pack_misses_the_cache(tmp_path):
    (tmp_path / "pack.yaml").write_text("pack: local\nrules: []\n", encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text("packs: [pack.yaml]\n", encoding="utf-8")
    (tmp_path / "report.txt").write_text(BODY, encoding="utf-8")
    run_cli("report.txt", cwd=tmp_path)
    _plant(tmp_path / ".lint-reports-cache", "FROM-THE-CACHE")
    assert "FROM-THE-CACHE" in run_cli("report.txt", cwd=tmp_path).stdout
    (tmp_path / "pack.yaml").write_text("pack: local\nrules: []\n# edited\n", encoding="utf-8")
    assert "FROM-THE-CACHE" not in run_cli("report.txt", cwd=tmp_path).stdout


DAMAGE = [
    b"", b"{", b"not json at all", b'{"findings": 3}', b'{"findings": [{"line": "x"}]}', b"\xff\xfe\x00",
    b'{"findings": [{"path": "r", "fix": {"start": 1}}]}', b'[]',
]


def test_a_corrupt_cache_is_ignored(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text("", encoding="utf-8")
    for index in range(len(DAMAGE)):
        (tmp_path / f"report{index}.txt").write_text(BODY + "第" + str(index) + "段。\n", encoding="utf-8")
    expected = run_cli("--no-cache", ".", cwd=tmp_path)
    run_cli(".", cwd=tmp_path)
    entries = _entries(tmp_path / ".lint-reports-cache")
    assert len(entries) == 2 * len(DAMAGE)  # per file its findings and its passage record (copied-from-report)
    for entry, damage in zip(entries, DAMAGE * 2):
        entry.write_bytes(damage)
    result = run_cli(".", cwd=tmp_path)
    assert (result.stdout, result.stderr, result.returncode) == (expected.stdout, expected.stderr, expected.returncode)


def test_an_unusable_cache_directory_is_not_fatal(tmp_path):
    (tmp_path / "report.txt").write_text(BODY, encoding="utf-8")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    result = run_cli("report.txt", cwd=tmp_path, env={"LINT_REPORTS_CACHE_DIR": str(blocker / "cache")})
    assert result.returncode == 1
    assert result.stderr == ""
    assert "artifact-download" in result.stdout


def test_without_a_config_the_cache_lives_in_the_user_cache_directory(tmp_path):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "report.txt").write_text(BODY, encoding="utf-8")
    run_cli("report.txt", cwd=tmp_path / "work", env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert _entries(tmp_path / "xdg" / "lint-reports")
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["report.txt"]


def test_the_cache_keeps_fix_edits(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text("", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    run_cli("report.txt", cwd=tmp_path)  # fills the cache
    entry = json.loads(_entries(tmp_path / ".lint-reports-cache")[0].read_text(encoding="utf-8"))
    assert any(f["fix"] for f in entry["findings"])
    fixed = run_cli("--fix", "report.txt", cwd=tmp_path)
    assert report.read_text(encoding="utf-8") == "工作总结\n\n一、主要做法。\n二、**县要抓好落实。\n"
    # the fixed content is cached too: the next check is a hit and says the same
    assert len(_entries(tmp_path / ".lint-reports-cache")) == 2
    assert run_cli("report.txt", cwd=tmp_path).stdout == fixed.stdout


def _run_at_a_terminal(args, cwd, env):
    """Run the CLI with stderr on a pseudo-terminal; returns what it wrote there."""
    import pty

    parent, child = pty.openpty()
    full_env = dict(os.environ, **env)
    full_env.pop("CI", None) if "CI" not in env else None
    full_env.pop("PRE_COMMIT", None) if "PRE_COMMIT" not in env else None
    process = subprocess.Popen([sys.executable, "-m", "lint_reports", *args], cwd=cwd, env=full_env,
                               stdout=subprocess.DEVNULL, stderr=child)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(parent)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def twenty_four(tmp_path):
    for index in range(24):
        (tmp_path / f"report{index:02}.txt").write_text(BODY, encoding="utf-8")
    return tmp_path


def test_progress_shows_at_a_terminal_only_outside_ci_and_pre_commit(twenty_four):
    shown = _run_at_a_terminal(["--no-cache", "-j1", "."], twenty_four, {})
    assert "lint-reports: 24/24 files" in shown
    assert shown.endswith("\r\x1b[K")
    assert _run_at_a_terminal(["--no-cache", "-j1", "."], twenty_four, {"CI": "true"}) == ""
    assert _run_at_a_terminal(["--no-cache", "-j1", "."], twenty_four, {"PRE_COMMIT": "1"}) == ""
    assert run_cli("--no-cache", ".", cwd=twenty_four).stderr == ""


def test_a_short_run_shows_no_progress(tmp_path):
    (tmp_path / "report.txt").write_text(BODY, encoding="utf-8")
    assert _run_at_a_terminal(["report.txt"], tmp_path, {}) == ""


def test_every_command_line_option_reaches_the_workers_and_the_cache_key(tmp_path):
    """An option that changes the rules (here --report-unused-suppressions) must not be
    answered from a cache filled without it, nor lost in a worker process."""
    (tmp_path / ".lint-reports.yaml").write_text("", encoding="utf-8")
    text = "# 总结\n<!-- lint-reports-disable-next-line placeholder -->\n今年完成了任务。\n"
    for index in range(10):
        (tmp_path / f"report{index}.md").write_text(text, encoding="utf-8")
    assert run_cli(".", cwd=tmp_path).returncode == 0  # fills the cache
    serial = run_cli("--report-unused-suppressions", "--jobs", "1", ".", cwd=tmp_path)
    parallel = run_cli("--report-unused-suppressions", "--no-cache", "--jobs", "2", ".", cwd=tmp_path)
    assert serial.stdout.count("unused-suppression") == 10
    assert parallel.stdout == serial.stdout


def test_a_baseline_works_on_cached_results(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text("", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    assert run_cli("--write-baseline", "baseline.json", "report.txt", cwd=tmp_path).returncode == 0
    assert run_cli("--baseline", "baseline.json", "report.txt", cwd=tmp_path).stdout == "no problems in 1 file\n"
    report.write_text("新增一行展开全文。\n" + BODY, encoding="utf-8")
    run_cli("report.txt", cwd=tmp_path)  # cached with the new line
    result = run_cli("--baseline", "baseline.json", "report.txt", cwd=tmp_path)
    assert [line.split()[2] for line in result.stdout.splitlines()[:-1]] == ["artifact-download"]
    assert result.stdout.startswith("report.txt:1:")


def test_a_file_changed_after_its_cache_lookup_is_cached_under_what_was_linted(tmp_path, monkeypatch):
    """The run looks a file up by its bytes, then the file is read again where it is linted
    (a worker): the findings are stored under the key of the bytes they belong to."""
    from lint_reports.core import runner
    from lint_reports.speed.result_cache import Cache
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    config = Config()
    config.base_dir = tmp_path
    linter = Linter(config)
    cache = Cache.open(linter, tmp_path / "cache")
    real_read, reads = runner._read, []

    def read_then_edit(target):
        read = real_read(target)
        reads.append(read.data)
        if len(reads) == 1:  # the lookup: somebody saves the file right after
            report.write_text("工作总结\n\n一、**县的做法。\n", encoding="utf-8")
        return read

    monkeypatch.setattr(runner, "_read", read_then_edit)
    outcome = runner.lint_paths(linter, [report], config, cache=cache, jobs=1)
    assert reads[0] != reads[1]
    stored = Cache.key("report.txt", outcome.files[0], reads[1])
    assert cache.get(stored) == outcome.findings and outcome.findings
    assert cache.get(Cache.key("report.txt", outcome.files[0], reads[0])) is None


def test_a_checked_file_keeps_no_bytes_unless_documents_are_wanted(tmp_path):
    from lint_reports.core import runner
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter
    from lint_reports.io.walk import Target

    report = tmp_path / "report.txt"
    report.write_text(BODY, encoding="utf-8")
    linter = Linter(Config())
    target = Target(report, "report.txt", "report.txt")
    plain = runner.process(linter, runner.Job(target))
    assert plain.linted and plain.findings and plain.final is None and plain.key is None
    kept = runner.process(linter, runner.Job(target, keep_content=True, want_key=True))
    assert kept.final == BODY.encode("utf-8") and kept.key and kept.findings == plain.findings
    missing = runner.process(linter, runner.Job(Target(tmp_path / "gone.txt", "gone.txt", "gone.txt")))
    assert missing.errors and missing.errors[0].startswith("gone.txt: cannot read") and not missing.linted


def _jobs_of_sizes(tmp_path, sizes):
    from lint_reports.core.runner import Job
    from lint_reports.io.walk import Target

    jobs = []
    for index, lines in enumerate(sizes):
        path = tmp_path / f"r{index}.txt"
        path.write_text("二、**县要抓好落实。\n" * lines, encoding="utf-8")
        jobs.append(Job(Target(path, path.name, path.name), size=path.stat().st_size))
    return jobs


def test_workers_take_the_largest_files_first_and_the_results_keep_the_files_order(tmp_path, monkeypatch):
    """A big report handed out last would keep one worker busy alone at the end of a run."""
    import concurrent.futures

    from lint_reports.core import runner
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    dispatched = []

    class InProcessPool:  # the pool's interface, run here, recording what it is handed in which order
        def __init__(self, max_workers, initializer, initargs):
            initializer(*initargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, work, jobs, chunksize=1):
            for job in jobs:
                dispatched.append(job.target.display)
                yield work(job)

        def shutdown(self, wait=True, cancel_futures=False):
            pass

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", InProcessPool)
    monkeypatch.setattr(runner, "_worker_linter", None)
    sizes = [3, 50, 1, 20]
    workers = runner.Workers(Linter(Config()), 2)
    jobs = _jobs_of_sizes(tmp_path, sizes)
    results = workers.run(jobs, sum(job.size for job in jobs), lambda: None)
    workers.close()
    assert dispatched == ["r1.txt", "r3.txt", "r0.txt", "r2.txt"]
    assert [r.display for r in results] == ["r0.txt", "r1.txt", "r2.txt", "r3.txt"]
    assert [sum(f.rule == "placeholder-stars" for f in r.findings) for r in results] == sizes


def test_without_worker_processes_the_files_are_linted_here_in_their_order(tmp_path, monkeypatch):
    import concurrent.futures

    from lint_reports.core import runner
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    def no_processes(*args, **kwargs):
        raise OSError("no processes in this sandbox")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_processes)
    sizes = [3, 50, 1]
    done = []
    workers = runner.Workers(Linter(Config()), 2)
    jobs = _jobs_of_sizes(tmp_path, sizes)
    results = workers.run(jobs, sum(job.size for job in jobs), lambda: done.append(1))
    workers.close()
    assert [r.display for r in results] == ["r0.txt", "r1.txt", "r2.txt"] and len(done) == 3
    assert [sum(f.rule == "placeholder-stars" for f in r.findings) for r in results] == sizes
