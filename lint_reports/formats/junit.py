"""`--format junit`: JUnit XML for CI test tabs (GitLab `artifacts:reports:junit`, Jenkins…).

One testsuite; one testcase per file linted (a clean file is a passing test), one `<failure>`
per finding, its `type` the rule id and its text the finding as the text format prints it.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# Characters XML 1.0 cannot carry at all, even escaped (a message quotes the flagged text,
# which may hold control characters from a damaged file).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(report) -> str:
    by_path: dict = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    paths = list(report.files) + [p for p in by_path if p not in report.files]
    failing = sum(1 for p in paths if by_path.get(p))
    suite = ET.Element("testsuite", name="lint-reports", tests=str(len(paths)), failures=str(failing),
                       errors="0", skipped="0")
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname="lint-reports", name=_xml_text(path),
                             file=_xml_text(path))
        for f in by_path.get(path, []):
            failure = ET.SubElement(case, "failure", message=_xml_text(f.message), type=f.rule)
            failure.text = _xml_text(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")
    root = ET.Element("testsuites", name="lint-reports", tests=str(len(paths)), failures=str(failing),
                      errors="0")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
