"""Outdated references: every fact family on real sentences, both directions, and the seeds."""
from __future__ import annotations

import pytest

from conftest import SEEDS, cli_json, lint_text, run_cli

# (sentence, document year, rule expected or None). Sentences are taken from real reports
# (the seeds, the corpus, published 政府工作报告) or written the way such reports are.
CASES = [
    # plenums: spirits of one Central Committee accumulate until the next congress
    ("为了深入贯彻落实党的十七届五中全会精神，推进学习型党组织建设工作。", 2022, "outdated-plenum"),
    ("全面贯彻党的十八届三中、四中、五中、六中全会精神。", 2019, "outdated-plenum"),
    ("深入学习贯彻党的十九届六中全会精神。", 2024, "outdated-plenum"),
    ("深入学习贯彻党的十九届六中全会精神。", 2022, None),
    ("深入贯彻党的十九大和十九届二中、三中、四中全会精神。", 2020, None),
    ("认真学习贯彻党的二十大和二十届二中、三中全会精神。", 2024, None),
    ("组织党员干部集中学习县委十五届十次全会精神。", 2022, None),
    ("认真传达学习市委十九届五中全会精神。", 2022, None),
    ("认真传达学习市委十九届五中全会精神。", 2024, None),  # the city committee's own 19th term
    ("深入学习贯彻区委十八届六中全会精神。", 2023, None),
    ("党的十八届三中全会以来，改革全面发力。", 2022, None),
    ("在党的十七届四中全会精神指引下，我们取得了显著成效。", 2022, None),
    # congresses
    ("认真贯彻落实党的十八大精神。", 2019, "outdated-congress"),
    ("今年是全面贯彻党的十七大精神的第一年。", 2008, None),
    ("一、过去五年工作回顾\n各级政府和全国各族人民认真贯彻党的十六大精神，齐心协力。", 2008, None),
    ("一年来，我们深入贯彻党的十九大和十九届历次全会精神，喜迎党的二十大胜利召开。", 2023, None),
    ("2022年，我们深入贯彻党的十九大和十九届历次全会精神。", 2023, None),
    # the year after a congress, its predecessor is no longer current guidance
    ("深入贯彻落实党的十九大精神，推动高质量发展。", 2023, "outdated-congress"),
    ("全面贯彻党的十九大和十九届二中、三中、四中、五中全会精神。", 2023, "outdated-plenum"),
    ("深入贯彻落实党的十九大精神，推动高质量发展。", 2022, None),
    ("党的十八大以来，我国发展取得历史性成就。", 2019, None),
    ("以优异成绩迎接党的十九大胜利召开。", 2017, None),
    ("迎接党的二十一大胜利召开。", 2026, None),
    ("围绕十二大工程建设，全力抓好重点项目。", 2022, None),
    # five-year plans
    ("确保“十二五”目标全面完成。", 2019, "outdated-plan"),
    ("全面实施“十三五”规划，推动高质量发展。", 2023, "outdated-plan"),
    ("实现“十五”计划的各项目标。", 2010, "outdated-plan"),
    ("胜利完成“十一五”规划的主要目标和任务。", 2011, None),
    ("一、“十二五”时期和2015年工作回顾", 2016, None),
    ("回顾“十二五”时期，全区经济总量翻了一番。", 2016, None),
    ("“十三五”期间，累计完成固定资产投资615亿元。", 2021, None),
    ("深入实施“七五”普法，推进依法治区。", 2019, None),
    ("今年要编制好“十四五”规划。", 2020, None),
    ("贯彻落实全省“十二五”规划纲要。", 2012, None),
    ("十五届全国人大代表", 2023, None),
    # campaigns
    ("紧密结合深入学习实践科学发展观活动，以培育学习型党员为目标。", 2022, "outdated-campaign"),
    ("深入开展创先争优活动。", 2016, "outdated-campaign"),
    ("扎实开展“不忘初心、牢记使命”主题教育。", 2022, "outdated-campaign"),
    ("深入开展扫黑除恶专项斗争。", 2023, "outdated-campaign"),
    ("深入开展创先争优活动。", 2011, None),
    ("党的群众路线教育实践活动开展以来，机关作风明显好转。", 2016, None),
    ("认真落实“两学一做”学习教育常态化制度化要求。", 2022, None),
    ("持续推动党史学习教育常态化长效化。", 2024, None),
    ("常态化开展扫黑除恶斗争。", 2023, None),
    # guiding formulas
    ("坚持以邓小平理论、“三个代表”重要思想、科学发展观为指导。", 2019, "outdated-formula"),
    ("深入学习贯彻习近平总书记系列重要讲话精神。", 2020, "outdated-formula"),
    ("在以胡锦涛同志为总书记的党中央坚强领导下，开拓进取。", 2015, "outdated-formula"),
    ("以马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、科学发展观、"
     "习近平新时代中国特色社会主义思想为指导。", 2022, None),
    ("这是以胡锦涛同志为总书记的党中央总揽全局、正确领导的结果。", 2011, None),
    ("认真做好学习习近平总书记治国理政新理念新思想新战略到学习习近平新时代中国特色社会主义思想的融会贯通。",
     2022, None),
    # anniversaries: base + N must be the document's year (one more when looking ahead)
    ("今年是中国共产党建党90周年，各级党组织都要组织学习。", 2022, "outdated-anniversary"),
    ("今年是改革开放40周年。", 2019, "outdated-anniversary"),
    ("值此建党100周年之际，我们回顾党的光辉历程。", 2022, "outdated-anniversary"),
    ("喜迎建党一百周年。", 2018, "outdated-anniversary"),
    ("今年是中国共产党成立100周年。", 2021, None),
    ("以优异成绩迎接建党100周年。", 2020, None),
    ("喜迎建党一百周年。", 2020, None),
    ("我们隆重庆祝新中国成立70周年。", 2020, None),
    ("2019年是新中国成立70周年。", 2020, None),
    ("建党百年之际，全县开展系列庆祝活动。", 2021, None),
    ("全面回顾90年来，中国共产党由小到大。", 2022, None),
    # institutions: county bodies follow the centre with a lag
    ("联合县扶贫办开展防止返贫动态监测。", 2023, "outdated-institution"),
    ("配合县工商局做好市场主体登记工作。", 2022, "outdated-institution"),
    ("县国土资源局完成年度土地变更调查。", 2021, "outdated-institution"),
    ("县地税局组织开展纳税服务。", 2020, "outdated-institution"),
    ("国家工商总局发布通知。", 2019, "outdated-institution"),
    ("县卫生局组织开展义诊。", 2018, "outdated-institution"),
    ("配合县工商局做好市场主体登记工作。", 2018, None),
    ("原县扶贫办的职责已划入县乡村振兴局。", 2023, None),
    ("县国土资源局更名为县自然资源局。", 2021, None),
    ("2010年，县国土资源局完成土地调查。", 2021, None),
    ("县民政局党支部全面学习贯彻党的二十大精神。", 2022, None),
    ("国家税务总局某市税务局开展减税降费政策宣传。", 2022, None),
    ("蓝山县地税局制定党组中心组学习制度。", 2013, None),
    ("公司人事部负责招聘工作。", 2020, None),
    ("工商联组织民营企业座谈。", 2022, None),
    ("自然资源部对外保留国家海洋局牌子，国家海洋局继续履职。", 2022, None),
    # slogans and policy names
    ("全力助推我县精准打赢脱贫攻坚这场硬仗。", 2022, "outdated-slogan"),
    ("为全面建设小康社会而奋斗。", 2016, "outdated-slogan"),
    ("继续做好新冠肺炎疫情防控工作。", 2024, "outdated-slogan"),
    ("持续巩固拓展脱贫攻坚成果。", 2022, None),
    ("坚决打赢脱贫攻坚战。", 2020, None),
    ("如期打赢脱贫攻坚战，如期全面建成小康社会、实现第一个百年奋斗目标。", 2022, None),
    ("确保如期打赢脱贫攻坚战。", 2022, "outdated-slogan"),
    ("过去五年是全面建设小康社会取得重大进展的五年。", 2016, None),
    ("新冠肺炎疫情期间，我们组织党员下沉社区。", 2024, None),
    ("彻底取消农业税和各种收费。", 2011, None),
    # history in a later report: what the knowledge calls retrospective use
    ("自党的十八大以来，全县经济社会发展取得历史性成就。", 2024, None),
    ("自十八大以来，我们始终坚持以人民为中心的发展思想。", 2024, None),
    ("十八大以来的十年，是极不寻常、极不平凡的十年。", 2022, None),
    ("回顾“十三五”，全县地区生产总值年均增长7.2%。", 2022, None),
    ("回顾十三五，我们深刻体会到：必须坚持党的全面领导。", 2023, None),
    ("“十三五”以来，累计新增就业1.2万人。", 2023, None),
    ("“十二五”期间，全市经济年均增长9%。", 2018, None),
    ("总结“十二五”经验，谋划“十三五”发展。", 2016, None),
    ("2018—2020年，全县深入开展扫黑除恶专项斗争，打掉涉黑组织3个。", 2023, None),
    ("根据《关于深入开展党的群众路线教育实践活动的意见》，制定本方案。", 2022, None),
    ("深入学习实践科学发展观活动以来，全县干部作风明显转变。", 2012, None),
    ("过去五年，我们深入贯彻落实党的十八大和十八届三中、四中、五中、六中全会精神。", 2018, None),
    ("这是贯彻落实党的十九大精神的开局之年。", 2018, None),
    # …and the same items as current tasks in that later report
    ("自觉贯彻落实党的十八大精神，推动各项工作。", 2024, "outdated-congress"),
    ("确保“十三五”规划目标任务全面完成。", 2022, "outdated-plan"),
    # mixed eras need no year
    ("深入学习贯彻党的二十大精神，认真贯彻落实十七届四中全会精神。", None, "outdated-mixed-era"),
    ("对照“十四五”规划纲要，确保“十二五”目标全面完成。", None, "outdated-mixed-era"),
    ("党的十八大以来，我们认真学习贯彻党的二十大精神。", None, None),
    ("深入学习贯彻党的十九大和十九届四中全会精神。", None, None),
    # no year at all: nothing era-dependent
    ("今年是中国共产党建党90周年。", None, None),
    ("为了深入贯彻落实党的十七届五中全会精神，推进学习型党组织建设工作。", None, None),
]


