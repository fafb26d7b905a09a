"""Damage of whole pages and lines broken by the page (issue 16, items 4 and 5).

Every excerpt is real text, its source named beside it: 范文/文库 pages found with the search
tool (416w.cn, huangminedu.com.cn, lalalvj.com, hafencaoymj.com, jiamaocode.com, itqalam.com
with its simplified original on news.hebei.com.cn, zixin.com.cn, wyytt.com, taosugar.com,
miaokee.com, cnblogs.com), the gov.cn pages of corpus-web (tests/data/corpus-web: ljt_gov_*, prov2026_*)
and the seeds. Where a page break is the damage (a footer, a title box) the text is real and
the break is made the way the page makes it; that is said where it is done.
"""
from __future__ import annotations

import re

import pytest

from lint_reports.io.load import load_document
from lint_reports.config.settings import Config
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter
from lint_reports.core.fix import fix_document

from conftest import ROOT, SEEDS

_PACKS = Linter(Config()).packs


def lint(text, select=None, path="page.txt"):
    return Linter(Config(), select=select, packs=_PACKS).lint(Document(path, text), path)


def fixed(text, select=None, path="page.txt"):
    """The text after `--fix` (with `select`), and the findings left."""
    data = text.encode("utf-8")
    linter = Linter(Config(), select=select, packs=_PACKS)
    result = fix_document(linter, load_document(path, data), path, data)
    return result.fixed.decode("utf-8"), result.findings


def rules(findings):
    return [f.rule for f in findings]


# --- a page converted to traditional ---------------------------------------------------------

# news.hebei.com.cn 2013-08-21 (simplified) and itqalam.com, the same article converted to
# traditional by the site (规范 stays 規范: a character-by-character converter).
HEBEI = """中国政府网公布的《通用规范汉字表》说明中称,《通用规范汉字表》由教育部、国家语言文字工作委员会组织制定,该表公布后,社会一般应用领域的汉字使用应以本表为准,原有相关字表停止使用。
《通用规范汉字表》共收入8105个汉字,分为三级。一级字表为常用字,收字3500个,主要满足基础教育和文化普及的基本用字需要。二级字表收字3000个,使用度仅次于一级字。一、二级字表主要满足出版印刷、辞书编纂和信息处理等方面的一般用字需要。
此外,考虑到汉字的书写特点,以及考虑到广大使用者的习惯及信息化等问题,《通用规范汉字表》对简繁字做了规范,并单独列出2000多个字的简繁字对照表,以及收录了在社会生活中广泛使用的“闫”等226个简化字。
"""
ITQALAM = """中國政府網公布的《通用規范漢字表》說明中稱,《通用規范漢字表》由教育部、國家語言文字工作委員會組織制定,該表公布后,社會一般應用領域的漢字使用應以本表為準,原有相關字表停止使用。
《通用規范漢字表》共收入8105個漢字,分為三級。一級字表為常用字,收字3500個,主要滿足基礎教育和文化普及的基本用字需要。二級字表收字3000個,使用度僅次于一級字。一、二級字表主要滿足出版印刷、辭書編纂和信息處理等方面的一般用字需要。
此外,考慮到漢字的書寫特點,以及考慮到廣大使用者的習慣及信息化等問題,《通用規范漢字表》對簡繁字做了規范,并單獨列出2000多個字的簡繁字對照表,以及收錄了在社會生活中廣泛使用的“閆”等226個簡化字。
"""
# jiamaocode.com: a 范文 page in traditional
JIAMAOCODE = """前言:想要寫出一篇令人眼前一亮的文章嗎?我們特意為您整理了5篇績效考核實施細則范文,相信會為您的寫作帶來幫助,發現更多的寫作思路和靈感。
為加快教育現代化進程,著力推進教育均衡發展,強化績效考核,增強辦學活力,充分調動廣大教職工的積極性和創造性,確保教師隊伍的生機和活力,根據富陽市人民政府富政函[20__]43號文件精神,以及富陽市教育局、財政局富教[20__]78號文件精神,按照“統一政策、規范發放”的原則,就我校教職工績效考核獎及福利發放工作提出以下實施細則:
一、考核類別及標準
根據學校教育教學工作實際,將市政府統一按月發放的增收節支獎和季度績效獎共1000元/人·月,作為教職工績效考核獎標準。
"""


