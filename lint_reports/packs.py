"""Load and validate YAML rule packs: the built-in ones (importlib.resources) and users'.

A pack is a YAML mapping:

    pack: placeholders            # a name
    description: ...
    data: {name: ...}             # optional shared data for kinds (merged across packs)
    rules:
      - id: placeholder-stars     # stable, kebab-case
        category: placeholder
        severity: warning
        kind: pattern
        description: one line for --list-rules
        message: 中文消息，可用 {match}
        pattern: ...              # kind-specific keys
        examples: {bad: [...], good: [...]}
"""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Optional

from . import yamlutil
from .config import glob_problem
from .finding import CATEGORIES, SEVERITIES, Edit, Finding
from .rules import kind_module
from .untrusted import key_name, quoted_name, visible

RULE_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
COMMON_KEYS = {
    "id": str, "category": str, "severity": str, "kind": str, "message": str,
    "description": str, "examples": dict, "enabled": bool, "files": list, "fix": (str, dict),
    "explain": str,
}
PACK_KEYS = {"pack", "description", "rules", "data", "version"}
MATCH_IN_MESSAGE = 60  # characters of the matched text quoted by {match}


class PackError(Exception):
    """A pack that cannot be used: names the file, line and rule."""

    def __init__(self, path: str, line: int, message: str, rule_id: Optional[str] = None):
        where = f"{path}:{line}" if line else path
        who = f" rule '{rule_id}':" if rule_id else ""
        super().__init__(f"{where}:{who} {message}")


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    kind: str
    message: str
    description: str
    examples: dict
    params: dict
    pack: str
    line: int = 0
    enabled: bool = True
    files: list = field(default_factory=list)
    fix: object = None
    explain: str = ""
    state: object = None  # whatever the kind's prepare() compiled

    def finding(self, doc, start: int, end: int, message: Optional[str] = None,
                fix: Optional[Edit] = None, severity: Optional[str] = None,
                suggestion: Optional[str] = None) -> Finding:
        """A Finding for text[start:end]; the span is cut at the end of its first line."""
        line, column = doc.position(start)
        line_end = doc.line_end(line)
        end_column = column + max(1, min(end, line_end) - start)
        text = doc.text[start:end]
        if len(text) > MATCH_IN_MESSAGE:  # a rule may match a whole 1 MB line: quote its start
            text = text[:MATCH_IN_MESSAGE] + "…"
        return Finding(doc.path, line, column, end_column, self.id, self.category,
                       severity or self.severity,
                       (message or self.message).replace("{match}", text),
                       start, end, fix, suggestion)

    def document_finding(self, doc, message: str, line: int = 1) -> Finding:
        """A finding about the whole document (or a part starting at `line`)."""
        start = doc.line_starts[line - 1]
        width = max(1, doc.line_end(line) - start)
        return Finding(doc.path, line, 1, 1 + width, self.id, self.category, self.severity,
                       message, start, start + width, None, whole_document=True)


@dataclass
class Pack:
    name: str
    path: str
    rules: list
    data: dict


def builtin_pack_files() -> list:
    root = resources.files("lint_reports.rulepacks")
    return sorted((entry for entry in root.iterdir() if entry.name.endswith(".yaml")),
                  key=lambda entry: entry.name)


def _check_type(value, expected) -> bool:
    if isinstance(value, bool) and expected is not bool and not (isinstance(expected, tuple) and bool in expected):
        return False  # YAML's true is an int to Python: `max_lines: true` is not a number
    if expected is float:
        expected = (int, float)
    if expected is bool:
        return isinstance(value, bool)
    return isinstance(value, expected)


def _type_name(expected) -> str:
    if isinstance(expected, tuple):
        return " or ".join(_type_name(t) for t in expected)
    return {str: "a string", list: "a list", dict: "a mapping", bool: "true/false",
            int: "an integer", float: "a number"}.get(expected, expected.__name__)


