"""Run each rule on each document within a time budget, and survive a rule that crashes.

A user's rule pack can hold a pattern such as `(a+)+$` that backtracks for minutes on one
unlucky line. CPython's regex engine checks for signals while it matches, so a one-shot
SIGALRM timer (setitimer) in the main thread interrupts even a runaway `re` match. The rule
is then stopped, reported once as a warning naming its pack and id, and skipped for the rest
of the run, so a pre-commit hook never hangs. Where no such timer is available (Windows, a
worker thread, or a timer already set by someone else) rules simply run unbounded.

The rules of one file also share a budget (FILE_BUDGET_FACTOR times a rule's base budget,
plus FILE_SECONDS_PER_MILLION_CHARS per million characters: a minute, plus 20 s per million
characters, by default): a document on which every rule runs just under its own budget
cannot hold a run for hours. Once it is used up, the rule running is stopped and the rules
after it are not run on that file, with one warning; the file's findings so far are
reported, and it is not cached, so the next run tries again. The steps between rules
(decoding, suppressions, anchors) are linear in the size of the file and its findings.

A document's findings are capped too (MAX_FINDINGS): a 60 MB line built to hold a finding
every few characters would otherwise keep millions of them, and memory grows with their
number. Past the cap the rule running is stopped and the rules after it are not run on that
file, with one warning; the file is not cached.

A rule that raises is a bug: its findings for that file are lost, which is an error (exit 2),
reported in one line; the other rules and files are still checked.
"""
from __future__ import annotations

import itertools
import signal
import threading
import time
import traceback
import weakref
from contextlib import contextmanager, nullcontext
from typing import Optional

# Seconds a rule may take on one document: a base, plus time in proportion to its size
# (the slowest built-in rules need well under a second per million characters).
DEFAULT_SECONDS = 10.0
SECONDS_PER_MILLION_CHARS = 10.0
LONGEST_TIMER = 365 * 24 * 3600.0  # a longer budget is no budget (and overflows setitimer)
FILE_BUDGET_FACTOR = 6.0  # all the rules of one file: six rules' worth of base budget ...
FILE_SECONDS_PER_MILLION_CHARS = 20.0  # ... plus this (the default rules need well under 1 s)


class RuleTimeout(BaseException):
    """Raised by the timer inside a rule's check. A BaseException so that a rule's own
    `except Exception` cannot swallow it."""


def can_interrupt() -> bool:
    """True where a one-shot SIGALRM timer can bound a rule: POSIX, main thread, and no
    other ITIMER_REAL running (we must not cancel someone else's timer)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


class _Alarm:
    armed = False  # True while a time-limited call runs
    excused = 0.0  # seconds spent untimed() so far (not counted against a file's budget)


def _on_alarm(signum, frame):
    """Raise RuleTimeout in the call that is over its time; ignore an alarm that arrives
    just after the call ended."""
    if _Alarm.armed:
        _Alarm.armed = False
        raise RuleTimeout()


@contextmanager
def alarm_session():
    """Install the SIGALRM handler once for a batch of time-limited calls (one document's
    rules: installing it costs more than the timer itself), and restore the previous one."""
    if signal.getsignal(signal.SIGALRM) is _on_alarm or not can_interrupt():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        yield
    finally:
        _Alarm.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def bounded(seconds) -> bool:
    """Whether `seconds` is a limit a timer can hold: positive and finite. 0, `inf` and
    anything beyond LONGEST_TIMER (`--rule-timeout 1e308`, which the timer cannot even
    represent) mean no limit."""
    return bool(seconds) and 0 < seconds <= LONGEST_TIMER


@contextmanager
def time_limit(seconds: float):
    """Raise RuleTimeout in the body if it runs longer than `seconds` (0 or inf: no limit)."""
    if not bounded(seconds):
        yield
        return
    if signal.getsignal(signal.SIGALRM) is not _on_alarm:  # outside a session
        if not can_interrupt():
            yield
            return
        with alarm_session(), time_limit(seconds):
            yield
        return
    try:
        _Alarm.armed = True
        signal.setitimer(signal.ITIMER_REAL, seconds)  # one shot: fires at most once
        yield
    finally:
        _Alarm.armed = False  # an alarm from here on is ignored by the handler
        signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def untimed():
    """Stop the clock of the running rule for one-time set-up work done on its behalf
    (building a cache on the very first run): that is not the rule's own time, and on a
    slow machine it could otherwise use up the budget and lose the rule's findings."""
    started = time.monotonic()
    if not _Alarm.armed:
        try:
            yield
        finally:
            _Alarm.excused += time.monotonic() - started
        return
    remaining, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    _Alarm.armed = False
    try:
        yield
    finally:
        _Alarm.excused += time.monotonic() - started
        _Alarm.armed = True
        signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001))


