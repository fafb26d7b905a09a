"""Files -> Documents -> Findings, for a whole run (and, with --fix/--diff, fixed files).

Each file is processed on its own (`process`), in this process or in a pool of worker
processes (`--jobs`), each worker building its Linter once. Results come back in the
order of the files, so the output is the same whatever the number of jobs. Unchanged
files are answered from the cache (lint_reports.speed.result_cache) without being linted.
"""
from __future__ import annotations

import gc
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..io import safeio
from ..config.settings import ConfigError
from .document import DecodeError
from ..config.packs import PackError
from ..io.load import MAX_BYTES, load_document
from ..io.walk import Target, collect
from ..kinds import copied
from .passages import PassageIndex, hits_digest

CHECK, FIX, DIFF = "check", "fix", "diff"
PASSAGES = "passages"  # not linted: the file's part of the passage index (lint_reports.core.passages)
PARALLEL_FROM = 8  # files and bytes to lint before --jobs defaults to the CPU count
PARALLEL_FROM_BYTES = 512 * 1024
JOBS_PER_CPU = 2  # --jobs beyond this many workers per CPU only adds processes waiting for a CPU


@dataclass
class Outcome:
    findings: list = field(default_factory=list)
    files: list = field(default_factory=list)  # display paths linted
    errors: list = field(default_factory=list)  # one line each; make the exit status 2
    warnings: list = field(default_factory=list)  # one line each; exit status unaffected
    documents: dict = field(default_factory=dict)
    unreadable: list = field(default_factory=list)  # text files in no encoding we read, .docx without the extra
    diffs: list = field(default_factory=list)  # unified diffs, in file order (--diff)
    fixed_files: int = 0
    fixed_edits: int = 0
    fixed_rules: dict = field(default_factory=dict)  # display path -> {rule id: findings fixed} (--show-fixes)


@dataclass
class FileResult:
    display: str
    findings: list = field(default_factory=list)
    linted: bool = False
    errors: list = field(default_factory=list)  # one line each
    warnings: list = field(default_factory=list)
    unreadable: bool = False
    diff: str = ""
    applied: int = 0
    changed: bool = False
    final: Optional[bytes] = None  # the content the findings belong to, when the caller keeps documents
    complete: bool = True  # every rule ran to the end (none timed out or crashed)
    key: Optional[str] = None  # cache key of the content the findings belong to (when caching)
    fixed_rules: dict = field(default_factory=dict)  # rule id -> findings --fix repaired
    passages: Optional[object] = None  # passages.Record (a PASSAGES job)
    passages_of: bytes = b""  # content_id of the bytes the record was built from


@dataclass
class Job:
    """One file to process. Its bytes are read by whoever processes it (a worker), so a run
    never holds every file at once, and are dropped once decoded unless a fix or the
    caller's documents need them; `data` is given only for standard input."""

    target: Target
    mode: str = CHECK
    data: Optional[bytes] = None
    keep_content: bool = False  # FileResult.final: the caller builds documents from it
    want_key: bool = False  # FileResult.key: the caller caches the findings
    size: int = 0  # bytes, as far as known before reading: workers take the largest files first
    copied_hits: tuple = ()  # passages.Hit: its sentences other reports of the run have too
    copied_record: Optional[tuple] = None  # (content_id, passages.Record) from the passage pass


class Skip(Exception):
    """A file that is not a report (binary, too large): one warning, exit status unaffected."""


