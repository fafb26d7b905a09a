"""Required sections (rule section-missing, kind `sections`): seeds, corpus, clean reports,
Markdown, compilations, report-type recognition, inline markers and the `sections:` config."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CORPUS, SEEDS, cli_json, run_cli
from lint_reports.io.load import load_document
from lint_reports.config import settings as config_module
from lint_reports.config.settings import Config, ConfigError
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter
from lint_reports.config.packs import load_builtin_packs, merge_data
from lint_reports.kinds.sections import apply_config, build_catalog, recognise

CLEAN = Path(__file__).parent / "clean"
CATALOG = build_catalog(merge_data(load_builtin_packs()))


_LINTERS: dict = {}


def section_findings(text, path="report.txt", config=None, select=("section-missing",)):
    if config is None:  # the packs load once per selection, not once per test
        key = tuple(select)
        linter = _LINTERS.get(key) or _LINTERS.setdefault(key, Linter(Config(), select=list(select)))
    else:
        linter = Linter(config, select=list(select))
    return [f for f in linter.lint(Document(path, text), path) if f.category == "section"]


def seed_text(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def summary(findings):
    """(line, report type, missing part) of each finding, parsed from its message."""
    result = []
    for f in findings:
        m = re.search(r"这篇([^：》”]+?)缺少“([^”]+)”", f.message) or re.search(r"^([^：》”]+?)缺少“([^”]+)”", f.message)
        result.append((f.line, m.group(1), m.group(2)))
    return sorted(result)


# --- seeds -------------------------------------------------------------------------------

def test_seed_000_misses_problems_and_next_steps():
    findings = section_findings(seed_text("000"), path="seeds/000.txt")
    assert summary(findings) == [(1, "工作总结", "下一步打算"), (1, "工作总结", "存在问题")]
    assert all(f.rule == "section-missing" and f.column == 1 and f.severity == "warning" for f in findings)
    assert all("请增加一节" in f.message for f in findings)  # says what to add


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_complete_seeds_are_left_alone(prefix):
    assert section_findings(seed_text(prefix)) == []


def test_seed_002_compilation_checks_each_piece():
    findings = section_findings(seed_text("002"), path="seeds/002.txt")
    # Piece 2 (line 14): topical headings, next steps inline (“下一步，我们将……”), no problems.
    # Piece 1 (line 7): a news item without headings, typed only by the compilation title.
    assert summary(findings) == [(14, "工作总结", "存在问题")]
    assert findings[0].message.startswith("汇编中的《高标准 严要求 扎实推进主题教育走深走实》：这篇工作总结缺少")


def test_seed_004_compilation_flags_only_substantial_report_pieces():
    findings = section_findings(seed_text("004"), path="seeds/004.txt")
    assert summary(findings) == [
        (1, "工作总结", "下一步打算"), (1, "工作总结", "存在问题"),  # three work headings only
        (57, "工作总结", "存在问题"),  # xx区: 基本情况/主要做法/规划/措施/建议, no problems
        (182, "情况汇报", "下一步打算"), (182, "情况汇报", "存在问题"),  # “……工作开展情况”
    ]
    lines = {f.line for f in findings}
    assert not lines & {22, 140, 201}  # theory articles (关键词, essay headings)
    assert 172 not in lines  # a letter without headings
    assert not lines & {45, 114}  # 五、下一步推进措施 + inline problems; 存在的问题 + 对策建议


def test_corpus_gets_no_section_finding():
    linter = Linter(Config(), select=["section"])  # the opt-in rule too
    for path in sorted(CORPUS.glob("*.txt")):
        doc = load_document(str(path), path.read_bytes())
        assert linter.lint(doc, path.name) == [], path.name


def to_markdown(text, path="x.txt"):
    """The same report with its title and numbered, non-run-in headings written as `#`."""
    doc = Document(path, text)
    lines = doc.lines[:]
    structure = doc.structure
    title_line = structure.title[0]
    if title_line:
        lines[title_line - 1] = "# " + lines[title_line - 1].strip()
    piece_titles = {p.title_line for p in structure.parts if p.title_line} - {title_line}
    for number in piece_titles:
        lines[number - 1] = "## " + lines[number - 1].strip()
    for heading in structure.headings:
        if heading.style in ("part", "cn", "cn-paren") and not heading.run_in and heading.line != title_line:
            lines[heading.line - 1] = "#" * (heading.level + 2) + " " + lines[heading.line - 1].strip()
    return "\n".join(lines)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seeds_in_markdown_give_the_same_findings(prefix):
    text = seed_text(prefix)
    markdown = to_markdown(text)
    assert markdown.count("\n#") >= 2
    plain = section_findings(text, path=f"{prefix}.txt")
    converted = section_findings(markdown, path=f"{prefix}.md")
    assert [(f.line, f.message) for f in converted] == [(f.line, f.message) for f in plain]


def test_cli_reports_seed_sections_with_json_shape():
    findings = [f for f in cli_json("--select", "section-missing", "seeds/") if f["category"] == "section"]
    by_file = {}
    for f in findings:
        by_file.setdefault(Path(f["path"]).name[:3], []).append(f["line"])
    assert by_file == {"000": [1, 1], "002": [14], "004": [1, 1, 57, 182, 182]}
    assert set(findings[0]) == {"path", "line", "column", "end_column", "rule", "category", "severity", "message",
                                "fixable"}
    assert findings[0]["fixable"] is False  # a missing section is never fixed


# --- clean reports of our own -----------------------------------------------------------

CLEAN_FILES = sorted(CLEAN.iterdir())


@pytest.mark.parametrize("path", CLEAN_FILES, ids=[p.name for p in CLEAN_FILES])
def test_clean_reports_have_all_sections(path):
    text = path.read_text(encoding="utf-8")
    # every clean report is recognised as a report type, so passing means its parts were found
    doc = Document(path.name, text)
    assert recognise(doc.structure.title[1], CATALOG) is not None
    assert section_findings(text, path=path.name, select=["section"]) == []


@pytest.mark.parametrize("path", [p for p in CLEAN_FILES if p.suffix == ".txt"], ids=lambda p: p.name)
def test_clean_reports_converted_to_markdown_stay_clean(path):
    markdown = to_markdown(path.read_text(encoding="utf-8"))
    assert section_findings(markdown, path=path.stem + ".md", select=["section"]) == []


def _problems_heading(path):
    doc = Document(path.name, path.read_text(encoding="utf-8"))
    return next((h for h in doc.structure.headings if h.style == "cn" and ("问题" in h.text or "不足" in h.text)), None)


@pytest.mark.parametrize("path", [p for p in CLEAN_FILES if p.suffix == ".txt" and _problems_heading(p)],
                         ids=lambda p: p.name)
def test_removing_a_required_heading_is_noticed(path):
    """The clean reports pass because their parts are found, not because nothing is checked."""
    text = path.read_text(encoding="utf-8")
    doc = Document(path.name, text)
    headings = [h for h in doc.structure.headings if h.style == "cn"]
    heading = _problems_heading(path)
    end = next((h.line for h in headings if h.line > heading.line), len(doc.lines) + 1)
    lines = doc.lines[: heading.line - 1] + doc.lines[end - 1:]
    findings = section_findings("\n".join(lines), path=path.name)
    assert [m for _, _, m in summary(findings)] == ["存在问题"]


# --- report types -------------------------------------------------------------------------

@pytest.mark.parametrize("title, expected", [
    ("创建学习型党组织工作总结", "工作总结"),
    ("县直机关2022年度建设学习型政府工作总结", "工作总结"),
    ("2023年主题教育工作总结汇编", "工作总结"),
    ("建设学习型党组织情况工作总结(精选11篇)", "工作总结"),
    ("关于2023年工作开展情况的总结", "工作总结"),  # head-final: the last genre word wins
    ("学习型党组织建设工作安排意见", "安排意见"),
    ("2024年机关党建工作要点", "工作要点"),
    ("计划生育协会2024年工作计划", "工作计划"),  # 计划生育 is not a 计划
    ("关于开展“书香机关”建设活动的实施方案", "实施方案"),
    ("关于农村饮水安全工作开展情况的汇报", "情况汇报"),
    ("2023年度个人述职述廉报告", "述职报告"),
    ("关于我县农村养老服务情况的调研报告", "调研报告"),
    ("XX县2023年工作总结（2篇）", "工作总结"),
])
def test_report_type_from_title(title, expected):
    found = recognise(title, CATALOG)
    assert found is not None and found[1] == expected


@pytest.mark.parametrize("title", [
    "在2023年工作总结大会上的讲话",  # a speech
    "在全县实施方案部署会上的发言",
    "关于做好年终总结表彰工作的通知",  # 总结表彰 is no summary
    "政府工作报告",
    "中共中央 国务院关于实施乡村振兴战略的意见",
    "认真总结经验 推动工作落实",
    "关于印发《2024年工作要点》的通知",  # the genre word is not the head of the title
    "学习二十大精神心得体会",
    None,
])
def test_titles_that_name_no_report_type(title):
    assert recognise(title, CATALOG) is None


# --- how parts are found ------------------------------------------------------------------

WORK = "今年以来，我局以服务群众为中心，完成老旧小区改造2个，新建居民议事厅1处，组织志愿服务活动46场，帮助困难家庭申请临时救助18户，群众满意度明显提升。"


def test_inline_markers_in_a_short_report_without_headings():
    text = f"社区2023年工作总结\n{WORK}\n但也存在一些不足，活动阵地偏小。\n下一步，我们将继续推进阵地建设。\n"
    assert section_findings(text) == []


def test_half_width_punctuation_in_markers():
    text = f"社区2023年工作总结\n{WORK}\n但也存在一些问题,活动阵地偏小。\n下一步,我们将继续推进阵地建设。\n"
    assert section_findings(text) == []


def test_weak_marker_alone_is_not_enough():
    # “今后” and “不够” without a support word after them prove nothing
    text = f"社区2023年工作总结\n{WORK}\n这些做法为今后开展工作打下了基础，群众说做得不够的地方也及时改了。\n"
    assert sorted(m for _, _, m in summary(section_findings(text))) == ["下一步打算", "存在问题"]


def test_weak_marker_with_support_in_the_second_half_counts():
    text = f"社区2023年工作总结\n{WORK}\n我们也清楚，社区还存在力量不足等问题。\n新的一年，我们将继续完善网格化服务。\n"
    assert section_findings(text) == []


def test_weak_marker_early_in_the_text_does_not_count():
    text = (f"社区2023年工作总结\n针对辖区还存在的停车难问题，我们新建停车位120个。{WORK}\n"
            f"{WORK}\n下一步，我们将继续推进阵地建设。\n")
    assert [m for _, _, m in summary(section_findings(text))] == ["存在问题"]


@pytest.mark.parametrize("heading", ["二、存在的短板", "（二）问题与不足", "## 存在问题及原因分析", "**二、存在的问题**", "存在的问题"])
def test_problem_headings_in_many_forms(heading):
    path = "r.md" if heading.startswith(("#", "*")) else "r.txt"
    text = f"2023年工作总结\n一、主要工作\n{WORK}\n{heading}\n活动阵地偏小，志愿者队伍不稳定。\n三、2024年工作打算\n继续推进阵地建设。\n"
    assert section_findings(text, path=path) == []


def test_a_report_of_problems_and_plans_only_misses_its_work():
    text = f"2023年工作总结\n一、存在的问题\n{WORK}\n二、下一步打算\n{WORK}\n"
    assert [m for _, _, m in summary(section_findings(text))] == ["主要工作与成效"]


def test_forward_looking_countermeasures_stand_for_next_steps():
    text = f"督查工作总结\n一、主要特点\n{WORK}\n二、存在的问题\n领导不够重视。\n三、对策建议\n进一步规范中心组学习机制。\n"
    assert section_findings(text) == []


def test_fragment_is_not_checked():
    assert section_findings("2023年工作总结\n一、主要工作\n完成了任务。\n二、体会\n很有收获。\n") == []


def test_implementation_plan_parts_and_dated_steps():
    text = ("关于开展读书活动的实施方案\n为营造读书氛围，制定本方案。\n一、工作目标\n到2024年底，人均读书12本。\n"
            "二、主要任务\n建设职工书屋，开展读书分享。各科室轮流主讲，年底评选读书之星，营造浓厚的读书学习氛围。\n"
            "三、时间安排\n3月—11月组织实施，12月总结表彰。\n")
    findings = section_findings(text)
    assert [m for _, _, m in summary(findings)] == ["保障措施/工作要求"]
    assert "实施方案缺少" in findings[0].message


def test_duty_report_with_integrity_in_title_requires_it():
    base = ("2023年度述职述廉报告\n本人任副局长以来，主要负责农业工作。\n一、履职情况\n" + WORK +
            "\n二、存在的不足\n调研不够深入。\n三、今后努力方向\n加强学习。\n")
    assert [m for _, _, m in summary(section_findings(base))] == ["廉洁自律"]
    assert section_findings(base.replace("述职述廉报告", "述职报告")) == []


def test_recommended_parts_are_opt_in():
    text = f"2024年工作要点\n一、开展读书活动\n{WORK}\n二、开展专题讲座\n{WORK}\n"
    assert section_findings(text) == []
    findings = section_findings(text, select=["section-recommended-missing"])
    assert {f.severity for f in findings} == {"info"}
    assert any("指导思想" in f.message for f in findings)


# --- compilations -------------------------------------------------------------------------

def test_compilation_piece_with_its_own_title_is_checked_as_that_type():
    text = (f"工作总结范文（精选2篇）\n篇一：2023年社区工作总结\n一、主要工作\n{WORK}\n二、存在的问题\n阵地偏小。\n"
            f"三、下一步打算\n继续推进。\n篇二：2023年安全生产工作总结\n一、强化责任落实\n{WORK}\n二、开展隐患排查\n{WORK}\n")
    findings = section_findings(text)
    assert summary(findings) == [(9, "工作总结", "下一步打算"), (9, "工作总结", "存在问题")]
    assert findings[0].message.startswith("汇编中的《2023年安全生产工作总结》：这篇工作总结")


def test_untitled_piece_needs_structure_and_evidence_to_inherit_the_type():
    essay = ("关键词：学习型；党组织\n一、建设学习型党组织是时代的必然要求\n" + WORK +
             "\n二、积极探索建设学习型党组织的有效路径\n" + WORK + "\n")
    text = (f"学习型党组织建设工作总结（精选2篇）\n篇一：机关学习型党组织建设工作总结\n一、主要工作\n{WORK}\n"
            f"二、存在的问题\n阵地偏小。\n三、下一步打算\n继续推进。\n篇二：\n{essay}")
    assert section_findings(text) == []


# --- config: sections ------------------------------------------------------------------

def write_config(tmp_path, text, name=".lint-reports.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_config_overrides_required_parts_by_id(tmp_path):
    config = config_module.load(write_config(tmp_path, "sections:\n  work_summary: [work_done, problems]\n"))
    assert [m for _, _, m in summary(section_findings(seed_text("000"), config=config))] == ["存在问题"]


def test_config_overrides_by_chinese_label_and_adds_synonyms(tmp_path):
    config = config_module.load(write_config(tmp_path, (
        "sections:\n"
        "  工作总结:\n"
        "    required: [主要工作与成效, 存在问题, 下一步打算, 经验体会]\n"
        "    synonyms:\n"
        "      存在问题: [指导实践]\n")))
    # 000's third heading “三、指导实践，发挥创建作用” now counts as its problems part
    assert sorted(m for _, _, m in summary(section_findings(seed_text("000"), config=config))) == ["下一步打算", "经验体会"]


def test_config_global_synonyms_and_markers(tmp_path):
    config = config_module.load(write_config(tmp_path, (
        "sections:\n  synonyms:\n    problems: [指导实践]\n  markers:\n    next_steps: [优化服务能力]\n")))
    assert section_findings(seed_text("000"), config=config) == []


def test_config_empty_list_turns_a_type_off(tmp_path):
    config = config_module.load(write_config(tmp_path, "sections:\n  work_summary: []\n"))
    assert section_findings(seed_text("000"), config=config) == []


def test_config_from_pyproject(tmp_path):
    path = write_config(tmp_path, '[tool.lint-reports]\nyear = 2022\n\n[tool.lint-reports.sections]\nwork_summary = ["problems"]\n',
                        name="pyproject.toml")
    config = config_module.load(path)
    assert [m for _, _, m in summary(section_findings(seed_text("000"), config=config))] == ["存在问题"]


@pytest.mark.parametrize("body, line, words", [
    ("sections:\n  weekly_report: [problems]\n", 2, "unknown report type 'weekly_report'"),
    ("year: 2023\nsections:\n  work_summary: [problems, 成绩]\n", 3, "unknown part '成绩'"),
    ("sections:\n  work_summary:\n    required: [problems]\n    must: [x]\n", 4, "unknown key 'must'"),
    ("sections:\n  work_summary: problems\n", 2, "must be a list of required parts"),
    ("sections:\n  synonyms:\n    problems: 不足\n", 3, "must be a list"),
    ("sections:\n  实施方案:\n    synonyms:\n      阶段: [推进计划]\n", 4, "unknown part '阶段'"),
])
def test_config_errors_name_file_and_line(tmp_path, body, line, words):
    config = config_module.load(write_config(tmp_path, body))
    with pytest.raises(ConfigError) as error:
        Linter(config)
    assert f".lint-reports.yaml:{line}:" in str(error.value)
    assert words in str(error.value)


def test_config_sections_must_be_a_mapping(tmp_path):
    with pytest.raises(ConfigError, match=r":1: 'sections' must be"):
        config_module.load(write_config(tmp_path, "sections: [problems]\n"))


def test_cli_config_error_is_exit_2_one_line(tmp_path):
    write_config(tmp_path, "sections:\n  work_summary: [成绩]\n")
    (tmp_path / "a.txt").write_text("2023年工作总结\n" + WORK, encoding="utf-8")
    result = run_cli("a.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert ".lint-reports.yaml:2" in result.stderr and "成绩" in result.stderr


def test_apply_config_keeps_the_builtin_catalog_unchanged():
    changed = apply_config(CATALOG, {"work_summary": ["problems"], "synonyms": {"problems": ["短处"]}})
    assert changed.report_type("work_summary").required == ("problems",)
    assert CATALOG.report_type("work_summary").required == ("work_done", "problems", "next_steps")
    assert "短处" in changed.parts["problems"].synonyms and "短处" not in CATALOG.parts["problems"].synonyms


@pytest.mark.parametrize("heading", ["二、工作中的不足", "（二）当前面临的困难", "三、今后的工作", "四、下阶段工作", "三、2024年工作计划", "三、工作展望"])
def test_more_heading_forms(heading):
    problems = heading if "不足" in heading or "困难" in heading else "二、存在的问题"
    steps = heading if problems != heading else "三、下一步打算"
    text = f"2023年工作总结\n一、主要工作\n{WORK}\n{problems}\n活动阵地偏小，志愿者队伍不稳定。\n{steps}\n继续推进阵地建设。\n"
    assert section_findings(text) == []


def test_a_task_that_solves_a_problem_is_not_a_problems_part():
    text = (f"2023年工作总结\n一、主要工作\n{WORK}\n（一）着力解决群众反映强烈的停车难问题\n新建停车位120个。\n"
            f"二、下一步打算\n继续推进阵地建设。\n")
    assert [m for _, _, m in summary(section_findings(text))] == ["存在问题"]


DOC = Path(__file__).resolve().parent.parent / "docs" / "sections.md"


def _doc_snippets(language):
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_documented_config_example_loads_and_applies(tmp_path):
    example = next(s for s in _doc_snippets("yaml") if "sections:" in s and "synonyms:" in s)
    config = config_module.load(write_config(tmp_path, example))
    linter = Linter(config, select=["section-missing"])
    catalog = apply_config(CATALOG, config.options_of("sections"))
    assert catalog.report_type("work_summary").required == ("work_done", "problems")
    assert catalog.report_type("research_report").required == ()
    assert "integrity" in catalog.report_type("duty_report").required
    # 000 now misses only its problems part
    doc = Document("000.txt", seed_text("000"))
    assert [m for _, _, m in summary(linter.lint(doc, "000.txt"))] == ["存在问题"]


def test_documented_pyproject_example_loads(tmp_path):
    example = next(s for s in _doc_snippets("toml") if "sections" in s)
    config = config_module.load(write_config(tmp_path, example, name="pyproject.toml"))
    Linter(config)
    assert apply_config(CATALOG, config.options_of("sections")).report_type("work_summary").required == ("work_done", "problems")


def test_documented_pack_adds_a_report_type(tmp_path):
    pack = next(s for s in _doc_snippets("yaml") if "report_types:" in s)
    (tmp_path / "my-types.yaml").write_text(pack, encoding="utf-8")
    config = config_module.load(write_config(tmp_path, "packs: [my-types.yaml]\n"))
    text = ("项目推进会会议纪要\n会议听取了各单位项目进展情况汇报，研究了下一阶段推进措施。会议认为，各单位高度重视，"
            "项目推进总体顺利，但进度不平衡，部分项目前期手续办理较慢，需要加大协调力度。会议强调，各单位要倒排工期、挂图作战，确保全年目标任务如期完成。\n")
    findings = section_findings(text, config=config)
    assert [f.message for f in findings] == ["会议纪要缺少“议定事项”部分：请逐项写明会议议定的事项、责任单位和完成时限（如“二、议定事项”）。"]
    assert section_findings(text + "二、议定事项\n（一）由发改局牵头，月底前完成手续办理。\n", config=config) == []
    assert section_findings(seed_text("000"), config=config) != []  # the built-in types stay


from hypothesis import given, settings, strategies as st

_PIECES = st.sampled_from(["一、", "（二）", "## ", "**三、存在问题**", "篇一：", "目 录", "区委组织部：", "关键词：",
                           "下一步，", "还存在", "问题", "工作总结", "汇编（2篇）", "\n", "\n\n", "——", "1.", "#"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=40), st.sampled_from(["r.txt", "r.md"]))
def test_any_text_gives_well_formed_findings(chunks, path):
    text = "2023年工作总结汇编（2篇）\n" + "".join(chunks)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for finding in section_findings(text, path=path, select=["section"]):
        assert 1 <= finding.line <= len(lines) and finding.column == 1
        assert "缺少" in finding.message or "建议具备" in finding.message


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*_gov_*.txt")), ids=lambda p: p.name)
def test_real_reports_retitled_as_summaries_show_their_problems_and_plans(path):
    """The 政府工作报告 state problems (“我们也清醒地认识到……”, “在肯定成绩的同时”) and the
    coming year's tasks (“二、2008年主要任务”): as 工作总结 they lack nothing."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = "2017年县政府工作总结"
    assert section_findings("\n".join(lines), path=path.name) == []


def test_personal_summary_in_plain_paragraphs():
    text = ("2023年个人工作总结\n一年来，我认真学习业务知识，完成各类材料起草60余篇，协助组织会议20余场，较好完成了领导交办的各项任务。\n"
            "回顾一年的工作，我也存在一些不足之处，比如理论学习不够系统，工作方法还不够灵活。\n"
            "新的一年里，我要努力克服不足，不断提高自身素质。\n")
    assert section_findings(text) == []


def test_closing_courtesy_is_not_a_problems_part():
    text = f"2023年社区工作总结\n{WORK}\n{WORK}\n下一步，我们将继续推进阵地建设。\n以上总结如有不足之处，敬请批评指正。\n"
    assert [m for _, _, m in summary(section_findings(text))] == ["存在问题"]
