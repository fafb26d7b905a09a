"""Required sections: the four core report types part by part, the knowledge file they come
from, heading forms (Markdown, bold leads, labels, any numbering), unusual titles of the
problems part, courtesy lines, and texts whose type cannot be told."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import KNOWLEDGE, ROOT, SEEDS
from lint_reports.config import settings as config_module
from test_sections import CATALOG, WORK, section_findings, summary

PROBLEMS = ("一是活动阵地偏小，难以满足居民日益增长的活动需求；二是志愿者队伍不稳定，专业化水平不高；"
            "三是服务群众的本领还需提高，个别工作人员作风不够扎实。")
PLANS = ("继续推进阵地建设，争取新建居民活动中心一处；壮大志愿者队伍，加强专业培训；"
         "提升服务水平，把服务做到居民心坎上。")


def missing(text, path="r.txt", **kwargs):
    return sorted(part for _, _, part in summary(section_findings(text, path=path, **kwargs)))


# --- the four core report types, one required part removed at a time ----------------------

# title, then (part label, heading, body) in order; every part listed is required
CORE_TYPES = {
    "工作总结": ("2023年社区工作总结", [
        ("主要工作与成效", "一、主要工作及成效", WORK),
        ("存在问题", "二、存在的问题", PROBLEMS),
        ("下一步打算", "三、下一步工作打算", PLANS),
    ]),
    "情况汇报": ("关于2023年社区养老服务工作开展情况的汇报", [
        ("主要工作与成效", "一、工作开展情况", WORK),
        ("存在问题", "二、存在的困难和问题", PROBLEMS),
        ("下一步打算", "三、下一步工作思路", PLANS),
    ]),
    "实施方案": ("关于开展“书香机关”建设活动的实施方案", [
        ("目标任务", "一、工作目标", "全年人均读书12本以上，建成职工书屋1个，形成浓厚的读书学习氛围，打造学习型机关。"),
        ("主要任务/工作安排", "二、主要任务", "建设职工书屋，开展读书分享，每季度组织一次读书分享会，各科室轮流主讲，年底评选读书之星。"),
        ("实施步骤", "三、实施步骤", "动员部署、组织实施、总结提高，分三个阶段推进，各阶段工作按计划有序开展。"),
        ("保障措施/工作要求", "四、保障措施", "成立领导小组，落实活动经费，加强督促检查，确保活动取得实效。"),
    ]),
    "安排意见": ("2024年学习型机关建设工作安排意见", [
        ("主要任务/工作安排", "二、重点工作", WORK),
    ]),
}
GUIDING = ("指导思想/总体要求", "一、总体要求", "以建设学习型机关为目标，坚持学以致用，推动学习制度化、常态化，"
           "全面提升干部队伍素质和履职能力，为全年各项工作任务的完成提供坚强的思想保证和能力支撑。")
CORE_TYPES["安排意见"][1].insert(0, GUIDING)
CORE_TYPES["安排意见"][1].append(("保障措施/工作要求", "三、工作要求", "各科室要高度重视，明确专人负责，确保各项学习活动按时完成，年底进行考核。"))


def build(title, parts):
    return "\n".join([title] + [f"{heading}\n{body}" for _, heading, body in parts]) + "\n"


@pytest.mark.parametrize("label", CORE_TYPES)
def test_a_complete_report_of_each_core_type_passes(label):
    title, parts = CORE_TYPES[label]
    assert section_findings(build(title, parts)) == []


@pytest.mark.parametrize("label, index", [(label, i) for label, (_, parts) in CORE_TYPES.items()
                                          for i, part in enumerate(parts)
                                          if part[0] in {CATALOG.parts[p].label for p in CATALOG.report_type(label).required}])
def test_each_required_part_of_each_core_type_is_required(label, index):
    title, parts = CORE_TYPES[label]
    removed = parts[index][0]
    findings = section_findings(build(title, parts[:index] + parts[index + 1:]))
    assert summary(findings) == [(1, label, removed)]
    assert findings[0].message.startswith(f"{label}缺少“{removed}”部分：请")


@pytest.mark.parametrize("title, label", [("2024年机关党建工作要点", "工作要点"), ("2024年社区工作计划", "工作计划")])
def test_plans_and_work_points_are_checked_as_plans(title, label):
    text = f"{title}\n一、总体要求\n{GUIDING[2]}\n二、工作要求\n各科室要高度重视，明确专人负责，确保各项工作按时完成。\n"
    findings = section_findings(text)
    assert summary(findings) == [(1, label, "主要任务/工作安排")]


# --- the facts come from the knowledge file -------------------------------------------------

def test_required_parts_and_synonyms_follow_the_knowledge_file():
    knowledge = yaml.safe_load((KNOWLEDGE / "sections.yaml").read_text(encoding="utf-8"))
    for entry in knowledge["report_types"]:
        spec = CATALOG.report_type(entry["id"])
        if "sections" not in entry:  # a topic overlay, not a genre
            continue
        levels = {s["part"]: s["level"] for s in entry["sections"]}
        levels.update({p: extra["level"] for p, extra in (entry.get("extra_parts") or {}).items()})
        assert set(spec.required) == {p for p, level in levels.items() if level == "required"}, entry["id"]
        assert set(spec.recommended) == {p for p, level in levels.items() if level == "recommended"}, entry["id"]
        assert set(entry["title_keywords"]) <= set(spec.keywords), entry["id"]
    for part_id, part in knowledge["parts"].items():
        ours = CATALOG.parts[part_id]
        from lint_reports.kinds.sections import normalise
        assert {normalise(s) for s in part["heading_synonyms"]} <= set(ours.synonyms), part_id
        assert {normalise(s) for s in part.get("inline_markers", [])} <= set(ours.markers), part_id


# --- a document whose type cannot be told -------------------------------------------------

@pytest.mark.parametrize("title", ["关于社区工作的几点思考", "2023年政府工作报告", "在2023年工作总结大会上的讲话",
                                   "学习二十大精神心得体会", "关于印发《2024年工作要点》的通知"])
def test_no_type_no_finding(title):
    text = f"{title}\n一、主要工作\n{WORK}\n二、几点体会\n{WORK}\n"
    assert section_findings(text, select=["section"]) == []


def test_first_line_that_is_not_a_title_names_no_type():
    assert section_findings(f"{WORK}\n{WORK}\n{WORK}\n", select=["section"]) == []


# --- degenerate input -----------------------------------------------------------------------

@pytest.mark.parametrize("text, path", [
    ("", "r.txt"), ("\n\n", "r.txt"), ("2023年工作总结", "r.txt"), ("2023年工作总结\n", "r.txt"),
    ("# 2023年工作总结\n", "r.md"), ("---\ntitle: 2023年工作总结\n---\n", "r.md"),
    ("2023年工作总结\n一、主要工作\n二、存在问题\n", "r.txt"),  # headings, no body worth checking
])
def test_empty_and_title_only_give_nothing(text, path):
    assert section_findings(text, path=path, select=["section"]) == []


def test_front_matter_title_names_the_type():
    text = f"---\ntitle: 2023年社区工作总结\n---\n\n{WORK}\n\n{WORK}\n"
    assert missing(text, path="r.md") == ["下一步打算", "存在问题"]


def test_crlf_line_endings_change_nothing():
    text = f"2023年工作总结\r\n一、主要工作\r\n{WORK}\r\n二、几点体会\r\n{WORK}\r\n"
    assert missing(text) == ["下一步打算", "存在问题"]


# --- heading forms --------------------------------------------------------------------------

def report(problems_heading, plans_heading, *, sep="\n", work_heading="一、主要工作", title="2023年工作总结"):
    return sep.join([title, work_heading, WORK, problems_heading, PROBLEMS, plans_heading, PLANS]) + "\n"


@pytest.mark.parametrize("problems, plans", [
    ("二、存在问题", "三、下步打算"),
    ("（二）存在问题", "（三）下步打算"),
    ("2. 存在问题", "3. 下步打算"),
    ("2、存在问题", "3、下步打算"),
    ("（2）存在问题", "（3）下步打算"),
    ("⒉存在问题", "⒊下步打算"),
    ("第二部分 存在问题", "第三部分 下步打算"),
    ("第二章 存在问题", "第三章 下步打算"),
    ("Ⅱ. 存在问题", "Ⅲ. 下步打算"),
    ("存在问题", "下步打算"),  # unnumbered short lines before a paragraph
])
def test_headings_numbered_in_any_style(problems, plans):
    assert missing(report(problems, plans)) == []
    assert missing(report("二、几点体会", plans)) == ["存在问题"]


@pytest.mark.parametrize("problems, plans", [
    ("## 存在问题", "## 下一步打算"),
    ("## 二、存在的问题", "## 三、下一步打算"),
    ("### （二）存在的不足", "### （三）今后工作打算"),
    ("**二、存在的问题**", "**三、下一步打算**"),
])
def test_markdown_headings(problems, plans):
    text = report(problems, plans, sep="\n\n", work_heading="## 一、主要工作", title="# 2023年工作总结")
    assert missing(text, path="r.md") == []
    text = report("## 几点体会", plans, sep="\n\n", work_heading="## 一、主要工作", title="# 2023年工作总结")
    assert missing(text, path="r.md") == ["存在问题"]


@pytest.mark.parametrize("lead", ["**二、存在的问题。**", "**存在的问题**", "**存在的问题：**", "**存在问题**："])
def test_bold_run_in_headings_in_markdown(lead):
    text = (f"# 2023年工作总结\n\n**一、主要工作。**{WORK}\n\n{lead}{PROBLEMS}\n\n"
            f"**三、下一步打算。**{PLANS}\n")
    assert missing(text, path="r.md") == []
    assert missing(text.replace(lead, "**二、几点体会。**"), path="r.md") == ["存在问题"]


@pytest.mark.parametrize("lines", [
    ["二、存在的问题。" + PROBLEMS, "三、下一步打算。" + PLANS],  # numbered run-in
    ["存在问题：一是阵地偏小；二是志愿者队伍不稳定。", "下步打算：" + PLANS],  # label and colon
    ["（二）存在的不足：" + PROBLEMS, "（三）今后打算：" + PLANS],
])
def test_run_in_headings_in_plain_text(lines):
    text = "\n".join(["2023年工作总结", "一、主要工作。" + WORK, *lines]) + "\n"
    assert missing(text) == []


def test_a_label_inside_a_sentence_is_no_heading():
    text = f"2023年工作总结\n{WORK}\n会议指出：存在问题要及时整改。{WORK}\n下一步，我们将继续推进阵地建设。\n"
    assert missing(text) == ["存在问题"]


# --- the problems part under unusual titles, and what is not one ----------------------------

@pytest.mark.parametrize("heading", [
    "二、存在的短板", "二、困难与挑战", "二、问题与不足", "二、工作中的几点反思", "二、差距和不足",
    "二、薄弱环节", "二、存在问题及原因分析", "二、需要改进的问题", "二、面临的困难", "二、当前工作存在不足",
])
def test_problems_part_under_unusual_titles(heading):
    assert missing(report(heading, "三、下步打算")) == []


@pytest.mark.parametrize("heading", [
    "二、经验与反思",  # experience, not shortcomings
    "二、着力解决群众急难愁盼问题",  # work that solved a problem
    "二、聚焦短板精准发力",
    "二、几点体会",
    "二、主要成效",
])
def test_headings_that_are_not_a_problems_part(heading):
    assert missing(report(heading, "三、下步打算")) == ["存在问题"]


@pytest.mark.parametrize("courtesy", [
    "如有不足之处，敬请批评指正。",
    "不足之处，恳请批评指正。",
    "以上汇报如有不妥之处，请批评指正。",
    "由于水平有限，难免存在疏漏和不足，敬请批评指正。",
    "总结中还有不足的地方，请领导批评指正。",
    "以上总结，不当之处，敬请各位领导批评指正。",
    "疏漏之处在所难免，敬请斧正。",
])
def test_a_courtesy_line_is_not_a_problems_part(courtesy):
    text = f"2023年社区工作总结\n{WORK}\n{WORK}\n下一步，我们将继续推进阵地建设。\n{courtesy}\n"
    assert missing(text) == ["存在问题"]


def test_a_real_problem_before_a_courtesy_still_counts():
    text = (f"2023年个人工作总结\n{WORK}\n{WORK}\n我还存在理论学习不够系统等问题，恳请大家批评指正。\n"
            "新的一年里，我要努力克服不足，不断提高自身素质。\n")
    assert missing(text) == []


# --- users change a type's required parts from a pack -------------------------------------

def test_a_pack_replaces_a_builtin_type_and_part(tmp_path):
    (tmp_path / "ours.yaml").write_text(
        "pack: ours\n"
        "data:\n"
        "  report_types:\n"
        "    - id: work_summary\n"
        "      label: 工作总结\n"
        "      title_keywords: [工作总结, 总结]\n"
        "      required: [work_done, problems]\n"
        "  report_parts:\n"
        "    problems:\n"
        "      label: 问题清单\n"
        "      hint: 请列出问题清单。\n"
        "      heading_synonyms: [问题清单]\n"
        "rules: []\n", encoding="utf-8")
    config = config_module.load(_write(tmp_path, ".lint-reports.yaml", "packs: [ours.yaml]\n"))
    seed = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    findings = section_findings(seed, config=config)
    assert [f.message for f in findings] == ["工作总结缺少“问题清单”部分：请列出问题清单。"]
    assert section_findings(report("二、问题清单", "三、几点体会"), config=config) == []
    assert missing(report("二、存在的问题", "三、几点体会")) == ["下一步打算"]  # built-in unchanged


def _write(tmp_path, name, text) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_documented_pack_that_changes_a_builtin_type(tmp_path):
    import re
    doc = (ROOT / "docs" / "sections.md").read_text(encoding="utf-8")
    pack = next(s for s in re.findall(r"```yaml\n(.*?)```", doc, re.S) if "id: work_summary" in s)
    _write(tmp_path, "ours.yaml", pack)
    config = config_module.load(_write(tmp_path, ".lint-reports.yaml", "packs: [ours.yaml]\n"))
    seed = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    assert [part for _, _, part in summary(section_findings(seed, config=config))] == ["存在问题"]


def test_word_documents_with_styled_headings(tmp_path):
    docx = pytest.importorskip("docx")
    from conftest import cli_json

    def save(name, title, sections):
        document = docx.Document()
        document.add_heading(title, level=0)
        for heading, body in sections:
            document.add_heading(heading, level=1)  # Word style, no numbering typed
            document.add_paragraph(body)
        document.save(tmp_path / name)

    save("complete.docx", "2023年社区工作总结", [("主要工作", WORK), ("存在的问题", PROBLEMS), ("下一步打算", PLANS)])
    save("lacking.docx", "2023年社区工作总结", [("主要工作", WORK), ("几点体会", PROBLEMS)])
    findings = cli_json("--no-cache", "--select", "section", str(tmp_path))
    assert [(Path(f["path"]).name, f["line"]) for f in findings] == [("lacking.docx", 1), ("lacking.docx", 1)]
    import re
    assert all(f["message"].startswith("工作总结缺少") for f in findings)
    assert sorted(re.search(r"缺少“(.+?)”", f["message"]).group(1) for f in findings) == ["下一步打算", "存在问题"]
