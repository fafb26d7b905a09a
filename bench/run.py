"""lint-reports benchmark: builds its corpus, runs every contender in one go, prints MB/s
and the ratios the performance targets are stated in, and records the table in
bench/README.md.

    .venv/bin/python bench/run.py            # full run, records the table
    .venv/bin/python bench/run.py --quick    # one repetition each, records nothing

Every measurement is a whole process (interpreter start included), timed wall-clock, best
of --repeat runs after one warm-up; peak memory is that process's own ru_maxrss (wait4).
Ratios, not absolute times, are what to compare: the machines are shared and noisy.
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
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CORPUS = BENCH / "corpus"
SEEDS = ROOT / "seeds"
BENCH_VENV = BENCH / ".venv"
README = BENCH / "README.md"
TABLE_BEGIN, TABLE_END = "<!-- bench-table:begin -->", "<!-- bench-table:end -->"

CORPUS_VERSION = "1"  # bump when the way the corpus is built changes
MANY_FILES = 200
BIG_BYTES = 20_000_000
TINY_TEXT = "本单位各项工作运行正常。\n"

# Targets from issue 7.
TARGET_VS_AUTOCORRECT = 5.0
TARGET_TINY_VS_JIEBA = 0.3
TARGET_JOBS_SCALING = 1.7
MEMORY_FACTOR, MEMORY_EXTRA_MB = 3, 60


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
    if stamp_file.exists() and stamp_file.read_text() == stamp and all(p.exists() for p in many + [big, tiny]):
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


def measure(name, cmd, nbytes, *, repeat, cwd, env, ok=(0,), warmup=True) -> Run:
    if warmup:
        _once(cmd, cwd, env)
    best = None
    for _ in range(repeat):
        seconds, cpu, peak, code, tail = _once(cmd, cwd, env)
        if code not in ok:
            print(f"bench: {name} failed with exit status {code}:\n{tail}", file=sys.stderr)
        if best is None or seconds < best.seconds:
            best = Run(name, seconds, cpu, nbytes, peak, code, tail)
    print(f"  {name:<40} {best.seconds:8.3f} s wall {best.cpu:8.3f} s CPU", file=sys.stderr, flush=True)
    return best


def lint_reports_command() -> list:
    script = Path(sys.executable).with_name("lint-reports")
    return [str(script)] if script.exists() else [sys.executable, "-m", "lint_reports"]


def lint_reports_options(base) -> set:
    """The options this checkout's CLI has (--jobs and --no-cache arrive from other branches)."""
    result = subprocess.run(base + ["--help"], capture_output=True, text=True)
    return set(re.findall(r"--[a-z][a-z-]+", result.stdout))


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


