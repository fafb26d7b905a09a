"""What must stay quiet (issue 16): outdated references in published reports of their own year.

Every case is a real excerpt (source named): pages scraped with their furniture (a stamp from
the year the page was put online), retired words used today for something else (零就业家庭
动态清零), campaigns listed in a five-year review, anniversaries told as events of the
reviewed period, a report delivered early in a year about the one before. None may give an
outdated finding, with the year given (--year) or inferred; the true findings stay.
"""
from __future__ import annotations

import pytest

from conftest import lint_text
from lint_reports.config.settings import Config
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter
from lint_reports.kinds.era.knowledge import knowledge_from_data, scan_document

_LINTER = Linter(Config())
KNOWLEDGE = knowledge_from_data(_LINTER.data)


def outdated(text, year=None, path="report.txt"):
    return [(f.line, f.rule, f.message) for f in lint_text(text, path=path, select=["outdated"], year=year)]


def decision(text, path="report.txt"):
    [(_, found)] = scan_document(Document(path, text), KNOWLEDGE).decisions
    return found


# The head of ljt_gov_1999.txt (shared/corpus-web; gov.cn page as an R scraper saved it):
# comments, a breadcrumb, the page's own stamp of 2006 and a font widget above the title.
GOV_CN_1999 = """\

<!--

-->

<U+00A0>
当前位置： 首页>> 中国概况

<U+00A0>

1999年国务院政府工作报告


中央政府门户网站　www.gov.cn　　 2006年02月16日　　 来源：新华社

【字体：大 中 小】



1999年政府工作报告

——1999年3月5日在第九届全国人民代表大会第二次会议上

<U+00A0><U+00A0><U+00A0> 各位代表：

　　一、1998年工作回顾和1999年工作的总体要求

　　各位代表！1999年，我们将庆祝新中国成立五十周年，迎接澳门回归祖国，做好各项工作的意义十分重大。今年政府工作总的要求是：高举邓小平理论伟大旗帜，深入贯彻落实党的十五大和十五届三中全会精神。

　　认真开展讲学习、讲政治、讲正气的“三讲”教育。

　　综观世纪之交的形势，我们面临着历史机遇和新的挑战。让我们高举邓小平理论伟大旗帜，在以江泽民同志为核心的党中央领导下，坚持党的基本路线，把建设有中国特色社会主义事业全面推向二十一世纪。
"""


def test_a_page_stamp_does_not_date_the_report_its_dateline_does():
    found = decision(GOV_CN_1999)
    assert (found.year, found.source) == (1999, "date-line"), found
    assert outdated(GOV_CN_1999) == []
    assert outdated(GOV_CN_1999, year=1999) == []
    # the page repeats its body (nested tables): still the dateline under the title
    assert decision(GOV_CN_1999 * 3).year == 1999


def test_the_stamp_alone_is_not_a_date_of_the_body():
    # without the dateline, the body's own 1999 is the year, not the stamp's 2006
    text = GOV_CN_1999.replace("——1999年3月5日在第九届全国人民代表大会第二次会议上", "")
    found = decision(text)
    assert (found.year, found.source) == (1999, "body"), found


@pytest.mark.parametrize("text,year", [
    # ljt_gov_2009.txt: full-width digits, the dateline after the title on one line
    ("【字体：大 中 小】\n<U+00A0>新华社北京２００９年３月１４日电\n\n政府工作报告——２００９年３月５日在第十一届全国人民代表大会第二次会议上\n"
     " 国务院总理 温家宝\n\n各位代表：", 2009),
    # prov2026_guangdong.txt: the dateline broken in two by the page
    ("政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利\n各位代表：", 2026),
    # 沙沟镇2021年政府工作报告 (yishui.gov.cn/info/37828/275387.htm): the page's 发布日期 table first
    ("文 号: | 发布机构: | 沂水县沙沟镇 | 发布日期: | 2021-02-27 | |\n政 府 工 作 报 告\n"
     "——2021年2月27日在沙沟镇第十六届人民代表大会\n第六次会议上\n沙沟镇镇长 刘彦成\n各位代表:", 2021),
    # 魏庄镇 (ahhy.gov.cn/zfxxgk/public/25011/51281164.html): no 上 after 会议
    ("政 府 工 作 报 告\n2019年2月26日在镇第十四届人民代表大会第三次会议\n魏庄镇人民政府镇长 杨杰\n各位代表:", 2019),
    # prov2026_heilongjiang.txt: without the dash, under the widgets of the page
    ("下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年黑龙江省政府工作报告\n"
     "2026年1月31日在黑龙江省第十四届人民代表大会第四次会议上\n来源：黑龙江日报\n时间：2026-02-26", 2026),
])
def test_dateline_forms(text, year):
    found = decision(text)
    assert (found.year, found.source) == (year, "date-line"), found


