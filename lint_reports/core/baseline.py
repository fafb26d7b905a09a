"""Baselines: adopt the linter on a repository full of old reports without fixing them first.

`--write-baseline FILE` records today's findings; `--baseline FILE` then reports only the
findings that are not in it. A finding is matched by its Anchor — rule, path and the flagged
text with a few characters around it — never by line number, so inserting lines above an old
finding does not make it new. Identical anchors are matched by count: a baseline with two
`**县` in a sentence lets two through, and the third is new.

The file is JSON in a stable order (sorted by path, rule, text), so it diffs well in review:

    {"tool": "lint-reports", "version": 1, "findings": [
      {"path": "reports/2023.md", "rule": "placeholder-stars", "text": "**县",
       "before": "根据", "after": "人民政府", "count": 1}, ...]}
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
from collections import Counter
from pathlib import Path

from ..io import safeio
from .fingerprint import Anchor, anchor_of

FORMAT_VERSION = 1
# About 200 bytes a finding: a third of a million old findings. Also what keeps
# `--baseline /dev/zero`-like mistakes from reading without end (devices are refused too).
MAX_BYTES = 64 * safeio.MB
_FIELDS = ("rule", "path", "text", "before", "after")


class BaselineError(Exception):
    """A baseline that cannot be used; the message names the file."""


def _anchors(findings) -> list:
    anchors = [anchor_of(f) for f in findings]
    if None in anchors:  # the engine anchors every finding; anything else is a bug worth hearing about
        missing = findings[anchors.index(None)]
        raise ValueError(f"finding without anchor: {missing.path}:{missing.line} {missing.rule}")
    return anchors


def dumps(findings) -> str:
    counts = Counter(_anchors(findings))
    entries = [{"path": a.path, "rule": a.rule, "text": a.text, "before": a.before, "after": a.after,
                "count": n} for a, n in counts.items()]
    entries.sort(key=lambda e: (e["path"], e["rule"], e["text"], e["before"], e["after"]))
    document = {"tool": "lint-reports", "version": FORMAT_VERSION, "findings": entries}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


def write(path: Path, findings) -> int:
    """Write the baseline atomically (a crash never leaves half a file); returns the count.
    Only a regular file (or a new one) is replaced, through a symbolic link if it is one:
    `--write-baseline /dev/null` must not replace the device with a file, and a linked
    baseline stays linked."""
    text = dumps(findings)
    real = Path(os.path.realpath(path))
    temp = None
    try:
        safeio.regular_or_missing(real)
        try:
            mode = stat.S_IMODE(os.stat(real).st_mode)  # a baseline replaced keeps its mode
        except FileNotFoundError:
            mode = 0o666 & ~_umask()  # a new one gets what any new file would
        handle, temp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, mode)  # (mkstemp makes it 0600)
        os.replace(temp, real)
    except OSError as exc:
        if temp is not None:
            try:
                os.unlink(temp)  # ours: made by mkstemp just above
            except OSError:
                pass
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(findings)


def load(path: Path) -> Counter:
    """Anchor -> how many findings with it are known."""
    try:
        text = safeio.read_text(path, MAX_BYTES)
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline not found (create it with --write-baseline {path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise BaselineError(f"{path}: cannot read baseline: {reason}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: baseline is not valid JSON: {exc.msg}") from None
    except RecursionError:  # thousands of nested arrays: not a baseline, never an internal error
        raise BaselineError(f"{path}: not a lint-reports baseline (nested too deeply)") from None
    except ValueError:  # a number of thousands of digits, which Python refuses to convert
        raise BaselineError(f"{path}: not a lint-reports baseline (a number of thousands of digits)") from None
    if not isinstance(document, dict) or document.get("tool") != "lint-reports" \
            or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{path}: not a lint-reports baseline (write one with --write-baseline)")
    version = document.get("version")
    if version != FORMAT_VERSION:
        # a number is quoted, anything else (a string of any length) is not
        shown = repr(version) if type(version) is int and abs(version) < 10 ** 6 else "(not shown)"
        raise BaselineError(f"{path}: baseline version {shown} is not supported "
                            f"(expected {FORMAT_VERSION}; write it again with --write-baseline)")
    known: Counter = Counter()
    for number, entry in enumerate(document["findings"], 1):
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        # (a count below 1 would silently hide nothing; bool is an int to Python)
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in _FIELDS) \
                or type(count) is not int or count < 1:
            raise BaselineError(f"{path}: entry {number} of 'findings' needs the strings "
                                f"{', '.join(_FIELDS)} and an integer count of 1 or more")
        known[Anchor(**{k: entry[k] for k in _FIELDS})] += count
    return known


def new_findings(findings, known: Counter) -> list:
    """The findings not accounted for by the baseline, in their order."""
    remaining = Counter(known)
    fresh = []
    for finding, anchor in zip(findings, _anchors(findings)):
        if remaining[anchor] > 0:
            remaining[anchor] -= 1
        else:
            fresh.append(finding)
    return fresh
