"""Dated facts (from the packs' `data: era_facts`) and where a document mentions them.

The facts are data: congresses, plenums, five-year plans, campaigns, guiding formulas,
anniversary bases, institutions and slogans, each with the month it started and the month
it stopped being current. This module compiles every name of every fact into ONE regular
expression (built once per set of packs), finds the mentions in a document in one pass,
and tells for each mention whether the text uses it as current guidance or a current goal
("贯彻落实…精神", "确保…目标完成", "今年是…周年") or only as history ("…以来", "…期间",
"回顾…", a date range, a title in 《》).

Deciding whether a current use is stale needs the document's year: see lint_reports.core.year.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from typing import Optional

from ...core.structure import chinese_number
from ...core.year import decide_parts
from ...speed.lazyre import lazy_compile

FACT_KINDS = ("congress", "plenum", "five_year_plan", "campaign", "ideology",
              "anniversary_base", "institution", "slogan")
KIND_LABELS = {
    "congress": "党代会", "plenum": "中央全会", "five_year_plan": "五年规划", "campaign": "集中教育/专项活动",
    "ideology": "指导思想提法", "anniversary_base": "纪念日", "institution": "机构", "slogan": "提法",
}
_DATE = lazy_compile(r"^(\d{4})(?:-(\d{2}))?$")
QUOTES = "“”\"'‘’「」『』"
_CN_NUMERAL = "〇零一二三四五六七八九十百两"
_ADMIN = "省市县区州旗盟镇乡"


def parse_date(value, what: str, fact_id: str) -> Optional[tuple]:
    """"2012-11" -> (2012, 11); "2012" -> (2012, None)."""
    if value is None:
        return None
    m = _DATE.match(str(value).strip())
    if not m:
        raise ValueError(f"era fact '{fact_id}': '{what}' must be \"YYYY\" or \"YYYY-MM\", not {value!r}")
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def _stale_after(date: Optional[tuple], prompt: bool = False) -> Optional[int]:
    """Last document year in which the item may still be current.

    A report of the year after a change often reviews the year before it, when the old item
    was still current: a change in the second half of a year (or at an unknown month) is
    only stale from the year after next, one in the first half from the next year.
    `prompt`: a new congress replaces the guidance at once, and every report of the next
    year cites it; those that review the old year say so ("过去一年，…", "2022年，…",
    a "…工作回顾" section), which is read as history. So a congress or plenum is stale
    from the next year (from the year after next only when the month is unknown)."""
    if date is None:
        return None
    year, month = date
    if month is None:
        return year + 1
    return year if prompt or month < 7 else year + 1


@dataclass
class Fact:
    id: str
    kind: str
    names: list
    start: Optional[tuple]
    end: Optional[tuple]
    source: str
    local_names: list = field(default_factory=list)
    local_end: Optional[tuple] = None
    superseded_by: list = field(default_factory=list)
    term: Optional[int] = None
    session: Optional[int] = None
    base_year: Optional[int] = None
    patterns: list = field(default_factory=list)
    special_forms: dict = field(default_factory=dict)
    nameplate_retained: bool = False
    expected: bool = False
    weak: bool = False
    current_as: str = ""

    @property
    def label(self) -> str:
        return self.names[0] if self.names else self.id

    @property
    def start_year(self) -> Optional[int]:
        return self.start[0] if self.start else None

    def stale_after(self, local: bool = False, nameplate: bool = True) -> Optional[int]:
        """Last year the item may be current; None when it never goes stale (a weak fact, or
        with `nameplate`, a body whose plate survives)."""
        if self.weak or nameplate and self.nameplate_retained:
            return None
        if local and self.local_end:
            return _stale_after(self.local_end)
        return _stale_after(self.end, prompt=self.kind in ("congress", "plenum"))

    def period(self) -> str:
        """"2010年" for a one-off event, "2011—2015年" for a span."""
        if self.start and self.end and self.kind not in ("plenum", "congress"):
            if self.start[0] == self.end[0]:
                return f"{self.start[0]}年"
            return f"{self.start[0]}—{self.end[0]}年"
        if self.start:
            return f"{self.start[0]}年"
        return ""


def _fact_from_entry(entry) -> Fact:
    if not isinstance(entry, dict):
        raise ValueError("each entry of 'era_facts' must be a mapping")
    fact_id = entry.get("id")
    if not isinstance(fact_id, str) or not fact_id:
        raise ValueError("an entry of 'era_facts' has no 'id'")
    kind = entry.get("kind")
    if kind not in FACT_KINDS:
        raise ValueError(f"era fact '{fact_id}': kind must be one of {', '.join(FACT_KINDS)}")
    names = entry.get("names") or []
    for key in ("names", "local_names", "patterns", "superseded_by"):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"era fact '{fact_id}': '{key}' must be a list of strings")
    if not names and not entry.get("patterns"):
        raise ValueError(f"era fact '{fact_id}': needs 'names'")
    if "source" not in entry:
        raise ValueError(f"era fact '{fact_id}': needs 'source' (where the date was checked)")
    if kind == "anniversary_base" and not isinstance(entry.get("base_year"), int):
        raise ValueError(f"era fact '{fact_id}': an anniversary_base needs an integer 'base_year'")
    for pattern in entry.get("patterns", []):
        if "{N}" not in pattern:
            raise ValueError(f"era fact '{fact_id}': pattern {pattern!r} has no {{N}}")
    special = entry.get("special_forms") or {}
    if not isinstance(special, dict) or not all(isinstance(v, int) for v in special.values()):
        raise ValueError(f"era fact '{fact_id}': 'special_forms' must map phrases to numbers")
    return Fact(
        id=fact_id, kind=kind, names=list(names),
        start=parse_date(entry.get("start"), "start", fact_id),
        end=parse_date(entry.get("end"), "end", fact_id),
        source=str(entry.get("source")),
        local_names=list(entry.get("local_names", [])),
        local_end=parse_date(entry.get("local_end"), "local_end", fact_id),
        superseded_by=list(entry.get("superseded_by", [])),
        term=entry.get("term"), session=entry.get("session"),
        base_year=entry.get("base_year"), patterns=list(entry.get("patterns", [])),
        special_forms=dict(special), nameplate_retained=bool(entry.get("nameplate_retained")),
        expected=bool(entry.get("expected")), weak=bool(entry.get("weak")),
        current_as=str(entry.get("current_as") or ""),
    )


def _strip_quotes(text: str) -> str:
    return "".join(ch for ch in text if ch not in QUOTES)


_NUMBER = rf"(?:\d{{1,3}}|[{_CN_NUMERAL}]{{1,5}})"
_NOT_CONGRESS_CHARS = "类项工程行产业重点任务举措专板块方面领域特色件批"
_FUNCTION_CHARS = "原由和与及经向在对据将的是从同为、"


_QUOTE_RE = lazy_compile(f"[{re.escape(QUOTES)}]")


def _without_quotes(text: str) -> tuple:
    """`text` without quotation marks, and a function from an offset in it to the offset
    of the same character in `text`."""
    # One split, its pieces' lengths summed in C (a long report has a quotation mark every
    # few lines: a Python step per mark was most of the cost).
    pieces = _QUOTE_RE.split(text)
    if len(pieces) == 1:
        return text, lambda offset: offset
    # removed[j]: where, in the stripped text, the j-th quotation mark was taken out
    removed = list(itertools.accumulate(map(len, pieces)))
    removed.pop()
    return "".join(pieces), lambda offset: offset + bisect.bisect_right(removed, offset)


_CHUNK = 1 << 18  # characters


def _line_chunks(text: str):
    """(offset, piece) of `text` in runs of whole lines of about _CHUNK characters: no fact's
    name spans a line, and a long text's copy without quotation marks (and the pieces it is
    made from) is then never made whole (the memory peak of a 20 MB file)."""
    start = 0
    while len(text) - start > _CHUNK:
        cut = text.find("\n", start + _CHUNK) + 1
        if cut == 0:
            break
        yield start, text[start:cut]
        start = cut
    yield start, text[start:] if start else text


def _trie_regex(words) -> str:
    """One regex for many literal words, as a trie (Python's re does not build one itself),
    so that the scan costs one pass whatever the number of names. Longest match first."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(trie) or "(?!)"
# After a bare 十X大: 十二大工程, 二十大类 are not congresses.
_CONGRESS_BARE = lazy_compile(r"^[十二]+[一二三四五六七八九]?大$")
# 七五普法 and 六五环境日 are not five-year plans; 十五届, 十五大 are not 十五.
_NOT_PLAN = lazy_compile(r"^\s*(?:普法|环境日|之尊|届|次|大|中全会)")


def _entries(value, key: str) -> list:
    if value is None or value == ():
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"'{key}' must be a list of mappings")
    return value


