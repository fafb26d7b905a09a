"""Attacks on purpose (issue 17, the audit): the gaps found after tests/test_attack_data.py and
tests/test_attack_leaks.py. Each test is one attack that worked before its fix: a rule pack
reading a file outside the package as a `charset` table, a user's pack data blamed on a
shipped pack, a FIFO blocking `--show-settings` or the language server's allow command, and a
.docx of 300 000 paragraphs read for minutes. docs/robustness.md lists them."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
import yaml

from test_attack_data import REPORT, needs_posix, one_line_refusal, run_guarded

OUTSIDE_SECRET = "Zq8OutsideTableSecret"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _pack(tmp_path: Path, pack: dict, select: str = "", config: str = "") -> list:
    """Write the pack as block YAML; its lines, to find where a key is."""
    text = yaml.safe_dump(pack, allow_unicode=True, sort_keys=False)
    _write(tmp_path / "mine.yaml", text)
    _write(tmp_path / ".lint-reports.yaml", config + "packs: [mine.yaml]\n" + (f"select: [{select}]\n" if select else ""))
    _write(tmp_path / "r.txt", REPORT)
    return text.splitlines()


def _line_of(lines: list, start: str) -> int:
    return next(number for number, line in enumerate(lines, 1) if line.lstrip(" -").startswith(start))


# --- a pack names a `charset` table: only one of the package's own, read bounded ---------------

@pytest.mark.parametrize("table", ["../../../../../../../../../../{outside}", "{outside}", "data/traditional.tsv",
                                   "OPENCC-LICENSE.txt", "..tsv", "no-such-table.tsv"])
def test_a_charset_table_is_only_one_of_the_packages_own(tmp_path, table):
    """`table: ../../x.tsv` (or an absolute path) read any file as a table of characters."""
    outside = _write(tmp_path / "outside" / "x.tsv", f"{OUTSIDE_SECRET[0]}\t{OUTSIDE_SECRET[1]}\n# {OUTSIDE_SECRET}\n")
    table = table.format(outside=str(outside).lstrip("/") if table.startswith("..") else outside)
    lines = _pack(tmp_path, {"rules": [{"id": "my-rule", "category": "artifact", "severity": "warning",
                                        "kind": "charset", "check": "traditional", "table": table,
                                        "message": "x{match}"}]}, "my-rule")
    assert _line_of(lines, "id: my-rule") == 2
    result = run_guarded("--no-cache", "r.txt", cwd=tmp_path, timeout=60)
    line = one_line_refusal(result, "mine.yaml:2:", "rule 'my-rule': cannot read table")  # the rule's line
    assert OUTSIDE_SECRET not in line
    words = "no such table" if table == "no-such-table.tsv" else "without a directory"
    assert words in line, line


def test_the_shipped_table_is_read_and_a_malformed_line_is_named():
    from lint_reports.kinds import charset

    table = charset.load_table("traditional.tsv")
    assert table["學"] == ["学"] and len(table) > 3000
    with pytest.raises(ValueError, match="a table is the file name"):
        charset.load_table("/etc/passwd")


# --- data a user's pack adds to the shipped rules: the error names the user's pack -------------

BAD_FACT = {"id": "my-fact", "kind": "nope", "names": ["某某规划"], "source": "me"}


@pytest.mark.parametrize("data, at, words", [
    ({"era_facts": [{"id": "fine", "kind": "slogan", "names": ["某口号"], "source": "me"}, BAD_FACT]},
     "id: my-fact", "era fact 'my-fact': kind must be one of"),
    ({"era_facts": 5}, "era_facts:", "'era_facts' must be a list of facts"),
    ({"traditional_name_chars": "毕昇"}, "traditional_name_chars:",
     "'traditional_name_chars' must be a list of single characters"),
    ({"mojibake_chars": {"臵": 5}}, "mojibake_chars:", "'mojibake_chars' must map one character"),
])
def test_bad_data_in_a_users_pack_names_that_pack_and_line(tmp_path, data, at, words):
    """The shipped rules read the data of every pack: a user's bad `era_facts` entry was
    reported as `rules/era.yaml:24: rule 'outdated-plenum': …`, a file the user never wrote."""
    line = _line_of(_pack(tmp_path, {"pack": "mine", "data": data}), at)
    result = run_guarded("--no-cache", "r.txt", cwd=tmp_path, timeout=60)
    message = one_line_refusal(result, f"mine.yaml:{line}: data '{next(iter(data))}' (used by rule '", words)
    assert not message.startswith("lint-reports: error: rules/"), message
    assert " of rules/" in message  # and which shipped rule could not use it


def test_a_users_own_rule_with_its_own_bad_data_is_named_at_the_rule(tmp_path):
    """A pack without the shipped packs, whose own rule cannot use its own data: as before,
    the rule's line (no other pack to blame)."""
    lines = _pack(tmp_path, {"data": {"mojibake_chars": 5},
                             "rules": [{"id": "my-rule", "category": "artifact", "severity": "warning",
                                        "kind": "charset", "check": "mojibake", "message": "x{match}"}]},
                  "my-rule", "extends: none\n")
    result = run_guarded("--no-cache", "r.txt", cwd=tmp_path, timeout=60)
    one_line_refusal(result, f"mine.yaml:{_line_of(lines, 'id: my-rule')}: rule 'my-rule':",
                     "'mojibake_chars' must map one character")


