"""Kind `charset`: characters that do not belong in simplified Chinese report text.

One kind, several checks (the rule's `check` parameter):

  traditional    traditional characters in simplified text (學 → 学), from the OpenCC
                 table in rules/data/traditional.tsv (characters that are also valid
                 simplified, such as 乾/於/藉, are not in it). A deliberate traditional
                 passage — a line or a quotation that is mostly traditional — is left alone,
                 and so are the characters of data `traditional_name_chars` (standard
                 characters for names, 毕昇). A page converted to traditional as a whole
                 (`page_share` of its characters, on `page_lines` of its lines) is ONE
                 finding from its first traditional character on, whose fix converts it all
                 (with data `traditional_page_chars`: 後 → 后, valid simplified elsewhere).
  mojibake       encoding damage: 锟斤拷 / 烫烫烫 / 屯屯屯, U+FFFD, UTF-8 read as GBK
                 (鈥溾… → “…) or as Latin-1/Windows-1252 (ï¼Œ → ，, also twice: Ã¯Â¼Â),
                 GB2312 read as Latin-1 (ÄãºÃ → 你好), a character lost as "?" (前1?。),
                 and known wrong-code characters (新购臵 → 置) from data
                 `mojibake_chars`; bytes that could not be decoded at all
                 (Document.damaged_lines, replaced by U+FFFD) are reported here too. A page
                 whose text is mostly such damage gets one finding with the whole repair.
  pinyin         pinyin printed after the characters (培訓(xùn), 管理(guǎn lǐ)) by a
                 pinyin-annotating site: one finding for the page when there are `page_min`
                 annotations and one per 1/`page_share` characters; its fix removes them all.
                 A few glosses (a speech marks how to read a rare character) are left alone.
  private-use    private-use code points (U+E000–U+F8FF, planes 15/16): invisible or
                 font-specific glyphs pasted from Word or PDF
  invisible      zero-width characters, soft hyphens, stray BOMs and control characters
  nbsp           non-breaking and other special spaces (U+00A0, U+2000–U+200A, U+202F)
  fullwidth      full-width Latin letters and digits (ＡＢＣ１２３, ６．１３％) in Chinese text,
                 each one; a part that writes its numbers in full-width throughout
                 (`page_min` numbers, more full-width than half-width) is a house style:
                 one finding for the part, whose fix converts them all

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
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional

from ..core.finding import Edit
from ..speed.lazyre import lazy_compile

KIND = "charset"


@dataclass(frozen=True)
class CharsetState:
    """What prepare keeps of a charset rule: its check's thresholds (the page_* ones where
    the check judges a whole page, see _PAGE_DEFAULTS) and the tables it looks characters
    up in. A field the check has no use for stays None."""
    check: str
    ratio: float  # passage_ratio: a line this share traditional or more is a passage
    page_message: str
    page_min: Optional[int] = None
    page_share: Optional[float] = None
    page_lines: Optional[float] = None
    page_chars: Optional[int] = None
    table: Optional[dict] = None  # traditional: character -> its simplified forms
    names: frozenset = frozenset()  # traditional: characters kept in names
    conversion: Optional[dict] = None  # traditional: the whole-page str.translate table
    page_chars_re: Optional[re.Pattern] = None  # traditional: page-only characters
    chars: Optional[dict] = None  # mojibake: character -> its correct form
    char_re: Optional[re.Pattern] = None


PARAMS = {"check": str, "table": str, "passage_ratio": float, "page_min": int, "page_share": float,
          "page_lines": float, "page_chars": int, "page_message": str}
REQUIRED = ("check",)
CHECKS = ("traditional", "mojibake", "pinyin", "private-use", "invisible", "nbsp", "fullwidth")

HAN = lazy_compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_PRIVATE_USE = lazy_compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]+")
# Zero-width, bidi marks, word joiner, soft hyphen, BOM inside text, C0/C1 controls (not \t \n).
_INVISIBLE = lazy_compile("[\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff\u00ad"
                        "\x00-\x08\x0b-\x1f\x7f-\x9f]+")
_NBSP = lazy_compile("[\u00a0\u2000-\u200a\u202f\u205f]+")
_FULLWIDTH = lazy_compile("[０-９Ａ-Ｚａ-ｚ]+")
# A full-width number or word as one run, with its decimal point and per cent sign
# (６．１３％ → 6.13%: the digits alone would leave 6．13).
_FULLWIDTH_RUN = lazy_compile("[０-９Ａ-Ｚａ-ｚ](?:[０-９Ａ-Ｚａ-ｚ]|[．.](?=[０-９]))*％?")
# A half-width number, not the digits of a code or an escape (U+00A0, H5N1, v2.0)
# (it opens with the digit, so the regex engine skips ahead to one; the lookbehind then looks
# at the character before it)
_HALFWIDTH_NUMBER = lazy_compile(r"[0-9](?<![A-Za-z0-9+#&_.\-][0-9])[0-9]*(?:\.[0-9]+)?(?![A-Za-z0-9_])")
_FULLWIDTH_NUMBER = lazy_compile("[０-９]+")
_MOJIBAKE_RUNS = lazy_compile("(?:锟斤拷)+|(?:烫){2,}|(?:屯){3,}|\ufffd+")
_MOJIBAKE_LEAD = lazy_compile("[锟烫屯\ufffd]")  # a one-character class is found fast; the alternation is not
_QUOTED = lazy_compile(r"「[^」\n]*」|『[^』\n]*』|“[^”\n]*”|《[^》\n]*》")
# Pinyin vowels with a tone mark (GB2312 has them, so the census counts them on purpose).
TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# An annotation: a bracket right after a Chinese character, one to six pinyin syllables with at
# least one tone mark, the closing bracket. It opens with the bracket (a two-character class
# the regex engine skips ahead to); the character before is a lookbehind.
PINYIN_ANNOTATION = lazy_compile(
    rf"[(（](?<=[\u3400-\u9fff][(（])(?=[a-zü ]{{0,30}}[{TONE_VOWELS}])"
    rf"[a-zü{TONE_VOWELS}]{{1,6}}(?: ?[a-zü{TONE_VOWELS}]{{1,6}}){{0,5}}[)）]")
# A "?" standing for a character the encoding lost (前1?。, 、?水灌区, 主干??偨): a question mark
# cannot follow 、，。；：（“《 nor come before 。，、；：, and two or more between Chinese
# characters are no question either. Found by the literal, judged by its neighbours.
_QUESTION_RUN = lazy_compile(r"\?+")
_NO_QUESTION_AFTER = frozenset("、，。；：（“《")
_NO_QUESTION_BEFORE = frozenset("。，、；：")


def is_lost_character(text: str, start: int, end: int) -> bool:
    """Is text[start:end], a run of "?", a character lost in an encoding conversion?"""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before in _NO_QUESTION_AFTER and before and after and not after.isspace():
        return True
    if after and after in _NO_QUESTION_BEFORE and (before > "\x7f" or before.isdigit()):
        return True
    return end - start >= 2 and before > "\x7f" and after > "\x7f" and not after.isspace()


def lost_character_spans(text: str):
    if "?" not in text:
        return
    for m in _QUESTION_RUN.finditer(text):
        if is_lost_character(text, m.start(), m.end()):
            yield m.start(), m.end()


# Defaults of the page-level decisions, per check (the YAML may override each).
_PAGE_DEFAULTS = {
    # a converted page: 200 Chinese characters or more, one in 12 traditional (real converted
    # pages: one in four or five), on 60% of the lines with 8 characters or more
    "traditional": {"page_min": 20, "page_share": 0.08, "page_lines": 0.6, "page_chars": 200},
    # damage that is most of the text: ten repairable stretches covering half its non-ASCII characters
    "mojibake": {"page_min": 10, "page_share": 0.5},
    # an annotating site: five annotations, at least one per hundred characters
    "pinyin": {"page_min": 5, "page_share": 0.01},
    # a house style: ten full-width numbers, at least twice as many as half-width ones
    "fullwidth": {"page_min": 10, "page_share": 2.0},
}


# A table is one of the package's own data files, named by its file name alone: a pack may
# name `table:` but never reach a file outside rules/data/ (`../../x.tsv`, `/etc/passwd`).
_TABLE_NAME = lazy_compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.tsv")
_TABLE_LIMIT = 4 * 1024 * 1024  # the shipped table is a small fraction of this


@lru_cache(maxsize=4)
def load_table(name: str) -> dict:
    if not isinstance(name, str) or not _TABLE_NAME.fullmatch(name) or ".." in name:
        raise ValueError("a table is the file name of one of lint-reports' own tables "
                         "(such as traditional.tsv), without a directory")
    path = resources.files("lint_reports.rulepacks").joinpath("data", name)
    if not path.is_file():
        raise ValueError("no such table among lint-reports' own tables")
    with path.open("rb") as stream:
        data = stream.read(_TABLE_LIMIT + 1)
    if len(data) > _TABLE_LIMIT:
        raise ValueError(f"larger than {_TABLE_LIMIT // (1024 * 1024)} MB")
    table = {}
    for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
        if line and not line.startswith("#"):
            trad, tab, candidates = line.partition("\t")
            if not tab or len(trad) != 1 or not candidates.split():
                raise ValueError(f"line {number}: expected a character, a tab and its simplified forms")
            table[trad] = candidates.split()
    return table


def _char_map(data, key: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(k, str) and len(k) == 1 and isinstance(v, str) and len(v) == 1
                                              for k, v in value.items()):
        raise ValueError(f"data '{key}' must map one character to one character")
    return dict(value)


def prepare(rule, data) -> None:
    check = rule.params["check"]
    if check not in CHECKS:
        raise ValueError(f"'check' must be one of {', '.join(CHECKS)}")
    # a traditional passage: a line whose characters are this share traditional or more (real
    # traditional text: one in four or five characters differs from simplified)
    fields = {"check": check, "ratio": rule.params.get("passage_ratio", 0.2)}
    for key, default in _PAGE_DEFAULTS.get(check, {}).items():
        fields[key] = rule.params.get(key, default)
    fields["page_message"] = rule.params.get("page_message", rule.message)
    if check == "traditional":
        name = rule.params.get("table", "traditional.tsv")
        try:
            fields["table"] = load_table(name)
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            raise ValueError(f"cannot read table {name!r}: {exc}") from None
        names = data.get("traditional_name_chars", [])
        if not isinstance(names, list) or not all(isinstance(c, str) and len(c) == 1 for c in names):
            raise ValueError("data 'traditional_name_chars' must be a list of single characters")
        fields["names"] = frozenset(names)
        page_chars = _char_map(data, "traditional_page_chars")
        # The whole-page conversion: each character with one simplified form, and the page-only ones.
        conversion = {ord(trad): candidates[0] for trad, candidates in fields["table"].items() if len(candidates) == 1}
        conversion.update({ord(trad): simple for trad, simple in page_chars.items()})
        fields["conversion"] = conversion
        fields["page_chars_re"] = re.compile("[" + re.escape("".join(page_chars)) + "]") if page_chars else None
    if check == "mojibake":
        chars = data.get("mojibake_chars", {})
        if not isinstance(chars, dict) or not all(isinstance(k, str) and len(k) == 1 and isinstance(v, str)
                                                   for k, v in chars.items()):
            raise ValueError("data 'mojibake_chars' must map one character to its correct form")
        fields["chars"] = dict(chars)
        fields["char_re"] = re.compile("[" + re.escape("".join(chars)) + "]") if chars else None
    rule.state = CharsetState(**fields)


def check(ctx, rule):
    state = rule.state
    wanted = _WANTED.get(state.check)
    if wanted is not None and not wanted.search(_census(ctx.doc)):
        return  # none of the characters this check is about occurs in the document
    yield from _CHECKS[state.check](ctx, rule, state)


# --- one pass for all checks ------------------------------------------------------------

_CENSUS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def census_of(doc) -> str:
    return _census(doc)


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
# mojibake leads, pinyin tone vowels (GB2312 has them: not rare).
_ALSO_COUNTED = frozenset(chr(code) for code in (*range(0x00, 0x09), *range(0x0b, 0x20), 0x7f, 0x85, 0xa0,
                                                 *range(0x2000, 0x200b), 0x2028, 0x2029, 0x202f, 0x205f,
                                                 *range(ord("０"), ord("９") + 1), *range(ord("Ａ"), ord("Ｚ") + 1),
                                                 *range(ord("ａ"), ord("ｚ") + 1))) \
    | frozenset("锟烫屯") | frozenset(TONE_VOWELS)


@lru_cache(maxsize=1)
def _census_pattern() -> "re.Pattern":
    return re.compile(_rare_characters().pattern + "|[" + "".join(map(re.escape, sorted(_ALSO_COUNTED))) + "]")


def _traditional(ctx, rule, state):
    doc = ctx.doc
    table = state.table
    text = doc.prose
    present = [char for char in _census(doc) if char in table]
    if not present:
        return
    hits = [m.start() for m in re.finditer("[" + "".join(present) + "]", text)]
    repairs = encoding_repairs(doc)
    if repairs or "\ufffd" in census_of(doc):
        # UTF-8 read as GBK is full of traditional characters (鍙 / 鏂): a character in a run of
        # non-ASCII text that holds such a stretch (or a �) is charset-mojibake's.
        runs = _damaged_runs(text, repairs)
        starts = [start for start, _ in runs]
        hits = [offset for offset in hits
                if not (0 <= (i := bisect.bisect_right(starts, offset) - 1) and offset < runs[i][1])]
        if not hits:
            return
    names = state.names
    if names:
        hits = [offset for offset in hits if text[offset] not in names]
    page = _converted_page(doc, rule, state, hits, ctx.allow)
    if page is not None:
        yield page
        return
    ratio = state.ratio
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


def _damaged_runs(text: str, repairs: list) -> list:
    """(start, end) of the runs of non-ASCII text that hold a repairable stretch or a �,
    in text order (each found from its line, once)."""
    seeds = [r[0] for r in repairs] + [m.start() for m in re.finditer("\ufffd", text)]
    runs = set()
    for offset in seeds:
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        for run in _RUN.finditer(text, line_start, len(text) if line_end == -1 else line_end):
            if run.start() <= offset < run.end():
                runs.add(run.span())
                break
    return sorted(runs)


HAN_RUN = lazy_compile(HAN.pattern + "+")


def _share_below(hits: int, share: float, text: str) -> bool:
    """Whether `hits` is less than `share` of the Chinese characters of `text`. Counted run by
    run and stopped as soon as the answer is yes: a long simplified document with a few
    traditional characters is answered from its first lines, not from all of its text."""
    count = 0
    for run in HAN_RUN.finditer(text):
        count += run.end() - run.start()
        if hits < share * count:
            return True
    return hits < share * count


def _converted_page(doc, rule, state, hits, allowed):
    """The one finding for a page converted to traditional as a whole, or None.

    Converted means: enough Chinese text (`page_chars`), a large share of it traditional
    (`page_share`; a converted page has one in four or five, a quotation in a simplified report
    a few per hundred) and spread over the page (`page_lines` of the lines with 8 characters or
    more hold one), so a long quoted passage is not a converted page. Only documents with
    `page_min` traditional characters get this far; the lines are then counted once."""
    if len(hits) < state.page_min:
        return None
    text = doc.prose
    if _share_below(len(hits), state.page_share, text):
        return None  # (decided before the lines are looked at)
    hit_lines = {doc.position(offset)[0] for offset in hits}
    han = lines = covered = 0
    for number, line in enumerate(doc.prose_lines, 1):
        count = len(HAN.findall(line))
        han += count
        if count >= 8:
            lines += 1
            covered += number in hit_lines
    if han < state.page_chars or len(hits) < state.page_share * han or covered < state.page_lines * lines:
        return None
    first, last = hits[0], hits[-1] + 1
    if state.page_chars_re is not None:  # 後 / 於 before the first or after the last table character
        extra = [m.start() for m in state.page_chars_re.finditer(text)]
        if extra:
            first, last = min(first, extra[0]), max(last, extra[-1] + 1)
    converted = text[first:last].translate(state.conversion)
    for word in allowed:  # a name the user keeps as it is (translate keeps every offset)
        position = text.find(word, first, last)
        while position != -1:
            at = position - first
            converted = converted[:at] + word + converted[at + len(word):]
            position = text.find(word, position + len(word), last)
    table = state.table
    ambiguous = sum(1 for offset in hits if len(table[text[offset]]) > 1)
    line = doc.position(first)[0]
    message = (state.page_message.replace("{count}", str(len(hits))).replace("{lines}", str(covered))
               .replace("{line}", str(line)).replace("{ambiguous}", str(ambiguous)))
    finding = rule.document_finding(doc, message, line=line)
    finding.fix = Edit(first, last, converted)
    finding.suggestion = "整篇转换为简体（可用 --fix 自动修复）"
    return finding


_UTF8_CJK_BYTES = lazy_compile(rb"(?:[\xe2-\xef][\x80-\xbf]{2}){2,}")


def gbk_mojibake_spans(run: str):
    """(start, end, repaired) for stretches of `run` that are UTF-8 bytes shown as GBK
    (学习型 → 瀛︿範鍨), found as valid UTF-8 in the run's GBK bytes on character boundaries.
    Where the GBK reader gave up (�, or a character GBK cannot encode) the run is cut: the
    stretches between are repaired on their own."""
    if max(run) <= "\u00ff":
        return  # Latin-1 letters: no GBK reading of UTF-8 (that shows as CJK characters)
    try:
        data = run.encode("gbk")
    except UnicodeEncodeError:
        position = 0
        for piece in _NOT_GBK.split(run):
            if len(piece) >= 3 and _NOT_GBK.search(run, position, position + len(piece)) is None:
                for start, end, repaired in _gbk_mojibake_spans(piece):
                    yield position + start, position + end, repaired
            position += len(piece) + 1
        return
    yield from _gbk_mojibake_spans(run, data)


# A character GBK cannot encode: U+FFFD, and what else a damaged run may hold.
_NOT_GBK = lazy_compile("[\ufffd\ue000-\uf8ff\U00010000-\U0010ffff]")


def _gbk_mojibake_spans(run: str, data: bytes = None):
    if data is None:
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


def _mojibake(ctx, rule, state):
    doc = ctx.doc
    text = doc.prose
    damaged = set(doc.damaged_lines)
    lost = []  # (start, end, message): damage whose text is gone
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
        lost.append((m.start(), m.end(), message))
    for start, end in lost_character_spans(text):
        lost.append((start, end, f"“{text[start:end]}”处原有{'一个字符' if end - start == 1 else '若干字符'}，"
                                 "在编码转换中丢失了（目标编码里没有这个字）：请对照原文补上。"))
    repairs = list(encoding_repairs(doc))  # (start, end, repaired, message)
    if state.char_re is not None:
        for m in state.char_re.finditer(text):
            right = state.chars[m.group(0)]
            repairs.append((m.start(), m.end(), right, f"“{m.group(0)}”是编码转换错字，应为“{right}”。", "char"))
    repairs.sort()
    page = _damaged_page(doc, rule, state, repairs, lost)
    if page is not None:
        yield page
        return
    for start, end, message in lost:
        yield rule.finding(doc, start, end, message=message)
    for start, end, repaired, message, _ in repairs:
        yield rule.finding(doc, start, end, message=message, fix=Edit(start, end, repaired), suggestion=repaired)


_REPAIRS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def encoding_repairs(doc) -> list:
    """(start, end, repaired, message, kind) of each stretch of the document that is text shown in
    the wrong encoding and can be repaired byte for byte, in text order. Computed once per
    document: charset-traditional leaves these stretches alone (UTF-8 read as GBK is full of
    traditional characters such as 鍙 / 鏂)."""
    found = _REPAIRS.get(doc)
    if found is not None:
        return found
    text = doc.prose
    census = _census(doc)
    repairs, latin, beaten = [], [], set()  # latin: the UTF-8-as-Latin-1 spans, in text order
    if any(char in _LATIN_MOJIBAKE_CHARS for char in census):
        for start, end, repaired in latin_mojibake_spans(text):
            latin.append((start, end))
            repairs.append((start, end, repaired, f"“{text[start:end]}”是把 UTF-8 文字按西文编码（Latin-1/Windows-1252）"
                                                  f"读出的乱码，原文应为“{repaired}”。", "utf8-latin"))
    # UTF-8 read as GBK leaves runs of rare (non-GB2312) characters such as 鈥 / 锛 / 銆, and
    # GB2312 read as Latin-1 runs of Latin-1 letters such as Ä / º: only the runs of non-ASCII
    # characters that hold such a character are examined.
    rare = [char for char in census if _is_rare(char)]
    search = re.compile("[" + re.escape("".join(rare)) + "]").search if rare else None
    position = 0  # where the next run to examine may start: each run is looked at once
    while search is not None:
        m = search(text, position)
        if m is None:
            break
        # The run of non-ASCII characters holding m. Runs never cross a line, and the runs
        # between `position` and m hold no rare character, so each run is looked at once
        # (bounding the search by m's line made a huge single line quadratic).
        run = next(r for r in _RUN.finditer(text, position) if r.end() > m.start())
        position = run.end()
        if len(run.group(0)) < 3:  # two characters are at most 4 GBK bytes: two UTF-8 characters need 6
            continue
        for start, end, repaired in gbk_mojibake_spans(run.group(0)):
            start, end = run.start() + start, run.start() + end
            repairs.append((start, end, repaired, f"“{text[start:end]}”是把 UTF-8 文字按 GBK 读出的乱码，原文应为“{repaired}”。",
                            "utf8-gbk"))
        for start, end, repaired in gb_latin_spans(run.group(0)):
            start, end = run.start() + start, run.start() + end
            rivals = _overlapping(latin, start, end)
            if any(e - s >= end - start for s, e in rivals):
                continue  # UTF-8 shown as Latin-1 explains as much: that reading (stricter bytes) wins
            beaten.update(rivals)
            repairs.append((start, end, repaired, _GB_LATIN_MESSAGE.format(text[start:end], repaired), "gb-latin"))
    if beaten:
        repairs = [r for r in repairs if (r[0], r[1]) not in beaten]
    repairs.sort()
    _REPAIRS[doc] = repairs
    return repairs


def _overlapping(spans: list, start: int, end: int) -> list:
    """The spans of `spans` (sorted, not overlapping each other) that overlap [start, end)."""
    index = max(0, bisect.bisect_right(spans, (start, float("inf"))) - 1)
    found = []
    while index < len(spans) and spans[index][0] < end:
        if spans[index][1] > start:
            found.append(spans[index])
        index += 1
    return found


_GB_LATIN_MESSAGE = "“{}”是把 GBK/GB2312 文字按西文编码（Latin-1）读出的乱码，原文应为“{}”。"


def _damaged_page(doc, rule, state, repairs, lost):
    """One finding, with every exact repair, when encoding damage is most of the text:
    `page_min` damaged stretches covering `page_share` of its non-ASCII characters. On such a
    page a single Chinese character between ASCII (ÔÚ2022) is repaired too: alone it is too
    short to tell from a Latin word."""
    if len(repairs) + len(lost) < state.page_min:
        return None
    text = doc.prose
    damaged = sum(r[1] - r[0] for r in repairs) + sum(end - start for start, end, _ in lost)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if damaged < state.page_share * non_ascii:
        return None
    if any(r[4] == "gb-latin" for r in repairs):
        covered = [(r[0], r[1]) for r in repairs]
        for m in _SHORT_LATIN1_RUN.finditer(text):
            if _overlapping(covered, m.start(), m.end()):
                continue
            try:
                repaired = m.group(0).encode("latin-1").decode("gb2312")
            except UnicodeDecodeError:
                continue
            if HAN.fullmatch(repaired):
                repairs.append((m.start(), m.end(), repaired, _GB_LATIN_MESSAGE.format(m.group(0), repaired), "gb-latin"))
        repairs.sort()
    spans = sorted([(r[0], r[1]) for r in repairs] + [(start, end) for start, end, _ in lost])
    line = doc.position(spans[0][0])[0]
    message = (state.page_message.replace("{count}", str(len(spans))).replace("{line}", str(line))
               .replace("{repairable}", str(len(repairs))))
    finding = rule.document_finding(doc, message, line=line)
    if repairs:
        first, last = repairs[0][0], repairs[-1][1]
        pieces, position = [], first
        for start, end, repaired, _, _ in repairs:
            if start < position:
                continue  # (two readings of one stretch: the first)
            pieces += [text[position:start], repaired]
            position = end
        pieces.append(text[position:last])
        finding.fix = Edit(first, last, "".join(pieces))
        finding.suggestion = "恢复全部可还原的乱码（可用 --fix 自动修复）"
    return finding


_SHORT_LATIN1_RUN = lazy_compile("(?<![\u00a1-\u00fe])[\u00a1-\u00fe]{2}(?![\u00a1-\u00fe])")


# GB2312 read as Latin-1 (你好 → ÄãºÃ): both bytes of a GB2312 character are A1-FE, so the
# damage is a run of Latin-1 letters and signs, two per character.
_LATIN1_RUN = lazy_compile("[\u00a1-\u00fe]{4,}")
# What a repair must spell: Chinese text (ideographs, CJK, general and full-width punctuation,
# circled numbers, ● ★ ㈠, the middle dot), not a CJK radical or a rare sign that a chance byte
# sequence decodes to.
_CJK_TEXT = lazy_compile("[\u00b7\u2000-\u206f\u2460-\u26ff\u3000-\u303f\u3200-\u32ff\u3400-\u9fff"
                       "\uf900-\ufaff\uff01-\uffef]+")


def gb_latin_spans(run: str):
    """(start, end, repaired) for stretches of `run` that are GB2312 bytes shown as Latin-1:
    an even number of Latin-1 characters that decode, strictly, to Chinese text."""
    if min(run) > "\u00fe":
        return
    for m in _LATIN1_RUN.finditer(run):
        chunk = m.group(0)
        for shift in (0, 1):  # (a stray letter before the first lead byte)
            part = chunk[shift:shift + (len(chunk) - shift) // 2 * 2]
            if len(part) < 4:
                break
            try:
                repaired = part.encode("latin-1").decode("gb2312")
            except UnicodeDecodeError:
                continue
            if _CJK_TEXT.fullmatch(repaired) and HAN.search(repaired):
                yield m.start() + shift, m.start() + shift + len(part), repaired
                break


_RUN = lazy_compile(r"[^\x00-\x7f\s]+")

# UTF-8 read as Latin-1 / Windows-1252 (ï¼Œ for ，, ä¸­æ–‡ for 中文): each byte became one
# character: a lead byte (Â-ï) then continuation bytes (0x80-0xBF, which Windows-1252 shows
# as € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ or leaves as C1 controls).
_CP1252_CONTINUATION = ("\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                        "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026"
                        "\u2030\u2039\u203a\u20ac\u2122")
# (?:[\u00e0-\u00ef][C]{2}|[\u00c2-\u00df][C])+, written to open with one class: the regex
# engine then skips ahead to a lead character (7x faster on Chinese text, where there is none)
_LATIN_MOJIBAKE = lazy_compile(
    f"[\u00c2-\u00ef](?:(?<=[\u00e0-\u00ef])[{_CP1252_CONTINUATION}]{{2}}|(?<=[\u00c2-\u00df])[{_CP1252_CONTINUATION}])"
    f"(?:[\u00e0-\u00ef][{_CP1252_CONTINUATION}]{{2}}|[\u00c2-\u00df][{_CP1252_CONTINUATION}])*")
# What the census must show for the search to be worth it (it lists only characters outside
# ASCII and GB2312, which has some accented letters: à é ü…)
_LATIN_MOJIBAKE_CHARS = frozenset(chr(code) for code in range(0x80, 0xF0)) | frozenset(
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a"
    "\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122")


def _as_cp1252_bytes(text: str):
    """The bytes a Windows-1252 (or Latin-1) reader showed as `text`, or None."""
    for codec in ("latin-1", "cp1252"):  # (the usual cases, at C speed)
        try:
            return text.encode(codec)
        except UnicodeEncodeError:
            pass
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
    Windows-1252 and decodes to Chinese text (ideographs, CJK and full-width punctuation): an
    accented word stays alone."""
    for m in _LATIN_MOJIBAKE.finditer(text):
        if m.end() - m.start() < 3:
            continue  # one two-byte sequence spells a Latin, Greek or Cyrillic letter, never Chinese
        repaired = _undo_latin_reading(m.group(0))
        if repaired is not None:
            yield m.start(), m.end(), repaired


