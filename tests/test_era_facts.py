"""Era facts are data: users extend them in their own packs; bad facts are clear errors."""
from __future__ import annotations

import pytest

from conftest import lint_text, run_cli
from lint_reports.config.settings import Config
from lint_reports.kinds.era.knowledge import Knowledge
from lint_reports.config.packs import PackError, load_builtin_packs, merge_data

LOCAL_PACK = """\
pack: my-county
data:
  era_facts:
    - id: lianhu_jingfa_ban
      kind: institution
      names: ["莲湖镇经济发展办公室"]
      local_names: ["经发办"]
      start: "2005"
      end: "2023-06"
      superseded_by: [lianhu_jingfa_zhongxin]
      source: "莲湖镇人民政府关于调整内设机构的通知（2023年6月）"
    - id: lianhu_jingfa_zhongxin
      kind: institution
      names: ["莲湖镇经济发展服务中心"]
      local_names: ["经济发展服务中心"]
      start: "2023-06"
      source: "莲湖镇人民政府关于调整内设机构的通知（2023年6月）"
"""


def _config_with(tmp_path, text):
    pack = tmp_path / "county.yaml"
    pack.write_text(text, encoding="utf-8")
    return Config(packs=[pack]), pack


def test_user_pack_adds_a_local_institution(tmp_path):
    config, _ = _config_with(tmp_path, LOCAL_PACK)
    text = "2024年工作总结\n由镇经发办牵头做好招商引资工作。\n"
    [finding] = lint_text(text, select=["outdated-institution"], config=config)
    assert finding.line == 2
    assert "镇经发办已于 2023年撤并或更名" in finding.message
    assert "现行提法：经济发展服务中心" in finding.message
    # the built-in facts still apply next to the user's
    assert lint_text("2024年工作总结\n配合县工商局做好登记。", select=["outdated-institution"], config=config)
    # and the new fact leaves its own time alone
    assert not lint_text("2022年工作总结\n由镇经发办牵头做好招商引资工作。", select=["outdated"], config=config)