def test_dateline_is_read_only_under_the_title():
    # a speech's dateline quoted deep in a long text is not this text's
    body = "\n".join(f"第{i}项工作：按计划推进。" for i in range(1, 200))
    found = decision(f"工作总结\n2019年3月，县委召开会议。\n{body}\n——2008年3月5日在第十一届全国人民代表大会第一次会议上\n"
                     f"{body}\n县住建局")
    assert (found.year, found.source) == (2019, "body"), found


@pytest.mark.parametrize("tail", [
    "来源：安徽日报\n时间：\n2026-03-02",  # a label with its value on the next line
    "发布时间 2026-03-02",  # a label on the date's own line
    "中央政府门户网站　www.gov.cn　　 2026年03月02日　　 来源：新华社",
])
def test_page_stamps_are_not_the_signing_date(tail):
    text = f"工作总结\n2024年3月，县委召开会议。\n县住建局\n{tail}\n"
    found = decision(text)
    assert (found.year, found.source) == (2024, "body"), found


def test_a_stamp_line_is_not_a_title():
    found = decision("发布时间：2019-05-06\n工作总结\n2018年3月，县委召开会议。")
    assert found.year == 2018, found
    # eweihai.gov.cn (2026-01-14): the page's clock, years off, heads the text
    found = decision("2023-11-05 11:00:00 星期日\n关怀版\n当前位置: 首页\n\n经开区召开2025年工作总结汇报会\n"
                     "要扎扎实实研究好“十五五”时期和2026年工作,研究制定具体的2026年工作举措。")
    assert (found.year, found.source) == (2026, "body"), found


def test_the_readers_clock_on_a_page_is_no_date_of_the_report():
    # dhdj.gov.cn (2012-09-29) shows the reader's day above the article; haowendang.cn (2011)
    clock = "今天是 2025年 05月 22日 星期四\n加入收藏  |  设为首页\n"
    text = (clock + "谯城区2011年深入开展创先争优活动工作总结及\n\n2012年工作计划\n\n中共谯城区委创先争优活动领导小组办公室\n\n"
            "(2011年12月26日)\n\n今年来,按照中央和省、市委的统一部署和安排,我区精心组织,完善机制,创新载体,抓住重点,"
            "稳步推进,深入开展创先争优活动,取得了明显成效。")
    found = decision(text)
    assert found.year == 2011, found
    assert outdated(text) == []
    # read as 2025, as the clock would have it, the campaign is stale
    assert [r for _, r, _ in outdated(text, year=2025)] == ["outdated-campaign"]


# ───────────── a report delivered early in a year about the one before ─────────────

def test_summary_signed_the_next_year_may_speak_of_that_year():
    text = "2023年工作总结\n今年是新中国成立75周年，我们将以优异成绩迎接国庆。\n县民政局\n2024年1月8日"
    found = decision(text)
    assert (found.year, found.also) == (2023, (2024,)), found
    assert outdated(text) == []
    # but an anniversary of neither year is still reported
    assert [r for _, r, _ in outdated(text.replace("75周年", "80周年"))] == ["outdated-anniversary"]


def test_review_heading_year_may_be_the_year_before_the_delivery():
    # 2016年政府工作报告 (cnganbu.cn/show/view?id=3846): only the reviewed year is written
    text = "李克强:各位代表:现在,我代表国务院,向大会报告政府工作。\n一、2015年工作回顾\n过去一年,我国发展面临多重困难和严峻挑战。"
    found = decision(text)
    assert (found.year, found.also) == (2015, (2016,)), found


