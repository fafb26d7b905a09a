"""Attacks on purpose (issue 17: leaks, injection, errors). Each test is one attack that
worked before its fix: a config pointing at a system file echoing its first line, a file
name or a document forging output or driving the terminal, the language server writing a
config outside the workspace, and inputs that ended in an internal error instead of one
line naming the file. docs/robustness.md lists them under "Attacks tested"."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

REPORT = "关于20**年xx区工作的总结\n第二行写得很好。\n"
# A line of /etc/shadow: YAML reads it as a mapping whose key is the whole line.
SECRET = "Hh9SecretHashValue"
SHADOW = f"root:$6$Qz7salt${SECRET}:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\n"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _one_error_line(result, *names) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lint-reports: error: ") and "Traceback" not in result.stderr
    assert "internal error" not in lines[0], lines[0]
    for name in names:
        assert name in lines[0], lines[0]
    return lines[0]


# --- 4. errors never echo a file that is not a config ----------------------------------

NOT_CONFIGS = {
    "shadow": SHADOW,
    "tag": f"!{SECRET}:$6$abc\n",
    "duplicate": f"{SECRET}$x:\n{SECRET}$x:\n",
    "value": f"api_token: {SECRET}\n",
    "ini": f"[default]\naws_secret_access_key = {SECRET}\n",
    "pack-shaped": f"rules:\n  - id: '{SECRET} x'\n",
}


@pytest.mark.parametrize("content", NOT_CONFIGS.values(), ids=NOT_CONFIGS.keys())
@pytest.mark.parametrize("how", ["--config", "extends", "extends-list", "packs"])
def test_a_file_that_is_not_a_config_is_named_never_echoed(tmp_path, how, content):
    _write(tmp_path / "system" / "secret.conf", content)
    _write(tmp_path / "r.txt", REPORT)
    config = {"extends": "extends: system/secret.conf\n", "extends-list": "extends: [default, system/secret.conf]\n",
              "packs": "packs: [system/secret.conf]\n"}.get(how)
    if config:
        _write(tmp_path / ".lint-reports.yaml", config)
    args = ["--config", "system/secret.conf", "r.txt"] if how == "--config" else ["r.txt"]
    result = run_cli(*args, cwd=tmp_path)
    _one_error_line(result, "secret.conf")
    assert SECRET not in result.stderr + result.stdout
    assert "$6$" not in result.stderr


def test_a_mistyped_key_is_still_named(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", "year: 2024\nselct: [placeholder]\n")
    _write(tmp_path / "r.txt", REPORT)
    line = _one_error_line(run_cli("r.txt", cwd=tmp_path), ".lint-reports.yaml:2:")
    assert "unknown key 'selct'" in line and "did you mean 'select'" in line


# --- 5. output injection -----------------------------------------------------------------

FORGED = "forged.txt:9:9: error placeholder-x 伪造的问题"


def test_a_newline_in_a_file_name_cannot_forge_a_finding_line(tmp_path):
    name = f"r.txt\n{FORGED}"
    _write(tmp_path / name, REPORT)
    for fmt in ("text", "github"):
        result = run_cli("--format", fmt, name, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == (3 if fmt == "text" else 2), result.stdout
        assert not any(line.startswith(("forged.txt", "::error file=forged")) for line in lines)
        assert ("r.txt\\x0aforged.txt" if fmt == "text" else "file=r.txt%0Aforged.txt") in lines[0]
    # an error about such a name is one line too
    result = run_cli(f"gone.txt\nlint-reports: error: {FORGED}", cwd=tmp_path)
    assert len(result.stderr.splitlines()) == 1 and "gone.txt\\x0alint-reports" in result.stderr


def test_diff_headers_quote_a_strange_file_name_as_git_does(tmp_path):
    name = "报告\n+++ b/evil.txt"
    text = "下载文档一键复制全文\n正文第一段。\n"
    _write(tmp_path / name, text)
    result = run_cli("--diff", name, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    headers = [line for line in result.stdout.splitlines() if line.startswith(("---", "+++"))]
    assert headers == ['--- "a/报告\\n+++ b/evil.txt"', '+++ "b/报告\\n+++ b/evil.txt"'], result.stdout
    if shutil.which("git"):  # git reads the quoted names back and applies the patch
        applied = subprocess.run(["git", "apply", "--unsafe-paths", "-"], input=result.stdout, text=True,
                                 cwd=tmp_path, capture_output=True)
        assert applied.returncode == 0, applied.stderr
        assert (tmp_path / name).read_text(encoding="utf-8") == "正文第一段。\n"


QUOTING_PACK = """\
    rules:
      - id: quote-all
        category: artifact
        severity: error
        kind: pattern
        pattern: '甲方.*'
        description: "quotes \\e[2J everything"
        message: "残留\\e[31m：{match}"
        examples: {bad: ["甲方\\e]0;x\\a"], good: ["乙"]}
    """
HOSTILE_LINE = "甲方\x1b]0;owned\x07\x1b[2J乙方\u202e丙\u2028丁\x9b6n\uffff\n"


def _hostile(tmp_path, name="r.txt"):
    _write(tmp_path / "p.yaml", QUOTING_PACK)
    _write(tmp_path / ".lint-reports.yaml", "packs: [p.yaml]\nselect: [quote-all, placeholder]\n")
    (tmp_path / name).write_text(REPORT + HOSTILE_LINE, encoding="utf-8")
    return name


@pytest.mark.parametrize("args", [["--format", "text"], ["--format", "github"], ["--verbose"],
                                  ["--explain", "quote-all"], ["--list-rules"], ["--fix"]])
def test_terminal_escapes_from_a_document_or_pack_are_shown_not_sent(tmp_path, args):
    name = _hostile(tmp_path)
    result = run_cli(*args, name, cwd=tmp_path, env={"NO_COLOR": "1"})
    assert result.returncode in (0, 1), result.stderr
    out = result.stdout + result.stderr
    assert not UNSAFE.search(out.replace("\n", "")), repr(out)
    if args[-1] in ("text", "github", "--fix"):
        assert "\\x1b]0;owned\\x07\\x1b[2J乙方\\u202e丙\\u2028丁\\x9b6n" in result.stdout, result.stdout
    if args[0] == "--explain":
        assert "quotes \\x1b[2J everything" in result.stdout and "甲方\\x1b]0;x\\x07" in result.stdout


def test_bidi_overrides_in_names_are_shown_in_text_and_html(tmp_path):
    name = _hostile(tmp_path, "发票\u202etxt.exe.txt")
    text = run_cli(name, cwd=tmp_path)
    assert text.stdout.startswith("发票\\u202etxt.exe.txt:1:5:"), text.stdout
    page = run_cli("--format", "html", name, cwd=tmp_path).stdout
    assert "\u202e" not in page and "\x1b" not in page and "\u2028" not in page
    assert not XML_FORBIDDEN.search(page)
    assert "发票\\u202etxt.exe.txt" in page
    # the file's own text shows the characters as escapes too, at their place in the line
    assert "甲方\\x1b]0;owned\\x07\\x1b[2J乙方\\u202e丙" in re.sub(r"<[^>]+>", "", page)


def test_machine_formats_keep_every_character(tmp_path):
    name = _hostile(tmp_path)
    findings = json.loads(run_cli("--format", "json", name, cwd=tmp_path).stdout)["findings"]
    quoted = next(f["message"] for f in findings if f["rule"] == "quote-all")
    assert quoted == "残留\x1b[31m：" + HOSTILE_LINE.rstrip("\n")  # JSON escapes what it must, loses nothing
    sarif = json.loads(run_cli("--format", "sarif", name, cwd=tmp_path).stdout)
    assert any("\x1b]0;owned" in r["message"]["text"] for r in sarif["runs"][0]["results"])
    gitlab = json.loads(run_cli("--format", "gitlab", name, cwd=tmp_path).stdout)
    assert any("\x1b]0;owned" in issue["description"] for issue in gitlab)
    junit = run_cli("--format", "junit", name, cwd=tmp_path).stdout
    assert not XML_FORBIDDEN.search(junit)
    messages = [f.get("message") for f in ET.fromstring(junit).iter("failure")]
    assert any("\\x1b]0;owned\\x07" in m and "\u202e" in m for m in messages), messages


# --- 6. the language server's allow command ----------------------------------------------

def _session(root):
    from lint_reports.lsp.session import Session

    return Session([root])


@pytest.mark.parametrize("entry", ["", " ", "a\nb", "x" * 1000, "甲方\x1b[2J", 5, None, ["a"]])
def test_allow_refuses_entries_that_do_not_validate(tmp_path, entry):
    from lint_reports.lsp.session import AllowEditError

    root = tmp_path / "ws"
    _write(root / "r.txt", REPORT)
    with pytest.raises(AllowEditError):
        _session(root).add_allow(root / "r.txt", entry)
    assert not (root / ".lint-reports.yaml").exists()


def test_allow_writes_only_inside_a_workspace_folder(tmp_path):
    from lint_reports.lsp.session import AllowEditError, Session

    root, outside = tmp_path / "ws", tmp_path / "elsewhere"
    _write(root / "r.txt", REPORT)
    _write(outside / "r.txt", REPORT)
    session = _session(root)
    with pytest.raises(AllowEditError):  # a file outside every workspace folder
        session.add_allow(outside / "r.txt", "由x任组")
    with pytest.raises(AllowEditError):  # no workspace folder at all
        Session().add_allow(root / "r.txt", "由x任组")
    assert not (outside / ".lint-reports.yaml").exists() and not (root / ".lint-reports.yaml").exists()
    # a config found above the workspace folder, or a link out of it, is not edited
    above = _write(tmp_path / ".lint-reports.yaml", "year: 2024\n")
    with pytest.raises(AllowEditError):
        session.add_allow(root / "r.txt", "由x任组")
    above.unlink()
    target = _write(outside / "target.yaml", "year: 2024\n")
    (root / ".lint-reports.yaml").symlink_to(target)
    with pytest.raises(AllowEditError):
        session.add_allow(root / "r.txt", "由x任组")
    assert target.read_text(encoding="utf-8") == "year: 2024\n"
    (root / ".lint-reports.yaml").unlink()
    # the ordinary case still works
    written = session.add_allow(root / "r.txt", "由x任组")
    assert written == root / ".lint-reports.yaml" and "由x任组" in written.read_text(encoding="utf-8")


def test_allow_on_a_full_disk_leaves_the_config_as_it_was(tmp_path, monkeypatch):
    """The allow command rewrote the config in place (open for writing truncates it first): a
    write that failed half-way (a full disk) left half a config, every other setting gone."""
    import errno
    import io

    from lint_reports.lsp.session import AllowEditError

    root = tmp_path / "ws"
    _write(root / "r.txt", REPORT)
    original = "# the team's settings\nyear: 2024\nselect: [placeholder, artifact]\nallow:\n  - 甲方\n"
    config = _write(root / ".lint-reports.yaml", original)
    real_open = io.open

    class HalfWriter:
        """A file on a disk that fills up: half of what is written lands, then ENOSPC."""

        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            self.handle.write(data[:len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

    def full_disk_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        return HalfWriter(handle) if any(flag in mode for flag in "wax+") else handle

    session = _session(root)
    monkeypatch.setattr(io, "open", full_disk_open)
    with pytest.raises((AllowEditError, OSError)):
        session.add_allow(root / "r.txt", "由x任组")
    monkeypatch.undo()
    assert config.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in root.iterdir()) == [".lint-reports.yaml", "r.txt"], "no temporary file left"


# --- 9. one line naming the file, never an internal error --------------------------------

_LOCK = """
import builtins, errno, io, os, sys
LOCKED = os.path.realpath(sys.argv.pop(1))
def _inside(path):
    try:
        path = os.fsdecode(path)
    except TypeError:
        return False
    return os.path.abspath(path).startswith(LOCKED + os.sep)
