"""copied-from-template and copied-from-report on real reports (tests/data/corpus)."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import CORPUS, DATA, ROOT, run_cli
from lint_reports.core import passages
from lint_reports.config.settings import Config, load
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter
from lint_reports.core.finding import RelatedLocation
from lint_reports.core.runner import lint_paths

HAILAER_2019 = (CORPUS / "hailaer_gov_2019.txt").read_text(encoding="utf-8")
PARAGRAPH_2019 = HAILAER_2019.splitlines()[19]  # （一）三大攻坚战强力突破。坚决贯彻落实……


def _run(paths, config_path=None, jobs=1, cache=None):
    config = load(config_path) if config_path else Config()
    linter = Linter(config, select=["copied"])
    outcome = lint_paths(linter, [str(p) for p in paths], config, jobs=jobs, cache=cache)
    assert not outcome.errors, outcome.errors
    return outcome.findings


def _copy_of_2019(tmp_path, extra=""):
    """A 2019 report as published, and a 2025 summary carrying one of its paragraphs."""
    (tmp_path / "hailaer_gov_2019.txt").write_text(HAILAER_2019, encoding="utf-8")
    report = tmp_path / "2025年工作总结.txt"
    report.write_text("2025年工作总结\n\n今年以来，我区在基层治理方面做了大量工作。\n" + PARAGRAPH_2019 + "\n" + extra,
                      encoding="utf-8")
    return report


def test_paragraph_of_an_older_report_is_reported_at_its_line_with_the_source(tmp_path):
    report = _copy_of_2019(tmp_path)
    findings = [f for f in _run([tmp_path]) if f.rule == "copied-from-report"]
    assert findings, "a paragraph copied word for word from the 2019 report"
    assert {f.path for f in findings} == {str(report)}  # the older report is the source, not told
    finding = findings[0]
    assert finding.line == 4
    assert "与《hailaer_gov_2019》第20行完全相同" in finding.message and "2019年的文字原样照搬？" in finding.message
    assert finding.related[0] == RelatedLocation(str(tmp_path / "hailaer_gov_2019.txt"), 20, 1, "相同的句子（2019年）")


def test_last_years_report_is_called_last_year(tmp_path):
    body = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决，村容村貌明显改善。\n"
    (tmp_path / "2024年工作总结.txt").write_text("2024年工作总结\n" + "\n" * 10 + body, encoding="utf-8")
    (tmp_path / "2025年工作总结.txt").write_text("2025年工作总结\n" + body, encoding="utf-8")
    [finding] = _run([tmp_path])
    assert finding.path.endswith("2025年工作总结.txt") and finding.line == 2
    assert finding.message == "与《2024年工作总结》第12行完全相同：去年的文字原样照搬？"


def test_reports_of_different_years_sharing_formulae_are_left_alone(tmp_path):
    for name in ("hailaer_gov_2013.txt", "hailaer_gov_2016.txt", "hailaer_gov_2019.txt"):
        shutil.copy(CORPUS / name, tmp_path / name)
    assert _run([tmp_path]) == []


def test_a_whole_corpus_of_distinct_reports_is_clean():
    """Every report of tests/data/corpus once: the only shared sentences are formulae."""
    corpus = sorted(p for p in CORPUS.glob("*.txt"))
    findings = _run(corpus)
    # tmx_gov_2008/2014/2017 are national 政府工作报告 that also exist, as another site's copy,
    # in corpus-web (ljt_gov_*): within corpus alone no two are the same document.
    assert findings == []


def test_the_same_report_from_two_sites_is_all_repeats():
    """corpus-web's ljt_gov_2017 and corpus's tmx_gov_2017 are the 2017 政府工作报告 scraped
    from two sites: every finding between them is a real repeat, both are told (same year)."""
    findings = _run([CORPUS / "tmx_gov_2017.txt", DATA / "corpus-web" / "ljt_gov_2017.txt"])
    assert {f.path.rsplit("/", 1)[-1] for f in findings} == {"tmx_gov_2017.txt", "ljt_gov_2017.txt"}
    for finding in findings:
        other = finding.related[0]
        assert other.path != finding.path and "是否原样照搬？" in finding.message


def test_updated_numbers_are_an_update_not_a_copy(tmp_path):
    """The 2019 paragraph's sentences that carry figures, once as they were and once updated."""
    (tmp_path / "hailaer_gov_2019.txt").write_text(HAILAER_2019, encoding="utf-8")
    numbered = [s + "。" for s in PARAGRAPH_2019.split("。") if any(c.isdigit() for c in s)
                and passages.weight(passages.normalise(s)) >= 30]
    assert len(numbered) >= 2
    updated = [s.translate(str.maketrans("0123456789", "1234567890")) for s in numbered]
    (tmp_path / "2025年工作总结.txt").write_text("2025年工作总结\n" + "\n".join(updated) + "\n", encoding="utf-8")
    assert _run([tmp_path]) == []
    (tmp_path / "2025年工作总结.txt").write_text("2025年工作总结\n" + "\n".join(numbered) + "\n", encoding="utf-8")
    assert len(_run([tmp_path])) == len(numbered)


