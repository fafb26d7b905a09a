"""Kind `sections`: a report that lacks a part its report type requires.

The report type comes from the title (“……工作总结”, “……实施方案”, “……安排意见”, “……情况汇报”,
“……述职报告”, “……调研报告”); the genre word that ends the title wins, and speeches
(“……总结大会上的讲话”) are no report type. Each type lists its parts (pack data
`report_types`, `report_parts` in rules/sections.yaml). A part is present when

- a heading contains one of its heading synonyms (“二、当前工作存在不足”, “## 下一步打算”,
  “（三）存在的问题及原因”, an unnumbered “存在的问题” line), or
- the text contains one of its inline markers (“下一步，我们将……” in a last paragraph), or
- one sentence in the second half of the text has a weak marker and a support word
  (“还存在……等问题”); a weak marker alone proves nothing, or
- for work done / tasks (`topical`): a topical top-level heading (“一、强化保障，夯实创建基础”),
  or plain paragraphs when the report has no headings; for the basic situation
  (`opening`): an unheaded opening paragraph.

A compilation (“……汇编（2篇）”, “(精选11篇)”) is checked piece by piece
(`doc.structure.parts`): a piece whose own title names a type is checked as that type; a
piece without one inherits the compilation's type, but only when it is substantial,
structured (two or more top-level headings), shows at least one part of that type by name,
and is not an article (关键词/摘要/作者简介) — a fragment or a theory essay is not a
工作总结 missing its sections. A finding is reported at line 1, or at a piece's first line.

Parameters:
  level        `required` (default) or `recommended`: which parts this rule reports
  min_chars    shortest body (non-blank characters, title excluded) worth checking (100)
  min_headings top-level headings an inherited compilation piece needs (2)

Failing example (rule section-missing; no problems part, no next-steps part):

    创建学习型党组织工作总结
    一、强化保障，夯实创建基础
    （一）完善工作方案。……
    二、抓好学习，充实创建内容
    ……

Passing example:

    县直机关2022年度建设学习型政府工作总结
    一、抓好“大学习”，突出理论武装，打造学习型模范机关
    二、当前工作存在不足
    三、下一步工作举措
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

KIND = "sections"
PARAMS = {"level": str, "min_chars": int, "min_headings": int}
REQUIRED = ()
LEVELS = ("required", "recommended")

# After the genre word a title may carry only compilation or draft furniture, a year in
# brackets or a subtitle: “……工作总结汇编（2篇）”, “……工作计划（2023—2025年）”.
_TITLE_TAIL = re.compile(
    r"^[\s\u3000]*(?:(?:汇编|合集|范文|大全|精选|模板|例文|全文|初稿|草稿|定稿|讨论稿|征求意见稿|送审稿|稿"
    r"|\d+篇|[一二三四五六七八九十]+篇)[\s\u3000]*)*(?:[（(【\[〔<《—\-].*)?$")
_ARTICLE_FURNITURE = re.compile(r"^\s*(?:#{1,6}\s+)?(?:\*\*)?[【\[]?\s*(?:关键词|关键字|摘\s*要|内容提要|作者简介|参考文献)\s*[】\]]?\s*[：:】\s]")
_SUBTITLE = re.compile(r"^\s*(?:——|—|--)")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_PUNCT_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})


def normalise(text: str) -> str:
    """Full-width punctuation, no spaces: “下一步,我们将” and “下一步， 我们将” match alike."""
    return re.sub(r"[ \t\u3000\u00a0]", "", text.translate(_PUNCT_WIDTH))


@dataclass(frozen=True)
class PartSpec:
    id: str
    label: str
    hint: str
    synonyms: tuple
    markers: tuple = ()
    weak_markers: tuple = ()  # compiled regexes (literal words escaped)
    weak_support: tuple = ()
    patterns: tuple = ()  # compiled regexes searched in the text
    heading_patterns: tuple = ()  # compiled regexes searched in heading text
    topical: bool = False
    opening: bool = False


@dataclass(frozen=True)
class TypeSpec:
    id: str
    label: str
    keywords: tuple
    exclusions: tuple
    false_friends: tuple
    required: tuple
    recommended: tuple
    optional: tuple
    also_satisfied_by: dict
    required_if_title_contains: dict
    labels_by_keyword: dict

    @property
    def known_parts(self) -> tuple:
        extra = [p for ps in self.also_satisfied_by.values() for p in ps]
        return tuple(dict.fromkeys((*self.required, *self.recommended, *self.optional,
                                    *self.required_if_title_contains, *extra)))


@dataclass(frozen=True)
class Catalog:
    parts: dict  # id -> PartSpec
    types: tuple  # TypeSpec, in pack order
    exclusions: tuple  # title words that mean "no report type at all"

    def part(self, name: str) -> Optional[PartSpec]:
        if name in self.parts:
            return self.parts[name]
        return next((p for p in self.parts.values() if p.label == name or name in p.label.split("/")), None)

    def report_type(self, name: str) -> Optional[TypeSpec]:
        for spec in self.types:
            if name in (spec.id, spec.label) or name in spec.labels_by_keyword.values():
                return spec
        return None


def _strings(value, what: str) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{what} must be a list of non-empty strings")
    return tuple(value)


def build_catalog(data: dict) -> Catalog:
    """Compile the pack data `report_parts` / `report_types`; ValueError names a bad entry."""
    raw_parts = data.get("report_parts") or {}
    raw_types = data.get("report_types") or []
    if not isinstance(raw_parts, dict) or not isinstance(raw_types, list):
        raise ValueError("data.report_parts must be a mapping and data.report_types a list")
    parts = {}
    for part_id, entry in raw_parts.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
            raise ValueError(f"data.report_parts.{part_id} needs a 'label'")
        compiled = {}
        for key in ("inline_patterns", "heading_patterns", "inline_patterns_weak"):
            try:
                compiled[key] = tuple(re.compile(p) for p in _strings(entry.get(key), f"{part_id}.{key}"))
            except re.error as exc:
                raise ValueError(f"data.report_parts.{part_id}.{key}: bad regular expression: {exc}") from None
        weak = tuple(re.compile(re.escape(w)) for w in _strings(entry.get("inline_markers_weak"), f"{part_id}.inline_markers_weak"))
        parts[part_id] = PartSpec(
            id=part_id, label=entry["label"], hint=str(entry.get("hint") or ""),
            synonyms=tuple(normalise(s) for s in _strings(entry.get("heading_synonyms"), f"{part_id}.heading_synonyms")),
            markers=tuple(normalise(s) for s in _strings(entry.get("inline_markers"), f"{part_id}.inline_markers")),
            weak_markers=weak + compiled["inline_patterns_weak"],
            weak_support=_strings(entry.get("weak_support"), f"{part_id}.weak_support"),
            patterns=compiled["inline_patterns"], heading_patterns=compiled["heading_patterns"],
            topical=bool(entry.get("topical")), opening=bool(entry.get("opening")))
    types = []
    for entry in raw_types:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("label"), str):
            raise ValueError("each entry of data.report_types needs an 'id' and a 'label'")
        where = f"data.report_types '{entry['id']}'"
        spec = TypeSpec(
            id=entry["id"], label=entry["label"],
            keywords=_strings(entry.get("title_keywords"), f"{where} title_keywords"),
            exclusions=_strings(entry.get("title_exclusions"), f"{where} title_exclusions"),
            false_friends=_strings(entry.get("title_false_friends"), f"{where} title_false_friends"),
            required=_strings(entry.get("required"), f"{where} required"),
            recommended=_strings(entry.get("recommended"), f"{where} recommended"),
            optional=_strings(entry.get("optional"), f"{where} optional"),
            also_satisfied_by={k: _strings(v, f"{where} also_satisfied_by") for k, v in (entry.get("also_satisfied_by") or {}).items()},
            required_if_title_contains={k: _strings(v, f"{where} required_if_title_contains")
                                        for k, v in (entry.get("required_if_title_contains") or {}).items()},
            labels_by_keyword=dict(entry.get("labels_by_keyword") or {}),
        )
        if not spec.keywords:
            raise ValueError(f"{where} needs title_keywords")
        for part_id in spec.known_parts:
            if part_id not in parts:
                raise ValueError(f"{where} names unknown part '{part_id}' (known: {', '.join(parts)})")
        types.append(spec)
    exclusions = _strings(data.get("report_title_exclusions"), "data.report_title_exclusions")
    return Catalog(parts, tuple(types), exclusions)


# --- configuration: `sections:` -------------------------------------------------------

class SectionsConfigError(ValueError):
    def __init__(self, key: str, message: str, node=None, subkey=None):
        super().__init__(message)
        self.key, self.node, self.subkey = key, node, subkey


def _config_names(value, key: str, node=None, subkey=None) -> list:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SectionsConfigError(key, f"sections.{key}{'.' + subkey if subkey else ''} must be a list of names", node, subkey)
    return value


def _config_synonyms(catalog: Catalog, value, key: str, node=None) -> dict:
    """{part: [words]} -> {part_id: [normalised words]}."""
    if not isinstance(value, dict):
        raise SectionsConfigError(key, f"sections.{key} must be a mapping of part to a list of words", node)
    result = {}
    for name, words in value.items():
        part = catalog.part(str(name))
        if part is None:
            raise SectionsConfigError(key, f"sections.{key}: unknown part '{name}' (known: {', '.join(catalog.parts)})", value, name)
        result[part.id] = [normalise(w) for w in _config_names(words, key, value, str(name))]
    return result


def apply_config(catalog: Catalog, sections: dict) -> Catalog:
    """The catalog with the user's `sections:` applied; SectionsConfigError on bad input.

    Forms:  {type: [part, ...]}                          required parts of a type
            {type: {required: [...], recommended: [...], synonyms: {part: [...]},
                    markers: {part: [...]}}}
            {synonyms: {part: [...]}, markers: {part: [...]}}  for every type
    Types and parts may be named by id (work_summary, problems) or Chinese label."""
    if not sections:
        return catalog
    parts = dict(catalog.parts)
    types = list(catalog.types)

    def add(words_by_part: dict, field_name: str):
        for part_id, words in words_by_part.items():
            spec = parts[part_id]
            parts[part_id] = replace(spec, **{field_name: getattr(spec, field_name) + tuple(words)})

    def resolve_parts(names, key, node=None, subkey=None) -> tuple:
        ids = []
        for name in _config_names(names, key, node, subkey):
            part = catalog.part(name)
            if part is None:
                raise SectionsConfigError(key, f"sections.{key}: unknown part '{name}' (known: {', '.join(catalog.parts)})", node, subkey)
            ids.append(part.id)
        return tuple(ids)

    for key, value in sections.items():
        key = str(key)
        if key in ("synonyms", "markers"):
            add(_config_synonyms(catalog, value, key), "synonyms" if key == "synonyms" else "markers")
            continue
        spec = catalog.report_type(key)
        if spec is None:
            known = ", ".join(f"{t.id}（{t.label}）" for t in catalog.types)
            raise SectionsConfigError(key, f"sections: unknown report type '{key}' (known: {known}; or 'synonyms', 'markers')")
        index = types.index(next(t for t in types if t.id == spec.id))
        if isinstance(value, list):
            value = {"required": value}
        if not isinstance(value, dict):
            raise SectionsConfigError(key, f"sections.{key} must be a list of required parts or a mapping with 'required', 'recommended', 'synonyms', 'markers'")
        for sub in value:
            if sub not in ("required", "recommended", "synonyms", "markers"):
                raise SectionsConfigError(key, f"sections.{key}: unknown key '{sub}' (allowed: required, recommended, synonyms, markers)", value, sub)
        current = types[index]
        required = resolve_parts(value["required"], key, value, "required") if "required" in value else current.required
        recommended = current.recommended
        if "recommended" in value:
            recommended = resolve_parts(value["recommended"], key, value, "recommended")
        recommended = tuple(p for p in recommended if p not in required)
        optional = tuple(p for p in (*current.optional, *current.required, *current.recommended)
                         if p not in required and p not in recommended)
        types[index] = replace(current, required=required, recommended=recommended,
                               optional=tuple(dict.fromkeys(optional)))
        for sub, field_name in (("synonyms", "synonyms"), ("markers", "markers")):
            if sub in value:
                # per-type words: parts are shared, so a type-specific word is added to the part
                add(_config_synonyms(catalog, value[sub], f"{key}.{sub}", value), field_name)
    return Catalog(parts, tuple(types), catalog.exclusions)


def validate_config(config, data: dict) -> None:
    """Called by the engine once the packs are loaded: a bad `sections:` is a ConfigError
    naming the config file and line."""
    from ..config import ConfigError

    sections = getattr(config, "sections", None)
    if not sections:
        return
    try:
        catalog = build_catalog(data)
    except ValueError:
        return  # the pack itself is broken; prepare() reports it with the pack's name
    try:
        apply_config(catalog, sections)
    except SectionsConfigError as exc:
        path, line = config.lines.get(f"sections:{exc.key}", config.lines.get("sections", (config.path, 0)))
        node = exc.node
        if node is not None and exc.subkey is not None and hasattr(node, "line_of"):
            line = node.line_of(exc.subkey) or line
        raise ConfigError(path or "config", line, str(exc)) from None


# --- the kind ---------------------------------------------------------------------------

@dataclass
class State:
    level: str
    min_chars: int
    min_headings: int
    catalog: Catalog
    configured: dict = field(default_factory=dict)  # id(sections) -> (sections, Catalog)

    def catalog_for(self, sections) -> Catalog:
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


def recognise(title: Optional[str], catalog: Catalog):
    """(TypeSpec, label) named by a title, or None."""
    if not title:
        return None
    title = normalise(title)
    if any(word in title for word in catalog.exclusions):
        return None
    best = None
    for spec in catalog.types:
        if any(word in title for word in spec.exclusions):
            continue
        masked = title
        for word in spec.false_friends:
            masked = masked.replace(word, "\0" * len(word))
        for keyword in spec.keywords:
            for m in re.finditer(re.escape(keyword), masked):
                if not _TITLE_TAIL.match(masked[m.end():]):
                    continue
                key = (m.end(), len(keyword))
                if best is None or key > best[0]:
                    best = (key, spec, keyword)
    if best is None:
        return None
    _, spec, keyword = best
    return spec, spec.labels_by_keyword.get(keyword, spec.label)


@dataclass
class Piece:
    start: int  # first line of the piece (1-based)
    end: int
    title: Optional[str]
    title_lines: tuple  # lines that make the title (title + "——" subtitle)
    number: Optional[int]  # position in a compilation, None for a single report


def _pieces(doc, min_chars: int) -> list:
    structure = doc.structure
    lines = doc.prose_lines

    def with_subtitle(title, title_line):
        if not title_line:
            return title, ()
        follow = title_line  # 0-based index of the next line
        while follow < len(lines) and not lines[follow].strip():
            follow += 1
        if follow < len(lines) and _SUBTITLE.match(lines[follow]):
            return f"{title}{lines[follow].strip()}", (title_line, follow + 1)
        return title, (title_line,)

    if not structure.is_compilation:
        title_line, title = structure.title
        title, title_lines = with_subtitle(title, title_line)
        return [Piece(1, len(lines), title, title_lines, None)]
    pieces = []
    number = 0
    for index, part in enumerate(structure.parts):
        title, title_lines = with_subtitle(part.title, part.title_line)
        piece = Piece(part.start_line, part.end_line, title, title_lines, None)
        if index == 0 and _body_chars(doc, piece) < min_chars:
            piece.number = 0  # the compilation's own title and contents
        else:
            number += 1
            piece.number = number
        pieces.append(piece)
    return pieces


def _body_lines(doc, piece: Piece) -> list:
    """(line number, prose text) of the piece without its title lines and what precedes them."""
    first_body = max(piece.title_lines, default=piece.start - 1) + 1
    return [(n, doc.prose_lines[n - 1]) for n in range(max(piece.start, first_body), piece.end + 1)]


def _body_chars(doc, piece: Piece) -> int:
    return sum(len(re.sub(r"\s", "", text)) for _, text in _body_lines(doc, piece))


def _headings(doc, piece: Piece) -> list:
    body = {n for n, _ in _body_lines(doc, piece)}
    return [h for h in doc.structure.headings if h.line in body]


def _top_level(headings: list) -> list:
    numbered = [h for h in headings if h.style != "plain"]
    pool = numbered or headings
    if not pool:
        return []
    top = min(h.level for h in pool)
    return [h for h in pool if h.level == top]


class Evidence:
    """Which parts a piece shows, and how."""

    def __init__(self, doc, piece: Piece, spec: TypeSpec, catalog: Catalog):
        self.catalog = catalog
        self.spec = spec
        body = _body_lines(doc, piece)
        self.headings = _headings(doc, piece)
        self.top = _top_level(self.headings)
        known = [catalog.parts[p] for p in spec.known_parts]
        self.by_heading = set()
        claimed_lines = set()
        for heading in self.headings:
            text = normalise(heading.text)
            for part in known:
                if any(s in text for s in part.synonyms) or any(p.search(text) for p in part.heading_patterns):
                    self.by_heading.add(part.id)
                    claimed_lines.add(heading.line)
        self.inline = set()
        text = normalise("\n".join(t for _, t in body))
        for part in known:
            if any(m in text for m in part.markers) or any(p.search(text) for p in part.patterns):
                self.inline.add(part.id)
        # Weak markers count only with a support word in the same sentence, late in the text.
        second_half = text[len(text) // 2:]
        for sentence in _SENTENCE_END.split(second_half):
            for part in known:
                if part.id in self.inline or not part.weak_markers:
                    continue
                if _weak_then_support(sentence, part):
                    self.inline.add(part.id)
        heading_lines = {h.line for h in self.headings}
        first_heading = min(heading_lines, default=None)
        self.topical = any(h.line not in claimed_lines for h in self.top) or (
            not self.headings and len(text) > 0)
        self.opening = any(n not in heading_lines and len(t.strip()) >= 20
                           for n, t in body if first_heading is None or n < first_heading)

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


def _weak_then_support(sentence: str, part: PartSpec) -> bool:
    """A weak marker followed by a support word: “还存在……等问题”, “新的一年，我们将……”
    (not “……问题，就是认识不够”, where the problem is what the work solved)."""
    for marker in part.weak_markers:
        for m in marker.finditer(sentence):
            if any(word in sentence[m.end():] for word in part.weak_support):
                return True
    return False


def _expected(spec: TypeSpec, title: str, level: str) -> tuple:
    required = list(spec.required)
    title = normalise(title or "")
    for part_id, words in spec.required_if_title_contains.items():
        if any(normalise(w) in title for w in words) and part_id not in required:
            required.append(part_id)
    if level == "required":
        return tuple(required)
    return tuple(p for p in spec.recommended if p not in required)


def _short(title: str, limit: int = 24) -> str:
    title = re.sub(r"\s+", " ", title.strip())
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _stands_alone(doc, piece: Piece, evidence: Evidence, state: State) -> bool:
    """Whether a compilation piece without a type in its own title is a report of the
    compilation's type: substantial (checked by the caller), structured, shows one of the
    type's parts by name, and is no article (关键词/摘要/作者简介)."""
    if len(evidence.top) < state.min_headings or not evidence.named:
        return False
    lines = [text for _, text in _body_lines(doc, piece)]
    lines += [doc.prose_lines[n - 1] for n in piece.title_lines]
    return not any(_ARTICLE_FURNITURE.match(text) for text in lines)


