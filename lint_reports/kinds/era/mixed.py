"""Kind `era_mixed`: a text that cites a recent event and treats a superseded one as current.

Works without knowing the document's year: citing 党的二十大 means the text is from 2022 or
later, so "贯彻落实十七届四中全会精神" in the same piece is stale. Each piece of a
compilation is judged on its own. Pieces whose year comes from their own dates (or from
--year/config) are judged by the `era` rules instead, so a reference is reported once.

Parameters:
  facts   kinds of fact that may be reported (default: all except anniversary_base)

Failing example (rule outdated-mixed-era):

    深入学习贯彻党的二十大精神，认真贯彻落实十七届四中全会精神。

Passing example:

    党的十八大以来，我们认真学习贯彻党的二十大精神。
"""
from __future__ import annotations

from .judge import fields, render, stale_in
from ...core.year import latest_event
from . import EraState
from .knowledge import FACT_KINDS, knowledge_from_data, scan_document

KIND = "era_mixed"
PARAMS = {"facts": list}
REQUIRED = ()


def prepare(rule, data) -> None:
    kinds = rule.params.get("facts", [k for k in FACT_KINDS if k != "anniversary_base"])
    if not kinds or any(k not in FACT_KINDS for k in kinds):
        raise ValueError(f"'facts' takes kinds from: {', '.join(FACT_KINDS)}")
    rule.state = EraState(knowledge_from_data(data), frozenset(kinds))


def check(ctx, rule):
    doc = ctx.doc
    knowledge, kinds = rule.state
    scan = scan_document(doc, knowledge)
    for part, decision in scan.decisions:
        if decision.dated:
            continue
        first = doc.line_starts[part.start_line - 1]
        last = doc.line_end(part.end_line)
        inside = scan.inside(first, last)
        latest = latest_event(inside)
        if latest is None:
            continue
        for mention in inside:
            if mention.fact.kind not in kinds or not stale_in(mention, latest.event_year):
                continue
            values = fields(mention, knowledge, latest.event_year, "")
            values["latest"] = "".join(ch for ch in latest.text if ch not in "“”\"")
            values["latest_year"] = latest.fact.start[0]
            yield rule.finding(doc, mention.start, mention.end, message=render(rule.message, values))
