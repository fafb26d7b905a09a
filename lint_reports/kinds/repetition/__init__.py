"""Kind `repetition`: words and clauses accidentally typed or pasted twice.

Two checks (the rule's `check` parameter):

  words    a character, word or phrase doubled by accident: 的的, 不不断, 发展展, 加强加强,
           二十大二十大, 投资、投资, …，加强，加强…. Candidates are found by regular
           expressions (a character or a unit of up to four characters twice in a row, an item
           twice around a 顿号, a word twice around a comma); only a short window around each
           candidate is segmented with jieba (imported lazily: a file without candidates never
           loads it; its dictionary is looked up per window from an index, see
           lint_reports/kinds/repetition/lexicon.py). The segmentation and jieba's part-of-speech tags tell a
           slip from reduplication and from two words that merely meet (see the decisions
           below).
  clauses  the same clause twice in a row (…，加强学习，加强学习，…) or the same line of
           prose twice in a row.

How a doubled character is read, by where jieba puts the word boundaries:

  one word holds both copies        常常, 跃跃欲试, 家家户户, 一件件: a word, not a slip —
                                    except a function character (的的 is no word)
  both copies stand alone           a function character doubled (的|的, 和|和) is a slip; a
                                    content character doubled is reduplication (市|市通,
                                    届|届, 项|项, 緊|緊) or a name (广汕|汕, 宜荆|荆襄)
  the first alone, the second       不|不断, 创|创新, 进|进一步: a slip, unless the first is a
  begins a word                     function word that governs that word (是|是否, 要|要求),
                                    ends a word jieba does not know with the character
                                    before it (徽学|学术), or the word is a name or a term
                                    (柳|柳州, 超|超临界)
  the first ends a word, the        发展|展, 居民|民|收入: a slip, unless the second is a
  second stands alone               function word (目的|的, 实事求是|是), begins a word jieba
                                    does not know with the character after it (太湖|湖体),
                                    an adjective before a noun (安全|全链条), 一桩|桩, an
                                    ABB adjective (活跃|跃的) or a given name (李娜|娜)
  each copy in a word of its own    城市|市场, 地级市|市长, 饮用水|水源: two words, except a
                                    direction doubled after a preposition (向上|上报)

A doubled unit of two to four characters (加强加强, 企业企业, 获得获得感, 二十大二十大) is a
slip unless it is 一 and a measure (一件一件, 一茬一茬), a verb reduplicated in a tentative
context (要研究研究), rhetoric (学习学习再学习), onomatopoeia or text jieba does not know.
An item twice around a 顿号 is a slip when one copy is a whole item (基金、基金、担保,
海关、海关特殊监管区域) or both copies start their item (党的二十大、二十大精神); a chain of
items that share a word (质量安全、安全生产, 大戏看北京、北京大视听) and rhetoric
(学习、学习、再学习) are not. A word twice around a comma is a slip when the first copy is the
whole clause (…，加强，加强管理); a clause that takes up the last word of the one before
(推进城镇化，城镇化率…) is not.

Data (rules/repetition.yaml, extendable by packs): `never_doubled` (function characters),
`bound_suffixes` (们), `repetition_allow` strings, the preposition and direction characters
of 向上上报-type overlaps, and `tentative_before` (words before a tentative verb
reduplication: 要, 再, 好好 …). Config `repetition: {allow: [...], user-dict: path}` adds
allowed strings and a jieba user dictionary.

Failing example (rule repetition-word):

    全面学习贯彻党的二十大、二十大精神，不不断提高理论水平

Passing example:

    领导干部要研究研究新情况，认认真真学习，一件一件抓落实，实现市市通高铁。
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ...config.settings import MAX_USER_DICT_BYTES, ConfigError, OptionKey, shown, str_list
from ...core.finding import Edit
from ...io import safeio
from ...speed.lazyre import lazy_compile

KIND = "repetition"


class RepetitionState(NamedTuple):
    """What prepare keeps of a repetition rule (the pack data's word lists)."""
    check: str
    window: int
    never: frozenset  # never_doubled
    suffixes: frozenset  # bound_suffixes
    preps: frozenset  # overlap_prepositions
    directions: frozenset  # overlap_directions
    allow: tuple  # repetition_allow
    tentative: frozenset  # tentative_before
    surnames: frozenset


PARAMS = {"check": str, "window": int}
REQUIRED = ("check",)


# --- the config's `repetition:` (what ctx.options holds) ---------------------------------

def _apply_options(options: dict, section, layer) -> None:
    """Validate one layer's `repetition: {allow: [...], user-dict: path}` and merge it: its
    allowed words add to the inherited ones, its dictionary replaces. The path is made
    absolute and the dictionary checked here, so a bad one is a config error, not a crash
    mid-run."""
    settings = {}
    for key, value in section.items():
        line = layer.line_of(section, key)
        if key == "allow":
            if not str_list(value) or not all(w.strip() for w in value):
                raise layer.error(line, "repetition.allow must be a list of non-empty strings")
            settings["allow"] = list(value)
        elif key == "user-dict":
            if not isinstance(value, str) or not value:
                raise layer.error(line, "repetition.user-dict must be the path of a jieba user dictionary")
            dict_path = (layer.path.parent / value).resolve()
            _check_user_dict(layer, line, dict_path)
            settings["user-dict"] = str(dict_path)
        else:
            raise layer.error(line, f"repetition: unknown key '{shown(key)}' (allowed: allow, user-dict)")
    if "allow" in settings:
        inherited = options.get("allow", [])
        settings["allow"] = inherited + [word for word in settings["allow"] if word not in inherited]
    options.update(settings)


def _check_user_dict(layer, line: int, dict_path) -> None:
    """jieba's format: one word a line, optionally followed by a frequency and a POS tag."""
    try:
        lines = safeio.read_text(dict_path, MAX_USER_DICT_BYTES).splitlines()
    except FileNotFoundError:
        raise layer.error(line, f"repetition.user-dict: file not found: {dict_path}") from None
    except OSError as exc:
        raise layer.error(line, f"repetition.user-dict: cannot read {dict_path}: {safeio.describe(exc)}") from None
    except UnicodeDecodeError:
        raise layer.error(line, f"repetition.user-dict: {dict_path} is not UTF-8 text") from None
    for number, entry in enumerate(lines, 1):
        fields = entry.split()
        if not fields:
            continue
        valid = (len(fields) == 1 or len(fields) == 2 and (fields[1].isdigit() or fields[1].isalpha())
                 or len(fields) == 3 and fields[1].isdigit() and fields[2].isalpha())
        if not valid:
            raise ConfigError(dict_path, number, "user dictionary lines are 'word [frequency] [tag]'")


OPTIONS = {"repetition": OptionKey(lambda v: isinstance(v, dict), "a mapping (allow, user-dict)", _apply_options)}


def named_files(options) -> list:
    """The user dictionary: its words change what is segmented, so what it holds is part of
    the config's identity."""
    return [options["user-dict"]] if "user-dict" in options else []

HAN = "\u3400-\u9fff"
NUMERALS = set("零〇一二三四五六七八九十百千万亿两")
# a character, or a unit of up to four characters, twice in a row (the shortest unit at a
# position; the check tries the longer ones there too)
_DOUBLED = lazy_compile(rf"([{HAN}]{{1,4}}?)\1")
_HAN_ONLY = lazy_compile(rf"^[{HAN}]+$")
_NUMBER = lazy_compile(r"^[0-9０-９.．%％]+$")
_CONJUNCTIONS = {"及", "和", "与", "或", "以及", "并", "同"}
# jieba tags of words that are themselves function words (不断 d, 可以 c, 为了 p, 其他 r,
# 很多 m …): a function character before such a word is no phrase of its own (不|不断)
_FUNCTION_TAGS = ("d", "c", "p", "r", "u", "y", "e", "m", "q")
_PERSON_TAGS = ("nr", "nrt", "nrfg")
_ABB_TAGS = ("a", "ad", "an", "z", "vn")  # 活跃|跃的: an adjective with its last syllable doubled
# punctuation that ends a list item or a clause, or opens one
_ITEM_END = set("、，。；：！？,;:!?）)」』”’》】")
_ITEM_START = set("、，。；：！？,;:!?（(「『“‘《【")


def prepare(rule, data) -> None:
    check = rule.params["check"]
    if check not in ("words", "clauses"):
        raise ValueError("'check' must be 'words' or 'clauses'")

    def chars(name):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and len(v) == 1 for v in value):
            raise ValueError(f"data '{name}' must be a list of single characters")
        return frozenset(value)

    def strings(name):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"data '{name}' must be a list of strings")
        return tuple(value)

    rule.state = RepetitionState(
        check=check,
        window=rule.params.get("window", 6),
        never=chars("never_doubled"),
        suffixes=chars("bound_suffixes"),
        preps=chars("overlap_prepositions"),
        directions=chars("overlap_directions"),
        allow=strings("repetition_allow"),
        tentative=frozenset(strings("tentative_before")),
        surnames=chars("surnames"),
    )