def check(doc, rule):
    state: State = rule.state
    settings = getattr(doc, "settings", None)
    catalog = state.catalog_for(getattr(settings, "sections", None))
    structure = doc.structure
    compilation = structure.is_compilation
    whole_title_line, whole_title = structure.title
    whole = recognise(whole_title, catalog) if compilation else None
    for piece in _pieces(doc, state.min_chars):
        if piece.number == 0:
            continue
        titled_by_compilation = bool(piece.title_lines) and piece.title_lines[0] == whole_title_line
        own = None if (compilation and titled_by_compilation) else recognise(piece.title, catalog)
        found = own or whole
        if found is None or _body_chars(doc, piece) < state.min_chars:
            continue
        spec, label = found
        evidence = Evidence(doc, piece, spec, catalog)
        if compilation and own is None and not _stands_alone(doc, piece, evidence, state):
            continue
        where = ""
        if compilation:
            name = f"《{_short(piece.title)}》" if piece.title and not titled_by_compilation else ""
            where = f"汇编第{piece.number}篇{name}：这篇"
        for part_id in _expected(spec, piece.title, state.level):
            if evidence.has(part_id):
                continue
            part = catalog.parts[part_id]
            message = (rule.message.replace("{where}", where).replace("{type}", label)
                       .replace("{part}", part.label).replace("{hint}", part.hint))
            yield rule.document_finding(doc, message, line=piece.start)