def test_next_years_plan_in_a_summary_is_not_its_year():
    # 镇政府2020年工作总结暨2021年工作计划 (56brand.top/117991.html), title and body on one line
    text = ("镇政府2020年工作总结暨2021年工作计划 2020年是全面建成小康社会和“十三五”规划的收官之年。今年以来,"
            "全镇上下全面贯彻党的十九大和十九届四中、五中全会精神。")
    assert decision(text).year == 2020
    # …but a report's own year stated only as 2012年工作安排 still counts (m.yybnet.net, 五莲县 2012)
    text = "《政府工作报告》共分三个部分:一、过去四年政府工作回顾;二、新一届政府的任务目标和2012年工作安排。全县生产总值由2007年的90.3亿元跃升到145.1亿元。"
    assert decision(text).year == 2012


# ───────────── senses, look-backs and lists (rules/era.yaml data) ─────────────

SENSES = _LINTER.data["era_senses"]
LOOK_BACK = _LINTER.data["era_look_back"]
SERIES = _LINTER.data["era_series"]


def _mentions(text):
    return scan_document(Document("example.txt", text), KNOWLEDGE).mentions


def _dated(mention) -> bool:
    """A mention that can be out of date: a retired item, or an anniversary."""
    return bool(mention.fact.end) or mention.fact.kind == "anniversary_base"


@pytest.mark.parametrize("sense", SENSES, ids=[s["id"] for s in SENSES])
def test_sense_examples(sense):
    assert sense["examples"]["fact"] and sense["examples"]["other"]
    for text in sense["examples"]["fact"]:
        assert any(m.fact.id == sense["fact"] for m in _mentions(text)), text
    for text in sense["examples"]["other"]:
        assert not any(m.fact.id == sense["fact"] for m in _mentions(text)), text
        assert outdated(text, year=2030) == [], text


@pytest.mark.parametrize("cue", LOOK_BACK, ids=[c["id"] for c in LOOK_BACK])
def test_look_back_examples(cue):
    kinds = set(cue["kinds"])
    assert cue["examples"]["history"] and cue["examples"]["current"]
    for text in cue["examples"]["history"]:
        found = [m for m in _mentions(text) if m.fact.kind in kinds and _dated(m)]
        assert found and all(m.use == "history" for m in found), (text, [(m.text, m.use) for m in found])
        assert outdated(text, year=2030) == [], text
    for text in cue["examples"]["current"]:
        found = [m for m in _mentions(text) if m.fact.kind in kinds and _dated(m)]
        assert found and any(m.use in ("current", "ahead") for m in found), (text, [(m.text, m.use) for m in found])


def test_series_examples():
    assert SERIES["examples"]["history"] and SERIES["examples"]["current"]
    for text in SERIES["examples"]["history"]:
        found = [m for m in _mentions(text) if m.fact.kind in SERIES["kinds"]]
        assert len(found) > 1 and all(m.use == "history" for m in found), (text, [(m.text, m.use) for m in found])
        assert outdated(text, year=2030) == [], text
    for text in SERIES["examples"]["current"]:
        assert [r for _, r, _ in outdated(text, year=2030)] == ["outdated-campaign"], text


# bx2200.com/baogao/xn/3647_2.html: one paragraph of a five-year review, several sentences
REVIEW_PARAGRAPH = ("五年来,我们创先争优转作风、提效能,政府建设全面加强。政治建设走深走实。"
                    "深入开展“两学一做”学习教育,扎实开展党史学习教育,切实增强“四个意识”。")


def test_a_paragraph_that_opens_by_looking_back_is_history_throughout():
    assert outdated(REVIEW_PARAGRAPH, year=2024) == []
    # …until it turns to the present
    turned = REVIEW_PARAGRAPH + "今年,我们要扎实开展党史学习教育,推动全面从严治党。"
    assert [r for _, r, _ in outdated(turned, year=2024)] == ["outdated-campaign"]
    # a paragraph of its own is not under the other's opener
    assert [r for _, r, _ in outdated("五年来,成绩显著。\n扎实开展党史学习教育。", year=2024)] == ["outdated-campaign"]


def test_a_list_needs_items_of_different_years():
    # one campaign named twice is not a look back over several
    text = "深入开展党的群众路线教育实践活动、群众路线教育实践活动回头看。"
    assert {r for _, r, _ in outdated(text, year=2020)} == {"outdated-campaign"}


@pytest.mark.parametrize("text", [
    "坚持“外防输入、内防反弹”总策略和“动态清零”总方针不动摇，慎终如始抓好疫情防控。",
    "严格落实社会面动态清零要求，加快核酸检测。",
])
def test_the_epidemic_sense_is_still_reported(text):
    assert "outdated-slogan" in [r for _, r, _ in outdated(text, year=2024)]