# --- jieba, loaded on first use -------------------------------------------------------

@lru_cache(maxsize=8192)
def _segment(window: str, user_dict) -> tuple:
    """((start, end, word, flag), ...) of `window`, offsets relative to it: jieba's
    segmentation and tags (HMM off), from the lexicon that looks words up one by one."""
    from .lexicon import lexicon

    tokens, position = [], 0
    for word, flag in lexicon(user_dict).segment(window):
        tokens.append((position, position + len(word), word, flag))
        position += len(word)
    return tuple(tokens)


@lru_cache(maxsize=8192)
def _frequency(word: str, user_dict) -> int:
    from .lexicon import lexicon

    return lexicon(user_dict).frequency(word)


class _Segmenter:
    def __init__(self, doc, window: int, user_dict):
        self.doc, self.window, self.user_dict = doc, window, user_dict

    def frequency(self, word: str) -> int:
        return _frequency(word, self.user_dict)

    def tokens(self, start: int, end: int) -> list:
        """Tokens of a window around text[start:end] on its line, in document offsets."""
        line, _ = self.doc.position(start)
        line_start, line_end = self.doc.line_span(line)
        lo, hi = max(line_start, start - self.window), min(line_end, end + self.window)
        return [(lo + s, lo + e, w, f) for s, e, w, f in _segment(self.doc.prose[lo:hi], self.user_dict)]


