"""The language server end to end: a subprocess spoken to over JSON-RPC, as an editor would.
An editor gets the same findings as the CLI for the same text, with UTF-16 ranges."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SEEDS, cli_json
from lsp_client import LspClient

pytest.importorskip("pygls")
pytestmark = pytest.mark.slow  # each server start imports lsprotocol: seconds

ASTRAL = "𠮷"  # outside the BMP: two UTF-16 code units, one character


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def apply_text_edits(text: str, edits: list) -> str:
    """Apply LSP TextEdits (UTF-16 positions, non-overlapping) the way an editor does."""
    lines = text.split("\n")

    def offset(position):
        line = lines[position["line"]] if position["line"] < len(lines) else ""
        units, chars = 0, 0
        while chars < len(line) and units < position["character"]:
            units += utf16(line[chars])
            chars += 1
        return sum(len(text_line) + 1 for text_line in lines[:position["line"]]) + chars

    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def _start(root: Path, debounce: int = 0):
    root.mkdir(exist_ok=True)
    client = LspClient(cwd=root)
    client.initialize(root, {"debounce": debounce})
    return client


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """One server for the tests that leave the workspace config alone."""
    root = tmp_path_factory.mktemp("ws")
    client = _start(root)
    yield root, client
    assert client.close() == 0


@pytest.fixture
def own_workspace(tmp_path):
    client = _start(tmp_path / "ws")
    yield tmp_path / "ws", client
    assert client.close() == 0


def expected_from_cli(path: Path, text: str) -> list:
    """What the CLI reports for `text`, as (rule, severity, line, UTF-16 start, UTF-16 end)."""
    lines = text.split("\n")
    expected = []
    for f in cli_json(str(path)):
        line = lines[f["line"] - 1]
        end = min(f["end_column"] - 1, len(line))
        expected.append((f["rule"], f["severity"], f["line"] - 1, utf16(line[:f["column"] - 1]), utf16(line[:end]), f["message"]))
    return sorted(expected)


def as_tuples(diagnostics) -> list:
    severity = {1: "error", 2: "warning", 3: "info"}
    return sorted((d["code"], severity[d["severity"]], d["range"]["start"]["line"], d["range"]["start"]["character"],
                   d["range"]["end"]["character"], d["message"]) for d in diagnostics)


def test_seed_gives_the_cli_findings_with_utf16_ranges(workspace):
    root, client = workspace
    text = (SEEDS / "000_8261cbc6f0c4fd5e.txt").read_text(encoding="utf-8")
    # characters outside the BMP before findings, on the same line
    text = text.replace("《**县", f"{ASTRAL}{ASTRAL}《**县").replace("3月*日", f"{ASTRAL}3月*日")
    path = root / "seed.txt"
    path.write_text(text, encoding="utf-8")
    uri = client.open(path, text)
    diagnostics = client.diagnostics(uri, version=1)
    assert all(d["source"] == "lint-reports" for d in diagnostics)
    expected = expected_from_cli(path, text)
    assert as_tuples(diagnostics) == expected and len(expected) > 20
    # the star and x placeholders (other findings, e.g. an outdated slogan, share these lines)
    shifted = [d for d in diagnostics if ASTRAL in text.split("\n")[d["range"]["start"]["line"]]
               and d["code"] in ("placeholder-stars", "placeholder-x")]
    assert shifted, "the test must put astral characters before findings"
    for d in shifted:
        line = text.split("\n")[d["range"]["start"]["line"]]
        flagged = line[len(line.encode("utf-16-le")[:d["range"]["start"]["character"] * 2].decode("utf-16-le")):]
        assert flagged.startswith(("*", "x", "X", "×")), flagged


def test_keystrokes_keep_giving_the_cli_findings(workspace):
    """Typing re-lints only the touched lines (lint_reports.lsp.incremental): after each edit
    the editor still has exactly what the CLI says about the same text."""
    root, client = workspace
    text = (SEEDS / "004_f3fae01b39ef9a42.txt").read_text(encoding="utf-8")
    path = root / "typing.txt"
    uri = client.open(path, text)
    client.diagnostics(uri, version=1)
    middle = text.index("\n", len(text) // 2) + 1
    edits = [
        lambda t: t[:middle] + ASTRAL + t[middle:],  # a character at a line start
        lambda t: t[:middle] + "由x任组长，**县下载文档一键复制全文\n" + t[middle:],  # a new line with findings
        lambda t: t.replace("\n", "\n\n", 1),  # a line break near the top: everything below moves
        lambda t: t[:middle] + t[t.index("\n", middle) + 1:],  # delete the new line again
        lambda t: t + "推荐阅读：\n1. 某某总结\n",  # at the end
    ]
    for version, edit in enumerate(edits, start=2):
        text = edit(text)
        client.change(uri, text, version)
        path.write_text(text, encoding="utf-8")
        assert as_tuples(client.diagnostics(uri, version=version)) == expected_from_cli(path, text), version


def test_with_a_debounce_the_quick_publish_comes_first_and_the_exact_one_equals_the_cli(tmp_path):
    """Each keystroke gets a quick lint at once (line-local rules exact, whole-document ones
    kept from before, away from the edit); the publish after the pause is the CLI's."""
    client = _start(tmp_path, debounce=200)
    text = (SEEDS / "004_f3fae01b39ef9a42.txt").read_text(encoding="utf-8")
    path = tmp_path / "typing.txt"
    uri = client.open(path, text)
    client.diagnostics(uri, version=1)
    middle = text.index("\n", len(text) // 2) + 1
    # a placeholder (a line-local pattern rule) and doubled punctuation (a whole-text rule)
    text = text[:middle] + "由x任组长，，负责全面工作。\n" + text[middle:]
    new_line = text[:middle].count("\n")
    client.change(uri, text, 2)
    quick = client.diagnostics(uri, version=2)
    exact = client.diagnostics(uri, version=2)
    path.write_text(text, encoding="utf-8")
    assert as_tuples(exact) == expected_from_cli(path, text)
    on_new_line = {d["code"] for d in exact if d["range"]["start"]["line"] == new_line}
    assert {"placeholder-x", "punctuation-doubled"} <= on_new_line
    assert {d["code"] for d in quick if d["range"]["start"]["line"] == new_line} == {"placeholder-x"}
    # away from the edit the quick publish already had the whole-document rules' findings, in
    # place (their messages may lag: a count or a line number they quote)
    far = [t[:5] for t in as_tuples(exact) if abs(t[2] - new_line) > 1]
    assert far and set(far) <= {t[:5] for t in as_tuples(quick)}
    assert client.close() == 0


def test_change_relints_and_publishes_for_that_version(workspace):
    root, client = workspace
    path = root / "change.txt"
    uri = client.open(path, "2023年工作总结\n全年工作平稳推进。\n")
    assert client.diagnostics(uri, version=1) == []
    client.change(uri, f"2023年工作总结\n{ASTRAL}由x任组长。\n", version=2)
    (diagnostic,) = client.diagnostics(uri, version=2)
    assert diagnostic["code"] == "placeholder-x"
    assert diagnostic["range"] == {"start": {"line": 1, "character": 3}, "end": {"line": 1, "character": 4}}


def test_quick_fix_and_fix_all_edits_remove_the_findings(workspace):
    root, client = workspace
    text = f"{ASTRAL}工作总结\n下载文档一键复制全文\n正文。##paidbegin##完。\n推荐阅读：\n1. 某某总结\n"
    path = root / "fix.txt"
    path.write_text(text, encoding="utf-8")
    uri = client.open(path, text)
    diagnostics = client.diagnostics(uri, version=1)
    fixable_codes = {d["code"] for d in diagnostics}
    assert {"artifact-download", "artifact-paywall"} <= fixable_codes
    download = next(d for d in diagnostics if d["code"] == "artifact-download")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": download["range"],
                                                         "context": {"diagnostics": [download]}})
    quick = [a for a in actions if a["kind"] == "quickfix" and a.get("isPreferred")]
    assert len(quick) == 1 and quick[0]["diagnostics"][0]["code"] == "artifact-download"
    fixed = apply_text_edits(text, quick[0]["edit"]["changes"][uri])
    assert fixed == text.replace("下载文档一键复制全文\n", "")
    (fix_all,) = [a for a in actions if a["title"].startswith("修复本文件全部")]
    everything = apply_text_edits(text, fix_all["edit"]["changes"][uri])
    client.change(uri, everything, version=2)
    left = client.diagnostics(uri, version=2)
    assert not {"artifact-download", "artifact-paywall"} & {d["code"] for d in left}
    assert everything.startswith(f"{ASTRAL}工作总结\n正文。完。\n"), everything
    # the source action an editor asks for on save
    on_save = client.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                         "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                                                         "context": {"diagnostics": [], "only": ["source.fixAll"]}})
    assert all(a["kind"] == "source.fixAll.lint-reports" for a in on_save)


