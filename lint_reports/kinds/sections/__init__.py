"""Kind `sections`: a report that lacks a part its report type requires.

Failing example (rule section-missing): a 工作总结 with work headings only —

    创建学习型党组织工作总结
    2022年以来，县民政局党支部……
    一、强化保障，夯实创建基础
    （一）完善工作方案。……
    二、抓好学习，充实创建内容
    ……

    1:1: warning section-missing 工作总结缺少“存在问题”部分：请增加一节写明……
    1:1: warning section-missing 工作总结缺少“下一步打算”部分：请增加一节写明……

Passing example:

    县直机关2022年度建设学习型政府工作总结
    一、抓好“大学习”，突出理论武装，打造学习型模范机关
    二、当前工作存在不足
    三、下一步工作举措

How it decides, step by step (`check`):

1. Split the document into pieces: one, or one per piece of a compilation
   (“……汇编（2篇）”, “(精选11篇)”; `doc.structure.parts`).
2. Name each piece's report type from its title (`recognise`: “……工作总结”, “……实施方案”,
   “……安排意见/工作要点/计划”, “……情况汇报”, “……述职报告”, “……调研报告”; speeches are
   none). No type, or a body under `min_chars`: nothing to check. A compilation piece
   without a type in its own title inherits the compilation's only when it is structured
   (`min_headings` top-level headings), names one of the type's parts, and is no article
   (关键词/摘要/作者简介).
3. Collect the evidence (`Evidence`): a part is present when
   - a heading contains one of its synonyms or matches a heading pattern
     (“二、当前工作存在不足”, “## 下一步打算”, “（三）存在的问题及原因”, “**二、存在的问题**”),
     or a line opens with it as a label (“存在问题：一是……”, “**存在的问题**阵地偏小……”), or
   - the text contains an inline marker or pattern (“下一步，我们将……”); the generic fault
     words of a courtesy sentence (“如有不足之处，敬请批评指正”) do not count, or
   - one sentence in the second half has a weak marker followed by a support word
     (“还存在……等问题”); a weak marker alone proves nothing, or
   - for work done / tasks (`topical`): a top-level heading no other part claims
     (“一、强化保障，夯实创建基础”), or plain paragraphs when there are no headings; for the
     basic situation (`opening`): an unheaded opening paragraph.
4. Report each expected part (`level`: required, or recommended) that has no evidence: one
   finding at line 1, or at the first line of a compilation piece.

The facts (types, parts, words) are pack data, compiled by `_section_catalog`; the config
key `sections:` changes them per project.

Parameters:
  level        `required` (default) or `recommended`: which parts this rule reports
  min_chars    shortest body (non-blank characters, title excluded) worth checking (100)
  min_headings top-level headings an inherited compilation piece needs (2)
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Optional

from ...config.settings import OptionKey
from .catalog import (Catalog, PartSpec, SectionsConfigError, TypeSpec, apply_config,
                               build_catalog, normalise, recognise)
from ...speed.lazyre import lazy_compile

__all__ = ["KIND", "PARAMS", "REQUIRED", "prepare", "check", "validate_config",
           "apply_config", "build_catalog", "recognise", "normalise"]

KIND = "sections"
PARAMS = {"level": str, "min_chars": int, "min_headings": int}
REQUIRED = ()
LEVELS = ("required", "recommended")

_ARTICLE_FURNITURE = lazy_compile(r"^\s*(?:#{1,6}\s+)?(?:\*\*)?[【\[]?\s*(?:关键词|关键字|摘\s*要|内容提要|作者简介|参考文献)\s*[】\]]?\s*[：:】\s]")
_SUBTITLE = lazy_compile(r"^\s*(?:——|—|--)")
_SENTENCE_END = lazy_compile(r"[。！？；!?;\n]")
_MARKUP = lazy_compile(r"^[\s#>*_\-]+|[*_]+$")
# A line that opens with a label: “存在问题：一是……”, “**存在的问题**阵地偏小……”,
# “**二、存在的问题。**阵地偏小……” (Markdown bold leads are no headings to the structure).
_LABEL_LEAD = lazy_compile(r"^\s*(?:[-*+]\s+)?(?:(\*\*|__)(?P<bold>[^*_\n]{2,30}?)\1|(?P<colon>[^，,。；;：:！？!?*\n]{2,14})[：:])")
_LEAD_ORDINAL = lazy_compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])\s*")
# A closing courtesy (“如有不足之处，敬请批评指正”, “难免存在疏漏和不足，恳请指正”) names no
# problem: in a sentence that asks for correction, generic fault words are ignored.
_COURTESY = lazy_compile(r"批评指正|指正|斧正|海涵|见谅|包涵")
_FAULT_WORDS = "疏漏|纰漏|不足|不妥|不当|欠妥|错误|偏颇|遗漏|缺点"
_GENERIC_FAULT = lazy_compile(rf"(?:如有|若有|难免有|难免存在|难免|还有|尚有|仍有|存在|有)?(?:不少|一些|诸多|许多)?"
                            rf"(?:{_FAULT_WORDS})(?:(?:和|与|及|、)(?:{_FAULT_WORDS}))*(?:之处|的地方)?")
_SENTENCE = lazy_compile(r"[^。！？；!?;\n]+")


# --- configuration ----------------------------------------------------------------------

def _apply_options(options: dict, sections, layer) -> None:
    """One layer's `sections:` merged entry by entry (this layer's entry winning). What a
    report type may name is known once the packs are loaded: validate_config checks it,
    at the lines kept here."""
    for key in sections:
        layer.remember(f"sections:{key}", layer.line_of(sections, key))
    options.update(sections)
    layer.remember("sections", layer.line)


OPTIONS = {"sections": OptionKey(lambda v: isinstance(v, dict), "a mapping of report type to required sections",
                                 _apply_options)}


def validate_config(config, data: dict) -> None:
    """Called by the engine once the packs are loaded: a bad `sections:` is a ConfigError
    naming the config file and line."""
    from ...config.settings import ConfigError

    sections = config.options_of(KIND)
    if not sections:
        return
    try:
        catalog = build_catalog(data)
    except ValueError:
        return  # the pack itself is broken; prepare() reports it with the pack's name
    try:
        apply_config(catalog, sections)
    except SectionsConfigError as exc:
        top_key = exc.key.split(".")[0]
        path, line = config.lines.get(f"sections:{top_key}", config.lines.get("sections", (config.path, 0)))
        if exc.node is not None and exc.subkey is not None and hasattr(exc.node, "line_of"):
            line = exc.node.line_of(exc.subkey) or line
        raise ConfigError(path or "config", line, str(exc)) from None


@dataclass
class State:
    level: str
    min_chars: int
    min_headings: int
    catalog: Catalog
    configured: dict = field(default_factory=dict)  # id(sections) -> (sections, Catalog)

    def catalog_for(self, sections) -> Catalog:
        """The built-in catalog with a file's `sections:` applied (compiled once per config)."""
        if not sections:
            return self.catalog
        cached = self.configured.get(id(sections))
        if cached is None or cached[0] is not sections:
            cached = (sections, apply_config(self.catalog, sections))
            self.configured[id(sections)] = cached
        return cached[1]