@pytest.mark.parametrize("text,year,expected", CASES, ids=[f"{y}-{t[:14]}" for t, y, _ in CASES])
def test_sentence(text, year, expected):
    found = {f.rule for f in lint_text(text, select=["outdated"], year=year)}
    assert found == ({expected} if expected else set()), text


def test_message_names_reference_period_year_reason_and_current_equivalent():
    text = "2022年学习型党组织建设工作安排意见\n为了深入贯彻落实党的十七届五中全会精神，推进学习型党组织建设工作。\n"
    [finding] = lint_text(text, select=["outdated"])
    assert finding.message == ("十七届五中全会（2010年）精神已被后续全会取代；文档年份 2022（据标题）；"
                               "现行提法：党的二十大和二十届历次全会精神")
    assert (finding.line, finding.column) == (2, 9)


@pytest.mark.parametrize("text,needle", [
    ("2019年工作要点\n确保“十二五”目标全面完成。", "现行提法：“十三五”规划"),
    ("2022年工作要点\n确保“十二五”目标全面完成。", "现行提法：“十四五”规划"),
    ("2023年工作总结\n配合县工商局做好登记。", "县工商局已于 2018年（县级机构于2019年完成）撤并或更名"),
    ("2023年工作总结\n配合县工商局做好登记。", "现行提法：市场监督管理局"),
    ("2022年工作安排\n今年是中国共产党建党90周年。", "对应 2011 年，与文档年份 2022（据标题）不符；2022 年应为第 101 周年"),
    ("2019年工作要点\n坚持以邓小平理论、“三个代表”重要思想、科学发展观为指导。",
     "现行提法：习近平新时代中国特色社会主义思想"),
    ("深入学习贯彻党的二十大精神，认真贯彻落实十七届四中全会精神。", "文中也提到党的二十大（2022年）"),
    # the successor of the successor when that one is gone too (乡村振兴局 → 农业农村局 from 2025)
    ("2023年工作总结\n联合县扶贫办开展防止返贫动态监测。", "现行提法：乡村振兴局"),
    ("2026年工作总结\n联合县扶贫办开展防止返贫动态监测。", "现行提法：农业农村局"),
    # a finished campaign: the one running in the document's year, or its permanent successor
    ("2024年工作总结\n深入开展党的群众路线教育实践活动。", "2024年开展的是党纪学习教育"),
    ("2023年工作总结\n扎实开展“不忘初心、牢记使命”主题教育。",
     "2023年开展的是学习贯彻习近平新时代中国特色社会主义思想主题教育"),
    ("2023年工作总结\n深入开展扫黑除恶专项斗争。", "现行提法：常态化扫黑除恶斗争"),
])
def test_message_parts(text, needle):
    messages = [f.message for f in lint_text(text, select=["outdated"])]
    assert any(needle in m for m in messages), messages