def test_fix_all_is_offered_once_whatever_the_client_asks(workspace):
    """It used to come twice where a fixable finding sat under the cursor: as the source
    action and as a quick fix copy. Now one action, of the kind the request calls for."""
    root, client = workspace
    text = "下载文档一键复制全文\n正文。##paidbegin##完。由x任组长\n"
    uri = client.open(root / "once.txt", text)
    by_code = {d["code"]: d for d in client.diagnostics(uri, version=1)}

    def fix_all(range_, only=None):
        return [a["kind"] for a in client.code_actions(uri, range_, only=only) if a["title"].startswith("修复本文件全部")]

    download, placeholder = by_code["artifact-download"]["range"], by_code["placeholder-x"]["range"]
    assert fix_all(download) == ["quickfix"]  # the light bulb's request: everything, shown under the cursor
    assert fix_all(placeholder) == ["source.fixAll.lint-reports"]  # nothing fixable here: the source action
    for only in (["source.fixAll"], ["source"], ["source.fixAll.lint-reports"], ["quickfix", "source"]):
        assert fix_all(download, only) == ["source.fixAll.lint-reports"], only  # fix-on-save asks by name
    assert fix_all(download, ["quickfix"]) == ["quickfix"]
    assert fix_all(placeholder, ["quickfix"]) == []
    # with one safe fix in the file, the finding's own fix is the fix-all: not offered twice
    single = client.open(root / "single.txt", "下载文档一键复制全文\n由x任组长\n")
    (only_fixable,) = [d for d in client.diagnostics(single, version=1) if d["code"] == "artifact-download"]
    actions = client.code_actions(single, only_fixable["range"])
    assert [a["title"] for a in actions if "edit" in a and a["title"].startswith("修复")] == ["修复 artifact-download：删除整行"]
    assert [a["kind"] for a in client.code_actions(single, only_fixable["range"], only=["source.fixAll"])] == \
        ["source.fixAll.lint-reports"]


