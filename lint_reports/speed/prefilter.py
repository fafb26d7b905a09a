r"""Literal prefilters for regular expressions: which lines can a rule's regex match at all?

Scanning a 20 MB archive once per rule is what makes a many-rule linter slow, so pattern
rules share one scan. For each regex, `analyse` reads its parse tree and finds

* whether it can ever match a newline (in its consumed text or in a lookaround). If it
  cannot, every match lies within one line, and searching only some lines — with
  `pattern.finditer(text, start, end)` over whole lines, which still lets lookbehinds and
  `^` see the real text before `start` — finds exactly the matches a full scan finds there;
* a set of literal strings ("factors") at least one of which lies inside every non-empty
  match. A line containing none of them cannot hold a match.

`Scan` finds the lines holding each factor of every rule that runs, in one pass over the
document (rules share factors such as `*`): one regex, the factors as a trie, visits each
position where a factor starts; `windows` turns a rule's candidate lines into the spans to
search. Findings stay identical to a line-by-line search by construction.

A regex that can match a newline only through `\s`, `\W`, `\D` or a `[^…]` class is searched
line by line, where none of them ever meets a newline: `line_bound` spells it so that it
cannot, and that form is searched over runs of lines (the patterns of web leftovers are
written `^\s*文章来源`, and were searched line by line on every line of a text).
"""
from __future__ import annotations

import bisect
import functools
import re
from typing import Optional

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

NEWLINE = 10
MAX_CLASS = 32  # a character class with more members is no useful factor
# factors this common would make the shared scan slower than the search (0.05 left
# artifact-source at 0.051 with no factors: its full search took 0.46 s of the 20 MB file)
MAX_WEIGHT = 0.06
_WHITESPACE_CATEGORIES = {_c.CATEGORY_SPACE, _c.CATEGORY_NOT_DIGIT, _c.CATEGORY_NOT_WORD,
                          _c.CATEGORY_LINEBREAK, _c.CATEGORY_UNI_SPACE, _c.CATEGORY_UNI_NOT_DIGIT,
                          _c.CATEGORY_UNI_NOT_WORD, _c.CATEGORY_UNI_LINEBREAK}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_ASSERTS = {_c.ASSERT, _c.ASSERT_NOT}
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)


class _Unsupported(Exception):
    """The regex uses something the analysis does not model: no prefilter."""


# ------------------------------------------------------------------ can it match "\n"?

def _class_has_newline(items, flags) -> bool:
    negate = False
    found = False
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            found |= av == NEWLINE
        elif op is _c.RANGE:
            found |= av[0] <= NEWLINE <= av[1]
        elif op is _c.CATEGORY:
            found |= av in _WHITESPACE_CATEGORIES
        else:
            raise _Unsupported(op)
    return found != negate


def _may_match_newline(seq, flags) -> bool:
    for op, av in seq:
        if op is _c.LITERAL:
            if av == NEWLINE:
                return True
        elif op is _c.NOT_LITERAL:
            if av != NEWLINE:
                return True
        elif op is _c.ANY:
            if flags & re.DOTALL:
                return True
        elif op is _c.IN:
            if _class_has_newline(av, flags):
                return True
        elif op is _c.AT:
            # \Z is where the searched span ends, not where the text ends.
            if av in (_c.AT_END_STRING,):
                return True
            if av is _c.AT_END and not flags & re.MULTILINE:
                return True
        elif op is _c.SUBPATTERN:
            sub_flags = (flags | av[1]) & ~av[2]
            if _may_match_newline(av[3], sub_flags):
                return True
        elif op is _c.BRANCH:
            if any(_may_match_newline(alt, flags) for alt in av[1]):
                return True
        elif op in _REPEATS:
            if _may_match_newline(av[2], flags):
                return True
        elif op in _ASSERTS:
            if _may_match_newline(av[1], flags):
                return True
        elif _ATOMIC is not None and op is _ATOMIC:
            if _may_match_newline(av, flags):
                return True
        else:  # back-references, conditionals, CATEGORY at top level...
            raise _Unsupported(op)
    return False


def may_match_newline(seq, flags: int) -> bool:
    """Could the parse tree `seq` match a newline (in its text or a lookaround)? True also
    when the analysis does not model something in it: the safe answer."""
    try:
        return _may_match_newline(seq, flags)
    except _Unsupported:
        return True


# ------------------------------------------------------------------ kept on its line

# \s less the newline, as members of a character class: the str.isspace() characters
# (tests/test_fast_paths.py checks the list against every code point)
SPACE_BUT_NEWLINE = "\\t\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_NEWLINE_IN_ESCAPES = {"s": ("[^\\S\\n]", SPACE_BUT_NEWLINE), "W": ("[^\\w\\n]", None), "D": ("[^\\d\\n]", None)}
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux]*(?:-[imsx]*)?[:)]")


