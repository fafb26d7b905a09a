"""Kind `numbering`: heading ordinals (GB/T 9704: 一、 → （一） → 1. → （1）).

Each compilation piece (Document.structure.parts: `(精选11篇)`, `篇一`, numbering that
starts again after a new title) is checked as a document of its own. Checks (the rule's
`check` parameter), with facts from knowledge/numbering.yaml:

  sequence        ordinals of a level run on without gaps or repeats (一、 二、 四、);
                  a level starting again at 1 under an unnumbered heading is not reported
  bracket-punct   no punctuation after a bracketed or circled ordinal: （一）、 → （一）
                  (GB/T 15834)
  cn-punct        an unbracketed Chinese numeral takes 、: 一. / 一， → 一、 (GB/T 15834)
  form            one form per piece for a `feature`: `arabic-punct` (1. vs 1、 vs "1 ")
                  or `paren-width` （一） vs (一). A piece that uses a non-standard form
                  throughout gets ONE finding; a form mixed into a piece that mostly uses
                  another is reported at each odd one, with a fix to the piece's own form
  precomposed     ⑴ ㈠ ⒈ — single code points that look like ordinals → （1） （一） 1.
  skip-level      a level skipped (一、 directly followed by 1.); disputed, so `info`
  mixed-decimal   decimal 2.1-style numbering (papers, GB/T 7713) inside 公文-style numbering

Failing example (rule numbering-sequence):

    一、加强组织领导
    二、创新培训方式
    四、扎实开展工作

Passing example:

    一、加强组织领导
    （一）完善工作方案
    1.制定学习计划
    （1）按月安排
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..core.finding import Edit
from ..core.structure import PAREN_CN, PAREN_DIGITS, PERIOD_DIGITS

KIND = "numbering"


class NumberingState(NamedTuple):
    """What prepare keeps of a numbering rule."""
    check: str
    feature: Optional[str]  # for check `form`


PARAMS = {"check": str, "feature": str}
REQUIRED = ("check",)
CHECKS = ("sequence", "bracket-punct", "cn-punct", "form", "precomposed", "skip-level", "mixed-decimal")
FEATURES = ("arabic-punct", "paren-width")
NUMBERED = ("part", "cn", "cn-paren", "decimal", "arabic", "arabic-paren", "circled")
CN_ORDINALS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
               "十四", "十五", "十六", "十七", "十八", "十九", "二十"]


def prepare(rule, data) -> None:
    check = rule.params["check"]
    if check not in CHECKS:
        raise ValueError(f"'check' must be one of {', '.join(CHECKS)}")
    feature = rule.params.get("feature")
    if check == "form" and feature not in FEATURES:
        raise ValueError(f"check 'form' needs 'feature': one of {', '.join(FEATURES)}")
    rule.state = NumberingState(check, feature)


def check(ctx, rule):
    doc = ctx.doc
    structure = doc.structure
    handler = _CHECKS[rule.state.check]
    for part in structure.parts:
        headings = [h for h in structure.headings_in(part) if h.style in NUMBERED and h.ordinal is not None]
        if headings:
            yield from handler(doc, rule, headings)


def _marker_span(doc, heading):
    start = doc.offset(heading.line, heading.column)
    return start, start + len(heading.marker)


def _written(heading, ordinal: int) -> str:
    if heading.style in ("cn", "part"):
        number = CN_ORDINALS[ordinal] if ordinal < len(CN_ORDINALS) else str(ordinal)
        return f"{number}、" if heading.style == "cn" else f"第{number}部分"
    if heading.style == "cn-paren":
        return f"（{CN_ORDINALS[ordinal] if ordinal < len(CN_ORDINALS) else ordinal}）"
    if heading.style == "arabic-paren":
        return f"（{ordinal}）"
    if heading.style == "decimal":
        return heading.marker.rsplit(".", 1)[0].rsplit("．", 1)[0] + f".{ordinal}"
    return f"{ordinal}."


def _key(heading):
    if heading.style == "decimal":
        return ("decimal", heading.marker.replace("．", ".").rsplit(".", 1)[0])
    return (heading.style,)


def _sequence(doc, rule, headings):
    last: dict = {}
    for heading in headings:
        for key in [k for k, (level, _) in last.items() if level > heading.level]:
            del last[key]
        key = _key(heading)
        previous = last.get(key, (heading.level, 0))[1]
        ordinal = heading.ordinal
        if ordinal != previous + 1 and not (ordinal == 1 and previous):
            start, end = _marker_span(doc, heading)
            if ordinal == previous:
                message = f"序号“{heading.marker}”与上一个同级序号重复：请重新编号。"
            elif ordinal < previous:
                message = f"序号“{heading.marker}”倒退了（上一个同级序号是 {previous}）：请重新编号。"
            else:
                message = (f"序号不连续：“{heading.marker}”之前缺少“{_written(heading, previous + 1)}”"
                           "（可能删掉了一部分）：请补上缺的部分或重新编号。")
            yield rule.finding(doc, start, end, message=message)
        last[key] = (heading.level, ordinal)


def _bracket_punct(doc, rule, headings):
    for heading in headings:
        if heading.style in ("cn-paren", "arabic-paren", "circled") and heading.punct:
            start, end = _marker_span(doc, heading)
            yield rule.finding(doc, start, end, fix=Edit(end - len(heading.punct), end, ""),
                               message=rule.message.replace("{punct}", heading.punct))


def _cn_punct(doc, rule, headings):
    for heading in headings:
        if heading.style == "cn" and heading.punct != "、":
            start, end = _marker_span(doc, heading)
            offset = end - len(heading.punct)
            yield rule.finding(doc, start, end, fix=Edit(offset, end, "、"),
                               message=rule.message.replace("{punct}", heading.punct))


def _arabic_form(doc, heading):
    """(variant, standard, edit to standard) for an arabic ordinal, or None."""
    if heading.style != "arabic" or heading.marker[:1] in PERIOD_DIGITS:
        return None
    start, end = _marker_span(doc, heading)
    number = str(heading.ordinal)
    line_text = doc.lines[heading.line - 1]
    column = heading.column - 1 + len(heading.marker.split(number, 1)[0]) + len(number)
    rest = line_text[column:]
    punct_end = column + (len(rest) - len(rest.lstrip(" 　")) if not heading.punct else
                          rest.find(heading.punct) + len(heading.punct))
    variant = {"、": "1、", ".": "1.", "．": "1.", "": "1 "}.get(heading.punct, "1" + heading.punct)
    base = doc.line_starts[heading.line - 1]
    return variant, Edit(base + column, base + punct_end, ".")


def _paren_form(doc, heading):
    if heading.style not in ("cn-paren", "arabic-paren"):
        return None
    start, end = _marker_span(doc, heading)
    marker = doc.text[start:end]
    if marker[:1] not in "(（":
        return None
    variant = "(" if "(" in marker or ")" in marker else "（"
    fixed = marker.replace("(", "（").replace(")", "）")
    return variant, Edit(start, end, fixed) if fixed != marker else None


def _form(doc, rule, headings):
    feature = rule.state.feature
    standard = "1." if feature == "arabic-punct" else "（"
    reader = _arabic_form if feature == "arabic-punct" else _paren_form
    forms = [(h, reader(doc, h)) for h in headings]
    forms = [(h, f) for h, f in forms if f is not None]
    if not forms:
        return
    counts: dict = {}
    for _, (variant, _) in forms:
        counts[variant] = counts.get(variant, 0) + 1
    if len(counts) == 1:
        variant = next(iter(counts))
        if variant != standard:
            heading, _ = forms[0]
            start, end = _marker_span(doc, heading)
            yield rule.finding(doc, start, end, severity="info", message=rule.message
                               .replace("{variant}", variant).replace("{count}", str(len(forms)))
                               .replace("{marker}", doc.text[start:end]))
        return
    majority = max(counts, key=lambda v: (counts[v], v == standard))
    for heading, (variant, edit) in forms:
        if variant == majority:
            continue
        start, end = _marker_span(doc, heading)
        fix = None
        if majority == standard:
            fix = edit
        yield rule.finding(doc, start, end, fix=fix, message=(
            f"序号“{heading.marker}”的写法与本篇其他同类序号（“{majority}”式，{counts[majority]} 处）不一致：应统一"
            + ("为标准写法。" if majority == standard else "。")))


def _precomposed(doc, rule, headings):
    for heading in headings:
        char = heading.marker[:1]
        if char in PAREN_DIGITS:
            right = f"（{PAREN_DIGITS.index(char) + 1}）"
        elif char in PAREN_CN:
            right = f"（{CN_ORDINALS[PAREN_CN.index(char) + 1]}）"
        elif char in PERIOD_DIGITS:
            right = f"{PERIOD_DIGITS.index(char) + 1}."
        else:
            continue
        start = doc.offset(heading.line, heading.column)
        yield rule.finding(doc, start, start + 1, fix=Edit(start, start + 1, right),
                           message=rule.message.replace("{right}", right), suggestion=right)


LEVEL_NAMES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）", 5: "①"}


def _skip_level(doc, rule, headings):
    """Once per piece: skipping a level is a house-style choice, so one finding is enough."""
    open_levels: list = []  # stack of headings, shallow to deep
    skipped = []
    for heading in headings:
        if heading.style == "decimal" or heading.level == 0:
            continue
        while open_levels and open_levels[-1].level >= heading.level:
            open_levels.pop()
        parent = open_levels[-1] if open_levels else None
        if parent is not None and heading.level > parent.level + 1 \
                and not any(p is parent for p, _ in skipped):
            skipped.append((parent, heading))
        open_levels.append(heading)
    if skipped:
        parent, heading = skipped[0]
        start, end = _marker_span(doc, heading)
        missing = LEVEL_NAMES.get(parent.level + 1, "")
        yield rule.finding(doc, start, end, message=rule.message
                           .replace("{parent}", parent.marker).replace("{missing}", missing)
                           .replace("{count}", str(len(skipped))))


def _mixed_decimal(doc, rule, headings):
    official = [h for h in headings if h.style in ("cn", "cn-paren")]
    decimal = [h for h in headings if h.style == "decimal"]
    if official and decimal:
        start, end = _marker_span(doc, decimal[0])
        yield rule.finding(doc, start, end, message=rule.message
                           .replace("{count}", str(len(decimal))).replace("{official}", official[0].marker))


_CHECKS = {
    "sequence": _sequence, "bracket-punct": _bracket_punct, "cn-punct": _cn_punct, "form": _form,
    "precomposed": _precomposed, "skip-level": _skip_level, "mixed-decimal": _mixed_decimal,
}
