"""`--format json`: {"findings": [{path, line, column, end_column, rule, category, severity, message}]}"""
from __future__ import annotations

import json


def render(report) -> str:
    return json.dumps({"findings": [f.as_json() for f in report.findings]}, ensure_ascii=False, indent=2) + "\n"