class _FileClock:
    """The time the rules of one document have left together. Set-up done `untimed()` on a
    rule's behalf (building a cache) does not count against it either."""

    def __init__(self, doc, limit: float):
        self.doc = weakref.ref(doc)  # (not the document itself: a big one must not outlive its run)
        self.limit = limit
        self.deadline = time.monotonic() + limit if bounded(limit) else None
        self.excused = _Alarm.excused
        self.warned = False

    def remaining(self):
        if self.deadline is None:
            return None
        return self.deadline + (_Alarm.excused - self.excused) - time.monotonic()


class RuleGuard:
    """Runs `check(ctx, rule)` for the Linter (ctx: a core.context.RuleContext); collects one-line warnings and errors for the
    runner to print (`take()`)."""

    def __init__(self, seconds: float = DEFAULT_SECONDS, debug: bool = False):
        self.seconds = seconds
        self.debug = debug
        self.stopped: set = set()  # rule ids that ran out of time: skipped from then on
        self.warnings: list = []
        self.errors: list = []
        self.traces: list = []  # full tracebacks of crashes, shown with --debug
        self._file = None  # the _FileClock of the document being checked

    @contextmanager
    def session(self):
        """Around one document's rules (see alarm_session); its rules share a file budget."""
        self._file = None
        try:
            with alarm_session() if bounded(self.seconds) else nullcontext():
                yield
        finally:
            self._file = None

    def budget(self, doc) -> float:
        if not bounded(self.seconds):
            return 0
        return self.seconds + SECONDS_PER_MILLION_CHARS * len(doc.text) / 1_000_000

    def file_budget(self, doc) -> float:
        """Seconds all the rules of `doc` may take together (0: no limit)."""
        if not bounded(self.seconds):
            return 0
        return FILE_BUDGET_FACTOR * self.seconds + FILE_SECONDS_PER_MILLION_CHARS * len(doc.text) / 1_000_000

    def _file_remaining(self, doc):
        """Seconds left of `doc`'s file budget (None: no limit). The clock starts at the
        document's first rule; a new document (or session) starts a new one."""
        file = self._file
        if file is None or file.doc() is not doc:
            file = self._file = _FileClock(doc, self.file_budget(doc))
        return file.remaining()

    def run(self, check, ctx, rule, most: Optional[int] = None) -> list:
        """The findings of `check(ctx, rule)`; at most `most` + 1 of them are kept (a rule
        that yields its findings one by one stops there), so the caller can tell it had more."""
        doc = ctx.doc
        if rule.id in self.stopped:
            return []
        remaining = self._file_remaining(doc)
        if remaining is not None and remaining <= 0:
            return self._file_used_up(doc, rule)
        budget = self.budget(doc)
        limit = budget if remaining is None or not budget else min(budget, remaining)
        try:
            with time_limit(limit):
                found = check(ctx, rule)
                return list(found if most is None else itertools.islice(found, most + 1))
        except RuleTimeout:
            remaining = self._file_remaining(doc)
            if remaining is not None and remaining <= 0.001 and limit < budget:
                return self._file_used_up(doc, rule)  # the file's time is up, not this rule's
            self.stopped.add(rule.id)
            self.warnings.append(
                f"{doc.path}: rule '{rule.id}' from pack {rule.pack} took longer than {budget:.0f} s "
                f"and was stopped; it is skipped for the rest of this run (a pattern that backtracks "
                f"too much? see --rule-timeout)")
            return []
        except Exception as exc:  # noqa: BLE001 - a bug in one rule must not stop the run
            self.errors.append(
                f"{doc.path}: internal error in rule '{rule.id}': {type(exc).__name__}: {exc} — "
                f"please report it (run again with --debug for the trace)")
            self.traces.append("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
            if self.debug:
                raise
            return []

    def too_many_findings(self, doc, rule, most: int) -> None:
        """`doc` has more than `most` findings: those are kept, `rule` and the rules after it
        stop there (one warning, and the file is not cached)."""
        self.warnings.append(
            f"{doc.path}: more than {most:,} findings, not a report any more; the first {most:,} are reported, "
            f"and rule '{rule.id}' and the ones after it were stopped there")

    def _file_used_up(self, doc, rule) -> list:
        """Skip `rule` (and, silently, the rules after it) on this file: one warning."""
        file = self._file
        if not file.warned:
            file.warned = True
            self.warnings.append(
                f"{doc.path}: its rules took longer than {file.limit:.0f} s together (the budget of one file) and "
                f"were stopped at rule '{rule.id}'; that rule and the ones after it were not run on this "
                f"file (see --rule-timeout)")
        return []

    def take(self) -> tuple:
        """(warnings, errors) collected since the last call."""
        warnings, errors = self.warnings, self.errors
        self.warnings, self.errors = [], []
        return warnings, errors
