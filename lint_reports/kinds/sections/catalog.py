"""The facts behind kind `sections`: report types and their parts, compiled from pack data.

Pack data (rules/sections.yaml, and any user pack):

    report_parts:  {part_id: {label, hint, heading_synonyms, heading_patterns, inline_markers,
                              inline_patterns, inline_markers_weak, inline_patterns_weak,
                              weak_support, topical, opening}}
    report_types:  [{id, label, title_keywords, title_exclusions, title_false_friends,
                     required, recommended, optional, also_satisfied_by,
                     required_if_title_contains, labels_by_keyword}]
    report_title_exclusions: [words that make a title no report at all]

Packs merge in order (built-in first): a part or a type with an id already known replaces
it, so a user pack can change the required parts of 工作总结 as well as add a 会议纪要.
The config key `sections:` is applied on top with `apply_config`.

The module name starts with “_”, so it is never taken for a kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional
from ...speed.lazyre import lazy_compile

_PUNCT_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
# After the genre word a title may carry only compilation or draft furniture, a year in
# brackets or a subtitle: “……工作总结汇编（2篇）”, “……工作计划（2023—2025年）”.
_TITLE_TAIL = lazy_compile(
    r"^[\s\u3000]*(?:(?:汇编|合集|范文|大全|精选|模板|例文|全文|初稿|草稿|定稿|讨论稿|征求意见稿|送审稿|稿"
    r"|\d+篇|[一二三四五六七八九十]+篇)[\s\u3000]*)*(?:[（(【\[〔<《—\-].*)?$")


_PUNCT_PAIRS = tuple((chr(half), full) for half, full in _PUNCT_WIDTH.items())
_SPACES = lazy_compile(r"[ \t\u3000\u00a0]+")


def normalise(text: str) -> str:
    """Full-width punctuation, no spaces: “下一步,我们将” and “下一步， 我们将” match alike."""
    # str.replace per mark, not str.translate: translating Chinese text through a mapping
    # looks up every character in Python, seven C-speed replaces are far cheaper
    for half, full in _PUNCT_PAIRS:
        if half in text:
            text = text.replace(half, full)
    if " " in text or "\t" in text or "\u3000" in text or "\u00a0" in text:
        return _SPACES.sub("", text)
    return text  # most headings have no space: four C-speed `in` beat a regex call


@dataclass(frozen=True)
class PartSpec:
    id: str
    label: str
    hint: str
    synonyms: tuple  # normalised words a heading contains
    markers: tuple = ()  # normalised words the text contains
    weak_markers: tuple = ()  # compiled regexes (literal words escaped), need a support word
    weak_support: tuple = ()
    patterns: tuple = ()  # compiled regexes searched in the text
    heading_patterns: tuple = ()  # compiled regexes searched in heading text
    topical: bool = False  # an ordinary topical top-level heading shows this part
    opening: bool = False  # an unheaded opening paragraph shows this part


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
        """A part by id or Chinese label (“存在问题”, or one half of “指导思想/总体要求”)."""
        if name in self.parts:
            return self.parts[name]
        return next((p for p in self.parts.values() if p.label == name or name in p.label.split("/")), None)

    def report_type(self, name: str) -> Optional[TypeSpec]:
        """A type by id, label or keyword label (“工作要点” names plan_opinion)."""
        for spec in self.types:
            if name in (spec.id, spec.label) or name in spec.labels_by_keyword.values():
                return spec
        return None


# --- pack data -> Catalog -------------------------------------------------------------

def _strings(value, what: str) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{what} must be a list of non-empty strings")
    return tuple(value)


def _regexes(entry: dict, key: str, where: str) -> tuple:
    try:
        return tuple(re.compile(p) for p in _strings(entry.get(key), f"{where}.{key}"))
    except re.error as exc:
        raise ValueError(f"{where}.{key}: bad regular expression: {exc}") from None


def _build_part(part_id: str, entry) -> PartSpec:
    where = f"data.report_parts.{part_id}"
    if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
        raise ValueError(f"{where} needs a 'label'")
    words = {key: _strings(entry.get(key), f"{where}.{key}")
             for key in ("heading_synonyms", "inline_markers", "inline_markers_weak", "weak_support")}
    weak_words = tuple(re.compile(re.escape(w)) for w in words["inline_markers_weak"])
    return PartSpec(
        id=part_id, label=entry["label"], hint=str(entry.get("hint") or ""),
        synonyms=tuple(normalise(s) for s in words["heading_synonyms"]),
        markers=tuple(normalise(s) for s in words["inline_markers"]),
        weak_markers=weak_words + _regexes(entry, "inline_patterns_weak", where),
        weak_support=words["weak_support"],
        patterns=_regexes(entry, "inline_patterns", where),
        heading_patterns=_regexes(entry, "heading_patterns", where),
        topical=bool(entry.get("topical")), opening=bool(entry.get("opening")))


def _mapping_of_lists(entry: dict, key: str, where: str) -> dict:
    value = entry.get(key) or {}
    if not isinstance(value, dict):
        raise ValueError(f"{where} {key} must be a mapping of part to a list")
    return {str(k): _strings(v, f"{where} {key}.{k}") for k, v in value.items()}


def _build_type(entry, parts: dict) -> TypeSpec:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not isinstance(entry.get("label"), str):
        raise ValueError("each entry of data.report_types needs an 'id' and a 'label'")
    where = f"data.report_types '{entry['id']}'"
    labels = entry.get("labels_by_keyword") or {}
    if not isinstance(labels, dict):
        raise ValueError(f"{where} labels_by_keyword must be a mapping of title word to label")
    spec = TypeSpec(
        id=entry["id"], label=entry["label"],
        keywords=_strings(entry.get("title_keywords"), f"{where} title_keywords"),
        exclusions=_strings(entry.get("title_exclusions"), f"{where} title_exclusions"),
        false_friends=_strings(entry.get("title_false_friends"), f"{where} title_false_friends"),
        required=_strings(entry.get("required"), f"{where} required"),
        recommended=_strings(entry.get("recommended"), f"{where} recommended"),
        optional=_strings(entry.get("optional"), f"{where} optional"),
        also_satisfied_by=_mapping_of_lists(entry, "also_satisfied_by", where),
        required_if_title_contains=_mapping_of_lists(entry, "required_if_title_contains", where),
        labels_by_keyword={str(k): str(v) for k, v in labels.items()},
    )
    if not spec.keywords:
        raise ValueError(f"{where} needs title_keywords")
    for part_id in spec.known_parts:
        if part_id not in parts:
            raise ValueError(f"{where} names unknown part '{part_id}' (known: {', '.join(parts)})")
    return spec


def build_catalog(data: dict) -> Catalog:
    """Compile the pack data `report_parts` / `report_types`; ValueError names a bad entry.
    A type whose id comes again (from a later pack) replaces the earlier one in place."""
    raw_parts = data.get("report_parts") or {}
    raw_types = data.get("report_types") or []
    if not isinstance(raw_parts, dict) or not isinstance(raw_types, list):
        raise ValueError("data.report_parts must be a mapping and data.report_types a list")
    parts = {part_id: _build_part(str(part_id), entry) for part_id, entry in raw_parts.items()}
    types: dict = {}
    for entry in raw_types:
        spec = _build_type(entry, parts)
        types[spec.id] = spec  # a dict keeps the first position of a replaced id
    exclusions = _strings(data.get("report_title_exclusions"), "data.report_title_exclusions")
    return Catalog(parts, tuple(types.values()), exclusions)


# --- the title names the type ---------------------------------------------------------

def recognise(title: Optional[str], catalog: Catalog):
    """(TypeSpec, label) named by a title, or None.

    The genre word that ends the title wins (Chinese titles are head-final: “关于……工作开展
    情况的总结” is a 总结); after it only compilation/draft furniture may follow."""
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
        for word in spec.false_friends:  # 计划生育 is no 计划
            masked = masked.replace(word, "\0" * len(word))
        for keyword in spec.keywords:
            if keyword not in masked:
                continue  # most keywords: no regex needed
            for m in re.finditer(re.escape(keyword), masked):
                if not _TITLE_TAIL.match(masked[m.end():]):
                    continue
                key = (m.end(), len(keyword))  # latest end, then longest word
                if best is None or key > best[0]:
                    best = (key, spec, keyword)
    if best is None:
        return None
    _, spec, keyword = best
    return spec, spec.labels_by_keyword.get(keyword, spec.label)


# --- the config key `sections:` -------------------------------------------------------

class SectionsConfigError(ValueError):
    """A bad `sections:` entry; `key` (and `node`/`subkey`) locate it in the config file."""

    def __init__(self, key: str, message: str, node=None, subkey=None):
        super().__init__(message)
        self.key, self.node, self.subkey = key, node, subkey


CONFIG_TYPE_KEYS = ("required", "recommended", "synonyms", "markers")


def _config_names(value, key: str, node=None, subkey=None) -> list:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SectionsConfigError(key, f"sections.{key}{'.' + subkey if subkey else ''} must be a list of names", node, subkey)
    return value


def _config_part(catalog: Catalog, name, key: str, node=None, subkey=None) -> PartSpec:
    part = catalog.part(str(name))
    if part is None:
        raise SectionsConfigError(key, f"sections.{key}: unknown part '{name}' (known: {', '.join(catalog.parts)})",
                                  node, subkey)
    return part


def _config_words(catalog: Catalog, value, key: str) -> dict:
    """{part: [words]} -> {part_id: (normalised words)}."""
    if not isinstance(value, dict):
        raise SectionsConfigError(key, f"sections.{key} must be a mapping of part to a list of words")
    return {_config_part(catalog, name, key, value, str(name)).id:
            tuple(normalise(w) for w in _config_names(words, key, value, str(name)))
            for name, words in value.items()}


def _add_words(parts: dict, words_by_part: dict, field_name: str) -> None:
    for part_id, words in words_by_part.items():
        spec = parts[part_id]
        parts[part_id] = replace(spec, **{field_name: getattr(spec, field_name) + words})


def _configured_type(catalog: Catalog, current: TypeSpec, key: str, value: dict) -> TypeSpec:
    """`current` with the required/recommended parts of a `sections.<type>` mapping."""
    def ids(sub):
        return tuple(_config_part(catalog, name, key, value, sub).id
                     for name in _config_names(value[sub], key, value, sub))

    required = ids("required") if "required" in value else current.required
    recommended = ids("recommended") if "recommended" in value else current.recommended
    recommended = tuple(p for p in recommended if p not in required)
    # parts no longer asked for stay known, so their headings are not taken for work done
    optional = tuple(dict.fromkeys(p for p in (*current.optional, *current.required, *current.recommended)
                                   if p not in required and p not in recommended))
    return replace(current, required=required, recommended=recommended, optional=optional)


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
    types = {spec.id: spec for spec in catalog.types}
    for key, value in sections.items():
        key = str(key)
        if key in ("synonyms", "markers"):
            _add_words(parts, _config_words(catalog, value, key), key)
            continue
        spec = catalog.report_type(key)
        if spec is None:
            known = ", ".join(f"{t.id}（{t.label}）" for t in catalog.types)
            raise SectionsConfigError(key, f"sections: unknown report type '{key}' (known: {known}; or 'synonyms', 'markers')")
        if isinstance(value, list):
            value = {"required": value}
        if not isinstance(value, dict):
            raise SectionsConfigError(key, f"sections.{key} must be a list of required parts or a mapping with "
                                           f"{', '.join(repr(k) for k in CONFIG_TYPE_KEYS)}")
        for sub in value:
            if sub not in CONFIG_TYPE_KEYS:
                raise SectionsConfigError(key, f"sections.{key}: unknown key '{sub}' (allowed: {', '.join(CONFIG_TYPE_KEYS)})",
                                          value, sub)
        types[spec.id] = _configured_type(catalog, types[spec.id], key, value)
        for sub in ("synonyms", "markers"):
            if sub in value:  # parts are shared by all types, so the words are added to the part
                _add_words(parts, _config_words(catalog, value[sub], f"{key}.{sub}"), sub)
    return Catalog(parts, tuple(types.values()), catalog.exclusions)
