"""--list-rules and --explain RULE: the rules as a user sees them, with the config found from
the current directory (or -c) applied: the severity a rule has there, and whether it is on.
As text, or as JSON with --format json."""
from __future__ import annotations

import json


def _effective(linter) -> dict:
    """rule id -> (severity, on): the rules on for a file at the project root, with their
    configured severity; a rule that is off shows the severity it would have."""
    active = {rule.id: level for rule, level in linter.settings_for("").rules}
    severity = linter.config.severity
    out = {}
    for rule in linter.rules:
        if rule.id in active:
            out[rule.id] = (active[rule.id], True)
        else:
            out[rule.id] = (severity.get(rule.id, severity.get(rule.category, rule.severity)), False)
    return out


def _severity_cell(rule, level: str) -> str:
    """`info` when the config leaves the default, `info (default: warning)` when it changes it."""
    return level if level == rule.severity else f"{level} (default: {rule.severity})"


def _fixable(rule) -> bool:
    from ..core.fix import NEVER_FIXED

    return bool(rule.fix) and rule.category not in NEVER_FIXED


def list_rules(linter) -> str:
    effective = _effective(linter)
    rows = [("id", "category", "severity", "enabled", "description")]
    for rule in sorted(linter.rules, key=lambda r: (r.category, r.id)):
        level, on = effective[rule.id]
        rows.append((rule.id, rule.category, _severity_cell(rule, level), "yes" if on else "no",
                     rule.description.splitlines()[0] if rule.description else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4] for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _record(linter, rule, effective) -> dict:
    level, on = effective[rule.id]
    return {"id": rule.id, "category": rule.category, "severity": level, "default_severity": rule.severity,
            "enabled": on, "fixable": _fixable(rule), "kind": rule.kind, "pack": str(rule.pack),
            "description": rule.description.strip()}


def list_rules_json(linter) -> str:
    effective = _effective(linter)
    rules = [_record(linter, rule, effective) for rule in sorted(linter.rules, key=lambda r: (r.category, r.id))]
    return json.dumps({"rules": rules}, ensure_ascii=False, indent=2) + "\n"


def explain_json(linter, rule_id: str):
    rule = linter.by_id.get(rule_id)
    if rule is None:
        return None
    record = _record(linter, rule, _effective(linter))
    record.update({"explain": (rule.explain or "").strip(), "message": rule.message,
                   "examples": {"bad": [str(e) for e in rule.examples.get("bad", [])],
                                "good": [str(e) for e in rule.examples.get("good", [])]}})
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def explain(linter, rule_id: str):
    rule = linter.by_id.get(rule_id)
    if rule is None:
        return None
    level, on = _effective(linter)[rule.id]
    state = "on" if on else "off"
    out = [f"{rule.id}  ({rule.category}, {_severity_cell(rule, level)}, {state}, kind: {rule.kind}, pack: {rule.pack})",
           "", rule.description]
    if rule.explain:
        out += ["", rule.explain.rstrip()]
    out += ["", f"消息：{rule.message}"]
    if _fixable(rule):
        out.append("可自动修复（--fix）。")
    if rule.examples.get("bad"):
        out += ["", "会报告（bad）："] + [_example("✗", example) for example in rule.examples["bad"]]
    if rule.examples.get("good"):
        out += ["", "不会报告（good）："] + [_example("✓", example) for example in rule.examples["good"]]
    return "\n".join(out) + "\n"


def _example(mark: str, example: str) -> str:
    """One example under its mark; the lines of a multi-line example stay indented under it."""
    return f"  {mark} " + str(example).rstrip("\n").replace("\n", "\n    ")