def test_converted_page_is_one_finding_and_its_fix_is_the_simplified_original():
    found = lint(ITQALAM, select=["charset"])
    assert rules(found) == ["charset-traditional"]
    page, = found
    assert page.whole_document and page.line == 1 and "全文是繁体字" in page.message
    text, left = fixed(ITQALAM, select=["charset"])
    assert text == HEBEI  # character by character, the site's own simplified text
    assert left == []


def test_a_second_converted_page_and_its_rest_per_occurrence():
    page, = lint(JIAMAOCODE, select=["charset-traditional"])
    assert page.whole_document
    text, left = fixed(JIAMAOCODE, select=["charset-traditional"])
    assert "写出一篇令人眼前一亮的文章吗" in text and "绩效考核实施细则范文" in text
    assert "著力推进" in text  # 著 is valid simplified: left for a human (著/着)
    assert left == []


def test_a_few_traditional_characters_stay_per_occurrence():
    # seed 004 line 37 and 150: one traditional character each in a simplified report
    text = "1、學习型党组织建设的引领作用。\n因此学习型党组织的建設必然是一个经常性的工作。\n" * 3
    found = lint(text, select=["charset-traditional"])
    assert len(found) == 6 and not any(f.whole_document for f in found)
    assert {f.fix.replacement for f in found} == {"学", "设"}


def test_quotations_names_and_short_passages_stay_quiet():
    assert lint("引用原文：“學而時習之，不亦說乎？有朋自遠方來，不亦樂乎？”", select=["charset"]) == []
    # prov2026_guangdong: 昇腾 (a brand) and 毕昇: 昇 is a standard name character since 2013
    assert lint("加快建设具身智能训练场、昇腾生态适配中心、开源鸿蒙适配中心。\n毕昇发明了活字印刷术。\n",
                select=["charset"]) == []
    # a simplified report quoting a long traditional passage is not a converted page
    report = HEBEI * 3 + "子曰：學而時習之，不亦說乎？有朋自遠方來，不亦樂乎？人不知而不慍，不亦君子乎？\n"
    assert lint(report, select=["charset-traditional"]) == []


def test_page_only_conversions_and_valid_simplified_characters():
    # 後 / 於 are GB2312 characters: never flagged in simplified text, converted with a page
    assert lint("於姓在当地是大姓，後羿射日的传说家喻户晓。", select=["charset"]) == []
    page = ITQALAM.replace("公布后", "公布後").replace("僅次于", "僅次於")
    text, _ = fixed(page, select=["charset"])
    assert text == HEBEI


def test_converted_page_keeps_allowed_words(tmp_path):
    (tmp_path / ".lint-reports.yaml").write_text("allow: [僅次于]\n", encoding="utf-8")
    from lint_reports.config.settings import load

    linter = Linter(load(tmp_path / ".lint-reports.yaml"), select=["charset-traditional"], packs=_PACKS)
    data = ITQALAM.encode("utf-8")
    result = fix_document(linter, load_document("p.txt", data), "p.txt", data)
    assert "僅次于" in result.fixed.decode("utf-8") and "中国政府网" in result.fixed.decode("utf-8")


# --- mojibake of double conversion -----------------------------------------------------------

def _seed_lines(name, count):
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return "\n".join(path.read_text(encoding="utf-8").split("\n")[:count]) + "\n"


