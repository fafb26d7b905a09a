"""`--statistics`: the findings counted per rule, most frequent first (as `ruff --statistics`),
instead of listed. Text, one rule a line, `[*]` when --fix repairs them, then the summary:

    57  punctuation-halfwidth  [ ]  全角标点的文本中混入半角 , ; : ? ! ( )
    12  artifact-download      [*]  文库网站的下载/复制提示（2024-11-25下载文档一键复制全文）
    69 problems in 3 of 5 files (12 fixable with --fix)

JSON: {"statistics": [{"rule", "category", "count", "fixable", "description"}]}, `fixable`
counting the findings --fix repairs (a rule's fix may not apply to every finding).
"""
from __future__ import annotations

import json
from collections import Counter

from ..io.escape import visible


def rows(report) -> list:
    """One dict per rule that fired, most findings first, then by rule id."""
    counts, fixable, categories = Counter(), Counter(), {}
    for finding in report.findings:
        counts[finding.rule] += 1
        fixable[finding.rule] += finding.fixable
        categories.setdefault(finding.rule, finding.category)
    out = []
    for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = report.rules.get(rule_id)
        description = rule.description.strip().splitlines()[0] if rule is not None and rule.description.strip() else ""
        out.append({"rule": rule_id, "category": categories[rule_id], "count": count,
                    "fixable": fixable[rule_id], "description": description})
    return out


def chunks(name: str, report):
    table = rows(report)
    if name == "json":
        yield json.dumps({"statistics": table}, ensure_ascii=False, indent=2) + "\n"
        return
    from .text import summary

    count_width = max((len(str(row["count"])) for row in table), default=1)
    rule_width = max((len(row["rule"]) for row in table), default=1)
    for row in table:
        mark = "[*]" if row["fixable"] else "[ ]"
        yield (f"{row['count']:>{count_width}}  {row['rule']:<{rule_width}}  {mark}  "
               f"{visible(row['description'])}".rstrip() + "\n")
    if report.summary:
        yield summary(len(report.findings), len({f.path for f in report.findings}), len(report.files),
                      sum(row["fixable"] for row in table)) + "\n"
