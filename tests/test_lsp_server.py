"""The language server end to end: a subprocess spoken to over JSON-RPC, as an editor would.
An editor gets the same findings as the CLI for the same text, with UTF-16 ranges."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
        return sum(len(l) + 1 for l in lines[:position["line"]]) + chars

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
    fix_all = next(a for a in actions if a["title"].startswith("修复本文件全部"))
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
        import lint_reports.suppress  # noqa: F401  (suppression comments, from the formats work)
    except ImportError:
        return
    client.change(uri, edited, version=2)
    assert [d for d in client.diagnostics(uri, version=2) if d["code"] == "placeholder-x"] == []


def test_plain_text_not_a_problem_adds_to_the_allow_list_and_config_changes_reload(own_workspace):
    root, client = own_workspace
    text = "由x任组长，x任副组长。\n下载文档一键复制全文\n"
    path = root / "r.txt"
    uri = client.open(path, text)
    diagnostics = client.diagnostics(uri, version=1)
    first = next(d for d in diagnostics if d["code"] == "placeholder-x")
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": first["range"],
                                                         "context": {"diagnostics": [first]}})
    ignore = next(a for a in actions if a["title"].startswith("不是问题"))
    assert "edit" not in ignore, "the report itself never gets a linter comment"
    command = ignore["command"]
    client.request("workspace/executeCommand", {"command": command["command"], "arguments": command["arguments"]})
    config = root / ".lint-reports.yaml"
    assert command["arguments"][1] in config.read_text(encoding="utf-8")
    after = client.published(uri)  # re-linted before the command returned
    assert [d["range"] for d in after if d["code"] == "placeholder-x"] == \
        [d["range"] for d in diagnostics if d["code"] == "placeholder-x"][1:]
    # the config changes: the editor's file watcher tells the server, which re-lints
    config.write_text(config.read_text(encoding="utf-8") + "ignore: [artifact]\n", encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    assert "artifact-download" not in {d["code"] for d in client.diagnostics(uri)}


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