@pytest.mark.parametrize("garbled, original", [
    # cnblogs.com (多语言文档协同…): 中文"你好"变为"ÄãºÃ" — GBK read as Latin-1
    ("问候语ÄãºÃ，欢迎", "你好"),
    # miaokee.com: file names from a GBK system shown as Latin-1 (âº¯ alone would be a CJK radical)
    ('文件名"GNU Readline¿âº¯ÊýµÄÓ¦ÓÃÊ¾Àý"', "库函数的应用示例"),
    # UTF-8 read as Windows-1252 twice over
    ("共开展主题党日12次Ã¯Â¼Å’参加党员120人次", "，"),
])
def test_double_conversions_are_repaired(garbled, original):
    finding, = lint(garbled, select=["charset"])
    assert finding.rule == "charset-mojibake" and finding.fix.replacement == original


@pytest.mark.parametrize("damage", [
    lambda text: text.encode("gbk").decode("latin-1"),  # GBK read as Latin-1, saved as UTF-8
    lambda text: text.encode("utf-8").decode("latin-1"),  # UTF-8 read as Latin-1
    lambda text: text.encode("utf-8").decode("latin-1").encode("utf-8").decode("latin-1"),  # twice
])
def test_a_garbled_page_is_one_finding_whose_fix_restores_it(damage):
    original = _seed_lines("003", 20).replace("\u2022", "")  # (a bullet GBK has not)
    try:
        garbled = damage(original)
    except UnicodeEncodeError:
        pytest.skip("not encodable")
    found = lint(garbled, select=["charset"])
    assert rules(found) == ["charset-mojibake"] and found[0].whole_document
    text, left = fixed(garbled, select=["charset-mojibake"])
    assert text == original and left == []


def test_utf8_read_as_gbk_page_is_mojibake_not_a_traditional_page():
    # UTF-8 read as GBK is full of traditional characters (鍙 / 鏂): it must not be converted
    garbled = _seed_lines("003", 12).encode("utf-8").decode("gbk", errors="replace")
    found = lint(garbled, select=["charset"])
    assert "charset-traditional" not in rules(found)
    assert rules(found).count("charset-mojibake") >= 1


@pytest.mark.parametrize("text", [
    # prov2026_chongqing: 前1‱ became "?"; prov2026_hunan: 澧水 became "?水"
    "高校学科建设取得新突破，11个学科进入前1‰、1个学科进入前1?。医疗服务更加优质高效。",
    "洞庭湖区重点垸堤防加固二期、?水灌区开工建设，大兴寨水库大坝封顶。",
    # huangminedu.com.cn: 主干。總結 lost its alignment
    "即工作開展情況——總結的主干??偨Y工作的目的是提高工作",
])
def test_characters_lost_as_question_marks(text):
    found = lint(text, select=["charset-mojibake", "punctuation-halfwidth"])
    assert rules(found) == ["charset-mojibake"] and found[0].fix is None


@pytest.mark.parametrize("text", [
    "大家想一想，这样做对吗?我们要认真思考。",
    "详见 https://www.gov.cn/zhengce/content.htm?id=123。",
    "邀请Café负责人、René教授和Zoë分享经验",
    "温度控制在25°±2°，误差±0.5%。",
    "学习内容锟斤拷包括党章党规",  # reported, but as what it is: no repair
])
def test_no_false_repair(text):
    assert all(f.fix is None for f in lint(text, select=["charset-mojibake"]))


# --- pinyin printed after the characters ------------------------------------------------------

# 416w.cn (2025), huangminedu.com.cn, lalalvj.com: pages from pinyin-annotating sites
PINYIN_PAGES = [
    "不久前召開的中央城市工作會(huì)議指出,我國(guó)城鎮(zhèn)化正從快速增長(zhǎng)期轉(zhuǎn)向穩(wěn)定發(fā)展期,"
    "城市發(fā)展正從大規(guī)模增量擴(kuò)張階段轉(zhuǎn)向存量提質(zhì)增效為主的階段。\n",
    "工作總結(jié),是體現(xiàn)某一階段工作整體情況的主要文體,是開展部門考核評(píng)價(jià)的參考內(nèi)容,"
    "也是上級(jí)了解掌握部門工作情況、用以輔助決策的重要依據(jù)。\n",
    "物業(yè)管理制度\n在我們平凡的日常里,制度對人們來說越來越重要,制度泛指以規(guī)則或運作模式,規(guī)范個體行動的一種社會結構。\n"
    "為保持干凈整潔,使住(用)戶享有優(yōu)雅舒適的生活環(huán)境,結合管轄區(qū)實際情況,特制訂本制度。\n",
]