def line_bound(pattern: "re.Pattern") -> Optional["re.Pattern"]:
    """The regex with its classes kept off the newline (`\\s` as “white space but a newline”,
    `[^…]` as `[^…\\n]`), compiled; None where the rewrite does not apply. (Whether the result
    can match a newline is for `search_plan` to tell.)

    Searched one line at a time (the `pattern` kind's way for a regex that can match a
    newline), a match and its lookaheads never see the newline: the span ends before it.
    So the rewritten regex finds what the original finds line by line, and if it cannot
    match a newline it can be searched over runs of lines, or the whole text, at once.
    Lookbehinds do see the line before: a rewrite inside one gives None."""
    source = pattern.pattern
    if not isinstance(source, str) or pattern.flags & (re.DOTALL | re.VERBOSE) or "(?#" in source:
        return None
    if any(("s" in m.group(0) or "x" in m.group(0)) for m in _INLINE_FLAGS.finditer(source)):
        return None
    out, groups, i = [], [], 0
    in_class = negated = changed = False
    class_start = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            escape = source[i + 1]
            replacement = _NEWLINE_IN_ESCAPES.get(escape)
            if replacement is not None and not (in_class and negated):
                if any(groups):  # inside a lookbehind
                    return None
                outside, inside = replacement
                if in_class and inside is None:
                    return None  # [\W…]: no class subtracts the newline from it
                out.append(inside if in_class else outside)
                changed = True
            else:
                out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]" and i > class_start:
                if negated:
                    if any(groups):
                        return None
                    out.append("\\n")
                    changed = True
                in_class = False
            elif ch == "[":
                return None  # a nested set (a FutureWarning in re): not modelled
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            negated = source.startswith("^", i + 1)
            prefix = 2 if negated else 1
            class_start = i + prefix + (1 if source.startswith("]", i + prefix) else 0)
            out.append(source[i:i + prefix])
            i += prefix
            continue
        if ch == "(":
            groups.append(source.startswith(("(?<=", "(?<!"), i))
        elif ch == ")" and groups:
            groups.pop()
        out.append(ch)
        i += 1
    if not changed or in_class:
        return None
    try:
        bound = re.compile("".join(out), pattern.flags & ~re.UNICODE)
    except (re.error, RecursionError):
        return None
    if bound.groupindex != pattern.groupindex or bound.groups != pattern.groups:
        return None
    return bound


def search_plan(pattern: "re.Pattern") -> tuple:
    """(regex to search, its analysis) for a regex searched line by line: the regex itself,
    or its `line_bound` form when that one cannot match a newline (so can be searched over
    runs of lines)."""
    plan = analyse(pattern)
    if not plan[0]:
        bound = line_bound(pattern)
        bound_plan = analyse(bound) if bound is not None else (False, None)
        if bound_plan[0]:
            return bound, bound_plan
    return pattern, plan


# ------------------------------------------------------------------ literal factors

# The commonest characters of Chinese report text: poor factors.
_COMMON = set("，。、；：“”（）《》的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分"
              "对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力"
              "里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外"
              "天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命"
              "此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
              "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九"
              "区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金"
              "增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务"
              "具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石"
              "记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技"
              "备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛"
              "亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听"
              "该铁价严")


def char_weight(ch: str) -> float:
    """A rough share of report text made of `ch`: rare symbols make good factors,
    common characters, Chinese punctuation and digits poor ones."""
    code = ord(ch)
    if ch in "，。、；：“”（）《》":
        return 0.03
    if ch in _COMMON:
        return 0.005
    if ch.isdigit():
        return 0.01
    if 0x3400 <= code <= 0x9FFF:
        return 0.0005
    if ch == " ":
        return 0.01
    if ch.isalpha():
        return 0.001
    return 0.0003


@functools.lru_cache(maxsize=None)
def key_char(factor: str) -> str:
    """The rarest character of a factor (by `char_weight`): absent from a text, so is the factor."""
    return min(factor, key=lambda ch: (char_weight(ch), ch))


def string_weight(text: str) -> float:
    """How often a factor may occur: no more often than its rarest character."""
    return char_weight(key_char(text))


def _class_chars(items) -> Optional[set]:
    chars: set = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # negation, categories, wide ranges
            return None
    return chars if len(chars) <= MAX_CLASS else None


def _element_factors(op, av, flags) -> Optional[set]:
    """Strings one of which every match of this element contains, or None."""
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        return _class_chars(av)
    if op is _c.SUBPATTERN:
        sub_flags = (flags | av[1]) & ~av[2]
        return _sequence_factors(av[3], sub_flags)
    if _ATOMIC is not None and op is _ATOMIC:
        return _sequence_factors(av, flags)
    if op is _c.BRANCH:
        union: set = set()
        for alt in av[1]:
            factors = _sequence_factors(alt, flags)
            if factors is None:
                return None
            union |= factors
        return union
    if op in _REPEATS and av[0] >= 1:
        return _sequence_factors(av[2], flags)
    return None


