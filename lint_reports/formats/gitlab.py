"""`--format gitlab`: a GitLab Code Quality report (a JSON array; `artifacts:reports:codequality`).

    [{"description": "…", "check_name": "placeholder-x", "fingerprint": "…", "severity": "critical",
      "location": {"path": "reports/a.md", "lines": {"begin": 3}}}]

The fingerprint comes from the rule, the path and the flagged text with its context (plus an
occurrence index for identical text), not from the line, so the merge request widget does
not call an old finding new when lines are inserted above it, and no two findings share one.
"""
from __future__ import annotations

from ..core.fingerprint import fingerprints
from . import _jsonstream
from ._paths import ci_path

# GitLab's five levels; ours are three. An error (template leftover, web junk) must not ship:
# critical. A warning needs a human look: major. Info is a hint: info.
SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def render(report) -> str:
    return "".join(chunks(report))


def chunks(report):
    return _jsonstream.chunks(_jsonstream.SLOT, _issues(report))


def _issues(report):
    for finding, fingerprint in zip(report.findings, fingerprints(report.findings)):
        yield {
            "type": "issue",
            "description": finding.message,
            "check_name": finding.rule,
            "categories": [finding.category],
            "fingerprint": fingerprint,
            "severity": SEVERITIES[finding.severity],
            "location": {"path": ci_path(finding.path), "lines": {"begin": finding.line}},
        }