def _words(entry: dict, key: str, where: str, required: bool = False) -> Optional["re.Pattern"]:
    """One regex for the literal words of `entry[key]` (None when absent)."""
    words = entry.get(key)
    if words is None and not required:
        return None
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
        raise ValueError(f"{where}: '{key}' must be a non-empty list of words")
    return re.compile(_trie_regex(sorted(set(words))))


def _senses(value, facts: dict) -> dict:
    """stripped name -> (fact id or None, regex of the words of the fact's sense)."""
    senses = {}
    for entry in _entries(value, "era_senses"):
        where = f"era sense '{entry.get('id', '?')}'"
        fact_id = entry.get("fact")
        if fact_id is not None and fact_id not in facts:
            raise ValueError(f"{where}: fact '{fact_id}' is not a known fact id")
        names = entry.get("names")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise ValueError(f"{where}: 'names' must be a non-empty list of names")
        words = _words(entry, "only_with", where, required=True)
        for name in names:
            senses[_strip_quotes(name)] = (fact_id, words)
    return senses


@dataclass(frozen=True)
class LookBackCue:
    """Words that make a mention history (see `era_look_back` in rules/era.yaml)."""
    id: str
    kinds: frozenset
    before: Optional["re.Pattern"]  # in the mention's clause, before it
    after: Optional["re.Pattern"]  # in the mention's clause, after it
    in_review: bool  # only in a look-back (a …回顾 section, a sentence opening 过去五年，)
    unless_before: Optional["re.Pattern"]  # …but not when these stand before it in its clause
    unless_sentence: Optional["re.Pattern"]  # …or anywhere before it in its sentence

    def matches(self, kind, clause_before, clause_after, sentence_before, looking_back) -> bool:
        if kind not in self.kinds or self.in_review and not looking_back:
            return False
        if self.before is not None and not self.before.search(clause_before):
            return False
        if self.after is not None and not self.after.search(clause_after):
            return False
        if self.unless_before is not None and self.unless_before.search(clause_before):
            return False
        return not (self.unless_sentence is not None and self.unless_sentence.search(sentence_before))


