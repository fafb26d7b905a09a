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
import stat
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Optional

from ..io import safeio
from . import yamlutil
from .settings import glob_problem
from ..core.finding import CATEGORIES, SEVERITIES, Edit, Finding
from ..kinds import kind_module
from ..io.escape import key_name, quoted_name, visible

RULE_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
COMMON_KEYS = {
    "id": str, "category": str, "severity": str, "kind": str, "message": str,
    "description": str, "examples": dict, "enabled": bool, "files": list, "fix": (str, dict),
    "explain": str,
}
PACK_KEYS = {"pack", "description", "rules", "data", "version"}
MAX_PACK_BYTES = 16 * safeio.MB  # the built-in packs together are a quarter of one
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
    example_lines: dict = field(default_factory=dict)  # "bad"/"good" -> line of that key in the pack

    def finding(self, doc, start: int, end: int, message: Optional[str] = None,
                fix: Optional[Edit] = None, severity: Optional[str] = None,
                suggestion: Optional[str] = None, whole_lines: bool = False) -> Finding:
        """A Finding for text[start:end]; the span is shown cut at the end of its first line.
        With `whole_lines` the finding is about every line the span reaches (its end_line
        is the last of them), as a copy of a page's body is one defect of many lines."""
        line, column = doc.position(start)
        line_end = doc.line_end(line)
        end_column = column + max(1, min(end, line_end) - start)
        if min(end, len(doc.text)) - max(start, 0) > MATCH_IN_MESSAGE:  # a rule may match a whole 1 MB line: quote its start
            text = doc.text[start:start + MATCH_IN_MESSAGE] + "…"
        else:
            text = doc.text[start:end]
        finding = Finding(doc.path, line, column, end_column, self.id, self.category,
                          severity or self.severity,
                          (message or self.message).replace("{match}", text),
                          start, end, fix, suggestion)
        if whole_lines and end > line_end + 1:
            finding.end_line = doc.position(end - 1)[0]
        return finding

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
    data_lines: dict = field(default_factory=dict)  # the line of each key of `data`, for errors


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
    from ..speed import packcache

    kept = packcache.kept_document(text)  # parsed by an earlier run (plain data, see packcache)
    if kept is not None:
        try:
            return pack_from_document(kept, path)
        except PackError:
            pass  # a cache file is not what the pack says: only the pack's own errors are reported
    try:
        document = packcache.parse_and_keep(text)
    except yamlutil.YamlError as exc:
        raise PackError(path, exc.line, exc.message) from None
    return pack_from_document(document, path)


def pack_from_document(document, path: str) -> Pack:
    """Validate a parsed pack (YAML mappings with line numbers), every rule and key."""
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
    data_lines = {key: data.line_of(key) for key in data} if hasattr(data, "line_of") else {}
    return Pack(str(document.get("pack") or Path(path).stem), path, rules, dict(data), data_lines)


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
        example_lines={key: examples.line_of(key) if hasattr(examples, "line_of") else entry.line_of("examples")
                       for key in examples},
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
    """Let each kind compile its rules; duplicate ids are an error (later packs may not shadow).
    The examples of users' packs are run by the Linter (see check_user_examples), which
    needs rules to run them with."""
    return _prepare(packs)


def load_prepared(config) -> tuple:
    """(packs, rules) for `config`: the packs parsed (from the cache when unchanged) and
    validated, then prepared. Pack errors are raised exactly as without a cache."""
    packs = load_builtin_packs() if config.use_default_packs else []
    packs += [load_pack_file(path) for path in config.packs]
    return packs, prepare_rules(packs)


def _prepare(packs: list) -> list:
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
                raise _data_culprit(packs, pack, rule) or PackError(pack.path, rule.line, visible(exc), rule.id) from None
            except (OverflowError, RecursionError, MemoryError) as exc:
                # a regular expression the kind compiles that `re` cannot build: a repeat
                # count beyond its limit, thousands of nested groups (any kind, any key)
                raise PackError(pack.path, rule.line, f"cannot be compiled ({_why_not_compiled(exc)})", rule.id) from None
            rules.append(rule)
    from ..speed import regexfacts

    regexfacts.flush()  # what the kinds learned of their regexes, for the next start
    return rules


