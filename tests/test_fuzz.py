"""Property tests: any text through the document model and every rule of every pack never
raises, and every finding points inside the file."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lint_reports.io.load import load_document
from lint_reports.config.settings import Config
from lint_reports.core.document import DecodeError, Document
from lint_reports.core.engine import Linter

LINTER = Linter(Config(), select=["all"])  # every rule of every built-in pack, enabled or not

FRAGMENTS = [
    # report text and its defects
    "20**年", "xx区", "××镇", "由x任组长", "推荐阅读:", "下载文档一键复制全文", "##paidbegin##",
    "一、", "（一）", "1.", "（1）", "篇一", "(精选11篇)", "二十大、二十大", "的的", "學習", "新购臵",
    "锟斤拷", "党的十七届五中全会", "工作总结", "。", "，", "：", "“", "”", "（", "）", "《", "》",
    # Markdown
    "# ", "## ", "```", "~~~", "**", "__", "<!--", "-->", "---\n", "    ", "\t", "> ", "- ", "* ",
    "[链接](http://example.com)", "`code`", "|表|格|",
    # line endings, mixed
    "\n", "\r\n", "\r", "\n\n",
    # awkward code points
    "\u0301", "\u20dd", "\u200b", "\ufeff", "\u3000", "\xa0", "\ufffd", "\ue000", "\U0001f600",
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\udcff", "\ud800",
]

_alphabet = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),  # combining marks
    st.characters(min_codepoint=0x0000, max_codepoint=0x001F),  # control characters
    st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),  # surrogate escapes
    st.characters(),  # anything
)
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(_alphabet, max_size=12)), max_size=40).map("".join)
paths = st.sampled_from(["r.txt", "r.md", "drafts/计划.markdown"])

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_positions(doc: Document, findings: list) -> None:
    for f in findings:
        assert 1 <= f.line <= len(doc.lines), f
        length = len(doc.lines[f.line - 1])
        assert 1 <= f.column <= length + 1, (f, length)
        assert f.end_column > f.column, f
        assert f.end_column <= max(length + 1, f.column + 1), (f, length)
        assert 0 <= f.start <= f.end <= len(doc.text), f
        assert isinstance(f.message, str) and f.message


def _lint(doc: Document, path: str) -> list:
    findings = LINTER.lint(doc, path)
    warnings, errors = LINTER.guard.take()
    assert not errors, errors  # a rule raised: the guard turned it into an error line
    assert not warnings, warnings  # a rule ran out of time on a few hundred characters
    return findings


@FUZZ
@given(text=texts, path=paths)
def test_any_text_through_every_rule(text, path):
    doc = Document(path, text)
    assert doc.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert len(doc.prose) == len(doc.text)
    assert doc.prose.count("\n") == doc.text.count("\n")
    for offset in range(0, len(doc.text) + 1, max(1, len(doc.text) // 7)):
        line, column = doc.position(offset)
        assert doc.offset(line, column) == offset
    assert doc.structure is not None  # headings, parts: built lazily, must not raise either
    _check_positions(doc, _lint(doc, path))


@FUZZ
@given(data=st.one_of(
    st.binary(max_size=300),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    texts.map(lambda t: t.encode("gb18030", "ignore")),
    texts.map(lambda t: b"\xff\xfe" + t.encode("utf-16-le", "ignore")),
), path=paths)
def test_any_bytes_decode_or_are_refused(data, path):
    try:
        doc = load_document(path, data)
    except DecodeError:
        return
    assert all(1 <= n <= len(doc.lines) and "\ufffd" in doc.lines[n - 1] for n in doc.damaged_lines)
    _check_positions(doc, _lint(doc, path))


@FUZZ
@given(text=texts, path=paths)
def test_fix_then_lint_is_idempotent(text, path):
    fix = pytest.importorskip("lint_reports.core.fix")
    data = text.encode("utf-8", "surrogatepass")
    try:
        doc = load_document(path, data)
    except DecodeError:
        return
    try:
        once = fix.fix_document(LINTER, doc, path, data)
    except fix.FixError:
        return  # refused (undecodable bytes): nothing written, nothing to compare
    fixed = once.fixed
    again = fix.fix_document(LINTER, load_document(path, fixed), path, fixed)
    assert again.fixed == fixed
    LINTER.guard.take()


@FUZZ
@given(text=texts, path=paths)
def test_every_format_renders_what_any_text_produces(text, path):
    """Messages quote the matched text ({match}): control characters and lone surrogates
    must still give valid JSON/XML."""
    import json
    import xml.etree.ElementTree as ElementTree

    from lint_reports.formats import FORMATS, Report, render

    doc = Document(path, text)
    findings = _lint(doc, path)
    report = Report(findings, [path], LINTER.by_id, documents={path: doc})
    for name in FORMATS:
        output = render(name, report)
        output.encode("utf-8", "backslashreplace")  # printable, whatever it holds
        if name in ("json", "sarif", "gitlab"):
            json.loads(output)
        elif name == "junit":
            ElementTree.fromstring(output.encode("utf-8", "surrogatepass"))


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=True),
                     st.sampled_from(["placeholder", "placeholder-x", "all", "off", "info", "*.md", "drafts/",
                                      "default", "none", "2024", "x.yaml", ""]), st.text(max_size=8))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.one_of(st.text(max_size=6), _scalars.filter(
        lambda v: isinstance(v, (str, int, bool)) or v is None)), inner, max_size=3)), max_leaves=8)
_keys = st.sampled_from(["extends", "packs", "select", "ignore", "severity", "year", "files", "per-file",
                         "sections", "allow", "fail-level", "repetition", "include", "colour"])


@FUZZ
@given(config=st.dictionaries(_keys, _values, max_size=4), toml=st.booleans())
def test_any_config_loads_or_gives_a_config_error(config, toml):
    """Whatever a config holds, loading it and building the linter ends in a Config or in
    one ConfigError/PackError, never another exception."""
    import json
    import tempfile
    from pathlib import Path

    import yaml

    from lint_reports.config import settings as config_module
    from lint_reports.config.packs import PackError

    with tempfile.TemporaryDirectory() as folder:
        if toml:
            lines = ["[tool.lint-reports]"] + [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in config.items()
                                               if isinstance(v, (str, int, list)) and not isinstance(v, bool)]
            path = Path(folder, "pyproject.toml")
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            path = Path(folder, ".lint-reports.yaml")
            path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        try:
            loaded = config_module.load(path)
            Linter(loaded)
        except (config_module.ConfigError, PackError) as exc:
            assert str(exc) and "\n" not in str(exc).strip()
