"""The hover over a finding: the rule explained, as `lint-reports --explain RULE` explains it.

What the editor shows, in Markdown (or plain text for a client that cannot show Markdown):
the rule id with the finding's severity and category, the finding's own message, the rule's
description and its "why" (`explain:` in the pack), the suggested fix, and the rule's
`bad:` and `good:` examples (the same examples the test suite runs), marked ✗ and ✓.

The rule texts come from packs (a user's among them) and the message quotes the document, so
none of it is trusted as Markdown: Markdown's punctuation is escaped (inline code spans in a
pack's text stay code), control characters are shown as escapes, and the examples sit in
fenced code blocks whose fence is longer than any run of backticks inside.
"""
from __future__ import annotations

import re
from typing import Optional

from ..formats.html import CATEGORY_LABELS, SEVERITY_LABELS
from ..io.escape import visible

# Characters that start inline Markdown anywhere (emphasis, code, links, HTML, entities,
# strikethrough, table cells) and those that do only at a line's start (headings, quotes,
# lists, thematic breaks).
_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.M)
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")


def escape_markdown(text: str) -> str:
    """`text` shown literally by any CommonMark renderer (backslash escapes)."""
    text = _INLINE.sub(r"\\\1", visible(text))
    # a list number keeps its digits: `1\.` (CommonMark escapes punctuation only)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _prose(text: str) -> str:
    """A pack's prose (description, why): inline code spans kept, the rest escaped; lines
    of one paragraph joined without the space Markdown would put between two Chinese
    characters."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    out = []
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        joined = ""
        for line in lines:
            if joined and (joined[-1].isascii() or line[0].isascii()):
                joined += " "
            joined += line
        pieces = _CODE_SPAN.split(joined)
        out.append("".join(piece if index % 2 else escape_markdown(piece) for index, piece in enumerate(pieces)))
    return "\n\n".join(out)


def _fenced(lines: list) -> str:
    body = "\n".join(lines)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"


def _example_lines(mark: str, example) -> list:
    """One example under its mark; the lines of a multi-line example indented under it
    (as --explain prints them)."""
    lines = visible(str(example).rstrip("\n"), keep_layout=True).split("\n")
    return [f"{mark} {lines[0]}"] + [f"  {line}" for line in lines[1:]]


def _head(finding) -> tuple:
    severity = SEVERITY_LABELS.get(finding.severity, finding.severity)
    category = CATEGORY_LABELS.get(finding.category, finding.category)
    return severity, category


def markdown(finding, rule, fix: str = "") -> str:
    """The hover for one finding of `rule` (None: a rule the session no longer has)."""
    severity, category = _head(finding)
    out = [f"**{escape_markdown(finding.rule)}** · {escape_markdown(severity)} · "
           f"{escape_markdown(category)}（{escape_markdown(finding.category)}）",
           escape_markdown(finding.message)]
    if fix:
        out.append("建议：" + escape_markdown(fix))
    if rule is not None:
        if rule.description:
            out.append(_prose(rule.description))
        if rule.explain:
            out.append(_prose(rule.explain))
        bad, good = rule.examples.get("bad") or [], rule.examples.get("good") or []
        if bad:
            out += ["会报告（bad）：", _fenced([line for example in bad for line in _example_lines("✗", example)])]
        if good:
            out += ["不会报告（good）：", _fenced([line for example in good for line in _example_lines("✓", example)])]
        out.append(f"`lint-reports --explain {rule.id}`" if "`" not in rule.id else "")
    return "\n\n".join(part for part in out if part)


def plain(finding, rule, fix: str = "") -> str:
    """The same for a client that shows only plain text: --explain's layout."""
    severity, category = _head(finding)
    out = [f"{finding.rule}  （{severity}，{category}）", "", visible(finding.message)]
    if fix:
        out.append("建议：" + visible(fix))
    if rule is not None:
        if rule.description:
            out += ["", visible(rule.description.strip(), keep_layout=True)]
        if rule.explain:
            out += ["", visible(rule.explain.strip(), keep_layout=True)]
        for title, mark, key in (("会报告（bad）：", "✗", "bad"), ("不会报告（good）：", "✓", "good")):
            examples = rule.examples.get(key) or []
            if examples:
                out += ["", title] + ["  " + line for example in examples for line in _example_lines(mark, example)]
    return "\n".join(out)


def hover_text(findings_and_rules, as_markdown: bool, fixes: Optional[list] = None) -> str:
    """The hover for every finding under the cursor (they may overlap), one after another."""
    fixes = fixes or [""] * len(findings_and_rules)
    render = markdown if as_markdown else plain
    parts = [render(finding, rule, fix) for (finding, rule), fix in zip(findings_and_rules, fixes)]
    return ("\n\n---\n\n" if as_markdown else "\n\n――――\n\n").join(parts)
