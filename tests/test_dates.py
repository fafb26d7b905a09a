"""Dates that cannot be right (issue 19, part 3): weekday, impossible date, signing date
before what the text reports as done, 文号 brackets."""
from __future__ import annotations

import datetime
import shutil

import pytest

from lint_reports.config.settings import Config
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter

from conftest import CORPUS, SEEDS, run_cli

CORPUS_WEB = CORPUS.parent / "corpus-web"
_BASE = Linter(Config())
_LINTERS: dict = {}


def lint(text, rule="date", *, year=None, path="notice.txt"):
    key = (rule, year)
    if key not in _LINTERS:  # the packs prepared once: a few seconds each time otherwise
        _LINTERS[key] = Linter(Config(), select=[rule], year=year, prepared=(_BASE.packs, _BASE.rules))
    linter = _LINTERS[key]
    doc = Document(path, text)
    if year:
        doc.configured_year, doc.configured_year_reason = year, "--year"
    return [f for f in linter.lint(doc, path) if f.category == "date"]


def rules_of(findings):
    return sorted(f.rule for f in findings)


# ------------------------------------------------------------------ weekday

def test_the_calendar_the_tests_assume():
    # the facts every case below rests on, from the standard library itself
    assert datetime.date(2024, 3, 5).weekday() == 1  # a Tuesday
    assert datetime.date(2023, 3, 5).weekday() == 6  # a Sunday
    assert datetime.date(2024, 1, 1).weekday() == 0  # a Monday


@pytest.mark.parametrize("written", [
    "2024年3月5日（星期三）", "2024年3月5日(星期三)", "2024年3月5日 星期三", "2024年3月5日星期三",
    "2024年3月5日（周三）", "2024年3月5日周三", "2024年3月5日（礼拜三）", "2024年3月5号（周三）",
    "二〇二四年三月五日（星期三）", "二零二四年三月五日（星期三）", "２０２４年３月５日（星期三）",
    "2024 年 3 月 5 日（星期三）", "2024年03月05日（星期三）", "2024-03-05 星期三", "2024/3/5（周三）",
    "2024年3月10日（星期六）",
])
def test_a_weekday_that_is_not_its_dates_is_flagged_in_every_form(written):
    findings = lint(f"定于{written}上午9时在县政府三楼会议室召开全县安全生产工作会议。")
    assert rules_of(findings) == ["date-weekday"], written
    assert "2024年3月" in findings[0].message
    assert ("星期" in findings[0].message or "周" in findings[0].message or "礼拜" in findings[0].message)


@pytest.mark.parametrize("written", [
    "2024年3月5日（星期二）", "2024年3月5日(周二)", "2024年3月5日 礼拜二", "二〇二四年三月五日（星期二）",
    "２０２４年３月５日（星期二）", "2024-03-05 星期二", "2024年3月10日（星期日）", "2024年3月10日（星期天）",
    "2024年3月10日（周日）", "2024年3月10日礼拜天",
])
def test_a_weekday_that_is_its_dates_is_left_alone(written):
    assert not lint(f"定于{written}上午9时在县政府三楼会议室召开全县安全生产工作会议。"), written


def test_the_message_names_the_right_weekday_in_the_texts_own_word():
    [finding] = lint("请各单位于2023年12月29日(周四)前将材料报送至县委办公室。")
    assert "2023年12月29日是周五" in finding.message and "“周四”" in finding.message
    assert finding.line == 1 and finding.column == 1 + len("请各单位于2023年12月29日(")


def test_a_wrong_weekday_and_a_signing_date_before_it_are_two_findings():
    text = SIGNED.format(sentence="我局于2023年7月20日（星期五）召开了全系统安全生产工作会议。")
    assert rules_of(lint(text)) == ["date-signed-before-done", "date-weekday"]  # 2023-07-20 was a Thursday


def test_a_date_without_its_year_takes_the_documents_year():
    text = ("2024年全县春季植树造林工作安排\n"
            "经研究，定于3月12日（星期五）组织机关干部开展义务植树活动，请各单位做好准备。\n")
    [finding] = lint(text)
    assert "2024年3月12日是星期二" in finding.message and "文档年份 2024" in finding.message


