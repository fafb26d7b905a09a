"""范文 and 文库 site furniture (rules/artifacts-sites.yaml): every form of each kind, the report
sentences that share its words and must stay quiet, and what --fix removes.

The furniture lines are taken from real pages (tests/pages/SOURCES.md names the sites); the
quiet sentences are what reports say with the same words: 撰写调研报告1至2篇, 仅供参考 said of a
figure, 下载学习强国APP, a 规划纲要's 第一篇, a 简报's 编辑/审核 footer."""
from __future__ import annotations

import pytest

from conftest import lint_text


def _artifacts(text, path="r.txt"):
    return [f for f in lint_text(text, path=path) if f.category == "artifact"]


def _rules(text):
    return {f.rule for f in _artifacts(text)}


def _fixed(text, tmp_path):
    from lint_reports.config.settings import Config
    from lint_reports.io.load import load_document
    from lint_reports.core.engine import Linter
    from lint_reports.core.fix import fix_document

    data = text.encode("utf-8")
    doc = load_document("r.txt", data)
    return fix_document(Linter(Config()), doc, "r.txt", data).fixed.decode("utf-8")


# --- every form of a kind is flagged, by the rule of its kind -------------------------------

FURNITURE = [
    # editor prefaces and closings, with and without 小编, simplified and traditional
    ("以下是小编为大家整理的个人工作总结，供大家参考。", "artifact-editor-note"),
    ("下面是小編為大家收集的鄉鎮年終工作總結5篇,希望能夠幫助到大家。", "artifact-editor-note"),
    ("下面是为大家整理的春节乡镇工作总结范文三篇,供大家参考。", "artifact-editor-note"),
    ("以下我给大家整理了一些优质的心得体会范文,希望对大家能够有所帮助。", "artifact-editor-note"),
    ("以下是网友帮大家分享的“农村调查报告通用”,希望能够帮助到大家。", "artifact-editor-note"),
    ("本栏目,小编为大家收集整理了数篇年终工作总结,希望为您带来帮助!", "artifact-editor-note"),
    ("以上就是小编为大家整理的全部内容。", "artifact-editor-note"),
    ("希望对大家有所帮助！", "artifact-editor-note"),
    ("欢迎下载", "artifact-editor-note"),
    ("感谢阅读", "artifact-editor-note"),
    ("如对您有帮助，请下载收藏。", "artifact-editor-note"),
    ("本文为word版，可编辑修改。", "artifact-editor-note"),
    ("（可编辑）", "artifact-editor-note"),
    ("本文仅供参考", "artifact-editor-note"),
    ("（仅供参考）", "artifact-editor-note"),
    # paywall and preview notices
    ("此处隐藏2856字", "artifact-paywall"),
    ("……此处隐藏3058字……", "artifact-paywall"),
    ("（此处已隐藏1200字，请下载后查看）", "artifact-paywall"),
    ("试读结束，开通会员可免费下载全文", "artifact-paywall"),
    ("【全文共3265字】", "artifact-paywall"),
    ("该文档共8页", "artifact-paywall"),
    ("本文共10页，可预览3页", "artifact-paywall"),
    ("还剩12页未读，继续阅读", "artifact-paywall"),
    ("已阅读5页,还剩55页未读 继续免费阅读", "artifact-paywall"),
    ("還剩8頁未讀，繼續閱讀", "artifact-paywall"),
    ("限时免费下载", "artifact-paywall"),
    ("会员可完整阅读全文", "artifact-paywall"),
    # download banners
    ("下载本文档", "artifact-download"),
    ("下载资源需要8金币", "artifact-download"),
    ("游客一键下载", "artifact-download"),
    # 文库 page lines
    ("2023年乡镇工作总结.docx", "artifact-wenku-page"),
    ("述职报告(精选5篇).doc", "artifact-wenku-page"),
    ("个人述职报告.pdf_第3页", "artifact-wenku-page"),
    ("《自查报告.docx》由会员分享，可在线阅读，更多相关《自查报告.docx》请在人人文库网上搜索。", "artifact-wenku-page"),
    ("收藏 分享 举报", "artifact-wenku-page"),
    ("资源描述：", "artifact-wenku-meta"),
    ("文档格式：DOCX", "artifact-wenku-meta"),
    ("文档大小：1.2MB", "artifact-wenku-meta"),
    ("上传时间：2023-05-12", "artifact-wenku-meta"),
    ("上传者：shuxiao2023", "artifact-wenku-meta"),
    # update dates and word counts
    ("更新时间：2024-03-08 09:12:40", "artifact-site-meta"),
    ("发布时间：2023/12/01", "artifact-site-meta"),
    ("时间:2022-10-31 15:50:34 作者:网友上传 字数:5390字", "artifact-site-meta"),
    # credits in brackets or after the last sentence
    ("持续巩固拓展脱贫攻坚成果。（责任编辑：王五）", "artifact-credit"),
    ("[編輯: 郭新舉]", "artifact-credit"),
    ("（作者单位：县委政研室）", "artifact-credit"),
    # compilation counts in any bracket, and at a title's end
    ("乡镇工作总结（通用8篇）", "artifact-compilation"),
    ("述职报告[10篇]", "artifact-compilation"),
    ("自查报告【精选合集】", "artifact-compilation"),
    ("个人工作总结精选9篇", "artifact-compilation"),
    ("实施方案范文大全", "artifact-compilation"),
    # piece markers in every form, alone or before a title, with or without a colon
    ("篇一", "artifact-compilation"),
    ("篇1：2023年乡镇工作总结", "artifact-compilation"),
    ("【篇三】", "artifact-compilation"),
    ("第1篇", "artifact-compilation"),
    ("第二篇：个人述职报告", "artifact-compilation"),
    ("第二篇 乡镇工作总结", "artifact-compilation"),
    ("范文一：乡镇工作总结", "artifact-compilation"),
    ("范文1", "artifact-compilation"),
    ("精选范文（一）", "artifact-compilation"),
    ("乡镇年终工作总结 篇2", "artifact-compilation"),
    ("学习心得体会篇三", "artifact-compilation"),
    ("春节乡镇工作总结2", "artifact-compilation"),
    # chatbot wrappers
    ("当然可以！以下是一篇关于乡镇工作总结的范文：", "artifact-chatbot"),
    ("以下是关于如何写好述职报告的回答：", "artifact-chatbot"),
    ("希望这篇总结对您有所帮助！", "artifact-chatbot"),
    ("如需进一步修改，请随时告诉我。", "artifact-chatbot"),
]


