"""Kind `charset`: characters that do not belong in simplified Chinese report text.

One kind, several checks (the rule's `check` parameter):

  traditional    traditional characters in simplified text (學 → 学), from the OpenCC
                 table in rules/data/traditional.tsv (characters that are also valid
                 simplified, such as 乾/於/藉, are not in it). A deliberate traditional
                 passage — a line or a quotation that is mostly traditional — is left alone.
  mojibake       encoding damage: 锟斤拷 / 烫烫烫 / 屯屯屯, U+FFFD, UTF-8 read as GBK
                 (鈥溾… → “…) or as Latin-1/Windows-1252 (ï¼Œ → ，), and known wrong-code characters (新购臵 → 置) from data
                 `mojibake_chars`; bytes that could not be decoded at all
                 (Document.damaged_lines, replaced by U+FFFD) are reported here too
  private-use    private-use code points (U+E000–U+F8FF, planes 15/16): invisible or
                 font-specific glyphs pasted from Word or PDF
  invisible      zero-width characters, soft hyphens, stray BOMs and control characters
  nbsp           non-breaking and other special spaces (U+00A0, U+2000–U+200A, U+202F)
  fullwidth      full-width Latin letters and digits (ＡＢＣ１２３) in Chinese text

Failing example (rule charset-traditional):

    1、學习型党组织建设的引领作用。

Passing example:

    1、学习型党组织建设的引领作用。
"""
from __future__ import annotations

import bisect
import re
import unicodedata
import weakref
from functools import lru_cache
from importlib import resources

from ..finding import Edit

KIND = "charset"
PARAMS = {"check": str, "table": str, "passage_ratio": float}
REQUIRED = ("check",)
CHECKS = ("traditional", "mojibake", "private-use", "invisible", "nbsp", "fullwidth")

HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]+")
# Zero-width, bidi marks, word joiner, soft hyphen, BOM inside text, C0/C1 controls (not \t \n).
_INVISIBLE = re.compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad"
                        "\x00-\x08\x0b-\x1f\x7f-\x9f]+")
_NBSP = re.compile("[\u00a0\u2000-\u200a\u202f\u205f]+")
_FULLWIDTH = re.compile("[０-９Ａ-Ｚａ-ｚ]+")
_MOJIBAKE_RUNS = re.compile("(?:锟斤拷)+|(?:烫){2,}|(?:屯){3,}|\ufffd+")
_MOJIBAKE_LEAD = re.compile("[锟烫屯\ufffd]")  # a one-character class is found fast; the alternation is not
_QUOTED = re.compile(r"「[^」\n]*」|『[^』\n]*』|“[^”\n]*”|《[^》\n]*》")


@lru_cache(maxsize=4)
def load_table(name: str) -> dict:
    path = resources.files("lint_reports.rulepacks").joinpath("data", name)
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            trad, candidates = line.split("\t", 1)
            table[trad] = candidates.split()
    return table


def prepare(rule, data) -> None:
    check = rule.params["check"]
    if check not in CHECKS:
        raise ValueError(f"'check' must be one of {', '.join(CHECKS)}")
    state = {"check": check, "ratio": rule.params.get("passage_ratio", 0.3)}
    if check == "traditional":
        name = rule.params.get("table", "traditional.tsv")
        try:
            state["table"] = load_table(name)
        except (FileNotFoundError, OSError, ValueError) as exc:
            raise ValueError(f"cannot read table '{name}': {exc}") from None
    if check == "mojibake":
        chars = data.get("mojibake_chars", {})
        if not isinstance(chars, dict) or not all(isinstance(k, str) and len(k) == 1 and isinstance(v, str)
                                                   for k, v in chars.items()):
            raise ValueError("data 'mojibake_chars' must map one character to its correct form")
        state["chars"] = dict(chars)
        state["char_re"] = re.compile("[" + re.escape("".join(chars)) + "]") if chars else None
    rule.state = state


def check(doc, rule):
    state = rule.state
    wanted = _WANTED.get(state["check"])
    if wanted is not None and not wanted.search(_census(doc)):
        return  # none of the characters this check is about occurs in the document
    yield from _CHECKS[state["check"]](doc, rule, state)


# --- one pass for all checks ------------------------------------------------------------

