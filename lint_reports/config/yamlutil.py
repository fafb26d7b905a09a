"""YAML with line numbers, so config and pack errors can name the line.

Errors name the line and the problem, never the text of the file: a config may point
`extends:` at any file, and a file that is not YAML at all must not be shown in a CI log.
"""
from __future__ import annotations

import re

from ..io.escape import key_name

class LineDict(dict):
    """A mapping that remembers the 1-based line of itself and of each key."""

    line = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


def _construct_mapping(loader, node, deep=False):
    import yaml

    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable key", key_node.start_mark) from None
        if key in mapping:  # PyYAML would silently keep the last one
            name = key_name(key)
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {repr(name) if name else '(not shown)'} (first on line {mapping.key_lines[key]})",
                key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=deep)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_loader = None

# Python refuses to convert a decimal integer of more digits than this (the conversion is
# quadratic); YAML then raised a bare ValueError, and so did a date such as 2024-02-30.
LONG_NUMBER = "a number of thousands of digits"


def _at_its_line(constructor, problem: str):
    """`constructor`, with the ValueError of a value it cannot build (an integer of 5 000
    digits, `2024-02-30`) made a YAML error at the value's line."""
    def construct(loader, node):
        import yaml

        try:
            return constructor(loader, node)
        except ValueError:
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None
    return construct


def _line_loader():
    """SafeLoader (no tags, no code) that records where every mapping and key starts.
    Built on first use: a run served from the pack cache with no config never imports yaml."""
    global _loader
    if _loader is None:
        import yaml

        class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            """libyaml's parser when PyYAML has it: the built-in packs hold thousands of
            lines of data."""

        _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
        for tag, problem in (("int", LONG_NUMBER), ("timestamp", "not a real date or time")):
            constructor = yaml.constructor.SafeConstructor.yaml_constructors[f"tag:yaml.org,2002:{tag}"]
            _LineLoader.add_constructor(f"tag:yaml.org,2002:{tag}", _at_its_line(constructor, problem))
        _loader = _LineLoader
    return _loader


# A quoted piece of PyYAML's message that may be kept: one character (`found character
# '\t'`), a token name (`'<scalar>'`), or something shaped like a key.
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
_SHOWN_TAG = re.compile(r"!!?[A-Za-z][A-Za-z0-9./:_-]{0,40}")


def _keep_quoted(match) -> str:
    inner = match.group(1) if match.group(1) is not None else match.group(2)
    harmless = len(inner) <= 1 or (inner.startswith("\\") and len(inner) <= 6) \
        or re.fullmatch(r"<[a-z ]+>", inner) or key_name(inner) is not None
    return match.group(0) if harmless else "'…'"


def _problem_text(problem: str) -> str:
    return _QUOTED.sub(_keep_quoted, problem)


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def load(text: str):
    """Parse YAML safely; raise YamlError(line, message) on bad input."""
    import yaml

    try:
        return yaml.load(text, Loader=_line_loader())  # noqa: S506 - a SafeLoader
    except RecursionError:  # hundreds of nested mappings: the constructor recurses per level
        raise YamlError(0, "invalid YAML: nested too deeply") from None
    except ValueError:  # a value no constructor above guards: still one line, never a bug
        raise YamlError(0, "invalid YAML: a value that cannot be read") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor for the tag" in problem:
            tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            shown = tag if _SHOWN_TAG.fullmatch(tag) else "(not shown)"
            raise YamlError(line, f"YAML tag {shown} is not allowed: configs and rule packs are plain data") from None
        raise YamlError(line, f"invalid YAML: {_problem_text(problem)}") from None
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 0
        character = getattr(exc, "character", None)  # a code point (libyaml) or the character
        if isinstance(character, str) and len(character) == 1:
            character = ord(character)
        what = f" (U+{character:04X})" if isinstance(character, int) else ""
        raise YamlError(line, f"invalid YAML: a character YAML does not allow{what}") from None
