"""`--format json`: {"findings": [{path, line, column, end_column, rule, category, severity, message}]}

Written a finding at a time (`chunks`), byte for byte what `json.dumps(..., indent=2)` of
the whole object gives: the output of a big run is never held whole."""
from __future__ import annotations

import json


def render(report) -> str:
    return "".join(chunks(report))


def chunks(report):
    if not report.findings:
        yield '{\n  "findings": []\n}\n'
        return
    yield '{\n  "findings": ['
    separator = "\n    "
    for finding in report.findings:
        yield separator + json.dumps(finding.as_json(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        separator = ",\n    "
    yield "\n  ]\n}\n"