def _at(tokens, offset):
    for index, token in enumerate(tokens):
        if token[0] <= offset < token[1]:
            return index
    return None


def _boundaries(tokens) -> set:
    return {t[0] for t in tokens} | {t[1] for t in tokens}


def _han(token) -> bool:
    return token is not None and bool(_HAN_ONLY.match(token[2]))


def _content_word(token) -> bool:
    """A Chinese word that is no function word by jieba's tag (是否 v, 就业 v, 在线 b)."""
    return _han(token) and not token[3].startswith(_FUNCTION_TAGS)


def _joinable(token, never, before: bool) -> bool:
    """Could the neighbouring copy form a word jieba does not know with this token? A single
    content character can (徽|学|学术: 徽学 before; 太湖|湖|体: 湖体 after), and a number
    before (3|年|年均); a verb (去|产|产能) or a locative (政治|治|上) stands on its own."""
    if token is None:
        return False
    word, flag = token[2], token[3]
    if before and _NUMBER.match(word):
        return True
    return (len(word) == 1 and _han(token) and word not in never
            and not flag.startswith(_FUNCTION_TAGS) and not flag.startswith(("v", "f")))


# --- decisions ----------------------------------------------------------------------

def _single(tokens, s, state, text, frequency):
    """XX at s: an accidental doubling? Returns the Edit that removes it, or None."""
    char = text[s]
    first, second = _at(tokens, s), _at(tokens, s + 1)
    if first is None or second is None:
        return None
    never = state.never
    function = char in never
    # AABB reduplication (认认真真, 清清爽爽, 桩桩件件) of content words
    if not function and (s + 3 < len(text) and text[s + 2] == text[s + 3] != char
                         or s >= 2 and text[s - 2] == text[s - 1] != char):
        return None
    a, b = tokens[first], tokens[second]
    preceding = tokens[first - 1] if first > 0 else None
    following = tokens[second + 1] if second + 1 < len(tokens) else None
    if first == second:  # one dictionary word holds both copies
        word, flag = a[2], a[3]
        if len(word) > 2:
            return None  # 的的确确, 一件件, 跃跃欲试, 家家户户
        if _distributive_misplaced(flag, preceding, following):
            return Edit(s + 1, s + 2, "")
        if function and frequency(word) < frequency(char) // 100:
            return Edit(s + 1, s + 2, "")  # 的的, 对对: no word of its own (等等 is one)
        return None
    len_a, len_b = a[1] - a[0], b[1] - b[0]
    if len_a == 1 and len_b == 1:
        if function or _distributive_misplaced(a[3], preceding, following):
            return Edit(s + 1, s + 2, "")
        return None  # reduplication of a content character: 市市通, 届届, 项项, 緊緊; 广汕汕
    if len_a == 1:  # c | cY
        if function:
            # 是|是否, 要|要求, 就|就业: the word governs what follows; 不|不断, 为|为了,
            # 可|可以: a function word before its own kind is a slip
            return None if _content_word(b) else Edit(s, s + 1, "")
        if b[3].startswith("nz"):
            return None  # 超超临界: a term prefixed again
        if _joinable(preceding, never, before=True):
            return None  # 慢病|病因: the first copy may end a word jieba does not know
        if preceding is not None and (
                preceding[3].startswith("r") or preceding[3].startswith("m") and len(preceding[2]) == 1):
            return None  # 各|县|县长, 两|县|县城, 这|项|项目: a measure after a determiner
        return Edit(s, s + 1, "")
    if len_b == 1:  # Xc | c
        if char in state.suffixes:
            return Edit(s + 1, s + 2, "")  # 我们|们
        if function:
            # 目的|的, 实事求是|是: a function word of its own; but only a particle ends a
            # clause (应对|对，, 需要|要，), and a particle needs a word before it
            # (常委会|会|的)
            if not _han(following) and not b[3].startswith(("u", "y")) \
                    or following is not None and following[3].startswith("u") and not b[3].startswith("u"):
                return Edit(s + 1, s + 2, "")
            return None
        if a[2] == "一" + char:
            return None  # 一桩|桩, 一张|张: 一 and a measure reduplicated
        if len_a == 2 and (a[3].startswith(_PERSON_TAGS)
                           or a[3].startswith(("ns", "nz")) and a[2][0] in state.surnames):
            return None  # 李娜|娜, 罗兰|兰: a given name is often AA
        if a[3].startswith(_FUNCTION_TAGS) and b[3].startswith("v"):
            return None  # 要说|说, 再说|说: a verb reduplicated (说说) after a function word
        if _joinable(following, never, before=False):
            return None  # 太湖|湖|体, 产业链|链|主: the second copy may begin an unknown word
        if following is not None and following[2] in ("的", "地") and a[3] in _ABB_TAGS:
            return None  # 活跃|跃|的
        if b[3].startswith("a") and following is not None and following[3].startswith("n"):
            return None  # 安全|全|链条, 更新|新|设备: an adjective before a noun
        return Edit(s + 1, s + 2, "")
    # XY|YZ overlaps are mostly legitimate (工作|作风, 城市|市场, 饮用水|水源); only a
    # direction after a preposition doubled into the next verb is a slip: 向上|上报, 向下|下达.
    if len_a == 2 and a[2][0] in state.preps and char in state.directions and b[3].startswith("v"):
        return Edit(s + 1, s + 2, "")
    return None