def test_the_year_given_from_outside_decides_a_date_without_its_year():
    text = "定于3月5日（星期日）召开全体党员大会，请全体党员准时参加。\n"
    assert not lint(text, year=2023)  # 2023-03-05 was a Sunday
    assert rules_of(lint(text, year=2024)) == ["date-weekday"]


def test_no_year_written_and_none_known_is_not_guessed():
    assert not lint("定于3月5日（星期三）召开全体党员大会，请全体党员准时参加。\n")


def test_a_year_only_from_the_events_the_text_cites_is_not_guessed_from():
    # 二十大 says 2022 or later, not which year: a lower bound is no date to judge by
    text = "深入学习贯彻党的二十大精神。定于3月5日（星期三）召开全体党员大会。\n"
    assert not lint(text)


def test_a_date_takes_the_year_of_a_full_date_before_it_on_its_line():
    text = "报名时间为2024年1月8日星期一至1月12日星期四，逾期不再受理。"
    [finding] = lint(text)
    assert "2024年1月12日是星期五" in finding.message and "本行" in finding.message
    assert not lint(text.replace("星期四", "星期五"))


def test_a_range_may_cross_new_year():
    assert not lint("元旦假期为2023年12月30日至1月1日（星期一），共3天。")


def test_a_lunar_date_is_not_judged():
    assert not lint("2024年农历三月三日（星期二）举办传统歌会，欢迎群众参加。")


def test_a_range_of_weekdays_after_a_date_is_not_its_weekday():
    assert not lint("2024年3月5日周一至周五每天开放，周六、周日闭馆。")


def test_a_weekday_not_next_to_its_date_is_not_read_as_its_weekday():
    assert not lint("2024年3月5日，全县召开会议。星期三下午开展集中学习。")
    assert not lint("2024年3月5日下午，坚持每周三集中学习。")


# ------------------------------------------------------------------ impossible

@pytest.mark.parametrize("text, problem", [
    ("全县秋粮收购工作于2023年9月31日全面结束，共收购粮食12.6万吨。", "9月没有31日"),
    ("截至2024年2月30日，全镇已完成新型农村合作医疗参保缴费工作。", "2月没有30日"),
    ("项目计划于6月31日前完成主体工程建设。", "6月没有31日"),
    ("本次督查时间为3月32日至4月5日。", "3月没有32日"),
    ("二〇二三年十三月五日，区委召开专题会议研究部署相关工作。", "没有13月"),
    ("2023年13月，区委召开专题会议研究部署相关工作。", "没有13月"),
    ("2023年二月三十日，区委召开专题会议。", "2月没有30日"),
    ("十一月三十一日，区委召开专题会议。", "11月没有31日"),
    ("４月３１日，区委召开专题会议。", "4月没有31日"),
    ("2023年2月29日，市政府召开全市安全生产电视电话会议。", "2023年不是闰年"),
    ("3月0日至3月5日开展自查。", "没有0日"),
])
def test_a_date_that_does_not_exist_is_flagged(text, problem):
    findings = lint(text)
    assert rules_of(findings) == ["date-impossible"], text
    assert problem in findings[0].message


@pytest.mark.parametrize("text", [
    "活动时间为2024年3月1日至4月30日，为期两个月。",
    "2024年2月29日，市政府召开全市安全生产电视电话会议。",
    "2000年2月29日，市政府召开会议。",  # a leap year although divisible by 100
    "1-13月累计完成固定资产投资5.6亿元，1—13月同比增长8%。",
    "已连续13月保持安全生产零事故，历时32日完成清查，年终发放13月薪。",
    "12月份完成全年目标任务，第13月的奖励工资按规定发放。",
    "农历二月三十日举办传统庙会。",
    "阴历二月三十，村里举办庙会。",
    "二〇二三年十二月三十一日，区委召开专题会议研究部署相关工作。",
    "5月1-31日开展安全生产月活动，4月1—30日开展自查。",
    "小区3月35号楼已完成改造。",
    "2月29日，支部召开组织生活会。",  # no year known: could be a leap year
    "第1.5月为过渡期，2.31万元已拨付。",
])
def test_real_dates_and_counts_are_left_alone(text):
    assert not lint(text, "date-impossible"), text