def read_capped(stream, what: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Skip(f"{what}: skipped, larger than {MAX_BYTES // (1024 * 1024)} MB")
    return data


def _read(target) -> safeio.Read:
    """The file's bytes and the stat of what was read. A FIFO, device or socket named on
    the command line raises NotRegularFile (an OSError: one error line) without being
    opened for a blocking read; a file over the cap is a Skip."""
    try:
        return safeio.read_regular(target.path, MAX_BYTES)
    except safeio.FileTooLarge:
        raise Skip(f"{target.display}: skipped, larger than {MAX_BYTES // (1024 * 1024)} MB") from None


def _size(target) -> int:
    try:
        return os.stat(target.path).st_size
    except OSError:
        return 0  # reported when the file is read


def _cache_key(target, data: bytes) -> str:
    from ..speed.result_cache import Cache  # only a cached run needs it

    config = getattr(target, "config", None)  # each file's own config is part of its key
    return Cache.key(target.rel if config is None else f"{target.rel}\0{config.identity}", target.display, data)


def content_id(data: bytes) -> bytes:
    """Which bytes a passage record was built from: the lint uses the record the passage
    pass built only for the very same bytes (the file may change between the two)."""
    return hashlib.blake2b(data, digest_size=16).digest()


def _keyed(key: str, hits) -> str:
    """A file's cache key once its findings also depend on the passage index: its hits."""
    if not hits:
        return key
    return hashlib.sha256(f"{key}\0{hits_digest(hits)}".encode()).hexdigest()


def process(linter, job: Job) -> FileResult:
    """Read and lint one file; with mode fix/diff also fix it (fix writes the file).
    A rule that timed out or crashed on the file adds its line to the result's warnings or
    errors (and such a result is not cached: the next run tries again)."""
    result = _process(linter, job)
    guard = getattr(linter, "guard", None)
    if guard is not None:
        rule_warnings, rule_errors = guard.take()
        result.warnings += rule_warnings
        result.errors += rule_errors
        result.complete = not (rule_warnings or rule_errors)
    return result


def _process(linter, job: Job) -> FileResult:
    from ..io.docx import TooLarge, WordUnavailable

    target, mode = job.target, job.mode
    data, job.data = job.data, None  # ours now: the caller's list of jobs does not keep the bytes
    result = FileResult(target.display)
    if hasattr(linter, "for_target"):
        try:
            linter = linter.for_target(target)  # the rules of the file's own (closest) config
        except (ConfigError, PackError) as exc:  # its config changed since the walk checked it
            result.errors.append(str(exc))
            return result
    info = None  # stat of what was read: --fix replaces only that very file
    if data is None:
        try:
            data, info = _read(target)
        except Skip as exc:
            result.warnings.append(str(exc))
            return result
        except OSError as exc:
            result.errors.append(f"{target.display}: cannot read: {exc.strerror or exc}")
            return result
    if job.want_key:
        result.key = _keyed(_cache_key(target, data), job.copied_hits)
    if job.keep_content:
        result.final = data
    try:
        doc = load_document(target.display, data)
    except WordUnavailable as exc:
        result.warnings.append(f"{target.display}: skipped, {exc}")
        result.unreadable = True
        return result
    except TooLarge as exc:  # like a file over MAX_BYTES: one warning, the run goes on
        result.warnings.append(f"{target.display}: skipped, {exc}")
        return result
    except DecodeError as exc:
        result.warnings.append(f"{target.display}: skipped, {exc}")
        result.unreadable = not str(exc).startswith("binary")
        return result
    if mode == PASSAGES:
        rule = copied.report_rule(linter)  # (None: the file's own config has no such rule)
        if rule is not None:
            result.passages = copied.record(linter, doc, target.rel, rule)
            result.passages_of = content_id(data)
        return result
    if job.copied_record is not None and job.copied_record[0] == content_id(data):
        doc.copied_record = job.copied_record[1]  # its sentences are not read a second time
    if mode == CHECK:
        data = None  # only the document from here on: a big file's bytes are not kept
    doc.copied_hits = job.copied_hits
    findings = linter.lint(doc, target.rel)
    result.findings, result.linted = findings, True
    if mode == CHECK:
        return result
    from . import fix as fixing  # only --fix/--diff need it (and difflib): not on every start

    if not fixing.fixable_edits(doc, findings):
        return result
    if doc.markup == "docx":
        result.warnings.append(f"{target.display}: not fixed, --fix does not rewrite .docx files (fix it in Word)")
        return result
    try:
        fixed = fixing.fix_document(linter, doc, target.rel, data, findings)
    except fixing.FixError as exc:
        result.errors.append(f"{target.display}: {exc}")
        return result
    if mode == FIX and getattr(target, "stdin", False):
        result.errors.append(f"{target.display}: --fix cannot rewrite standard input; use --diff")
        return result
    if mode == DIFF:
        unpatchable = fixing.unpatchable_encoding(data) if fixed.changed else None
        if unpatchable:  # still counted as a change: the exit status says a file would change
            result.warnings.append(f"{target.display}: its fixes are not in the diff: a text patch cannot carry "
                                   f"a {unpatchable} file; --fix applies them")
        result.diff = fixing.unified_diff(target.display, data, fixed.fixed) if fixed.changed and not unpatchable else ""
        result.applied, result.changed = fixed.applied, fixed.changed
        return result
    if fixed.changed:
        try:
            fixing.write_atomic(target.path, fixed.fixed,
                                expected=fixing.Snapshot.of(info, data) if info is not None else None)
        except fixing.FixError as exc:
            result.errors.append(f"{target.display}: {exc}")
            return result
    result.findings = fixed.findings
    if fixed.changed:
        result.fixed_rules = _fixed_rules(findings, fixed.findings)
    if job.keep_content:
        result.final = fixed.fixed
    if job.want_key and fixed.changed:
        result.key = _keyed(_cache_key(target, fixed.fixed), fixed.copied_hits)
    result.applied, result.changed = fixed.applied, fixed.changed
    return result


def _fixed_rules(before: list, after: list) -> dict:
    """Per rule, how many of the findings --fix could repair are gone."""
    from collections import Counter

    fixable = Counter(f.rule for f in before if f.fixable)
    remaining = Counter(f.rule for f in after)
    total = Counter(f.rule for f in before)
    return {rule: min(count, total[rule] - remaining[rule]) for rule, count in fixable.items()
            if total[rule] > remaining[rule]}


# --- worker processes -------------------------------------------------------------

_worker_linter = None


def _start_worker(spec) -> None:
    global _worker_linter
    from .engine import Linter

    config, options, guard_seconds, debug = spec
    _worker_linter = Linter(config, options=options)
    _worker_linter.guard.seconds, _worker_linter.guard.debug = guard_seconds, debug


def _work(job: Job) -> FileResult:
    return process(_worker_linter, job)


def _has_fixes(findings) -> bool:
    from .fix import NEVER_FIXED

    return any(f.fix is not None and f.category not in NEVER_FIXED for f in findings)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_jobs(pending: int, size: int) -> int:
    """One process for a small run (starting workers costs more than it saves) and under
    pre-commit (which already runs one hook process per CPU), else one per CPU."""
    if pending < PARALLEL_FROM or size < PARALLEL_FROM_BYTES or os.environ.get("PRE_COMMIT"):
        return 1
    return max(1, min(_cpus(), pending))


def worker_count(requested: Optional[int], pending: int, size: int) -> int:
    """`--jobs N` as asked, but never more workers than files to lint, nor more than
    JOBS_PER_CPU per CPU: `--jobs 1000` for two files must not start a thousand processes
    (each one loads the packs: memory and start-up for nothing)."""
    if not requested:
        return default_jobs(pending, size)
    return max(1, min(requested, pending, _cpus() * JOBS_PER_CPU))


class Workers:
    """The worker processes of one run, started once and used by each of its passes (the
    passage records, then the linting): a second pool would load the packs in every worker
    again. With one worker, one job, or no processes on this platform, jobs run here."""

    def __init__(self, linter, requested: Optional[int]):
        self.linter, self.requested = linter, requested
        self.count = None  # decided by the first pass that has work for several workers
        self._pool = None
        self._broken = False

    def run(self, jobs: list, sizes: int, on_done) -> list:
        """FileResults for `jobs` in their order; `on_done()` after each one."""
        if self.count is None and len(jobs) > 1:
            self.count = worker_count(self.requested, len(jobs), sizes)
        if not self.count or self.count < 2 or len(jobs) < 2 or self._broken:
            return [_serial(self.linter, job, on_done) for job in jobs]
        from concurrent.futures.process import BrokenProcessPool

        # Largest files first: one big report handed out last would keep one worker busy
        # alone at the end. The results go back in the files' order.
        order = sorted(range(len(jobs)), key=lambda i: -jobs[i].size)
        jobs = [jobs[i] for i in order]
        results = []
        try:
            pool = self._start()
            chunk = max(1, min(16, len(jobs) // (self.count * 4)))
            for result in pool.map(_work, jobs, chunksize=chunk):
                results.append(result)
                on_done()
        except (BrokenProcessPool, OSError, RuntimeError):
            self._broken = True  # no processes on this platform / sandbox: do the rest here
            self.close()
        results += [_serial(self.linter, job, on_done) for job in jobs[len(results):]]
        in_order = [None] * len(results)
        for position, result in zip(order, results):
            in_order[position] = result
        return in_order

    def _start(self):
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            linter = self.linter
            spec = (linter.config, linter.options, linter.guard.seconds, linter.guard.debug)
            # The objects built so far (modules, prepared packs, compiled patterns) live as
            # long as the run: frozen, the forked workers' garbage collections do not walk
            # them again nor copy their pages by touching them.
            gc.freeze()
            self._pool = ProcessPoolExecutor(max_workers=self.count, initializer=_start_worker, initargs=(spec,))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                pool.shutdown(wait=True, cancel_futures=True)
            finally:
                gc.unfreeze()  # (a long-lived caller, the language server, collects them again)


def _serial(linter, job: Job, on_done) -> FileResult:
    result = process(linter, job)
    on_done()
    return result


def stdin_target(config, stdin_filename: Optional[str]) -> Optional[Target]:
    """The Target standing for standard input (lint_reports.io.walk decides)."""
    from ..io.walk import stdin_target as target_for_stdin

    return target_for_stdin(config, stdin_filename)


def lint_paths(linter, paths, config, keep_documents: bool = False, *, mode: str = CHECK,
               jobs: Optional[int] = None, cache=None, progress=None,
               stdin_filename: Optional[str] = None, stdin=None) -> Outcome:
    outcome = Outcome()
    targets, walk_errors = collect(paths, config, stdin_filename,  # standard input first
                                   found=progress.searching if progress is not None else None)
    outcome.errors += [f"{e.display}: {e.message}" for e in walk_errors if e.fatal]
    outcome.warnings += [f"{e.display}: {e.message}" for e in walk_errors if not e.fatal]
    if progress is not None:
        progress.start(len(targets))
    workers = Workers(linter, jobs)
    try:
        return _lint_targets(linter, targets, outcome, workers, keep_documents, mode, cache, progress, stdin)
    finally:
        workers.close()


def _lint_targets(linter, targets, outcome, workers, keep_documents, mode, cache, progress, stdin) -> Outcome:
    results: dict = {}
    pending = []
    sizes = 0
    piped = {}  # index -> the bytes of standard input: read once, first, for the index and the lint
    for index, target in enumerate(targets):
        if target.stdin:
            try:
                piped[index] = read_capped(stdin if stdin is not None else sys.stdin.buffer, target.display)
            except Skip as exc:
                results[index] = FileResult(target.display, warnings=[str(exc)])
            except OSError as exc:
                results[index] = FileResult(target.display, errors=[f"{target.display}: cannot read: {exc.strerror or exc}"])
    # the run's passage index, before any file is linted (standard input takes part like a file)
    index_pass = passage_pass(linter, targets, cache, workers, [(targets[i], data) for i, data in piped.items()])
    for index, target in enumerate(targets):
        if index in results:
            continue  # standard input that could not be read
        job = Job(target, mode, keep_content=keep_documents, want_key=cache is not None and not target.stdin,
                  copied_hits=tuple(index_pass.hits.get(target.display, ())),
                  copied_record=index_pass.records.get(target.display))
        if target.stdin or cache is not None:
            if progress is not None:
                progress.checking(index + 1)
            try:  # a cached file is read to find its key
                data = piped[index] if target.stdin else _read(target).data
            except Skip as exc:
                results[index] = FileResult(target.display, warnings=[str(exc)])
                continue
            except OSError as exc:
                results[index] = FileResult(target.display, errors=[f"{target.display}: cannot read: {exc.strerror or exc}"])
                continue
            if job.want_key:
                cached = cache.get(_keyed(_cache_key(target, data), job.copied_hits))
                if cached is not None and (mode == CHECK or not _has_fixes(cached)):
                    results[index] = FileResult(target.display, cached, linted=True,
                                                final=data if keep_documents else None)
                    if progress is not None:
                        progress.advance()
                    continue
            if target.stdin:
                job.data = data
            job.size = len(data)
        else:
            job.size = _size(target)
        sizes += job.size
        pending.append((index, job))
    if progress is not None:
        progress.linting(workers.count or worker_count(workers.requested, len(pending), sizes)
                         if len(pending) > 1 else 1)
    advance = progress.advance if progress is not None else (lambda: None)
    done = workers.run([job for _, job in pending], sizes, advance)
    for saved, ((index, _job), result) in enumerate(zip(pending, done), 1):
        results[index] = result
        # the key of what was linted (the file may have changed since it was looked up)
        if result.key and result.linted and result.complete and not result.errors and mode != DIFF:
            cache.put(result.key, result.findings)
            if progress is not None:
                progress.saving(saved, len(pending))
    if progress is not None:
        progress.finish()
    for index, target in enumerate(targets):
        result = results[index]
        outcome.errors += result.errors
        outcome.warnings += result.warnings
        if result.unreadable:
            outcome.unreadable.append(target.display)
        if not result.linted:
            continue
        outcome.files.append(target.display)
        outcome.findings.extend(result.findings)
        if result.diff:
            outcome.diffs.append(result.diff)
        if result.changed:
            outcome.fixed_files += 1
            outcome.fixed_edits += result.applied
            if result.fixed_rules:
                outcome.fixed_rules[target.display] = result.fixed_rules
        if keep_documents:
            try:
                outcome.documents[target.display] = load_document(target.display, result.final)
            except Exception:  # the document was read once already; keep going without it
                pass
    return outcome


# --- the passage index of a run (kinds/copied.py: copied-from-report) -----------------

@dataclass
class PassagePass:
    """What the run's passage index gives the files of the run, by display path: their
    hits, and the record each one's sentences were read into (content_id, Record), so that
    its lint does not read them again."""

    hits: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)


def passage_pass(linter, targets, cache, workers: Workers, piped=()) -> PassagePass:
    """The hits of the files of a run, from an index of every file of the run (and, with
    `compare: repository`, of every report the config's `files:` globs find from the
    repository root: pre-commit passes only the staged files). Empty when there is no
    copied-from-report rule. A file's record comes from the cache when its bytes are
    unchanged; the others are computed by the run's workers (`runner.PASSAGES` jobs).
    `piped`: (target, bytes) of standard input, read already: a report like any other here
    (an editor piping its buffer with `--stdin-filename` is compared with the rest of the
    repository, and the buffer stands in for that file's saved content)."""
    rule = copied.report_rule(linter)
    if rule is None:
        return PassagePass()
    sources = [t for t in targets if not t.stdin]
    piped = list(piped)
    if not any(_reports_copies(linter, t, rule) for t in sources + [t for t, _ in piped]):
        return PassagePass()  # (--select placeholder, or the rule ignored): no index to build
    repository = linter.config.options_of(copied.KIND).get("compare", "run") == "repository"
    if len(sources) + len(piped) < 2 and not repository:
        return PassagePass()  # nothing to compare with (a compilation's pieces are the kind's own affair)
    own = {t.display for t in sources} | {t.display for t, _ in piped}
    if repository:
        # the same file under another name; a file standard input stands for (--stdin-filename)
        seen = {os.path.realpath(t.path) for t in sources} | {os.path.realpath(t.path) for t, _ in piped}
        sources += [t for t in repository_targets(linter.config) if os.path.realpath(t.path) not in seen]
    index = PassageIndex()
    records = {}
    for target, data in piped:  # never cached (no file behind it), read here: it is in memory already
        result = process(linter, Job(target, PASSAGES, data=data))
        if result.passages is not None:
            index.add(target.display, result.passages)
            records[target.display] = (result.passages_of, result.passages)
    pending = []
    for target in sources:
        key = None
        if cache is not None:
            try:
                data = _read(target).data
            except (Skip, OSError):
                continue  # reported when the file itself is linted (or not a report of the run)
            key = record_key(_cache_key(target, data))
            found = cache.get_passages(key)
            if found is not None:
                index.add(target.display, found)
                if target.display in own:
                    records[target.display] = (content_id(data), found)
                continue
        pending.append((target, key))
    jobs = [Job(target, PASSAGES, size=_size(target)) for target, _ in pending]
    done = workers.run(jobs, sum(job.size for job in jobs), lambda: None)
    for (target, key), result in zip(pending, done):
        if result.passages is None:
            continue
        index.add(target.display, result.passages)
        if target.display in own:
            records[target.display] = (result.passages_of, result.passages)
        if key is not None:
            cache.put_passages(key, result.passages)
    max_reports = linter.config.options_of(copied.KIND).get("max-reports")
    if max_reports is None:
        max_reports = copied.DEFAULT_MAX_REPORTS
    hits = {display: found for display in own if (found := index.hits(display, max_reports))}
    return PassagePass(hits, records)


def _reports_copies(linter, target, rule) -> bool:
    try:
        settings = linter.for_target(target).settings_for(target.rel)
    except Exception:  # a config the rules refuse: reported when the file is linted
        return False
    return any(active.id == rule.id for active, _ in settings.rules)


def record_key(findings_key: str) -> str:
    """The cache key of a file's record: beside its findings', never the same."""
    return hashlib.sha256(b"passages\0" + findings_key.encode()).hexdigest()


def repository_root(config) -> Path:
    """The top of the git work tree the config is in (pre-commit runs there), else the
    config's directory."""
    import subprocess

    base = Path(config.base_dir)
    try:
        done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=base, capture_output=True,
                              text=True, timeout=10)
        if done.returncode == 0 and done.stdout.strip():
            return Path(done.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return base


def repository_targets(config) -> list:
    """The reports of the repository, as the config's `files:` globs find them from its root."""
    targets, _ = collect([str(repository_root(config))], config)
    return [t for t in targets if not t.stdin]