@pytest.mark.parametrize("text, rule", FURNITURE, ids=[t for t, _ in FURNITURE])
def test_every_form_is_flagged_by_its_rule(text, rule):
    assert rule in _rules(text), f"{rule} missed {text!r}: {_rules(text)}"


# --- report sentences with the same words stay quiet ----------------------------------------

QUIET = [
    "全年撰写调研报告1至2篇，形成高质量调研成果。",
    "全年撰写调研报告2篇，在省级刊物发表论文1篇。",
    "组织党员干部下载学习强国APP，实现学习全覆盖。",
    "以上测算数据仅供参考，最终以统计部门公布的数据为准。",
    "本数据仅供参考。",
    "现将有关经验做法整理如下，供大家参考借鉴。",
    "各地可结合实际参考执行。",
    "下面，我代表县人民政府向大会报告工作，请予审议。",
    "下面，我为大家分享我在基层工作中的几点体会。",
    "以下是本次检查的主要内容，请各单位认真对照。",
    "希望大家在新的一年里再接再厉，再创佳绩。",
    "希望这些经验能对大家有所帮助。",
    "欢迎各位领导莅临指导。",
    "感谢大家一年来对政府工作的支持和帮助！",
    "第一篇　开启全面建设社会主义现代化国家新征程",
    "第二篇章：奋力谱写高质量发展新篇章",
    "全年发表论文（3篇），获评优秀论文一等奖。",
    "每季度召开一次形势分析会，形成分析报告4篇",
    "编辑：张三 审核：李四 签发：王五",
    "组织编辑、校对人员对年鉴初稿进行了三轮审核。",
    "全年接待游客120万人次（数据来源：县文旅局）。",
    "数据来源：国家统计局网站",
    "资金来源：县财政预算安排",
    "全县共有会员单位120家，开通会员服务热线一条。",
    "持证读者会员可免费阅读电子图书，全年借阅量增长12%。",
    "景区在国庆期间实行限时免费开放，接待游客5.6万人次。",
    "本报告共12页，附件3份。",
    "全文共分五个部分。",
    "已阅读文件32份，批示意见15条。",
    "时间：2024年3月15日上午9:00",
    "时间：2024-03-15 地点：县政府三楼会议室",
    "温馨提示：请携带身份证原件办理。",
    "资源描述清晰、分类科学是档案数字化的基础。",
    "上传人员名单已报送县委组织部。",
    "格式：统一使用A4纸",
    "附件：2024年安全生产工作实施方案.docx",
    "组建了一支20人的新媒体小编队伍，全年推送信息860条。",
    "收藏、分享、举报等功能已在政务服务平台上线。",
    "您可以根据自身需要选择线上或线下办理方式。",
    "各乡镇可根据实际情况调整工作安排，确保按期完成任务。",
    "如需调整会议时间，请提前与办公室联系。",
    "以下是关于2023年安全生产工作的情况汇报。",
    "二、2023年主题教育工作总结汇编",
    "县乡村振兴实施方案2024",
    "树立了一批示范文明单位。",
]


