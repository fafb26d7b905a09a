"""Regular expressions compiled the first time they are used, not when their module loads.

The kinds keep a few hundred module-level regexes; compiling all of them at import was most of
the start-up of a run over one small file, which uses a few dozen. `lazy_compile(pattern,
flags)` returns a stand-in that compiles on its first use and from then on hands out the
compiled pattern's own methods (`search`, `finditer`, …: bound C methods kept on the
instance, so a hot loop pays no extra call). `.pattern` is there from the start, for
modules that build one regex from another's source.

    WORD = lazy_compile(r"[\\u3400-\\u9fff]+")   # nothing compiled yet
    WORD.findall("二〇二四年工作总结")              # compiled here, once

Only for patterns written in the code: a user's pattern is compiled when its pack is
prepared, so that a bad one is an error naming the pack and the rule.
"""
from __future__ import annotations

import re

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
            "scanner", "groupindex", "groups", "flags")


class LazyPattern:
    """A stand-in for `re.compile(pattern, flags)` that compiles on first use."""

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self._flags = flags

    @property
    def compiled(self) -> "re.Pattern":
        compiled = re.compile(self.pattern, self._flags)
        for name in _METHODS:  # found on the instance from now on, without __getattr__
            setattr(self, name, getattr(compiled, name))
        return compiled

    def __getattr__(self, name: str):
        if name.startswith("__") or name not in _METHODS:
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __reduce__(self):  # pickled as its source, compiled again where it is used
        return (LazyPattern, (self.pattern, self._flags))

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
