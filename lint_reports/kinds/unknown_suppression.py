"""Kind `unknown_suppression`: a suppression comment naming no rule and no category.

A misspelt target (`placeholdr-x`) suppresses nothing, so the comment looks as if it
worked while the finding it was written for is still there — or a later rule is silently
not the one meant. Reported by default (as ruff reports an unknown code in a `# noqa`),
with the closest rule id or category as a hint. Runs once suppressions were applied
(`AFTER_SUPPRESSION`), from what `lint_reports.core.suppress` found in the comments.

Failing example (rule unknown-suppression): `placeholdr-x` is no rule

    全县共有xx个村。 lint-reports: disable-line placeholdr-x

Passing example:

    全县共有xx个村。 lint-reports: disable-line placeholder-x
"""
from __future__ import annotations

from ..core.suppress import unknown_message

KIND = "unknown_suppression"
PARAMS: dict = {}
REQUIRED = ()
AFTER_SUPPRESSION = True


def prepare(rule, data) -> None:
    rule.state = None


def check(ctx, rule):
    doc = ctx.doc
    for directive in doc.suppressions:
        message = unknown_message(directive)
        if message:
            yield rule.finding(doc, directive.start, directive.end, message=message)