@pytest.mark.parametrize("page", PINYIN_PAGES)
def test_a_pinyin_annotated_page_is_one_finding_and_no_placeholder(page):
    found = lint(page)
    assert rules(found).count("charset-pinyin") == 1
    assert not [f for f in found if f.category == "placeholder"]
    assert not [f for f in found if f.rule.startswith("punctuation-halfwidth")
                and page[f.start] in "()"], "pinyin brackets taken for punctuation"
    text, _ = fixed(page, select=["charset-pinyin"])
    assert not re.search("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", text)
    assert text == re.sub(r"\((?=[a-zü ]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[^()]*\)", "", page)
    assert "住(用)戶" in text or "住(用)戶" not in page  # a bracket that is no pinyin stays


@pytest.mark.parametrize("text", [
    "对“锲(qiè)而不舍”的“锲”字，发言时要读准；“龃龉(jǔ yǔ)”也要读准。",  # a speech's glosses
    "代理記賬公司績效考核方案(通用6篇)",
    "增长(%)与上年持平，见附表(一)。",
])
def test_glosses_and_other_brackets_are_no_pinyin_page(text):
    assert lint(text, select=["charset-pinyin"]) == []


# --- full-width digits: stray ones, and a house style ----------------------------------------

# ljt_gov_2009 (gov.cn, 2009 report): its body writes numbers in full-width throughout
FULLWIDTH_BODY = """一、２００８年工作回顾
２００８年是极不平凡的一年。我国经济社会发展经受住了历史罕见的重大挑战和考验。
——国民经济继续保持平稳较快增长。国内生产总值超过３０万亿元，比上年增长９％；物价总水平涨幅得到控制；财政收入６．１３万亿元，增长１９．５％；粮食连续五年增产，总产量５２８５０万吨，创历史最高水平。
——改革开放深入推进。财税、金融、价格、行政管理等重点领域和关键环节的改革取得新突破。进出口贸易总额２．５６万亿美元，增长１７．８％。实际利用外商直接投资９２４亿美元。
医药卫生改革发展稳步推进。参加新型农村合作医疗的人口８．１４亿，参合率９１．５％。城镇居民基本医疗保险试点城市由上年的８８个增加到３１７个。
<U+00A0><U+00A0>中央政府门户网站 2009年03月16日
"""


def test_a_fullwidth_body_is_one_house_style_finding_with_a_fix():
    found = lint(FULLWIDTH_BODY, select=["charset-fullwidth"])
    assert len(found) == 1 and found[0].whole_document and found[0].severity == "info"
    text, left = fixed(FULLWIDTH_BODY, select=["charset-fullwidth"])
    assert "财政收入6.13万亿元，增长19.5%" in text and "一、2008年工作回顾" in text
    assert "<U+00A0>" in text and left == []


def test_stray_fullwidth_digits_stay_per_occurrence():
    # ljt_gov_2007: a Xinhua dateline in full-width inside a half-width body
    text = ("新华社北京２００７年３月１７日电\n"
            "——经济平稳快速增长。国内生产总值20.94万亿元，比上年增长10.7%；居民消费价格总水平上涨1.5%。\n"
            "——人民生活有较大改善。城镇新增就业1184万人。城镇居民人均可支配收入11759元，农村居民人均纯收入3587元。\n")
    found = lint(text, select=["charset-fullwidth"])
    assert [text[f.start:f.end] for f in found] == ["２００７", "３", "１７"]
    assert not any(f.whole_document for f in found)


# --- punctuation broken by the page, not by the writer ---------------------------------------

