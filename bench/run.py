"""lint-reports benchmark: builds its corpus, runs every contender in one go, prints MB/s
and the ratios the performance targets are stated in, and records the table in
bench/README.md.

    .venv/bin/python bench/run.py            # full run, records the table
    .venv/bin/python bench/run.py --quick    # one round, records nothing
    .venv/bin/python bench/run.py --lint ../other/.venv/bin/lint-reports   # before/after
    .venv/bin/python bench/run.py --base ../older/.venv/bin/lint-reports   # throughput kept

Every measurement is a whole process run as a user runs it (interpreter start included),
timed wall-clock and in CPU seconds (wait4, workers included); every case runs once per
round, rounds interleaved, after a warm-up round; the best round counts. Peak memory is the
process's own ru_maxrss. The caches live in a scratch directory: "warm" runs find the
prepared packs (and, where stated, the results) of the warm-up; "cold" runs start with
none. Ratios, not absolute times, are what to compare: the machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CORPUS = BENCH / "corpus"
SEEDS = ROOT / "seeds"
BENCH_VENV = BENCH / ".venv"
README = BENCH / "README.md"
TABLE_BEGIN, TABLE_END = "<!-- bench-table:begin -->", "<!-- bench-table:end -->"

CORPUS_VERSION = "2"  # bump when the way the corpus is built changes
MANY_FILES = 200
BIG_BYTES = 20_000_000
TINY_TEXT = "本单位各项工作运行正常。\n"

# Targets from issue 18 (issue 7's were 5× autocorrect-py and 0.3× jieba warm).
TARGET_VS_AUTOCORRECT = 1.5  # every default rule, one process, on both corpora
TARGET_EQUAL_WORK = 5.0  # the default punctuation rules alone (what autocorrect checks)
TARGET_TINY_VS_JIEBA = {"tiny": 0.15, "tiny_cold": 0.3}  # one clean line: warm, cold
TARGET_JOBS_SCALING = 1.7
JOBS_CONTROL_NEEDED = 1.8  # --jobs 2 is judged only where two processes get this much
# From issue 16: all default rules together lose at most 10% throughput against the base.
TARGET_VS_BASE = 1.10
MEMORY_FACTOR, MEMORY_EXTRA_MB = 3, 60
CONTROL_LOOP = 10_000_000  # iterations of the --jobs control loop (about half a second each)


# ---------------------------------------------------------------- corpus

@dataclass
class Corpus:
    many: list  # ~200 files, ~5 MB
    big: Path  # one ~20 MB file
    tiny: Path  # one clean line

    def size(self, paths) -> int:
        return sum(p.stat().st_size for p in paths)


def _seed_files() -> list:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        sys.exit(f"bench: no seeds in {SEEDS}")
    return seeds


def _stamp(seeds) -> str:
    digest = hashlib.sha256(CORPUS_VERSION.encode())
    for seed in seeds:
        digest.update(seed.name.encode())
        digest.update(seed.read_bytes())
    return digest.hexdigest()


def build_corpus() -> Corpus:
    """The seeds repeated into 200 files, and into one 20 MB file; plus a tiny clean file.
    Rebuilt only when the seeds (or this builder) change."""
    seeds = _seed_files()
    texts = [s.read_bytes().rstrip(b"\n") + b"\n" for s in seeds]
    many_dir, big_dir, tiny_dir = CORPUS / "many", CORPUS / "big", CORPUS / "tiny"
    many = [many_dir / f"report_{i:03d}.txt" for i in range(MANY_FILES)]
    big, tiny = big_dir / "big.txt", tiny_dir / "tiny.txt"
    stamp_file = CORPUS / "STAMP"
    stamp = _stamp(seeds)
    if stamp_file.exists() and stamp_file.read_text() == stamp and all(p.exists() for p in many + [big, tiny, CORPUS / ".lint-reports.yaml"]):
        return Corpus(many, big, tiny)
    shutil.rmtree(CORPUS, ignore_errors=True)
    for directory in (many_dir, big_dir, tiny_dir):
        directory.mkdir(parents=True)
    for i, path in enumerate(many):
        path.write_bytes(texts[i % len(texts)])
    with big.open("wb") as handle:
        written = 0
        while written < BIG_BYTES:
            for text in texts:
                handle.write(text)
                written += len(text)
    tiny.write_text(TINY_TEXT, encoding="utf-8")
    # A config of its own: the runs use the default rules whatever config lies above the
    # checkout (discovery stops here), as in a project that has one.
    (CORPUS / ".lint-reports.yaml").write_text("extends: default\n", encoding="utf-8")
    stamp_file.write_text(stamp)
    return Corpus(many, big, tiny)


# ---------------------------------------------------------------- running

@dataclass
class Run:
    name: str
    seconds: float
    cpu: float  # user + system seconds of the process and its children (wait4)
    nbytes: int
    peak_mb: float
    returncode: int
    output: str

    @property
    def mb_per_s(self) -> Optional[float]:
        return self.nbytes / 1e6 / self.seconds if self.nbytes else None

    @property
    def mb_per_cpu_s(self) -> Optional[float]:
        return self.nbytes / 1e6 / self.cpu if self.nbytes and self.cpu else None


def _once(cmd, cwd, env):
    """(wall seconds, CPU seconds, peak RSS in MB, return code, output tail) of one process.
    CPU time includes the worker processes a --jobs run starts."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        tail = out.read()[-4000:].decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    # ru_maxrss is in KiB on Linux; wait4 reports the child's own peak, not its workers'
    return elapsed, cpu, usage.ru_maxrss / 1024, process.returncode, tail


