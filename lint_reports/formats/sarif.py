"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning (github/codeql-action/upload-sarif)
and any other SARIF viewer.

One run; `tool.driver.rules` lists every rule that fired (id, short and full description,
help: the rule's description and explanation with its examples, `helpUri`: the page of docs/
about its category, default level, category as a tag); each result carries
`ruleId`, `ruleIndex`, `level`, `message`, a location relative to `%SRCROOT%` (the directory
lint-reports ran in, the repository root in CI) and a `partialFingerprints` entry derived from
the flagged text rather than the line, so an alert survives lines inserted above it. A
finding --fix would repair carries `fixes`: one artifactChange whose replacement deletes a
region (lines and columns) and inserts the new text, if any. A finding that points elsewhere
(Finding.related) lists those places in `relatedLocations`.

helpUri: the page of docs/ about the rule's category, `<base><page>.md#<heading>`, where base
is the project's documentation URL the installed package declares (Project-URL
"Documentation", else "Repository"/"Source"/"Homepage" + `/blob/main/docs/`). SARIF wants an
absolute URI there, so without a declared URL there is no helpUri (an invented one would send
readers to a page that is not ours) and the help text ends with the page's path in the
lint-reports repository instead, `docs/<page>.md#<heading>`.
Columns count Unicode code points (`columnKind`), as our findings do.
"""
from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..core.fingerprint import fingerprints
from . import _jsonstream
from ._paths import relative_to_root

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"


def _artifact_location(path: str, root: Path) -> dict:
    """A relative URI under %SRCROOT% when the file is inside it, else an absolute file URI."""
    relative = relative_to_root(path, root)
    if relative is not None:
        return {"uri": quote(relative), "uriBaseId": SRCROOT}
    candidate = Path(path)
    return {"uri": (candidate if candidate.is_absolute() else root / candidate).resolve().as_uri()}


# Which page of docs/ explains a category, and the anchor of its heading (GitHub's slug of it).
DOC_PAGES = {
    "placeholder": ("placeholders.md", "placeholders-template-slots-and-deleted-numbers-names-and-dates"),
    "artifact": ("artifacts.md", "web-artifacts"),
    "outdated": ("outdated.md", "outdated-references-category-outdated"),
    "section": ("sections.md", "required-sections-section-missing"),
    "copied": ("copied.md", "copied-not-written-copied"),
    "date": ("dates.md", "dates-that-cannot-be-right"),
}
_DAMAGE = ("damage.md", "copy-damage-doubled-words-wrong-characters-broken-lines-punctuation-numbering")


@functools.lru_cache(maxsize=None)
def _docs_base() -> str:
    """Where docs/ is published: see the module docstring."""
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        declared = metadata("lint-reports").get_all("Project-URL") or []
    except (ImportError, PackageNotFoundError):
        declared = []
    urls = {}
    for entry in declared:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip().rstrip("/")
    if urls.get("documentation"):
        return urls["documentation"] + "/"
    for label in ("repository", "source", "homepage"):
        if urls.get(label):
            return urls[label] + "/blob/main/docs/"
    return ""


def doc_page(category: str) -> str:
    """`<page>.md#<heading>` of docs/ for `category`."""
    page, anchor = DOC_PAGES.get(category, _DAMAGE)
    return f"{page}#{anchor}"


def _help_uri(category: str) -> dict:
    base = _docs_base()
    return {"helpUri": base + doc_page(category)} if base else {}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _rule_descriptor(rule_id: str, rule, category: str, severity: str) -> dict:
    if rule is None:  # a finding from outside the loaded packs: describe it by its id
        return {"id": rule_id, "shortDescription": {"text": rule_id}, "fullDescription": {"text": rule_id},
                "help": {"text": f"lint-reports --explain {rule_id}"}, **_help_uri(category),
                "defaultConfiguration": {"level": LEVELS[severity]}, "properties": {"tags": [category]}}
    full = rule.description.strip()
    if rule.explain:
        full += "\n\n" + rule.explain.strip()
    # what the rule finds and why, not its message template (whose {slots} a result fills)
    help_lines = [full or rule.id]
    help_md = [full or rule.id]
    if rule.examples.get("bad"):
        help_lines += ["", "会报告："] + [f"  ✗ {example}" for example in rule.examples["bad"]]
        help_md += ["", "会报告：", ""] + [f"- `{example}`" for example in rule.examples["bad"]]
    if rule.examples.get("good"):
        help_lines += ["", "不会报告："] + [f"  ✓ {example}" for example in rule.examples["good"]]
        help_md += ["", "不会报告：", ""] + [f"- `{example}`" for example in rule.examples["good"]]
    help_lines += ["", f"lint-reports --explain {rule.id}", f"docs/{doc_page(rule.category)}"]
    help_md += ["", f"`lint-reports --explain {rule.id}`", "", f"docs/{doc_page(rule.category)}"]
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": _first_line(rule.description) or rule.id},
        "fullDescription": {"text": full or rule.id},
        "help": {"text": "\n".join(help_lines), "markdown": "\n".join(help_md)},
        **_help_uri(rule.category),
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled},
        "properties": {"tags": [rule.category], "category": rule.category},
    }


def build(report, root: Path = None) -> dict:
    """The whole SARIF log as one object."""
    document, results = _log(report, root)
    document["runs"][0]["results"] = list(results)
    return document


def _log(report, root: Path = None) -> tuple:
    """(the log with _jsonstream.SLOT for its results, the results one at a time)."""
    root = (root or Path.cwd()).resolve()
    rule_index: dict = {}
    descriptors = []
    for finding in report.findings:
        if finding.rule not in rule_index:
            rule_index[finding.rule] = len(descriptors)
            descriptors.append(_rule_descriptor(finding.rule, report.rules.get(finding.rule),
                                                finding.category, finding.severity))
    driver = {"name": "lint-reports", "semanticVersion": __version__, "version": __version__,
              "rules": descriptors}
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": _jsonstream.SLOT,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, _results(report, root, rule_index)


def _region(finding) -> dict:
    if finding.end_line > finding.line:  # whole lines: SARIF's endColumn then defaults to the end of endLine
        return {"startLine": finding.line, "startColumn": finding.column, "endLine": finding.end_line}
    return {"startLine": finding.line, "startColumn": finding.column,
            "endColumn": max(finding.end_column, finding.column + 1)}


def _fix(finding, artifact: dict) -> dict:
    """SARIF 2.1.0 §3.55 fix: the edit --fix would make, as one replacement in the file.
    A deletion has no insertedContent; a region ending at column 1 of the next line takes
    the line's newline with it."""
    from ..core.fixhints import describe

    line, column, end_line, end_column = finding.fix_region[:4]
    replacement = {"deletedRegion": {"startLine": line, "startColumn": column,
                                     "endLine": end_line, "endColumn": end_column}}
    if finding.fix.replacement:
        replacement["insertedContent"] = {"text": finding.fix.replacement}
    return {"description": {"text": describe(finding)},
            "artifactChanges": [{"artifactLocation": artifact, "replacements": [replacement]}]}


def _results(report, root: Path, rule_index: dict):
    for finding, fingerprint in zip(report.findings, fingerprints(report.findings)):
        artifact = _artifact_location(finding.path, root)
        result = {
            "ruleId": finding.rule,
            "ruleIndex": rule_index[finding.rule],
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": artifact,
                "region": _region(finding),
            }}],
            "partialFingerprints": {"lintReportsAnchor/v1": fingerprint},
        }
        if finding.fix_region is not None:
            result["fixes"] = [_fix(finding, artifact)]
        if finding.related:
            result["relatedLocations"] = [_related_location(index, place, root)
                                          for index, place in enumerate(finding.related)]
        yield result


def _related_location(index: int, place, root: Path) -> dict:
    """A related place; one that is no file (path "") is its message alone."""
    location = {"id": index, "message": {"text": place.message or place.path}}
    if place.path:
        location["physicalLocation"] = {"artifactLocation": _artifact_location(place.path, root),
                                        "region": {"startLine": place.line, "startColumn": place.column}}
    return location


def render(report) -> str:
    return "".join(chunks(report))


def chunks(report):
    document, results = _log(report)
    return _jsonstream.chunks(document, results)
