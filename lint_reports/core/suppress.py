"""Suppression comments: the author says "this one is intended" in the file itself.

In Markdown (HTML comments, invisible in the rendered report):

    <!-- lint-reports-disable-next-line placeholder-x -->
    text <!-- lint-reports-disable-line placeholder-x -->
    <!-- lint-reports-disable artifact, placeholder-stars -->  …  <!-- lint-reports-enable -->

In any file, a line containing

    lint-reports: disable-line placeholder

is exempt. Targets are rule ids or categories, separated by commas or spaces; none means
every rule (so does `all`). Text after ` -- ` is a free reason: `lint-reports: disable-line placeholder-x -- 范例`.
`lint-reports-enable` with targets re-enables only those; without, everything. A disable
that is never enabled again lasts to the end of the file.

The engine calls `apply()` after the rules ran (and after the allow list and duplicate
removal, so a suppression counts as used only if it hid a finding that would have been
reported). It leaves the directives on `doc.suppressions` for the `unknown_suppression` kind
(a target that names no rule or category: on by default, since a misspelt id silently hides
nothing) and the `unused_suppression` kind (a target that hid nothing: opt-in).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Optional

ALL = "*"
SHOWN_TARGET = 40  # characters of an unknown target quoted in a finding
_MARKER = "lint-reports"
_COMMENT_DIRECTIVE = re.compile(
    r"<!--\s*lint-reports-(?P<verb>disable-next-line|disable-line|disable|enable)(?![\w-])(?P<targets>.*?)-->",
    re.S)
_LINE_DIRECTIVE = re.compile(r"lint-reports:\s*disable-line(?![\w-])(?P<targets>[^\n]*)")
_TARGET = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Stands in for "<!--" while finding the comments that lie outside code blocks.
_HIDDEN_OPEN = "\x00!--"


@dataclass
class Directive:
    kind: str  # "line", "next-line" or "range"
    start: int  # offsets of the directive's own text in doc.text
    end: int
    line: int  # 1-based line of the directive
    targets: tuple  # rule ids / categories; (ALL,) for every rule
    lines: tuple = ()  # the lines a line / next-line directive covers
    # a range covers offsets [start, until[target]); enable closes targets one by one
    until: dict = field(default_factory=dict)
    used: dict = field(default_factory=dict)  # target -> findings hidden
    unknown: list = field(default_factory=list)  # targets that name no rule or category
    hints: dict = field(default_factory=dict)  # unknown target -> the closest known name
    unused: list = field(default_factory=list)  # checkable targets that hid nothing

    def hiding_targets(self, finding) -> list:
        """The targets of this directive that hide `finding`."""
        named = [t for t in self.targets if t in (ALL, finding.rule, finding.category)]
        if self.kind == "range":
            # from the comment's own start: a disable at the very top also covers a finding
            # about the whole document, which sits at offset 0
            return [t for t in named if self.start <= finding.start < self.until[t]]
        return named if finding.line in self.lines else []


def _parse_targets(raw: str) -> tuple:
    raw = raw.split("-->", 1)[0]
    raw = re.split(r"\s--(?:\s|$)", " " + raw, maxsplit=1)[0]
    targets = []
    for token in re.split(r"[\s,，]+", raw.strip()):
        if not token:
            continue
        if not _TARGET.match(token) and targets:
            break  # free text after the list
        targets.append(ALL if token == "all" else token)
    return tuple(targets) or (ALL,)


def _outside_code(doc) -> str:
    """doc.text with Markdown code blocks and front matter blanked but HTML comments kept.
    Markdown masking blanks both code and comments; masking with the comment openers hidden
    leaves exactly the comments that are real, not examples inside code."""
    from .document import markdown_prose

    masked, _, _ = markdown_prose(doc.text.replace("<!--", _HIDDEN_OPEN))
    return masked


_HIDDEN_COMMENT_DIRECTIVE = re.compile(re.escape(_HIDDEN_OPEN) + _COMMENT_DIRECTIVE.pattern[len("<!--"):], re.S)


def parse(doc) -> list:
    """Every suppression directive in the document, in order."""
    if _MARKER not in doc.text:
        return []
    directives = []
    visible = _outside_code(doc) if doc.markup == "markdown" else doc.text
    if doc.markup == "markdown":
        text_end = len(doc.text)
        open_ranges: dict = {}  # target -> the disable directives still open for it
        # No directive closes after the last "-->": an unclosed one must not search to the end.
        closes = visible.rfind("-->") + 3
        for match in _HIDDEN_COMMENT_DIRECTIVE.finditer(visible, 0, closes if closes > 2 else 0):
            start, end, verb, raw = match.start(), match.end(), match.group("verb"), match.group("targets")
            line = doc.position(start)[0]
            end_line = doc.position(max(start, end - 1))[0]
            targets = _parse_targets(raw)
            if verb == "disable-next-line":
                directives.append(Directive("next-line", start, end, line, targets, lines=(end_line + 1,)))
            elif verb == "disable-line":
                directives.append(Directive("line", start, end, line, targets, lines=(line,)))
            elif verb == "disable":
                directive = Directive("range", start, end, line, targets,
                                      until={t: text_end for t in targets})
                directives.append(directive)
                for target in directive.until:
                    open_ranges.setdefault(target, []).append(directive)
            else:  # enable: end the open ranges of the targets it names (all, without targets)
                names = list(open_ranges) if targets == (ALL,) else [t for t in targets if t in open_ranges]
                for target in names:
                    for directive in open_ranges.pop(target):
                        directive.until[target] = start
    text = doc.text
    for match in _LINE_DIRECTIVE.finditer(visible):
        line = doc.position(match.start())[0]
        start, end = match.start(), match.end()
        # Inside an HTML comment (`<!-- lint-reports: disable-line x -->`) the directive is
        # the whole comment.
        comment_start = text.rfind("<!--", doc.line_starts[line - 1], start)
        comment_end = text.find("-->", start, end)
        if comment_start != -1 and comment_end != -1 and "-->" not in text[comment_start:start]:
            start, end = comment_start, comment_end + 3
        directives.append(Directive("line", start, end, line,
                                    _parse_targets(match.group("targets")), lines=(line,)))
    directives.sort(key=lambda d: d.start)
    return directives


class _OwnWords:
    """Whether a finding lies on the words of a plain-text directive (`placeholder-x` read as
    an x placeholder). HTML comments are not prose, so a finding over one is about the
    document. By bisection over the directives (sorted by start): many directives and many
    findings must not make every finding compare itself with every directive."""

    def __init__(self, doc, directives):
        self.starts = [d.start for d in directives]
        self.reach = []  # the furthest end of a plain-text directive starting at or before each
        furthest = -1
        for directive in directives:
            if not doc.text.startswith("<!--", directive.start):
                furthest = max(furthest, directive.end)
            self.reach.append(furthest)

    def cover(self, finding) -> bool:
        index = bisect.bisect_right(self.starts, finding.start) - 1
        return index >= 0 and finding.end <= self.reach[index]


def _keys(finding) -> set:
    """The targets that name `finding`."""
    return {ALL, finding.rule, finding.category}


def _merged(spans: list) -> tuple:
    """Sorted (start, end) spans merged into disjoint ones: (starts, ends)."""
    starts, ends = [], []
    for start, end in sorted(spans):
        if starts and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _hide(findings, directives) -> set:
    """The ids of the findings some directive hides; counts on each directive, per target,
    the findings it hides (`used`). Line directives are looked up by line, ranges by
    bisection: linear in findings and directives, not their product."""
    on_line: dict = {}  # (line, target) -> findings on that line it names
    starts: dict = {}  # target -> sorted starts of the findings it names
    for finding in findings:
        for key in _keys(finding):
            on_line[finding.line, key] = on_line.get((finding.line, key), 0) + 1
            starts.setdefault(key, []).append(finding.start)
    for positions in starts.values():
        positions.sort()
    line_targets: dict = {}  # line -> targets hidden on it
    spans: dict = {}  # target -> [(start, until)] of the ranges
    for directive in directives:
        for target in directive.targets:
            if directive.kind == "range":
                low, high = directive.start, directive.until[target]
                spans.setdefault(target, []).append((low, high))
                positions = starts.get(target, [])
                count = bisect.bisect_left(positions, high) - bisect.bisect_left(positions, low)
            else:
                for line in directive.lines:
                    line_targets.setdefault(line, set()).add(target)
                count = sum(on_line.get((line, target), 0) for line in directive.lines)
            if count:
                directive.used[target] = directive.used.get(target, 0) + count
    merged = {target: _merged(target_spans) for target, target_spans in spans.items()}
    hidden = set()
    for finding in findings:
        keys = _keys(finding)
        if keys & line_targets.get(finding.line, set()):
            hidden.add(id(finding))
            continue
        for key in keys & merged.keys():
            low, high = merged[key]
            index = bisect.bisect_right(low, finding.start) - 1
            if index >= 0 and finding.start < high[index]:
                hidden.add(id(finding))
                break
    return hidden


def apply(doc, findings, active_rules, known_names) -> list:
    """Findings that no directive hides. Records on each directive what it hid, which targets
    are unknown and which could have fired here but hid nothing; sets `doc.suppressions`."""
    directives = parse(doc)
    doc.suppressions = directives
    if not directives:
        return findings
    own_words = _OwnWords(doc, directives)
    findings = [f for f in findings if not own_words.cover(f)]  # the directive's own words are not report text
    hidden = _hide(findings, directives)
    kept = [f for f in findings if id(f) not in hidden]
    active_ids = {rule.id for rule in active_rules}
    active_categories = {rule.category for rule in active_rules}
    for directive in directives:
        for target in directive.targets:
            if target != ALL and target not in known_names:
                directive.unknown.append(target)
                hint = closest_name(target, known_names)
                if hint:
                    directive.hints[target] = hint
            elif directive.used.get(target):
                continue
            elif target == ALL or target in active_ids or target in active_categories:
                # A rule that did not run here could not have fired: not reported as unused.
                directive.unused.append(target)
    return kept


def describe(target: str) -> str:
    return "所有规则" if target == ALL else target


def closest_name(target: str, known_names) -> Optional[str]:
    """The rule id or category a misspelt target most likely meant (`placeholdr-x` ->
    `placeholder-x`), or None. Only for an unknown target: a comment with a typo is rare."""
    import difflib

    if not _TARGET.match(target):
        return None  # free text, not an attempt at an id
    close = difflib.get_close_matches(target, sorted(known_names), n=1, cutoff=0.75)
    return close[0] if close else None


def _shown_target(target: str) -> str:
    # the document's own words, quoted as a rule's {match} is: a bounded piece
    return target if len(target) <= SHOWN_TARGET else target[:SHOWN_TARGET] + "…"


def unknown_message(directive: Directive) -> Optional[str]:
    """The message for the targets of `directive` that name no rule or category, or None."""
    if not directive.unknown:
        return None
    names = "、".join(_shown_target(t) for t in directive.unknown)
    hints = "、".join(f"“{directive.hints[t]}”" for t in directive.unknown if t in directive.hints)
    hint = f"，是不是 {hints}？" if hints else ""
    return f"屏蔽注释中的“{names}”不是规则编号或类别{hint}：什么也没有屏蔽，请改正拼写（见 --list-rules）。"


def unused_message(directive: Directive) -> Optional[str]:
    """The message for the targets of `directive` that could have hidden a finding here but
    hid none, or None."""
    if not directive.unused:
        return None
    names = "、".join(describe(t) for t in directive.unused)
    return f"屏蔽注释没有屏蔽任何问题（{names}）：问题已修改的，请删除这条注释。"
