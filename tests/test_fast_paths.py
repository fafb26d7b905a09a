"""The fast paths (literal prefilter, pack cache) must find exactly what the plain paths find."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, SEEDS
from lint_reports.io.load import load_document
from lint_reports.speed import prefilter
from lint_reports.config.settings import Config
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter
from lint_reports.kinds import pattern


def _findings(linter, doc_path, data, *, fast: bool, monkeypatch):
    monkeypatch.setattr(pattern, "USE_PREFILTER", fast)
    doc = load_document(str(doc_path), data)
    return [(f.line, f.column, f.end_column, f.rule, f.message, f.fix) for f in linter.lint(doc, str(doc_path))]


EDGE_CASES = (
    "正文第一行。\n\n   \n文章来源：某某网\n",  # blank lines before a line-start pattern
    "2024-11-25\n下载文档一键复制全文\n",  # a date on the line before the artifact
    "（来源：\n某某网）\n",  # a parenthesis left open at the line end
    "**县20**年工作总结\r\n\r\n一、x x 镇\r\n",  # CRLF, stars, spaced letters
    "",
    "没有换行的最后一行**",
)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[:4],
                         ids=lambda p: p.name)
def test_prefilter_finds_what_line_by_line_search_finds(path, monkeypatch):
    linter = Linter(Config())
    data = path.read_bytes()
    fast = _findings(linter, path, data, fast=True, monkeypatch=monkeypatch)
    plain = _findings(linter, path, data, fast=False, monkeypatch=monkeypatch)
    assert fast == plain
    if path.parent == SEEDS:
        assert fast, "every seed has defects"


@pytest.mark.parametrize("text", EDGE_CASES)
def test_prefilter_on_edge_cases(text, monkeypatch):
    linter = Linter(Config())
    data = text.encode("utf-8")
    assert _findings(linter, "edge.md", data, fast=True, monkeypatch=monkeypatch) == \
        _findings(linter, "edge.md", data, fast=False, monkeypatch=monkeypatch)


# Text built from what the pattern rules look for (their factors and the pieces of their
# failing examples) and what sits around it: line ends, spaces, digits, brackets, CJK.
ALL_RULES = Linter(Config(), select=["all"])  # every rule of every built-in pack, enabled or not


def _fragments() -> list:
    pieces = {"\n", "\r\n", "\n\n", " ", "\u3000", "\xa0", "\t", "年", "月", "20", "2024", "19",
              "。", "，", "：", ":", "（", "）", "(", ")", "【", "】", "[", "]", "-", "—", "#", "*"}
    for rule in ALL_RULES.rules:
        if rule.kind != "pattern":
            continue
        for _, factors in rule.state.plans:
            pieces |= set(factors or ())
        for bad in (rule.examples or {}).get("bad", []):
            pieces.add(bad)
            pieces |= {bad[i:i + 3] for i in range(0, len(bad), 3)}
    return sorted(pieces)


FRAGMENTS = _fragments()
prefilter_texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                                     st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
                                             max_size=4)), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=prefilter_texts, path=st.sampled_from(["r.txt", "r.md"]))
def test_prefilter_never_changes_findings(text, path):
    data = text.encode("utf-8")
    found = {}
    for fast in (True, False):
        pattern.USE_PREFILTER = fast
        try:
            doc = load_document(path, data)
            found[fast] = [(f.line, f.column, f.end_column, f.rule, f.message, f.fix)
                           for f in ALL_RULES.lint(doc, path)]
        finally:
            pattern.USE_PREFILTER = True
    assert found[True] == found[False]


def test_the_fragments_reach_the_pattern_rules():
    """The generated text is made of what the rules flag, so the property above compares
    findings, not two empty lists."""
    text = "".join(FRAGMENTS)
    rules = {f.rule for f in ALL_RULES.lint(Document("r.txt", text), "r.txt")}
    pattern_rules = {r.id for r in ALL_RULES.rules if r.kind == "pattern"}
    assert len(rules & pattern_rules) >= len(pattern_rules) // 2, sorted(pattern_rules - rules)


def test_matches_stay_on_their_line():
    from conftest import lint_text

    findings = [f for f in lint_text("正文第一行。\n\n   \n文章来源：某某网\n") if f.rule == "artifact-source"]
    assert [(f.line, f.column) for f in findings] == [(4, 1)]
    assert "\n" not in findings[0].message


@pytest.mark.parametrize("source, single_line, factors", [
    (r"[*＊]{2,}", True, {"*", "＊"}),
    (r"下载文档|一键复制", True, {"下载文档", "一键复制"}),
    (r"^\s*文章来源", False, {"文章来源"}),  # \s may match a newline
    (r"[^。]{2}报告", False, {"报告"}),  # so may a negated class
    (r"x(?=年)", True, {"x"}),
    (r"(?i)abc", True, None),  # case-insensitive: no literal factors
    (r"\d+", True, None),
    (r"a\Z", False, {"a"}),
    (r"(a)\1", False, None),  # back-references are not modelled
])
def test_analyse(source, single_line, factors):
    got_single, got_factors = prefilter.analyse(re.compile(source, re.MULTILINE))
    assert got_single == single_line
    assert (set(got_factors) if got_factors else None) == factors


@pytest.mark.parametrize("source, bound", [
    (r"^\s*文章来源\s*[:：]?.*$", r"^[^\S\n]*文章来源[^\S\n]*[:：]?.*$"),
    (r"[^。]{2}报告", r"[^。\n]{2}报告"),
    (r"\W报告\D", r"[^\w\n]报告[^\d\n]"),
    (r"[^\s，]x", None),  # [^\s…] already keeps off the newline: searched as it is
    (r"(?<![\u4e00-\u9fff])网\s", r"(?<![\u4e00-\u9fff])网[^\S\n]"),
    (r"x(?=\s*年)", r"x(?=[^\S\n]*年)"),
    (r"(?<=\s)来源", None),  # a lookbehind sees the line before: not rewritten
    (r"[\W，]来源", None),  # no class can hold “\W but a newline”
    (r"来源\n", None), (r"来源\Z", None), (r"(?s)来.源", None), (r"(?x) 来 \s 源", None),
    (r"来源", None),  # already single-line: nothing to do
])
def test_line_bound(source, bound):
    original = re.compile(source, re.MULTILINE)
    searched, (single_line, _) = prefilter.search_plan(original)
    got = searched if searched is not original else None
    assert single_line == (got is not None or prefilter.analyse(original)[0])
    assert (got.pattern if got is not None else None) == bound


def test_white_space_but_the_newline_is_what_str_isspace_says():
    members = re.compile(f"[{prefilter.SPACE_BUT_NEWLINE}]")
    assert [chr(c) for c in range(0x110000) if bool(members.match(chr(c))) != (chr(c).isspace() and c != 10)] == []


def test_line_bound_spells_out_white_space_inside_a_class():
    got, _ = prefilter.search_plan(re.compile(r"[\s，]来源", re.MULTILINE))
    assert got.pattern == f"[{prefilter.SPACE_BUT_NEWLINE}，]来源"
    assert got.match("\u3000来源") and got.match("\t来源") and not got.match("\n来源")


_BOUND_SOURCES = (r"^\s*来源\s*[:：]?.*$", r"[（(]\s*来源[^)）]{0,6}[)）]", r"\W来\D", r"来\s+源", r"x(?!\s*y)",
                  r"(?<=[ab])\s*源", r"[\s，]源", r"(?P<flag>来)\s*(?=源)")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="来源(（)）:：x y ab，\n\t\u3000", max_size=24))
def test_the_line_bound_regex_finds_over_the_whole_text_what_the_original_finds_line_by_line(text):
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    ends = [start + len(line) for start, line in zip(starts, text.split("\n"))]
    for source in _BOUND_SOURCES:
        original = re.compile(source, re.MULTILINE)
        bound, (single_line, _) = prefilter.search_plan(original)
        assert bound is not original and single_line, source
        by_line = [(m.span(), m.groups()) for start, end in zip(starts, ends) for m in original.finditer(text, start, end)
                   if m.start() != m.end()]
        whole = [(m.span(), m.groups()) for m in bound.finditer(text) if m.start() != m.end()]
        assert whole == by_line, source


def test_scan_finds_every_line_holding_a_factor():
    text = "甲乙下载文档\n无关\n一键复制\n下载\n文档下载文档"
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    scan = prefilter.Scan(text, starts)
    assert scan.candidate_lines({"下载文档"}) == [0, 4]
    assert scan.candidate_lines({"下载文档", "一键复制"}) == [0, 2, 4]
    assert scan.windows([0, 2, 4]) == [(0, 7), (10, 15), (18, len(text))]


# --- the pack cache --------------------------------------------------------------------

from lint_reports.speed import packcache, regexfacts  # noqa: E402
from lint_reports.config import yamlutil
from lint_reports.config.packs import builtin_pack_files, load_builtin_packs  # noqa: E402


def _seed_findings(linter):
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = load_document(path.name, path.read_bytes())
        found += [(f.path, f.line, f.column, f.rule, f.severity, f.message, f.fix) for f in linter.lint(doc, path.name)]
    return found


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("LINT_REPORTS_PACK_CACHE", raising=False)
    from lint_reports.config import packs

    packs._parse_builtin.cache_clear()  # a process parses the built-in packs once: start afresh
    yield tmp_path / "lint-reports"
    packs._parse_builtin.cache_clear()


def _cache_files(cache_home):
    return sorted(cache_home.glob(f"{packcache.PREFIX}*.json"))


def _fresh_linter():
    from lint_reports.config import packs

    packs._parse_builtin.cache_clear()  # as a new process would
    return Linter(Config())


def test_cached_packs_give_the_same_findings(cache_home, monkeypatch):
    monkeypatch.setenv("LINT_REPORTS_PACK_CACHE", "0")
    plain = _fresh_linter()
    assert not _cache_files(cache_home)
    monkeypatch.delenv("LINT_REPORTS_PACK_CACHE")
    first = _fresh_linter()  # a miss: parses and keeps each pack
    assert len(_cache_files(cache_home)) == len(builtin_pack_files())
    second = _fresh_linter()  # a hit
    assert [r.id for r in second.rules] == [r.id for r in plain.rules]
    assert second.rules[0] is not first.rules[0]  # really read back, not shared
    assert _seed_findings(plain) == _seed_findings(first) == _seed_findings(second)
    assert _seed_findings(plain), "the seeds have findings"


def _same_tree(a, b) -> bool:
    """Equal values, equal types (1 is not 1.0 nor True) and the same line numbers."""
    if type(a) is not type(b):
        return False
    if isinstance(a, yamlutil.LineDict):
        return (a.line == b.line and a.key_lines == b.key_lines and list(a) == list(b)
                and all(type(k) is type(j) for k, j in zip(a, b))
                and all(_same_tree(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_tree(x, y) for x, y in zip(a, b))
    return a == b


def test_a_kept_pack_is_exactly_the_parsed_yaml_with_its_lines(cache_home):
    for entry in builtin_pack_files():
        text = entry.read_text(encoding="utf-8")
        parsed = yamlutil.load(text)
        packcache.parse_and_keep(text)
        kept = packcache.kept_document(text)
        assert kept is not None and _same_tree(kept, parsed), entry.name


@pytest.mark.parametrize("text", [
    "a: 1\nb: 1.0\nc: true\nd: null\ne: '1'\n1: x\nfalse: y\nf: [1, [2, {g: h}]]\n",
    "x: -0.0\ny: 12345678901234567890\nz: 'ü\U0001F600'\n",
    "<<: {a: 1}\nb: 2\n",  # a merge key is flattened by the loader
])
def test_scalars_keep_their_types(cache_home, text):
    parsed = yamlutil.load(text)
    packcache.parse_and_keep(text)
    assert _same_tree(packcache.kept_document(text), parsed)


@pytest.mark.parametrize("text", ["when: 2024-01-01\n", "b: !!binary aGk=\n", "s: !!set {a, b}\n",
                                  "f: .inf\n", "n: .nan\n"])
def test_a_document_json_cannot_hold_exactly_is_not_kept(cache_home, text):
    packcache.parse_and_keep(text)
    assert packcache.kept_document(text) is None and not _cache_files(cache_home)


def test_a_changed_pack_is_never_served_from_the_cache(cache_home, tmp_path):
    pack = tmp_path / "mine.yaml"
    rule = """pack: mine
