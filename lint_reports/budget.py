"""Run each rule on each document within a time budget, and survive a rule that crashes.

A user's rule pack can hold a pattern such as `(a+)+$` that backtracks for minutes on one
unlucky line. CPython's regex engine checks for signals while it matches, so a one-shot
SIGALRM timer (setitimer) in the main thread interrupts even a runaway `re` match. The rule
is then stopped, reported once as a warning naming its pack and id, and skipped for the rest
of the run, so a pre-commit hook never hangs. Where no such timer is available (Windows, a
worker thread, or a timer already set by someone else) rules simply run unbounded.

A rule that raises is a bug: its findings for that file are lost, which is an error (exit 2),
reported in one line; the other rules and files are still checked.
"""
from __future__ import annotations

import signal
import threading
import traceback
from contextlib import contextmanager, nullcontext

# Seconds a rule may take on one document: a base, plus time in proportion to its size
# (the slowest built-in rules need well under a second per million characters).
DEFAULT_SECONDS = 10.0
SECONDS_PER_MILLION_CHARS = 10.0


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


@contextmanager
def time_limit(seconds: float):
    """Raise RuleTimeout in the body if it runs longer than `seconds` (0: no limit)."""
    if not seconds or seconds <= 0:
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
    if not _Alarm.armed:
        yield
        return
    remaining, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    _Alarm.armed = False
    try:
        yield
    finally:
        _Alarm.armed = True
        signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001))


class RuleGuard:
    """Runs `check(doc, rule)` for the Linter; collects one-line warnings and errors for the
    runner to print (`take()`)."""

    def __init__(self, seconds: float = DEFAULT_SECONDS, debug: bool = False):
        self.seconds = seconds
        self.debug = debug
        self.stopped: set = set()  # rule ids that ran out of time: skipped from then on
        self.warnings: list = []
        self.errors: list = []
        self.traces: list = []  # full tracebacks of crashes, shown with --debug

    def session(self):
        """Around one document's rules (see alarm_session)."""
        return alarm_session() if self.seconds and self.seconds > 0 else nullcontext()

    def budget(self, doc) -> float:
        if not self.seconds or self.seconds <= 0:
            return 0
        return self.seconds + SECONDS_PER_MILLION_CHARS * len(doc.text) / 1_000_000

    def run(self, check, doc, rule) -> list:
        if rule.id in self.stopped:
            return []
        budget = self.budget(doc)
        try:
            with time_limit(budget):
                return list(check(doc, rule))
        except RuleTimeout:
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

    def take(self) -> tuple:
        """(warnings, errors) collected since the last call."""
        warnings, errors = self.warnings, self.errors
        self.warnings, self.errors = [], []
        return warnings, errors