def _guard(function, listing=False):
    def guarded(path=".", *args, **kwargs):
        if not isinstance(path, int) and (_inside(path) or listing and os.path.realpath(os.fsdecode(path)) == LOCKED):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return function(path, *args, **kwargs)
    return guarded
os.stat, os.lstat, os.open = _guard(os.stat), _guard(os.lstat), _guard(os.open)
os.scandir, os.listdir = _guard(os.scandir, True), _guard(os.listdir, True)
builtins.open = io.open = _guard(io.open)
from lint_reports.cli.main import main
sys.exit(main())
"""


def _run_with_locked_dir(locked: Path, *args, cwd):
    """The CLI with `locked` unreadable (mode 000). As root (CI containers) permissions do
    not stop reads, so the same errors are raised in the process before it starts."""
    if os.geteuid() != 0:
        locked.chmod(0)
        try:
            return run_cli(*args, cwd=cwd)
        finally:
            locked.chmod(0o755)
    return subprocess.run([sys.executable, "-c", _LOCK, str(locked), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_file_in_an_unreadable_directory_is_named_and_the_rest_is_checked(tmp_path):
    _write(tmp_path / "locked" / "inner.txt", REPORT)
    _write(tmp_path / "ok.txt", REPORT)
    result = _run_with_locked_dir(tmp_path / "locked", "--format", "json", "locked/inner.txt", "ok.txt",
                                  "locked", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "locked/inner.txt" in errors[0] and "Permission denied" in errors[0], errors
    assert "locked" in errors[1] and "internal error" not in result.stderr
    assert {f["path"] for f in json.loads(result.stdout)["findings"]} == {"ok.txt"}


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
@pytest.mark.parametrize("how", ["--config", "extends", "packs", "user-dict"])
def test_a_config_or_pack_in_an_unreadable_directory_is_one_line(tmp_path, how):
    _write(tmp_path / "locked" / "c.yaml", "year: 2024\n")
    _write(tmp_path / "r.txt", REPORT)
    config = {"extends": "extends: locked/c.yaml\n", "packs": "packs: [locked/c.yaml]\n",
              "user-dict": "repetition: {user-dict: locked/c.yaml}\n"}.get(how)
    if config:
        _write(tmp_path / ".lint-reports.yaml", config)
    args = ["--config", "locked/c.yaml", "r.txt"] if how == "--config" else ["r.txt"]
    # and the config line that points there (`extends:` named only the file it could not read)
    names = ("c.yaml",) if how == "--config" else ("c.yaml", ".lint-reports.yaml:1:")
    _one_error_line(_run_with_locked_dir(tmp_path / "locked", *args, cwd=tmp_path), *names)


@pytest.mark.parametrize("config, line, words", [
    ("per-file:\n  '*.txt':\n    severity:\n      placeholder-x: nope\n", 4, "must be info, warning, error or off"),
    ("year: -1\n", 1, "'year' must be a year"),
    ("year: 20240\n", 1, "'year' must be a year"),
    ("per-file:\n  '*.txt':\n    year: 0\n", 3, "'year' must be a year"),
    ("files:\n  include: ['[']\n", 2, "'[' without its ']'"),
    ("files:\n  exclude: ['drafts/[ab.txt']\n", 2, "'[' without its ']'"),
    ("per-file:\n  'x[.txt':\n    year: 2024\n", 2, "'[' without its ']'"),
    ("allow: ['  ']\n", 1, "'allow' must be"),
    ("year: 2024\nextends: ''\n", 2, "extends: config file not found: ''"),
    ("extends: [default, '.']\n", 1, "extends: not a config file: ."),
    ("repetition:\n  allow: [' ']\n", 2, "repetition.allow must be"),
])
def test_nonsense_settings_are_one_line_naming_the_line(tmp_path, config, line, words):
    _write(tmp_path / ".lint-reports.yaml", config)
    _write(tmp_path / "r.txt", REPORT)
    message = _one_error_line(run_cli("r.txt", cwd=tmp_path), f".lint-reports.yaml:{line}:")
    assert words in message, message


def test_unquoted_off_means_off(tmp_path):
    _write(tmp_path / ".lint-reports.yaml", """\
        severity:
          placeholder-stars: off
        per-file:
          '*.txt':
            severity: {placeholder-x: off}
        """)
    _write(tmp_path / "r.txt", REPORT)
    result = run_cli("--format", "json", "r.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["findings"] == []
    _write(tmp_path / ".lint-reports.yaml", "severity:\n  placeholder-x: yes\n")
    message = _one_error_line(run_cli("r.txt", cwd=tmp_path), ".lint-reports.yaml:2:")
    assert "info, warning, error or off" in message


def _pack(tmp_path, **fields) -> Path:
    rule = {"id": "my-rule", "category": "artifact", "severity": "warning", "kind": "pattern",
            "message": "残留“{match}”", **fields}
    _write(tmp_path / "mine.yaml", json.dumps({"rules": [rule]}, ensure_ascii=False))
    _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\nselect: [my-rule]\n")
    return tmp_path / "mine.yaml"


@pytest.mark.parametrize("fields, words", [
    ({"pattern": "a{4294967296}"}, "bad regular expression in 'pattern'"),
    ({"pattern": "(" * 2000 + "a" + ")" * 2000}, "bad regular expression in 'pattern'"),
    ({"pattern": "a", "unless": ["b{99999999999}"]}, "bad regular expression in 'unless'"),
    ({"kind": "block", "start": "(" * 2000 + "a" + ")" * 2000, "item": "b"}, "rule 'my-rule': "),
    ({"kind": "block", "start": "a", "item": "b", "max_lines": -1}, "'max_lines' must not be negative"),
    ({"kind": "block", "start": "a", "item": "b", "max_lines": True}, "'max_lines' must be an integer"),
    ({"pattern": "a", "files": ["[oops"]}, "'[' without its ']'"),
    ({"pattern": "甲", "fix": {"replace": "\\g<nope>"}}, "bad replacement in 'fix'"),
    ({"pattern": "甲", "fix": {"replace": 5}}, "'fix.replace' must be a string"),
])
def test_pack_values_that_broke_the_run_are_one_line(tmp_path, fields, words):
    _pack(tmp_path, **fields)
    _write(tmp_path / "r.txt", REPORT + "甲\n")
    message = _one_error_line(run_cli("r.txt", cwd=tmp_path), "mine.yaml")
    assert words in message, message


@pytest.mark.parametrize("pattern, text, found", [
    ("(?i)abc", "xABCx\n", ["ABC"]),
    ("(?s)甲.乙", "甲 乙\n", ["甲 乙"]),
    ("(?x) 甲 \\s* 乙  # a comment", "甲  乙\n", ["甲  乙"]),
    ("(?i)(?s)ab.", "AB!\n", ["AB!"]),
])
def test_global_flags_in_a_pack_pattern_work(tmp_path, pattern, text, found):
    _pack(tmp_path, pattern=pattern, patterns=["zzz"])
    _write(tmp_path / "r.txt", text)
    result = run_cli("--format", "json", "r.txt", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [f["message"] for f in json.loads(result.stdout)["findings"]] == [f"残留“{m}”" for m in found]


def test_lone_surrogates_count_as_one_utf16_unit():
    from lint_reports.lsp import positions

    line = "由x\ud800任组长"
    assert positions.to_client(line, 4, positions.UTF16) == 4
    assert positions.to_client(line, 4, positions.UTF8) == 3 + 1 + 3 + 3
    assert positions.from_client(line, 4, positions.UTF16) == 4


@pytest.mark.slow
def test_language_server_survives_a_lone_surrogate_and_a_hostile_allow_command(tmp_path):
    pytest.importorskip("pygls")
    sys.path.insert(0, str(Path(__file__).parent))
    from lsp_client import LspClient

    root, outside = tmp_path / "ws", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    client = LspClient(cwd=root)

    def send_ascii(message):  # a client may send \\ud800 escapes: JSON allows them
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("ascii")
        client.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        client.process.stdin.flush()

    client.send = send_ascii
    try:
        client.initialize(root, {"debounce": 0})
        text = "由x\ud800任组长。\n下载文档\ud800一键复制全文\x1b[2J\n"
        uri = client.open(root / "r.txt", text)
        diagnostics = client.diagnostics(uri, version=1, timeout=20)
        assert {d["code"] for d in diagnostics} >= {"placeholder-x"}
        assert not any(UNSAFE.search(d["message"]) or "\ud800" in d["message"] for d in diagnostics)
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 9}},
            "context": {"diagnostics": diagnostics}}, timeout=20)
        assert actions, "code actions are offered"
        for arguments in ([(outside / "r.txt").as_uri(), "由x任组"], ["untitled:Untitled-1", "由x任组"],
                          [uri, "不在这份文件里的话"], [uri, "由x\ud800任"], [uri], [uri, 5]):
            client.request("workspace/executeCommand", {"command": "lint-reports.allow", "arguments": arguments},
                           timeout=20)
        assert not (outside / ".lint-reports.yaml").exists() and not (root / ".lint-reports.yaml").exists()
        assert not list(root.glob("untitled*"))
    finally:
        client.send = lambda message: LspClient.send(client, message)
        assert client.close() == 0