rules:
  - id: my-word
    category: artifact
    severity: warning
    kind: pattern
    words: [{word}]
    message: 删除“{{match}}”。
    examples: {{bad: ["{word}"], good: ["正文"]}}
"""
    pack.write_text(rule.format(word="广告语"), encoding="utf-8")
    config = Config(packs=[pack])
    assert [f.rule for f in lint_text_with(config, "这是广告语。")] == ["my-word"]
    pack.write_text(rule.format(word="宣传语"), encoding="utf-8")
    assert lint_text_with(config, "这是广告语。") == []
    assert [f.rule for f in lint_text_with(config, "这是宣传语。")] == ["my-word"]


def lint_text_with(config, text):
    linter = Linter(config)
    return [f for f in linter.lint(Document("a.txt", text), "a.txt") if f.rule == "my-word"]


def test_a_corrupt_cache_file_is_a_miss_and_is_rewritten(cache_home):
    _fresh_linter()
    path = _cache_files(cache_home)[0]
    good = path.read_bytes()
    path.write_bytes(b"\x80\x05garbage")
    linter = _fresh_linter()
    assert _seed_findings(linter)
    assert path.read_bytes() == good
    path.write_bytes(good[:100])  # truncated
    assert [r.id for r in _fresh_linter().rules] == [r.id for r in linter.rules]


def test_an_unwritable_cache_directory_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _fresh_linter().rules


def test_pack_errors_are_reported_the_same_with_the_cache(cache_home, tmp_path):
    from lint_reports.config.packs import PackError

    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: Bad_Id\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PackError, match="kebab-case"):
            Linter(Config(packs=[bad]))
    from lint_reports.config.settings import ConfigError

    with pytest.raises(ConfigError, match="not found"):
        Linter(Config(packs=[tmp_path / "missing.yaml"]))


def test_the_key_covers_the_text_the_version_the_sources_and_the_parser(tmp_path, monkeypatch):
    import lint_reports

    text = "pack: x\nrules: []\n"
    before = packcache.text_key(text)
    assert packcache.text_key(text + "# edited\n") != before
    monkeypatch.setattr(packcache, "__version__", "99.0")
    assert packcache.text_key(text) != before
    monkeypatch.undo()
    code = _copy_tree(Path(lint_reports.__file__).parent, tmp_path / "lint_reports")
    monkeypatch.setattr(packcache, "__file__", str(code / "speed" / "packcache.py"))
    packcache.clear_process_caches()
    try:
        assert packcache.text_key(text) == before  # same sources, same key
        kind = code / "kinds" / "pattern.py"
        kind.write_text(kind.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        packcache.clear_process_caches()  # a process hashes its sources once: a new run sees the edit
        assert packcache.text_key(text) != before
        monkeypatch.undo()
        packcache.clear_process_caches()
        monkeypatch.setattr(packcache, "_parser_identity", lambda: "another PyYAML")
        assert packcache.text_key(text) != before
    finally:
        monkeypatch.undo()
        packcache.clear_process_caches()  # later tests hash the real sources again
        regexfacts.forget()  # (and key the regex facts on them)


def _copy_tree(source, target):
    import shutil

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_config_changes_apply_on_a_warm_cache(cache_home, tmp_path):
    """The cache holds parsed packs only: severities, selections and ignores from the
    config are applied on every run; dropping the default packs drops their rules."""
    _fresh_linter()  # warm
    text = "20**年工作总结\n"
    plain = [(f.rule, f.severity) for f in _fresh_linter().lint(Document("a.txt", text), "a.txt")]
    assert [severity for rule, severity in plain if rule == "placeholder-stars"] == ["error"]
    changed = Config(severity={"placeholder-stars": "info"})
    found = [(f.rule, f.severity) for f in Linter(changed).lint(Document("a.txt", text), "a.txt")]
    assert ("placeholder-stars", "info") in found
    ignored = Linter(Config(ignore=["placeholder-stars"])).lint(Document("a.txt", text), "a.txt")
    assert "placeholder-stars" not in {f.rule for f in ignored}
    assert Linter(Config(use_default_packs=False)).rules == []


def test_a_foreign_entry_under_our_file_name_is_a_miss(cache_home):
    import json

    _fresh_linter()
    for path in _cache_files(cache_home):
        path.write_text(json.dumps({"key": "another key", "tree": {"m": 1, "k": []}}), encoding="utf-8")
    assert [r.id for r in _fresh_linter().rules] == [r.id for r in Linter(Config(), packs=load_builtin_packs()).rules]


def test_a_kept_document_that_is_no_valid_pack_is_parsed_again(cache_home):
    """Under the right key but not a pack (damaged, or planted): the pack's own text is
    parsed, and only its own errors could be reported."""
    import json

    expected = _seed_findings(_fresh_linter())
    for path in _cache_files(cache_home):
        record = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({"key": record["key"], "tree": [1, 2]}), encoding="utf-8")
    assert _seed_findings(_fresh_linter()) == expected
    assert all(json.loads(p.read_text(encoding="utf-8"))["tree"] != [1, 2] for p in _cache_files(cache_home))


def test_a_directory_in_place_of_the_cache_file_is_no_error(cache_home):
    text = builtin_pack_files()[0].read_text(encoding="utf-8")
    (cache_home / f"{packcache.PREFIX}{packcache.text_key(text)[:32]}.json").mkdir(parents=True)
    assert _seed_findings(_fresh_linter()) == _seed_findings(Linter(Config(), packs=load_builtin_packs()))


def test_a_failing_write_is_no_error(cache_home, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert _fresh_linter().rules
    assert not _cache_files(cache_home)


def test_the_cache_can_be_turned_off(cache_home, monkeypatch):
    monkeypatch.setenv("LINT_REPORTS_PACK_CACHE", "0")
    assert _fresh_linter().rules
    assert not cache_home.exists()


def test_the_prune_keeps_the_newest_and_removes_only_its_own_files(cache_home, monkeypatch):
    import os

    monkeypatch.setattr(packcache, "KEEP", 3)
    cache_home.mkdir(parents=True)
    mine = [cache_home / f"{packcache.PREFIX}{index:032x}.json" for index in range(5)]
    former = cache_home / ("prepared-packs-" + "a" * 32 + ".pickle")
    others = [cache_home / "notes.txt", cache_home / f"{packcache.PREFIX}short.json",
              cache_home / "jieba-words-0123456789abcdef.sqlite"]
    for age, path in enumerate(reversed(mine + [former] + others)):
        path.write_text("x", encoding="utf-8")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    link = cache_home / f"{packcache.PREFIX}{'f' * 32}.json"
    link.symlink_to(cache_home.parent)
    packcache._prune(cache_home)
    assert [p.exists() for p in mine] == [True, True, True, False, False]
    assert not former.exists()
    assert all(p.exists() for p in others) and link.is_symlink()


def test_the_cli_runs_the_same_with_a_broken_cache_home(tmp_path):
    from conftest import run_cli

    seed = sorted(SEEDS.glob("*.txt"))[0]
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    good = run_cli("--format", "json", str(seed), env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    warm = run_cli("--format", "json", str(seed), env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    broken = run_cli("--format", "json", str(seed), env={"XDG_CACHE_HOME": str(blocker)})
    assert good.returncode == warm.returncode == broken.returncode == 1, broken.stderr
    assert good.stdout == warm.stdout == broken.stdout
    assert broken.stderr == ""


# --- structure look-ups by bisection -----------------------------------------------------

@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[:4],
                         ids=lambda p: p.name)
def test_parts_and_headings_found_by_bisection_are_those_of_a_full_pass(path):
    doc = load_document(str(path), path.read_bytes() * 3)  # several pieces for a compilation
    structure = doc.structure
    for part in structure.parts:
        assert structure.headings_in(part) == [h for h in structure.headings
                                               if part.start_line <= h.line <= part.end_line]
    for line in range(1, len(doc.lines) + 1):
        expected = next((p for p in structure.parts if p.start_line <= line <= p.end_line), structure.parts[-1])
        assert structure.part_of(line) is expected


@pytest.mark.parametrize("text", ["狜狜", "好好", "研究研究", "认认真真x", "的的"])
def test_a_doubling_at_the_very_end_of_a_text_is_no_crash(text):
    """Found by the fuzz test after the merge: the AABB look-ahead read past the end."""
    linter = Linter(Config(), select=["all"])
    linter.lint(Document("r.txt", text), "r.txt")
    warnings, errors = linter.guard.take()
    assert not errors and not warnings


# --- sections: the body searched in runs of lines ----------------------------------------

def _inline_in_the_whole_body(known, lines) -> set:
    """What Evidence._named_inline answers, computed the plain way: the whole normalised
    body joined into one text (what it did before it went run by run)."""
    from lint_reports.kinds.sections import (_COURTESY, _SENTENCE_END, _weak_then_support,
                                             _without_courtesy, normalise)

    text = "\n".join(normalise(line) for line in lines)
    if _COURTESY.search(text):
        text = "\n".join(_without_courtesy(normalise(line)) for line in lines)
    found = {part.id for part in known
             if any(m in text for m in part.markers) or any(p.search(text) for p in part.patterns)}
    weak = [part for part in known if part.id not in found and part.weak_markers]
    for sentence in _SENTENCE_END.split(text[len(text) // 2:]):
        found.update(part.id for part in weak if _weak_then_support(sentence, part))
    return found


def _inline_by_runs(known, lines, size) -> set:
    from lint_reports.kinds import sections

    doc = Document("r.txt", "\n".join(lines))
    body = range(1, len(lines) + 1)
    return sections.Evidence._named_inline(known, lambda skip=0: sections._normalised_runs(doc, body, skip, size))


def _all_parts(extra_patterns=()):
    import dataclasses

    from lint_reports.kinds.sections.catalog import build_catalog
    from lint_reports.config.packs import load_builtin_packs, merge_data

    parts = list(build_catalog(merge_data(load_builtin_packs())).parts.values())
    # patterns a user's `sections:` may add: one that spans lines, one anchored at the text's start
    return parts + [dataclasses.replace(parts[0], id=f"extra{i}", markers=(), patterns=(re.compile(p),))
                    for i, p in enumerate(extra_patterns)]


_EXTRA = (r"问题\n一是", r"^社区", r"(?<=\n)下一步", r"打算$")
_BODY_LINES = ("一、主要工作", "今年以来，我们完成了老旧小区改造2个。", "二、存在的问题", "还存在阵地偏小等问题。",
               "如有不足之处，敬请批评指正。", "下一步，我们将继续推进。", "社区", "问题", "一是活动阵地偏小，",
               "新的一年，我们将努力工作。", "", "  ", "到2025年，建成示范点3个。", "3月—5月，全面推进。",
               "在肯定成绩的同时，我们也清醒地认识到", "工作打算", "明年，", "仍有差距")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_BODY_LINES), max_size=14), st.integers(1, 4))
def test_the_body_searched_in_runs_shows_what_the_whole_body_shows(lines, size):
    known = _all_parts(_EXTRA)
    assert _inline_by_runs(known, lines, size) == _inline_in_the_whole_body(known, lines)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_a_real_body_searched_in_runs_shows_what_the_whole_body_shows(path):
    lines = load_document(str(path), path.read_bytes()).prose_lines
    known = _all_parts(_EXTRA)
    expected = _inline_in_the_whole_body(known, lines)
    for size in (1, 7, 2048):
        assert _inline_by_runs(known, lines, size) == expected


# --- Document.lines: cut from the text on demand -----------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n中", max_size=40), st.integers(1, 5))
def test_lines_behave_as_the_split_text(text, block):
    from lint_reports.core.document import Lines

    expected = text.split("\n")
    lines = Document("r.txt", text).lines
    old, Lines.BLOCK = Lines.BLOCK, block  # iteration splits a block at a time: tiny blocks
    try:
        assert list(lines) == expected
    finally:
        Lines.BLOCK = old
    assert len(lines) == len(expected) and lines == expected and lines[:] == expected
    for index in range(-len(expected), len(expected)):
        assert lines[index] == expected[index]
    for first in range(-3, len(expected) + 2):
        for stop in (None, first + 1, first + 3, -1):
            assert lines[first:stop] == expected[first:stop]
    assert lines[::2] == expected[::2]
    for first in range(-2, len(expected) + 2):
        for stop in (first, first + 2, len(expected), -1):
            Lines.BLOCK = block
            try:
                assert list(lines.between(first, stop)) == expected[first:stop]
            finally:
                Lines.BLOCK = old
    for outside in (len(expected), -len(expected) - 1):
        with pytest.raises(IndexError):
            lines[outside]


def test_markdown_prose_lines_are_the_masked_text_split():
    doc = Document("r.md", "正文\n```\ncode\n```\n<!-- 注释 -->\n末行")
    assert doc.prose_lines == doc.prose.split("\n") and doc.lines == doc.text.split("\n")
    assert doc.prose_lines != doc.lines
    plain = Document("r.txt", "a\nb")
    assert plain.prose_lines is plain.lines


def test_the_census_without_the_big_class_counts_the_same_characters():
    """A short text's census tests its characters in Python (no compile of the GB2312 class
    on a cold start): the same answer as the class for every code point."""
    from lint_reports.kinds import charset

    rare, census = charset._rare_characters(), charset._census_pattern()
    every = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    assert [c for c in every if bool(rare.match(c)) != charset._is_rare(c)] == []
    assert len(charset._gb2312()) == 7445  # GB2312: 6763 hanzi and 682 other characters
    assert [c for c in every if bool(census.match(c)) != (charset._is_rare(c) or c in charset._ALSO_COUNTED)] == []


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_a_short_and_a_long_census_agree(path, monkeypatch):
    from lint_reports.kinds import charset

    doc = load_document(str(path), path.read_bytes())
    monkeypatch.setattr(charset, "SMALL_TEXT", 0)
    by_class = charset._census(doc)
    charset._CENSUS.clear()
    monkeypatch.setattr(charset, "SMALL_TEXT", 10 ** 9)
    assert charset._census(doc) == by_class


_CONTINUATION_SAMPLE = "\u0080\u0099\u00a0\u00b8\u00bf\u0152\u2014\u20ac\u2122\u201c"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="\u00c2\u00c9\u00df\u00e0\u00e4\u00ef\u00f0a中 \n" + _CONTINUATION_SAMPLE, max_size=16))
def test_the_latin_mojibake_regex_matches_as_its_plain_form(text):
    """_LATIN_MOJIBAKE opens with one class (fast to skip through Chinese text); it must
    match exactly where the plain alternation of its docstring form matches."""
    from lint_reports.kinds import charset

    continuation = charset._CP1252_CONTINUATION
    plain = re.compile(f"(?:[\u00e0-\u00ef][{continuation}]{{2}}|[\u00c2-\u00df][{continuation}])+")
    assert [m.span() for m in charset._LATIN_MOJIBAKE.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("run, expected", [
    ("——", []), ("·X", []), ("學習", []), ("鍏氬", []),  # two characters: never enough bytes
    ("瀛︿範鍨", [(0, 3, "学习")]), ("鍏氬缓", [(0, 3, "党建")]), ("中文报告", []),
])
def test_gbk_mojibake_spans_of_short_and_long_runs(run, expected):
    """Runs under three characters are skipped (two GBK characters are at most four bytes,
    two UTF-8 characters need six), and a run's character boundaries are worked out only
    when its bytes hold UTF-8: what is found stays the same."""
    from lint_reports.kinds import charset

    assert list(charset.gbk_mojibake_spans(run)) == expected


# --- the shared factor scan, the kept regex facts, lazy compiling, fix hints ---------------

def _starts(text):
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _every_factor():
    factors = set()
    for rule in ALL_RULES.rules:
        if rule.kind == "pattern":
            for _, rule_factors in rule.state.plans:
                factors |= set(rule_factors or ())
    return frozenset(factors)


EVERY_FACTOR = _every_factor()


def _one_scan_and_one_find_per_factor_agree(text, factors):
    starts = _starts(text)
    alone = prefilter.Scan(text, starts)  # each factor on its own with str.find
    engine = prefilter.ENGINE
    try:
        for prefilter.ENGINE in {engine, None}:  # the compiled engine (if installed) and the trie regex
            shared = prefilter.Scan(text, starts, factors)  # one pass for all of them
            for factor in sorted(factors):
                assert shared.factor_lines(factor) == alone.factor_lines(factor), (factor, prefilter.ENGINE)
    finally:
        prefilter.ENGINE = engine


@pytest.mark.skipif(prefilter.ENGINE is None, reason="the fast extra (ahocorasick_rs) is not installed")
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[:4], ids=lambda p: p.name)
def test_the_compiled_engine_and_the_pure_python_scan_give_the_same_findings(path, monkeypatch):
    linter = Linter(Config())
    data = path.read_bytes()
    with_engine = _findings(linter, path, data, fast=True, monkeypatch=monkeypatch)
    monkeypatch.setattr(prefilter, "ENGINE", None)
    assert _findings(linter, path, data, fast=True, monkeypatch=monkeypatch) == with_engine


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_the_one_pass_scan_finds_the_lines_each_factor_alone_finds(path):
    _one_scan_and_one_find_per_factor_agree(Document.from_bytes(path.name, path.read_bytes()).text, EVERY_FACTOR)


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(["ab", "abc", "bcd", "cd", "d", "x", "\n", "一键", "一键复制", "复制全文", "全文"]),
                     max_size=30).map("".join))
def test_factors_inside_and_across_one_another_are_all_found(text):
    # factors that are prefixes of one another, overlap and nest: every start is visited
    _one_scan_and_one_find_per_factor_agree(text, frozenset({"ab", "abc", "bc", "bcd", "c", "cd", "d",
                                                             "一键", "一键复制", "复制全文", "全文", "复制"}))


def test_the_scan_takes_a_text_holding_a_lone_surrogate():
    # undecodable bytes are kept as lone surrogates; the compiled engine cannot encode them
    _one_scan_and_one_find_per_factor_agree("下载文档\udcff一键复制\n\udcff下载\n", EVERY_FACTOR)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=prefilter_texts)
def test_the_one_pass_scan_agrees_on_text_made_of_factors(text):
    _one_scan_and_one_find_per_factor_agree(text, EVERY_FACTOR)


def test_kept_regex_facts_are_what_the_prefilter_finds(cache_home):
    from lint_reports.speed import regexfacts

    regexfacts.forget()
    try:
        first = _fresh_linter()  # works the facts out and keeps them
        stores = sorted(cache_home.glob(f"{regexfacts.PREFIX}*.json"))
        assert len(stores) == 1
        regexfacts.forget()  # as a new process: read back from the file
        second = _fresh_linter()
        assert regexfacts._store.entries and not regexfacts._store.changed
        checked = 0
        for old, new in zip(first.rules, second.rules):
            if new.kind != "pattern":
                continue
            for index, regex in enumerate(new.state.regexes):
                searched, plan = prefilter.search_plan(regex)
                assert new.state.plans[index] == old.state.plans[index] == plan
                assert new.state.searched[index].pattern == searched.pattern
                assert new.state.searched[index].flags == searched.flags
                checked += 1
        assert checked > 50
        assert _seed_findings(first) == _seed_findings(second)
    finally:
        regexfacts.forget()


@pytest.mark.parametrize("content", [b"", b"not json", b'{"key": "x", "facts": {}}', b"[1, 2]",
                                     b'{"key": "K", "facts": {"8\\u0000a": [true, [""], null, null]}}',
                                     b'{"key": "K", "facts": {"8\\u0000a": [1, null, null, null]}}'])
def test_a_foreign_or_broken_facts_store_is_a_miss(cache_home, content):
    from lint_reports.speed import regexfacts

    regexfacts.forget()
    try:
        path = regexfacts._path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.replace(b'"K"', f'"{regexfacts._key()}"'.encode()))
        linter = _fresh_linter()  # worked out afresh, and the store rewritten
        assert regexfacts._store.entries
        assert _seed_findings(linter) == _seed_findings(Linter(Config()))
        regexfacts.forget()
        regexfacts._load()
        assert regexfacts._store.entries  # the rewritten store reads back
    finally:
        regexfacts.forget()


def test_a_bad_regex_in_a_users_pack_is_still_an_error_at_load(tmp_path):
    from lint_reports.config.packs import PackError, load_pack_file, prepare_rules

    pack = tmp_path / "p.yaml"
    pack.write_text("pack: p\nrules:\n  - id: bad-one\n    category: artifact\n    severity: warning\n"
                    "    kind: pattern\n    message: m\n    pattern: '(unclosed'\n", encoding="utf-8")
    with pytest.raises(PackError, match="bad regular expression"):
        prepare_rules([load_pack_file(pack)])


def test_a_clean_line_compiles_almost_no_pattern_regex():
    linter = Linter(Config())
    linter.lint(Document("one.txt", "本单位各项工作运行正常。\n"), "one.txt")
    regexes = [rule.state.regexes for rule in linter.rules if rule.kind == "pattern"]
    compiled = sum(1 for lazy in regexes for slot in lazy._compiled if slot is not None)
    assert sum(len(lazy) for lazy in regexes) > 50
    assert compiled <= 5


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[:6], ids=lambda p: p.name)
def test_is_fixable_is_what_fixable_edits_keeps_of_one_finding(path):
    from lint_reports.core.fix import fixable_edits, is_fixable

    linter = Linter(Config())
    doc = Document.from_bytes(path.name, path.read_bytes())
    findings = linter.lint(doc, path.name)
    assert any(f.fix is not None for f in findings) or path.parent != SEEDS
    for finding in findings:
        assert is_fixable(doc, finding) == bool(fixable_edits(doc, [finding])), finding


@pytest.mark.skipif(prefilter.ENGINE is None, reason="the fast extra (ahocorasick_rs) is not installed")
@pytest.mark.parametrize("piece", [1, 5, 40, 1 << 18])
def test_the_engine_given_the_text_in_pieces_finds_every_line(piece, monkeypatch):
    # the compiled engine sees a piece of the text at a time (bounded memory on a big file):
    # whatever the piece size, a factor across a piece's edge, or a line longer than a piece, is found
    monkeypatch.setattr(prefilter, "ENGINE_PIECE", piece)
    text = "一键复制\n全文ab\n\nabc复制全文一键复制" + "x" * 60 + "cd\n" + "一键\n" * 30 + "bcd"
    _one_scan_and_one_find_per_factor_agree(text, frozenset({"ab", "abc", "bcd", "cd", "一键", "一键复制", "复制全文", "全文", "x"}))
