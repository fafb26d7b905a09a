"""`--format junit`: JUnit XML for CI test tabs (GitLab `artifacts:reports:junit`, Jenkins…).

One testsuite; one testcase per file linted (a clean file is a passing test), one `<failure>`
per finding at or above the fail level in effect for its file (--fail-level, else the
fail-level of that file's config), its `type` the rule id and its text the finding as the
text format prints it. Findings below the fail level do not fail the job, so they do not fail
the test either (GitLab's Tests tab would show a passing job red): they are listed, a line
each in the same form, in the testcase's `<system-out>`.

Written a failure at a time (`chunks`), each element serialised by ElementTree: the same bytes
as indenting and serialising the whole tree, without holding a tree of every finding (185 MB
for the 30 000 findings of the benchmark's 20 MB file).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ..core.finding import SEVERITY_RANK
from ..io.escape import for_xml

# Characters XML 1.0 cannot carry at all, even escaped (a message quotes the flagged text,
# which may hold control characters from a damaged file), shown as escapes (\x1b); the rest
# is kept as it is.
_xml_text = for_xml
_MARKER = "lint-reports-children"
_SPACE = "  "  # ElementTree.indent's default


def _around_children(root: ET.Element, parent: ET.Element, level: int, declaration: bool = False) -> tuple:
    """The serialised `root`, indented as at `level`, cut where `parent`'s children go:
    (everything up to the first child, everything after the last child's tail)."""
    marker = ET.SubElement(parent, _MARKER)
    ET.indent(root, space=_SPACE, level=level)
    text = ET.tostring(root, encoding="unicode", xml_declaration=declaration)
    parent.remove(marker)
    head, _, tail = text.partition(f"<{_MARKER} />")
    return head, tail


def _line(finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.severity} {finding.rule} {finding.message}"


def _failure(finding) -> str:
    failure = ET.Element("failure", message=_xml_text(finding.message), type=finding.rule)
    failure.text = _xml_text(_line(finding))
    return ET.tostring(failure, encoding="unicode")


def _system_out(findings: list) -> str:
    element = ET.Element("system-out")
    element.text = _xml_text("\n".join(_line(finding) for finding in findings))
    return ET.tostring(element, encoding="unicode")


def fails(finding, fail_level) -> bool:
    """At or above the fail level of its file; every finding when the report has none."""
    if fail_level is None:
        return True
    level = fail_level(finding.path)
    return level != "never" and SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[level]


def _testcase(path: str, findings: list, fail_level):
    case = ET.Element("testcase", classname="lint-reports", name=_xml_text(path), file=_xml_text(path))
    if not findings:
        yield ET.tostring(case, encoding="unicode")
        return
    failing = [finding for finding in findings if fails(finding, fail_level)]
    passing = [finding for finding in findings if not fails(finding, fail_level)]
    head, tail = _around_children(case, case, level=2)
    between = "\n" + _SPACE * 3
    yield head
    for index, finding in enumerate(failing):
        if index:
            yield between
        yield _failure(finding)
    if passing:
        yield (between if failing else "") + _system_out(passing)
    yield tail


def chunks(report):
    by_path: dict = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    paths = list(report.files) + [p for p in by_path if p not in report.files]
    fail_level = getattr(report, "fail_level", None)
    failing = sum(1 for p in paths if any(fails(f, fail_level) for f in by_path.get(p, ())))
    root = ET.Element("testsuites", name="lint-reports", tests=str(len(paths)), failures=str(failing), errors="0")
    suite = ET.SubElement(root, "testsuite", name="lint-reports", tests=str(len(paths)), failures=str(failing),
                          errors="0", skipped="0")
    if not paths:  # an empty suite is written <testsuite … />
        ET.indent(root, space=_SPACE)
        yield ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
        return
    head, tail = _around_children(root, suite, level=0, declaration=True)
    yield head
    for index, path in enumerate(paths):
        if index:
            yield "\n" + _SPACE * 2
        yield from _testcase(path, by_path.get(path, []), fail_level)
    yield tail + "\n"


def render(report) -> str:
    return "".join(chunks(report))