# --- reads that a FIFO could block -------------------------------------------------------------

@needs_posix
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_show_settings_of_a_fifo_or_a_device_does_not_block(tmp_path, special):
    """`--show-settings FIFO` read the file for its year with `read_bytes`: it waited for ever."""
    if special == "fifo":
        special = tmp_path / "report.txt"
        os.mkfifo(special)
    result = run_guarded("--no-cache", "--show-settings", str(special), cwd=tmp_path, timeout=30)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert "year: not fixed by the config; the file cannot be read (not a regular file (a " in out, out


@needs_posix
def test_allow_on_a_config_planted_as_a_fifo_refuses_without_blocking(tmp_path):
    """The language server's allow command read the config it edits with `read_text`: a FIFO
    planted under its name held the server for ever."""
    from lint_reports.lsp.session import AllowEditError, Session

    root = tmp_path / "ws"
    _write(root / "r.txt", REPORT)
    os.mkfifo(root / ".lint-reports.yaml")
    outcome = []

    def allow():
        try:
            Session([root]).add_allow(root / "r.txt", "根据")
            outcome.append("written")
        except (AllowEditError, OSError) as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=allow, daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "the allow command blocked on a FIFO"
    assert outcome and outcome[0] != "written", outcome


# --- .docx: read as python-docx reads it, at lxml's speed --------------------------------------

docx_installed = pytest.mark.skipif(__import__("importlib").util.find_spec("docx") is None,
                                    reason="needs python-docx (the docx extra)")
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _python_docx_lines(data: bytes) -> list:
    """The paragraphs in reading order through python-docx's own objects (`Paragraph.text`,
    `iter_inner_content`): what wordfile read before it walked the XML itself."""
    import io

    import docx
    from docx.table import _Cell

    def paragraphs(container):
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for tr in block._tbl.tr_lst:
                    for tc in tr.tc_lst:
                        if tc.vMerge != "continue":
                            yield from paragraphs(_Cell(tc, block))
            else:
                yield block

    word = docx.Document(io.BytesIO(data))
    return [p.text.replace("\r", " ").replace("\n", " ") for p in paragraphs(word)]


@docx_installed
def test_a_docx_is_read_exactly_as_python_docx_reads_it():
    from test_attack_data import _docx

    from lint_reports.io import docx as wordfile

    run = "<w:r><w:t>甲</w:t><w:tab/><w:t xml:space='preserve'> 乙 </w:t><w:br/><w:t>丙</w:t><w:cr/>" \
          "<w:noBreakHyphen/><w:ptab w:relativeTo='margin' w:alignment='left' w:leader='none'/>" \
          "<w:br w:type='page'/><w:softHyphen/><w:t>丁</w:t></w:r>"
    link = "<w:hyperlink w:anchor='x'><w:r><w:t>链接</w:t></w:r><w:r><w:t>文字</w:t></w:r></w:hyperlink>"
    field = "<w:fldSimple w:instr='PAGE'><w:r><w:t>9</w:t></w:r></w:fldSimple>"
    inner = f"<w:tbl><w:tr><w:tc><w:p>{run}</w:p><w:p/></w:tc></w:tr></w:tbl>"
    merged = ("<w:tr><w:tc><w:tcPr><w:vMerge w:val='restart'/></w:tcPr><w:p><w:r><w:t>上</w:t></w:r></w:p></w:tc>"
              f"<w:tc>{inner}<w:p>{link}</w:p></w:tc></w:tr>"
              "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>续</w:t></w:r></w:p></w:tc>"
              "<w:tc><w:p><w:r><w:t>右</w:t></w:r></w:p></w:tc></w:tr>")
    heading = "<w:p><w:pPr><w:pStyle w:val='Heading2'/></w:pPr><w:r><w:t>一、标题</w:t></w:r></w:p>"
    outline = "<w:p><w:pPr><w:outlineLvl w:val='2'/></w:pPr><w:r><w:t>（一）小标题</w:t></w:r></w:p>"
    body = (f"{heading}<w:p>{run}{link}{field}</w:p><w:p/>{outline}<w:tbl>{merged}</w:tbl>"
            f"<w:sdt><w:sdtContent><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:sdtContent></w:sdt><w:p>{run}</w:p>")
    data = _docx(body.encode())
    doc = wordfile.read("a.docx", data)
    assert doc.text.split("\n") == _python_docx_lines(data)
    assert doc.text.split("\n")[1].startswith("甲\t 乙  丙 -\t丁链接文字")
    assert doc.heading_levels == {1: 2, 4: 3}


