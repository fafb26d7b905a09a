"""Kind `unused_suppression`: a suppression comment that hides nothing.

Runs after the other rules and after suppressions were applied (`AFTER_SUPPRESSION`), so it
knows what each comment hid. A comment is reported when one of its targets could have fired
in this file (the rule or category ran) yet hid nothing. A target that names neither a rule
nor a category is the `unknown_suppression` kind's. Off by default;
`--report-unused-suppressions` (or `report-unused-suppressions: true`) turns it on.

Failing example (rule unused-suppression): the line has no placeholder left

    今年圆满完成了各项工作任务。 lint-reports: disable-line

Passing example:

    全县共有xx个村。 lint-reports: disable-line placeholder-x
"""
from __future__ import annotations

from ..core.suppress import unused_message

KIND = "unused_suppression"
PARAMS: dict = {}
REQUIRED = ()
AFTER_SUPPRESSION = True


def prepare(rule, data) -> None:
    rule.state = None


def check(ctx, rule):
    doc = ctx.doc
    for directive in doc.suppressions:
        message = unused_message(directive)
        if message:
            yield rule.finding(doc, directive.start, directive.end, message=message)