def render(runs: dict, ratios: list, notes: list, when: str) -> str:
    lines = [f"Run {when} on {machine()}.", "",
             "| measurement | MB | wall s | CPU s | MB/s (wall) | MB/s (CPU) | peak RSS MB |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for run in runs.values():
        lines.append(f"| {run.name} | {_fmt(run.nbytes / 1e6 if run.nbytes else None, '.1f')} | "
                     f"{run.seconds:.3f} | {run.cpu:.3f} | {_fmt(run.mb_per_s, '.1f')} | "
                     f"{_fmt(run.mb_per_cpu_s, '.1f')} | {run.peak_mb:.0f} |")
    lines += ["", "| ratio | wall | CPU | target | met (wall) |", "| --- | ---: | ---: | ---: | :---: |"]
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
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measurement; the best counts (default 3)")
    parser.add_argument("--quick", action="store_true", help="one timed run each, no warm-up, record nothing")
    parser.add_argument("--no-record", action="store_true", help="do not write the table into bench/README.md")
    parser.add_argument("--no-install", action="store_true", help="do not install autocorrect-py into bench/.venv")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else max(1, args.repeat)
    warmup = not args.quick

    corpus = build_corpus()
    many_bytes, big_bytes = corpus.size(corpus.many), corpus.big.stat().st_size
    many_rel = [str(p.relative_to(CORPUS)) for p in corpus.many]
    big_rel, tiny_rel = str(corpus.big.relative_to(CORPUS)), str(corpus.tiny.relative_to(CORPUS))

    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    # An installed package has its bytecode compiled; a checkout run with this set would
    # recompile every module on every start and measure that instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    notes = []
    base = lint_reports_command()
    options = lint_reports_options(base)
    lint = list(base)
    result_cache = None
    if "--no-cache" in options:
        lint.append("--no-cache")
    else:  # whatever result cache there is must start empty on every run
        result_cache = tempfile.mkdtemp(prefix="bench-results-")
        env["LINT_REPORTS_CACHE_DIR"] = result_cache
    has_jobs = "--jobs" in options
    one_process = lint + (["--jobs", "1"] if has_jobs else [])
    findings_ok = (0, 1)
    common = dict(repeat=repeat, cwd=CORPUS, env=env, warmup=warmup)

    print(f"bench: corpus {len(corpus.many)} files {many_bytes / 1e6:.1f} MB, big file "
          f"{big_bytes / 1e6:.1f} MB; {repeat} timed run(s) each", file=sys.stderr)
    runs = {}
    runs["lint_many"] = measure(f"lint-reports, {len(corpus.many)} files", one_process + many_rel,
                                many_bytes, ok=findings_ok, **common)
    runs["lint_big"] = measure("lint-reports, 20 MB file", one_process + [big_rel], big_bytes,
                               ok=findings_ok, **common)
    ac_python, why_not = autocorrect_python(not args.no_install)
    if ac_python:
        script = str(BENCH / "autocorrect_lint.py")
        runs["ac_many"] = measure(f"autocorrect-py lint, {len(corpus.many)} files",
                                  [str(ac_python), script] + many_rel, many_bytes, **common)
        runs["ac_big"] = measure("autocorrect-py lint, 20 MB file", [str(ac_python), script, big_rel],
                                 big_bytes, **common)
    else:
        notes.append(f"autocorrect-py not measured: {why_not}")
    floor = [sys.executable, str(BENCH / "floor.py")]
    runs["floor_many"] = measure(f"regex floor, {len(corpus.many)} files", floor + many_rel, many_bytes, **common)
    runs["floor_big"] = measure("regex floor, 20 MB file", floor + [big_rel], big_bytes, **common)
    runs["jieba"] = measure("import jieba; jieba.initialize()",
                            [sys.executable, "-c", "import jieba; jieba.initialize()"], 0, **common)
    runs["tiny"] = measure("lint-reports, one clean line", one_process + [tiny_rel], 0, **common)
    if has_jobs:
        runs["jobs2"] = measure(f"lint-reports --jobs 2, {len(corpus.many)} files",
                                lint + ["--jobs", "2"] + many_rel, many_bytes, ok=findings_ok, **common)
    else:
        notes.append("--jobs not available in this checkout: scaling not measured")
    if result_cache:
        shutil.rmtree(result_cache, ignore_errors=True)

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
                       ratio(f"lint_{size}", f"ac_{size}", cpu=True),
                       f"≥ {TARGET_VS_AUTOCORRECT:g}" if size == "big" else "",
                       None if value is None or size != "big" else value >= TARGET_VS_AUTOCORRECT))
    for size, label in (("big", "20 MB file"), ("many", f"{len(corpus.many)} files")):
        ratios.append((f"lint-reports / regex floor throughput, {label}", ratio(f"lint_{size}", f"floor_{size}"),
                       ratio(f"lint_{size}", f"floor_{size}", cpu=True), "", None))
    tiny_vs_jieba = runs["tiny"].seconds / runs["jieba"].seconds
    ratios.append(("one clean line / jieba initialisation, time", tiny_vs_jieba,
                   runs["tiny"].cpu / runs["jieba"].cpu,
                   f"≤ {TARGET_TINY_VS_JIEBA:g}", tiny_vs_jieba <= TARGET_TINY_VS_JIEBA))
    if has_jobs:
        scaling = runs["lint_many"].seconds / runs["jobs2"].seconds
        ratios.append(("--jobs 2 speed-up over --jobs 1", scaling, None, f"≥ {TARGET_JOBS_SCALING:g}",
                       scaling >= TARGET_JOBS_SCALING))
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
    for key in ("lint_many", "lint_big", "jobs2"):
        if key in runs:
            summary = runs[key].output.strip().splitlines()[-1:] or ["(no output)"]
            notes.append(f"{runs[key].name}: exit {runs[key].returncode}, `{summary[0]}`")

    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    table = render(runs, ratios, notes, when)
    print()
    print(table)
    if not (args.quick or args.no_record):
        record(table)
        print(f"bench: table recorded in {README.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
