"""YAML with line numbers, so config and pack errors can name the line."""
from __future__ import annotations

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
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {mapping.key_lines[key]})",
                key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=deep)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_loader = None


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
        _loader = _LineLoader
    return _loader


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
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor for the tag" in problem:
            tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            raise YamlError(line, f"YAML tag {tag} is not allowed: configs and rule packs are plain data") from None
        return_message = f"invalid YAML: {problem}"
        raise YamlError(line, return_message) from None
    except yaml.YAMLError as exc:
        raise YamlError(0, f"invalid YAML: {exc}") from None