_CENSUS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _census(doc) -> str:
    """The distinct characters of the document that a check here may be about: characters
    outside ASCII and GB2312 (traditional, rare, private-use, invisible, special spaces),
    controls, special spaces, full-width letters and digits, mojibake leads. One regex pass
    (a bitmap class) serves all six checks; clean text yields a handful (— ·)."""
    found = _CENSUS.get(doc)
    if found is None:
        text = doc.prose
        if len(text) <= SMALL_TEXT:  # a few lines: not worth compiling the big class (a cold start's largest cost)
            chars = {char for char in set(text) if _is_rare(char) or char in _ALSO_COUNTED}
        else:
            chars = set(_census_pattern().findall(text))
        found = _CENSUS[doc] = "".join(sorted(chars))
    return found


# Up to this many characters, a census from the set of the text's characters tested one by one
# (about 1.5 µs a distinct character) instead of the class (20 ms to compile on a cold start,
# then about 30 ns a character): a one-line file on a cold start, not a report of 200 files.
SMALL_TEXT = 500
# Counted whatever their encoding: controls, special spaces, full-width letters and digits,
# mojibake leads.
_ALSO_COUNTED = frozenset(chr(code) for code in (*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f, 0x85, 0xa0,
                                                 *range(0x2000, 0x200b), 0x2028, 0x2029, 0x202f, 0x205f,
                                                 *range(ord("０"), ord("９") + 1), *range(ord("Ａ"), ord("Ｚ") + 1),
                                                 *range(ord("ａ"), ord("ｚ") + 1))) | frozenset("锟烫屯")


@lru_cache(maxsize=1)
def _census_pattern() -> "re.Pattern":
    return re.compile(_rare_characters().pattern + "|[" + "".join(map(re.escape, sorted(_ALSO_COUNTED))) + "]")


def _traditional(doc, rule, state):
    table = state["table"]
    text = doc.prose
    present = [char for char in _census(doc) if char in table]
    if not present:
        return
    hits = [m.start() for m in re.finditer("[" + "".join(present) + "]", text)]
    ratio = state["ratio"]
    skip_lines = set()
    by_line: dict = {}
    for offset in hits:
        by_line.setdefault(doc.position(offset)[0], []).append(offset)
    for line, offsets in by_line.items():
        if len(offsets) >= 3 and len(offsets) >= ratio * len(HAN.findall(doc.prose_lines[line - 1])):
            skip_lines.add(line)  # a traditional passage, quoted on purpose
    # A quotation spares the hits inside it: only the quotations of the lines with hits are
    # looked at (a quotation never spans lines), and only those holding a hit are counted.
    quoted = []
    for line in by_line:
        start, end = doc.line_span(line)
        for m in _QUOTED.finditer(text, start, end):
            first = bisect.bisect_left(hits, m.start())
            if first == len(hits) or hits[first] >= m.end():
                continue
            inner = m.group(0)
            count = sum(1 for ch in inner if ch in table)
            if count >= 2 and count >= ratio * max(1, len(HAN.findall(inner))):
                quoted.append(m.span())
    for offset in hits:
        line = doc.position(offset)[0]
        if line in skip_lines or any(s <= offset < e for s, e in quoted):
            continue
        candidates = table[text[offset]]
        fix = Edit(offset, offset + 1, candidates[0]) if len(candidates) == 1 else None
        shown = "”或“".join(candidates)
        yield rule.finding(doc, offset, offset + 1,
                           message=rule.message.replace("{simplified}", shown),
                           fix=fix, suggestion=candidates[0])


_UTF8_CJK_BYTES = re.compile(rb"(?:[\xe2-\xef][\x80-\xbf]{2}){2,}")


def gbk_mojibake_spans(run: str):
    """(start, end, repaired) for stretches of `run` that are UTF-8 bytes shown as GBK
    (学习型 → 瀛︿範鍨), found as valid UTF-8 in the run's GBK bytes on character boundaries."""
    try:
        data = run.encode("gbk")
    except UnicodeEncodeError:
        return
    spans = [m.span() for m in _UTF8_CJK_BYTES.finditer(data)]
    if not spans:
        return  # (the usual case: the character boundaries below cost an encode per character)
    boundaries = {}
    position = 0
    for index, char in enumerate(run):
        boundaries[position] = index
        position += len(char.encode("gbk"))
    boundaries[position] = len(run)
    for start, end in spans:
        while start < end and start not in boundaries:
            start += 3
        while end > start and end not in boundaries:
            end -= 3
        if end - start < 6:
            continue
        repaired = data[start:end].decode("utf-8", errors="replace")
        if "\ufffd" in repaired or not HAN.search(repaired):
            continue
        yield boundaries[start], boundaries[end], repaired