@dataclass
class Case:
    key: str
    name: str
    cmd: list
    nbytes: int
    env: dict
    ok: tuple = (0,)
    before: Optional[Callable] = None  # run before every timed run (a cold start wipes caches)


def measure_all(cases: list, *, repeat: int, cwd: Path, warmup: bool) -> dict:
    """Best run of each case. Rounds are interleaved (every case once, then again) so a
    change in the machine's load during the run falls on every contender alike."""
    best: dict = {}
    rounds = ([None] if warmup else []) + list(range(repeat))
    for number in rounds:
        label = "warm-up" if number is None else f"round {number + 1}/{repeat}"
        print(f"bench: {label}", file=sys.stderr, flush=True)
        for case in cases:
            if case.before:
                case.before()
            seconds, cpu, peak, code, tail = _once(case.cmd, cwd, case.env)
            if code not in case.ok:
                print(f"bench: {case.name} failed with exit status {code}:\n{tail}", file=sys.stderr)
            if number is None:
                continue
            run = Run(case.name, seconds, cpu, case.nbytes, peak, code, tail)
            if case.key not in best or seconds < best[case.key].seconds:
                best[case.key] = run
    for case in cases:
        run = best[case.key]
        print(f"  {run.name:<52} {run.seconds:8.3f} s wall {run.cpu:8.3f} s CPU", file=sys.stderr)
    return best


def lint_reports_command() -> list:
    script = Path(sys.executable).with_name("lint-reports")
    return [str(script)] if script.exists() else [sys.executable, "-m", "lint_reports"]


def lint_reports_options(base) -> set:
    """The options the measured CLI has (an older checkout may lack --jobs or --no-cache)."""
    result = subprocess.run(base + ["--help"], capture_output=True, text=True)
    return set(re.findall(r"--[a-z][a-z-]+", result.stdout))


def default_rules_of(base, category: str) -> list:
    """The ids of `category`'s rules that are on by default: `--select punctuation` also
    turns on the category's off-by-default rules (punctuation-halfwidth-all), which is not
    the work autocorrect-py does."""
    import json

    result = subprocess.run(base + ["--list-rules", "--format", "json"], capture_output=True, text=True)
    try:
        rules = json.loads(result.stdout)["rules"]
    except (ValueError, KeyError, TypeError):
        return [category]  # an older checkout: the category as it selects it
    return [rule["id"] for rule in rules if rule.get("category") == category and rule.get("enabled", True)]