def prepare(rule, data) -> None:
    level = rule.params.get("level", "required")
    if level not in LEVELS:
        raise ValueError(f"'level' must be one of {', '.join(LEVELS)}")
    for name in ("min_chars", "min_headings"):
        if rule.params.get(name, 0) < 0:
            raise ValueError(f"'{name}' must not be negative")
    rule.state = State(level, rule.params.get("min_chars", 100), rule.params.get("min_headings", 2),
                       build_catalog(data))


# --- step 1: pieces ---------------------------------------------------------------------

@dataclass
class Piece:
    start: int  # first line of the piece (1-based)
    end: int
    title: Optional[str]
    title_lines: tuple  # lines that make the title (title + "——" subtitle)
    front_matter: bool = False  # the compilation's own title and contents, not a report


def _with_subtitle(lines: list, title: Optional[str], title_line: Optional[int]):
    """The title joined with a “——……” subtitle on the next non-blank line."""
    if not title_line or normalise(title or "") not in normalise(lines[title_line - 1]):
        return title, ()  # no title, or one from front matter (`title:`): no body line is it
    follow = title_line  # 0-based index of the line after the title
    while follow < len(lines) and not lines[follow].strip():
        follow += 1
    if follow < len(lines) and _SUBTITLE.match(lines[follow]):
        return f"{title}{lines[follow].strip()}", (title_line, follow + 1)
    return title, (title_line,)


def _pieces(doc, min_chars: int) -> list:
    structure = doc.structure
    lines = doc.prose_lines
    if not structure.is_compilation:
        title_line, title = structure.title
        title, title_lines = _with_subtitle(lines, title, title_line)
        return [Piece(1, len(lines), title, title_lines)]
    pieces = []
    for index, part in enumerate(structure.parts):
        title, title_lines = _with_subtitle(lines, part.title, part.title_line)
        piece = Piece(part.start_line, part.end_line, title, title_lines)
        piece.front_matter = index == 0 and _body_chars(doc, piece) < min_chars
        pieces.append(piece)
    return pieces