# ───────────── real excerpts that must stay quiet, with and without their year ─────────────

QUIET = [
    # corpus-web: 2026 provincial reports (johncodes404/china-provincial-gov-reports-2026)
    ("prov2026_beijing.txt:89", 2026, "2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n"
     "促进高质量充分就业。实施稳岗扩容提质行动，城镇新增就业不少于28万人。稳定高校毕业生等重点群体就业，"
     "提供不少于10万个高校毕业生就业岗位，保持零就业家庭动态清零。"),
    ("prov2026_jilin.txt:53", 2026, "2026年吉林省政府工作报告\n着力稳就业促增收。做好就业困难人员兜底帮扶，保持零就业家庭动态清零，"
     "推动灵活就业、新就业形态健康发展。"),
    ("prov2026_xizang.txt:54", 2026, "2026年西藏自治区政府工作报告\n进一步加大欠薪治理。实施金融风险化解动态清零行动，推进全域隐性债务清零，"
     "有效化解地方政府融资平台经营性债务风险。"),
    ("prov2026_zhejiang.txt:93", 2026, "2026年浙江省政府工作报告\n加强民生建设。做好重点群体就业工作，加强困难群体就业帮扶，"
     "确保城镇新增就业100万人以上，零就业家庭动态清零。"),
    ("prov2026_gansu.txt:18-33", 2026, "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n"
     "“十四五”时期工作回顾\n“十四五”时期是甘肃发展极不寻常、极不平凡的五年。\n五年来主要做了以下工作。\n"
     "我们坚持忠诚履职尽责，不断加强政府自身建设。严格落实全面从严治党主体责任，扎实开展党史学习教育、"
     "学习贯彻习近平新时代中国特色社会主义思想主题教育、党纪学习教育、深入贯彻中央八项规定精神学习教育。\n"
     "“十五五”时期的主要目标任务\n“十五五”时期，要努力实现以下目标任务。"),
    ("prov2026_jiangsu.txt:29", 2026, "2026年江苏省政府工作报告\n一、“十四五”时期和2025年工作回顾\n"
     "过去五年，我们迎来一系列具有里程碑意义的大事盛事，满怀豪情庆祝党的百年华诞和新中国成立75周年，"
     "隆重纪念中国人民抗日战争暨世界反法西斯战争胜利80周年。"),
    ("prov2026_hunan.txt:31", 2026, "2026年湖南省政府工作报告\n三、关于2026年工作\n扛牢精准扶贫首倡地政治责任，实施脱贫人口持续增收行动。"),
    # bx2200.com/baogao/xn/3647_2.html: a district report's five-year review (2022)
    ("bx2200.com 区政府工作报告", 2022, "五年来,我们创先争优转作风、提效能,政府建设全面加强。政治建设走深走实。"
     "深入开展“两学一做”学习教育、“不忘初心、牢记使命”主题教育,扎实开展党史学习教育,切实增强“四个意识”。"),
    # m.shenghuoriji.com/fanwen/87/86608.htm (2009); 360wenmi.com/f/filee6reclvi.html (2006, a 文库 page)
    ("小雄镇政府2009年工作总结", 2009, "小雄镇政府2009年工作总结\n2009年是小雄镇社会主义新农村建设深入实施的关键一年。"),
    ("镇党委、政府2006年工作总结", 2006, "镇党委、政府2006年工作总结\n\n2024-08-10\n\n即将过去的一年,××镇党委、政府"
     "认真贯彻党的十六届五中、六中全会精神,全面推进社会主义新农村建设。可以说二oo六年是不平凡的一年。"),
    # www.wuhua.gov.cn 棉洋镇2020年新春贺词 (page stamp 时间:2020-01-23)
    ("棉洋镇2020年新春贺词", 2020, "——棉洋镇2020年新春贺词\n时间:2020-01-23 来源:本网 浏览次数:-\n"
     "2020年是决战脱贫攻坚、全面建成小康社会和“十三五”规划的收官之年。新的一年,棉洋镇将深入贯彻落实党的十九大和"
     "十九届二中、三中、四中全会精神。"),
    # nbxinxi.com 盖北镇 2017 实施方案 (signed 2017年5月22日)
    ("盖镇委〔2017〕48号", 2017, "盖北镇关于推进“两学一做”学习教育常态化制度化的实施方案\n为全面贯彻党的十八届六中全会精神,"
     "深入贯彻习近平总书记系列重要讲话精神和治国理政新理念新思想新战略,推进“两学一做”学习教育常态化制度化。\n"
     "中共绍兴市上虞区盖北镇委员会\n2017年5月22日"),
    # mrdx.cn 新华每日电讯 2023-03-15: 从…到…
    ("新华每日电讯 2023-03-15", 2023, "( 2023-03-15 ) 稿件来源:新华每日电讯 要 闻\n"
     "从决战决胜脱贫攻坚到取得疫情防控重大决定性胜利,从实现全面小康到迈向共同富裕。"),
    # zenlandtea.com/bdb/2735.html 东安区 2022
    ("东安区政府工作报告 2022", 2022, "政府工作报告\n——2022年1月20日在东安区第十六届人民代表大会第二次会议上\n"
     "一、过去五年和2021年工作回顾\n五年来,我们始终坚持稳中求进。持续做好“六稳”“六保”工作,全面建成小康社会,"
     "“十三五”规划胜利收官,“十四五”规划顺利开局。"),
    # 1975: the fourth five-year plan in a speech of its own year (ljt_gov_1975.txt)
    ("ljt_gov_1975.txt", 1975, "1975年国务院政府工作报告\n——1975年1月13日在第四届全国人民代表大会第一次会议上\n"
     "我们超额完成了第三个五年计划，第四个五年计划一九七五年也将胜利完成。"),
]


