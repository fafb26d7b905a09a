"""Kind `era`: a dated reference used as current although the document's year is past it.

The facts (names, start and end dates, successors, sources) are the pack data
`era_facts` (rules/era.yaml; users add their own in their packs). The document's year is
decided by lint_reports.core.year (--year, config, front matter, title, body dates); a
document whose year comes only from the events it cites is left to `era_mixed`.
Only current use counts ("贯彻落实…精神", "确保…目标", "深入开展…活动", "今年是…周年");
history ("…以来", "…期间", "回顾…", "在…指引下取得", 《title》, a date range) does not.

Parameters:
  facts   which kinds of fact this rule judges: congress, plenum, five_year_plan,
          campaign, ideology, anniversary_base, institution, slogan

Failing example (rule outdated-plenum):

    2022年学习型党组织建设工作安排意见
    为了深入贯彻落实党的十七届五中全会精神，推进学习型党组织建设工作。

Passing example:

    2022年学习型党组织建设工作安排意见
    党的十八大以来，我们深入贯彻落实党的二十大精神。
"""
from __future__ import annotations

from typing import NamedTuple

from .judge import fields, render, stale_in
from .knowledge import FACT_KINDS, knowledge_from_data, scan_document

KIND = "era"
PARAMS = {"facts": list}
REQUIRED = ("facts",)


class EraState(NamedTuple):
    knowledge: object  # knowledge.Knowledge of the packs' era facts
    kinds: frozenset  # the fact kinds the rule reports


def prepare(rule, data) -> None:
    kinds = rule.params["facts"]
    unknown = [k for k in kinds if k not in FACT_KINDS]
    if unknown or not kinds:
        raise ValueError(f"'facts' takes kinds from: {', '.join(FACT_KINDS)}")
    rule.state = EraState(knowledge_from_data(data), frozenset(kinds))


def check(ctx, rule):
    doc = ctx.doc
    knowledge, kinds = rule.state
    scan = scan_document(doc, knowledge)
    for mention in scan.of_kinds(kinds):
        _, decision = scan.decision_at(mention.start)
        # stale in every year the text speaks from (a summary of 2023 signed in January 2024)
        if not decision.dated or not all(stale_in(mention, year) for year in decision.years):
            continue
        values = fields(mention, knowledge, decision.year, decision.short)
        yield rule.finding(doc, mention.start, mention.end, message=render(rule.message, values))