def test_a_sentence_in_more_reports_than_max_reports_is_formula(tmp_path):
    sentence = "全面推行河长制湖长制，建立区镇村三级河湖长体系，实现河湖管理保护全覆盖和常态化。\n"
    for year in (2021, 2022, 2023, 2024):
        (tmp_path / f"{year}年工作总结.txt").write_text(f"{year}年工作总结\n{sentence}", encoding="utf-8")
    assert _run([tmp_path]) == []  # in 4 reports: more than the default 3
    config = tmp_path / ".lint-reports.yaml"
    config.write_text("copied: {max-reports: 4}\n", encoding="utf-8")
    assert {f.path.rsplit("/", 1)[-1] for f in _run([tmp_path], config)} == \
        {"2022年工作总结.txt", "2023年工作总结.txt", "2024年工作总结.txt"}


def test_min_chars_decides_what_is_substantial(tmp_path):
    sentence = "新建村级综合服务中心三处，改造农村危房一百二十户。\n"  # 22 Chinese characters
    (tmp_path / "2024年工作总结.txt").write_text("2024年工作总结\n" + sentence, encoding="utf-8")
    (tmp_path / "2025年工作总结.txt").write_text("2025年工作总结\n" + sentence, encoding="utf-8")
    assert _run([tmp_path]) == []
    config = tmp_path / ".lint-reports.yaml"
    config.write_text("copied:\n  min-chars: 20\n", encoding="utf-8")
    assert len(_run([tmp_path], config)) == 1


@pytest.mark.parametrize("sentence", [
    "现将有关情况汇报如下：",
    "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届二中全会精神，坚持稳中求进工作总基调。",
    "在区委的坚强领导下，在区人大、政协的监督支持下，我们坚持以习近平新时代中国特色社会主义思想为指导。",
    "现在，我代表区人民政府向大会报告工作，请予审议，并请区政协委员和其他列席人员提出意见。",
])
def test_formula_sentences_are_never_findings(tmp_path, sentence):
    (tmp_path / "2024年工作总结.txt").write_text("2024年工作总结\n" + sentence + "\n", encoding="utf-8")
    (tmp_path / "2025年工作总结.txt").write_text("2025年工作总结\n" + sentence + "\n", encoding="utf-8")
    assert _run([tmp_path]) == []


def test_normalisation_ignores_width_spaces_and_punctuation_but_keeps_numbers():
    assert passages.normalise("全年完成投资５亿元， 增长 ３．５％。") == passages.normalise("全年完成投资5亿元,增长3.5%")
    assert passages.normalise("完成投资５亿元，增长１０%") == "完成投资5亿元增长10%"
    assert passages.normalise("完成投资5亿元") != passages.normalise("完成投资6亿元")
    assert passages.normalise("　　各位代表<U+00A0>！") == "各位代表"


