"""The year a document speaks from, and why."""
from __future__ import annotations

import pytest

from conftest import SEEDS, run_cli
from lint_reports.io.load import load_document
from lint_reports.config.settings import Config
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter
from lint_reports.kinds.era.knowledge import knowledge_from_data, scan_document

_LINTER = Linter(Config())
KNOWLEDGE = knowledge_from_data(_LINTER.data)


def decisions(text, path="report.txt", year=None):
    doc = Document(path, text, year=year, year_reason="命令行 --year" if year else "")
    return [decision for _, decision in scan_document(doc, KNOWLEDGE).decisions]


def decide(text, **kwargs):
    [decision] = decisions(text, **kwargs)
    return decision


@pytest.mark.parametrize("text,year,source", [
    ("2022年工作总结\n今年以来，我们扎实推进各项工作。", 2022, "title"),
    ("二〇二二年工作总结\n今年以来，我们扎实推进各项工作。", 2022, "title"),
    ("工作总结\n截至2022年底，全县完成投资12亿元。", 2022, "body"),
    ("工作总结\n2022-05-01，县委召开动员大会。", 2022, "body"),
    ("工作总结\n2022年3月，县委召开动员大会。", 2022, "body"),
    # the writing year beats history: 1921, ranges, 以来, targets, a download stamp
    ("工作总结\n党自1921年成立以来，2008-2012年间，2015年以来，到2035年基本实现现代化。2019年3月，县委召开会议。",
     2019, "body"),
    ("工作总结\n2024-11-25下载文档一键复制全文\n现就2022年全县工作提出安排意见。", 2022, "body"),
    ("工作总结\n2018年以来，全县累计投入资金3亿元。", 2018, "body"),
    # next year's plans at the end of a summary do not date it
    ("工作总结\n2022年3月，县委召开动员大会。\n三、2023年工作打算\n（一）2023年工作思路", 2022, "body"),
    ("工作总结\n今年是中国共产党成立100周年，各支部开展庆祝活动。", 2021, "anniversary"),
    ("工作总结\n认真学习贯彻党的二十大精神。", 2022, "events"),
    # a date older than the events the text cites cannot be the writing year
    ("工作总结\n根据《2010年学习计划》，深入学习贯彻党的二十大精神。", 2022, "events"),
    ("工作总结\n加强学习，提高素质。", None, None),
])
def test_decision(text, year, source):
    decision = decide(text)
    assert (decision.year, decision.source) == (year, source), decision


def test_configured_year_wins():
    decision = decide("2022年工作总结\n深入学习贯彻党的二十大精神。", year=2030)
    assert (decision.year, decision.source) == (2030, "config")
    assert decision.explained == "2030（据命令行 --year）"


def test_front_matter_date():
    text = "---\ntitle: 工作总结\ndate: 2021-12-30\n---\n# 工作总结\n\n2019年3月，县委召开会议。\n"
    decision = decide(text, path="report.md")
    assert (decision.year, decision.source) == (2021, "front-matter")


def test_compilation_pieces_have_their_own_year():
    text = ("学习型党组织建设工作总结（精选3篇）\n"
            "篇一：2010年学习型党组织建设工作总结\n一、主要做法\n认真贯彻落实十七届四中全会精神。\n"
            "篇二：2022年学习型党组织建设工作总结\n一、主要做法\n认真学习贯彻党的二十大精神。\n"
            "篇三：学习型党组织建设情况汇报\n一、主要做法\n加强学习。\n")
    years = [d.year for d in decisions(text)]
    assert 2010 in years and 2022 in years
    # a piece without a date is not given a neighbour's year; 学习型党组织 (2009) only says "since 2008":
    # a campaign is announced before it opens
    assert years[-1] == 2008


def test_compilation_title_year_is_the_fallback_of_its_pieces():
    path = next(SEEDS.glob("002_*.txt"))
    doc = load_document(str(path), path.read_bytes())
    years = {d.year for _, d in scan_document(doc, KNOWLEDGE).decisions}
    assert years == {2023}


def test_seed_004_years_per_piece():
    path = next(SEEDS.glob("004_*.txt"))
    doc = load_document(str(path), path.read_bytes())
    by_start = {part.start_line: d.year for part, d in scan_document(doc, KNOWLEDGE).decisions}
    assert by_start[57] == 2010  # 黄办发〔2010〕26号
    assert by_start[114] == 2012  # 十八大精神的学习宣传贯彻情况
    assert by_start[182] >= 2017  # 习近平新时代中国特色社会主义思想


def test_explain_year_cli():
    path = next(SEEDS.glob("003_*.txt"))
    result = run_cli("--explain-year", str(path))
    assert result.returncode == 0
    assert "文档年份 2022（据正文日期：“2022年”，第4行）" in result.stdout
    result = run_cli("--explain-year", str(next(SEEDS.glob("004_*.txt"))))
    assert "汇编，共" in result.stdout and "第57–113行" in result.stdout


def test_explain_year_missing_file_is_one_line_error():
    result = run_cli("--explain-year", "no-such-report.txt")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no-such-report.txt" in result.stderr