def _seed(prefix):
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def test_seed_003_every_stale_reference_at_its_line():
    findings = cli_json("--select", "outdated", str(_seed("003")))
    assert {(f["line"], f["rule"]) for f in findings} == {
        (4, "outdated-plenum"), (6, "outdated-plan"), (8, "outdated-anniversary"), (15, "outdated-campaign"),
    }
    plan = next(f for f in findings if f["rule"] == "outdated-plan")
    line6 = _seed("003").read_text(encoding="utf-8").splitlines()[5]
    assert line6[plan["column"] - 1:plan["end_column"] - 1] == "十二五"  # not the 十一五 achievements


def test_seed_004_compilation_pieces_are_judged_by_their_own_year():
    # 2009–2013 pieces citing 十七届四中/五中全会, 十二五, 创先争优 for their own time: all history now.
    assert cli_json("--select", "outdated", str(_seed("004"))) == []
    # Read as a 2022 document, the same pieces are stale (the year applies to every piece).
    stale = cli_json("--select", "outdated", "--year", "2022", str(_seed("004")))
    assert {(f["line"], f["rule"]) for f in stale} >= {(103, "outdated-plenum"), (173, "outdated-plenum")}


def test_seed_000_stale_poverty_slogan_only():
    findings = cli_json("--select", "outdated", str(_seed("000")))
    assert [(f["line"], f["rule"]) for f in findings] == [(9, "outdated-slogan")]