def test_february_29_in_the_documents_year():
    text = "2023年党建工作要点\n2月29日，支部召开组织生活会，查摆问题12条。\n"
    [finding] = lint(text)
    assert finding.rule == "date-impossible" and "按文档年份 2023" in finding.message
    assert not lint(text.replace("2023年", "2024年"))
    # a summary of 2023 may be written in 2024 (year.YearDecision.also), a leap year
    assert not lint(text.replace("党建工作要点", "工作总结"))


# ------------------------------------------------------------------ signed before done

SIGNED = """2023年上半年工作总结
今年以来，我局在县委、县政府的正确领导下，扎实推进各项工作。{sentence}
下半年，我们将继续努力，确保完成全年目标任务。
县交通运输局
2023年7月5日
"""


@pytest.mark.parametrize("sentence", [
    "全县农村公路提升改造工程已于2023年8月完成验收。",
    "全县农村公路提升改造工程已经于2023年8月20日顺利完成验收。",
    "我局于2023年7月20日召开了全系统安全生产工作会议。",
    "2023年9月，局党组召开了专题民主生活会。",
    "二〇二三年八月，县城污水处理厂已于二〇二三年八月建成投产。",
])
def test_a_signing_date_before_what_the_text_reports_as_done(sentence):
    findings = lint(SIGNED.format(sentence=sentence))
    assert rules_of(findings) == ["date-signed-before-done"], sentence
    assert "落款日期是2023年7月5日（第5行）" in findings[0].message


@pytest.mark.parametrize("sentence", [
    "全县农村公路提升改造工程计划于2023年8月完成验收。",
    "县城污水处理厂将于2023年10月建成投产。",
    "县城污水处理厂预计于2023年10月建成投产。",
    "县城污水处理厂拟于2023年10月完成验收。",
    "县城污水处理厂力争2023年10月建成投产。",
    "确保2023年10月底前完成验收。",
    "截至2023年8月，已完成投资1.2亿元。",  # 截至 a later date: a forecast in a half-year report
    "全县农村公路提升改造工程已于2023年6月完成验收。",
    "全县农村公路提升改造工程已于2023年7月完成验收。",  # the same month: no day to compare
    "2023年8月召开全系统安全生产工作会议。",  # no 已, no 了: may be a plan
    "定于2023年8月召开全系统安全生产工作会议。",
    "8月20日召开了全系统安全生产工作会议。",  # no year written
])
def test_plans_earlier_dates_and_unclear_tense_are_left_alone(sentence):
    assert not lint(SIGNED.format(sentence=sentence), "date-signed-before-done"), sentence


def test_without_a_signing_date_nothing_is_compared():
    text = SIGNED.format(sentence="工程已于2023年8月完成验收。").replace("2023年7月5日\n", "")
    assert not lint(text)


def test_a_pages_stamp_is_no_signing_date():
    text = SIGNED.format(sentence="工程已于2023年8月完成验收。").replace(
        "2023年7月5日", "发布时间：2023年7月5日")
    assert not lint(text)


def test_the_signing_date_in_chinese_numerals():
    text = "党支部工作总结\n2024年3月，支部召开了专题组织生活会，查摆问题12条。\n党支部\n二〇二四年一月十五日\n"
    [finding] = lint(text)
    assert "2024年1月15日" in finding.message


def test_what_follows_the_signature_is_not_compared():
    text = SIGNED.format(sentence="各项工作有序推进。") + "附件：\n2023年9月，局党组召开了专题民主生活会。\n"
    assert not lint(text)


# ------------------------------------------------------------------ 文号