def _data_culprit(packs: list, pack: Pack, rule: Rule) -> Optional[PackError]:
    """When a rule cannot use the shared data only because another pack added to it (a user's
    pack with a bad `era_facts` entry breaks the shipped era rules), the error names that
    pack and the line of its data key, not the shipped pack the user never wrote."""
    others = [other for other in packs if other is not pack and other.data]
    if not others:
        return None
    kind = kind_module(rule.kind)

    def fails(with_packs: list) -> Optional[ValueError]:
        try:
            kind.prepare(dataclasses.replace(rule), merge_data(with_packs))
        except ValueError as exc:
            return exc
        except (OverflowError, RecursionError, MemoryError) as exc:
            return ValueError(f"cannot be compiled ({_why_not_compiled(exc)})")
        return None

    # the packs before the culprit are fine together: add them one by one, in load order
    kept = [pack]
    if fails(kept):
        return None  # the rule's own pack is wrong by itself
    for other in (p for p in packs if p is not pack):
        if not other.data:
            continue
        problem = fails(kept + [other])
        if problem is None:
            kept.append(other)
            continue
        key = next((key for key in other.data
                    if fails(kept + [dataclasses.replace(other, data={key: other.data[key]})])), None)
        line = other.data_lines.get(key, 0) if key is not None else 0
        if key is not None and isinstance(other.data[key], list):  # the entry at fault, if one alone is
            line = next((entry.line for entry in other.data[key] if getattr(entry, "line", 0)
                         and fails(kept + [dataclasses.replace(other, data={key: [entry]})])), line)
        what = f"data '{key}'" if key is not None else "data"
        return PackError(other.path, line, f"{what} (used by rule '{rule.id}' of {pack.path}): {visible(problem)}")
    return None


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
        packs.append(Pack(pack.name, pack.path, [dataclasses.replace(rule) for rule in pack.rules], dict(pack.data),
                          dict(pack.data_lines)))
    return packs


