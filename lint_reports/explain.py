"""--list-rules and --explain RULE: the rules as a user sees them."""
from __future__ import annotations


def list_rules(linter) -> str:
    active = {rule.id for rule, _ in linter.settings_for("").rules}
    rows = [("id", "category", "severity", "enabled", "description")]
    for rule in sorted(linter.rules, key=lambda r: (r.category, r.id)):
        rows.append((rule.id, rule.category, rule.severity, "yes" if rule.id in active else "no",
                     rule.description.splitlines()[0] if rule.description else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def explain(linter, rule_id: str):
    rule = linter.by_id.get(rule_id)
    if rule is None:
        return None
    out = [f"{rule.id}  ({rule.category}, {rule.severity}, kind: {rule.kind}, pack: {rule.pack})", "",
           rule.description]
    if rule.explain:
        out += ["", rule.explain.rstrip()]
    out += ["", f"消息：{rule.message}"]
    if rule.fix:
        out.append("可自动修复（--fix）。")
    if rule.examples.get("bad"):
        out += ["", "会报告（bad）："] + [_example("✗", example) for example in rule.examples["bad"]]
    if rule.examples.get("good"):
        out += ["", "不会报告（good）："] + [_example("✓", example) for example in rule.examples["good"]]
    return "\n".join(out) + "\n"


def _example(mark: str, example: str) -> str:
    """One example under its mark; the lines of a multi-line example stay indented under it."""
    return f"  {mark} " + str(example).rstrip("\n").replace("\n", "\n    ")