@pytest.mark.parametrize("text", [
    # prov2026_*: the font-size widget laid out one word a line
    "下载\n打印\n【字号：\n加大\n还原\n减小\n】\n2026年安徽省政府工作报告\n",
    # ljt_gov_*: an editor credit and a widget broken over lines with blank lines between
    "（责任编辑： 郭桢\n ）\n\n\n【E-mail推荐\n\n\n\n】\n",
    # ljt_gov_1999: ’99 is an apostrophe
    "逐步改善国民营养水平和健康素质。办好“中国’99昆明世界园艺博览会”。\n",
])
def test_brackets_the_page_broke_are_pairs(text):
    assert lint(text, select=["punctuation-unbalanced"]) == []


def test_real_unbalanced_brackets_stay():
    # seed 003 line 6 (an unclosed quote), and a bracket whose halves hold a sentence end
    text = "深入开展“不忘初心、牢记使命主题教育。\n（一）加强组织领导。\n落实责任）\n"
    found = lint(text, select=["punctuation-unbalanced"])
    assert [(f.line, text[f.start]) for f in found] == [(1, "“"), (3, "）")]


@pytest.mark.parametrize("text, flagged", [
    ("3月5日，国务院总理温家宝作政府工作报告。 新华社记者 刘卫兵 摄", False),  # ljt_gov_2010
    ("省长毛伟明作政府工作报告。湖南日报全媒体记者 刘尚文 摄", False),  # prov2026_hunan
    ("打响“至诚山东 近悦远来”招商品牌，用好利润再投资、跨国并购。", False),  # prov2026_shandong
    ("开展“进窗口 走流程”现场办事体验活动。工程建设项目审批制度改革深入推进。", False),  # prov2026_fujian
    ("制定了《领导班子学习制度》为进一 步加强新形势下基层组织建设，夯实基础。", True),  # seed 004
    ("开展“进一 步加强”活动，取得实效。", True),  # unequal halves: a stray space
])
def test_stray_spaces(text, flagged):
    assert bool(lint(text, select=["punctuation-space"])) == flagged


# ljt_gov_2014 (gov.cn): the report's paragraphs joined into a few lines by their indentation
RUN_TOGETHER = ("必须加强生态环境保护，下决心用硬措施完成硬任务。\u3000\u3000出重拳强化污染防治。以雾霾频发的特大城市和区域为重点。"
                "\u3000\u3000推进生态保护与建设。继续实施退耕还林还草，今年拟安排500万亩。\u3000\u3000各位代表！\u3000\u3000做好政府工作，"
                "必须加强自身改革建设。\u3000\u3000各级政府必须厉行节约，反对浪费，坚持过紧日子。\u3000\u3000推动能源生产和消费方式变革。\n")


def test_paragraphs_run_together_page_is_one_finding_and_split_by_the_fix():
    found = lint(RUN_TOGETHER, select=["punctuation-ideographic-space"])
    assert len(found) == 1 and found[0].whole_document
    text, left = fixed(RUN_TOGETHER, select=["punctuation-ideographic-space"])
    assert left == [] and text.count("\n") == 7
    assert text.split("\n")[1] == "\u3000\u3000出重拳强化污染防治。以雾霾频发的特大城市和区域为重点。"


def test_one_paragraph_run_in_gets_a_line_break_and_a_mid_sentence_space_is_deleted():
    # seed 002 line 18: “…时限要求。　　下一步，…”
    text = "确保按时完成各项任务，严格落实时限要求。\u3000\u3000下一步，我们将继续加强组织领导，　　完善工作机制。\n"
    found = lint(text, select=["punctuation-ideographic-space"])
    assert [f.fix.replacement for f in found] == ["\n\u3000\u3000", ""]


@pytest.mark.parametrize("text, mark", [
    ("严禁利用网络发送和接收违反国家规定的`有关政策和机密，严防计算机病毒感染。", "`"),  # wyytt.com
    ("今年将向市人大常委会述职并接受市人大常委会委员的'评议。", "'"),  # taosugar.com
    ("可以有效避免因服务不规范引发的.纠纷，维护公司稳定运营。", "."),  # lalalvj.com
])
def test_copy_marks_of_fanwen_sites_are_deleted(text, mark):
    finding, = lint(text, select=["punctuation-stray-mark"])
    assert text[finding.start] == mark
    assert fixed(text, select=["punctuation-stray-mark"])[0] == text.replace(mark, "", 1)