def _undo_latin_reading(garbled: str):
    """The UTF-8 text that a Latin-1/Windows-1252 reader showed as `garbled`, once or up to
    three times over (ï¼Œ → ，; Ã¯Â¼Å’ → ï¼Œ → ，), if it is text with a character outside
    Latin; else None."""
    text = garbled
    for _ in range(3):
        data = _as_cp1252_bytes(text)
        try:
            text = data.decode("utf-8") if data is not None else ""
        except UnicodeDecodeError:
            return None
        if _CJK_TEXT.fullmatch(text):
            return text  # (a valid sequence that spells a radical or a rare sign is no repair)
        if not _LATIN_MOJIBAKE.fullmatch(text):
            return None  # not shown as Latin-1 once more
    return None


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


def _private_use(ctx, rule, state):
    doc = ctx.doc
    for m in _PRIVATE_USE.finditer(doc.prose):
        codes = " ".join(f"U+{ord(ch):04X}" for ch in m.group(0)[:3])
        yield rule.finding(doc, m.start(), m.end(),
                           message=f"私用区字符 {codes}：通常是从 Word/PDF 复制来的特殊符号或造字，其他电脑上显示不出来，请换成标准字符。")


def _invisible(ctx, rule, state):
    doc = ctx.doc
    text = doc.prose
    for m in _INVISIBLE.finditer(text):
        if m.start() == 0 and m.group(0) == "\ufeff":
            continue
        if "\x80" <= m.group(0)[0] <= "\xad":  # C1 controls, the soft hyphen: maybe bytes of text
            if _inside_repair(doc, m.start()):
                continue  # UTF-8 shown as Latin-1: charset-mojibake repairs it
            if m.group(0) == "\u00ad" and m.start() and "\u00a1" <= text[m.start() - 1] <= "\u00fe":
                continue  # the second byte (AD) of GB2312 text shown as Latin-1: charset-mojibake's
        codes = " ".join(f"U+{ord(ch):04X}" for ch in m.group(0)[:3])
        name = unicodedata.name(m.group(0)[0], "CONTROL CHARACTER")
        yield rule.finding(doc, m.start(), m.end(),
                           message=f"不可见字符 {codes}（{name}）：复制时带入，影响检索和排版，应删除。",
                           fix=Edit(m.start(), m.end(), ""))