def _look_back_cue(entry: dict) -> LookBackCue:
    where = f"era look-back cue '{entry.get('id', '?')}'"
    kinds = entry.get("kinds") or list(FACT_KINDS)
    if not isinstance(kinds, list) or any(k not in FACT_KINDS for k in kinds):
        raise ValueError(f"{where}: 'kinds' takes kinds from: {', '.join(FACT_KINDS)}")
    cue = LookBackCue(str(entry.get("id", "")), frozenset(kinds), _words(entry, "before", where),
                      _words(entry, "after", where), bool(entry.get("in_review")),
                      _words(entry, "unless_before", where), _words(entry, "unless_sentence", where))
    if cue.before is None and cue.after is None and not cue.in_review:
        raise ValueError(f"{where}: needs 'before', 'after' or 'in_review'")
    return cue


def _series(value) -> Optional[tuple]:
    """(kinds, regex of the text allowed between two items of a list) or None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("'era_series' must be a mapping with 'kinds' and 'joiners'")
    kinds = value.get("kinds")
    if not isinstance(kinds, list) or not kinds or any(k not in FACT_KINDS for k in kinds):
        raise ValueError(f"era_series: 'kinds' takes kinds from: {', '.join(FACT_KINDS)}")
    joiners = value.get("joiners")
    if not isinstance(joiners, list) or not joiners or not all(isinstance(j, str) and j for j in joiners):
        raise ValueError("era_series: 'joiners' must be a non-empty list of words")
    quote = f"[{re.escape(QUOTES)}\\s]*"
    gap = re.compile(f"{quote}(?:{_trie_regex(sorted(set(joiners)))}){quote}")
    return frozenset(kinds), gap


class Knowledge:
    """All era facts of the loaded packs, with one compiled regex over all their names."""

    def __init__(self, entries, senses=(), look_back=(), series=None):
        if not isinstance(entries, list):
            raise ValueError("'era_facts' must be a list of facts")
        facts: dict = {}
        for entry in entries:
            fact = _fact_from_entry(entry)
            facts[fact.id] = fact  # a later pack may correct a built-in fact
        for fact in facts.values():
            for other in fact.superseded_by:
                if other not in facts:
                    raise ValueError(f"era fact '{fact.id}': superseded_by '{other}' is not a known fact id")
        self.facts = facts
        self.plenums = {}
        for fact in facts.values():
            if fact.kind == "plenum" and isinstance(fact.term, int) and isinstance(fact.session, int):
                self.plenums[(fact.term, fact.session)] = fact
        for fact in facts.values():
            if fact.kind == "congress" and fact.term is None:
                fact.term = _congress_term(fact.names)
        self.congresses = sorted((f for f in facts.values() if f.kind == "congress" and f.start and not f.expected),
                                 key=lambda f: f.start)
        self.plans = sorted((f for f in facts.values() if f.kind == "five_year_plan" and f.start),
                            key=lambda f: f.start)
        self.senses = _senses(senses, facts)
        self.look_back = tuple(_look_back_cue(entry) for entry in _entries(look_back, "era_look_back"))
        self.series = _series(series)
        self._compile()

    def _compile(self) -> None:
        """Three regexes, each scanned once: a trie of every name (quotation marks removed),
        the plenums in any list form, and the anniversaries "<event>N周年"."""
        # A name shared by two facts (广电总局: the 1998–2013 body and the 2018 one) dates nothing.
        owners: dict = {}
        for fact in self.facts.values():
            for name in fact.names + fact.local_names:
                owners.setdefault(_strip_quotes(name), set()).add(fact.id)
        self.ambiguous = {name for name, ids in owners.items() if len(ids) > 1}
        self.by_name: dict = {}  # stripped name -> [(fact, local, anniversary number)]
        prefixes: dict = {}  # anniversary pattern prefix -> {suffix: fact}
        for fact in self.facts.values():
            if fact.kind == "anniversary_base":
                for pattern in fact.patterns:
                    before, _, after = (_strip_quotes(x) for x in pattern.partition("{N}"))
                    prefixes.setdefault(before, {})[after] = fact
                for phrase, number in fact.special_forms.items():
                    self.by_name.setdefault(_strip_quotes(phrase), []).append((fact, False, number))
                continue
            for local, names in ((False, fact.names), (True, fact.local_names)):
                for name in names:
                    stripped = _strip_quotes(name)
                    if stripped and stripped not in self.ambiguous:
                        self.by_name.setdefault(stripped, []).append((fact, local, None))
        # a local name after 县/市/区 first (县地税局 is the county bureau); sorted once here,
        # not at every hit
        self._candidates = {name: sorted(candidates, key=lambda c: not c[1])
                            for name, candidates in self.by_name.items()}
        self.names_regex = re.compile(_trie_regex(self.by_name)) if self.by_name else None
        self.anniversaries = prefixes
        suffixes = {suffix for table in prefixes.values() for suffix in table}
        self.anniversary_regex = re.compile(
            f"(?P<pre>{_trie_regex(prefixes)})(?P<n>{_NUMBER})(?P<suf>{_trie_regex(suffixes)})") if prefixes else None
        terms = sorted({term for term, _ in self.plenums}, reverse=True)
        # Searched from the literal 届 (fast), then the term and its prefix are read backwards.
        self.plenum_regex = re.compile(
            r"届(?:(?:[一二三四五六七八九]中[、，,和及与]*)+全会|中央委员会第[一二三四五六七八九]次全体会议|历次全会)"
        ) if terms else None
        self.plenum_term_regex = re.compile(
            rf"(?<![{_ADMIN}委])(?:中国共产党第|党的|中共)?(?:{'|'.join(_term_word(t) for t in terms)})$"
        ) if terms else None

    @staticmethod
    def _fits(text: str, start: int, end: int, fact: Fact, local: bool, name: str) -> bool:
        """The checks a bare name needs to be this fact and not part of another word."""
        before = text[start - 1] if start else ""
        after = text[end:end + 6]
        if local:
            return before != "" and before in _ADMIN
        if name[0] in _CN_NUMERAL and before and before in _CN_NUMERAL + "第":
            return False
        if fact.kind == "plenum" and before and before in _ADMIN + "委":
            return False  # 市委十九届五中全会: a local committee's own plenum
        if fact.kind == "congress" and _CONGRESS_BARE.match(name) and after[:1] and after[0] in _NOT_CONGRESS_CHARS:
            return False
        if fact.kind == "five_year_plan" and _NOT_PLAN.match(after):
            return False
        if fact.kind == "institution" and len(name) <= 3 and name[-1] in "部局委" and before \
                and "\u4e00" <= before <= "\u9fff" and before not in _FUNCTION_CHARS:
            return False
        return True

    def congress_current_in(self, year: int) -> Optional[Fact]:
        current = None
        for congress in self.congresses:
            if congress.start[0] <= year:
                current = congress
        return current

    def plan_current_in(self, year: int) -> Optional[Fact]:
        for plan in self.plans:
            if plan.start[0] <= year <= (plan.end[0] if plan.end else 9999):
                return plan
        return None

    def campaign_in(self, year: int) -> Optional[Fact]:
        """The time-boxed campaign running in `year` (the latest begun, if two were)."""
        running = [f for f in self.facts.values() if f.kind == "campaign" and f.start and f.end
                   and f.start[0] <= year <= f.end[0]]
        return max(running, key=lambda f: f.start) if running else None

    def scan(self, text: str) -> list:
        """Every mention of a fact in `text`, left to right, not overlapping."""
        found = []
        for offset, chunk in _line_chunks(text):
            found += self._scan_chunk(chunk, offset)
        found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        mentions = []
        covered = 0
        for start, end, mention in found:
            if start < covered:
                continue  # inside a longer mention (a plenum list, an anniversary)
            covered = end
            mention.place(text, start, end)
            if self.senses and not self._in_sense(text, mention):
                continue  # the words name something else here (零就业家庭动态清零)
            mentions.append(mention)
        return _join_congress_and_plenums(text, mentions)

    def _in_sense(self, text: str, mention: "Mention") -> bool:
        """Whether a name that also has a current everyday sense is used in the fact's sense:
        the sentence holds one of the words of that sense (see `era_senses`)."""
        sense = self.senses.get(_strip_quotes(mention.text))
        if sense is None or sense[0] not in (None, mention.fact.id):
            return True
        first, last = sentence_bounds(text, mention.start, mention.end)
        return sense[1].search(text, first, last) is not None

    def _scan_chunk(self, text: str, offset: int) -> list:
        """(start, end, Mention) of every candidate in `text`, a run of whole lines starting
        at `offset`: the spans are offsets into the whole text, quotation marks included."""
        stripped, original = _without_quotes(text)
        found = []
        if self.plenum_regex is not None:
            for m in self.plenum_regex.finditer(stripped):
                # the longest prefix and term, 中国共产党第二十, is 8 characters; the
                # lookbehind (not 县委十五届) still sees the text before the window
                term = self.plenum_term_regex.search(stripped, max(0, m.start() - 8), m.start())
                if term is None:
                    continue
                mention = self._plenum_mention(stripped[term.start():m.end()])
                if mention:
                    found.append((term.start(), m.end(), mention))
        if self.anniversary_regex is not None:
            for m in self.anniversary_regex.finditer(stripped):
                fact = self.anniversaries.get(m.group("pre"), {}).get(m.group("suf"))
                raw = m.group("n")
                number = int(raw) if raw.isdigit() else chinese_number(raw)
                if fact is not None and number:
                    found.append((m.start(), m.end(), Mention(fact, 0, 0, m.group(), number=number)))
        if self.names_regex is not None:
            pos = 0
            while True:
                m = self.names_regex.search(stripped, pos)
                if m is None:
                    break
                hit = self._name_hit(stripped, m.start(), m.group())
                if hit is None:
                    pos = m.start() + 1
                    continue
                found.append(hit)
                pos = hit[1]
        # the offsets map in order (one character to one), so spans keep their order and nesting
        return [(offset + original(start), offset + original(end - 1) + 1, mention) for start, end, mention in found]

    def _name_hit(self, stripped: str, start: int, matched: str):
        """The longest name at `start` whose checks pass, as (start, end, Mention)."""
        for length in range(len(matched), 0, -1):
            name = matched[:length]
            candidates = self._candidates.get(name)
            if not candidates:
                continue
            end = start + length
            for fact, local, number in candidates:
                if number is not None:
                    return start, end, Mention(fact, 0, 0, name, number=number)
                if self._fits(stripped, start, end, fact, local, name):
                    # a county body is reported with its level: 县国土资源局
                    return start - local, end, Mention(fact, 0, 0, name, local=local)
        return None

    def _plenum_mention(self, text: str) -> Optional["Mention"]:
        term_match = re.search(r"(二十|十[一二三四五六七八九]|[一二三四五六七八九])届", text)
        term = chinese_number(term_match.group(1))
        if text.endswith("历次全会"):
            sessions = sorted(s for t, s in self.plenums if t == term)
        elif "中央委员会第" in text:
            sessions = [chinese_number(re.search(r"第(.)次", text).group(1))]
        else:
            sessions = [chinese_number(s) for s in re.findall(r"([一二三四五六七八九])中", text)]
        facts = [self.plenums[(term, s)] for s in sessions if (term, s) in self.plenums]
        if not facts:
            return None
        # Spirits of one Central Committee accumulate: the list is as current as its last plenum.
        fact = max(facts, key=lambda f: (f.start or (0, 0)))
        return Mention(fact, 0, 0, text, plenums=facts)


def _congress_term(names) -> Optional[int]:
    """16 for a congress called 党的十六大 / 第十六次全国代表大会."""
    for name in names:
        m = re.search(r"第?([一二三四五六七八九十]+)(?:次全国代表大会|大)$", name)
        if m:
            return chinese_number(m.group(1))
    return None


_JOINER = lazy_compile(r"^\s*(?:和|及|以及|与|、)\s*$")


def _join_congress_and_plenums(text: str, mentions: list) -> list:
    """"党的十九大和十九届二中、三中全会精神" is one reference (one finding), to the
    plenums: a congress directly followed by plenums of its own Central Committee."""
    joined = []
    for mention in mentions:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.fact.kind == "congress" and mention.fact.kind == "plenum"
                and previous.fact.term is not None and previous.fact.term == mention.fact.term
                and _JOINER.match(text[previous.end:mention.start])):
            mention.place(text, previous.start, mention.end)
            joined[-1] = mention
            continue
        joined.append(mention)
    return joined


def _term_word(term: int) -> str:
    digits = "一二三四五六七八九"
    if term < 10:
        return digits[term - 1]
    if term < 20:
        return "十" + (digits[term - 11] if term > 10 else "")
    return "二十" + (digits[term - 21] if term > 20 else "")


class Mention:
    """One reference to a dated fact: where it stands in the scanned text, as written
    (`text`), and how the words around it use it (`use`, `clause_years`).

    Slotted, with `text` read from the scanned text on demand: a 20 MB compilation holds
    about 50 000 mentions for its whole run."""

    __slots__ = ("fact", "start", "end", "local", "number", "plenums", "source", "_written",
                 "_use", "_clause_years", "_context")

    def __init__(self, fact: Fact, start: int, end: int, text: str, local: bool = False,
                 number: Optional[int] = None, plenums: tuple = ()):
        self.fact, self.start, self.end = fact, start, end
        self.local = local
        self.number = number  # the N of an anniversary
        self.plenums = tuple(plenums)
        self.source: Optional[str] = None  # the scanned text, once the mention is placed in it
        self._written = text
        # use (current | ahead | history | neutral) and clause_years (the years written in the
        # mention's sentence) are classified from the words around the mention on first access:
        # most mentions are of things still current in the document's year and never need it.
        self._use: Optional[str] = None
        self._clause_years: Optional[tuple] = None
        self._context: Optional[tuple] = None  # (text, in_review(offset), look-back cues)

    def place(self, source: str, start: int, end: int) -> None:
        """Put the mention at source[start:end] (its text is read from there from now on)."""
        self.source, self.start, self.end, self._written = source, start, end, None

    @property
    def text(self) -> str:
        return self._written if self.source is None else self.source[self.start:self.end]

    def __repr__(self) -> str:
        return f"Mention({self.fact.id!r}, {self.start}, {self.end}, {self.text!r})"

    @property
    def use(self) -> str:
        if self._use is None:
            self._classify()
        return self._use

    @use.setter
    def use(self, value: str) -> None:
        self._use = value

    @property
    def clause_years(self) -> tuple:
        if self._clause_years is None:
            self._classify()
        return self._clause_years

    @clause_years.setter
    def clause_years(self, value: tuple) -> None:
        self._clause_years = value

    def _classify(self) -> None:
        if self._context is None:
            self._use = self._use or "neutral"
            self._clause_years = self._clause_years if self._clause_years is not None else ()
            return
        text, in_review, cues = self._context
        self._context = None
        preset = self._use  # a list of items of different years (see _mark_series)
        classify(text, self, in_review(self.start), cues)
        if preset is not None:
            self._use = preset

    @property
    def implied_year(self) -> Optional[int]:
        if self.number is None or self.fact.base_year is None:
            return None
        return self.fact.base_year + self.number

    @property
    def event_year(self) -> Optional[int]:
        """The earliest year a document mentioning this can have been written."""
        # Names of bodies and policies often circulate before their official date; an
        # anticipated event (迎接党的二十大, 2022年召开党的二十大时) has not happened yet.
        year = self.event_year_unless_ahead
        return None if year is None or self.use == "ahead" else year

    @property
    def event_year_unless_ahead(self) -> Optional[int]:
        """event_year as the fact alone decides it (no look at the words around the mention)."""
        fact = self.fact
        if fact.expected or not fact.start or fact.kind in ("anniversary_base", "institution", "slogan"):
            return None
        if fact.kind in ("five_year_plan", "campaign"):
            # plans are drafted the year before they start; a campaign is announced before
            # it opens (“不忘初心、牢记使命”主题教育: at the 2017 congress, opened 2019-06)
            return fact.start[0] - 1
        return fact.start[0]


# ───────────────────────── current use versus history ─────────────────────────

_SENTENCE_END = lazy_compile(r"[。！？；!?;\n]")
_CLAUSE_END = lazy_compile(r"[，,：:。！？；!?;\n]")
_YEAR_IN_CLAUSE = lazy_compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_YEAR_RANGE = lazy_compile(r"(?<!\d)(?:19|20)\d\d\s*年?\s*[-—–~～至到]\s*(?:(?:19|20)\d\d|\d\d)\s*年")

# Used as a current task or goal, whatever else the sentence says.
_FORCE_CURRENT = lazy_compile(r"(确保|力争|今年是|今年为|今年正值|今年恰逢|本年是|为[^，。；]{0,30}而奋斗)")
_HISTORY_RIGHT = lazy_compile(r"^[”\"」]?[^，。；,;]{0,8}?(以来|期间|时期|之后|召开后|闭幕后|结束|成就|成果|成绩|经验|历程|回顾|之初)")
_DONE_RIGHT = lazy_compile(r"^[^，。；,;]{0,14}?((?:胜利|圆满|顺利|如期|超额|全面|基本)完成|完成了|实现了|取得了|"
                         r"取得(?:全面|决定性|重大|历史性)?(?:胜利|成就|成效|进展)|圆满收官|收官|已经|已)")
_HISTORY_LEFT = lazy_compile(r"(回顾|总结|过去|如期|历史性地|曾经|曾|此前|当年|那时|前些年|多年来|以前|原先|历史上|早在|取消|废止|免征|停征)")
# A sentence that opens by looking back: "过去五年，…", "一年来，…", "这一年，…", "去年年底，…".
_REVIEW_OPENER = lazy_compile(r"^\s*(?:过去(?:的)?(?:[一二三四五六七八九十两\d]+|几)年|[一二三四五六七八九十两\d]+年来|这[一五]?年|"
                            r"(?:去年|上年|前年)(?!以来)|"
                            r"[一二三四五六七八九十两\d]+年[间中]|回首|回望|回顾)")
_TRANSITION_RIGHT = lazy_compile(r"^\s*到")  # 从学习…新战略到学习…思想: the old step of a change
_AHEAD_LEFT = lazy_compile(r"(迎接|喜迎|召开|即将|筹备|献礼)[^，。；]{0,6}$")
_ORIGINAL = lazy_compile(r"原[省市县区州旗镇乡]?$")
_GUIDED_PAST = lazy_compile(r"在[^。；]*?(?:指引|指导|领导|带领)下[^。；]*?(?:取得|实现了|完成了|走过|经受)")
_REFORM_WORDS = lazy_compile(r"(撤销|撤并|更名|改名|改为|改称|合并|组建|整合|划入|划转|挂牌|前身|不再保留|机构改革)")
_ABOLISHED_RIGHT = lazy_compile(r"^[^，。；]{0,6}?(撤销|撤并|更名|改名|改为|合并|不再保留|职责划入)")
_VERB_LEFT = lazy_compile(
    r"(贯彻|落实|学习|宣讲|宣传|领会|践行|遵循|按照|根据|依据|围绕|紧扣|结合|对照|确保|力争|实现|完成|"
    r"推进|推动|决胜|打赢|奋力|努力|开展|参加|投入|启动|部署|实施|执行|坚持|用|以)")
_SPIRIT_RIGHT = lazy_compile(r"^[^，。；,;]{0,24}?(精神|决策部署|部署|要求|为指导|为统领|为指针|为引领|为主线|指引)")
_PLAN_LEFT = lazy_compile(r"(确保|力争|实现|完成|推进|推动|围绕|紧扣|落实|贯彻|实施|执行|编制|制定|开局|冲刺|决战|决胜|攻坚|对照|按照|瞄准|努力|奋力)")
_CAMPAIGN_LEFT = lazy_compile(r"(开展|深入开展|扎实开展|结合|推进|推动|参加|投入|按照|落实|围绕|继续|持续|抓好|搞好|深化|启动|部署)")
# “两学一做”学习教育常态化制度化, 党史学习教育常态化长效化: the permanent form of a campaign.
_PERMANENT_RIGHT = lazy_compile(r"^[”\"」]?[^，。；]{0,4}?(常态化|长效化|制度化)")
_CAMPAIGN_RIGHT = lazy_compile(r"^[^，。；]{0,6}?(为契机|为抓手|为载体|为主题|要求|中[，,])")
_ANNIV_NOW = lazy_compile(r"(今年|本年|值此|正值|恰逢|适逢|欣逢|迎来(?!了))")
_ANNIV_AHEAD = lazy_compile(r"(迎接|喜迎|献礼|即将|明年|筹备)")
_ANNIV_EVENT_LEFT = lazy_compile(r"(开展|组织|举办|筹备|做好|要|将)[^，。；]{0,8}(庆祝|纪念)[^，。；]{0,4}$")
_ANNIV_EVENT_RIGHT = lazy_compile(r"^[^，。；]{0,6}?(活动|系列活动|主题)")


def sentence_bounds(text: str, start: int, end: int) -> tuple:
    """(first, last) offsets of the sentence holding text[start:end], at most 120 characters
    before it and 160 after."""
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 120), start)), default=max(0, start - 120))
    sentence_end_match = _SENTENCE_END.search(text, end, end + 160)
    sentence_end = sentence_end_match.start() if sentence_end_match else min(len(text), end + 160)
    return sentence_start, sentence_end


_PARAGRAPH_REACH = 2000  # characters back to a paragraph's start; past that, no look at it
# A sentence of a review paragraph that turns to the present or the future ends the look back.
_TURN_AHEAD = lazy_compile(r"[。！？；!?;]\s*(?:各位代表[！!，,]\s*)?(?:今年|明年|今后|下一步|新的一年|接下来|展望|当前)")


def _in_review_paragraph(text: str, sentence_start: int) -> bool:
    """The sentence is in a paragraph that opens by looking back (五年来，我们…。…。) and has
    not turned to the present since."""
    low = max(0, sentence_start - _PARAGRAPH_REACH)
    newline = text.rfind("\n", low, sentence_start)
    if newline < 0 and low > 0:
        return False
    first = newline + 1
    if first >= sentence_start or not _REVIEW_OPENER.match(text, first, first + 24):
        return False
    return _TURN_AHEAD.search(text, first, sentence_start + 12) is None  # this sentence may turn too


def classify(text: str, mention: Mention, in_review: bool = False, cues: tuple = ()) -> None:
    """Set mention.use (current | ahead | history | neutral) from the words around it.

    `in_review`: the mention stands in a section that looks back (“一、过去五年工作回顾”).
    `cues`: the LookBackCues of the packs' `era_look_back`, tried first."""
    start, end = mention.start, mention.end
    sentence_start, sentence_end = sentence_bounds(text, start, end)
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(text, sentence_start, start)), default=sentence_start)
    clause_end_match = _CLAUSE_END.search(text, end, sentence_end)
    clause_end = clause_end_match.start() if clause_end_match else sentence_end
    before = text[max(sentence_start, start - 40):start]
    clause_before = text[clause_start:start]
    after = text[end:min(sentence_end, end + 40)]
    clause = text[clause_start:clause_end]
    sentence = text[sentence_start:sentence_end]
    mention._clause_years = tuple(int(y) for y in _YEAR_IN_CLAUSE.findall(sentence))
    kind = mention.fact.kind
    in_review = in_review or _in_review_paragraph(text, sentence_start)
    if cues:
        looking_back = in_review or _REVIEW_OPENER.match(sentence) is not None
        clause_after = text[end:clause_end]
        sentence_before = text[sentence_start:start]
        if any(cue.matches(kind, clause_before, clause_after, sentence_before, looking_back) for cue in cues):
            mention._use = "history"
            return
    mention._use = _use(kind, mention, before, clause_before, after, clause, sentence, in_review)