def test_copy_marks_leave_numbers_english_and_markdown_code_alone():
    assert lint("全年增长10.7%，邀请Tom's团队参加，网址www.gov.cn。", select=["punctuation-stray-mark"]) == []
    assert lint("运行`学习`程序即可。\n", select=["punctuation-stray-mark"], path="a.md") == []


# --- lines broken by the page ----------------------------------------------------------------

# zixin.com.cn (docdown): the 文库 segment number "2、" lands after 同时
ZIXIN = ("1、工作总结的概念与特点工作总结的概念与特点工作总结是在一段时间内对工作内容、成果以及经验教训进行回顾和总结的过程。"
         "它是一种对工作进行自我评估和反思的方法,有助于提升工作效率和提高工作质量。以下是工作总结的概念与特点。"
         "首先,工作总结的概念是指对工作过程和结果进行全面客观的评价和总结。通过梳理工作中的关键环节和重要事项,"
         "我们可以分析工作的优点和不足,找出问题所在,并制定相应的改进措施。工作总结可以帮助我们更好地了解自己的工作方式和能力水平,"
         "为今后的工作提供参考和借鉴。其次,工作总结的特点是客观性和实用性。在进行工作总结时,我们应尽量客观地评价自己的工作,"
         "不偏不倚地分析各种情况和因素对工作的影响。同时\n"
         "2、,工作总结应具有实用性,即总结的结论和经验应能够指导我们今后的工作,使我们能够在实践中不断改进和提高。\n")


def test_segment_marker_inside_a_sentence_is_joined():
    finding, = lint(ZIXIN, select=["linebreak"])
    assert finding.rule == "linebreak-segment-marker" and finding.line == 1
    text, _ = fixed(ZIXIN, select=["linebreak"])
    assert "影响。同时,工作总结应具有实用性" in text and text.count("\n") == 1


def test_segment_marker_splitting_a_word_after_a_long_paragraph():
    # zixin's segment broken inside 制度 (the page cut it there; jieba's dictionary sees the word)
    head = ZIXIN.split("\n")[0][:-2]
    text = head + "，各项工作都要按照管理制\n2、度执行，确保落到实处。\n"
    finding, = lint(text, select=["linebreak-segment-marker"])
    assert "按照管理制度执行" in fixed(text, select=["linebreak-segment-marker"])[0]


@pytest.mark.parametrize("text", [
    # a list after an introducing line, items without final marks (21ks.net: 党务工作者工作总结)
    "今年11月以来主要完成的任务有\n1、协助支部书记组织召开11月主题教育\n2、完善支部的党建材料\n",
    # a long item ending without a mark, the next item's first word would make a word with it
    "一年来，我始终把学习放在首要位置，" * 8 + "扎实做好各项工作\n2、作风建设方面，严格遵守各项规定。\n",
    # a heading, then the list
    "二、主要做法\n1、加强组织领导，落实工作责任。\n2、完善工作机制。\n",
])
def test_a_numbered_list_item_is_never_joined(text):
    assert lint(text, select=["linebreak"]) == []


# seed 004's sentence, as a PDF page break leaves it around a footer
FOOTER_HALVES = ("——学习理念进一步树立。广大党员切实把学习当作一种政治责任、一种精神追求、一", "种生活方式,做到在学习中工作、在工作中学习。")


@pytest.mark.parametrize("footer", ["- 3 -", "— 3 —", "第3页 共9页", "第 3 页", "共9页 第3页", "3/9", "·3·", "Page 3 of 9"])
def test_sentence_split_around_a_page_footer_is_joined(footer):
    text = f"{FOOTER_HALVES[0]}\n\n{footer}\n\n{FOOTER_HALVES[1]}\n"
    finding, = lint(text, select=["linebreak"])
    assert finding.rule == "linebreak-page-footer" and footer in finding.message
    assert fixed(text, select=["linebreak"])[0] == FOOTER_HALVES[0] + FOOTER_HALVES[1] + "\n"


