"""The CI outputs as their readers expect them: JUnit fails a file only at the fail level,
GitLab Code Quality speaks Code Climate's categories, SARIF rules carry real help and
related locations, and related locations survive the cache and reach JSON."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from conftest import ROOT, SCHEMAS, run_cli
from lint_reports.core.finding import CATEGORIES, Finding, RelatedLocation

DIRTY = "全县共有xx个村。\n今年工作取得新进展,成效明显。\n"  # an error (placeholder) and a lower finding


def _junit(tmp_path, *args):
    out = run_cli("--format", "junit", *args, ".", cwd=tmp_path)
    return out, ET.fromstring(out.stdout)


def test_junit_findings_below_the_fail_level_do_not_fail_the_file(tmp_path):
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    everything = json.loads(run_cli("--format", "json", ".", cwd=tmp_path).stdout)["findings"]
    severities = {f["severity"] for f in everything}
    assert "error" in severities and severities - {"error"}, everything
    result, root = _junit(tmp_path, "--fail-level", "error")
    assert result.returncode == 1
    case = root.find(".//testcase")
    assert {f.get("type") for f in case.iter("failure")} == {f["rule"] for f in everything if f["severity"] == "error"}
    listed = case.find("system-out").text.splitlines()
    assert len(listed) == sum(f["severity"] != "error" for f in everything)
    assert all(re.match(r"a\.txt:\d+:\d+: (warning|info) ", line) for line in listed), listed


def test_junit_passing_job_has_no_failures(tmp_path):
    (tmp_path / "a.txt").write_text("今年工作取得新进展,成效明显。\n", encoding="utf-8")  # below error only
    assert json.loads(run_cli("--format", "json", ".", cwd=tmp_path).stdout)["findings"]
    result, root = _junit(tmp_path, "--fail-level", "error")
    assert result.returncode == 0
    assert list(root.iter("failure")) == []
    assert root.find("testsuite").get("failures") == "0" and root.get("failures") == "0"
    assert root.find(".//system-out").text  # still listed for whoever opens the test


def test_junit_exit_zero_keeps_the_failures_fail_level_never_clears_them(tmp_path):
    """The two ways docs/ci.md offers to keep a job going differ in the Tests tab: --exit-zero
    changes the exit status only (the findings stay failures to look at), --fail-level never
    makes every finding pass."""
    (tmp_path / "a.txt").write_text(DIRTY, encoding="utf-8")
    result, root = _junit(tmp_path, "--exit-zero")
    assert result.returncode == 0
    assert root.get("failures") == "1" and list(root.iter("failure"))
    result, root = _junit(tmp_path, "--fail-level", "never")
    assert result.returncode == 0
    assert root.get("failures") == "0" and root.find(".//system-out").text


def test_junit_follows_the_fail_level_of_each_files_config(tmp_path):
    (tmp_path / "strict").mkdir()
    (tmp_path / "lax").mkdir()
    for folder in ("strict", "lax"):
        (tmp_path / folder / "a.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "lax" / ".lint-reports.yaml").write_text("fail-level: never\n", encoding="utf-8")
    result, root = _junit(tmp_path)
    assert result.returncode == 1
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert list(cases["lax/a.txt"].iter("failure")) == [] and cases["lax/a.txt"].find("system-out") is not None
    assert list(cases["strict/a.txt"].iter("failure"))
    assert root.find("testsuite").get("failures") == "1"


# Code Climate's issue spec (github.com/codeclimate/platform, spec/analyzers/SPEC.md), the
# fields GitLab reads, as a schema.
CODE_CLIMATE_ISSUE = {
    "type": "object",
    "required": ["type", "check_name", "description", "categories", "location", "fingerprint", "severity"],
    "properties": {
        "type": {"const": "issue"},
        "check_name": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "categories": {"type": "array", "minItems": 1, "items": {"enum": [
            "Bug Risk", "Clarity", "Compatibility", "Complexity", "Duplication", "Performance", "Security",
            "Style"]}},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {"type": "object", "required": ["path", "lines"], "properties": {
            "path": {"type": "string", "not": {"pattern": "^/"}},
            "lines": {"type": "object", "required": ["begin"], "properties": {
                "begin": {"type": "integer", "minimum": 1}, "end": {"type": "integer", "minimum": 1}}}}},
    },
}


def test_gitlab_maps_every_category_onto_code_climates():
    from lint_reports.formats import gitlab

    assert set(gitlab.CATEGORIES) == set(CATEGORIES)
    assert gitlab.CATEGORIES["repetition"] == "Duplication"


def test_gitlab_report_has_the_code_climate_shape():
    issues = json.loads(run_cli("--format", "gitlab", "seeds").stdout)
    assert len({issue["categories"][0] for issue in issues}) > 2
    validator = jsonschema.Draft7Validator({"type": "array", "minItems": 1, "items": CODE_CLIMATE_ISSUE})
    errors = [error.message for error in validator.iter_errors(issues)]
    assert errors == []


@pytest.fixture(scope="module")
def seed_sarif():
    return json.loads(run_cli("--format", "sarif", "seeds").stdout)


def test_sarif_help_is_the_rules_description_not_its_message_template(seed_sarif):
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    by_id = Linter(Config()).by_id
    rules = seed_sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules
    for descriptor in rules:
        rule = by_id[descriptor["id"]]
        assert descriptor["help"]["text"].startswith(rule.description.strip())
        if "{" in rule.message:  # a template: its slots must not reach the help
            assert rule.message not in descriptor["help"]["text"]
        assert not re.search(r"\{[a-z_]+\}", descriptor["help"]["text"]), descriptor["help"]["text"]
        assert "docs/" + descriptor["help"]["text"].rsplit("docs/", 1)[1] == descriptor["help"]["text"].splitlines()[-1]


def _github_slug(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("category", CATEGORIES)
def test_each_category_links_to_a_heading_that_exists(category):
    from lint_reports.formats.sarif import doc_page

    page, anchor = doc_page(category).split("#")
    headings = re.findall(r"^#+ (.+)$", (ROOT / "docs" / page).read_text(encoding="utf-8"), re.M)
    assert anchor in {_github_slug(heading) for heading in headings}


def test_sarif_help_uri_under_a_declared_docs_url(monkeypatch):
    from lint_reports.formats import Report, sarif

    monkeypatch.setattr(sarif, "_docs_base", lambda: "https://example.org/lint-reports/docs/")
    finding = Finding("a.txt", 1, 5, 7, "placeholder-x", "placeholder", "error", "m")
    rule = sarif._rule_descriptor("placeholder-x", None, "placeholder", "error")
    assert rule["helpUri"] == ("https://example.org/lint-reports/docs/placeholders.md"
                               "#placeholders-template-slots-and-deleted-numbers-names-and-dates")
    log = sarif.build(Report([finding], ["a.txt"], {}))
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] == rule["helpUri"]


def test_sarif_without_a_declared_url_has_no_help_uri(monkeypatch):
    from lint_reports.formats import sarif

    monkeypatch.setattr(sarif, "_docs_base", lambda: "")
    assert "helpUri" not in sarif._rule_descriptor("placeholder-x", None, "placeholder", "error")


def _related_finding():
    return Finding("b.txt", 3, 1, 9, "repeated-copy", "repetition", "warning", "与 a.txt 第 12 行相同",
                   start=10, end=18,
                   related=(RelatedLocation("a.txt", 12, 4, "第一次出现"), RelatedLocation("子目录/c.txt", 2)))


def test_sarif_related_locations_are_relative_and_valid(tmp_path):
    from lint_reports.formats import Report, sarif

    log = sarif.build(Report([_related_finding()], ["b.txt"], {}), root=tmp_path)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    related = run["results"][0]["relatedLocations"]
    assert [place["physicalLocation"]["artifactLocation"] for place in related] == [
        {"uri": "a.txt", "uriBaseId": "%SRCROOT%"},
        {"uri": "%E5%AD%90%E7%9B%AE%E5%BD%95/c.txt", "uriBaseId": "%SRCROOT%"}]
    assert related[0]["physicalLocation"]["region"] == {"startLine": 12, "startColumn": 4}
    assert related[0]["message"]["text"] == "第一次出现"
    assert [place["id"] for place in related] == [0, 1]


def test_related_locations_reach_json_and_survive_the_cache():
    from lint_reports.speed.result_cache import Invalid, finding_from_json, finding_to_json
    from lint_reports.formats import Report, render

    finding = _related_finding()
    stored = json.loads(json.dumps(finding_to_json(finding)))
    back = finding_from_json(stored)
    assert back == finding and back.related == finding.related
    assert finding_from_json(json.loads(json.dumps(finding_to_json(Finding(
        "a.txt", 1, 1, 2, "placeholder-x", "placeholder", "error", "m"))))).related == ()
    for bad in ("a.txt", [["a.txt", 1]], [{"path": "a.txt", "line": 0, "column": 1, "message": ""}],
                [{"path": "a.txt", "line": 1, "column": 1, "message": "", "extra": 1}],
                [{"path": 3, "line": 1, "column": 1, "message": ""}]):
        with pytest.raises(Invalid):
            finding_from_json(dict(stored, related=bad))
    listed = json.loads(render("json", Report([finding], ["b.txt"], {})))["findings"][0]
    assert listed["related"] == [{"path": "a.txt", "line": 12, "column": 4, "message": "第一次出现"},
                                 {"path": "子目录/c.txt", "line": 2, "column": 1, "message": ""}]
    plain = json.loads(render("json", Report([Finding("a.txt", 1, 1, 2, "placeholder-x", "placeholder",
                                                      "error", "m")], ["a.txt"], {})))["findings"][0]
    assert "related" not in plain


def test_sarif_of_a_real_run_locates_the_report_a_passage_was_copied_from(tmp_path):
    """Through the command line: the 2025 summary's copy names the 2024 report's line as a
    related location; the pack's own 范文 passage (no file) is a related location with its
    message only. The log is schema-valid."""
    sentence = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决，村容村貌明显改善。"
    pack = "心得体会是一种总结和反思的过程，通过思考和经验的积累，能够帮助我们更好地理解和应对生活中的各种问题。"
    (tmp_path / "2024年工作总结.txt").write_text(f"2024年工作总结\n\n{sentence}\n", encoding="utf-8")
    (tmp_path / "2025年工作总结.txt").write_text(f"2025年工作总结\n{sentence}\n{pack}\n", encoding="utf-8")
    log = json.loads(run_cli("--format", "sarif", ".", cwd=tmp_path).stdout)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"] if r["ruleId"].startswith("copied-")}
    [copy] = results["copied-from-report"]["relatedLocations"]
    assert results["copied-from-report"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "2025%E5%B9%B4%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.txt"
    assert copy["physicalLocation"] == {
        "artifactLocation": {"uri": "2024%E5%B9%B4%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93.txt", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 1}}
    assert copy["message"]["text"] == "相同的句子（2024年）"
    [passage] = results["copied-from-template"]["relatedLocations"]
    assert passage == {"id": 0, "message": {"text": "规则包范文第1条（copied_template_passages）"}}