@pytest.mark.parametrize("text", QUIET)
def test_report_sentences_with_the_same_words_stay_quiet(text):
    found = _artifacts(text)
    assert not found, f"{text!r}: {[(f.rule, f.message) for f in found]}"


def test_a_clean_report_stays_quiet():
    report = ("乡镇2023年工作总结\n"
              "2023年，全镇上下坚持以习近平新时代中国特色社会主义思想为指导，全年完成固定资产投资5.2亿元。\n"
              "一、主要工作\n"
              "（一）抓好理论学习。全年组织集中学习24次，撰写心得体会120篇，形成调研报告3篇。\n"
              "（二）优化政务服务。引导群众下载“浙里办”APP，开通网上办事服务，群众可扫码查看办事指南。\n"
              "二、存在问题\n"
              "部分数据仅供参考，统计口径有待统一。\n")
    assert not _artifacts(report)


# --- what --fix removes --------------------------------------------------------------------

def test_fix_deletes_whole_furniture_lines_and_keeps_the_report(tmp_path):
    page = ("农村调查报告范文2022精选6篇\n"
            "时间:2022-09-23 10:01:20 分类:工作报告\n"
            "以下是85报告网小编精心为您推荐的农村调查报告范文2022精选6篇,供大家参考。\n"
            "农村调查报告范文2022篇1\n"
            "一、调查基本情况\n"
            "调查内容:农村住户基本情况、农村劳动力基本情况等。\n"
            "还剩5页未读，继续阅读\n")
    fixed = _fixed(page, tmp_path)
    assert fixed.splitlines() == ["农村调查报告范文2022", "一、调查基本情况",
                                  "调查内容：农村住户基本情况、农村劳动力基本情况等。"]


def test_a_credit_inside_a_line_deletes_only_the_credit(tmp_path):
    fixed = _fixed("全镇共排查隐患120处，整改率100%。（责任编辑：王五）\n", tmp_path)
    assert fixed == "全镇共排查隐患120处，整改率100%。\n"


def test_a_marker_before_a_title_leaves_the_title(tmp_path):
    assert _fixed("篇一：学习型党组织建设工作总结\n", tmp_path) == "学习型党组织建设工作总结\n"
    assert _fixed("心得体会的文体和方法(专业13篇)\n", tmp_path) == "心得体会的文体和方法\n"


def test_a_preface_glued_to_the_report_leaves_the_report(tmp_path):
    # 777doc.com flattens a page into one line: the intro and preface go, the report stays.
    line = ("在学习、工作生活中，报告的使用成为日常生活的常态。以下是网友帮大家分享的“农村调查报告通用”，"
            "希望能够帮助到大家。农村调查报告通用【第一篇】为了更客观地了解西南地区小学生冬季的现状，"
            "调查组赴云南进行了调查。\n")
    fixed = _fixed(line, tmp_path)
    assert fixed == "农村调查报告通用为了更客观地了解西南地区小学生冬季的现状，调查组赴云南进行了调查。\n"


def test_a_page_flattened_into_one_line_is_not_flagged_whole():
    # a line-scoped 文库 pattern needs a line of a page's length: a 5000-character line that
    # mentions 可在线阅读 is a report pasted in one piece, not a 文库 line
    body = "全镇共完成投资5.2亿元，同比增长8%。" * 250
    found = _artifacts(body + "《总结.docx》由会员分享，可在线阅读。" + body)
    assert not [f for f in found if f.end - f.start > 1000]