@pytest.mark.parametrize("source,year,text", QUIET, ids=[case[0] for case in QUIET])
@pytest.mark.parametrize("given", [False, True], ids=["inferred-year", "with-year"])
def test_published_reports_stay_quiet(source, year, text, given):
    assert outdated(text, year=year if given else None) == [], source


@pytest.mark.parametrize("source,year,text", QUIET, ids=[case[0] for case in QUIET])
def test_inferred_year_is_the_reports_own(source, year, text):
    found = decision(text)
    assert not found.dated or year in found.years, (source, found)


# ───────────── the true findings stay ─────────────

@pytest.mark.parametrize("text,year,rule", [
    ("学习型党组织建设工作安排意见\n现就2022年全县工作提出安排意见：为了深入贯彻落实党的十七届五中全会精神。", None,
     "outdated-plenum"),
    ("2022年工作总结\n今年是中国共产党建党90周年，各级党组织都要组织党员干部学习党的历史知识。", None, "outdated-anniversary"),
    ("2026年工作要点\n扎实开展党纪学习教育，推动全面从严治党。", None, "outdated-campaign"),
    ("2024年工作计划\n继续做好新冠肺炎疫情防控工作，坚持动态清零。", None, "outdated-slogan"),
    # a page's stamp of a later year does not hide a template's old date line
    ("政府工作报告\n——2012年3月5日在县第十五届人民代表大会第五次会议上\n确保“十一五”目标全面完成。\n"
     "时间：2024-05-02", None, "outdated-plan"),
])
def test_true_findings_stay(text, year, rule):
    assert rule in [r for _, r, _ in outdated(text, year=year)]


@pytest.mark.parametrize("entry,needle", [
    ('  era_senses:\n    - id: s1\n      names: ["动态清零"]\n      fact: no_such_fact\n      only_with: [疫情]\n',
     "era sense 's1': fact 'no_such_fact'"),
    ('  era_senses:\n    - id: s2\n      names: ["动态清零"]\n', "era sense 's2': 'only_with'"),
    ("  era_look_back:\n    - id: c1\n      kinds: [campaign]\n", "era look-back cue 'c1': needs"),
    ("  era_look_back:\n    - id: c2\n      kinds: [campain]\n      before: [巩固]\n", "era look-back cue 'c2': 'kinds'"),
    ('  era_series:\n    joiners: "、"\n', "era_series: 'joiners'"),  # a mapping: merged with the built-in one
])
def test_bad_reading_data_is_a_one_line_error(tmp_path, entry, needle):
    from conftest import run_cli

    (tmp_path / "mine.yaml").write_text("pack: mine\ndata:\n" + entry, encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text("packs: [mine.yaml]\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("2024年工作总结\n", encoding="utf-8")
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 2 and needle in result.stderr, result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
