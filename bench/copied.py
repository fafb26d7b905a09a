"""The passage index of copied-from-report at scale: 10 000 generated reports (~2 KB each,
some paragraphs shared between pairs of years), index build and check time, and memory.

    .venv/bin/python bench/copied.py              # 10 000 reports; numbers go to docs/perf.md by hand
    .venv/bin/python bench/copied.py --reports 1000 --jobs 2

What is measured, each in this one process on one machine (the machine is shared: compare
the ratios between lines, not the absolute seconds):
  records   the PASSAGES pass of the runner (read, decode, split, normalise, hash every file)
            with --jobs N workers, no cache
  index     PassageIndex.add for every record, then hits() for every file (the check)
  warm      the same pass with every record answered from the result cache
  changed   one file edited: only it is read again, the rest come from the cache
  memory    peak RSS of this process, and the index's own size (tracemalloc)
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lint_reports.core import passages, runner  # noqa: E402
from lint_reports.kinds import copied  # noqa: E402
from lint_reports.speed.result_cache import Cache  # noqa: E402
from lint_reports.config.settings import Config  # noqa: E402
from lint_reports.core.engine import Linter  # noqa: E402
from lint_reports.io.walk import collect  # noqa: E402

WORDS = ("推进", "完善", "加强", "落实", "建设", "服务", "管理", "机制", "群众", "基层", "项目", "产业", "乡村",
         "治理", "安全", "生态", "改革", "民生", "教育", "医疗", "交通", "文化", "社区", "企业", "就业", "保障")


def _sentence(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(15, 22))) + f"{rng.randint(1, 999)}项。"


def generate(directory: Path, count: int, seed: int = 19) -> None:
    """`count` reports of about 2 KB; every tenth shares a paragraph with the report before it."""
    rng = random.Random(seed)
    previous = ""
    for number in range(count):
        paragraphs = ["".join(_sentence(rng) for _ in range(5)) for _ in range(4)]
        if number % 10 == 1 and previous:
            paragraphs[1] = previous
        previous = paragraphs[2]
        year = 2000 + number % 25
        text = f"{year}年第{number}号工作总结\n现将有关情况汇报如下：\n" + "\n".join(paragraphs) + "\n"
        (directory / f"report_{number:05d}.txt").write_text(text, encoding="utf-8")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="lint-reports-copied-"))
    try:
        reports = scratch / "reports"
        reports.mkdir()
        generate(reports, args.reports)
        size = sum(p.stat().st_size for p in reports.iterdir())
        config = Config()
        linter = Linter(config, select=["copied"])
        targets, _ = collect([str(reports)], config)
        print(f"{len(targets)} reports, {size / 1e6:.1f} MB, --jobs {args.jobs}")

        started = time.perf_counter()
        hits = _hits(linter, targets, None, args.jobs)
        print(f"records+index+check, no cache: {time.perf_counter() - started:6.2f} s "
              f"({sum(map(len, hits.values()))} copied sentences in {len(hits)} files)")

        records = _records(linter, targets)
        tracemalloc.start()
        started = time.perf_counter()
        index = passages.PassageIndex()
        for display, record in records:
            index.add(display, record)
        built = time.perf_counter() - started
        index_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        started = time.perf_counter()
        found = sum(len(index.hits(display, 3)) for display, _ in records)
        checked = time.perf_counter() - started
        print(f"index build: {built:6.3f} s, check (hits of every file): {checked:6.3f} s, "
              f"{found} hits, {len(index.places)} distinct sentences, index {index_bytes / 1e6:.0f} MB")

        cache = Cache.open(linter, scratch / "cache")
        _hits(linter, targets, cache, args.jobs)  # fills the cache
        started = time.perf_counter()
        _hits(linter, targets, Cache.open(linter, scratch / "cache"), args.jobs)
        print(f"warm cache (every record cached): {time.perf_counter() - started:6.2f} s")
        edited = targets[len(targets) // 2].path
        Path(edited).write_text(Path(edited).read_text(encoding="utf-8") + "新增一段本年度新写的文字内容共计三十个字以上用于测试。\n",
                                encoding="utf-8")
        started = time.perf_counter()
        _hits(linter, targets, Cache.open(linter, scratch / "cache"), args.jobs)
        print(f"one file changed: {time.perf_counter() - started:6.2f} s")
        print(f"peak RSS of this process: {_rss_mb():.0f} MB")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def _hits(linter, targets, cache, jobs: int) -> dict:
    """The runner's passage pass (records, index, hits) with its own workers."""
    workers = runner.Workers(linter, jobs)
    try:
        return runner.passage_pass(linter, targets, cache, workers).hits
    finally:
        workers.close()


def _records(linter, targets) -> list:
    rule = copied.report_rule(linter)
    found = []
    for target in targets:
        doc = runner.load_document(target.display, Path(target.path).read_bytes())
        found.append((target.display, copied.record(linter, doc, target.rel, rule)))
    return found


if __name__ == "__main__":
    sys.exit(main())
