"""Kind `pattern`: flag every match of a regular expression (or of a word list).

The workhorse for data-only rules: a user adds a rule to a pack without writing Python.

Matches never cross a line end: each line is searched on its own (a lookbehind still
sees the end of the line before, `\\s` does not run into the next line).

Parameters:
  pattern / patterns   regular expression(s) (Python `re`); a named group `flag`, if
                       present, is the span reported, so lookaround context is possible
  words                literal strings, matched anywhere
  unless               regexes tested on the whole line; a match on such a line is skipped
  scope                `match` (default) reports the match; `line` reports the whole line
  separate             true: search each pattern on its own, each with its own literal
                       prefilter, instead of one alternation of them all (much faster for
                       patterns that share no literal; matches of two patterns may then
                       overlap, and the engine keeps one finding of a span)
  ignore_case          true/false
  fix                  `delete` (the match), `delete-line`, or {replace: "template"}

Failing example (rule artifact-download):

    2024-11-25下载文档一键复制全文

Passing example:

    为了深入贯彻落实党的二十大精神，推进学习型党组织建设工作……
"""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from ..core.finding import Edit
from ..speed import prefilter, regexfacts

KIND = "pattern"


class PatternState(NamedTuple):
    """What prepare compiles for a pattern rule (the language server reads `regexes`)."""
    regexes: list  # compiled, one per pattern / word list
    unless: list  # compiled `unless` regexes
    scope: str
    plans: list  # (kind, factors) per regex: how the prefilter finds candidate lines
    searched: list  # the form of each regex actually searched (line-bound when equivalent)
PARAMS = {
    "pattern": str, "patterns": list, "words": list, "unless": list, "scope": str,
    "ignore_case": bool, "separate": bool,
}
REQUIRED = (("pattern", "patterns", "words"),)


def _compile(source: str, flags: int, what: str):
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise ValueError(f"bad regular expression in '{what}': {exc}") from None
    except OverflowError:  # a{4294967296}
        raise ValueError(f"bad regular expression in '{what}': a repeat count is too large") from None
    except RecursionError:  # thousands of nested groups
        raise ValueError(f"bad regular expression in '{what}': nested too deeply") from None


_LEADING_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


def _scoped(source: str) -> str:
    """`(?s)x` as `(?s:x)`: a pattern's leading global flags apply to it alone, as they
    would on their own, and it can be joined with the rule's other patterns (Python
    refuses global flags anywhere but at the very start)."""
    flags = ""
    match = _LEADING_FLAGS.match(source)
    while match:
        flags += match.group(1)
        source = source[match.end():]
        match = _LEADING_FLAGS.match(source)
    if not flags:
        return source
    # a verbose pattern may end in a comment, which would swallow the closing parenthesis
    return f"(?{''.join(sorted(set(flags)))}:{source}{chr(10) if 'x' in flags else ''})"