def _use(kind, mention, before, clause_before, after, clause, sentence, in_review=False) -> str:
    if before.rfind("《") > before.rfind("》"):
        return "history"  # a document's title, quoted
    if _YEAR_RANGE.search(clause):
        return "history"
    if kind == "anniversary_base":
        if _ANNIV_AHEAD.search(before):
            return "ahead"
        if _ANNIV_NOW.search(before) or _ANNIV_EVENT_LEFT.search(clause_before) and _ANNIV_EVENT_RIGHT.search(after):
            return "current"
        return "neutral"
    force = _FORCE_CURRENT.search(before)
    if _HISTORY_RIGHT.search(after) and not (force and kind == "five_year_plan" and "时期" in after[:6]):
        return "history"
    if force:
        return "current"
    if (in_review or _REVIEW_OPENER.match(sentence)) and kind != "institution":
        return "history"
    if _TRANSITION_RIGHT.search(after):
        return "history"
    if kind in ("congress", "plenum") and _AHEAD_LEFT.search(clause_before):
        return "ahead"
    if _GUIDED_PAST.search(sentence) or _HISTORY_LEFT.search(clause_before) or _DONE_RIGHT.search(after):
        return "history"
    if kind == "institution":
        if _ORIGINAL.search(clause_before) or _REFORM_WORDS.search(clause) or _ABOLISHED_RIGHT.search(after):
            return "history"
        return "current"
    if kind in ("congress", "plenum"):
        if _SPIRIT_RIGHT.search(after) and (_VERB_LEFT.search(clause_before) or _VERB_LEFT.search(before[-12:])):
            return "current"
        return "neutral"
    if kind == "five_year_plan":
        return "current" if _PLAN_LEFT.search(clause_before) else "neutral"
    if kind == "campaign":
        if _PERMANENT_RIGHT.search(after):
            return "neutral"
        if _CAMPAIGN_LEFT.search(clause_before + mention.text) or _CAMPAIGN_RIGHT.search(after):
            return "current"
        return "neutral"
    if kind == "slogan" and mention.fact.weak:
        return "current" if _PLAN_LEFT.search(clause_before) else "neutral"
    return "current"  # formulas, slogans: the phrase itself states a current line