# --- templates --------------------------------------------------------------------------

TEMPLATE_MD = "# 述职报告模板\n\n本人自任职以来，始终坚持以人民为中心的发展思想，认真履行岗位职责，圆满完成了组织交给的各项工作任务。\n"
TEMPLATE_TXT = "工作总结模板\n\n××镇今年共完成各项重点工作××项，全镇经济社会各项事业取得了长足进步，群众满意度显著提升。\n" \
               "一年来，我们坚持把抓好党建作为最大的政绩，把服务群众作为工作的出发点和落脚点，取得了一定成效。\n"


def _templates(tmp_path):
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "述职.md").write_text(TEMPLATE_MD, encoding="utf-8")
    (folder / "总结.txt").write_text(TEMPLATE_TXT, encoding="gb18030")  # read like any report
    config = tmp_path / ".lint-reports.yaml"
    config.write_text("templates: [模板/]\n", encoding="utf-8")
    return config


def test_a_template_sentence_left_unedited_is_reported_with_the_templates_line(tmp_path):
    config = _templates(tmp_path)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "述职报告.txt").write_text(
        "2025年述职报告\n本人自任职以来，始终坚持以人民为中心的发展思想，认真履行岗位职责，圆满完成了组织交给的各项工作任务！\n"
        "一年来，我们坚持把抓好党建作为最大的政绩，把服务群众作为工作的出发点和落脚点，取得了一定成效。\n",
        encoding="utf-8")
    findings = sorted(_run([reports], config), key=lambda f: f.line)
    assert [(f.rule, f.line) for f in findings] == [("copied-from-template", 2), ("copied-from-template", 3)]
    assert findings[0].message == "此段与模板《述职》第3行相同，未按本单位实际修改。"
    assert findings[1].message == "此段与模板《总结》第4行相同，未按本单位实际修改。"
    assert findings[1].related[0].path.endswith("总结.txt") and findings[1].related[0].line == 4


def test_a_template_placeholder_left_unfilled_is_reported_once(tmp_path):
    config = _templates(tmp_path)
    report = tmp_path / "总结.txt"
    report.write_text("2025年工作总结\n××镇今年共完成各项重点工作××项，全镇经济社会各项事业取得了长足进步，群众满意度显著提升。\n",
                      encoding="utf-8")
    linter = Linter(load(config))
    findings = linter.lint(Document(str(report), report.read_text(encoding="utf-8")), "总结.txt")
    assert any(f.category == "placeholder" for f in findings)
    assert not [f for f in findings if f.category == "copied"]


def test_a_report_written_for_its_unit_is_not_the_template(tmp_path):
    config = _templates(tmp_path)
    report = tmp_path / "述职报告.txt"
    report.write_text("2025年述职报告\n本人自任职以来，带领站所干部走访农户三百余户，解决群众反映的灌溉、道路问题十七个。\n",
                      encoding="utf-8")
    assert _run([report], config) == []