def prepare(rule, data) -> None:
    params = rule.params
    # ^ and $ are line boundaries: reports are read line by line.
    flags = re.MULTILINE | (re.IGNORECASE if params.get("ignore_case") else 0)
    sources = []
    if "pattern" in params:
        sources.append(params["pattern"])
    sources.extend(params.get("patterns", []))
    if not all(isinstance(s, str) for s in sources):
        raise ValueError("'patterns' must be a list of strings")
    sources = [_scoped(s) for s in sources]
    words = params.get("words", [])
    if not all(isinstance(w, str) and w for w in words):
        raise ValueError("'words' must be a list of non-empty strings")
    if words:
        sources.append("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    # One alternation: a single scan per rule, whatever the number of patterns.
    combined = "|".join(f"(?:{s})" for s in sources)
    if params.get("separate") or sum(s.count("(?P<flag>") for s in sources) > 1:
        searched_sources = [(s, "patterns") for s in sources]
    else:
        searched_sources = [(combined, "pattern")]
    if not all(isinstance(u, str) for u in params.get("unless", [])):
        raise ValueError("'unless' must be a list of strings")
    unless_sources = [_scoped(u) for u in params.get("unless", [])]
    scope = params.get("scope", "match")
    if scope not in ("match", "line"):
        raise ValueError("'scope' must be 'match' or 'line'")
    fix = rule.fix
    if fix is not None and not (fix in ("delete", "delete-line") or
                                (isinstance(fix, dict) and set(fix) == {"replace"})):
        raise ValueError("'fix' must be 'delete', 'delete-line' or {replace: ...}")
    # How to find candidate lines fast (see lint_reports.speed.prefilter); never changes findings.
    # A regex that could match a newline only through `\s` or a `[^…]` class is searched in
    # its line-bound form, which finds the same matches over runs of lines at once. What the
    # prefilter says of a regex is kept between runs (lint_reports.speed.regexfacts), and finding
    # it out compiles the regex: a bad one is this rule's error now, not mid-run. The
    # regexes themselves are compiled when a document first has a candidate line for them.
    regexes = LazyRegexes([(source, flags, what) for source, what in searched_sources])
    unless = LazyRegexes([(source, flags, "unless") for source in unless_sources])
    plans, searched = [], []
    for source, what in searched_sources:
        facts = regexfacts.facts(source, flags, lambda s, f, what=what: _compile(s, f, what))
        plans.append(facts.plan)
        searched.append(facts)
    for source in unless_sources:
        regexfacts.facts(source, flags, lambda s, f: _compile(s, f, "unless"))
    searched = LazyRegexes([(facts.searched, facts.searched_flags, "pattern") if facts.searched is not None
                            else None for facts in searched], same_as=regexes)
    if isinstance(fix, dict):
        if not isinstance(fix["replace"], str):
            raise ValueError("'fix.replace' must be a string")
        for regex in regexes:  # a group the template names must exist: found now, not mid-run
            try:
                regex.sub(fix["replace"], "")
            except (re.error, IndexError) as exc:
                raise ValueError(f"bad replacement in 'fix': {exc}") from None
    rule.state = PatternState(regexes, unless, scope, plans, searched)


class LazyRegexes:
    """A sequence of regexes, each compiled from its (source, flags) on first use; a spec of
    None stands for the regex at the same index of `same_as`."""

    def __init__(self, specs, same_as=None):
        self._specs = specs  # (source, flags, what the error message calls it) or None
        self._same_as = same_as
        self._compiled = [None] * len(specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __getitem__(self, index: int):
        regex = self._compiled[index]
        if regex is None:
            spec = self._specs[index]
            regex = self._same_as[index] if spec is None else _compile(*spec)
            self._compiled[index] = regex
        return regex

    def __iter__(self):
        return (self[index] for index in range(len(self._specs)))


def line_edit(doc, line: int) -> Edit:
    """Delete a whole line, with its newline (see lines_edits: no gap of blank lines grows)."""
    return lines_edits(doc, [line])[0]


def _blank(doc, line: int) -> bool:
    start, end = doc.line_span(line)
    return not doc.text[start:end].strip()


def lines_edits(doc, lines) -> list:
    """Edits deleting the given 1-based lines, one per line in the order given.

    Lines with only blank lines between them go as one block, the blank lines inside with
    them; of the blank lines above and below the block, as many stay as the larger side had
    (so one blank line between paragraphs stays one, and no gap grows). Each edit reaches
    no further than its line, its newline and the blank lines next to it: what a fix may touch."""
    chosen = sorted(set(lines))
    count = len(doc.line_starts)
    text_end = len(doc.text)
    edits = {}
    position = 0
    while position < len(chosen):
        block = [chosen[position]]
        position += 1
        while position < len(chosen):
            between = range(block[-1] + 1, chosen[position])
            if not all(_blank(doc, n) for n in between):
                break
            block.append(chosen[position])
            position += 1
        above = 0
        while block[0] - above - 1 >= 1 and _blank(doc, block[0] - above - 1):
            above += 1
        below = 0
        while block[-1] + below + 1 <= count and _blank(doc, block[-1] + below + 1):
            below += 1
        for order, line in enumerate(block):
            start, end = doc.line_span(line)
            if order:  # the blank lines since the line before in the block go with this one
                start = doc.line_end(block[order - 1]) + 1
            elif below:
                start = doc.line_starts[block[0] - min(above, below) - 1]
            if end < text_end:
                end += 1
            elif start > 0 and not order:
                start -= 1  # the last line has no newline: take the one before it
            edits[line] = Edit(start, end, "")
    return [edits[line] for line in lines]


# Off only to check that the prefiltered search finds what the line-by-line one finds.
USE_PREFILTER = True


def scan_factors(rule) -> set:
    """The factors this rule's candidate lines are found by: the engine's shared scan of a
    document (core/context.SharedScan) looks for those of every rule that runs in one pass."""
    factors: set = set()
    for _, rule_factors in rule.state.plans:
        factors |= rule_factors or set()
    return factors


def _scan(ctx) -> prefilter.Scan:
    """The document's factor scan: the engine's, shared by every rule that runs on it; for a
    check called on its own (a test), one that looks each factor up when asked."""
    if ctx.scan is not None:
        return ctx.scan.get()
    return prefilter.Scan(ctx.doc.prose, ctx.doc.line_starts)


def _line_spans(doc, lines) -> list:
    """(start, end) of each 0-based line, without its newline."""
    starts, text_lines = doc.line_starts, doc.prose_lines
    return [(starts[i], starts[i] + len(text_lines[i])) for i in lines]


def search_spans(ctx, plan) -> list:
    """Where to search `regex`: each line on its own, or only the lines holding one of its
    factors, or (for a regex that cannot match a newline) runs of lines at once — all of
    which find the same matches."""
    single_line, factors = plan
    doc = ctx.doc
    if not USE_PREFILTER:
        return _line_spans(doc, range(len(doc.line_starts)))
    if factors is not None:
        scan = _scan(ctx)
        lines = scan.candidate_lines(factors)
        return scan.windows(lines) if single_line else _line_spans(doc, lines)
    if single_line:
        return [(0, len(doc.prose))]
    return _line_spans(doc, range(len(doc.line_starts)))


def _matches(ctx, regexes, searched, index: int, plan, scan_start: int, scan_end: int):
    """(regex, its matches) line by line in prose[scan_start:scan_end]; over the whole text,
    those of `searched` (the same matches, see prepare) where the prefilter says. Nothing is
    compiled when no line is a candidate."""
    doc = ctx.doc
    text = doc.prose
    if (scan_start, scan_end) == (0, len(text)):
        spans = search_spans(ctx, plan)
        if not spans:
            return None, ()
        # the line-bound form has the groups of the regex (prefilter.line_bound checks)
        regex = searched[index] if USE_PREFILTER else regexes[index]
        finder = regex.finditer
    else:  # a few lines (the language server's re-scan): the shared factor scan of the whole text costs more
        spans = _line_spans(doc, range(bisect.bisect_right(doc.line_starts, scan_start) - 1,
                                       bisect.bisect_left(doc.line_starts, scan_end)))
        regex = regexes[index]
        finder = regex.finditer
    return regex, _found(finder, text, spans, scan_start, scan_end)


def _found(finder, text, spans, scan_start, scan_end):
    for start, end in spans:
        start, end = max(start, scan_start), min(end, scan_end)
        if start < end:
            yield from finder(text, start, end)


def check(ctx, rule):
    return check_range(ctx, rule, 0, len(ctx.doc.prose))


def check_range(ctx, rule, scan_start: int, scan_end: int):
    """Findings of matches inside prose[scan_start:scan_end], searched line by line as
    `check` does (lookbehinds and `^` still see the text before). The language server
    re-scans only the lines an edit touched."""
    regexes, unless, scope, plans, searched = rule.state
    doc = ctx.doc
    reported = set()
    emphasis = doc.emphasis_marks
    # What a match needs to know of its line, worked out once per line: thousands of matches
    # on one huge line must not each copy and search the whole line (quadratic).
    excused: dict = {}  # line -> whether an `unless` pattern matches it
    extents: dict = {}  # line -> (first, end) offsets of its text without surrounding blanks
    for index, plan in enumerate(plans):
        regex, found = _matches(ctx, regexes, searched, index, plan, scan_start, scan_end)
        flagged = regex is not None and "flag" in regex.groupindex
        for m in found:
            if flagged and m.group("flag") is not None:
                start, end = m.span("flag")
            else:
                start, end = m.span()
            if start == end:
                continue
            if emphasis and all(i in emphasis for i in range(start, end)):
                continue  # Markdown **bold** delimiters, not a placeholder
            line, _ = doc.position(start)
            if unless:
                if line not in excused:
                    line_text = doc.prose_lines[line - 1]
                    excused[line] = any(u.search(line_text) for u in unless)
                if excused[line]:
                    continue
            if scope == "line":
                if line in reported:
                    continue
                reported.add(line)
                line_start, line_end = doc.line_span(line)
                lead = len(doc.lines[line - 1]) - len(doc.lines[line - 1].lstrip())
                start, end = line_start + lead, max(line_end, line_start + lead + 1)
            fix = None
            if rule.fix == "delete-line":
                fix = line_edit(doc, line)
            elif rule.fix == "delete":
                if line not in extents:
                    line_start, line_end = doc.line_span(line)
                    text_line = doc.lines[line - 1]
                    first = line_start + len(text_line) - len(text_line.lstrip())
                    content = len(text_line.strip())
                    extents[line] = (first, first + content) if content else (line_end, line_start)
                first, last = extents[line]
                alone = start <= first and end >= last  # nothing but blanks left on the line
                fix = line_edit(doc, line) if alone else Edit(start, end, "")
            elif isinstance(rule.fix, dict):
                fix = Edit(start, end, m.expand(rule.fix["replace"]) if m.span() == (start, end)
                           else rule.fix["replace"])
            yield rule.finding(doc, start, end, fix=fix)
