"""Real published reports of their own year: any outdated finding is a false positive."""
from __future__ import annotations

import csv

import pytest

from conftest import CORPUS, lint_text


def _corpus(folder=CORPUS):
    with (folder / "meta.tsv").open(encoding="utf-8") as handle:
        return [(row["file"], int(row["year"])) for row in csv.DictReader(handle, delimiter="\t")]


CORPUS_FILES = _corpus()
# Real pages as scraped, furniture and page stamps left in: their bodies are published reports.
CORPUS_WEB = CORPUS.parent / "corpus-web"
WEB_FILES = _corpus(CORPUS_WEB)


@pytest.mark.parametrize("name,year", CORPUS_FILES, ids=[name for name, _ in CORPUS_FILES])
@pytest.mark.parametrize("given", [False, True], ids=["inferred-year", "with-year"])
def test_no_outdated_finding_in_clean_reports(name, year, given):
    text = (CORPUS / name).read_text(encoding="utf-8")
    findings = lint_text(text, path=name if given else "report.txt", select=["outdated"],
                         year=year if given else None)
    assert not findings, [(f.line, f.rule, f.message) for f in findings]


@pytest.mark.parametrize("name,year", CORPUS_FILES, ids=[name for name, _ in CORPUS_FILES])
@pytest.mark.parametrize("renamed", [False, True], ids=["own-name", "renamed"])
def test_inferred_year_is_the_delivery_year(name, year, renamed):
    from lint_reports.config.settings import Config
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter
    from lint_reports.kinds.era.knowledge import knowledge_from_data, scan_document

    # renamed: the year must come from the text itself, not from the file name
    doc = Document("report.txt" if renamed else name, (CORPUS / name).read_text(encoding="utf-8"))
    knowledge = knowledge_from_data(Linter(Config()).data)
    [(_, decision)] = scan_document(doc, knowledge).decisions
    assert decision.year == year, decision


@pytest.mark.parametrize("name,year", WEB_FILES, ids=[name for name, _ in WEB_FILES])
def test_scraped_pages_of_published_reports(name, year):
    from lint_reports.config.settings import Config
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter
    from lint_reports.kinds.era.knowledge import knowledge_from_data, scan_document

    text = (CORPUS_WEB / name).read_text(encoding="utf-8")
    for given in (None, year):
        findings = lint_text(text, path="report.txt", select=["outdated"], year=given)
        assert not findings, [(f.line, f.rule, f.message) for f in findings]
    # the year comes from the report's dateline, not from the page's stamps
    doc = Document("report.txt", text)
    [(_, decision)] = scan_document(doc, knowledge_from_data(Linter(Config()).data)).decisions
    assert decision.year == year, decision


CLEAN_TEXT = """\
2023年县民政局工作总结
2023年，县民政局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届二中全会精神，
深刻领悟“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”。
一、主要成效
（一）巩固拓展脱贫攻坚成果。“十四五”规划实施以来，全县持续巩固拓展脱贫攻坚成果同乡村振兴有效衔接，
守住不发生规模性返贫底线。回顾“十三五”时期，全县累计减贫1.2万人，打赢脱贫攻坚战取得全面胜利。
（二）深化主题教育。扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育，推动“两学一做”学习教育常态化制度化。
党的十八大以来，在以习近平同志为核心的党中央坚强领导下，民政事业取得历史性成就。
（三）机构改革。原县扶贫办职责划入县农业农村局，县市场监督管理局、县自然资源局完成职能整合。
新冠肺炎疫情期间，全局党员下沉社区。今年是毛泽东同志诞辰130周年，全局开展系列纪念活动。
二、存在问题
三、下一步打算
2024年是新中国成立75周年，我们将以优异成绩迎接新中国成立75周年，确保“十四五”规划目标任务顺利完成。
"""


@pytest.mark.parametrize("year", [None, 2023])
def test_own_clean_text(year):
    assert lint_text(CLEAN_TEXT, select=["outdated"], year=year) == []
