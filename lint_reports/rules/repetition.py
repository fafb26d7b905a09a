"""Kind `repetition`: words and clauses accidentally typed or pasted twice.

Two checks (the rule's `check` parameter):

  words    a character or word doubled by accident: 的的, 县县及外省, 贯贯穿, 向上上报,
           二十大二十大, 二十大、二十大. Candidates are found by a regular expression
           (adjacent repeated characters or n-grams); only a short window around each
           candidate is segmented with jieba (imported lazily: a file without candidates
           never loads it; its dictionary is looked up per window from an index, see
           lint_reports/lexicon.py), to tell a doubling from legitimate reduplication (研究研究,
           看看, 认认真真, 方方面面, 一个个, 天天, 人人, 层层, 念念文章) and from real
           repeated tokens (一一对应, 年年, numbers).
  clauses  the same clause twice in a row (…，加强学习，加强学习，…) or the same line
           twice in a row.

Data (rules/repetition.yaml, extendable by packs): `never_doubled` characters (function
words that are never reduplicated), `bound_suffixes` (们: never a word of its own),
`repetition_allow` strings, and the preposition and
direction characters of 向上上报-type overlaps. Config `repetition: {allow: [...],
user-dict: path}` adds allowed strings and a jieba user dictionary.

Failing example (rule repetition-word):

    全面学习贯彻党的二十大、二十大精神

Passing example:

    领导干部要认认真真研究研究，原原本本学习，方方面面落实。
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..finding import Edit

KIND = "repetition"
PARAMS = {"check": str, "window": int, "standalone_freq": int}
REQUIRED = ("check",)

HAN = "\u3400-\u9fff"
NUMERALS = set("零〇一二三四五六七八九十百千万亿两")
_DOUBLED = re.compile(rf"([{HAN}]{{1,4}}?)\1")  # XX, or XY…XY with a unit of up to four characters
_TRIPLED = re.compile(rf"([{HAN}])\1{{2,}}")  # one character three times or more: never reduplication
_ALL_HAN = re.compile(rf"[{HAN}]+")
_CONJUNCTIONS = {"及", "和", "与", "或", "以及", "并", "同"}


def prepare(rule, data) -> None:
    check = rule.params["check"]
    if check not in ("words", "clauses"):
        raise ValueError("'check' must be 'words' or 'clauses'")
    def chars(name):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and len(v) == 1 for v in value):
            raise ValueError(f"data '{name}' must be a list of single characters")
        return frozenset(value)
    allow = data.get("repetition_allow", [])
    if not isinstance(allow, list) or not all(isinstance(v, str) and v for v in allow):
        raise ValueError("data 'repetition_allow' must be a list of strings")
    rule.state = {
        "check": check,
        "window": rule.params.get("window", 6),
        "standalone": rule.params.get("standalone_freq", 5000),
        "never": chars("never_doubled"),
        "suffixes": chars("bound_suffixes"),
        "preps": chars("overlap_prepositions"),
        "directions": chars("overlap_directions"),
        "allow": tuple(allow),
    }


# --- jieba, loaded on first use -------------------------------------------------------

@lru_cache(maxsize=8192)
def _segment(window: str, user_dict) -> tuple:
    """((start, end, word, flag), ...) of `window`, offsets relative to it: jieba's
    segmentation and tags (HMM off), from the lexicon that looks words up one by one."""
    from ..lexicon import lexicon

    tokens, position = [], 0
    for word, flag in lexicon(user_dict).segment(window):
        tokens.append((position, position + len(word), word, flag))
        position += len(word)
    return tuple(tokens)


@lru_cache(maxsize=8192)
def _frequency(word: str, user_dict) -> int:
    from ..lexicon import lexicon

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


# --- decisions ----------------------------------------------------------------------

def _single(tokens, s, state, text, frequency):
    """XX at s: an accidental doubling? Returns the Edit that removes it, or None."""
    char = text[s]
    first, second = _at(tokens, s), _at(tokens, s + 1)
    if first is None or second is None:
        return None
    never = state["never"]
    # AABB reduplication (认认真真, 清清爽爽) of content words
    if char not in never and (s + 3 < len(text) and text[s + 2] == text[s + 3] != char
                              or s >= 2 and text[s - 2] == text[s - 1] != char):
        return None
    if first == second:
        _, _, word, flag = tokens[first]
        if len(word) > 2:
            return None  # 的的确确, 一个个, 村村通
        if char in never:
            return Edit(s + 1, s + 2, "")
        following = tokens[first + 1] if first + 1 < len(tokens) else None
        preceding = tokens[first - 1] if first > 0 else None
        if flag[:1] in ("n", "q") and following and (following[2] in _CONJUNCTIONS or following[3] == "c") \
                and preceding and preceding[3] in ("f", "s", "ns"):
            return Edit(s + 1, s + 2, "")  # 周边县县及外省: a place noun, not 县县 = every county
        return None
    a, b = tokens[first], tokens[second]
    len_a, len_b = a[1] - a[0], b[1] - b[0]
    if len_a == 1 and len_b == 1:
        if char in never or a[3][:1] not in ("v", "a", "m", "q", "t"):
            return Edit(s + 1, s + 2, "")
        return None  # reduplication jieba does not know as a word: 擦擦, 红红, 年年, 月月
    if len_a == 1 or len_b == 1:
        # 贯|贯穿 is a slip; 实事求是|是 and 是|是否 are two words (a common one-character
        # word stands on its own: jieba's word frequency tells which), but a bound suffix
        # never does (我们|们).
        if frequency(char) >= state["standalone"] and not (len_b == 1 and char in state["suffixes"]):
            return None
        return Edit(s, s + 1, "") if len_a == 1 else Edit(s + 1, s + 2, "")
    # XY|YZ overlaps are mostly legitimate (工作|作风, 学习|习近平); only a direction after
    # a preposition doubled into the next verb is a slip: 向上|上报, 向下|下达.
    if len_a == 2 and a[2][0] in state["preps"] and char in state["directions"] and b[3].startswith("v"):
        return Edit(s + 1, s + 2, "")
    return None


def _multi(tokens, s, n, text):
    """ABAB at s (unit length n): doubled word unless a verb reduplication (研究研究)."""
    bounds = _boundaries(tokens)
    if not {s, s + n, s + 2 * n} <= bounds:
        return None
    unit = [t for t in tokens if s <= t[0] and t[1] <= s + n]
    if n == 2 and len(unit) == 1 and unit[0][3].startswith("v"):
        return None
    return Edit(s + n, s + 2 * n, "")


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


def _settings(doc):
    settings = getattr(doc, "settings", None)
    repetition = getattr(settings, "repetition", None) or {}
    return tuple(repetition.get("allow", ())), repetition.get("user-dict")


def check(doc, rule):
    if rule.state["check"] == "clauses":
        yield from _clauses(doc, rule)
        return
    state = rule.state
    text = doc.prose
    user_allow, user_dict = _settings(doc)
    allow = state["allow"] + user_allow
    segmenter = _Segmenter(doc, state["window"], user_dict)
    reported = set()
    tripled = set()  # offsets inside a run of one character three times or more
    for m in _TRIPLED.finditer(text):
        char, s = m.group(1), m.start()
        tripled.update(range(s, m.end()))
        if char in NUMERALS or _allowed(text, s, m.end(), allow):
            continue
        # 紧紧紧围绕 -> 紧紧 (a reduplication jieba knows), 的的的 -> 的
        keep = 2 if char not in state["never"] and segmenter.frequency(char * 2) else 1
        reported.add(s)
        yield rule.finding(doc, s, m.end(), fix=Edit(s + keep, m.end(), ""),
                           message=rule.message.replace("{unit}", char), suggestion=char * keep)
    for m in _DOUBLED.finditer(text):
        unit = m.group(1)
        s = m.start()
        if s in tripled or set(unit) <= NUMERALS or _allowed(text, s, m.end(), allow):
            continue
        tokens = segmenter.tokens(s, m.end())
        fix = _single(tokens, s, state, text, segmenter.frequency) if len(unit) == 1 else _multi(tokens, s, len(unit), text)
        if fix is None:
            continue
        reported.add(s)
        yield rule.finding(doc, s, m.end(), fix=fix,
                           message=rule.message.replace("{unit}", unit),
                           suggestion=text[s:fix.start] + text[fix.end:m.end()])
    for s, comma, unit in _listed_twice(text):
        end = comma + 1 + len(unit)
        if set(unit) <= NUMERALS or _allowed(text, s, end, allow) or s in reported:
            continue
        if re.match(f"、[再又还更]?{re.escape(unit)}", text[end:end + len(unit) + 2]) or text[s - 1:s] == "、":
            continue  # 学习、学习、再学习: rhetoric, not a slip
        tokens = segmenter.tokens(s, end)
        if not {s, comma, comma + 1, end} <= _boundaries(tokens):
            continue
        # 党的二十大、二十大精神 lists one item twice. 质量安全、安全生产 and
        # 一级抓一级、一级带一级 chain two phrases that share a word: the first copy ends a
        # phrase begun by a noun, or the second starts a verb phrase.
        before = [t for t in tokens if t[1] == s]
        after = [t for t in tokens if t[0] == end]
        if before and before[0][3][:1] in ("n", "f", "s", "t", "a", "b") \
                or after and after[0][3][:1] in ("v", "f", "p", "d"):
            continue
        yield rule.finding(doc, s, end, fix=Edit(comma, end, ""),
                           message=rule.message.replace("{unit}", unit), suggestion=unit)


# X、X with X of 2-8 Chinese characters, the longest X first. The pattern leads with 、, so
# the regex engine skips from one 、 to the next; fixed-width lookbehinds read X before it.
_LISTED_TWICE = re.compile("、(?:" + "|".join(
    f"(?<=(?P<u{n}>[{HAN}]{{{n}}})、)(?P=u{n})" for n in range(8, 1, -1)) + ")")


def _listed_twice(text):
    """(start, position of 、, unit) for each X、X."""
    for m in _LISTED_TWICE.finditer(text):
        unit = text[m.start() + 1:m.end()]  # (groups of branches that failed stay set: not m.groups())
        yield m.start() - len(unit), m.start(), unit


_SEPARATORS = "，。；！？,;!?"
# A separator, then a clause that ends with the character before the separator: the
# candidates for a clause repeated (…，加强学习，加强学习，…). The pattern leads with the
# separator so the regex engine skips ahead to one; the lookbehind reads the character before.
_SAME_ENDING = re.compile(
    rf"[{_SEPARATORS}](?<=([^\s{_SEPARATORS}])[{_SEPARATORS}])[ \t\u3000]*([^{_SEPARATORS}\n]*?\1)"
    rf"[ \t\u3000]*(?=[{_SEPARATORS}\n]|$)")
_HAN_CHAR = re.compile(f"[{HAN}]")


def _clauses(doc, rule):
    text = doc.prose
    lines = doc.prose_lines
    repeated_lines = set()
    previous = None
    for index, line in enumerate(lines):
        stripped, before = line.strip(), previous
        previous = stripped
        if len(stripped) >= 6 and stripped == before:
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