def _set_weight(factors: set) -> float:
    return sum(string_weight(f) for f in factors)


def _sequence_factors(seq, flags) -> Optional[set]:
    """The best factor set of a sequence: a run of literals, or one mandatory element."""
    if flags & re.IGNORECASE:
        return None
    best, best_weight = None, float("inf")
    run = ""

    def consider(factors):
        nonlocal best, best_weight
        if factors:
            weight = _set_weight(factors)
            if weight < best_weight:
                best, best_weight = factors, weight

    for op, av in seq:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        consider({run} if run else None)
        run = ""
        if op is _c.ASSERT and av[0] == 1:
            # a positive lookahead's text is on the same line when matches are searched
            # line by line; a lookbehind may reach into the previous line
            consider(_sequence_factors(av[1], flags))
            continue
        if op in _ASSERTS or op is _c.AT:
            continue  # zero-width: no factor, and it ends the literal run
        consider(_element_factors(op, av, flags))
    consider({run} if run else None)
    return best


def analyse(pattern: "re.Pattern") -> tuple:
    """(single_line, factors) of a compiled pattern.

    single_line: it can never match a newline, not even in a lookaround, so every match lies
    within one line. factors: a frozenset of literals one of which every non-empty match
    contains (in its own text or a positive lookahead), or None when there is no useful set.
    Anything the analysis does not model gives (False, None): search everything."""
    if not isinstance(pattern.pattern, str):
        return False, None
    try:
        tree = _p.parse(pattern.pattern, pattern.flags & ~re.UNICODE)
        seq = tree.data if hasattr(tree, "data") else tree
        flags = pattern.flags | tree.state.flags
        single_line = not _may_match_newline(seq, flags)
        factors = _sequence_factors(seq, flags)
    except (_Unsupported, re.error, RecursionError):
        return False, None
    if not factors or any(f == "" or "\n" in f for f in factors) or _set_weight(factors) > MAX_WEIGHT:
        factors = None
    return single_line, (frozenset(factors) if factors else None)


# ------------------------------------------------------------------ the shared scan

@functools.lru_cache(maxsize=64)
def _key_chars_pattern(keys: frozenset) -> "re.Pattern":
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(keys)) + "]")


BLOCK = 32768  # characters: the unit in which the scan asks which key characters occur


def _trie_source(factors) -> str:
    """One regex matching, at any position, the longest of `factors` starting there: the
    factors as a trie of alternatives (so `re` checks one branch per character, and skips
    positions whose character starts no factor)."""
    tree: dict = {}
    for factor in factors:
        node = tree
        for ch in factor:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longest factor first

    return build(tree)


@functools.lru_cache(maxsize=16)
def factor_finder(factors: frozenset) -> tuple:
    """(search of the trie regex, factor -> the factors it starts with, itself included)."""
    ordered = sorted(factors)
    regex = re.compile(_trie_source(ordered))
    prefixes = {f: [g for g in ordered if f.startswith(g)] for f in ordered}
    return regex.search, prefixes


# The optional compiled engine (the `fast` extra): Aho-Corasick over all factors at once,
# every occurrence reported (overlapping). It finds exactly what the trie regex finds.
# None: the pure-Python path. Tests switch it off to compare both.
try:
    import ahocorasick_rs as ENGINE
except ImportError:  # pragma: no cover - the extra is not installed
    ENGINE = None


ENGINE_PIECE = 1 << 18  # characters handed to the engine at once (see Scan._scan_with_engine)


@functools.lru_cache(maxsize=16)
def _automaton(factors: frozenset) -> tuple:
    ordered = sorted(factors)
    return ENGINE.AhoCorasick(ordered), ordered