def test_a_missing_template_is_one_config_error(tmp_path):
    config = tmp_path / ".lint-reports.yaml"
    config.write_text("year: 2025\ntemplates: [没有这个文件夹/]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("2025年工作总结\n", encoding="utf-8")
    result = run_cli(str(tmp_path / "a.txt"), "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"lint-reports: error: {config}:2: templates: not found:")


@pytest.mark.parametrize("text, line, message", [
    ("copied: {min-chars: 0}\n", 1, "copied.min-chars must be a whole number of 1 or more"),
    ("year: 2025\ncopied:\n  max-reports: 1\n", 3, "copied.max-reports must be a whole number of 2 or more"),
    ("copied:\n  min-chars: 30\n  limit: 3\n", 3, "copied: unknown key 'limit' (allowed: min-chars, max-reports)"),
    ("compare: everything\n", 1, "'compare' must be 'run' (the files of the run) or 'repository'"),
])
def test_bad_copied_settings_are_one_line_naming_file_and_line(tmp_path, text, line, message):
    config = tmp_path / ".lint-reports.yaml"
    config.write_text(text, encoding="utf-8")
    (tmp_path / "a.txt").write_text("2025年工作总结\n", encoding="utf-8")
    result = run_cli(str(tmp_path / "a.txt"), "--config", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == f"lint-reports: error: {config}:{line}: {message}"


# --- the run: workers, cache, repository ----------------------------------------------------

def _spread(tmp_path, count=12):
    """Reports that share sentences in pairs, a formula they all share, and their own lines."""
    shared = ["第{0}个工业园区完成标准厂房建设，引进规模以上企业{0}家，新增就业岗位一千二百个以上。",
              "投资{0}千万元改造老旧小区供热管网，惠及居民三千余户，群众冬季取暖问题得到有效解决。"]
    for number in range(count):
        year = 2015 + number
        pair = number // 2
        lines = [f"{year}年工作总结", "现将有关情况汇报如下：",
                 shared[pair % 2].format(pair + 1),
                 f"本年度第{number}项特色工作顺利推进，相关经验做法得到上级部门肯定并在全市推广交流。"]
        (tmp_path / f"{year}年工作总结.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(tmp_path.glob("*.txt"))


def _keys(findings):
    return sorted((f.path, f.line, f.column, f.message, f.related) for f in findings)


def test_jobs_2_finds_what_jobs_1_finds(tmp_path):
    files = _spread(tmp_path)
    one = _run(files, jobs=1)
    assert one
    assert _keys(_run(files, jobs=2)) == _keys(one)


def test_with_the_cache_only_a_changed_file_is_read_again(tmp_path, monkeypatch):
    from lint_reports.core import runner
    from lint_reports.speed.result_cache import Cache

    (tmp_path / "reports").mkdir()
    files = _spread(tmp_path / "reports")
    linter = Linter(Config(), select=["copied"])
    directory = tmp_path / "cache"
    first = lint_paths(linter, [str(p) for p in files], Config(), jobs=1, cache=Cache.open(linter, directory)).findings
    assert first
    linted = []
    real = runner.process
    monkeypatch.setattr(runner, "process", lambda linter, job: linted.append((job.mode, job.target.display)) or real(linter, job))
    again = lint_paths(linter, [str(p) for p in files], Config(), jobs=1, cache=Cache.open(linter, directory)).findings
    assert linted == [] and _keys(again) == _keys(first)
    # one file now copies another's sentence: it alone is read for the index and linted
    changed = files[5]
    changed.write_text(changed.read_text(encoding="utf-8") + files[0].read_text(encoding="utf-8").splitlines()[2] + "\n",
                       encoding="utf-8")
    third = lint_paths(linter, [str(p) for p in files], Config(), jobs=1, cache=Cache.open(linter, directory)).findings
    relinted = {display for _, display in linted}
    assert str(changed) in relinted and str(files[0]) not in {d for m, d in linted if m == runner.PASSAGES}
    assert [f for f in third if f.path == str(changed) and f.line == 5]
    assert relinted <= {str(changed), str(files[0]), str(files[1])}  # those whose hits changed


def test_related_locations_survive_the_cache(tmp_path):
    from lint_reports.speed.result_cache import finding_from_json, finding_to_json

    report = _copy_of_2019(tmp_path)
    [finding] = [f for f in _run([tmp_path]) if f.path == str(report)][:1]
    assert finding.related
    assert finding_from_json(json.loads(json.dumps(finding_to_json(finding)))).related == finding.related


def test_a_passage_record_that_is_not_what_was_written_is_refused():
    good = passages.Record(2024, [("0" * 24, 3, 10, 50, 1, 41)])
    assert passages.Record.from_json(good.as_json()) == good
    for bad in ({"year": "2024", "sentences": []}, {"year": 2024, "sentences": [["x", 1, 1, 1, 1, 1]]},
                {"year": 2024, "sentences": [["0" * 24, -1, 1, 1, 1, 1]]}, {"year": 2024}, []):
        with pytest.raises(ValueError):
            passages.Record.from_json(bad)


@pytest.mark.slow
def test_compare_repository_under_pre_commit_sees_the_unstaged_reports(tmp_path):
    from test_precommit import PRE_COMMIT, _git, _pre_commit, hook_repo

    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed")
    source = tmp_path / "hook-src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__",
                                                                 ".pytest_cache", "build", "bench"))
    _git("init", "-q", cwd=source)
    _git("add", "-A", cwd=source)
    _git("commit", "-q", "-m", "snapshot", cwd=source)
    import subprocess

    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True).stdout.strip()
    repo = hook_repo(tmp_path, (source, rev), "lint-reports")
    (repo / ".lint-reports.yaml").write_text("compare: repository\nfiles:\n  include: ['*.txt']\n", encoding="utf-8")
    archive = repo / "归档"
    archive.mkdir()
    (archive / "hailaer_gov_2019.txt").write_text(HAILAER_2019, encoding="utf-8")
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "archive", cwd=repo)
    (repo / "2025年工作总结.txt").write_text("2025年工作总结\n" + PARAGRAPH_2019 + "\n", encoding="utf-8")
    _git("add", "2025年工作总结.txt", cwd=repo)
    result = _pre_commit(repo)  # only the staged file is passed to the hook
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2025年工作总结.txt:2:" in result.stdout and "copied-from-report" in result.stdout
    assert "hailaer_gov_2019" in result.stdout