class Scan:
    """The mentions in one document (each classified on first need), with the year
    decision of each part."""

    def __init__(self, doc, mentions: list, decisions: list):
        self.doc = doc
        self.mentions = mentions
        self.decisions = decisions  # [(Part, YearDecision)] in document order
        self._by_kind: dict = {}
        for mention in mentions:
            self._by_kind.setdefault(mention.fact.kind, []).append(mention)
        # Offsets where each part starts and ends (after its last line's newline), to find a
        # mention's part by bisection; only when the parts follow each other without overlap,
        # where the first part holding a line is the only one.
        starts, ends = [], []
        for part, _ in decisions:
            starts.append(doc.line_starts[part.start_line - 1] if part.start_line <= len(doc.line_starts) else len(doc.text) + 1)
            ends.append(doc.line_starts[part.end_line] if part.end_line < len(doc.line_starts) else len(doc.text) + 1)
        ordered = all(ends[i] <= starts[i + 1] for i in range(len(starts) - 1)) and \
            all(s <= e for s, e in zip(starts, ends))
        self._part_starts, self._part_ends = (starts, ends) if ordered else (None, None)

    def of_kinds(self, kinds) -> list:
        """The mentions of facts of these kinds, in document order."""
        if len(kinds) == 1:
            return self._by_kind.get(next(iter(kinds)), [])
        return [m for m in self.mentions if m.fact.kind in kinds]

    def inside(self, first: int, last: int) -> list:
        """The mentions starting at an offset in [first, last) (mentions are in text order)."""
        starts = self._mention_starts()
        return self.mentions[bisect.bisect_left(starts, first):bisect.bisect_left(starts, last)]

    def _mention_starts(self) -> list:
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = self._starts = [m.start for m in self.mentions]
        return starts

    def decision_at(self, offset: int):
        """decision_for the line holding `offset`."""
        if self._part_starts is not None:
            index = bisect.bisect_right(self._part_starts, offset) - 1
            if index >= 0 and offset < self._part_ends[index]:
                return self.decisions[index]
        return self.decision_for(self.doc.position(offset)[0])

    def decision_for(self, offset_line: int):
        for part, decision in self.decisions:
            if part.start_line <= offset_line <= part.end_line:
                return part, decision
        return self.decisions[-1]


