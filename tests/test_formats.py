"""Every --format lists the same findings as json; each format is what its CI tool reads."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import unquote

import jsonschema
import pytest

from conftest import CORPUS, SCHEMAS, cli_json, run_cli
from lint_reports.io.load import load_document
from lint_reports.formats import FORMATS

SARIF_SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"
GITLAB_SEVERITY = {"critical": "error", "major": "warning", "info": "info"}
GITHUB_SEVERITY = {"error": "error", "warning": "warning", "notice": "info"}
SARIF_LEVEL = {"error": "error", "warning": "warning", "note": "info"}


def _unescape(text: str) -> str:
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: bytes.fromhex(m.group(1)).decode(), text)


def parse_text(out: str) -> list:
    found = []
    for line in out.splitlines()[:-1]:  # the last line is the summary
        m = re.match(r"^(.+?):(\d+):(\d+): (error|warning|info) (\S+) (\[\*\] )?(.*)$", line)
        assert m, line
        found.append({"path": m[1], "line": int(m[2]), "column": int(m[3]), "severity": m[4],
                      "rule": m[5], "fixable": bool(m[6]), "message": m[7]})
    return found


def parse_json(out: str) -> list:
    return json.loads(out)["findings"]


def parse_sarif(out: str) -> list:
    run = json.loads(out)["runs"][0]
    found = []
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        found.append({"path": unquote(location["artifactLocation"]["uri"]), "line": region["startLine"],
                      "column": region["startColumn"], "end_column": region["endColumn"],
                      "rule": result["ruleId"], "severity": SARIF_LEVEL[result["level"]],
                      "message": result["message"]["text"]})
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    return found


def parse_github(out: str) -> list:
    found = []
    for line in out.splitlines():
        m = re.match(r"^::(error|warning|notice) (.*?)::(.*)$", line)
        assert m, line
        props = dict(pair.split("=", 1) for pair in m[2].split(","))
        found.append({"path": _unescape(props["file"]), "line": int(props["line"]),
                      "column": int(props["col"]), "end_column": int(props["endColumn"]),
                      "rule": _unescape(props["title"]), "severity": GITHUB_SEVERITY[m[1]],
                      "message": _unescape(m[3])})
    return found


def parse_gitlab(out: str) -> list:
    return [{"path": issue["location"]["path"], "line": issue["location"]["lines"]["begin"],
             "rule": issue["check_name"], "severity": GITLAB_SEVERITY[issue["severity"]],
             "message": issue["description"]} for issue in json.loads(out)]


def parse_junit(out: str) -> list:
    """Failures, and the findings below the fail level listed in <system-out>, in order."""
    found = []
    line = re.compile(r"^(.+?):(\d+):(\d+): (error|warning|info) (\S+) (.*)$")
    for case in ET.fromstring(out).iter("testcase"):
        for failure in case.iter("failure"):
            m = line.match(failure.text)
            assert m and m[1] == case.get("name"), failure.text
            found.append({"path": case.get("name"), "line": int(m[2]), "column": int(m[3]),
                          "severity": m[4], "rule": failure.get("type"), "message": failure.get("message")})
        for passed in case.iter("system-out"):
            for text in passed.text.split("\n"):
                m = line.match(text)
                assert m and m[1] == case.get("name"), text
                found.append({"path": m[1], "line": int(m[2]), "column": int(m[3]), "severity": m[4],
                              "rule": m[5], "message": m[6]})
    return sorted(found, key=lambda f: (f["path"], f["line"], f["column"], f["rule"]))


class _HtmlFindings(HTMLParser):
    """Collects each `.hl` element (one per finding) with the file it sits in; the message is
    in the page's JSON data, looked up by the element's data-i."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.path, self.data = [], None, ""
        self._in = None  # "path" inside a file section's <h2>, "data" inside the JSON script
        self._section_header = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2" and self._section_header:
            self._in = "path"
            self.path = ""
        elif tag == "script" and attrs.get("id") == "lr-data":
            self._in = "data"
        elif "hl" in (attrs.get("class") or "").split():
            self.elements.append((self.path, attrs))
        if tag == "section" and "file" in (attrs.get("class") or "").split():
            self._section_header = True

    def handle_endtag(self, tag):
        if tag in ("h2", "script"):
            self._in = None
        if tag == "h2":
            self._section_header = False

    def handle_data(self, data):
        if self._in == "path":
            self.path += data
        elif self._in == "data":
            self.data += data


def parse_html(out: str) -> list:
    parser = _HtmlFindings()
    parser.feed(out)
    parser.close()
    messages = [entry["message"] for entry in json.loads(parser.data)["findings"]]
    found = []
    for path, attrs in sorted(parser.elements, key=lambda element: int(element[1]["data-i"])):
        found.append({"path": path, "line": int(attrs["data-line"]), "column": int(attrs["data-column"]),
                      "end_column": int(attrs["data-end-column"]), "rule": attrs["data-rule"],
                      "category": attrs["data-category"], "severity": attrs["data-severity"],
                      "message": messages[int(attrs["data-i"])]})
    return found