def _mojibake(doc, rule, state):
    text = doc.prose
    damaged = set(doc.damaged_lines)
    reported_to = 0
    for lead in _MOJIBAKE_LEAD.finditer(text):
        m = _MOJIBAKE_RUNS.match(text, lead.start()) if lead.start() >= reported_to else None
        if m is None:
            continue
        reported_to = m.end()
        if m.group(0)[0] == "\ufffd" and doc.position(m.start())[0] in damaged:
            message = (f"此处有无法按 {doc.encoding} 解码的字节（显示为 �）：文件可能被截断或混用了编码，"
                       "请对照原文修复。")
        else:
            message = f"“{m.group(0)}”是编码损坏留下的乱码：请对照原文恢复此处文字。"
        yield rule.finding(doc, m.start(), m.end(), message=message)
    if state["char_re"] is not None:
        for m in state["char_re"].finditer(text):
            right = state["chars"][m.group(0)]
            yield rule.finding(doc, m.start(), m.end(),
                               message=f"“{m.group(0)}”是编码转换错字，应为“{right}”。",
                               fix=Edit(m.start(), m.end(), right), suggestion=right)
    census = _census(doc)
    if any(char in _LATIN_MOJIBAKE_CHARS for char in census):
        for start, end, repaired in latin_mojibake_spans(text):
            yield rule.finding(doc, start, end,
                               message=f"“{text[start:end]}”是把 UTF-8 文字按西文编码（Latin-1/Windows-1252）"
                                       f"读出的乱码，原文应为“{repaired}”。",
                               fix=Edit(start, end, repaired), suggestion=repaired)
    # UTF-8 read as GBK leaves runs of rare (non-GB2312) characters such as 鈥 / 锛 / 銆:
    # only the runs of non-ASCII characters that hold such a character are examined.
    rare = [char for char in census if _is_rare(char)]
    if not rare:
        return
    examined_to = 0
    for m in re.finditer("[" + re.escape("".join(rare)) + "]", text):
        if m.start() < examined_to:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.start())
        run = next(r for r in _RUN.finditer(text, line_start, len(text) if line_end == -1 else line_end)
                   if r.start() <= m.start() < r.end())
        examined_to = run.end()
        if len(run.group(0)) < 3:  # two characters are at most 4 GBK bytes: two UTF-8 characters need 6
            continue
        for start, end, repaired in gbk_mojibake_spans(run.group(0)):
            start, end = run.start() + start, run.start() + end
            yield rule.finding(doc, start, end,
                               message=f"“{text[start:end]}”是把 UTF-8 文字按 GBK 读出的乱码，原文应为“{repaired}”。",
                               fix=Edit(start, end, repaired), suggestion=repaired)


_RUN = re.compile(r"[^\x00-\x7f\s]+")

# UTF-8 read as Latin-1 / Windows-1252 (ï¼Œ for ，, ä¸­æ–‡ for 中文): each byte became one
# character: a lead byte (Â-ï) then continuation bytes (0x80-0xBF, which Windows-1252 shows
# as € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ or leaves as C1 controls).
_CP1252_CONTINUATION = ("\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                        "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026"
                        "\u2030\u2039\u203a\u20ac\u2122")
# (?:[\u00e0-\u00ef][C]{2}|[\u00c2-\u00df][C])+, written to open with one class: the regex
# engine then skips ahead to a lead character (7x faster on Chinese text, where there is none)
_LATIN_MOJIBAKE = re.compile(
    f"[\u00c2-\u00ef](?:(?<=[\u00e0-\u00ef])[{_CP1252_CONTINUATION}]{{2}}|(?<=[\u00c2-\u00df])[{_CP1252_CONTINUATION}])"
    f"(?:[\u00e0-\u00ef][{_CP1252_CONTINUATION}]{{2}}|[\u00c2-\u00df][{_CP1252_CONTINUATION}])*")
# What the census must show for the search to be worth it (it lists only characters outside
# ASCII and GB2312, which has some accented letters: à é ü…)
_LATIN_MOJIBAKE_CHARS = frozenset(chr(code) for code in range(0x80, 0xF0)) | frozenset(
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a"
    "\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122")


