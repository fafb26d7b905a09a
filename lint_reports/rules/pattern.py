"""Kind `pattern`: flag every match of a regular expression (or of a word list).

The workhorse for data-only rules: a user adds a rule to a pack without writing Python.

Parameters:
  pattern / patterns   regular expression(s) (Python `re`); a named group `flag`, if
                       present, is the span reported, so lookaround context is possible
  words                literal strings, matched anywhere
  unless               regexes tested on the whole line; a match on such a line is skipped
  scope                `match` (default) reports the match; `line` reports the whole line
  ignore_case          true/false
  fix                  `delete` (the match), `delete-line`, or {replace: "template"}

Failing example (rule artifact-download):

    2024-11-25下载文档一键复制全文

Passing example:

    为了深入贯彻落实党的二十大精神，推进学习型党组织建设工作……
"""
from __future__ import annotations

import re

from ..finding import Edit

KIND = "pattern"
PARAMS = {
    "pattern": str, "patterns": list, "words": list, "unless": list, "scope": str,
    "ignore_case": bool,
}
REQUIRED = (("pattern", "patterns", "words"),)


def _compile(source: str, flags: int, what: str):
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise ValueError(f"bad regular expression in '{what}': {exc}") from None


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
    words = params.get("words", [])
    if not all(isinstance(w, str) and w for w in words):
        raise ValueError("'words' must be a list of non-empty strings")
    if words:
        sources.append("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    # One alternation: a single scan per rule, whatever the number of patterns.
    combined = "|".join(f"(?:{s})" for s in sources)
    if sum(s.count("(?P<flag>") for s in sources) > 1:
        regexes = [_compile(s, flags, "patterns") for s in sources]
    else:
        regexes = [_compile(combined, flags, "pattern")]
    unless = [_compile(u, flags, "unless") for u in params.get("unless", [])]
    scope = params.get("scope", "match")
    if scope not in ("match", "line"):
        raise ValueError("'scope' must be 'match' or 'line'")
    fix = rule.fix
    if fix is not None and not (fix in ("delete", "delete-line") or
                                (isinstance(fix, dict) and set(fix) == {"replace"})):
        raise ValueError("'fix' must be 'delete', 'delete-line' or {replace: ...}")
    rule.state = (regexes, unless, scope)


def line_edit(doc, line: int) -> Edit:
    """Delete a whole line, with its newline."""
    start, end = doc.line_span(line)
    if end < len(doc.text):
        end += 1
    elif start > 0:
        start -= 1
    return Edit(start, end, "")


def check(doc, rule):
    return check_range(doc, rule, 0, len(doc.prose))


def check_range(doc, rule, scan_start: int, scan_end: int):
    """Findings of matches inside prose[scan_start:scan_end] (lookbehinds and `^` still see
    the text before it). The language server re-scans only the lines an edit touched."""
    regexes, unless, scope = rule.state
    text = doc.prose
    reported = set()
    emphasis = doc.emphasis_marks
    for regex in regexes:
        for m in regex.finditer(text, scan_start, scan_end):
            if "flag" in regex.groupindex and m.group("flag") is not None:
                start, end = m.span("flag")
            else:
                start, end = m.span()
            if start == end:
                continue
            if emphasis and all(i in emphasis for i in range(start, end)):
                continue  # Markdown **bold** delimiters, not a placeholder
            line, _ = doc.position(start)
            if unless:
                line_text = doc.prose_lines[line - 1]
                if any(u.search(line_text) for u in unless):
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
                line_start, line_end = doc.line_span(line)
                rest = doc.text[line_start:start] + doc.text[end:line_end]
                fix = line_edit(doc, line) if not rest.strip() else Edit(start, end, "")
            elif isinstance(rule.fix, dict):
                fix = Edit(start, end, m.expand(rule.fix["replace"]) if m.span() == (start, end)
                           else rule.fix["replace"])
            yield rule.finding(doc, start, end, fix=fix)
