"""Where a finding is, in words rather than line numbers: rule, path, the flagged text and a
few characters around it. Baselines match on it and CI formats derive fingerprints from it,
so inserting lines above an old finding neither makes it new nor changes its identity.

The engine attaches an Anchor to every finding while it still has the Document; after that
the text is no longer needed (a big run does not keep its documents in memory).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Characters of context kept on each side of the flagged text, within its own line(s):
# a short phrase of Chinese, enough to tell two `**县` apart, small enough that an edit
# elsewhere in the sentence does not change it.
CONTEXT_CHARS = 8
# Characters of the flagged text kept: a sentence. A longer span (a rule flagging a whole
# 1 MB line) is kept as its start and its length, so that many findings over one huge line
# cost memory and hashing in proportion to their number, not to the line.
TEXT_CHARS = 200


@dataclass(frozen=True)
class Anchor:
    rule: str
    path: str  # relative to the config's directory, with forward slashes
    text: str  # the flagged text
    before: str
    after: str

    def key(self) -> tuple:
        return (self.rule, self.path, self.before, self.text, self.after)


def normalise_path(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def anchor_for(doc, finding, rel_path: str) -> Anchor:
    return _anchor(doc.text, finding, normalise_path(rel_path))


def _anchor(text: str, finding, path: str) -> Anchor:
    """The context is cut at the finding's own line ends, which are looked for only within
    CONTEXT_CHARS of it: the cost of an anchor does not grow with the line. (Searching for
    the line ends themselves made a single 60 MB line with many findings quadratic.)"""
    start = min(max(finding.start, 0), len(text))
    end = min(max(finding.end, start), len(text))
    low = max(0, start - CONTEXT_CHARS)
    before = text[low:start]
    before = before[before.rfind("\n") + 1:]
    after = text[end:end + CONTEXT_CHARS]
    newline = after.find("\n")
    if newline != -1:
        after = after[:newline]
    if end - start > TEXT_CHARS:  # a finding over a whole huge line: its start and its length
        flagged = f"{text[start:start + TEXT_CHARS]}…({end - start})"
    else:
        flagged = text[start:end]
    return Anchor(finding.rule, path, flagged, before, after)


def anchor_of(finding):
    """The finding's Anchor, also when it went through JSON (a result cache stores findings
    as dicts: the anchor comes back as a mapping or a list)."""
    anchor = finding.anchor
    if anchor is None or isinstance(anchor, Anchor):
        return anchor
    if isinstance(anchor, dict):
        anchor = Anchor(**anchor)
    else:
        anchor = Anchor(*anchor)
    finding.anchor = anchor
    return anchor


def attach(doc, findings, rel_path: str) -> None:
    text, path = doc.text, normalise_path(rel_path)
    for finding in findings:
        finding.anchor = _anchor(text, finding, path)


def _anchor_or_position(finding) -> tuple:
    anchor = anchor_of(finding)
    if anchor is not None:
        return anchor.key()
    # Findings built outside the engine (a library caller) have no anchor: fall back to
    # the position, which is still unique within one run.
    return (finding.rule, normalise_path(finding.path), str(finding.line), str(finding.column), "")


def fingerprints(findings) -> list:
    """One fingerprint per finding, in order: stable across runs and edits elsewhere in the
    file, unique within the run (identical anchors are told apart by their occurrence index,
    counted in file order)."""
    seen: dict = {}
    result = []
    for finding in findings:
        key = _anchor_or_position(finding)
        index = seen.get(key, 0)
        seen[key] = index + 1
        digest = hashlib.sha256("\0".join((*key, str(index))).encode("utf-8", "surrogatepass")).hexdigest()
        result.append(digest[:32])
    return result
