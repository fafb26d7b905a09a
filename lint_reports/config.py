"""Configuration: discovery, `extends`, validation with file and line in every error.

Found from the current directory upward: `.lint-reports.yaml` (or `.yml`), else a
`pyproject.toml` with `[tool.lint-reports]`. `--config FILE` overrides discovery.
"""
from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import yamlutil
from .finding import CATEGORIES, SEVERITIES
from .untrusted import key_name, visible

CONFIG_NAMES = (".lint-reports.yaml", ".lint-reports.yml")
DEFAULT_INCLUDE = ["*.txt", "*.md"]
MIN_YEAR, MAX_YEAR = 1900, 2200  # the years a report may speak from (config and --year)
SHOWN_CHARS = 60  # of a key or value quoted in an error


def default_include() -> list:
    """*.txt and *.md; *.docx too once the `docx` extra is installed (without it a .docx
    could only be skipped, so a directory walk does not pick it up)."""
    from .wordfile import available

    return DEFAULT_INCLUDE + (["*.docx"] if available() else [])


class ConfigError(Exception):
    def __init__(self, path, line: int, message: str):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line = str(path), line


def _str_list(value) -> bool:
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


# key -> (check, description). Per-file entries accept PER_FILE_KEYS only.
SCHEMA = {
    "extends": (lambda v: isinstance(v, str) or _str_list(v), "'default', 'none' or a path"),
    "packs": (_str_list, "a list of pack file paths"),
    "select": (_str_list, "a list of rule ids or categories"),
    "ignore": (_str_list, "a list of rule ids or categories"),
    "severity": (lambda v: isinstance(v, dict), "a mapping of rule id to info/warning/error/off"),
    "year": (_is_year, f"a year such as 2024 (from {MIN_YEAR} to {MAX_YEAR})"),
    "files": (lambda v: isinstance(v, dict), "a mapping with 'include' and/or 'exclude'"),
    "per-file": (lambda v: isinstance(v, dict), "a mapping of glob to settings"),
    "sections": (lambda v: isinstance(v, dict), "a mapping of report type to required sections"),
    "allow": (lambda v: _str_list(v) and all(w.strip() for w in v),
              "a list of words never flagged (an empty word would allow everything, and so would a blank one)"),
    "fail-level": (lambda v: v in SEVERITIES, "one of info, warning, error"),
    "repetition": (lambda v: isinstance(v, dict), "a mapping (allow, user-dict)"),
    "report-unused-suppressions": (lambda v: isinstance(v, bool), "true or false"),
}
PER_FILE_KEYS = ("select", "ignore", "severity", "year", "allow")


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
    include: list = field(default_factory=default_include)
    exclude: list = field(default_factory=list)
    per_file: dict = field(default_factory=dict)  # glob -> dict of PER_FILE_KEYS
    sections: dict = field(default_factory=dict)
    allow: list = field(default_factory=list)
    fail_level: str = "warning"
    repetition: dict = field(default_factory=dict)
    report_unused_suppressions: bool = False
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

    def settings_for(self, rel_path: str) -> list:
        """Per-file settings (in file order) whose glob matches rel_path."""
        return [settings for pattern, settings in self.per_file.items() if self.matches(pattern, rel_path)]


def _read_yaml(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
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
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, 0, f"cannot read config: {exc.strerror or exc}") from None