@docx_installed
@pytest.mark.slow
def test_a_docx_of_300_000_paragraphs_is_read_in_seconds():
    """Each paragraph's text was an XPath query python-docx compiled anew for it and for each
    of its runs: 300 000 paragraphs took far longer than the file's budget."""
    from test_attack_data import _docx

    from lint_reports.io import docx as wordfile

    heading = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>一、工作</w:t></w:r></w:p>'.encode()
    plain = "<w:p><w:r><w:t>今年完成了</w:t></w:r><w:r><w:t>任务。</w:t></w:r></w:p>".encode()
    data = _docx((heading + plain * 9) * 30_000)
    started = time.process_time()
    doc = wordfile.read("big.docx", data)
    assert time.process_time() - started < 20
    lines = doc.text.split("\n")
    assert len(lines) == 300_000 == wordfile.MAX_PARAGRAPHS and lines[1] == "今年完成了任务。"
    assert len(doc.heading_levels) == 30_000


# --- structures nested thousands deep: one line, never a RecursionError -----------------------

DEEP_LIST = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("name, text, args, words", [
    (".lint-reports.yaml", "select: " + "{a: " * 900 + "1" + "}" * 900 + "\n", [], "invalid YAML: nested too deeply"),
    ("mine.yaml", "rules: " + "{a: " * 900 + "1" + "}" * 900 + "\n", [], "invalid YAML: nested too deeply"),
    ("pyproject.toml", "x = " + DEEP_LIST + "\n", [], "invalid TOML: nested too deeply"),
    ("strict.toml", "x = " + "[" * 900 + "]" * 900 + "\n", ["--config", "strict.toml"], "invalid TOML: nested too deeply"),
    ("base.json", DEEP_LIST, ["--baseline", "base.json"], "not a lint-reports baseline (nested too deeply)"),
])
def test_a_file_nested_thousands_deep_is_one_line(tmp_path, name, text, args, words):
    """Python's parsers recurse per level: a config, pack, pyproject.toml or baseline of
    nested brackets ended in `internal error: RecursionError`."""
    _write(tmp_path / "r.txt", REPORT)
    _write(tmp_path / name, text)
    if name == "mine.yaml":
        _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\n")
    for _ in range(2):  # and again, with whatever the first run cached
        one_line_refusal(run_guarded(*args, "r.txt", cwd=tmp_path, timeout=60), name, words)


# --- values Python refuses to build: one line at their line, never a ValueError ----------------

LONG = "9" * 5000  # over Python's limit for converting a decimal string to an int (4300 digits)


@pytest.mark.parametrize("name, text, args, words", [
    (".lint-reports.yaml", f"year: 2024\nallow: [{LONG}]\n", [], ".lint-reports.yaml:2: invalid YAML: a number of thousands"),
    (".lint-reports.yaml", "year: 2024\nallow: [2024-02-30]\n", [], ".lint-reports.yaml:2: invalid YAML: not a real date"),
    (".lint-reports.yaml", "allow: [ok]\nyear: 2024-13-01 25:00:00\n", [], ".lint-reports.yaml:2: invalid YAML: not a real date"),
    ("mine.yaml", f"rules:\n  - id: my-rule\n    max_lines: {LONG}\n", [], "mine.yaml:3: invalid YAML: a number of thousands"),
    ("pyproject.toml", f"[tool.lint-reports]\nyear = 2024\nallow = [{LONG}]\n", [],
     "pyproject.toml:3: invalid TOML: a number of thousands"),
    ("base.json", f'{{"tool": "lint-reports", "version": {LONG}, "findings": []}}', ["--baseline", "base.json"],
     "base.json: not a lint-reports baseline (a number of thousands of digits)"),
    ("year=", "", ["--config", f"year={LONG}"], "a number of thousands of digits"),
])
def test_a_number_of_thousands_of_digits_or_an_impossible_date_is_one_line(tmp_path, name, text, args, words):
    """`int()` refuses more than 4300 digits and `datetime` a 30 February: YAML, TOML and JSON
    readers let that ValueError out, and a config, pack or baseline holding one ended in
    `internal error: ValueError`."""
    _write(tmp_path / "r.txt", REPORT)
    if text:
        _write(tmp_path / name, text)
    if name == "mine.yaml":
        _write(tmp_path / ".lint-reports.yaml", "packs: [mine.yaml]\n")
    line = one_line_refusal(run_guarded(*args, "r.txt", cwd=tmp_path, timeout=60), name.rstrip("="), words)
    assert LONG[:100] not in line