def _body_numbers(piece: Piece) -> range:
    """Line numbers of the piece without its title lines and what precedes them."""
    first_body = max(piece.title_lines, default=piece.start - 1) + 1
    return range(max(piece.start, first_body), piece.end + 1)


def _body_lines(doc, piece: Piece):
    """(line number, prose text) of the body, one line at a time (a long piece's list of
    pairs was a large part of the memory peak of a 20 MB file)."""
    numbers = _body_numbers(piece)
    return zip(numbers, doc.prose_lines.between(numbers.start - 1, numbers.stop - 1))


_WHITESPACE_RUN = lazy_compile(r"\s+")


RUN_LINES = 2048  # body lines normalised and searched at a time: about 150 KB of report text


def _normalised_runs(doc, body: range, skip: int = 0, size: int = RUN_LINES):
    """The body lines `body` (line numbers) normalised, with the generic fault words of
    courtesy sentences blanked, `size` lines at a time (the first `skip` runs left out):
    each run is its lines joined by newlines, and the runs joined by newlines are the whole
    normalised body. (normalise never joins lines, and a sentence never spans one: a run is
    cleaned as its lines are.)"""
    lines = doc.prose_lines
    for first in range(body.start + skip * size, body.stop, size):
        end = min(first + size, body.stop)
        yield _without_courtesy(normalise("\n".join(lines[first - 1:end - 1])))


@functools.lru_cache(maxsize=512)
def _single_line(pattern: "re.Pattern") -> bool:
    from ...speed.prefilter import analyse

    return analyse(pattern)[0]


def _shows(text: str, part: PartSpec) -> bool:
    return any(m in text for m in part.markers) or any(p.search(text) for p in part.patterns)


def _second_half_sentences(runs):
    """_SENTENCE_END.split of the second half of the normalised body (from its middle
    character on), one run at a time. A newline ends a sentence, so the sentences are those
    of each run, the first one cut at the middle. `runs(skip)` is walked for the lengths,
    then again from the run holding the middle."""
    lengths = [len(run) for run in runs()]
    middle = (sum(lengths) + len(lengths) - 1) // 2
    offset, index = 0, 0
    while index < len(lengths) and offset + lengths[index] < middle:
        offset += lengths[index] + 1
        index += 1
    for number, run in enumerate(runs(index)):
        yield from _SENTENCE_END.split(run[middle - offset:] if number == 0 else run)


def _body_chars(doc, piece: Piece) -> int:
    """Non-blank characters of the body: its stretch of the prose less its whitespace, counted
    in place (one regex pass; no copy of a long text, no pass per line)."""
    first = max(piece.start, max(piece.title_lines, default=piece.start - 1) + 1)
    if first > piece.end:
        return 0
    start = doc.line_starts[first - 1]
    end = doc.line_end(piece.end)
    return end - start - sum(map(len, _WHITESPACE_RUN.findall(doc.prose, start, end)))


# --- step 2: the report type --------------------------------------------------------------

def _piece_type(doc, piece: Piece, catalog: Catalog, whole):
    """(TypeSpec, label, own) for a piece, own=False when inherited from the compilation."""
    structure = doc.structure
    if structure.is_compilation and piece.title_lines and piece.title_lines[0] == structure.title[0]:
        own = None  # the first piece carries the compilation's title, not its own
    else:
        own = recognise(piece.title, catalog)
    found = own or whole
    if found is None:
        return None
    return found[0], found[1], own is not None


def _stands_alone(doc, piece: Piece, evidence: "Evidence", min_headings: int) -> bool:
    """Whether a compilation piece without a type in its own title is a report of the
    compilation's type: structured, shows one of the type's parts by name, and is no
    article (关键词/摘要/作者简介)."""
    if len(evidence.top) < min_headings or not evidence.named:
        return False
    lines = [text for _, text in _body_lines(doc, piece)]
    lines += [doc.prose_lines[n - 1] for n in piece.title_lines]
    return not any(_ARTICLE_FURNITURE.match(text) for text in lines)


# --- step 3: evidence ---------------------------------------------------------------------

def _top_level(headings: list) -> list:
    numbered = [h for h in headings if h.style != "plain"]
    pool = numbered or headings
    if not pool:
        return []
    top = min(h.level for h in pool)
    return [h for h in pool if h.level == top]