def _inside_repair(doc, offset: int) -> bool:
    repairs = encoding_repairs(doc)
    first = bisect.bisect_right(repairs, (offset, float("inf"))) - 1
    return first >= 0 and offset < repairs[first][1]


def _nbsp(ctx, rule, state):
    doc = ctx.doc
    text = doc.prose
    for m in _NBSP.finditer(text):
        if m.group(0)[0] == "\u00a0" and _inside_repair(doc, m.start()):
            continue  # a byte (A0) of UTF-8 shown as Latin-1: charset-mojibake repairs it
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        between_han = bool(HAN.match(before or " ") and HAN.match(after or " "))
        replacement = "" if between_han else " "
        yield rule.finding(doc, m.start(), m.end(),
                           message=f"特殊空格 U+{ord(m.group(0)[0]):04X}（不换行空格等）：网页复制带入，应{'删除' if between_han else '换成普通空格'}。",
                           fix=Edit(m.start(), m.end(), replacement))


def _fullwidth(ctx, rule, state):
    doc = ctx.doc
    text = doc.prose
    runs = [m for m in _FULLWIDTH_RUN.finditer(text) if HAN.search(text, max(0, m.start() - 8), m.end() + 8)]
    if not runs:
        return  # (a run without Chinese text around it is not Chinese text)
    parts = doc.structure.parts if len(runs) >= state.page_min else ()
    starts = [m.start() for m in runs]
    styled = []  # (first run, last run) of each part that writes its numbers in full-width
    for part in parts:
        lo, hi = doc.line_starts[part.start_line - 1], doc.line_span(part.end_line)[1]
        first, last = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)
        numbers = sum(1 for m in runs[first:last] if _FULLWIDTH_NUMBER.match(m.group(0)))
        if numbers < state.page_min:
            continue
        half = len(_HALFWIDTH_NUMBER.findall(text, lo, hi))
        if numbers >= state.page_share * half:
            styled.append((first, last, numbers, half))
    done = set()
    for first, last, numbers, half in styled:
        start, end = runs[first].start(), runs[last - 1].end()
        pieces, position = [], start
        for m in runs[first:last]:
            pieces += [text[position:m.start()], unicodedata.normalize("NFKC", m.group(0))]
            position = m.end()
            done.add(m.start())
        pieces.append(text[position:end])
        line = doc.position(start)[0]
        message = (state.page_message.replace("{count}", str(numbers)).replace("{half}", str(half))
                   .replace("{line}", str(line)).replace("{match}", runs[first].group(0)))
        finding = rule.document_finding(doc, message, line=line)
        finding.fix = Edit(start, end, "".join(pieces))
        finding.suggestion = "全部改为半角（可用 --fix 自动修复）"
        yield finding
    for m in runs:
        if m.start() in done:
            continue
        start, end = m.span()
        half = unicodedata.normalize("NFKC", m.group(0))
        yield rule.finding(doc, start, end, message=rule.message.replace("{half}", half),
                           fix=Edit(start, end, half), suggestion=half)