def _distributive_misplaced(flag, preceding, following) -> bool:
    """县县 (every county) before a conjunction after a place word: 周边县县及外省 means
    周边县及外省 — the distributive reading needs no modifier and no coordination."""
    return (flag[:1] in ("n", "q") and following is not None
            and (following[2] in _CONJUNCTIONS or following[3] == "c")
            and preceding is not None and preceding[3] in ("f", "s", "ns"))


def _multi(tokens, s, n, text, state):
    """A unit of n >= 2 characters twice at s: a doubled word unless reduplication."""
    unit = text[s:s + n]
    bounds = _boundaries(tokens)
    if s + n not in bounds:
        return None
    starts = {t[0]: t for t in tokens}
    ends = {t[1]: t for t in tokens}
    if s in bounds and s + 2 * n in bounds:
        pass  # U|U
    elif s in bounds and s + n in starts and starts[s + n][1] > s + 2 * n:
        pass  # U|UY: 获得|获得感
    elif s not in bounds and s + 2 * n in bounds and s + n in ends and ends[s + n][0] < s:
        pass  # XU|U: 不确定|确定
    else:
        return None
    inside = [t for t in tokens if s <= t[0] and t[1] <= s + n]
    if unit[0] == "一" and inside and len(inside[0][2]) == 2 and inside[0][3][:1] in ("m", "n"):
        return None  # 一件一件, 一茬一茬, 一村一村, 一个人一个人: 一 and a measure, one by one
    if inside and all(t[3][:1] in ("o", "e", "y", "x") for t in inside):
        return None  # onomatopoeia, interjections, characters jieba does not know (繁體)
    if len(inside) == 1 and inside[0][3][:1] == "z":
        return None  # 雪白雪白
    rest = text[s + 2 * n:s + 2 * n + 1 + n]
    if rest[:1] in ("再", "又", "还") and rest[1:] == unit:
        return None  # 学习学习再学习: rhetoric
    # (jieba tags some of these verbs as nouns: 商量/n, 交流/n; the marker decides)
    if len(inside) == 1 and s in bounds and s + 2 * n in bounds:
        before = [t for t in tokens if t[1] == s]
        after = text[s + 2 * n:s + 2 * n + 2]
        if before and before[0][2] in state.tentative or after == "一下":
            return None  # 要研究研究, 研究研究一下: tentative reduplication of a verb
    return Edit(s + n, s + 2 * n, "")


