"""Is a mention stale for a year, and what to tell the user about it.

Shared by the kinds `era` (one family of facts against the document's year) and
`era_mixed` (a document that contradicts itself: cites 二十大 and, as current, 十七届四中全会).
The wording lives in each rule's `message` template in rules/era.yaml; this module fills in:

  {ref}      the reference as written (十七届五中全会, 县扶贫办, 建党90周年)
  {period}   when it was current (2010年, 2011—2015年)
  {start} {end}  its first / last year; {changed} "2018年（县级机构于2019年完成）"
  {year} {reason}  the document's year and why (据标题, 据正文日期, 据 --year …)
  {current}  "；现行提法：…" (the current plenum series, plan, institution, formula), for a
             finished campaign "；2024年开展的是…" (the campaign running in the document's year), or ""
  {implied}  the year an anniversary number points to; {number} what N should be this year
  {latest} {latest_year}  (mixed era) the latest event the text itself cites
"""
from __future__ import annotations

from typing import Optional
from ...speed.lazyre import lazy_compile

_PREFIX = lazy_compile(r"^(?:中国共产党|党的|中共)")
_PLACEHOLDER = lazy_compile(r"\{(\w+)\}")


def reference(mention) -> str:
    text = "".join(ch for ch in mention.text if ch not in "“”\"'‘’「」『』")
    return _PREFIX.sub("", text) if mention.fact.kind == "plenum" else text


def _short_congress(congress) -> str:
    for name in congress.names:
        if name.startswith("党的") and len(name) <= 6:
            return name
    return congress.label


def _short_plan(plan) -> str:
    for name in plan.names:
        if name.endswith("规划") and name.startswith("“"):
            return name
    return plan.label


def _successor(fact, knowledge, year: int, local: bool):
    """Follow superseded_by until a fact still current in `year`."""
    seen = set()
    current = fact
    while current.superseded_by and current.id not in seen:
        seen.add(current.id)
        current = knowledge.facts[current.superseded_by[0]]
        # a retained nameplate is not reported, but is not what to write instead either
        stale = current.stale_after(local, nameplate=False)
        if stale is None or stale >= year:
            return current
    return current if current is not fact else None


def current_equivalent(mention, knowledge, year: Optional[int]) -> str:
    fact = mention.fact
    if fact.current_as:
        return fact.current_as
    if year is None:
        return ""
    if fact.kind in ("plenum", "congress"):
        congress = knowledge.congress_current_in(year)
        if congress is None:
            return ""
        short = _short_congress(congress)
        if fact.kind == "congress":
            return f"{short}精神"
        return f"{short}和{short[2:-1]}届历次全会精神"
    if fact.kind == "five_year_plan":
        plan = knowledge.plan_current_in(year)
        return _short_plan(plan) if plan else ""
    if fact.kind == "campaign" and not fact.superseded_by:
        running = knowledge.campaign_in(year)
        return running.label if running is not None and running is not fact else ""
    if fact.kind in ("institution", "slogan", "ideology", "campaign"):
        successor = _successor(fact, knowledge, year, mention.local)
        if successor is None:
            return ""
        if mention.local and successor.local_names:
            return successor.local_names[0]
        return successor.label
    return ""


def stale_in(mention, year: int) -> bool:
    """A current use of something that was no longer current in `year`."""
    fact = mention.fact
    # The checks on the fact and the year come before those that need the mention's use
    # (classified from the surrounding words on first access, the costly part).
    if fact.kind == "anniversary_base":
        implied = mention.implied_year
        if implied is None or implied == year:
            return False  # the year itself is allowed whatever the use
        if mention.use not in ("current", "ahead"):
            return False
        if year in mention.clause_years and implied in mention.clause_years:
            return False
        allowed = (year, year + 1) if mention.use == "ahead" else (year,)
        return implied not in allowed
    last = fact.stale_after(mention.local)
    if last is None or year <= last or mention.use != "current":
        return False
    end_year = (fact.local_end if mention.local and fact.local_end else fact.end)[0]
    # "2010年，我们深入开展…活动": the sentence dates itself to when the item was current.
    return not any(y <= end_year for y in mention.clause_years)


def fields(mention, knowledge, year: Optional[int], reason: str) -> dict:
    fact = mention.fact
    current = current_equivalent(mention, knowledge, year)
    values = {
        "ref": reference(mention), "period": fact.period(),
        "start": fact.start[0] if fact.start else "", "end": fact.end[0] if fact.end else "",
        "year": year if year is not None else "未知", "reason": reason,
        "current": (f"；{year}年开展的是{current}" if fact.kind == "campaign" and not fact.superseded_by
                    else f"；现行提法：{current}") if current else "",
        "implied": mention.implied_year or "", "number": "", "latest": "", "latest_year": "",
    }
    if fact.kind == "anniversary_base" and year is not None and fact.base_year is not None:
        values["number"] = year - fact.base_year
    values["changed"] = f"{values['end']}年"
    if mention.local and fact.local_end and fact.end and fact.local_end[0] > fact.end[0]:
        values["changed"] += f"（县级机构于{fact.local_end[0]}年完成）"
    return values


def render(template: str, values: dict) -> str:
    """str.format that leaves unknown {names} alone (a user's template may have typos)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)