@pytest.mark.parametrize("number, fixed_number", [
    ("国办发[2024]3号", "国办发〔2024〕3号"),
    ("京政发（2024）3号", "京政发〔2024〕3号"),
    ("苏教基【2023】5号", "苏教基〔2023〕5号"),
    ("财预［2024］21号", "财预〔2024〕21号"),
    ("县委办字(2022)第8号", "县委办字〔2022〕第8号"),
    ("国办发 [2024] 3号", "国办发 〔2024〕 3号"),  # only the brackets change, spaces stay
    ("国办发〔2024]3号", "国办发〔2024〕3号"),
    ("市政发(２０２４)１２号", "市政发〔２０２４〕１２号"),  # the text's own digits stay
])
def test_a_doc_number_in_the_wrong_brackets_is_flagged_with_the_fix(number, fixed_number):
    text = f"根据《关于进一步优化营商环境的意见》（{number}）要求，结合我县实际，制定本方案。"
    [finding] = lint(text)
    assert finding.rule == "date-doc-number-brackets"
    fixed = text[:finding.fix.start] + finding.fix.replacement + text[finding.fix.end:]
    assert fixed == text.replace(number, fixed_number)
    assert not lint(fixed), fixed


@pytest.mark.parametrize("text", [
    "根据《关于进一步优化营商环境的意见》（国办发〔2024〕3号）要求，",
    "二、2024年工作打算（2024年）",
    "【2024】\n一、主要工作完成情况",
    "本院依法审理的（2024）京0105民初3号案件已审结。",
    "该小区（2023）3号楼已完成加固改造。",
    "会议于（2024）3号召开。",
])
def test_brackets_that_are_no_doc_number_are_left_alone(text):
    assert not lint(text, "date-doc-number-brackets"), text


def test_fix_writes_the_hexagonal_brackets_even_after_the_punctuation_fix(tmp_path):
    # a full-width text: punctuation-halfwidth turns ( into （ first, the next round 〔
    path = tmp_path / "notice.txt"
    path.write_text("关于做好春耕生产工作的通知\n各乡镇：\n按照市政府《关于做好春耕生产工作的通知》（市政发(2024)12号）精神，"
                    "结合我县实际，现将有关事项通知如下。\n", encoding="utf-8")
    result = run_cli("--fix", "--no-cache", str(path))
    assert result.returncode in (0, 1), result.stderr
    assert "（市政发〔2024〕12号）" in path.read_text(encoding="utf-8")


# ------------------------------------------------------------------ real text

def _files(*folders):
    return [p for folder in folders for p in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md"))]


@pytest.mark.parametrize("path", _files(CORPUS, CORPUS_WEB, CORPUS.parent.parent / "clean"),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_published_reports_and_clean_texts_have_no_date_findings(path):
    assert not lint(Document.from_bytes(path.name, path.read_bytes()).text, path=path.name)


def test_the_seeds_have_one_date_finding_a_real_doc_number(tmp_path):
    findings = [f for path in sorted(SEEDS.iterdir())
                for f in lint(Document.from_bytes(path.name, path.read_bytes()).text, path=path.name)]
    assert [(f.path, f.rule) for f in findings] == [("003_f7c51d839383bd6b.txt", "date-doc-number-brackets")]
    copy = tmp_path / "003.txt"
    shutil.copy(SEEDS / "003_f7c51d839383bd6b.txt", copy)
    result = run_cli("--fix", "--no-cache", "--select", "date", str(copy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "麟宣发〔2022〕02号文件" in copy.read_text(encoding="utf-8")


def test_a_chronology_has_no_signing_date():
    # newest first: the last line that is only a date is the oldest entry, not a 落款
    text = ("县交通运输局大事记\n2023年12月\n县城至高铁站快速通道已于2023年12月建成通车。\n"
            "2023年11月\n召开了全系统安全生产工作会议。\n2023年10月\n")
    assert not lint(text, "date-signed-before-done")


def test_a_date_does_not_run_on_into_the_next_line():
    # a line break is no space: 3月5日 ending a line and 星期三 opening the next are two things
    assert not lint("2024年3月5日\n星期三下午开展集中学习。", "date-weekday")
    assert not lint("2023年9月\n31日前完成全部任务。", "date-impossible")