_SHORT_TITLE = 8


def _in_title(text, start, end) -> bool:
    """Is text[start:end] inside a short 《title》? The title of a work (an opera, a book:
    《柳柳州》) is a name, worded as its author chose; a long one (《…规划纲要》) is a
    document's title in ordinary words, checked like any text."""
    opening = text.rfind("《", max(0, start - _SHORT_TITLE), start)
    if opening < 0 or "》" in text[opening:start]:
        return False
    closing = text.find("》", end, opening + _SHORT_TITLE + 2)
    return closing >= 0 and "\n" not in text[opening:closing]


def _allowed(text, start, end, allow) -> bool:
    """Does an allowed string overlap text[start:end]?"""
    pattern, longest = _allow_pattern(allow)
    if pattern is None:
        return False
    for m in pattern.finditer(text, max(0, start - longest), end + longest):
        if m.start(1) < end and m.end(1) > start:
            return True
    return False


@lru_cache(maxsize=32)
def _allow_pattern(allow: tuple):
    if not allow:
        return None, 0
    words = sorted(set(allow), key=len, reverse=True)
    # a lookahead finds overlapping occurrences too
    return re.compile("(?=(" + "|".join(map(re.escape, words)) + "))"), max(map(len, words))


def _settings(options):
    """(allow, user-dict) of the config's `repetition:`."""
    return tuple(options.get("allow", ())), options.get("user-dict")