# --- rows of the "attacks tested" table that had no test of their own --------------------------

def test_a_character_yaml_does_not_allow_in_a_file_that_is_not_a_config_is_one_line(tmp_path):
    """PyYAML's reader error was two lines quoting the text around the position."""
    (tmp_path / "secret.conf").write_bytes(b"Hh9Sec\x7fretValue: 1\n")
    _write(tmp_path / "r.txt", REPORT)
    line = one_line_refusal(run_guarded("--config", "secret.conf", "r.txt", cwd=tmp_path, timeout=60),
                            "secret.conf:1:", "a character YAML does not allow (U+007F)")
    assert "Hh9Sec" not in line and "retValue" not in line


def test_a_toml_table_declared_twice_does_not_quote_its_key_path(tmp_path):
    _write(tmp_path / "pyproject.toml", "[tool.lint-reports]\nyear = 2024\n[tool.Hh9Secret]\n[tool.Hh9Secret]\n")
    _write(tmp_path / "r.txt", REPORT)
    line = one_line_refusal(run_guarded("r.txt", cwd=tmp_path, timeout=60), "pyproject.toml:4:",
                            "a key or table is defined twice")
    assert "Hh9Secret" not in line


def test_a_long_unknown_suppression_target_is_cut_as_a_match_is(tmp_path):
    _write(tmp_path / "s.txt", "正文一段。 lint-reports: disable-line " + "z" * 300 + "\n")
    result = run_guarded("--format", "json", "s.txt", cwd=tmp_path, timeout=60)
    findings = __import__("json").loads(result.stdout)["findings"]
    [message] = [f["message"] for f in findings if f["rule"] == "unknown-suppression"]
    assert "z" * 40 + "…" in message and "z" * 41 not in message


@pytest.mark.slow
@pytest.mark.parametrize("body", [b"{not json at all", b'{"jsonrpc":"2.0","id":99,"method":"x","params":'
                                  + b"[" * 100_000 + b"]" * 100_000 + b"}"], ids=["malformed", "nested"])
def test_the_language_server_survives_malformed_and_deeply_nested_messages(tmp_path, body):
    pytest.importorskip("pygls")
    from lsp_client import LspClient

    client = LspClient(cwd=tmp_path)
    try:
        client.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        client.process.stdin.flush()
        client.initialize(tmp_path)
        uri = client.open(tmp_path / "r.txt", REPORT)
        assert client.diagnostics(uri), "still linting after the bad message"
    finally:
        assert client.close() == 0


def test_yaml_is_only_ever_read_with_the_safe_loader():
    """The sources check beside `test_the_package_never_deserialises_code`: no unsafe or full
    YAML loader anywhere, and the one loader the package builds is a SafeLoader."""
    import re

    import yaml

    from lint_reports.config import yamlutil

    package = Path(__file__).resolve().parent.parent / "lint_reports"
    unsafe = re.compile(r"unsafe_load|full_load|\bUnsafeLoader\b|\bFullLoader\b|yaml\.Loader\b|yaml\.load\((?![^)]*_line_loader\(\))")
    offenders = [str(path.relative_to(package)) for path in package.rglob("*.py")
                 if unsafe.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert issubclass(yamlutil._line_loader(), (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    with pytest.raises(yamlutil.YamlError, match="YAML tag"):
        yamlutil.load("!!python/object/apply:os.system ['true']\n")


def test_every_attack_test_named_in_the_robustness_doc_exists_and_every_attack_test_is_named():
    """docs/robustness.md's "Attacks tested" names a test for each attack: the names must be
    real, and no attack test may be left out of the list."""
    import re

    root = Path(__file__).resolve().parent
    doc = (root.parent / "docs" / "robustness.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_\w+)`", doc))
    defined = set()
    for path in root.glob("test_attack*.py"):
        defined |= set(re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE))
    assert named - defined == set(), "named in the doc, but no such test"
    this = "test_every_attack_test_named_in_the_robustness_doc_exists_and_every_attack_test_is_named"
    assert defined - named - {this} == set(), "an attack test missing from the doc"