# --- what makes the passage pass cheap must not change a sentence's normal form -----------

def _reference_normal(text: str) -> str:
    import unicodedata

    if "<U+" in text:
        text = passages._LITERAL_ESCAPE.sub(lambda m: " " if int(m.group(1), 16) > 0x10FFFF else chr(int(m.group(1), 16)), text)
    return unicodedata.normalize("NFKC", text).translate(passages._DROPPED)


@pytest.mark.slow
def test_no_dropped_character_composes_or_has_a_combining_class():
    """What lets normalise take punctuation out before NFKC (core/passages.py)."""
    import sys
    import unicodedata

    in_pairs = set()
    for code in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<") and len(decomposition.split()) == 2:
            in_pairs.update(int(part, 16) for part in decomposition.split())
    dropped = [code for code in range(sys.maxunicode + 1) if passages._DROPPED[code] is None]
    assert dropped and not in_pairs & set(dropped)
    assert not [code for code in dropped if unicodedata.combining(chr(code))]


def test_normalise_equals_nfkc_then_drop_on_every_sentence_of_the_corpora_and_on_tricky_text():
    import random

    texts = []
    for folder in (CORPUS, DATA / "corpus-web", ROOT / "tests" / "pages", ROOT / "seeds"):
        for path in sorted(folder.glob("*.txt")):
            doc = Document(path.name, path.read_text(encoding="utf-8", errors="replace"))
            texts += [doc.text[s.start:s.end] for s in passages.sentences(doc)]
    assert len(texts) > 10_000
    # combining marks after punctuation, Hangul jamo, full-width and compatibility forms,
    # enclosed ideographs, a literal escape: where taking punctuation out first could differ
    alphabet = "e\u0301\u0308\u0327，。、 \u3000a\u1100\u1161\u11a8가Ａ１２％．（）⑴㈠㍿丽﨑\u2f00\u00a8\u00b4;!?<U+00A0>《》“”\u200b\ufe50"
    rng = random.Random(19)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(20_000)]
    passages.normalise.cache_clear()
    assert [t for t in texts if passages.normalise(t) != _reference_normal(t)] == []