def test_user_pack_through_the_cli(tmp_path):
    pack = tmp_path / "county.yaml"
    pack.write_text(LOCAL_PACK, encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text("packs: [county.yaml]\n", encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text("2024年工作总结\n由镇经发办牵头做好招商引资工作。\n", encoding="utf-8")
    result = run_cli("--select", "outdated", "report.txt", cwd=tmp_path)
    assert result.returncode == 1 and "outdated-institution" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("entry,error", [
    ('{id: x, kind: congress, names: ["某大会"], start: "2001"}', "needs 'source'"),
    ('{id: x, kind: meeting, names: ["某大会"], source: s}', "kind must be one of"),
    ('{id: x, kind: congress, names: ["某大会"], start: "2001年", source: s}', "\"YYYY\" or \"YYYY-MM\""),
    ('{id: x, kind: slogan, names: ["某提法"], superseded_by: [nowhere], source: s}', "'nowhere' is not a known fact id"),
    ('{id: x, kind: anniversary_base, base_year: 1990, patterns: ["建站N周年"], source: s}', "has no {N}"),
])
def test_bad_fact_is_a_clear_error(tmp_path, entry, error):
    config, _ = _config_with(tmp_path, f"data:\n  era_facts:\n    - {entry}\n")
    from lint_reports.core.engine import Linter

    with pytest.raises(PackError, match="era fact 'x'") as raised:
        Linter(config)
    assert error in str(raised.value)


def test_bad_fact_exits_2_with_one_line(tmp_path):
    (tmp_path / "bad.yaml").write_text('data:\n  era_facts:\n    - {id: x, kind: congress, names: ["某大会"]}\n',
                                       encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text("packs: [bad.yaml]\n", encoding="utf-8")
    result = run_cli(".", cwd=tmp_path)
    assert result.returncode == 2
    assert "era fact 'x'" in result.stderr and "Traceback" not in result.stderr


def test_every_builtin_fact_keeps_its_source_and_resolves():
    data = merge_data(load_builtin_packs())
    knowledge = Knowledge(data["era_facts"])
    assert len(knowledge.facts) > 150
    for fact in knowledge.facts.values():
        assert fact.source, fact.id
        assert all(other in knowledge.facts for other in fact.superseded_by)
    kinds = {fact.kind for fact in knowledge.facts.values()}
    assert kinds == {"congress", "plenum", "five_year_plan", "campaign", "ideology", "anniversary_base",
                     "institution", "slogan"}
    plans = {fact.label for fact in knowledge.facts.values() if fact.kind == "five_year_plan"}
    assert len(plans) == 10  # 六五 … 十五五
    congresses = [fact for fact in knowledge.facts.values() if fact.kind == "congress" and not fact.expected]
    assert len(congresses) == 9  # 十二大 … 二十大


def test_one_name_shared_by_two_facts_dates_nothing():
    data = merge_data(load_builtin_packs())
    knowledge = Knowledge(data["era_facts"])
    assert "广电总局" in knowledge.ambiguous  # the 1998–2013 body and the 2018 one
    assert not lint_text("2020年工作总结\n配合广电总局开展节目审查。", select=["outdated"])


def test_scan_is_one_pass_over_large_text():
    import time

    data = merge_data(load_builtin_packs())
    knowledge = Knowledge(data["era_facts"])
    text = "认真贯彻落实党的二十大精神，配合县工商局做好登记，今年是建党101周年。" * 3000
    began = time.perf_counter()
    mentions = knowledge.scan(text)
    assert len(mentions) == 9000
    assert time.perf_counter() - began < 2


def test_user_pack_adds_an_outdated_term(tmp_path):
    # a provincial slogan retired in 2020, with what replaced it: no Python needed
    config, _ = _config_with(tmp_path, """\
data:
  era_facts:
    - id: local_sanqing_sanbian
      kind: slogan
      names: ["三清三拆三整治"]
      start: "2016"
      end: "2020-03"
      superseded_by: [local_renju_huanjing]
      source: "省农业农村厅通知（2020年3月）"
    - id: local_renju_huanjing
      kind: slogan
      names: ["农村人居环境整治提升"]
      start: "2020-03"
      source: "省农业农村厅通知（2020年3月）"
""")
    [finding] = lint_text("2022年工作要点\n扎实推进三清三拆三整治。", select=["outdated"], config=config)
    assert finding.rule == "outdated-slogan" and "现行提法：农村人居环境整治提升" in finding.message
    assert not lint_text("2020年工作要点\n扎实推进三清三拆三整治。", select=["outdated"], config=config)
    assert not lint_text("2022年工作总结\n回顾三清三拆三整治以来的成绩。", select=["outdated"], config=config)


def _builtin_entry(fact_id):
    data = merge_data(load_builtin_packs())
    return dict(next(entry for entry in data["era_facts"] if entry["id"] == fact_id))


def test_user_pack_changes_a_builtin_date(tmp_path):
    # this county renamed its 扶贫办 only in March 2023: same id, later local_end
    text_2023 = "2023年工作总结\n联合县扶贫办开展防止返贫动态监测。"
    assert lint_text(text_2023, select=["outdated"])  # built in: counties followed during 2021
    entry = _builtin_entry("inst_fupin_ban")
    entry["local_end"] = "2023-03"
    import json

    config, _ = _config_with(tmp_path, "data:\n  era_facts:\n    - " + json.dumps(entry, ensure_ascii=False) + "\n")
    assert not lint_text(text_2023, select=["outdated"], config=config)
    [finding] = lint_text(text_2023.replace("2023年", "2024年"), select=["outdated"], config=config)
    assert "县级机构于2023年完成" in finding.message


def test_builtin_pack_is_reproducible_from_the_knowledge_file():
    """rules/era.yaml's facts are exactly what tools/era_from_knowledge.py makes of the
    checked knowledge file (regenerate with --write after editing the knowledge)."""
    import importlib.util
    from pathlib import Path

    from conftest import KNOWLEDGE, ROOT

    knowledge = KNOWLEDGE / "era.yaml"
    spec = importlib.util.spec_from_file_location("era_from_knowledge", ROOT / "tools" / "era_from_knowledge.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    pack = Path(ROOT / "rules" / "era.yaml").read_text(encoding="utf-8")
    assert tool.regenerate(pack, knowledge.read_text(encoding="utf-8")) == pack
    assert tool.main([str(knowledge), "--check", str(ROOT / "rules" / "era.yaml")]) == 0