class Scan:
    """The lines of one text holding each factor, shared by the rules that run on it.

    All the factors of the rules that run are looked for in one pass (`factor_finder`): at
    each position where one of them starts, the longest one starting there is found, and
    with it every factor it starts with. Every position holding a factor is visited, so
    each factor's lines are exactly those holding it. A factor outside that set (asked for
    later) is looked for on its own with `str.find`, in the blocks of about BLOCK characters
    where its rarest character occurs."""

    def __init__(self, text: str, line_starts: list, factors=()):
        self.text = text
        self.line_starts = line_starts
        self._factor_lines: dict = {}
        self._scanned = frozenset(factors)
        self._checked: set = set()
        self._blocks = None
        if self._scanned:
            self._factor_lines = self._scan_all(self._scanned)

    def _scan_all(self, factors: frozenset) -> dict:
        if ENGINE is not None:
            try:
                return self._scan_with_engine(factors)
            except UnicodeEncodeError:  # a lone surrogate (undecodable bytes kept): not UTF-8 to the engine
                pass
        search, prefixes = factor_finder(factors)
        text, starts, bisect_right = self.text, self.line_starts, bisect.bisect_right
        found: dict = {}
        position = line = 0
        match = search(text, position)
        while match is not None:
            start = match.start()
            line = bisect_right(starts, start, line) - 1
            for factor in prefixes[match.group()]:
                lines = found.get(factor)
                if lines is None:
                    found[factor] = [line]
                elif lines[-1] != line:
                    lines.append(line)
            match = search(text, start + 1)
        return found

    def _scan_with_engine(self, factors: frozenset) -> dict:
        automaton, ordered = _automaton(factors)
        starts, bisect_right = self.line_starts, bisect.bisect_right
        text, overlap = self.text, max(map(len, ordered)) - 1
        by_index: dict = {}
        # The engine returns every occurrence at once, a tuple each: on a text made of
        # factors (a 60 MB line of `XX，`) that list alone took gigabytes. So the text goes in
        # pieces of ENGINE_PIECE characters, each with the few after it that an occurrence
        # starting inside it may reach into; one starting in that overlap is counted with
        # the next piece. Occurrences come in the order they end: for one factor, in the
        # order they start, and so, piece after piece, for the whole text.
        for offset in range(0, max(len(text), 1), ENGINE_PIECE):
            piece = text[offset:offset + ENGINE_PIECE + overlap] if len(text) > ENGINE_PIECE else text
            for index, start, _ in automaton.find_matches_as_indexes(piece, overlapping=True):
                if start >= ENGINE_PIECE:
                    continue
                line = bisect_right(starts, start + offset) - 1
                lines = by_index.get(index)
                if lines is None:
                    by_index[index] = [line]
                elif lines[-1] != line:
                    lines.append(line)
        return {ordered[index]: lines for index, lines in by_index.items()}

    @property
    def blocks(self) -> list:
        if self._blocks is None:
            self._blocks = self._cut(self.text, self.line_starts)  # [(start, end, present key chars)]
        return self._blocks

    @staticmethod
    def _cut(text: str, line_starts: list) -> list:
        blocks, start, size = [], 0, len(text)
        while start < size:
            index = bisect.bisect_left(line_starts, start + BLOCK)
            end = line_starts[index] if index < len(line_starts) else size
            blocks.append((start, end, set()))
            start = end
        return blocks

    def add(self, factors) -> None:
        """Look up in which blocks these factors' key characters occur."""
        keys = frozenset(key_char(f) for f in factors) - self._checked
        if keys:
            findall = _key_chars_pattern(keys).findall
            for start, end, present in self.blocks:
                present.update(findall(self.text, start, end))
            self._checked |= keys

    def factor_lines(self, factor: str) -> list:
        """Ascending 0-based indexes of the lines containing `factor`."""
        cached = self._factor_lines.get(factor)
        if cached is None:
            if factor in self._scanned:
                return []
            key = key_char(factor)
            if key not in self._checked:
                self.add((factor,))
            cached = self._factor_lines[factor] = self._find_lines(factor, key)
        return cached

    def _find_lines(self, factor: str, key: str) -> list:
        find, starts = self.text.find, self.line_starts
        count = len(starts)
        lines: list = []
        line = -1
        for start, end, present in self.blocks:
            if key not in present:
                continue
            position = find(factor, start, end)  # a factor never holds a newline: it ends in its line
            while position != -1:
                line = bisect.bisect_right(starts, position, line + 1) - 1
                lines.append(line)
                if line + 1 >= count or starts[line + 1] >= end:
                    break
                position = find(factor, starts[line + 1], end)  # one hit per line is enough
        return lines

    def candidate_lines(self, factors) -> list:
        """Ascending 0-based indexes of the lines containing one of `factors`."""
        lists = [found for found in (self.factor_lines(f) for f in factors) if found]
        if not lists:
            return []
        if len(lists) == 1:
            return lists[0]
        return sorted(set().union(*lists))

    def windows(self, lines) -> list:
        """(start, end) spans of runs of consecutive candidate lines, each ending after its
        newline, for `pattern.finditer(text, start, end)`."""
        spans = []
        starts, size, count = self.line_starts, len(self.text), len(self.line_starts)
        run_first = run_last = None
        for line in lines:
            if run_last is not None and line == run_last + 1:
                run_last = line
                continue
            if run_first is not None:
                spans.append((starts[run_first], starts[run_last + 1] if run_last + 1 < count else size))
            run_first = run_last = line
        if run_first is not None:
            spans.append((starts[run_first], starts[run_last + 1] if run_last + 1 < count else size))
        return spans
