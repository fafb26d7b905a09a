"""A one-line progress indicator on stderr for long runs at a terminal.

Silent unless stderr is a terminal, and silent in CI (`CI` set) and under pre-commit
(`PRE_COMMIT` set: pre-commit may give hooks a pseudo-terminal for colours)."""
from __future__ import annotations

import os
import sys
import time

SHOW_FROM = 20  # files; shorter runs finish before a counter is worth reading
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

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        if total < SHOW_FROM:
            self.enabled = False

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < INTERVAL and self.done < self.total:
            return
        self.last = now
        self.stream.write(f"\rlint-reports: {self.done}/{self.total} files")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