def _pinyin(ctx, rule, state):
    doc = ctx.doc
    text = doc.prose
    found = [m.span() for m in PINYIN_ANNOTATION.finditer(text)]
    if len(found) < state.page_min:
        return  # a gloss or two (how a speaker reads a rare character) is meant
    if _share_below(len(found), state.page_share, text):
        return
    start, end = found[0][0], found[-1][1]
    pieces, position = [], start
    for first, last in found:
        pieces.append(text[position:first])
        position = last
    line = doc.position(start)[0]
    message = (state.page_message.replace("{count}", str(len(found))).replace("{line}", str(line))
               .replace("{match}", text[max(0, start - 1):found[0][1]]))
    finding = rule.document_finding(doc, message, line=line)
    finding.fix = Edit(start, end, "".join(pieces))
    finding.suggestion = "删去全部拼音注音（可用 --fix 自动修复）"
    yield finding


# What each check needs to find in the census to run at all (mojibake: its data
# characters may be anything, so it always runs).
_WANTED = {
    "traditional": re.compile("[^\x00-\x7f]"),
    "pinyin": re.compile(f"[{TONE_VOWELS}]"),
    "private-use": _PRIVATE_USE,
    "invisible": _INVISIBLE,
    "nbsp": _NBSP,
    "fullwidth": _FULLWIDTH,
}

_CHECKS = {
    "traditional": _traditional, "mojibake": _mojibake, "pinyin": _pinyin,
    "private-use": _private_use, "invisible": _invisible, "nbsp": _nbsp, "fullwidth": _fullwidth,
}
