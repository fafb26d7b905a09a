"""A one-line progress indicator on stderr for long runs at a terminal.

Silent unless stderr is a terminal, and silent in CI (`CI` set) and under pre-commit
(`PRE_COMMIT` set: pre-commit may give hooks a pseudo-terminal for colours).

Every phase of a long run draws it, not only the linting: a run of a few thousand files
spends seconds before the first file is linted (walking the tree, reading each file to look
it up in the cache, starting the worker processes, which then lint a chunk of files before
the first result comes back) and seconds after the last (writing the cache entries):

    lint-reports: looking for files (1200 found)
    lint-reports: 800/2800 files (reading 1200/2800 for the cache)
    lint-reports: 800/2800 files (linting in 2 processes)
    lint-reports: 1200/2800 files
    lint-reports: 2800/2800 files (saving results 1200/2800)

The count shows as soon as the files are known (before any worker has started); the walk
shows once it has lasted SHOW_AFTER. A run of fewer than SHOW_FROM files draws nothing."""
from __future__ import annotations

import os
import sys
import time

SHOW_FROM = 20  # files; shorter runs finish before a counter is worth reading
SHOW_AFTER = 0.3  # seconds of walking before "looking for files" is worth drawing
INTERVAL = 0.1  # seconds between redraws


def wanted(stream=None) -> bool:
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("PRE_COMMIT"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    def __init__(self, stream=None, enabled=None):
        self.stream = stream or sys.stderr
        self.enabled = wanted(self.stream) if enabled is None else enabled
        self.total = self.done = 0
        self.shown = False
        self.last = 0.0
        self.began = time.monotonic()

    # --- the phases, in the order a run goes through them ---

    def searching(self, found: int) -> None:
        """The walk has found `found` files so far (the total is not known yet)."""
        if self.enabled and time.monotonic() - self.began >= SHOW_AFTER:
            self._draw(f"looking for files ({found} found)")

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        if total < SHOW_FROM:
            self.finish()  # a "looking for files" line from a slow walk goes
            self.enabled = False
            return
        self._draw(self._count(), now=True)  # at once: workers take a moment to start

    def checking(self, read: int) -> None:
        """`read` files read and looked up in the cache (hits also `advance`)."""
        self._draw(f"{self._count()} (reading {read}/{self.total} for the cache)")

    def linting(self, workers: int) -> None:
        """The files not answered from the cache go to `workers` processes, each of which
        lints a chunk of files before the first result comes back."""
        processes = f" (linting in {workers} processes)" if workers > 1 else ""
        self._draw(self._count() + processes, now=True)

    def advance(self) -> None:
        self.done += 1
        self._draw(self._count(), now=self.done == self.total)

    def saving(self, saved: int, total: int) -> None:
        """`saved` of `total` results written to the cache, after the last file was linted."""
        self._draw(f"{self._count()} (saving results {saved}/{total})")

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False

    # ---

    def _count(self) -> str:
        return f"{self.done}/{self.total} files"

    def _draw(self, text: str, now: bool = False) -> None:
        if not self.enabled:
            return
        moment = time.monotonic()
        if not now and moment - self.last < INTERVAL:
            return
        self.last = moment
        line = f"lint-reports: {text}"
        try:  # a line wider than the terminal would wrap, and \r would redraw only its end
            width = os.get_terminal_size(self.stream.fileno()).columns
            if width > 20:  # 0: a terminal that does not say
                line = line[:width - 1]
        except (AttributeError, ValueError, OSError):
            pass
        self.stream.write(f"\r{line}\033[K")
        self.stream.flush()
        self.shown = True