@functools.lru_cache(maxsize=256)
def _any_word(words: tuple) -> "re.Pattern":
    """One search for “does the text contain any of these words” (a Python loop of `in`
    per word and heading was most of the time of a long report)."""
    return re.compile("|".join(re.escape(word) for word in words) or "(?!)")


_GROUP_REFERENCE = lazy_compile(r"\\\d|\(\?P=|\(\?\(")


@functools.lru_cache(maxsize=256)
def _names_heading(words: tuple, patterns: tuple) -> Optional["re.Pattern"]:
    """One search for “does a heading contain one of these words or match one of these
    patterns”, or None when the patterns cannot share one regex (a group reference, an
    inline global flag): then they are searched one by one."""
    if any(_GROUP_REFERENCE.search(p.pattern) or p.flags & ~re.UNICODE for p in patterns):
        return None
    try:
        return re.compile("|".join([re.escape(word) for word in words] + [f"(?:{p.pattern})" for p in patterns])
                          or "(?!)")
    except re.error:
        return None


def _without_courtesy(text: str) -> str:
    """The text with the generic fault words of courtesy sentences blanked out."""
    if not _COURTESY.search(text):
        return text  # the usual case: no sentence to look at one by one
    def clean(sentence):
        if not _COURTESY.search(sentence.group(0)):
            return sentence.group(0)
        return _GENERIC_FAULT.sub(lambda m: "□" * len(m.group(0)), sentence.group(0))
    return _SENTENCE.sub(clean, text)


def _weak_then_support(sentence: str, part: PartSpec) -> bool:
    """A weak marker followed by a support word: “还存在……等问题”, “新的一年，我们将……”
    (not “……问题，就是认识不够”, where the problem is what the work solved)."""
    # Only a marker's first match counts: the text after it holds the text after any later one.
    if not any(word in sentence for word in part.weak_support):
        return False
    for marker in part.weak_markers:
        m = marker.search(sentence)
        if m is not None and any(word in sentence[m.end():] for word in part.weak_support):
            return True
    return False


class Evidence:
    """Which parts a piece shows, and how."""

    def __init__(self, doc, piece: Piece, spec: TypeSpec, catalog: Catalog):
        self.catalog = catalog
        self.spec = spec
        body_numbers = _body_numbers(piece)  # a range: `in` is a comparison, no set
        self.headings = [h for h in doc.structure.headings if h.line in body_numbers]
        self.top = _top_level(self.headings)
        known = [catalog.parts[p] for p in spec.known_parts]
        if len(body_numbers) <= RUN_LINES:  # one run: normalised once, not at each of its (up to three) walks
            whole = list(_normalised_runs(doc, body_numbers))
            self.inline = self._named_inline(known, lambda skip=0: whole[skip:])
            del whole
        else:  # a long piece: normalised again at each walk rather than held (the memory peak of a 20 MB file)
            self.inline = self._named_inline(known, lambda skip=0: _normalised_runs(doc, body_numbers, skip))
        # (the normalised body joined is empty only when it is one line of spaces, or none)
        has_text = len(body_numbers) > 1 or any(normalise(doc.prose_lines[n - 1]) for n in body_numbers)
        self.by_heading, claimed_lines = self._named_by_headings(known)
        self.by_heading |= self._named_by_labels(known, _body_lines(doc, piece), claimed_lines)
        self.topical = any(h.line not in claimed_lines for h in self.top) or (not self.headings and has_text)
        # headings come in line order: no line before the first one is a heading
        first_heading = self.headings[0].line if self.headings else None
        self.opening = any(len(t.strip()) >= 20 for n, t in _body_lines(doc, piece)
                           if first_heading is None or n < first_heading)

    def _named_by_headings(self, known: list):
        """Parts whose synonym or heading pattern is in a heading, and the lines they claim."""
        parts, lines = set(), set()
        named = [(part, _names_heading(part.synonyms, part.heading_patterns), _any_word(part.synonyms))
                 for part in known]
        naming: dict = {}  # normalised heading text -> the parts it names (headings repeat)
        for heading in self.headings:
            text = normalise(heading.text)
            found = naming.get(text)
            if found is None:
                found = naming[text] = [
                    part.id for part, combined, synonyms in named
                    if (combined.search(text) if combined is not None else
                        synonyms.search(text) or any(p.search(text) for p in part.heading_patterns))]
            if found:
                parts.update(found)
                lines.add(heading.line)
        return parts, lines

    @staticmethod
    def _named_by_labels(known: list, body, heading_lines: set) -> set:
        """Parts named by a line's label lead (“存在问题：……”, “**下一步打算**……”)."""
        found = set()
        for number, line_text in body:
            lead = _LABEL_LEAD.match(line_text) if number not in heading_lines else None
            if lead is None:
                continue
            label = normalise(_LEAD_ORDINAL.sub("", (lead.group("bold") or lead.group("colon")).strip()))
            label = label.rstrip("。：:")
            found |= {part.id for part in known
                      if any(s in label for s in part.synonyms) or any(p.search(label) for p in part.heading_patterns)}
        return found

    @staticmethod
    def _named_inline(known: list, runs) -> set:
        """Parts with an inline marker or pattern anywhere in the body, or a weak marker with
        a support word in one sentence of the second half (where problems and plans are
        stated). `runs()` gives the normalised body in runs of lines (`_normalised_runs`).

        The same answer as searching the whole normalised body, without holding it (the
        memory peak of a 20 MB file): markers and patterns that cannot match a newline are
        searched run by run, each run between the newlines around it; the rest in the whole
        body, joined only for them."""
        local = [part for part in known
                 if all("\n" not in m for m in part.markers) and all(_single_line(p) for p in part.patterns)]
        found = set()
        for index, run in enumerate(runs() if local else ()):
            # framed by the newlines around it in the whole body (the first has none before it,
            # where `^` and `\A` match): lookarounds and anchors see what they see in the whole
            framed = f"\n{run}\n" if index else f"{run}\n"
            shown = [part for part in local if _shows(framed, part)]
            if shown:
                found.update(part.id for part in shown)
                local = [part for part in local if part not in shown]
                if not local:
                    break
        others = [part for part in known if part not in local and part.id not in found]
        if others:
            whole = "\n".join(runs())
            found.update(part.id for part in others if _shows(whole, part))
            del whole
        weak = [part for part in known if part.id not in found and part.weak_markers]
        for sentence in _second_half_sentences(runs) if weak else ():
            shown = [part for part in weak if _weak_then_support(sentence, part)]
            if shown:
                found.update(part.id for part in shown)
                weak = [part for part in weak if part not in shown]  # found once is enough
                if not weak:
                    break
        return found

    @property
    def named(self) -> set:
        """Parts shown by name (a heading synonym or an inline marker)."""
        return self.by_heading | self.inline

    def has(self, part_id: str) -> bool:
        part = self.catalog.parts[part_id]
        if part_id in self.named:
            return True
        if part.topical and self.topical:
            return True
        if part.opening and self.opening:
            return True
        return any(other in self.named for other in self.spec.also_satisfied_by.get(part_id, ()))