def _number_problem(key: str, value):
    """Every number a kind takes is a count, a length or a ratio: never negative, never
    infinite or NaN (a `max_lines: -1` would otherwise silently mean nothing)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return f"'{key}' must be a finite number"
    if value < 0:
        return f"'{key}' must not be negative"
    return None


def parse_pack(text: str, path: str) -> Pack:
    try:
        document = yamlutil.load(text)
    except yamlutil.YamlError as exc:
        raise PackError(path, exc.line, exc.message) from None
    if not isinstance(document, dict):
        raise PackError(path, 1, "a rule pack must be a mapping with a 'rules' list")
    for key in document:
        if key not in PACK_KEYS:
            # the key is quoted only if it looks like one: a file that is not a pack
            # (`packs: [/etc/shadow]`) is a mapping whose first key is its first line
            shown = f"unknown key '{key}'" if key_name(key) else "not a rule pack: this line is not one of its keys"
            raise PackError(path, document.line_of(key), f"{shown} (allowed: {', '.join(sorted(PACK_KEYS))})")
    rules_node = document.get("rules", [])
    if not isinstance(rules_node, list):
        raise PackError(path, document.line_of("rules"), "'rules' must be a list")
    data = document.get("data") or {}
    if not isinstance(data, dict):
        raise PackError(path, document.line_of("data"), "'data' must be a mapping")
    rules = []
    for entry in rules_node:
        rules.append(_parse_rule(entry, path))
    return Pack(str(document.get("pack") or Path(path).stem), path, rules, dict(data))


def _parse_rule(entry, path: str) -> Rule:
    if not isinstance(entry, dict):
        raise PackError(path, 0, "each rule must be a mapping")
    line = getattr(entry, "line", 0)
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise PackError(path, line, f"rule id {quoted_name(rule_id, 'an id')} must be kebab-case ascii, e.g. 'placeholder-stars'")
    kind = entry.get("kind")
    module = kind_module(kind) if isinstance(kind, str) else None
    if module is None:
        raise PackError(path, entry.line_of("kind"), f"unknown kind {quoted_name(kind, 'a kind')}", rule_id)
    allowed = dict(COMMON_KEYS)
    allowed.update(getattr(module, "PARAMS", {}))
    for key, value in entry.items():
        if key not in allowed:
            raise PackError(path, entry.line_of(key), f"unknown key {quoted_name(key, 'a key')}", rule_id)
        if not _check_type(value, allowed[key]):
            raise PackError(path, entry.line_of(key), f"'{key}' must be {_type_name(allowed[key])}", rule_id)
        problem = _number_problem(key, value)
        if problem:
            raise PackError(path, entry.line_of(key), problem, rule_id)
    for key in ("category", "severity", "message"):
        if key not in entry:
            raise PackError(path, line, f"missing '{key}'", rule_id)
    if entry["category"] not in CATEGORIES:
        raise PackError(path, entry.line_of("category"),
                        f"category must be one of {', '.join(CATEGORIES)}", rule_id)
    if entry["severity"] not in SEVERITIES:
        raise PackError(path, entry.line_of("severity"), f"severity must be one of {', '.join(SEVERITIES)}", rule_id)
    for required in getattr(module, "REQUIRED", ()):
        options = required if isinstance(required, tuple) else (required,)
        if not any(option in entry for option in options):
            raise PackError(path, line, f"kind '{kind}' needs '{' or '.join(options)}'", rule_id)
    for pattern in entry.get("files", []):
        problem = glob_problem(pattern) if isinstance(pattern, str) else "a glob must be a string"
        if problem:
            raise PackError(path, entry.line_of("files"), f"files: {problem}", rule_id)
    examples = entry.get("examples") or {}
    for key in examples:
        if key not in ("bad", "good"):
            raise PackError(path, entry.line_of("examples"), f"examples take 'bad' and 'good', not {quoted_name(key, 'a key')}", rule_id)
        if not isinstance(examples[key], list) or not all(isinstance(x, str) for x in examples[key]):
            raise PackError(path, entry.line_of("examples"), f"examples.{key} must be a list of strings", rule_id)
    params = {key: value for key, value in entry.items() if key not in COMMON_KEYS}
    return Rule(
        id=rule_id, category=entry["category"], severity=entry["severity"], kind=kind,
        message=entry["message"], description=entry.get("description") or entry["message"],
        examples={"bad": list(examples.get("bad", [])), "good": list(examples.get("good", []))},
        params=params, pack=path, line=line, enabled=entry.get("enabled", True),
        files=list(entry.get("files", [])), fix=entry.get("fix"), explain=entry.get("explain", ""),
    )


def merge_data(packs: list) -> dict:
    """Shared data of all packs: lists are concatenated, mappings merged, scalars overridden."""
    merged: dict = {}
    for pack in packs:
        for key, value in pack.data.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
            elif isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    return merged


def prepare_rules(packs: list) -> list:
    """Let each kind compile its rules; duplicate ids are an error (later packs may not shadow)."""
    data = merge_data(packs)
    seen: dict = {}
    rules = []
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise PackError(pack.path, rule.line, f"duplicate rule id (already defined in {seen[rule.id]})", rule.id)
            seen[rule.id] = pack.path
            try:
                kind_module(rule.kind).prepare(rule, data)
            except ValueError as exc:
                raise PackError(pack.path, rule.line, visible(exc), rule.id) from None
            except (OverflowError, RecursionError, MemoryError) as exc:
                # a regular expression the kind compiles that `re` cannot build: a repeat
                # count beyond its limit, thousands of nested groups (any kind, any key)
                raise PackError(pack.path, rule.line, f"cannot be compiled ({_why_not_compiled(exc)})", rule.id) from None
            rules.append(rule)
    return rules


def _why_not_compiled(exc) -> str:
    if isinstance(exc, OverflowError):
        return "a number in it is too large"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "too large"


@functools.lru_cache(maxsize=None)
def _parse_builtin(name: str, text: str) -> Pack:
    return parse_pack(text, f"rules/{name}")


def load_builtin_packs() -> list:
    """The shipped packs, parsed once per process (each Linter gets its own Rule objects)."""
    packs = []
    for entry in builtin_pack_files():
        pack = _parse_builtin(entry.name, entry.read_text(encoding="utf-8"))
        packs.append(Pack(pack.name, pack.path, [dataclasses.replace(rule) for rule in pack.rules], dict(pack.data)))
    return packs


def load_pack_file(path: Path) -> Pack:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PackError(str(path), 0, "rule pack not found") from None
    except OSError as exc:
        raise PackError(str(path), 0, f"cannot read rule pack: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PackError(str(path), 0, "rule pack is not UTF-8 text") from None
    return parse_pack(text, str(path))