def check(ctx, rule):
    doc = ctx.doc
    if rule.state.check == "clauses":
        yield from _clauses(doc, rule)
        return
    state = rule.state
    text = doc.prose
    user_allow, user_dict = _settings(ctx.options)
    allow = state.allow + user_allow
    segmenter = _Segmenter(doc, state.window, user_dict)
    covered = set()  # offsets inside a reported span: an overlapping candidate is the same slip

    def overlaps(start, end):
        return not covered.isdisjoint(range(start, end))

    position = 0
    while True:
        # the search goes on from the next character, not after the match: candidates
        # overlap (行业|绿色企业绿色企业: 业绿色企 twice, misaligned, hides the slip after it)
        m = _DOUBLED.search(text, position)
        if m is None:
            break
        s = position = m.start()
        position += 1
        char = text[s]
        if len(m.group(1)) == 1 and text[s + 2:s + 3] == char:
            # one character three times or more: never reduplication
            run_end = s + 3
            while text[run_end:run_end + 1] == char:
                run_end += 1
            position = run_end
            if char in NUMERALS or _allowed(text, s, run_end, allow):
                continue
            # 紧紧紧围绕 -> 紧紧 (a reduplication jieba knows), 的的的 -> 的
            keep = 2 if char not in state.never and segmenter.frequency(char * 2) else 1
            covered.update(range(s, run_end))
            yield rule.finding(doc, s, run_end, fix=Edit(s + keep, run_end, ""),
                               message=rule.message.replace("{unit}", char), suggestion=char * keep)
            continue
        # every unit doubled at s, the shortest first: 牢牢 is reduplication, 牢牢把握牢牢把握
        # a slip
        for n in range(len(m.group(1)), 5):
            unit, end = text[s:s + n], s + 2 * n
            if text[s + n:end] != unit or (n > 1 and not _HAN_ONLY.match(unit)):
                continue
            if overlaps(s, end) or set(unit) <= NUMERALS or _allowed(text, s, end, allow):
                continue
            if unit not in state.never and _in_title(text, s, end):
                continue
            tokens = segmenter.tokens(s, end)
            if n == 1:
                fix = _single(tokens, s, state, text, segmenter.frequency)
            else:
                fix = _multi(tokens, s, n, text, state)
            if fix is None:
                continue
            covered.update(range(s, end))
            yield rule.finding(doc, s, end, fix=fix,
                               message=rule.message.replace("{unit}", unit),
                               suggestion=text[s:fix.start] + text[fix.end:end])
            break
    for s, separator, unit in _said_twice(text):
        end = separator + 1 + len(unit)
        if overlaps(s, end) or set(unit) <= NUMERALS or _allowed(text, s, end, allow) \
                or _in_title(text, s, end):
            continue
        if text[separator] == "、":
            fix = _listed_twice(text, s, separator, end, unit, segmenter)
        else:
            fix = _clause_stutter(text, s, separator, end, unit, segmenter)
        if fix is None:
            continue
        covered.update(range(s, end))
        yield rule.finding(doc, s, end, fix=fix,
                           message=rule.message.replace("{unit}", unit), suggestion=unit)


def _listed_twice(text, s, separator, end, unit, segmenter):
    """U、U: one list item typed twice?"""
    after = text[end:end + len(unit) + 2]
    if re.match(f"、[再又还更]?{re.escape(unit)}", after) or re.match(f"[再又还更]{re.escape(unit)}", after) \
            or text[max(0, s - len(unit) - 1):s] == unit + "、":
        return None  # 学习、学习、再学习, 学习、学习、学习: rhetoric, not a slip
    before_char, after_char = text[s - 1:s], text[end:end + 1]
    first_whole = s == 0 or before_char in _ITEM_START or before_char in "\n \t\u3000"
    second_whole = not after_char or after_char in _ITEM_END or after_char in "\n \t\u3000等和及与或"
    tokens = segmenter.tokens(s, end)
    bounds = _boundaries(tokens)
    if first_whole or second_whole:
        # one copy is a whole item (基金、基金、担保; 、海关、海关特殊监管区域): the other
        # copy must still be a word of its own at the 顿号 side, not part of a longer one
        return Edit(separator, end, "") if {separator, separator + 1} <= bounds else None
    if not {s, separator, separator + 1, end} <= bounds:
        return None
    # Both copies inside longer items: 质量安全、安全生产 and 大戏看北京、北京大视听 chain
    # two items that share a word (the first copy ends an item begun by a content word);
    # 党的二十大、二十大精神 lists one item twice (the first copy begins its item too).
    preceding = [t for t in tokens if t[1] == s]
    if preceding and preceding[0][2] in ("的", "之") or preceding and preceding[0][3][:1] in ("p", "c"):
        return Edit(separator, end, "")
    return None


