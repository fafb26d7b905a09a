"""What the command line adds to the config for a whole run, as one object: a worker process
builds its Linter from it, and it is part of the key of the result cache (so a run with
other options never reuses another's findings)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class LintOptions:
    select: tuple = ()  # --select: only these rule ids or categories
    ignore: tuple = ()  # --ignore
    year: Optional[int] = None  # --year: the year the reports speak from
    enable: tuple = ()  # rules turned on in addition (off-by-default ones: unused-suppression)

    @classmethod
    def of(cls, select=None, ignore=None, year=None, enable=None) -> "LintOptions":
        return cls(tuple(select or ()), tuple(ignore or ()), year, tuple(enable or ()))

    def key(self) -> dict:
        """Plain data for a cache key."""
        return {name: list(value) if isinstance(value, tuple) else value
                for name, value in sorted(dataclasses.asdict(self).items())}