def autocorrect_python(install: bool) -> tuple:
    """(python of the bench-only venv with autocorrect-py, None) or (None, why not).
    autocorrect-py is never a dependency of lint-reports: it lives in bench/.venv."""
    python = BENCH_VENV / "bin" / "python"
    probe = [str(python), "-c", "import autocorrect_py"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python, None
    if not install:
        return None, "not installed in bench/.venv (run without --no-install)"
    print("bench: installing autocorrect-py into bench/.venv ...", file=sys.stderr, flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True, capture_output=True)
        pip = subprocess.run([str(python), "-m", "pip", "install", "-q", "autocorrect-py"],
                             capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        return None, f"cannot create bench/.venv: {exc}"
    if pip.returncode != 0:
        last = (pip.stderr.strip().splitlines() or ["pip failed"])[-1]
        return None, f"pip install autocorrect-py failed: {last}"
    if subprocess.run(probe, capture_output=True).returncode != 0:
        return None, "autocorrect-py installed but does not import"
    return python, None


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}")


# ---------------------------------------------------------------- report

def _fmt(value, spec=".2f", none="—") -> str:
    return none if value is None else format(value, spec)


def render(runs: dict, ratios: list, notes: list, when: str, command: str) -> str:
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    lines = [f"Run {when} on {machine()}; commit {commit}; measuring `{command}`.", "",
             "| measurement | MB | wall s | CPU s | MB/s (wall) | MB/s (CPU) | peak RSS MB |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for run in runs.values():
        lines.append(f"| {run.name} | {_fmt(run.nbytes / 1e6 if run.nbytes else None, '.1f')} | "
                     f"{run.seconds:.3f} | {run.cpu:.3f} | {_fmt(run.mb_per_s, '.1f')} | "
                     f"{_fmt(run.mb_per_cpu_s, '.1f')} | {run.peak_mb:.0f} |")
    lines += ["", "| ratio | wall | CPU | target | met (wall unless marked) |", "| --- | ---: | ---: | ---: | :---: |"]
    for label, value, cpu_value, target, met in ratios:
        lines.append(f"| {label} | {_fmt(value)} | {_fmt(cpu_value)} | {target} | "
                     f"{'—' if met is None else ('yes' if met else 'NO')} |")
    if notes:
        lines.append("")
        lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def record(table: str) -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else ""
    block = f"{TABLE_BEGIN}\n{table}{TABLE_END}"
    if TABLE_BEGIN in text and TABLE_END in text:
        head, rest = text.split(TABLE_BEGIN, 1)
        tail = rest.split(TABLE_END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## Latest results\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; each case's best counts (default 3)")
    parser.add_argument("--quick", action="store_true", help="one round, no warm-up, record nothing")
    parser.add_argument("--no-record", action="store_true", help="do not write the table into bench/README.md")
    parser.add_argument("--no-install", action="store_true", help="do not install autocorrect-py into bench/.venv")
    parser.add_argument("--lint", metavar="COMMAND",
                        help="the lint-reports executable to measure (default: this venv's), e.g. another "
                             "checkout's .venv/bin/lint-reports for a before/after comparison; implies --no-record")
    parser.add_argument("--base", metavar="COMMAND",
                        help="an older lint-reports to hold the throughput against (issue 16: at most "
                             f"{TARGET_VS_BASE:.2f}× its time), measured in the same rounds")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else max(1, args.repeat)
    record_table = not (args.quick or args.no_record or args.lint)

    corpus = build_corpus()
    many_bytes, big_bytes = corpus.size(corpus.many), corpus.big.stat().st_size
    many_rel = [str(p.relative_to(CORPUS)) for p in corpus.many]
    big_rel, tiny_rel = str(corpus.big.relative_to(CORPUS)), str(corpus.tiny.relative_to(CORPUS))

    scratch = Path(tempfile.mkdtemp(prefix="lint-reports-bench-"))
    env = dict(os.environ)
    for name in ("NO_COLOR", "PRE_COMMIT", "LINT_REPORTS_PACK_CACHE", "LINT_REPORTS_DEBUG"):
        env.pop(name, None)
    # An installed package has its bytecode compiled; a checkout run with this set would
    # recompile every module on every start and measure that instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # Caches of this run only: the user's are neither read nor touched.
    env["XDG_CACHE_HOME"] = str(scratch / "warm")
    env["LINT_REPORTS_CACHE_DIR"] = str(scratch / "warm" / "results")
    cold_home = scratch / "cold"
    cold_env = dict(env, XDG_CACHE_HOME=str(cold_home), LINT_REPORTS_CACHE_DIR=str(cold_home / "results"))

    def wipe_cold():
        shutil.rmtree(cold_home, ignore_errors=True)

    notes = []
    base = args.lint.split() if args.lint else lint_reports_command()
    options = lint_reports_options(base)
    has_jobs, has_result_cache = "--jobs" in options, "--no-cache" in options
    # The throughput runs lint every file: no result cache, one process.
    uncached = base + (["--no-cache"] if has_result_cache else [])
    one_process = uncached + (["--jobs", "1"] if has_jobs else [])
    findings = (0, 1)

    cases = [
        Case("lint_many", f"lint-reports --jobs 1, {len(corpus.many)} files", one_process + many_rel,
             many_bytes, env, findings),
        Case("lint_big", "lint-reports --jobs 1, 20 MB file", one_process + [big_rel], big_bytes, env, findings),
        # equal work: what autocorrect-py checks, the default punctuation rules alone
        Case("punct_big", "lint-reports, the default punctuation rules alone, 20 MB file",
             one_process + ["--select", ",".join(default_rules_of(base, "punctuation")), big_rel], big_bytes, env,
             findings),
    ]
    if args.base:
        older = args.base.split()
        older_options = lint_reports_options(older)
        older_one = older + (["--no-cache"] if "--no-cache" in older_options else []) + \
            (["--jobs", "1"] if "--jobs" in older_options else [])
        cases += [
            Case("base_many", f"base lint-reports --jobs 1, {len(corpus.many)} files", older_one + many_rel,
                 many_bytes, env, findings),
            Case("base_big", "base lint-reports --jobs 1, 20 MB file", older_one + [big_rel], big_bytes, env,
                 findings),
        ]
    ac_python, why_not = autocorrect_python(not args.no_install)
    if ac_python:
        script = str(BENCH / "autocorrect_lint.py")
        cases += [Case("ac_many", f"autocorrect-py lint, {len(corpus.many)} files",
                       [str(ac_python), script] + many_rel, many_bytes, env),
                  Case("ac_big", "autocorrect-py lint, 20 MB file", [str(ac_python), script, big_rel],
                       big_bytes, env)]
    else:
        notes.append(f"autocorrect-py not measured: {why_not}")
    floor = [sys.executable, str(BENCH / "floor.py")]
    cases += [
        Case("floor_many", f"regex floor, {len(corpus.many)} files", floor + many_rel, many_bytes, env),
        Case("floor_big", "regex floor, 20 MB file", floor + [big_rel], big_bytes, env),
        Case("jieba", "import jieba; jieba.initialize()",
             [sys.executable, "-c", "import jieba; jieba.initialize()"], 0, env),
        Case("tiny", "lint-reports, one clean line (warm caches)", base + [tiny_rel], 0, env),
        Case("tiny_cold", "lint-reports, one clean line (cold: no caches)", base + [tiny_rel], 0,
             cold_env, before=wipe_cold),
    ]
    # The control for --jobs: the same CPU-bound loop twice, in one process and in two. What
    # the machine gives two processes at this moment bounds what --jobs 2 can show.
    burn = "def burn(n):\n    s = 0\n    for i in range(n): s += i\n"
    cases += [
        Case("control1", "control: CPU-bound loop twice, one process",
             [sys.executable, "-c", burn + f"burn({CONTROL_LOOP}); burn({CONTROL_LOOP})"], 0, env),
        Case("control2", "control: CPU-bound loop twice, two processes",
             [sys.executable, "-c", "import multiprocessing\n" + burn +
              f"if __name__ == '__main__':\n    with multiprocessing.Pool(2) as pool: pool.map(burn, [{CONTROL_LOOP}] * 2)"],
             0, env),
    ]
    if has_jobs:
        cases.append(Case("jobs2", f"lint-reports --jobs 2, {len(corpus.many)} files",
                          uncached + ["--jobs", "2"] + many_rel, many_bytes, env, findings))
    else:
        notes.append("--jobs not available in this checkout: scaling not measured")
    if has_result_cache:
        cases.append(Case("many_cached", f"lint-reports, {len(corpus.many)} unchanged files (warm result cache)",
                          base + many_rel, many_bytes, env, findings))

    print(f"bench: corpus {len(corpus.many)} files {many_bytes / 1e6:.1f} MB, big file "
          f"{big_bytes / 1e6:.1f} MB; {repeat} round(s); {' '.join(base)}", file=sys.stderr)
    try:
        if "many_cached" in {c.key for c in cases}:  # fill the result cache first
            _once(base + many_rel, CORPUS, env)
        runs = measure_all(cases, repeat=repeat, cwd=CORPUS, warmup=not args.quick)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    def ratio(a, b, cpu=False):
        if a not in runs or b not in runs:
            return None
        if cpu:
            return runs[a].mb_per_cpu_s / runs[b].mb_per_cpu_s
        return runs[a].mb_per_s / runs[b].mb_per_s

    ratios = []
    for size, label in (("big", "20 MB file"), ("many", f"{len(corpus.many)} files")):
        value = ratio(f"lint_{size}", f"ac_{size}")
        ratios.append((f"lint-reports / autocorrect-py throughput, {label}", value,
                       ratio(f"lint_{size}", f"ac_{size}", cpu=True), f"≥ {TARGET_VS_AUTOCORRECT:g}",
                       None if value is None else value >= TARGET_VS_AUTOCORRECT))
    value = ratio("punct_big", "ac_big")
    ratios.append(("equal work: punctuation rules alone / autocorrect-py throughput, 20 MB file", value,
                   ratio("punct_big", "ac_big", cpu=True), f"≥ {TARGET_EQUAL_WORK:g}",
                   None if value is None else value >= TARGET_EQUAL_WORK))
    for size, label in (("big", "20 MB file"), ("many", f"{len(corpus.many)} files")):
        ratios.append((f"lint-reports / regex floor throughput, {label}", ratio(f"lint_{size}", f"floor_{size}"),
                       ratio(f"lint_{size}", f"floor_{size}", cpu=True), "", None))
    if args.base:
        for size, label in (("many", f"{len(corpus.many)} files"), ("big", "20 MB file")):
            wall = runs[f"lint_{size}"].seconds / runs[f"base_{size}"].seconds
            cpu_ratio = runs[f"lint_{size}"].cpu / runs[f"base_{size}"].cpu
            # judged on CPU: the base and this tree run in the same rounds, but wall time
            # also measures whatever else the machine runs
            ratios.append((f"time against the base, {label}", wall, cpu_ratio, f"≤ {TARGET_VS_BASE:.2f} (CPU)",
                           cpu_ratio <= TARGET_VS_BASE))
    for key, label in (("tiny", "warm"), ("tiny_cold", "cold")):
        value = runs[key].seconds / runs["jieba"].seconds
        ratios.append((f"one clean line ({label}) / jieba initialisation, time", value,
                       runs[key].cpu / runs["jieba"].cpu, f"≤ {TARGET_TINY_VS_JIEBA[key]:g}",
                       value <= TARGET_TINY_VS_JIEBA[key]))
    control = runs["control1"].seconds / runs["control2"].seconds
    ratios.append(("control: what two processes get on this machine now (CPU-bound loop)", control, None,
                   "2 on an idle machine", None))
    if "jobs2" in runs:
        scaling = runs["lint_many"].seconds / runs["jobs2"].seconds
        judged = control >= JOBS_CONTROL_NEEDED
        ratios.append((f"--jobs 2 speed-up over --jobs 1, {len(corpus.many)} files", scaling, None,
                       f"≥ {TARGET_JOBS_SCALING:g} (control ≥ {JOBS_CONTROL_NEEDED:g})",
                       scaling >= TARGET_JOBS_SCALING if judged else None))
        if not judged:
            notes.append(f"the machine gave two processes only {control:.2f}× one (other load): the "
                         "--jobs 2 target cannot be judged in this run")
    if "many_cached" in runs:
        ratios.append((f"warm result cache speed-up, {len(corpus.many)} unchanged files",
                       runs["lint_many"].seconds / runs["many_cached"].seconds, None, "", None))
    budget = MEMORY_FACTOR * big_bytes / 1e6 + MEMORY_EXTRA_MB
    peak = runs["lint_big"].peak_mb
    ratios.append(("peak memory on the 20 MB file / budget (3× file + 60 MB)", peak / budget, None,
                   "≤ 1", peak <= budget))
    try:
        load = os.getloadavg()[0]
        notes.append(f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs "
                     "(wall times are only comparable on a quiet machine; CPU times less affected)")
    except OSError:
        pass
    outputs = {}
    for key in ("lint_many", "jobs2", "many_cached", "lint_big"):
        if key in runs:
            outputs[key] = runs[key].output.strip().splitlines()[-1:] or ["(no output)"]
            notes.append(f"{runs[key].name}: exit {runs[key].returncode}, `{outputs[key][0]}`")
    if len({tuple(outputs[k]) for k in ("lint_many", "jobs2", "many_cached") if k in outputs}) > 1:
        notes.append("WARNING: the runs over the same files disagree on the summary line")

    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    shown = " ".join(os.path.relpath(part, ROOT) if part.startswith(str(ROOT) + os.sep) else part for part in base)
    table = render(runs, ratios, notes, when, shown)
    print()
    print(table)
    if record_table:
        record(table)
        print(f"bench: table recorded in {README.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