def _clause_stutter(text, s, separator, end, unit, segmenter):
    """U，U: a word typed, then typed again after a comma? Only when the first copy is the
    whole clause (…，加强，加强管理); 推进城镇化，城镇化率… takes up the word on purpose."""
    before_char = text[s - 1:s]
    if not (s == 0 or before_char in _ITEM_START or before_char in "\n \t\u3000"):
        return None
    after = text[end:end + len(unit) + 2]
    if re.match(f"[，,][再又还更]?{re.escape(unit)}", after) or re.match(f"[再又还更]{re.escape(unit)}", after):
        return None  # 干，干，干: rhetoric
    second_whole = end >= len(text) or text[end] in _ITEM_END or text[end] in "\n \t\u3000"
    if (end >= len(text) or text[end] in _SEPARATORS + "\n") and len(_HAN_CHAR.findall(unit)) >= 4:
        return None  # a whole clause twice: the clause check reports it
    tokens = segmenter.tokens(s, end)
    if not second_whole and not {s, separator, separator + 1, end} <= _boundaries(tokens):
        return None  # the second copy is not the same word (发展，发展中国家)
    return Edit(separator, end, "")


# X、X, and X，X where the first X is a whole clause, with X of 2-8 Chinese characters, the
# longest X first. The patterns lead with the separator, so the regex engine skips from one
# to the next; fixed-width lookbehinds read X (and, for a clause, what opens it) before it.
_LISTED_TWICE = lazy_compile("、(?:" + "|".join(
    f"(?<=(?P<u{n}>[{HAN}]{{{n}}})、)(?P=u{n})" for n in range(8, 1, -1)) + ")")
_OPENING = re.escape("".join(sorted(_ITEM_START)) + "\n \t\u3000")
_BEGUN_TWICE = lazy_compile("[，,](?:" + "|".join(
    f"(?<=[{_OPENING}](?P<u{n}>[{HAN}]{{{n}}})[，,])(?P=u{n})" for n in range(8, 1, -1)) + ")")
_BEGUN_TWICE_AT_START = lazy_compile(rf"([{HAN}]{{2,8}})[，,]\1")


def _said_twice(text):
    """(start, position of the separator, unit) for each X、X and each clause X，X, in order."""
    found = []
    for pattern in (_LISTED_TWICE, _BEGUN_TWICE):
        for m in pattern.finditer(text):
            unit = text[m.start() + 1:m.end()]  # (groups of branches that failed stay set: not m.groups())
            found.append((m.start() - len(unit), m.start(), unit))
    start = _BEGUN_TWICE_AT_START.match(text)
    if start:
        found.append((0, len(start.group(1)), start.group(1)))
    return sorted(found)


_SEPARATORS = "，。；！？,;!?"
# A separator, then a clause that ends with the character before the separator: the
# candidates for a clause repeated (…，加强学习，加强学习，…). The pattern leads with the
# separator so the regex engine skips ahead to one; the lookbehind reads the character before.
_SAME_ENDING = lazy_compile(
    rf"[{_SEPARATORS}](?<=([^\s{_SEPARATORS}])[{_SEPARATORS}])[ \t\u3000]*([^{_SEPARATORS}\n]*?\1)"
    rf"[ \t\u3000]*(?=[{_SEPARATORS}\n]|$)")
_HAN_CHAR = lazy_compile(f"[{HAN}]")


def _clauses(doc, rule):
    text = doc.prose
    lines = doc.prose_lines
    repeated_lines = set()
    previous = None
    for index, line in enumerate(lines):
        stripped, before = line.strip(), previous
        previous = stripped
        # a line of prose (four Chinese characters or more): two identical lines of page
        # debris (<U+00A0>, 打印) are the page's furniture, which the artifact rules flag
        if len(stripped) >= 6 and stripped == before and len(_HAN_CHAR.findall(stripped)) >= 4:
            repeated_lines.add(index + 1)
            line_start, line_end = doc.line_span(index + 1)
            yield rule.finding(doc, line_start, max(line_end, line_start + 1),
                               message="这一行与上一行完全相同，像是重复粘贴：请删除多余的一行。",
                               fix=Edit(line_start - 1, line_end, ""))
    for m in _SAME_ENDING.finditer(text):
        clause = m.group(2)
        separator = m.start()
        # the clause before the separator ends with this one (a clause holds no separator)
        if len(clause) < 4 or separator < len(clause) or not text.startswith(clause, separator - len(clause)):
            continue
        if len(_HAN_CHAR.findall(clause)) < 4 or doc.position(separator)[0] in repeated_lines:
            continue
        yield rule.finding(doc, m.start(2), m.end(2), message=rule.message.replace("{unit}", clause),
                           fix=Edit(separator, m.end(2), ""))
