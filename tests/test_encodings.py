"""Office files come in UTF-8 (with or without BOM), UTF-16 with BOM and GBK/GB18030:
each is read correctly, damage is located, and what is no text at all is one warning."""
from __future__ import annotations

import random
import re

import pytest

from conftest import cli_json, run_cli
from lint_reports.core.document import DecodeError, decode

def _noise(size=2000) -> bytes:
    """Bytes that are no text in any encoding (0x80 and 0xFF start no character in UTF-8,
    GB18030 or Big5) yet not binary either (no NUL, no control bytes)."""
    generator = random.Random(7)
    return bytes(generator.choice(b"\x80\xffab ") for _ in range(size))


TEXT = "工作总结\n\n一、主要做法。😀\n二、下步打算展开全文。\n"


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("gb18030", b""),
])
def test_each_encoding_reads_back_the_text(encoding, bom):
    decoded = decode(bom + TEXT.encode(encoding))
    assert decoded.text == TEXT
    assert decoded.encoding == encoding
    assert decoded.bom == bom
    assert decoded.damaged_lines == []


def test_gbk_is_read_as_gb18030_even_when_it_looks_like_utf8():
    # 联通 in GBK is the classic "valid UTF-8 by accident" sequence (C1 AA CD A8)
    assert decode("联通公司年度工作总结".encode("gbk")).text == "联通公司年度工作总结"
    assert decode("下载文档".encode("gbk")).encoding == "gb18030"
    # 一些 in GBK is entirely valid UTF-8 (D2BB D0A9 = Cyrillic һЩ): still GBK
    assert decode("一些".encode("gbk")).text == "一些"
    # 学习计划 in GBK is mostly valid two-byte UTF-8 (D1A7 CFB0 …): still GBK
    assert decode("学习计划07-16".encode("gbk")).text == "学习计划07-16"


def test_findings_land_on_the_same_line_and_column_in_every_encoding(tmp_path):
    names = {"utf8.txt": b"" + TEXT.encode("utf-8"), "bom.txt": b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
             "utf16.txt": b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf16be.txt": b"\xfe\xff" + TEXT.encode("utf-16-be"),
             "gbk.txt": TEXT.replace("😀", "").encode("gbk"), "crlf.txt": TEXT.replace("\n", "\r\n").encode("gb18030")}
    for name, data in names.items():
        (tmp_path / name).write_bytes(data)
    found = {(f["path"], f["line"], f["column"], f["rule"]) for f in cli_json(".", cwd=tmp_path)}
    assert found == {(name, 4, 7, "artifact-download") for name in names}


def test_short_gbk_lines_of_real_reports_read_back():
    from conftest import CORPUS

    lines = [line[:width] for path in sorted(CORPUS.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").split("\n") if line.strip() for width in (8, 20)]
    readable = [line for line in lines if _gbk_or_none(line)]
    wrong = [line for line in readable if decode(_gbk_or_none(line)).text != line]
    assert len(readable) > 1000
    assert len(wrong) <= len(readable) // 500, wrong[:5]


def _gbk_or_none(text):
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError:
        return None
    return data if any(byte > 0x7f for byte in data) else None


def test_a_few_damaged_bytes_keep_a_utf8_file_utf8_and_name_the_line():
    data = ("一、主要做法。" * 30 + "\n").encode("utf-8") + b"\xe4\xb8 broken\n" + "二、下步打算。\n".encode("utf-8")
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.damaged_lines == [2]
    assert decoded.text.splitlines()[2] == "二、下步打算。"


def test_a_gbk_paragraph_pasted_into_a_utf8_file_is_damage_not_a_gbk_file():
    data = (("一、主要做法。" * 10 + "\n").encode("utf-8") + "二、存在问题。\n".encode("gbk")
            + ("三、下步打算。" * 10 + "\n").encode("utf-8"))
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.damaged_lines == [2]
    assert decoded.text.startswith("一、主要做法。")


def test_damage_is_located_whatever_the_line_endings():
    for newline in ("\n", "\r\n", "\r"):
        data = newline.join(["第一行。" * 10, "第二行。", "第三行。"]).encode("utf-8").replace("二".encode(), b"\xe4\xba")
        assert decode(data).damaged_lines == [2], repr(newline)


def test_utf8_bom_with_damage_is_still_utf8():
    decoded = decode(b"\xef\xbb\xbf" + "第一行。\n".encode() * 30 + b"\xff\n")
    assert (decoded.encoding, decoded.bom, decoded.damaged_lines) == ("utf-8", b"\xef\xbb\xbf", [31])


def test_a_slightly_damaged_gbk_file_is_read_with_its_damage_located():
    data = ("一、主要做法。" * 40 + "\n").encode("gbk") + b"\xff\n" + "二、下步打算。\n".encode("gbk")
    decoded = decode(data)
    assert decoded.encoding == "gb18030"
    assert decoded.damaged_lines == [2]


@pytest.mark.parametrize("data,reason", [
    (b"\xff\xfe" + "一".encode("utf-16-le") + b"\x00"[:0] + b"\x41", "odd number of bytes"),
    (_noise(), "not text in UTF-8, UTF-16, GB18030/GBK or Big5"),
    (b"PK\x03\x04\x00\x00binary", "binary"),
])
def test_what_is_not_text_raises_a_decode_error(data, reason):
    with pytest.raises(DecodeError, match=re.escape(reason)):
        decode(data)


def test_an_unreadable_file_is_one_warning_and_the_others_are_linted(tmp_path):
    (tmp_path / "garbage.txt").write_bytes(_noise())
    (tmp_path / "good.txt").write_text("工作总结\n\n一、主要做法。\n", encoding="utf-8")
    result = run_cli(".", cwd=tmp_path)
    assert result.stderr.splitlines() == [
        "lint-reports: warning: garbage.txt: skipped, not text in UTF-8, UTF-16, GB18030/GBK or Big5"]
    assert result.stdout == "no problems in 1 file\n"
    assert result.returncode == 0


def test_exit_2_when_nothing_could_be_read(tmp_path):
    (tmp_path / "garbage.txt").write_bytes(_noise())
    result = run_cli("garbage.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "garbage.txt: skipped" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_binary_file_is_skipped_without_changing_the_exit_status(tmp_path):
    (tmp_path / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run_cli("scan.txt", cwd=tmp_path)
    assert result.stderr.strip() == "lint-reports: warning: scan.txt: skipped, binary file (not text)"
    assert result.returncode == 0