@pytest.mark.parametrize("text", [
    "——学习理念进一步树立。广大党员切实把学习当作一种政治责任。\n\n- 3 -\n\n二、主要做法\n",  # sentence complete
    "全年共完成\n12\n项重点工作任务。\n",  # a bare number may be the sentence's own
    f"{FOOTER_HALVES[0]}\n- 3 -\n一是加强学习。\n",  # an enumeration starts after the footer
])
def test_footers_that_split_no_sentence(text):
    assert [f for f in lint(text, select=["linebreak"]) if f.rule == "linebreak-page-footer"] == []


@pytest.mark.parametrize("broken, title", [
    # dongyang.gov.cn 2023: the notice's title as a narrow title box breaks it
    ("关于印发\n东阳市促进残疾人就业\n行动实施方案的\n通知\n\n各镇、乡人民政府：\n", "关于印发东阳市促进残疾人就业行动实施方案的通知"),
    # chuan360.com: 2023年乡镇年度工作计划, one word a line
    ("2023年\n乡镇\n年度工作计划\n2023年乡镇年度工作计划是为了促进乡镇的可持续发展而制定的。\n", "2023年乡镇年度工作计划"),
])
def test_a_title_broken_into_fragments_is_joined(broken, title):
    finding, = lint(broken, select=["linebreak-title"])
    assert title in finding.message
    assert fixed(broken, select=["linebreak-title"])[0].split("\n")[0] == title


@pytest.mark.parametrize("text", [
    "下载\n打印\n全屏\n收藏\n2026年安徽省政府工作报告\n",  # prov2026_anhui's widgets
    "首页\n工作总结\n正文\n",  # a breadcrumb
    "东阳市人民政府办公室\n2023年3月13日\n",  # signature and date
    "工作总结\n述职报告\n自查报告\n",  # a list of genres (a site's menu)
])
def test_short_lines_that_are_no_broken_title(text):
    assert lint(text, select=["linebreak-title"]) == []


def test_indented_continuation_is_joined_too():
    # seed 004 lines 42-43 with the next line indented: the fix used to be refused
    text = "“三下功夫”即以学习培训为主,在加强理论武装、提高理论素\n\u3000\u3000养上下功夫,在扩大知识视野、提高知识水平上下功夫。\n"
    assert fixed(text, select=["linebreak"])[0] == text.replace("\n\u3000\u3000", "", 1)


# --- the corpus-web pages (copied into tests/data) ---------------------------------------------

CORPUS_WEB = ROOT / "tests" / "data" / "corpus-web"


def test_corpus_web_bodies_keep_only_what_was_read_and_kept():
    """What remains on the 33 pages was read: stray full-width datelines (ljt_gov_2007/2008),
    two full-width bodies (one finding each), two characters lost as '?', a paragraphs-run-
    together page, half-width marks in full-width text, trailing spaces."""
    linter = Linter(Config(), select=["charset", "linebreak", "punctuation"], packs=_PACKS)
    by_rule: dict = {}
    for path in sorted(CORPUS_WEB.glob("*.txt")):
        doc = load_document(path.name, path.read_bytes())
        for finding in linter.lint(doc, path.name):
            by_rule.setdefault(finding.rule, []).append(path.name)
    for rule in ("charset-traditional", "charset-pinyin", "punctuation-unbalanced", "punctuation-space",
                 "punctuation-stray-mark", "linebreak-midsentence", "linebreak-page-footer",
                 "linebreak-segment-marker", "linebreak-title"):
        assert rule not in by_rule, (rule, by_rule.get(rule))
    assert len(by_rule.get("charset-fullwidth", [])) <= 40
    assert by_rule.get("charset-mojibake", []) == ["prov2026_chongqing.txt", "prov2026_hunan.txt"]
    assert by_rule.get("punctuation-ideographic-space", []) == ["ljt_gov_2014.txt"]