PARSERS = {"text": parse_text, "json": parse_json, "sarif": parse_sarif, "github": parse_github,
           "gitlab": parse_gitlab, "junit": parse_junit, "html": parse_html}


@pytest.fixture(scope="module")
def seed_findings():
    findings = cli_json("seeds")
    assert len(findings) > 20 and len({f["path"] for f in findings}) == 5
    return findings


@pytest.mark.parametrize("name", FORMATS)
def test_format_lists_the_same_findings_as_json(name, seed_findings):
    assert name in PARSERS, f"no parser for --format {name}: add one to PARSERS in tests/test_formats.py"
    result = run_cli("--format", name, "seeds")
    assert result.returncode == 1, result.stderr
    found = PARSERS[name](result.stdout)
    assert len(found) == len(seed_findings)
    for mine, reference in zip(found, seed_findings):
        assert mine == {key: reference[key] for key in mine}


def test_sarif_validates_against_the_schema_and_describes_fired_rules(seed_findings):
    out = run_cli("--format", "sarif", "seeds").stdout
    log = json.loads(out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(dict.fromkeys(f["rule"] for f in seed_findings))
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert f"--explain {rule['id']}" in rule["help"]["text"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    fingerprints = [r["partialFingerprints"]["lintReportsAnchor/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_uris_are_relative_and_percent_encoded(tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "总结 2023.txt").write_text("全县共有xx个村。\n", encoding="utf-8")
    log = json.loads(run_cli("--format", "sarif", ".", cwd=tmp_path).stdout)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "%E6%8A%A5%E5%91%8A/%E6%80%BB%E7%BB%93%202023.txt", "uriBaseId": "%SRCROOT%"}
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_sarif_with_no_findings_is_a_valid_empty_run(tmp_path):
    (tmp_path / "clean.txt").write_text("今年圆满完成了各项工作任务。\n", encoding="utf-8")
    result = run_cli("--format", "sarif", ".", cwd=tmp_path)
    assert result.returncode == 0
    run = json.loads(result.stdout)["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


def test_github_escapes_message_and_properties():
    from lint_reports.core.finding import Finding
    from lint_reports.formats import Report, render

    finding = Finding("dir,a:b/100%.txt", 3, 5, 7, "placeholder-x", "placeholder", "info",
                      "第一行 50%\r\n第二行: a, b")
    out = render("github", Report([finding], [finding.path], {}))
    assert out == ("::notice file=dir%2Ca%3Ab/100%25.txt,line=3,col=5,endColumn=7,title=placeholder-x"
                   "::第一行 50%25%0D%0A第二行: a, b\n")


def test_github_severity_commands(tmp_path):
    (tmp_path / "a.txt").write_text("全县共有xx个村。\n详见http://example.com/a\n", encoding="utf-8")
    out = run_cli("--format", "github", ".", cwd=tmp_path).stdout
    assert out.splitlines()[0].startswith("::error file=a.txt,line=1,col=5,endColumn=7,title=placeholder-x::")
    assert out.splitlines()[1].startswith("::warning file=a.txt,line=2,")


def _gitlab(tmp_path, text):
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    # placeholders only: identical lines in a row are also pasted-twice lines (repetition-clause)
    return json.loads(run_cli("--select", "placeholder", "--format", "gitlab", ".", cwd=tmp_path).stdout)


def test_gitlab_fingerprints_survive_inserted_lines_and_are_unique(tmp_path):
    text = "根据**县人民政府要求，全县共有xx个村。\n全县共有xx个村。\n全县共有xx个村。\n"
    before = _gitlab(tmp_path, text)
    after = _gitlab(tmp_path, "一、总体情况\n\n今年工作取得新进展。\n" + text)
    assert [i["location"]["lines"]["begin"] + 3 for i in before] == [i["location"]["lines"]["begin"] for i in after]
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    fingerprints = [i["fingerprint"] for i in before]
    assert len(fingerprints) == 4 and len(set(fingerprints)) == 4  # the two identical lines differ by index
    assert {i["severity"] for i in before} == {"critical"}
    assert before[0]["location"]["path"] == "a.txt" and before[0]["check_name"] == "placeholder-stars"


def test_gitlab_fingerprint_changes_when_the_flagged_text_does(tmp_path):
    first = _gitlab(tmp_path, "全县共有xx个村。\n")
    second = _gitlab(tmp_path, "全镇共有xx个村。\n")
    assert first[0]["fingerprint"] != second[0]["fingerprint"]


def test_gitlab_severity_mapping():
    from lint_reports.formats import gitlab

    assert gitlab.SEVERITIES == {"error": "critical", "warning": "major", "info": "info"}
    assert set(gitlab.SEVERITIES.values()) <= {"info", "minor", "major", "critical", "blocker"}


def test_junit_has_a_testcase_per_file_and_clean_files_pass(tmp_path):
    (tmp_path / "clean.txt").write_text("今年圆满完成了各项工作任务。\n", encoding="utf-8")
    (tmp_path / "dirty.txt").write_text("全县共有xx个村。\n根据**县要求\n", encoding="utf-8")
    out = run_cli("--format", "junit", ".", cwd=tmp_path).stdout
    root = ET.fromstring(out)
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == {"clean.txt", "dirty.txt"}
    assert list(cases["clean.txt"]) == []
    assert [f.get("type") for f in cases["dirty.txt"].iter("failure")] == ["placeholder-x", "placeholder-stars"]
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")


def test_junit_stays_well_formed_with_control_characters():
    from lint_reports.core.finding import Finding
    from lint_reports.formats import Report, render

    finding = Finding("a.txt", 1, 1, 2, "artifact-html", "artifact", "error", "残留“\x0b\x1b<&>”")
    root = ET.fromstring(render("junit", Report([finding], ["a.txt"], {})))
    assert root.find(".//failure").get("message") == "残留“\\x0b\\x1b<&>”"


def _junit_as_one_tree(report) -> str:
    """The JUnit XML built as one ElementTree, indented and serialised whole: what the
    streamed output must equal byte for byte."""
    from lint_reports.core.finding import SEVERITY_RANK
    from lint_reports.formats.junit import _xml_text

    def fails(f):
        level = report.fail_level(f.path) if report.fail_level else "info"
        return level != "never" and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[level]

    by_path: dict = {}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    paths = list(report.files) + [p for p in by_path if p not in report.files]
    failing = sum(1 for p in paths if any(fails(f) for f in by_path.get(p, [])))
    root = ET.Element("testsuites", name="lint-reports", tests=str(len(paths)), failures=str(failing), errors="0")
    suite = ET.SubElement(root, "testsuite", name="lint-reports", tests=str(len(paths)), failures=str(failing),
                          errors="0", skipped="0")
    for path in paths:
        case = ET.SubElement(suite, "testcase", classname="lint-reports", name=_xml_text(path), file=_xml_text(path))
        for f in by_path.get(path, []):
            if fails(f):
                failure = ET.SubElement(case, "failure", message=_xml_text(f.message), type=f.rule)
                failure.text = _xml_text(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")
        passing = [f for f in by_path.get(path, []) if not fails(f)]
        if passing:
            ET.SubElement(case, "system-out").text = _xml_text(
                "\n".join(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}" for f in passing))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def test_junit_is_written_a_failure_at_a_time_and_equals_the_whole_tree():
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter
    from lint_reports.core.finding import Finding
    from lint_reports.formats import Report, chunks, render
    from conftest import SEEDS

    linter = Linter(Config())
    findings, files = [], []
    for path in sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[:2]:
        files.append(path.name)
        findings += linter.lint(load_document(path.name, path.read_bytes()), path.name)
    odd = Finding('a&"<b>.txt', 1, 1, 2, "artifact-html", "artifact", "error", 'm\x01"<&>\n\ttab')
    for report in (Report(findings, files, {}), Report([], [], {}), Report([], ["clean.txt"], {}),
                   Report(findings[:1], [], {}), Report([odd], ['a&"<b>.txt', "c.txt"], {}),
                   Report(findings, files, {}, fail_level=lambda path: "warning"),
                   Report(findings, files, {}, fail_level=lambda path: "never"),
                   Report(findings, files, {}, fail_level=lambda path: "error" if path < "m" else "info")):
        pieces = list(chunks("junit", report))
        assert "".join(pieces) == render("junit", report) == _junit_as_one_tree(report)
    assert len(list(chunks("junit", Report(findings, files, {})))) > len(findings)  # a piece per failure at least


def test_unknown_format_is_a_usage_error():
    result = run_cli("--format", "xml", "seeds")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_formats_quote_paths_as_given(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("# 总结\n\n全县共有xx个村。\n", encoding="utf-8")
    findings = cli_json("sub", cwd=tmp_path)
    assert [(f["path"], f["line"]) for f in findings] == [("sub/a.md", 3)]
    github = run_cli("--format", "github", "./sub", cwd=tmp_path).stdout
    assert "file=sub/a.md,line=3," in github



def test_absolute_paths_become_relative_for_ci_or_file_uris_outside(tmp_path):
    (tmp_path / "a.txt").write_text("全县共有xx个村。\n", encoding="utf-8")
    absolute = str(tmp_path / "a.txt")
    assert run_cli("--format", "github", absolute, cwd=tmp_path).stdout.startswith("::error file=a.txt,line=1,")
    issue = json.loads(run_cli("--format", "gitlab", absolute, cwd=tmp_path).stdout)[0]
    assert issue["location"]["path"] == "a.txt"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    log = json.loads(run_cli("--format", "sarif", absolute, cwd=outside).stdout)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (tmp_path / "a.txt").resolve().as_uri()}
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)


@pytest.mark.parametrize("name", FORMATS)
def test_a_format_written_in_pieces_is_its_rendering(name):
    """The command line writes a format piece by piece (text, json, sarif and gitlab a finding
    at a time); the pieces must add up to the one-string rendering, and the JSON formats to
    exactly what json.dumps of the whole object gives."""
    from lint_reports.core.engine import Linter
    from lint_reports.config.settings import Config
    from lint_reports.formats import Report, chunks, render
    from conftest import SEEDS

    linter = Linter(Config())
    findings, documents, files = [], {}, []
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        doc = load_document(f"seeds/{path.name}", path.read_bytes())
        findings += linter.lint(doc, doc.path)
        documents[doc.path], files = doc, files + [doc.path]
    for subset in (findings, findings[:1], []):
        report = Report(subset, files, linter.by_id, documents=documents)
        assert "".join(chunks(name, report)) == render(name, report)
        whole = None
        if name == "json":
            whole = {"findings": [f.as_json() for f in subset]}
        elif name == "sarif":
            from lint_reports.formats import sarif

            whole = sarif.build(report)
        elif name == "gitlab":
            from lint_reports.formats import gitlab

            whole = list(gitlab._issues(report))
        if whole is not None:  # streamed, yet exactly what dumping the whole object gives
            assert render(name, report) == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("count", [0, 1, 2, 511, 512, 513, 1100])
def test_streamed_json_is_json_dumps_across_batches(count):
    from lint_reports.formats import _jsonstream

    items = [{"n": i, "nested": [i, {"text": "第二行\n“引号”"}]} for i in range(count)]
    for document, whole in ((_jsonstream.SLOT, items), ({"findings": _jsonstream.SLOT}, {"findings": items}),
                            ({"runs": [{"tool": 1, "results": _jsonstream.SLOT, "end": 2}]},
                             {"runs": [{"tool": 1, "results": items, "end": 2}]})):
        streamed = "".join(_jsonstream.chunks(document, iter(items)))
        assert streamed == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


# --- a finding about whole lines (a repeated copy of a page's body) -------------------------

_PARAGRAPH = "　　我们必须坚决拥护党的一元化领导。工、农、商、学、兵、政、党这七个方面，党是领导一切的。" * 3


def _repeated_page(tmp_path):
    body = f"{_PARAGRAPH}\n\n{_PARAGRAPH[::-1]}\n"
    (tmp_path / "page.txt").write_text(body + "\n" + body, encoding="utf-8")  # lines 5-7 repeat 1-3
    return "--select", "artifact-repeated-body", "--no-cache"


def test_a_finding_over_several_lines_gives_its_last_line_in_every_machine_format(tmp_path):
    select = _repeated_page(tmp_path)
    [found] = json.loads(run_cli(*select, "--format", "json", ".", cwd=tmp_path).stdout)["findings"]
    assert (found["line"], found["end_line"]) == (5, 7) and "第 7 行" in found["message"]
    log = json.loads(run_cli(*select, "--format", "sarif", ".", cwd=tmp_path).stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 5, "startColumn": 3, "endLine": 7}  # endColumn: the end of line 7
    [issue] = json.loads(run_cli(*select, "--format", "gitlab", ".", cwd=tmp_path).stdout)
    assert issue["location"]["lines"] == {"begin": 5, "end": 7}
    github = run_cli(*select, "--format", "github", ".", cwd=tmp_path).stdout
    assert github.startswith("::error file=page.txt,line=5,endLine=7,title=artifact-repeated-body::")
    assert run_cli(*select, ".", cwd=tmp_path).stdout.startswith("page.txt:5:3: error artifact-repeated-body")


def test_a_one_line_finding_has_no_end_line_in_json(seed_findings):
    assert seed_findings and not any("end_line" in finding for finding in seed_findings)


def test_the_result_cache_keeps_a_finding_over_several_lines(tmp_path):
    select = _repeated_page(tmp_path)[:-1]  # with the result cache
    env = {"LINT_REPORTS_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli(*select, "--format", "json", ".", cwd=tmp_path, env=env).stdout
    assert list((tmp_path / "cache").rglob("*")), "nothing was cached"
    assert run_cli(*select, "--format", "json", ".", cwd=tmp_path, env=env).stdout == first
    assert json.loads(first)["findings"][0]["end_line"] == 7