@pytest.mark.parametrize("prefix", ["001", "002"])
def test_current_seeds_have_no_outdated_reference(prefix):
    assert cli_json("--select", "outdated", str(_seed(prefix))) == []


@pytest.mark.parametrize("rule", ["outdated-plenum", "outdated-congress", "outdated-plan", "outdated-campaign",
                                  "outdated-formula", "outdated-anniversary", "outdated-institution",
                                  "outdated-slogan", "outdated-mixed-era"])
def test_explain_shows_examples(linter, rule):
    from lint_reports.cli.explain import explain

    text = explain(linter, rule)
    assert "会报告（bad）" in text and "不会报告（good）" in text
    assert linter.by_id[rule].examples["bad"][0].splitlines()[-1] in text


def test_explain_cli():
    result = run_cli("--explain", "outdated-plenum")
    assert result.returncode == 0 and "十七届五中全会" in result.stdout


def test_no_year_no_era_finding_unless_given(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("学习型党组织建设工作安排意见\n为了深入贯彻落实党的十七届五中全会精神，推进学习型党组织建设。\n",
                      encoding="utf-8")
    assert cli_json("--select", "outdated", str(report)) == []
    assert [f["rule"] for f in cli_json("--select", "outdated", "--year", "2022", str(report))] == ["outdated-plenum"]
    (tmp_path / ".lint-reports.yaml").write_text("year: 2022\n", encoding="utf-8")
    result = run_cli("--select", "outdated", "report.txt", cwd=tmp_path)
    assert "outdated-plenum" in result.stdout and "文档年份 2022（据配置文件 year）" in result.stdout
    (tmp_path / ".lint-reports.yaml").write_text('per-file:\n  "report.txt": {year: 2011}\n', encoding="utf-8")
    assert "outdated" not in run_cli("--select", "outdated", "report.txt", cwd=tmp_path).stdout


def test_congress_with_its_plenums_is_one_reference():
    [finding] = lint_text("2023年工作要点\n全面贯彻党的十九大和十九届二中、三中、四中、五中全会精神。", select=["outdated"])
    assert finding.rule == "outdated-plenum" and (finding.line, finding.column) == (2, 5)
    assert finding.message.startswith("十九大和十九届二中、三中、四中、五中全会（2020年）精神")