def test_verbose_prints_a_year_line_per_file_on_stderr():
    result = run_cli("--verbose", "--select", "outdated", str(SEEDS))
    lines = [line for line in result.stderr.splitlines() if "年份" in line]
    assert len(lines) == 5
    assert any("003_" in line and "2022" in line for line in lines)
    assert not any(": 文档年份" in line for line in result.stdout.splitlines())


@pytest.mark.parametrize("text,path,year,source", [
    # the signing date (落款) is the writing date, even when the body plans the next year
    ("工作计划\n2023年6月底前完成全部改造任务。\n县住建局\n2022年12月28日", "plan.txt", 2022, "date-line"),
    ("工作总结\n认真开展学习。\n中共××县委组织部 二〇二一年十二月三十日", "x.txt", 2021, "date-line"),
    ("工作总结\n2019年3月，县委召开会议。\n2020-01-15", "x.txt", 2020, "date-line"),
    ("政府工作报告\n——2018年3月7日在海拉尔区第十五届人民代表大会第二次会议上\n一、2017年工作回顾\n"
     "积极开展“不忘初心、牢记使命”主题教育。", "x.txt", 2018, "date-line"),
    # a line that only mentions a date inside a sentence is not a date line
    ("工作总结\n2019年3月，县委召开会议，部署全年工作。", "x.txt", 2019, "body"),
    # the file name, when the text has no title year or date line
    ("工作总结\n认真开展学习。", "2022年工作总结.txt", 2022, "filename"),
    ("工作总结\n认真开展学习。", "reports/summary_2021.md", 2021, "filename"),
    ("工作总结\n认真开展学习。", "2020-03-15-总结.md", 2020, "filename"),
    # the text's own dates beat the file name (a downloaded template keeps the site's name)
    ("工作总结\n现就2022年全县工作提出安排意见。", "2011年学习型党组织建设安排意见.txt", 2022, "body"),
    # …but not a hash, a word or a range
    ("工作总结\n认真开展学习。", "003_f7c51d2019a3b.txt", None, None),
    ("工作总结\n认真开展学习。", "2021-2025规划.txt", None, None),
    # the title beats the file name and the date line
    ("2022年工作总结\n认真开展学习。\n2023年1月5日", "2019_总结.txt", 2022, "title"),
])
def test_decision_sources(text, path, year, source):
    decision = decide(text, path=path)
    assert (decision.year, decision.source) == (year, source), decision


def test_front_matter_year_key_and_line():
    text = "---\ntitle: 工作总结\nyear: 2021\n---\n# 2019年工作总结\n"
    decision = decide(text, path="2018.md")
    assert (decision.year, decision.source, decision.line) == (2021, "front-matter", 3)


def test_config_year_stands_even_before_the_events_cited():
    # --year 2015 on a text citing 二十大 is the user's word: the year is not raised
    decision = decide("工作总结\n深入学习贯彻党的二十大精神。", year=2015)
    assert (decision.year, decision.source) == (2015, "config")


def test_explain_year_lists_every_kind_of_evidence_in_order(tmp_path):
    report = tmp_path / "2021_总结.txt"
    report.write_text("2022年工作总结\n截至2022年底，深入学习贯彻党的二十大精神。\n", encoding="utf-8")
    result = run_cli("--explain-year", str(report))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].endswith("文档年份 2022（据标题：“2022年工作总结”，第1行）")
    ranked = [line.strip() for line in lines if line.strip()[:2] in {f"{n}." for n in range(1, 9)}]
    assert [line.split(".")[0] for line in ranked] == [str(n) for n in range(1, 9)]
    assert "1. --year / 配置: 无" in ranked[0]
    assert ranked[2] == "3. 标题: 2022（“2022年工作总结”，第1行）"
    assert ranked[4] == "5. 正文日期: 2022（“2022年”，第2行）"
    assert ranked[5] == "6. 文件名: 2021（“2021_总结.txt”）"
    assert ranked[7].startswith("8. 文中提及的事件（年份下限）: ≥2022（党的二十大")
    with_year = run_cli("--year", "2030", "--explain-year", str(report)).stdout
    assert "文档年份 2030（据命令行 --year）" in with_year and "1. --year / 配置: 2030" in with_year


def test_explain_year_without_any_year_says_what_still_runs(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("工作总结\n加强学习，提高素质。\n", encoding="utf-8")
    out = run_cli("--explain-year", str(report)).stdout
    assert "文档年份 无法判断" in out and "outdated-mixed-era" in out and "--year" in out


def test_a_date_alone_in_the_middle_is_a_chronology_entry_not_the_signing_date():
    items = "\n".join(f"第{i}项工作：按计划推进。" for i in range(1, 30))
    middle = decide(f"工作总结\n{items}\n2019年5月6日\n{items}\n县住建局")
    assert middle.source == "body"
    signed = decide(f"工作总结\n{items}\n2019年5月6日 召开会议。\n{items}\n县住建局\n2021年12月30日")
    assert (signed.year, signed.source) == (2021, "date-line")