def _as_cp1252_bytes(text: str):
    """The bytes a Windows-1252 (or Latin-1) reader showed as `text`, or None."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            if ord(char) > 0xFF:
                return None
            out.append(ord(char))  # bytes Windows-1252 leaves undefined pass through
    return bytes(out)


def latin_mojibake_spans(text: str):
    """(start, end, repaired) of each stretch of `text` that is UTF-8 shown as Latin-1 or
    Windows-1252 and decodes to text with a character outside Latin (Chinese, full-width
    punctuation): an accented word stays alone."""
    for m in _LATIN_MOJIBAKE.finditer(text):
        data = _as_cp1252_bytes(m.group(0))
        try:
            repaired = data.decode("utf-8") if data is not None else ""
        except UnicodeDecodeError:
            continue
        if any(ord(char) >= 0x800 for char in repaired):
            yield m.start(), m.end(), repaired


@lru_cache(maxsize=1)
def _gb2312() -> frozenset:
    """GB2312's characters: every two-byte code decoded, each code on its own line (decoded
    back to back, a code that is no character shifted every code after it, and Greek,
    Cyrillic, ①-⑩ and the box drawings went missing)."""
    codes = b"\n".join(bytes((high, low)) for high in range(0xA1, 0xF8) for low in range(0xA1, 0xFF))
    return frozenset(char for char in codes.decode("gb2312", errors="replace").split("\n")
                     if len(char) == 1 and char != "\ufffd")


def _is_rare(char: str) -> bool:
    """What _rare_characters() matches, tested without compiling it (nor building the set)."""
    if char <= "\x7f" or char.isspace():
        return False
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


@lru_cache(maxsize=1)
def _rare_characters() -> "re.Pattern":
    """A character outside ASCII and GB2312 (one negated class: the regex engine tests it
    with a bitmap)."""
    codes = sorted(ord(char) for char in _gb2312())
    ranges, first, last = [], codes[0], codes[0]
    for code in codes[1:]:
        if code != last + 1:
            ranges.append((first, last))
            first = code
        last = code
    ranges.append((first, last))
    members = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(rf"[^\x00-\x7f\s{members}]")


def _private_use(doc, rule, state):
    for m in _PRIVATE_USE.finditer(doc.prose):
        codes = " ".join(f"U+{ord(ch):04X}" for ch in m.group(0)[:3])
        yield rule.finding(doc, m.start(), m.end(),
                           message=f"私用区字符 {codes}：通常是从 Word/PDF 复制来的特殊符号或造字，其他电脑上显示不出来，请换成标准字符。")


def _invisible(doc, rule, state):
    text = doc.prose
    for m in _INVISIBLE.finditer(text):
        if m.start() == 0 and m.group(0) == "\ufeff":
            continue
        codes = " ".join(f"U+{ord(ch):04X}" for ch in m.group(0)[:3])
        name = unicodedata.name(m.group(0)[0], "CONTROL CHARACTER")
        yield rule.finding(doc, m.start(), m.end(),
                           message=f"不可见字符 {codes}（{name}）：复制时带入，影响检索和排版，应删除。",
                           fix=Edit(m.start(), m.end(), ""))


def _nbsp(doc, rule, state):
    text = doc.prose
    for m in _NBSP.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        between_han = bool(HAN.match(before or " ") and HAN.match(after or " "))
        replacement = "" if between_han else " "
        yield rule.finding(doc, m.start(), m.end(),
                           message=f"特殊空格 U+{ord(m.group(0)[0]):04X}（不换行空格等）：网页复制带入，应{'删除' if between_han else '换成普通空格'}。",
                           fix=Edit(m.start(), m.end(), replacement))


def _fullwidth(doc, rule, state):
    text = doc.prose
    for m in _FULLWIDTH.finditer(text):
        start, end = m.span()
        window = text[max(0, start - 8):end + 8]
        if not HAN.search(window):
            continue  # not Chinese text around it
        half = unicodedata.normalize("NFKC", m.group(0))
        yield rule.finding(doc, start, end, message=rule.message.replace("{half}", half),
                           fix=Edit(start, end, half), suggestion=half)


# What each check needs to find in the census to run at all (mojibake: its data
# characters may be anything, so it always runs).
_WANTED = {
    "traditional": re.compile("[^\x00-\x7f]"),
    "private-use": _PRIVATE_USE,
    "invisible": _INVISIBLE,
    "nbsp": _NBSP,
    "fullwidth": _FULLWIDTH,
}

_CHECKS = {
    "traditional": _traditional, "mojibake": _mojibake,
    "private-use": _private_use, "invisible": _invisible, "nbsp": _nbsp, "fullwidth": _fullwidth,
}