def load_pack_file(path: Path) -> Pack:
    try:
        text = safeio.read_text(path, MAX_PACK_BYTES)  # a regular file, a bounded read
    except FileNotFoundError:
        raise PackError(str(path), 0, "rule pack not found") from None
    except OSError as exc:
        raise PackError(str(path), 0, f"cannot read rule pack: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PackError(str(path), 0, "rule pack is not UTF-8 text") from None
    return parse_pack(text, str(path))


# --- a pack's examples are its tests ------------------------------------------------------
#
# `bad:` examples must be flagged by their rule and `good:` ones not. The shipped packs are
# tested by the test suite; a user's pack is checked when it is prepared (a cold start, or
# a changed pack), so a rule that no longer does what its examples say is an error naming
# the pack and the example's line. Once a pack's examples passed, a marker in the user cache
# (keyed on the pack's rules and data, the shipped packs and the package's code) saves
# running them again on every start; `lint-reports --check-packs` runs them on demand.

BUILTIN_PREFIX = "rules/"  # the path of a shipped pack; users' packs have absolute paths
EXAMPLES_OK_PREFIX = "pack-examples-ok-"
_MARKER_NAME = re.compile(re.escape(EXAMPLES_OK_PREFIX) + "[0-9a-f]{32}")
EXAMPLES_OK_KEEP = 64
SHOWN_EXAMPLE = 40  # characters of an example quoted in a message


@dataclass
class ExampleFailure:
    pack: str  # the pack's path
    line: int  # of the example (else of its `bad:`/`good:` key)
    rule: str
    kind: str  # "bad" (not flagged) or "good" (flagged)
    example: str
    messages: list = field(default_factory=list)  # what the rule said about a good example

    def describe(self) -> str:
        text = visible(self.example.strip().splitlines()[0] if self.example.strip() else self.example)
        if len(text) > SHOWN_EXAMPLE:
            text = text[:SHOWN_EXAMPLE] + "…"
        if self.kind == "bad":
            return f"bad example is not flagged by the rule: “{text}”"
        return f"good example is flagged by the rule: “{text}”"


def is_builtin(pack: Pack) -> bool:
    return pack.path.startswith(BUILTIN_PREFIX)


def example_failures(linter, rules: list, checked) -> list:
    """Every failing example of the rules of the packs `checked`, in pack order, as `linter`
    (the rules of a default config) finds them."""
    names = {pack.path for pack in checked}
    failures = []
    for rule in rules:
        if rule.pack not in names:
            continue
        for kind in ("bad", "good"):
            for example in rule.examples.get(kind, []):
                found = linter.example_findings(rule, example)
                if bool(found) != (kind == "bad"):
                    failures.append(ExampleFailure(rule.pack, rule.example_lines.get(kind, rule.line), rule.id, kind,
                                                   example, [f.message for f in found]))
    _locate(failures)
    return failures


def check_user_examples(packs: list, rules: list, example_linter) -> None:
    """Raise PackError for the first failing example of a user's pack (naming the others'
    count and --check-packs), as the README promises. Skipped for packs whose examples
    passed before. `example_linter()`: a Linter of these rules with a default config."""
    users = [pack for pack in packs if not is_builtin(pack) and any(r.examples.get("bad") or r.examples.get("good")
                                                                    for r in pack.rules)]
    if not users:
        return
    marker = _examples_marker(packs, users)
    if marker is not None and marker.exists():
        return
    failures = example_failures(example_linter(), rules, users)
    if failures:
        first = failures[0]
        more = f"; {len(failures) - 1} more: lint-reports --check-packs {first.pack}" if len(failures) > 1 else ""
        raise PackError(first.pack, first.line,
                        f"{first.describe()} (a pack's examples are its tests: correct the rule or the example{more})",
                        first.rule)
    if marker is not None:
        _write_marker(marker)


def _examples_marker(packs: list, users: list):
    """The file saying "these packs' examples pass", or None (cache off)."""
    from ..speed import packcache
    from ..speed.usercache import cache_dir

    if not packcache.enabled():
        return None
    import hashlib
    import json

    digest = hashlib.sha256(f"examples\0{_package_version()}\0{packcache.sources_digest()}\0".encode())
    digest.update(_builtin_digest().encode())
    for pack in packs:  # the data of every pack feeds the kinds, so all of it is in the key
        if is_builtin(pack):
            continue
        plain = {"path": pack.path, "data": pack.data,
                 "rules": [{f.name: getattr(rule, f.name) for f in dataclasses.fields(rule) if f.name != "state"}
                           for rule in pack.rules]}
        digest.update(json.dumps(plain, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return cache_dir() / f"{EXAMPLES_OK_PREFIX}{digest.hexdigest()[:32]}"


def _package_version() -> str:
    from .. import __version__

    return __version__


@functools.lru_cache(maxsize=None)
def _builtin_digest() -> str:
    """The shipped packs and their data files (they are data to the kinds a user rule uses)."""
    import hashlib

    digest = hashlib.sha256()

    def walk(node, prefix):
        for entry in sorted(node.iterdir(), key=lambda e: e.name):
            if entry.name.startswith((".", "__")):
                continue
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            else:
                data = entry.read_bytes()
                digest.update(f"{prefix}{entry.name}\0{len(data)}\0".encode())
                digest.update(data)

    walk(resources.files("lint_reports.rulepacks"), "")
    return digest.hexdigest()


def _write_marker(marker: Path) -> None:
    from ..speed.usercache import replacing

    try:
        with replacing(marker, ".examples.") as temp:
            temp.write_bytes(b"")
        # Only markers as this function names them, and only plain files: a link or a folder
        # planted under such a name is not ours to delete.
        markers = sorted((p for p in marker.parent.glob(f"{EXAMPLES_OK_PREFIX}*")
                          if _MARKER_NAME.fullmatch(p.name) and stat.S_ISREG(p.lstat().st_mode)),
                         key=lambda p: p.lstat().st_mtime, reverse=True)
        for old in markers[EXAMPLES_OK_KEEP:]:
            old.unlink()
    except OSError:
        pass  # no cache directory: the examples run again next time


def _locate(failures: list) -> None:
    """Move each failure from the line of its `bad:`/`good:` key to the example's own line,
    read from the pack's text (only when something failed: the YAML keeps no item lines)."""
    texts: dict = {}
    for failure in failures:
        if failure.pack not in texts:
            texts[failure.pack] = _pack_lines(failure.pack)
        lines = texts[failure.pack]
        if not lines or not failure.line:
            continue
        first = failure.example.strip().splitlines()[0] if failure.example.strip() else ""
        probes = [first[:24], first[:24].replace("'", "''"), json_escaped(first[:24])]
        for number in range(failure.line, min(len(lines), failure.line + 400) + 1):
            if first and any(probe and probe in lines[number - 1] for probe in probes):
                failure.line = number
                break


def json_escaped(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)[1:-1]


def _pack_lines(path: str) -> list:
    try:
        if path.startswith(BUILTIN_PREFIX):
            return resources.files("lint_reports.rulepacks").joinpath(path[len(BUILTIN_PREFIX):]) \
                .read_text(encoding="utf-8").splitlines()
        return safeio.read_text(path, MAX_PACK_BYTES).splitlines()  # swapped for a FIFO since: no block
    except (OSError, UnicodeDecodeError, ValueError):
        return []