def _read_pyproject(path: Path):
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on old Pythons only
        import tomli as tomllib
    raw = _load_toml(path)
    try:
        text = raw.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(path, 0, "pyproject.toml is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(path, int(match.group(1)) if match else 0, f"invalid TOML: {_toml_problem(exc)}") from None
    section = document.get("tool", {}).get("lint-reports")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(path, 0, "[tool.lint-reports] must be a table")
    # tomllib keeps no positions: find each key's line in the [tool.lint-reports] tables.
    data = yamlutil.LineDict(section)
    data.key_lines = {}
    lines = text.splitlines()
    in_section = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.startswith("[tool.lint-reports")
            if in_section:
                data.line = data.line or number
                sub = stripped.strip("[]").split(".")
                if len(sub) > 2:
                    data.key_lines.setdefault(sub[2].strip('"'), number)
            continue
        if in_section:
            key = stripped.split("=", 1)[0].strip().strip('"')
            if key in section:
                data.key_lines.setdefault(key, number)
    return data


def _toml_problem(exc) -> str:
    """tomllib's message without the position (the line is given) and without the keys
    it quotes for a duplicate: the file may be anything named pyproject.toml."""
    problem = re.sub(r"\s*\(at [^)]*\)\s*$", "", str(exc))
    if problem.startswith(("Cannot declare", "Cannot mutate", "Cannot redefine", "Duplicate")):
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
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
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
        check, description = SCHEMA[key]
        if not check(value):
            raise ConfigError(path, line, f"'{key}' must be {description}")


def _apply(config: Config, path: Path, data) -> None:
    base = path.parent
    line_of = data.line_of if hasattr(data, "line_of") else (lambda key: 0)
    for key in data:
        config.lines[key] = (str(path), line_of(key))
    if "packs" in data:
        config.packs += [(base / p).resolve() for p in data["packs"]]
        config.lines.update({f"pack:{(base / p).resolve()}": (str(path), line_of("packs")) for p in data["packs"]})
    for key in ("select", "ignore"):
        if key in data:
            setattr(config, key, list(data[key]))
    if "severity" in data:
        config.severity.update(_severities(path, data["severity"], line_of("severity")))
        if hasattr(data["severity"], "line_of"):
            config.lines.update({f"severity:{rule_id}": (str(path), data["severity"].line_of(rule_id))
                                 for rule_id in data["severity"]})
    if "year" in data:
        config.year = data["year"]
    if "files" in data:
        files = data["files"]
        for key, value in files.items():
            line = files.line_of(key) if hasattr(files, "line_of") else line_of("files")
            if key not in ("include", "exclude") or not _str_list(value):
                raise ConfigError(path, line, f"files.{shown(key)}: expected 'include' or 'exclude' with a list of globs")
            for pattern in value:
                problem = glob_problem(pattern)
                if problem:
                    raise ConfigError(path, line, f"files.{key}: {problem}")
        if "include" in files:
            config.include = list(files["include"])
        if "exclude" in files:
            config.exclude = list(files["exclude"])
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
            config.per_file[pattern] = settings
            config.lines[f"per-file:{pattern}"] = (str(path), line)
    if "sections" in data:
        sections = data["sections"]
        for key in sections:  # each key's line, for errors found once the packs are loaded
            key_line = sections.line_of(key) if hasattr(sections, "line_of") else line_of("sections")
            config.lines[f"sections:{key}"] = (str(path), key_line)
        config.sections.update(sections)
        config.lines["sections"] = (str(path), line_of("sections"))
    if "allow" in data:
        config.allow += list(data["allow"])
    if "fail-level" in data:
        config.fail_level = data["fail-level"]
    if "repetition" in data:
        config.repetition.update(_repetition_settings(path, data["repetition"], line_of("repetition")))
    if "report-unused-suppressions" in data:
        config.report_unused_suppressions = data["report-unused-suppressions"]


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


def _repetition_settings(path: Path, section, default_line: int) -> dict:
    """Validate `repetition: {allow: [...], user-dict: path}`; the path is made absolute
    and the dictionary checked here, so a bad one is a config error, not a crash mid-run."""
    settings = {}
    for key, value in section.items():
        line = section.line_of(key) if hasattr(section, "line_of") else default_line
        if key == "allow":
            if not _str_list(value) or not all(w.strip() for w in value):
                raise ConfigError(path, line, "repetition.allow must be a list of non-empty strings")
            settings["allow"] = list(value)
        elif key == "user-dict":
            if not isinstance(value, str) or not value:
                raise ConfigError(path, line, "repetition.user-dict must be the path of a jieba user dictionary")
            dict_path = (path.parent / value).resolve()
            _check_user_dict(path, line, dict_path)
            settings["user-dict"] = str(dict_path)
        else:
            raise ConfigError(path, line, f"repetition: unknown key '{shown(key)}' (allowed: allow, user-dict)")
    return settings


def _check_user_dict(path: Path, line: int, dict_path: Path) -> None:
    """jieba's format: one word a line, optionally followed by a frequency and a POS tag."""
    try:
        lines = dict_path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise ConfigError(path, line, f"repetition.user-dict: file not found: {dict_path}") from None
    except OSError as exc:
        raise ConfigError(path, line, f"repetition.user-dict: cannot read {dict_path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, line, f"repetition.user-dict: {dict_path} is not UTF-8 text") from None
    for number, entry in enumerate(lines, 1):
        fields = entry.split()
        if not fields:
            continue
        valid = (len(fields) == 1 or len(fields) == 2 and (fields[1].isdigit() or fields[1].isalpha())
                 or len(fields) == 3 and fields[1].isdigit() and fields[2].isalpha())
        if not valid:
            raise ConfigError(dict_path, number, "user dictionary lines are 'word [frequency] [tag]'")


def _load_into(config: Config, path: Path, chain: tuple) -> None:
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(str(p) for p in (*chain, resolved))
        raise ConfigError(path, 0, f"'extends' cycle: {cycle}")
    try:
        found = path.is_file()
    except OSError as exc:  # in a directory we may not enter
        raise ConfigError(path, 0, f"cannot read config: {exc.strerror or exc}") from None
    if not found:
        raise ConfigError(path, 0, "config file not found")
    data = _read_pyproject(path) if path.name == "pyproject.toml" else _read_yaml(path)
    if data is None:
        raise ConfigError(path, 0, "no [tool.lint-reports] table in pyproject.toml")
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
            else:
                problem = "not a config file" if parent_path.is_dir() else None
        except (OSError, RuntimeError):  # in a directory we may not enter: said when it is read
            problem = None
        if problem:  # named here, at the `extends` line: the path alone (`.` for '') says little
            line = data.line_of("extends") if hasattr(data, "line_of") else 0
            raise ConfigError(path, line, f"extends: {problem}: {shown(parent) or repr(parent)}")
        _load_into(config, parent_path, chain + (resolved,))
    _apply(config, path, data)


def load(path: Optional[Path] = None, *, search_from: Optional[Path] = None) -> Config:
    """Load `path`, or the discovered config, or the defaults."""
    if path is None:
        path = discover(search_from)
    if path is None:
        return Config()
    config = Config(path=str(path), base_dir=path.resolve().parent)
    _load_into(config, path, ())
    for pattern in config.include + config.exclude:
        if not pattern:
            source, line = config.lines.get("files", (path, 0))
            raise ConfigError(source, line, "empty glob in files")
    return config


def validate_rule_refs(config: Config, known_ids: set) -> None:
    """Unknown rule ids or categories in select/ignore/severity/per-file are errors."""
    valid = set(known_ids) | set(CATEGORIES) | {"all"}

    def check(names, key, where_key=None):
        for name in names:
            if name not in valid:
                source, line = config.lines.get(f"{key}:{name}") or config.lines.get(where_key or key, (config.path, 0))
                raise ConfigError(source or "config", line, f"{key}: unknown rule or category '{shown(name)}'")

    check(config.select, "select")
    check(config.ignore, "ignore")
    check(config.severity.keys(), "severity")
    for pattern, settings in config.per_file.items():
        for key in ("select", "ignore"):
            check(settings.get(key, []), f"per-file '{shown(pattern)}' {key}", f"per-file:{pattern}")
        check(settings.get("severity", {}).keys(), f"per-file '{shown(pattern)}' severity", f"per-file:{pattern}")
