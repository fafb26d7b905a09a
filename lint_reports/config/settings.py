"""Configuration: which config applies to which file, `extends`, `--config KEY=VALUE`
overrides, and validation with file and line in every error.

The config of a file is the same from any working directory (as ruff and markdownlint-cli2
find theirs):

1. `--no-config` / `--isolated`: none at all, the defaults;
2. `--config FILE`: that file, for every file;
3. else the closest one: `.lint-reports.yaml` (or `.yml`), else a `pyproject.toml` with a
   `[tool.lint-reports]` table, in the file's own directory or the nearest parent that
   has one (a `pyproject.toml` without the table is passed over).

Configs in different directories are not merged: a nested config inherits another only
through `extends:`, which merges lists as `_apply` below documents. `--config KEY=VALUE`
overrides are applied on top of every config, as one more extending layer. Globs (`files`,
`per-file`) are relative to the config that states them, also when inherited.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple, Optional

from ..io import safeio
from ..io.realpaths import RealPaths, resolved
from . import yamlutil
from ..core.finding import CATEGORIES, SEVERITIES
from ..io.escape import key_name, visible

CONFIG_NAMES = (".lint-reports.yaml", ".lint-reports.yml")
DEFAULT_INCLUDE = ["*.txt", "*.md"]
MIN_YEAR, MAX_YEAR = 1900, 2200  # the years a report may speak from (config and --year)
SHOWN_CHARS = 60  # of a key or value quoted in an error
MAX_CONFIG_BYTES = 16 * safeio.MB  # reads are bounded: a config is a few KB
MAX_USER_DICT_BYTES = 64 * safeio.MB  # jieba user dictionaries run to a few MB (kinds.repetition)


def default_include() -> list:
    """*.txt and *.md; *.docx too once the `docx` extra is installed (without it a .docx
    could only be skipped, so a directory walk does not pick it up)."""
    from ..io.docx import available

    return DEFAULT_INCLUDE + (["*.docx"] if available() else [])


class ConfigError(Exception):
    def __init__(self, path, line: int, message: str):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line = str(path), line


def str_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def shown(value) -> str:
    """A key or value of a config quoted in an error: control characters escaped, cut short."""
    text = visible(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _is_year(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and MIN_YEAR <= value <= MAX_YEAR


def severity_level(value):
    """The level a `severity:` entry names, or None. An unquoted `off` (or `no`, `false`)
    is read by YAML as false: that means off too."""
    if value is False:
        return "off"
    return value if isinstance(value, str) and (value in SEVERITIES or value == "off") else None


def severity_problem(value) -> str:
    hint = " (an unquoted yes/on/true is read as true)" if value is True else ""
    return f"must be info, warning, error or off{hint}"


def glob_problem(pattern: str):
    """Why `pattern` is not a glob we can use, or None. fnmatch reads a `[` without its `]`
    as a literal bracket: almost always a typo, which would silently match nothing."""
    if not pattern:
        return "empty glob"
    index, length = 0, len(pattern)
    while index < length:
        if pattern[index] == "[":
            end = index + 1
            if end < length and pattern[end] == "!":
                end += 1
            if end < length and pattern[end] == "]":
                end += 1
            while end < length and pattern[end] != "]":
                end += 1
            if end >= length:
                return "'[' without its ']' in a glob (write [[] for a literal '[')"
            index = end
        index += 1
    return None


class OwnedBy(NamedTuple):
    """A top-level key a rule kind owns: its module declares and validates it (OPTIONS)."""
    kind: str


@dataclass(frozen=True)
class OptionKey:
    """How a kind's module declares a config key it owns, in its `OPTIONS` (key -> OptionKey).

    check        the value's shape (a mapping, a list of paths…), tested when the file is read
    description  what check wants, for "'<key>' must be <description>"
    apply        apply(options, value, layer): validate one layer's value (raising
                 layer.error(line, message)) and merge it into `options`, the kind's dict of
                 what the layers below gave (what rules of the kind get as `ctx.options`)"""

    check: Callable[[Any], bool]
    description: str
    apply: Callable[[dict, Any, "Layer"], None]


@dataclass
class Layer:
    """One config layer (a config file, or the `--config KEY=VALUE` overrides) as a kind's
    OptionKey.apply sees it: where errors point, and what relative paths are relative to."""

    path: Any  # the config file (a Path) or the Override: what an error names
    base: Path  # the directory of that file (the current directory for overrides)
    line: int  # the line of the key being applied
    config: "Config"

    def line_of(self, mapping, key) -> int:
        """The line of `key` inside a mapping of this layer (the key's own line when unknown)."""
        return mapping.line_of(key) if hasattr(mapping, "line_of") else self.line

    def error(self, line: int, message: str) -> "ConfigError":
        return ConfigError(self.path, line, message)

    def remember(self, label: str, line: int) -> None:
        """Keep a line for an error found later, once the packs are loaded (Config.lines)."""
        self.config.lines[label] = (str(self.path), line)


# key -> (check, description), or the kind that owns it (its module says what it accepts).
# Per-file entries accept PER_FILE_KEYS only.
SCHEMA = {
    "extends": (lambda v: isinstance(v, str) or str_list(v), "'default', 'none' or a path"),
    "packs": (str_list, "a list of pack file paths"),
    "select": (str_list, "a list of rule ids or categories"),
    "ignore": (str_list, "a list of rule ids or categories"),
    "severity": (lambda v: isinstance(v, dict), "a mapping of rule id to info/warning/error/off"),
    "year": (_is_year, f"a year such as 2024 (from {MIN_YEAR} to {MAX_YEAR})"),
    "files": (lambda v: isinstance(v, dict), "a mapping with 'include' and/or 'exclude'"),
    "per-file": (lambda v: isinstance(v, dict), "a mapping of glob to settings"),
    "sections": OwnedBy("sections"),
    "allow": (lambda v: str_list(v) and all(w.strip() for w in v),
              "a list of words never flagged (an empty word would allow everything, and so would a blank one)"),
    "fail-level": (lambda v: v in SEVERITIES or v == "never", "one of info, warning, error, never"),
    "repetition": OwnedBy("repetition"),
    "report-unused-suppressions": (lambda v: isinstance(v, bool), "true or false"),
    "templates": OwnedBy("copied"),
    "compare": OwnedBy("copied"),
    "copied": OwnedBy("copied"),
}
PER_FILE_KEYS = ("select", "ignore", "severity", "year", "allow")


def option_key(key: str) -> OptionKey:
    """The declaration of a kind-owned key, from the module of the kind that owns it (imported
    only when a config uses the key)."""
    from ..kinds import kind_module

    return kind_module(SCHEMA[key].kind).OPTIONS[key]


def _schema(key: str) -> tuple:
    """(check, description) of a top-level key."""
    entry = SCHEMA[key]
    if isinstance(entry, OwnedBy):
        declared = option_key(key)
        return declared.check, declared.description
    return entry
# Keys an override (`--config KEY=VALUE`) may not set: what it extends is the config itself.
NOT_OVERRIDABLE = ("extends",)


class Glob(str):
    """A glob of a config with the directory it is relative to: the directory of the config
    that states it, also when another config inherits it through `extends`. `base` None:
    relative to whichever config applies (the defaults, `*.txt`)."""

    base: Optional[Path] = None

    def __new__(cls, pattern: str, base: Optional[Path] = None):
        glob = super().__new__(cls, pattern)
        glob.base = base
        return glob

    def __reduce__(self):  # pickled into worker processes with its base
        return (Glob, (str(self), self.base))


@dataclass
class PerFile:
    """One `per-file:` entry: settings for the files its glob matches (relative to `base`)."""

    pattern: str
    settings: dict  # of PER_FILE_KEYS
    base: Path
    source: str = ""  # the config that states it, and the line
    line: int = 0

    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass
class Config:
    path: Optional[str] = None  # the file it came from, for messages
    base_dir: Path = field(default_factory=Path.cwd)
    use_default_packs: bool = True
    packs: list = field(default_factory=list)  # absolute Paths
    select: list = field(default_factory=list)
    ignore: list = field(default_factory=list)
    severity: dict = field(default_factory=dict)
    year: Optional[int] = None
    include: list = field(default_factory=default_include)  # globs (Glob when a config states them)
    exclude: list = field(default_factory=list)
    per_file: list = field(default_factory=list)  # PerFile entries, extended configs' first
    allow: list = field(default_factory=list)
    fail_level: str = "warning"
    report_unused_suppressions: bool = False
    # kind -> its options: what the config keys it owns say (`sections:`; `repetition:`;
    # `copied:`, `templates:`, `compare:`), validated and merged by the kind (OptionKey)
    options: dict = field(default_factory=dict)
    # The layers this config is made of, in the order applied (an extended config before the
    # one extending it, overrides last): config paths and `--config KEY=VALUE` labels.
    sources: list = field(default_factory=list)
    # Paths in baselines and fingerprints are relative to this directory: the outermost
    # config above the file, so they are the same whichever nested config applies.
    anchor_base: Optional[Path] = None
    lines: dict = field(default_factory=dict)  # key -> line, for later validation messages

    @staticmethod
    def matches(pattern: str, rel_path: str) -> bool:
        """Glob on the relative path, on the file name, or a directory prefix (`drafts/`)."""
        rel_path = rel_path.replace("\\", "/")
        if fnmatch.fnmatch(rel_path, pattern) or fnmatch.fnmatch(rel_path.rsplit("/", 1)[-1], pattern):
            return True
        directory = pattern.rstrip("/")
        if directory.endswith("/**"):
            directory = directory[:-3]
        return ("/" + rel_path).find("/" + directory + "/") != -1

    def rel_to(self, rel_path: str, base: Optional[Path]) -> str:
        """`rel_path` (relative to this config's directory) made relative to `base`, the
        directory of the config that stated a glob."""
        if base is None or base == self.base_dir:
            return rel_path
        return os.path.relpath(os.path.join(str(self.base_dir), rel_path), str(base)).replace(os.sep, "/")

    def glob_matches(self, pattern, rel_path: str) -> bool:
        return self.matches(pattern, self.rel_to(rel_path, getattr(pattern, "base", None)))

    def excluded_by(self, rel_path: str):
        """The `files.exclude` glob that excludes `rel_path`, or None."""
        return next((p for p in self.exclude if self.glob_matches(p, rel_path)), None)

    def included(self, rel_path: str) -> bool:
        return any(self.glob_matches(p, rel_path) for p in self.include)

    def excludes_directory(self, rel_dir: str):
        """The exclude glob that names the directory `rel_dir` itself (`archive/`, `archive`,
        `old/*`), or None: a directory walk does not enter it, so configs inside it are not
        read either."""
        return self.excluded_by(rel_dir.rstrip("/") + "/")

    def entries_for(self, rel_path: str) -> list:
        """The per-file entries (in order) whose glob matches rel_path."""
        return [entry for entry in self.per_file if self.matches(entry.pattern, self.rel_to(rel_path, entry.base))]

    def settings_for(self, rel_path: str) -> list:
        """Per-file settings (in file order) whose glob matches rel_path."""
        return [entry.settings for entry in self.entries_for(rel_path)]

    def options_of(self, kind: str) -> dict:
        """The options the config gives rules of `kind` ({} where it says nothing)."""
        return self.options.get(kind, {})

    def named_files(self) -> list:
        """The files the kinds' options name (a user dictionary, templates): what they hold
        changes findings, so it is part of the identity and of the result cache's key."""
        from ..kinds import kind_module

        named = []
        for kind, options in self.options.items():
            files_of = getattr(kind_module(kind), "named_files", None)
            if files_of is not None:
                named += [Path(p) for p in files_of(options)]
        return named

    @property
    def identity(self) -> str:
        """A digest of everything in this config and of the files it names (packs, a user
        dictionary): two configs with the same identity lint every file alike. Computed once."""
        cached = self.__dict__.get("_identity")
        if cached is None:
            cached = self.__dict__["_identity"] = _identity(self)
        return cached

    def anchor_path(self, rel_path: str) -> str:
        """The path a baseline records for a file at rel_path."""
        if self.anchor_base is None or self.anchor_base == self.base_dir:
            return rel_path
        return self.rel_to(rel_path, self.anchor_base)


def _plain(value):
    """A config value as JSON can hold it, globs with their base directory."""
    if isinstance(value, Glob):
        return [str(value), str(value.base) if value.base else None]
    if isinstance(value, PerFile):
        return [value.pattern, _plain(value.settings), str(value.base)]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _identity(config: Config) -> str:
    from dataclasses import fields

    digest = hashlib.sha256()
    plain = {f.name: _plain(getattr(config, f.name)) for f in fields(config) if f.name != "lines"}
    digest.update(json.dumps(plain, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "surrogateescape"))
    named = [str(p) for p in config.packs] + [str(p) for p in config.named_files()]
    for name in named:
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(_content_digest(Path(name)))
    return digest.hexdigest()


IDENTITY_READ_LIMIT = 64 * 1024 * 1024


def _content_digest(path: Path) -> bytes:
    """What a named file holds, for an identity: read only if it is a regular file of a
    sensible size (a FIFO named as a pack must not block here; the pack loader says what is
    wrong with it), else its kind and size."""
    import stat

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > IDENTITY_READ_LIMIT:
            return f"(mode {info.st_mode:o}, {info.st_size} bytes, {info.st_mtime_ns})".encode()
        # read_regular checks the open descriptor again: a FIFO swapped in since the stat
        return hashlib.sha256(safeio.read_regular(path, IDENTITY_READ_LIMIT).data).digest()
    except OSError:  # (FileTooLarge and NotRegularFile are OSErrors)
        return b"(unreadable)"


def _read_yaml(path: Path):
    try:
        text = safeio.read_text(path, MAX_CONFIG_BYTES)
    except OSError as exc:
        raise ConfigError(path, 0, f"cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, 0, "config is not UTF-8 text") from None
    try:
        data = yamlutil.load(text)
    except yamlutil.YamlError as exc:
        raise ConfigError(path, exc.line, exc.message) from None
    if data is None:
        return yamlutil.LineDict()
    if not isinstance(data, dict):
        raise ConfigError(path, 1, "config must be a mapping of keys such as select, ignore, year")
    return data


def _load_toml(path: Path) -> bytes:
    try:
        return safeio.read_regular(path, MAX_CONFIG_BYTES).data
    except OSError as exc:
        raise ConfigError(path, 0, f"cannot read config: {exc.strerror or exc}") from None


def _read_pyproject(path: Path):
    """The `[tool.lint-reports]` table of a TOML file, or None if it has none."""
    return _read_toml(path, table_required=True)


def _line_of_digits(text: str) -> int:
    """The line of the longest run of digits in `text` (where tomllib found a number too
    long to convert; it does not say where)."""
    runs = [match for match in re.finditer(r"\d+", text)]
    if not runs:
        return 0
    longest = max(runs, key=lambda match: match.end() - match.start())
    return text.count("\n", 0, longest.start()) + 1


def _read_toml(path: Path, table_required: bool = False):
    """A TOML config: its `[tool.lint-reports]` table, else (a file such as `strict.toml`
    given to --config, unless `table_required`) the whole document, as ruff reads a
    `ruff.toml`. Mappings come back as LineDicts with the line of every key."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on old Pythons only
        import tomli as tomllib
    raw = _load_toml(path)
    try:
        text = raw.decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(path, 0, f"{path.name} is not UTF-8") from None
    except RecursionError:  # thousands of nested arrays or inline tables: tomllib recurses
        raise ConfigError(path, 0, "invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else len(text.splitlines()) if "end of document" in str(exc) else 0
        raise ConfigError(path, line, f"invalid TOML: {_toml_problem(exc)}") from None
    except ValueError:  # an integer of thousands of digits, which Python refuses to convert
        raise ConfigError(path, _line_of_digits(text), f"invalid TOML: {yamlutil.LONG_NUMBER}") from None
    tool = document.get("tool")
    section = tool.get("lint-reports") if isinstance(tool, dict) else None
    prefix = ("tool", "lint-reports")
    if section is None:
        if table_required:
            return None
        section, prefix = document, ()
    if not isinstance(section, dict):
        raise ConfigError(path, 0, "[tool.lint-reports] must be a table")
    # tomllib keeps no positions: find the line of each table and key in the text.
    try:
        return _with_lines(section, _toml_lines(text), prefix)
    except RecursionError:
        raise ConfigError(path, 0, "invalid TOML: nested too deeply") from None


_TOML_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
                       r"""(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*=""")
_TOML_PART = re.compile(r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'""")


def _toml_parts(dotted: str) -> tuple:
    parts = []
    for part in _TOML_PART.findall(dotted):
        if part.startswith('"'):
            try:
                part = json.loads(part)
            except ValueError:
                part = part[1:-1]
        elif part.startswith("'"):
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def _toml_lines(text: str) -> dict:
    """key path (a tuple) -> the first line it appears on: table headers and `key =` lines
    (a dotted key names its every prefix). Lines inside multi-line strings may be read as
    keys too: they can only add lines for paths that do not exist."""
    lines: dict = {}
    table: tuple = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _TOML_HEADER.match(line)
        if header:
            table = _toml_parts(header.group(1))
            for depth in range(1, len(table) + 1):
                lines.setdefault(table[:depth], number)
            continue
        key = _TOML_KEY.match(line)
        if key:
            path = table + _toml_parts(key.group(1))
            for depth in range(len(table) + 1, len(path) + 1):
                lines.setdefault(path[:depth], number)
    return lines


def _with_lines(value, lines: dict, path: tuple):
    if isinstance(value, dict):
        mapping = yamlutil.LineDict()
        mapping.line = lines.get(path, 0) if path else 1
        mapping.key_lines = {}
        for key, item in value.items():
            mapping[key] = _with_lines(item, lines, path + (key,))
            mapping.key_lines[key] = lines.get(path + (key,), mapping.line)
        return mapping
    if isinstance(value, list):
        return [_with_lines(item, lines, path) for item in value]
    return value


def _toml_problem(exc) -> str:
    """tomllib's message without the position (the line is given) and without the keys
    it quotes for a duplicate: the file may be anything named pyproject.toml."""
    problem = re.sub(r"\s*\(at [^)]*\)\s*$", "", str(exc))
    if problem.startswith(("Cannot declare", "Cannot mutate", "Cannot redefine", "Cannot overwrite", "Duplicate")):
        return "a key or table is defined twice"
    return problem


def _is_file(path: Path) -> bool:
    """Path.is_file, except that a directory we may not enter counts as "no file here"
    (Path.is_file raises PermissionError for it)."""
    try:
        return path.is_file()
    except OSError:
        return False


def discover(start: Optional[Path] = None) -> Optional[Path]:
    """The config closest to `start` (default: the current directory)."""
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        found = _config_in(folder)
        if found is not None:
            return found
    return None


def _unknown_key(key) -> str:
    """The error for a top-level key that is not ours. The key is quoted only if it looks
    like one: a file that is not a config at all (`extends: /etc/shadow`) is a mapping to
    YAML whose first "key" is its first line, and that is never echoed."""
    name = key_name(key)
    if name is None:
        return (f"not a lint-reports config: this line is not one of its keys ({', '.join(SCHEMA)}); "
                "the line is not shown")
    import difflib

    def normal(text: str) -> str:
        return text.replace("-", "").replace("_", "").lower()

    close = difflib.get_close_matches(normal(name), {normal(k): k for k in SCHEMA}, n=1, cutoff=0.75)
    hint = f" (did you mean '{[k for k in SCHEMA if normal(k) == close[0]][0]}'?)" if close \
        else f" (known keys: {', '.join(SCHEMA)})"
    return f"unknown key '{name}'{hint}"


def _validate(path: Path, data) -> None:
    for key, value in data.items():
        line = data.line_of(key) if hasattr(data, "line_of") else 0
        if key not in SCHEMA:
            raise ConfigError(path, line, _unknown_key(key))
        check, description = _schema(key)
        if not check(value):
            raise ConfigError(path, line, f"'{key}' must be {description}")


def _apply(config: Config, path, data) -> None:
    """Apply one layer (a config file, or the `--config KEY=VALUE` overrides) on top of what
    `config` holds already (the configs it extends). How each key merges:

    - `select` chooses the rules afresh: the inherited `select` *and* `ignore` no longer
      apply (so a config can turn back on what the one it extends ignored);
    - `ignore`, `allow`, `packs`, `files.exclude` and `per-file` entries add to the
      inherited lists;
    - `files.include` replaces the inherited list (it says which files are reports);
    - `severity` merges entry by entry, this layer's entry winning;
    - `year`, `fail-level`, `report-unused-suppressions` replace;
    - a key a kind owns merges as its OptionKey.apply says (`sections` entry by entry,
      `repetition.allow` and `templates` add, `repetition.user-dict` and `compare` replace).
    """
    base = path.resolve().parent
    source = str(path)
    line_of = data.line_of if hasattr(data, "line_of") else (lambda key: 0)
    config.sources.append(str(base / path.name) if isinstance(path, Path) else source)  # a file: its real path
    for key in data:
        config.lines[key] = (source, line_of(key))
    if "packs" in data:
        for name in data["packs"]:
            pack = (base / name).resolve()
            config.lines.setdefault(f"pack:{pack}", (source, line_of("packs")))
            if pack not in config.packs:  # listed again by an extending config: loaded once
                config.packs.append(pack)
    if "select" in data:
        config.select, config.ignore = list(data["select"]), []
    if "ignore" in data:
        config.ignore += [name for name in data["ignore"] if name not in config.ignore]
    for key in ("select", "ignore"):  # each name's own file and line, for unknown ids
        for name in data.get(key, ()):
            config.lines[f"{key}:{name}"] = (source, line_of(key))
    if "severity" in data:
        config.severity.update(_severities(path, data["severity"], line_of("severity")))
        if hasattr(data["severity"], "line_of"):
            config.lines.update({f"severity:{rule_id}": (source, data["severity"].line_of(rule_id))
                                 for rule_id in data["severity"]})
    if "year" in data:
        config.year = data["year"]
    if "files" in data:
        files = data["files"]
        for key, value in files.items():
            line = files.line_of(key) if hasattr(files, "line_of") else line_of("files")
            if key not in ("include", "exclude") or not str_list(value):
                raise ConfigError(path, line, f"files.{shown(key)}: expected 'include' or 'exclude' with a list of globs")
            for pattern in value:
                problem = glob_problem(pattern)
                if problem:
                    raise ConfigError(path, line, f"files.{key}: {problem}")
        if "include" in files:
            config.include = [Glob(p, base) for p in files["include"]]
        if "exclude" in files:
            config.exclude += [Glob(p, base) for p in files["exclude"]]
    if "per-file" in data:
        per_file = data["per-file"]
        for pattern, settings in per_file.items():
            line = per_file.line_of(pattern) if hasattr(per_file, "line_of") else line_of("per-file")
            problem = glob_problem(pattern) if isinstance(pattern, str) else "a glob must be a string"
            if problem:
                raise ConfigError(path, line, f"per-file: {problem}")
            if not isinstance(settings, dict):
                raise ConfigError(path, line, f"per-file '{shown(pattern)}' must be a mapping of {', '.join(PER_FILE_KEYS)}")
            for key, value in settings.items():
                key_line = settings.line_of(key) if hasattr(settings, "line_of") else line
                if key not in PER_FILE_KEYS:
                    raise ConfigError(path, key_line, f"per-file '{shown(pattern)}': unknown key '{shown(key)}' "
                                                      f"(allowed: {', '.join(PER_FILE_KEYS)})")
                check, description = SCHEMA[key]
                if not check(value):
                    raise ConfigError(path, key_line, f"per-file '{shown(pattern)}': '{key}' must be {description}")
            settings = dict(settings)
            if "severity" in settings:
                settings["severity"] = _severities(path, per_file[pattern]["severity"], line, f"per-file '{shown(pattern)}': ")
            config.per_file.append(PerFile(pattern, settings, base, source, line))
    if "allow" in data:
        config.allow += [word for word in data["allow"] if word not in config.allow]
    if "fail-level" in data:
        config.fail_level = data["fail-level"]
    if "report-unused-suppressions" in data:
        config.report_unused_suppressions = data["report-unused-suppressions"]
    for key, value in data.items():  # the keys a kind owns: handed to it, in the file's order
        if isinstance(SCHEMA.get(key), OwnedBy):
            owner = SCHEMA[key].kind
            option_key(key).apply(config.options.setdefault(owner, {}), value,
                                  Layer(path, base, line_of(key), config))


def _severities(path: Path, section, default_line: int, where: str = "") -> dict:
    """rule id or category -> level, each level checked (the line of a bad one named)."""
    levels = {}
    for rule_id, value in section.items():
        level = severity_level(value)
        if level is None:
            line = section.line_of(rule_id) if hasattr(section, "line_of") else default_line
            raise ConfigError(path, line, f"{where}severity of '{shown(rule_id)}' {severity_problem(value)}")
        levels[rule_id] = level
    return levels


def read_config_file(path: Path):
    """The mapping a config file holds: TOML for a `.toml` file (the `[tool.lint-reports]`
    table of a `pyproject.toml`), YAML for any other name."""
    if path.name == "pyproject.toml":
        data = _read_pyproject(path)
        if data is None:
            raise ConfigError(path, 0, "no [tool.lint-reports] table in pyproject.toml")
        return data
    if path.suffix.lower() == ".toml":
        return _read_toml(path)
    return _read_yaml(path)


def _load_into(config: Config, path: Path, chain: tuple) -> None:
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(str(p) for p in (*chain, resolved))
        raise ConfigError(path, 0, f"'extends' cycle: {cycle}")
    try:
        found = path.is_file()
        if not found and path.exists():  # a FIFO or a device is refused, never opened for a blocking read
            raise ConfigError(path, 0, f"cannot read config: not a regular file ({safeio.kind_of(path.stat().st_mode)})")
    except OSError as exc:  # in a directory we may not enter
        raise ConfigError(path, 0, f"cannot read config: {exc.strerror or exc}") from None
    if not found:
        raise ConfigError(path, 0, "config file not found")
    data = read_config_file(path)
    _validate(path, data)
    extends = data.get("extends", "default")
    for parent in ([extends] if isinstance(extends, str) else extends):
        if parent == "default":
            continue
        if parent == "none":
            config.use_default_packs = False
            continue
        parent_path = path.parent / parent
        try:
            if parent and parent_path.resolve() in chain + (resolved,):
                problem = None  # a cycle: the call below says so
            elif not parent or not (parent_path.exists() or parent_path.is_symlink()):
                problem = "config file not found"
            elif parent_path.is_dir():
                problem = "not a config file"
            elif parent_path.exists() and not parent_path.is_file():  # never opened for a blocking read
                problem = f"not a regular file ({safeio.kind_of(parent_path.stat().st_mode)})"
            else:
                problem = None
        except OSError as exc:  # in a directory we may not enter
            problem = f"cannot read ({exc.strerror or exc})"
        except RuntimeError:  # a loop of links: said when it is read
            problem = None
        if problem:  # named here, at the `extends` line: the path alone (`.` for '') says little
            line = data.line_of("extends") if hasattr(data, "line_of") else 0
            raise ConfigError(path, line, f"extends: {problem}: {shown(parent) or repr(parent)}")
        _load_into(config, parent_path, chain + (resolved,))
    _apply(config, path, data)


def load(path: Optional[Path] = None, *, search_from: Optional[Path] = None, overrides=()) -> Config:
    """Load `path`, or the discovered config, or the defaults; then the overrides (from
    `parse_override`) on top."""
    if path is None:
        path = discover(search_from)
    if path is None:
        config = Config()
    else:
        config = Config(path=str(path), base_dir=path.resolve().parent)
        _load_into(config, path, ())
    for override in overrides:
        override.apply(config)
    for pattern in config.include + config.exclude:
        if not pattern:
            source, line = config.lines.get("files", (path, 0))
            raise ConfigError(source, line, "empty glob in files")
    return config


# --- --config KEY=VALUE ----------------------------------------------------------------

class Override:
    """`--config KEY=VALUE`: one setting for every config, as if each were extended by a
    config holding just `KEY: VALUE` (relative paths in it: from the current directory).
    VALUE is read as a YAML (or TOML: the same for scalars and lists) value: `year=2022`,
    `ignore=[placeholder-mou]`, `severity.artifact-url=info`, `files.exclude=["old/"]`."""

    def __init__(self, text: str, cwd: Optional[Path] = None):
        self.text = text
        self.parent = Path(cwd or Path.cwd()).resolve()  # the "directory" of this layer
        key, separator, value = text.partition("=")
        key = key.strip()
        if not separator or not key:
            raise ConfigError(self, 0, "expected KEY=VALUE (such as year=2024) or the path of a config file")
        try:
            parsed = yamlutil.load(value) if value.strip() else None
        except yamlutil.YamlError as exc:
            raise ConfigError(self, 0, f"VALUE is not a YAML/TOML value ({exc.message})") from None
        if parsed is None:
            raise ConfigError(self, 0, f"no value for '{shown(key)}' (write {shown(key)}=VALUE)")
        top, dot, sub = key.partition(".")
        if top in NOT_OVERRIDABLE:
            raise ConfigError(self, 0, f"'{top}' cannot be given on the command line (use --config FILE)")
        if top not in SCHEMA:
            raise ConfigError(self, 0, _unknown_key(top))
        data = yamlutil.LineDict()
        data.line, data.key_lines = 0, {}
        if dot:
            if not sub:
                raise ConfigError(self, 0, f"'{shown(key)}': expected a name after the dot")
            inner = yamlutil.LineDict()
            inner.line, inner.key_lines = 0, {}
            inner[sub] = parsed
            parsed = inner
        data[top] = parsed
        _validate(self, data)
        self.data = data

    def __str__(self) -> str:
        return f"--config {shown(self.text)}"

    def resolve(self):
        return self

    def apply(self, config: Config) -> None:
        _apply(config, self, self.data)


def is_override(argument: str) -> bool:
    """`--config` takes a file or KEY=VALUE (as ruff's does): an existing file is a file."""
    return "=" in argument and not _is_file(Path(argument))


# --- which config applies to which file ------------------------------------------------

class Resolver:
    """The config of every file of a run, found once per directory.

    `explicit`: --config FILE (one config for every file). `isolated`: no config file at
    all. `overrides`: Override objects, applied on top of every config. `force_exclude`:
    files named on the command line obey `files.exclude` too (walk.collect)."""

    def __init__(self, explicit: Optional[Path] = None, *, isolated: bool = False, overrides=(),
                 force_exclude: bool = False, cwd: Optional[Path] = None, config: Optional[Config] = None):
        self.cwd = Path(cwd or Path.cwd())
        self.explicit, self.isolated = explicit, isolated
        self.overrides = list(overrides)
        self.force_exclude = force_exclude
        self._closest: dict = {}  # resolved directory -> closest config file (or None)
        self.real = RealPaths()  # each directory met resolved from its parent (deep trees)
        self._loaded: dict = {}  # resolved config file -> Config
        self._defaults: Optional[Config] = None
        self.checked: dict = {}  # Config identity -> None or the error that config gives
        self.check = None  # (config) -> None or a one-line error: set by the caller (the rules' checks)
        self.of_display: dict = {}  # display path of a target -> its Config (fail-level per file)
        if config is not None:  # a Config already made: the one for every file
            self._fixed = config
        elif isolated:
            self._fixed = self.defaults()
        elif explicit is not None:
            self._fixed = self._load(Path(explicit), outermost=False)  # paths relative to it alone
        else:
            self._fixed = None
        self.run_config = self._fixed if self._fixed is not None else self.for_directory(self.cwd)

    @classmethod
    def of(cls, config_or_resolver) -> "Resolver":
        """A Config (tests, the language server) stands for itself for every file."""
        return config_or_resolver if isinstance(config_or_resolver, Resolver) else cls(config=config_or_resolver)

    def defaults(self) -> Config:
        if self._defaults is None:
            config = Config(base_dir=self.cwd, anchor_base=self.cwd)
            for override in self.overrides:
                override.apply(config)
            self._defaults = config
        return self._defaults

    def closest_file(self, directory: Path) -> Optional[Path]:
        """The config file closest to `directory` (itself or the nearest parent with one)."""
        directory = self.real(directory)
        pending = []
        found = None
        while True:
            if directory in self._closest:
                found = self._closest[directory]
                break
            pending.append(directory)
            here = _config_in(directory)
            if here is not None:
                found = here
                break
            if directory.parent == directory:
                break
            directory = directory.parent
        for folder in pending:  # none of them holds a config of its own but the last
            self._closest[folder] = found
        return found

    def for_directory(self, directory: Path) -> Config:
        """The config of the files in `directory`. Raises ConfigError for a broken one."""
        if self._fixed is not None:
            return self._fixed
        path = self.closest_file(directory)
        return self._load(path) if path is not None else self.defaults()

    def for_file(self, path: Path) -> Config:
        return self.for_directory(self.real(path).parent)

    def _load(self, path: Path, outermost: bool = True) -> Config:
        key = resolved(Path(path))
        config = self._loaded.get(key)
        if config is None:
            config = load(path, overrides=self.overrides)
            config.anchor_base = self._outermost(config.base_dir) if outermost else config.base_dir
            self._loaded[key] = config
        return config

    def _outermost(self, base: Path) -> Path:
        """The directory of the outermost config above `base` (itself included)."""
        top = resolved(Path(base))
        while top.parent != top:
            above = self.closest_file(top.parent)
            if above is None:
                break
            top = resolved(above.parent)
        return top

    def checked_error(self, config: Config) -> Optional[str]:
        """None if `config` can be used with the rules (`self.check` passes), else its error,
        found once per config."""
        key = config.identity
        if key not in self.checked:
            self.checked[key] = self.check(config) if self.check is not None else None
        return self.checked[key]

    def fail_level_for(self, display: str, override: Optional[str] = None) -> str:
        """The fail level of a finding's file: --fail-level, else that file's config."""
        if override:
            return override
        return self.of_display.get(display, self.run_config).fail_level


def _config_in(folder: Path) -> Optional[Path]:
    """The config file in `folder` itself, or None."""
    for name in CONFIG_NAMES:
        candidate = folder / name
        if _is_file(candidate):
            return candidate
    pyproject = folder / "pyproject.toml"
    if _is_file(pyproject):
        try:
            if _read_pyproject(pyproject) is not None:
                return pyproject
        except ConfigError:
            return pyproject  # let load() report it with its line
    return None


def validate_rule_refs(config: Config, known_ids: set) -> None:
    """Unknown rule ids or categories in select/ignore/severity/per-file are errors."""
    valid = set(known_ids) | set(CATEGORIES) | {"all"}

    def check(names, key, where=None):
        for name in names:
            if name not in valid:
                source, line = where or config.lines.get(f"{key}:{name}") or config.lines.get(key, (config.path, 0))
                raise ConfigError(source or "config", line,
                                  f"{key}: unknown rule or category '{shown(name)}'{did_you_mean(name, valid)}")

    check(config.select, "select")
    check(config.ignore, "ignore")
    check(config.severity.keys(), "severity")
    for entry in config.per_file:
        where = (entry.source, entry.line)
        for key in ("select", "ignore"):
            check(entry.settings.get(key, []), f"per-file '{shown(entry.pattern)}' {key}", where)
        check(entry.settings.get("severity", {}).keys(), f"per-file '{shown(entry.pattern)}' severity", where)


def did_you_mean(name, known) -> str:
    """` (did you mean 'placeholder-x'?)` for a misspelt rule id or category, else ''."""
    import difflib

    if not isinstance(name, str) or key_name(name) is None:
        return ""
    close = difflib.get_close_matches(name, sorted(k for k in known if k != "all"), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
