"""`--format gitlab`: a GitLab Code Quality report (a JSON array; `artifacts:reports:codequality`).

    [{"description": "…", "check_name": "placeholder-x", "fingerprint": "…", "severity": "critical",
      "categories": ["Bug Risk"], "location": {"path": "reports/a.md", "lines": {"begin": 3, "end": 3}}}]

Categories are Code Climate's (CATEGORIES maps ours onto them), severities GitLab's.

The fingerprint comes from the rule, the path and the flagged text with its context (plus an
occurrence index for identical text), not from the line, so the merge request widget does
not call an old finding new when lines are inserted above it, and no two findings share one.
"""
from __future__ import annotations

from ..core.fingerprint import fingerprints
from . import _jsonstream
from ._paths import ci_path

# Code Climate defines eight categories (the spec GitLab's report follows: anything else is
# not a category). Ours, by what the defect costs the reader:
CATEGORIES = {
    "placeholder": "Bug Risk",  # an unfilled template slot ships a wrong report
    "artifact": "Bug Risk",  # a copied site's furniture or markup ships with it
    "outdated": "Bug Risk",  # a reference to a past year or a superseded term is a wrong fact
    "section": "Clarity",  # a missing or misplaced section: the report is hard to follow
    "numbering": "Clarity",  # headings numbered out of order
    "repetition": "Duplication",  # a sentence or passage said twice
    "charset": "Compatibility",  # mojibake, characters of another script or encoding
    "linebreak": "Style",  # lines broken by the copy, not by the writer
    "punctuation": "Style",  # half-width marks in Chinese text and the like
    "date": "Bug Risk",  # a date that cannot be right is a wrong fact
    "copied": "Duplication",  # a template's or another report's passage left as it was
}
DEFAULT_CATEGORY = "Style"  # only if finding.CATEGORIES grows without a line here (a test checks)

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
            "categories": [CATEGORIES.get(finding.category, DEFAULT_CATEGORY)],
            "fingerprint": fingerprint,
            "severity": SEVERITIES[finding.severity],
            "location": {"path": ci_path(finding.path), "lines": {"begin": finding.line, "end": finding.last_line}},
        }