def _mark_series(text: str, mentions: list, kinds: frozenset, gap: "re.Pattern") -> None:
    """Items of one kind and of different years listed together (扎实开展党史学习教育、主题教育、
    党纪学习教育) are a look back over the period: each is history. Two mentions are in one
    list when only a joiner (、, 和 …) stands between them."""
    run: list = []

    def close() -> None:
        if len(run) > 1 and len({m.fact.start for m in run}) > 1:
            for member in run:
                member.use = "history"

    for mention in mentions:
        if mention.fact.kind not in kinds:
            continue
        previous = run[-1] if run else None
        if previous is not None and previous.fact.kind == mention.fact.kind \
                and gap.fullmatch(text, previous.end, mention.start):
            run.append(mention)
            continue
        close()
        run = [mention]
    close()


_REVIEW_HEADING = lazy_compile(r"回顾|过去[一二三四五六七八九十两\d]*年|主要成绩|取得的成[绩效就]|成就与经验")


def _review_lines(doc) -> list:
    """(first, last) line spans of sections that look back (…工作回顾): top-level numbered
    sections, and sections under an unnumbered heading (a page that lost its ordinals:
    “十四五”时期工作回顾), which run to the next unnumbered or top-level heading."""
    headings = doc.structure.headings
    numbered = [h for h in headings if h.style != "plain"]
    top = min(h.level for h in numbered) if numbered else None
    tops = [h for h in numbered if h.level == top]
    spans = []
    for index, heading in enumerate(tops):
        if _REVIEW_HEADING.search(heading.text):
            last = tops[index + 1].line - 1 if index + 1 < len(tops) else len(doc.lines)
            spans.append((heading.line, last))
    bounds = [h for h in headings if h.style == "plain" or h.level == top]
    for index, heading in enumerate(bounds):
        if heading.style == "plain" and _REVIEW_HEADING.search(heading.text):
            last = bounds[index + 1].line - 1 if index + 1 < len(bounds) else len(doc.lines)
            spans.append((heading.line, last))
    spans.sort()
    return spans