# --- step 4: findings -------------------------------------------------------------------

def _expected(spec: TypeSpec, title: Optional[str], level: str) -> tuple:
    required = list(spec.required)
    title = normalise(title or "")
    for part_id, words in spec.required_if_title_contains.items():
        if any(normalise(w) in title for w in words) and part_id not in required:
            required.append(part_id)
    if level == "required":
        return tuple(required)
    return tuple(p for p in spec.recommended if p not in required)


def _short(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", _MARKUP.sub("", text.strip()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(doc, piece: Piece, own_title: bool) -> str:
    """How a message names a compilation piece: by its own title, else by its first words.
    (No ordinal: where a compilation's pieces run together, a count would be wrong.)"""
    if own_title or (piece.title and piece.title_lines and piece.title_lines[0] != doc.structure.title[0]):
        return f"汇编中的《{_short(piece.title, 30)}》：这篇"
    first = next((text for _, text in _body_lines(doc, piece) if text.strip()), "")
    return f"汇编中以“{_short(first, 16)}”开头的这篇"


def check(ctx, rule):
    doc = ctx.doc
    state: State = rule.state
    catalog = state.catalog_for(ctx.options)  # the config's `sections:`
    compilation = doc.structure.is_compilation
    whole = recognise(doc.structure.title[1], catalog) if compilation else None
    for piece in _pieces(doc, state.min_chars):
        if piece.front_matter:
            continue
        typed = _piece_type(doc, piece, catalog, whole)
        if typed is None or _body_chars(doc, piece) < state.min_chars:
            continue
        spec, label, own = typed
        evidence = Evidence(doc, piece, spec, catalog)
        if compilation and not own and not _stands_alone(doc, piece, evidence, state.min_headings):
            continue
        where = _where(doc, piece, own) if compilation else ""
        for part_id in _expected(spec, piece.title, state.level):
            if evidence.has(part_id):
                continue
            part = catalog.parts[part_id]
            message = (rule.message.replace("{where}", where).replace("{type}", label)
                       .replace("{part}", part.label).replace("{hint}", part.hint))
            yield rule.document_finding(doc, message, line=piece.start)