@pytest.mark.slow
def test_every_character_nfkc_turns_into_an_ideograph_is_one_the_template_check_looks_for():
    """copied-from-template skips a document lacking an ideograph of every pack passage
    only when nothing in it can become one under NFKC."""
    import re
    import sys
    import unicodedata

    from lint_reports.kinds.copied import _BECOMES_IDEOGRAPH

    ideograph = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
    missed = [hex(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF
              and (n := unicodedata.normalize("NFKC", chr(code))) != chr(code) and ideograph.search(n)
              and not _BECOMES_IDEOGRAPH.match(chr(code))]
    assert missed == []


@pytest.mark.parametrize("text", [
    "心得体会是一种总结和反思的过程，通过思考和经验的积累，能够帮助我们更好地理解和应对生活中的各种问题。",
    # a Kangxi radical (U+2F3C ⼼) that NFKC makes 心: the quick look must not skip it
    "\u2f3c得体会是一种总结和反思的过程，通过思考和经验的积累，能够帮助我们更好地理解和应对生活中的各种问题。",
    "<U+5FC3>得体会是一种总结和反思的过程，通过思考和经验的积累，能够帮助我们更好地理解和应对生活中的各种问题。",
])
def test_a_pack_passage_is_found_behind_compatibility_characters_and_escapes(text):
    linter = Linter(Config(), select=["copied-from-template"])
    assert [f.rule for f in linter.lint(Document("r.txt", "总结\n" + text + "\n"), "r.txt")] == ["copied-from-template"]


def test_the_lint_reuses_the_record_the_passage_pass_built(tmp_path, monkeypatch):
    """One reading of a file's sentences per run: the pass's, handed to its lint."""
    templates = tmp_path / "模板"
    templates.mkdir()
    (templates / "范文.txt").write_text(PARAGRAPH_2019 + "\n", encoding="utf-8")
    (tmp_path / ".lint-reports.yaml").write_text("templates: [模板/]\n", encoding="utf-8")
    (tmp_path / "reports").mkdir()
    report = _copy_of_2019(tmp_path / "reports")
    built = []
    real = passages.record_of
    monkeypatch.setattr(passages, "record_of", lambda doc, *a, **k: built.append(doc.path) or real(doc, *a, **k))
    findings = _run([tmp_path / "reports"], tmp_path / ".lint-reports.yaml")
    assert {f.rule for f in findings if f.path == str(report)} == {"copied-from-report", "copied-from-template"}
    assert sorted(p for p in built if "模板" not in p) == sorted({str(report), str(tmp_path / "reports" / "hailaer_gov_2019.txt")})


def test_a_record_of_other_bytes_is_not_used_by_the_lint(tmp_path):
    """The file changed between the passage pass and its lint: its own sentences are read."""
    from lint_reports.core import runner
    from lint_reports.io.walk import collect

    report = _copy_of_2019(tmp_path)
    linter = Linter(Config(), select=["copied"])
    [target] = [t for t in collect([str(report)], Config())[0]]
    pack_sentence = "心得体会是一种总结和反思的过程通过思考和经验的积累能够帮助我们更好地理解和应对生活中的各种问题"
    stale = passages.Record(None, [(passages.digest(pack_sentence), 1, 0, 6, 1, 7)])  # what the file no longer says
    for content, expected in ((b"other bytes", []), (report.read_bytes(), ["copied-from-template"])):
        job = runner.Job(target, copied_record=(runner.content_id(content), stale))
        result = runner.process(linter, job)
        assert result.linted and not result.errors
        assert [f.rule for f in result.findings if f.rule == "copied-from-template"] == expected


@pytest.mark.parametrize("with_cache", [False, True])
def test_fix_keeps_the_copied_sentences_of_the_fixed_file(tmp_path, with_cache):
    """--fix lints the fixed text again: the lines it removed move the copied sentence up,
    and the finding (with the other report's line) is still reported, and cached as such."""
    from conftest import cli_json

    (tmp_path / "hailaer_gov_2019.txt").write_text(HAILAER_2019, encoding="utf-8")
    report = tmp_path / "2025年工作总结.txt"
    report.write_text("2025年工作总结\n返回顶部\n打印本页 关闭窗口\n" + PARAGRAPH_2019 + "\n", encoding="utf-8")
    cache = [] if with_cache else ["--no-cache"]
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    before = [f for f in cli_json(*cache, str(tmp_path), env=env) if f["path"].endswith("2025年工作总结.txt")]
    assert {f["line"] for f in before if f["rule"] == "copied-from-report"} == {4}
    fixed = [f for f in cli_json(*cache, "--fix", str(tmp_path), env=env) if f["path"].endswith("2025年工作总结.txt")]
    assert report.read_text(encoding="utf-8").splitlines()[1] == PARAGRAPH_2019  # the widget lines are gone
    copies = [f for f in fixed if f["rule"] == "copied-from-report"]
    assert copies and {f["line"] for f in copies} == {2}
    assert all("hailaer_gov_2019" in f["message"] for f in copies)
    again = [f for f in cli_json(*cache, str(tmp_path), env=env) if f["path"].endswith("2025年工作总结.txt")]
    assert again == fixed


def test_a_repeat_between_pieces_of_a_compilation_points_to_the_line_of_this_file():
    """The pieces' index names a piece `title#line`, which is no file: the related location
    is the compilation itself (an editor, SARIF and the HTML report can go there), and its
    message names the piece."""
    sentence = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决。\n"
    text = f"2023年工作总结汇编\n篇一：2022年工作总结\n{sentence}篇二：2023年工作总结\n{sentence}"
    findings = Linter(Config(), select=["copied"]).lint(Document("汇编.txt", text), "汇编.txt")
    assert sorted((f.line, f.related[0].path, f.related[0].line) for f in findings) == \
        [(3, "汇编.txt", 5), (5, "汇编.txt", 3)]
    for finding in findings:
        assert finding.related[0].message.startswith("《") and "》中相同的句子" in finding.related[0].message


STDIN_SENTENCE = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决，村容村貌明显改善。"


def test_standard_input_takes_part_in_the_passage_index(tmp_path):
    """`lint-reports - 2024.txt`: the piped 2025 summary is compared with the files of the run
    like a file, and they with it."""
    from conftest import cli_json

    (tmp_path / "2024年工作总结.txt").write_text(f"2024年工作总结\n\n{STDIN_SENTENCE}\n", encoding="utf-8")
    piped = f"2025年工作总结\n{STDIN_SENTENCE}\n"
    findings = [f for f in cli_json("-", "2024年工作总结.txt", cwd=tmp_path, input=piped)
                if f["rule"] == "copied-from-report"]
    assert [(f["path"], f["line"], f["message"]) for f in findings] == [
        ("<stdin>", 2, "与《2024年工作总结》第3行完全相同：去年的文字原样照搬？")]
    assert findings[0]["related"] == [{"path": "2024年工作总结.txt", "line": 3, "column": 1,
                                       "message": "相同的句子（2024年）"}]
    # an undated piped text and a dated file: both are told (the year of the text is unknown)
    findings = [f for f in cli_json("-", "2024年工作总结.txt", cwd=tmp_path, input=f"工作汇报\n{STDIN_SENTENCE}\n")
                if f["rule"] == "copied-from-report"]
    assert sorted(f["path"] for f in findings) == ["2024年工作总结.txt", "<stdin>"]


def test_an_editors_buffer_on_stdin_is_compared_with_the_repository_not_with_its_saved_self(tmp_path):
    """compare: repository with --stdin-filename: the buffer stands for that file; the saved
    file is not a second report carrying the same sentences."""
    from conftest import cli_json

    (tmp_path / ".lint-reports.yaml").write_text("compare: repository\n", encoding="utf-8")
    (tmp_path / "2024年工作总结.txt").write_text(f"2024年工作总结\n\n{STDIN_SENTENCE}\n", encoding="utf-8")
    other = "各村集体经济收入全部超过十万元，新建村级光伏电站六座，带动脱贫户稳定增收的长效机制初步形成。"
    saved = f"2025年工作总结\n{STDIN_SENTENCE}\n{other}\n"
    (tmp_path / "2025年工作总结.txt").write_text(saved, encoding="utf-8")
    findings = [f for f in cli_json("--stdin-filename", "2025年工作总结.txt", "-", cwd=tmp_path, input=saved)
                if f["rule"] == "copied-from-report"]
    assert [(f["path"], f["line"], len(f["related"])) for f in findings] == [("2025年工作总结.txt", 2, 1)]
    assert findings[0]["related"][0]["path"] == str(tmp_path / "2024年工作总结.txt")  # (found by the walk)


def test_on_both_corpora_every_finding_is_a_repeat_of_the_same_years_report_from_another_site():
    """docs/copied.md, precision: tests/data/corpus and corpus-web in one run. Every finding
    lies between tmx_gov_Y and ljt_gov_Y (the same 政府工作报告 scraped from two sites), and its
    flagged sentences are, normalised, sentences of the named line of the other file;
    reports of different years (海拉尔区, the 31 provinces of 2026) have none."""
    from lint_reports.io.load import load_document

    files = sorted(CORPUS.glob("*.txt")) + sorted((DATA / "corpus-web").glob("*.txt"))
    findings = _run(files)
    pairs = {}
    docs = {}

    def doc(path):
        if path not in docs:
            docs[path] = load_document(path, open(path, "rb").read())
        return docs[path]

    for finding in findings:
        other = finding.related[0]
        names = tuple(sorted(p.rsplit("/", 1)[-1] for p in (finding.path, other.path)))
        pairs[names] = pairs.get(names, 0) + 1
        here, there = doc(finding.path), doc(other.path)
        flagged = [s.normal for s in passages.sentences(here, finding.line, finding.line)
                   if s.start >= here.line_starts[finding.line - 1] + finding.column - 1
                   and s.end <= here.line_starts[finding.line - 1] + finding.end_column - 1
                   and passages.weight(s.normal) >= 30]
        assert set(flagged) & {s.normal for s in passages.sentences(there, other.line, other.line)}, finding
    assert pairs == {("ljt_gov_2008.txt", "tmx_gov_2008.txt"): 117, ("ljt_gov_2014.txt", "tmx_gov_2014.txt"): 184,
                     ("ljt_gov_2017.txt", "tmx_gov_2017.txt"): 316}


def test_the_sentence_record_is_dropped_once_the_copied_rules_have_run():
    # memory: the record of a big file's sentences is not kept while the rules after the
    # copied kind run, nor the structure and era mentions once every rule has
    from lint_reports.config.settings import Config
    from lint_reports.core import passages
    from lint_reports.core.document import Document
    from lint_reports.core.engine import Linter

    linter = Linter(Config())
    seen = {}
    check_rule = linter.check_rule

    def watching(ctx, rule):
        found = list(check_rule(ctx, rule))
        seen[rule.id] = ctx.doc.copied_record is not None
        return found

    linter.check_rule = watching
    text = "一、工作回顾\n" + "今年我们认真贯彻落实各项决策部署，全面完成了年初确定的目标任务和重点工作。\n" * 3
    doc = Document("r.txt", text)
    doc.copied_record = passages.Record(2024, [])  # as the runner hands it over from the passage pass
    linter.lint(doc, "r.txt")
    order = [rule.id for rule, _ in linter.settings_for("r.txt").rules if rule.id in seen]
    last_copied = max(i for i, rule_id in enumerate(order) if rule_id.startswith("copied-"))
    assert all(seen[rule_id] for rule_id in order[:last_copied + 1])  # the copied rules (and those before) had it
    assert order[last_copied + 1:] and not any(seen[rule_id] for rule_id in order[last_copied + 1:])
    assert doc.copied_record is None and "structure" not in vars(doc) and doc.era_scans == {}