_KNOWLEDGE_CACHE: dict = {}


def knowledge_from_data(data: dict) -> Knowledge:
    """The Knowledge of the merged pack data, compiled once per data object."""
    entries = data.get("era_facts", [])
    readings = (data.get("era_senses"), data.get("era_look_back"), data.get("era_series"))
    key = (id(entries),) + tuple(id(r) for r in readings)
    cached = _KNOWLEDGE_CACHE.get(key)
    if cached is not None and cached[0] is entries and all(a is b for a, b in zip(cached[1], readings)):
        return cached[2]
    knowledge = Knowledge(entries, *readings)
    _KNOWLEDGE_CACHE[key] = (entries, readings, knowledge)
    return knowledge


def scan_document(doc, knowledge: Knowledge) -> Scan:
    """Mentions and per-part year decisions of `doc`, computed once per document."""
    cache = doc.era_scans
    found = cache.get(id(knowledge))
    if found is not None:
        return found
    text = doc.prose
    mentions = knowledge.scan(text)
    reviews = []

    def in_review(offset: int) -> bool:
        if not reviews:
            # the review sections, once, in line order: a mention's section by bisection
            # (testing every span per mention was quadratic in a long document, a set of
            # their lines held a number per line of a long review)
            spans = _review_lines(doc)
            if any(a[1] >= b[0] for a, b in zip(spans, spans[1:])):  # not in order: never seen
                lines = {line for first, last in spans for line in range(first, last + 1)}
                spans = [(line, line) for line in sorted(lines)]
            reviews.append(([first for first, _ in spans], [last for _, last in spans]))
        firsts, lasts = reviews[0]
        line = doc.position(offset)[0]
        index = bisect.bisect_right(firsts, line) - 1
        return index >= 0 and line <= lasts[index]

    context = (text, in_review, knowledge.look_back)
    for mention in mentions:
        mention._context = context
    if knowledge.series is not None:
        _mark_series(text, mentions, *knowledge.series)
    result = Scan(doc, mentions, decide_parts(doc, knowledge, mentions))
    cache[id(knowledge)] = result
    return result