def test_markdown_not_a_problem_inserts_a_suppression_comment(workspace):
    root, client = workspace
    text = "# 2023年工作总结\n\n由x任组长。\n"
    path = root / "r.md"
    uri = client.open(path, text, language="markdown")
    (diagnostic,) = client.diagnostics(uri, version=1)
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": diagnostic["range"],
                                                         "context": {"diagnostics": [diagnostic]}})
    ignore = next(a for a in actions if a["title"].startswith("不是问题"))
    edited = apply_text_edits(text, ignore["edit"]["changes"][uri])
    assert edited == "# 2023年工作总结\n\n<!-- lint-reports-disable-next-line placeholder-x -->\n由x任组长。\n"
    try:
        import lint_reports.core.suppress  # noqa: F401  (suppression comments, from the formats work)
    except ImportError:
        return
    client.change(uri, edited, version=2)
    assert [d for d in client.diagnostics(uri, version=2) if d["code"] == "placeholder-x"] == []


def test_plain_text_not_a_problem_adds_to_the_allow_list_and_config_changes_reload(own_workspace):
    root, client = own_workspace
    text = "局里的的工作，县里的的安排。\n下载文档一键复制全文\n"
    path = root / "r.txt"
    uri = client.open(path, text)
    diagnostics = client.diagnostics(uri, version=1)
    first = next(d for d in diagnostics if d["code"] == "repetition-word")
    actions = client.code_actions(uri, first["range"], [first])
    ignore = next(a for a in actions if a["title"].startswith("不是问题"))
    assert "edit" not in ignore, "the report itself never gets a linter comment"
    command = ignore["command"]
    assert command["arguments"][1] == "的的"
    client.request("workspace/executeCommand", {"command": command["command"], "arguments": command["arguments"]})
    config = root / ".lint-reports.yaml"
    assert yaml.safe_load(config.read_text(encoding="utf-8")) == {"allow": ["的的"]}
    after = client.published(uri)  # re-linted before the command returned
    assert "repetition-word" not in {d["code"] for d in after}
    # the config changes: the editor's file watcher tells the server, which re-lints
    config.write_text(config.read_text(encoding="utf-8") + "ignore: [artifact]\n", encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    assert "artifact-download" not in {d["code"] for d in client.diagnostics(uri)}


def _flagged(text: str, diagnostic: dict) -> str:
    """The text a diagnostic's UTF-16 range covers (one line)."""
    line = text.split("\n")[diagnostic["range"]["start"]["line"]].encode("utf-16-le")
    start, end = diagnostic["range"]["start"]["character"], diagnostic["range"]["end"]["character"]
    return line[start * 2:end * 2].decode("utf-16-le")


def test_the_allow_entry_is_exactly_the_flagged_text(own_workspace):
    """Not widened, not the line: what the editor underlines is what goes into `allow:`.
    Where that is too little to allow everywhere (a lone `x`, `**`, a punctuation mark) the
    action is not offered, and the command takes nothing but a flagged text."""
    root, client = own_workspace
    text = (f"{ASTRAL}本文由张三整理，2024-11-25下载文档一键复制全文，转载请注明。\n"
            "由x任组长，《**县民政局》，，负责全面工作。\n")
    path = root / "r.txt"
    uri = client.open(path, text)
    diagnostics = client.diagnostics(uri, version=1)
    by_code = {d["code"]: d for d in diagnostics}
    download = by_code["artifact-download"]
    flagged = _flagged(text, download)
    assert flagged.endswith("下载文档一键复制全文") and len(flagged) < len(text.split("\n")[0]) - 10
    (allow,) = [a for a in client.code_actions(uri, download["range"], [download]) if "command" in a]
    assert allow["command"]["arguments"] == [uri, flagged]
    assert allow["title"] == f"不是问题：把“{flagged}”加入 .lint-reports.yaml 的 allow 列表"
    for code in ("placeholder-x", "placeholder-stars", "punctuation-doubled"):
        diagnostic = by_code[code]
        offered = client.code_actions(uri, diagnostic["range"], [diagnostic])
        assert not [a for a in offered if a["title"].startswith("不是问题")], code
    # the command refuses text of the document that no finding flags, and a widened span
    for entry in ("本文由张三整理", "《**县", "由x任组"):
        seen = len(client.notifications)
        client.request("workspace/executeCommand", {"command": "lint-reports.allow", "arguments": [uri, entry]})
        (message,) = [m for m in client.notifications[seen:] if m.get("method") == "window/showMessage"]
        assert message["params"]["type"] == 1 and "没有被报告" in message["params"]["message"]
    assert not (root / ".lint-reports.yaml").exists()
    client.request("workspace/executeCommand", {"command": "lint-reports.allow", "arguments": [uri, flagged]})
    assert yaml.safe_load((root / ".lint-reports.yaml").read_text(encoding="utf-8")) == {"allow": [flagged]}
    assert "artifact-download" not in {d["code"] for d in client.published(uri)}


def test_allowing_republishes_every_open_document(own_workspace):
    root, client = own_workspace
    line = "2024-11-25下载文档一键复制全文"
    first, second, other = root / "a.txt", root / "b.txt", root / "c.md"
    uris = [client.open(first, f"甲\n{line}\n"), client.open(second, f"{line}\n乙\n"),
            client.open(other, f"# 总结\n\n{line}\n", language="markdown")]
    for uri in uris:
        assert "artifact-download" in {d["code"] for d in client.diagnostics(uri, version=1)}
    download = next(d for d in client.published(uris[0]) if d["code"] == "artifact-download")
    (allow,) = [a for a in client.code_actions(uris[0], download["range"], [download]) if "command" in a]
    before = [client.publications(uri) for uri in uris]
    client.request("workspace/executeCommand", {"command": allow["command"]["command"],
                                                "arguments": allow["command"]["arguments"]})
    assert [client.publications(uri) for uri in uris] == [n + 1 for n in before]
    for uri in uris:
        assert "artifact-download" not in {d["code"] for d in client.published(uri)}, uri


def test_a_config_saved_in_the_editor_relints_every_open_document_and_is_not_linted(own_workspace):
    """For clients that watch no files (Neovim before 0.10, plain eglot): a config or rule
    pack edited and saved in the editor is read again at once, and every open report is
    republished. The config's own text is configuration, not a report."""
    root, client = own_workspace
    report = root / "r.txt"
    uri = client.open(report, "由x任组长\n下载文档一键复制全文\n")
    assert {"placeholder-x", "artifact-download"} <= {d["code"] for d in client.diagnostics(uri, version=1)}
    config = root / ".lint-reports.yaml"
    config.write_text("ignore: []\n", encoding="utf-8")
    pack = root / "team.yaml"
    pack.write_text("rules:\n  - id: team-word\n    category: artifact\n    severity: error\n    kind: pattern\n"
                    "    message: 不用“{match}”\n    description: 团队用词\n    patterns: ['甲乙丙']\n"
                    "    examples: {bad: [甲乙丙], good: [甲乙]}\n", encoding="utf-8")
    config_text = "packs: [team.yaml]\nignore: [placeholder]\n"
    config_uri = client.open(config, config_text, language="yaml")
    config.write_text(config_text, encoding="utf-8")
    before = client.publications(config_uri)
    client.save(config_uri)
    assert {d["code"] for d in client.diagnostics(uri)} == {"artifact-download"}
    pack_uri = client.open(pack, pack.read_text(encoding="utf-8"), language="yaml")
    client.change(uri, "下载文档一键复制全文\n甲乙丙\n", version=2)
    assert {d["code"] for d in client.diagnostics(uri, version=2)} == {"artifact-download", "team-word"}
    pack.write_text(pack.read_text(encoding="utf-8").replace("甲乙丙", "丙丁"), encoding="utf-8")
    client.save(pack_uri)
    assert {d["code"] for d in client.diagnostics(uri, version=2)} == {"artifact-download"}
    # neither the config nor the pack (whose bad example is a finding) was linted as a report
    assert client.publications(config_uri) == before == 0 and client.publications(pack_uri) == 0


def test_a_config_changed_behind_the_editors_back_is_seen_within_seconds(own_workspace):
    """No notification at all (another program wrote it, git switched branches): the
    server's own look at the configs republishes every open document."""
    root, client = own_workspace
    other = client.open(root / "s.md", "# 总结\n\n下载文档一键复制全文\n", language="markdown")
    assert "artifact-download" in {d["code"] for d in client.diagnostics(other, version=1)}
    uri = client.open(root / "r.txt", "由x任组长\n下载文档一键复制全文\n")
    client.diagnostics(uri, version=1)
    config = root / ".lint-reports.yaml"
    config.write_text("ignore: [artifact]\n", encoding="utf-8")  # a config appears
    assert client.diagnostics(other, timeout=15) == []
    assert {d["code"] for d in client.diagnostics(uri, timeout=15)} == {"placeholder-x"}
    config.write_text("ignore: [artifact, placeholder]\n", encoding="utf-8")  # it changes (size too)
    assert client.diagnostics(uri, timeout=15) == []
    config.unlink()  # it goes away
    assert {d["code"] for d in client.diagnostics(uri, timeout=15)} == {"placeholder-x", "artifact-download"}


def test_hover_explains_the_rule_as_explain_does(own_workspace):
    root, client = own_workspace
    (root / ".lint-reports.yaml").write_text("severity:\n  placeholder-stars: info\n", encoding="utf-8")
    text = "制定《**县民政局计划》，全年工作平稳推进\n"
    uri = client.open(root / "r.txt", text)
    (stars,) = [d for d in client.diagnostics(uri, version=1) if d["code"] == "placeholder-stars"]
    hover = client.hover(uri, stars["range"]["start"])
    assert hover["contents"]["kind"] == "markdown" and hover["range"] == stars["range"]
    value = hover["contents"]["value"]
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    rule = Linter(Config()).by_id["placeholder-stars"]
    assert value.startswith("**placeholder-stars** · 提示 · ")  # the severity the config gives
    assert "占位符“\\*\\*”未替换" in value  # the finding's message, its stars not emphasis
    assert "星号占位符未替换（\\*\\*县" in value  # the description, escaped
    for example in rule.examples["bad"]:
        assert f"✗ {example}" in value
    for example in rule.examples["good"]:
        assert f"✓ {example}" in value
    assert value.count("```text\n") == 2
    # the last character of the span still hovers it; the one after, and a clean line, do not
    end = stars["range"]["end"]
    assert client.hover(uri, {"line": 0, "character": end["character"] - 1})["range"] == stars["range"]
    assert client.hover(uri, end) is None
    assert client.hover(uri, {"line": 1, "character": 0}) is None


def test_hover_in_plain_text_for_a_client_without_markdown(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    client = LspClient(cwd=root)
    client.initialize(root, {"debounce": 0}, hover_formats=("plaintext",))
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    text = Linter(Config()).by_id["section-missing"].examples["bad"][0]
    uri = client.open(root / "r.txt", text)
    missing = [d for d in client.diagnostics(uri, version=1) if d["code"] == "section-missing"]
    assert len(missing) == 2 and missing[0]["range"] == missing[1]["range"]  # two parts missing
    hover = client.hover(uri, missing[0]["range"]["start"])
    assert hover["contents"]["kind"] == "plaintext"
    value = hover["contents"]["value"]
    # every finding under the cursor, one after the other
    assert value.startswith("section-missing  （警告，缺少部分）") and value.count("section-missing  （") == 2
    assert all(d["message"] in value for d in missing)
    # the rule's why (its `explain:`) and examples, laid out as --explain lays them out
    assert "文种由标题识别" in value and "会报告（bad）：\n  ✗ " in value and "\\" not in value
    assert client.close() == 0


def test_debounce_lints_exactly_once_after_a_burst_of_changes(tmp_path):
    client = _start(tmp_path, debounce=300)
    uri = client.open(tmp_path / "r.txt", "开头\n")
    assert client.diagnostics(uri, version=1) == []
    for version in range(2, 7):
        client.change(uri, "开头\n" + "由x任组长\n" * version, version)
    # each change gets the quick lint at once (line-local rules exact, the others kept from
    # before), the burst one exact lint after the pause
    quick = client.diagnostics(uri, version=6)
    diagnostics = client.diagnostics(uri, version=6)
    assert len(diagnostics) == 6 and [d["range"] for d in quick] == [d["range"] for d in diagnostics]
    published = [m["params"].get("version") for m in client.notifications
                 if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]
    assert published == [1, 2, 3, 4, 5, 6, 6]
    assert client.close() == 0


def test_without_pygls_it_says_how_to_install_and_exits_2():
    code = ("import sys; sys.modules['pygls'] = None; sys.modules['lsprotocol'] = None\n"
            "from lint_reports.lsp import main; sys.exit(main([]))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "lint-reports-lsp: the language server needs pygls: pip install 'lint-reports[lsp]'"
    assert result.stdout == ""


def test_console_script_is_declared():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'lint-reports-lsp = "lint_reports.lsp:main"' in text and 'lsp = ["pygls' in text


def test_copied_passages_carry_related_information_to_the_template_and_the_other_piece(own_workspace):
    """copied-from-template links to the template's line; a repeat between the pieces of a
    compilation to the other piece's line in this file; the pack's own passage (no file)
    carries none."""
    root, client = own_workspace
    (root / "模板").mkdir()
    template = root / "模板" / "总结模板.txt"
    sentence = "一年来，我们坚持把抓好党建作为最大的政绩，把服务群众作为工作的出发点和落脚点，取得了一定成效。"
    template.write_text(f"××年工作总结\n\n{sentence}\n", encoding="utf-8")
    (root / ".lint-reports.yaml").write_text("templates: [模板/]\n", encoding="utf-8")
    repeat = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决。"
    pack = "心得体会是一种总结和反思的过程，通过思考和经验的积累，能够帮助我们更好地理解和应对生活中的各种问题。"
    text = f"2023年工作总结汇编\n{sentence}\n篇一：2022年工作总结\n{repeat}\n篇二：2023年工作总结\n{repeat}\n{pack}\n"
    path = root / "汇编.txt"
    path.write_text(text, encoding="utf-8")
    uri = client.open(path, text)
    copied = {(d["code"], d["range"]["start"]["line"]): d.get("relatedInformation")
              for d in client.diagnostics(uri, version=1) if d["code"].startswith("copied-")}
    # (the 2022 piece is the source: only the 2023 one is told)
    assert set(copied) == {("copied-from-template", 1), ("copied-from-report", 5), ("copied-from-template", 6)}
    [to_template] = copied[("copied-from-template", 1)]
    assert to_template["location"]["uri"] == template.resolve().as_uri()
    assert to_template["location"]["range"]["start"]["line"] == 2 and to_template["message"] == "模板中的原文"
    [to_piece] = copied[("copied-from-report", 5)]
    assert to_piece["location"]["uri"] == path.resolve().as_uri()
    assert to_piece["location"]["range"]["start"]["line"] == 3
    assert to_piece["message"] == "《2022年工作总结》中相同的句子（2022年）"
    assert copied[("copied-from-template", 6)] is None


COPIED = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决，村容村貌明显改善。"


def _copied(diagnostics) -> list:
    return [(d["range"]["start"]["line"], d["message"], [(r["location"]["uri"], r["location"]["range"]["start"]["line"])
                                                         for r in d.get("relatedInformation") or []])
            for d in diagnostics if d["code"] == "copied-from-report"]


def test_an_open_report_is_compared_with_the_other_open_reports(own_workspace):
    """compare: run (the default) in the editor: the other documents open. Opening last
    year's report tells this year's, already open, of its copy; closing it takes that back."""
    root, client = own_workspace
    old, new = root / "2024年工作总结.txt", root / "2025年工作总结.txt"
    old_text, new_text = f"2024年工作总结\n\n{COPIED}\n", f"2025年工作总结\n{COPIED}\n"
    old.write_text(old_text, encoding="utf-8")
    new.write_text(new_text, encoding="utf-8")
    new_uri = client.open(new, new_text)
    assert _copied(client.diagnostics(new_uri, version=1)) == []  # alone in the editor
    old_uri = client.open(old, old_text)
    assert _copied(client.diagnostics(old_uri, version=1)) == []  # the older one is the source
    assert _copied(client.diagnostics(new_uri, version=1)) == [
        (1, "与《2024年工作总结》第3行完全相同：去年的文字原样照搬？", [(old.resolve().as_uri(), 2)])]
    client.notify("textDocument/didClose", {"textDocument": {"uri": old_uri}})
    assert _copied(client.diagnostics(new_uri, version=1)) == []


def test_with_compare_repository_the_buffer_is_compared_with_the_saved_reports(own_workspace):
    root, client = own_workspace
    (root / ".lint-reports.yaml").write_text("compare: repository\n", encoding="utf-8")
    (root / "往年").mkdir()
    old = root / "往年" / "2024年工作总结.txt"
    old.write_text(f"2024年工作总结\n\n{COPIED}\n", encoding="utf-8")
    new = root / "2025年工作总结.txt"
    new.write_text("2025年工作总结\n", encoding="utf-8")  # saved before the paragraph was pasted
    text = f"2025年工作总结\n{COPIED}\n{COPIED[:-1]}，群众满意度明显提升。\n"
    uri = client.open(new, text)
    assert _copied(client.diagnostics(uri, version=1)) == [
        (1, "与《2024年工作总结》第3行完全相同：去年的文字原样照搬？", [(old.resolve().as_uri(), 2)])]
    # the buffer's own saved copy is no other report: saved as it is, still one finding
    new.write_text(text, encoding="utf-8")
    client.change(uri, text, 2)
    client.save(uri)
    assert _copied(client.diagnostics(uri, version=2)) == [
        (1, "与《2024年工作总结》第3行完全相同：去年的文字原样照搬？", [(old.resolve().as_uri(), 2)])]
