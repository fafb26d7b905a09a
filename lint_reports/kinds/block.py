"""Kind `block`: a line that opens a block of junk, and the lines that follow it.

For web furniture that spans lines, such as a "推荐阅读:" or "相关链接" heading and the list of
links under it. Every line of the block is reported (so `--fix` can delete each; deleted
together they leave one blank line where the block was, never two).

Parameters:
  start      regex searched on each line; the line that matches opens the block
  item       regex a following line must match to belong to the block
  stop       regex that ends the block at (and excluding) a line that matches it
  max_lines  longest block, in lines after the start (default 30)
  gap        blank lines allowed between two items (default 0: a blank line ends the block;
             pages that set each link in its own paragraph need 1 to 3)

Failing example (rule artifact-link-list):

    【建设学习型党组织情况工作总结】推荐阅读:
    石羊镇学习型党组织建设工作总结09-09

Passing example:

    推荐阅读经典著作，是提高理论素养的重要途径。
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .pattern import lines_edits

KIND = "block"
PARAMS = {"start": str, "item": str, "stop": str, "max_lines": int, "gap": int}
REQUIRED = ("start", "item")


class BlockState(NamedTuple):
    start: object  # compiled regexes
    item: object
    stop: object  # or None
    max_lines: int
    gap: int


def prepare(rule, data) -> None:
    try:
        start = re.compile(rule.params["start"])
        item = re.compile(rule.params["item"])
        stop = re.compile(rule.params["stop"]) if rule.params.get("stop") else None
    except re.error as exc:
        raise ValueError(f"bad regular expression: {exc}") from None
    gap = rule.params.get("gap", 0)
    if gap < 0:
        raise ValueError("'gap' must be 0 or more")
    rule.state = BlockState(start, item, stop, rule.params.get("max_lines", 30), gap)


def check(ctx, rule):
    doc = ctx.doc
    start, item, stop, max_lines, gap = rule.state
    lines = doc.prose_lines
    resume = 0  # the line after the last block: lines before it are taken
    for index, line in enumerate(lines):  # (iterated: indexing cuts every line from the text)
        if index < resume or not start.search(line):
            continue
        block = [index]
        follow = index + 1
        blanks = 0
        while follow < len(lines) and len(block) <= max_lines:
            text = lines[follow]
            if not text.strip():
                blanks += 1
                if blanks > gap:
                    break
                follow += 1
                continue
            if not item.search(text) or (stop and stop.search(text)):
                break
            block.append(follow)
            blanks = 0
            follow += 1
        numbers = [number + 1 for number in block]
        edits = lines_edits(doc, numbers) if rule.fix == "delete-line" else [None] * len(numbers)
        for number, fix in zip(numbers, edits):
            begin, end = doc.line_span(number)
            lead = len(lines[number - 1]) - len(lines[number - 1].lstrip())
            yield rule.finding(doc, begin + lead, max(end, begin + lead + 1), fix=fix)
        resume = block[-1] + 1
