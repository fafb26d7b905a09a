"""What the language server knows, without the protocol: configs and loaded linters per
workspace, linting an editor buffer, and the edits behind the code actions.

Kept free of pygls so the benchmark and the unit tests use exactly the code the server runs.
The Linter (rule packs parsed, patterns compiled) is built once per config and reused for
every keystroke; it is rebuilt only when the config file (or a file it extends, or a pack it
names) changes on disk.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..config import settings as config_module
from ..core.document import MARKDOWN_SUFFIXES, Document
from ..core.finding import Edit
from ..core.fix import FixError, Snapshot, fixable_edits, write_atomic
from ..config.packs import PackError
from ..io import safeio
from ..io.escape import visible
from ..io.load import load_document
from .incremental import IncrementalLinter

SUPPRESS_NEXT_LINE = "lint-reports-disable-next-line"
_DIRECTIVE_LINE = re.compile(r"^(?P<indent>[ \t]*)<!--\s*" + SUPPRESS_NEXT_LINE + r"(?P<targets>[^>]*?)\s*-->\s*$")
MIN_ALLOW_WORD_CHARS = 2  # see allow_entry
MAX_ALLOW_CHARS = 200  # an allow entry is a phrase of a report, not a paragraph


class AllowEditError(Exception):
    """The config could not be edited safely (the message says what to do by hand)."""


@dataclass
class LintResult:
    doc: Optional[Document]
    findings: list = field(default_factory=list)
    error: Optional[str] = None  # one line: a broken config, pack or rule reference
    version: Optional[int] = None
    # One line each: a rule stopped for taking too long, or a rule that crashed (its findings
    # for this text are missing). The server shows each once.
    problems: list = field(default_factory=list)
    # True for a quick lint that kept the whole-document rules' earlier findings (see
    # IncrementalLinter): shown at once, replaced by an exact lint after the debounce.
    provisional: bool = False


@dataclass
class _Loaded:
    stamp: tuple
    config: object
    linter: Optional[IncrementalLinter]
    error: Optional[str]


def _stamp(paths) -> tuple:
    stamp = []
    for path in sorted({str(p) for p in paths}):
        try:
            info = Path(path).stat()
            stamp.append((path, info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((path, None, None))
    return tuple(stamp)


class EditorPassages:
    """copied-from-report in the editor: the buffer's sentences against the other reports,
    as the CLI's run-level index (core/runner.py passage_pass) does for a run.

    What "the other reports" are follows `compare:`. `run` (the default): the other
    documents open in the editor under the same config, as their buffers hold them.
    `repository`: every report of the repository as saved (the config's `files:` globs
    from the repository root, as `lint-reports .` there would find them), the buffer's own
    saved copy left out. Records are kept per buffer text and per file (its mtime and
    size), and the repository's index is built again only when one of its files changed:
    an edit re-reads only the buffer."""

    def __init__(self):
        self._buffer_records: dict = {}  # path -> (text, passages.Record)
        self._file_records: dict = {}  # (display, mtime_ns, size) -> passages.Record
        self._repository: dict = {}  # config identity -> (stamps, PassageIndex, {realpath: display})
        self.digests: dict = {}  # path -> digests of its buffer's record at its last exact lint

    def hits(self, loaded, path: Path, rel: str, doc, others) -> tuple:
        """The hits of `doc` (the buffer of `path`); `others`: (path, text) of the other
        open documents under the same config."""
        from ..core.passages import PassageIndex
        from ..kinds import copied

        linter = loaded.linter
        rule = copied.report_rule(linter)
        if rule is None or not any(active.id == rule.id for active, _ in linter.settings_for(rel).rules):
            return ()
        options = loaded.config.options_of(copied.KIND)
        max_reports = options.get("max-reports") or copied.DEFAULT_MAX_REPORTS
        own = copied.record(linter, doc, rel, rule)
        doc.copied_record = own  # the kind reads the document's sentences once
        self.digests[path] = frozenset(row[0] for row in own.sentences)
        me = str(path)
        if options.get("compare", "run") == "repository":
            index, displays = self._repository_index(loaded, linter)
            saved = displays.get(_real(path))
            return tuple(index.hits_of(me, own, max_reports, {saved} if saved else frozenset()))
        index = PassageIndex()
        for other, text in others:
            known = self._buffer_records.get(other)
            if known is None or known[0] != text:
                other_rel = _relative(other, loaded.config.base_dir)
                known = self._buffer_records[other] = (
                    text, copied.record(linter, load_document(other_rel, text), other_rel, rule))
            index.add(str(other), known[1])
        return tuple(index.hits_of(me, own, max_reports))

    def closed(self, path: Path) -> None:
        self._buffer_records.pop(path, None)
        self.digests.pop(path, None)

    def _repository_index(self, loaded, linter):
        from ..core import runner
        from ..core.passages import PassageIndex

        targets = runner.repository_targets(loaded.config)
        stamps = []
        for target in targets:
            try:
                info = Path(target.path).stat()
                stamps.append((target.display, info.st_mtime_ns, info.st_size))
            except OSError:
                stamps.append((target.display, None, None))
        stamps = tuple(stamps)
        identity = loaded.config.identity
        cached = self._repository.get(identity)
        if cached is not None and cached[0] == stamps:
            return cached[1], cached[2]
        index, displays, kept = PassageIndex(), {}, {}
        for target, stamp in zip(targets, stamps):
            record = self._file_records.get(stamp)
            if record is None:  # read as a run reads it (a .docx, an encoding, a file too large)
                record = runner.process(linter, runner.Job(target, runner.PASSAGES)).passages
            if record is None:
                continue  # not readable, not a report: left out, as in a run
            kept[stamp] = record
            index.add(target.display, record)
            displays[_real(target.path)] = target.display
        self._file_records = kept  # (the records of files' earlier states go)
        self._repository[identity] = (stamps, index, displays)
        return index, displays


def _real(path) -> str:
    import os

    return os.path.realpath(path)


def _own_places_absolute(findings, rel: str, path: Path) -> None:
    """A related place in the document itself (a repeat between two pieces of a
    compilation) is named by the document's path as linted, relative to its config; the
    editor opens places relative to the server's directory: give it the file's own path."""
    from dataclasses import replace

    for finding in findings:
        if any(place.path == rel for place in finding.related):
            finding.related = tuple(replace(place, path=str(path)) if place.path == rel else place
                                    for place in finding.related)


class Session:
    def __init__(self, roots=()):
        self.roots = [Path(r).resolve() for r in roots]
        self._loaded: dict = {}  # config path (None: defaults) -> _Loaded
        self._found: dict = {}  # folder searched from -> the config path found (None: none)
        self.buffers: dict = {}  # path -> text of each document the editor has open (linted so far)
        self.passages = EditorPassages()

    def passage_digests(self, path: Path) -> frozenset:
        """The substantial sentences (digests) of the open document at `path` at its last
        exact lint, if copied-from-report compared it: what other documents may share."""
        return self.passages.digests.get(Path(path), frozenset())

    def closed(self, path: Path) -> None:
        """The editor closed the document: it is no longer one of the reports a buffer is
        compared with."""
        self.buffers.pop(Path(path), None)
        self.passages.closed(Path(path))

    # --- configuration -------------------------------------------------------------------
    def root_for(self, path: Path) -> Path:
        """The workspace folder holding `path` (the deepest one), else the file's folder."""
        holders = [root for root in self.roots if root == path or root in path.parents]
        return max(holders, key=lambda r: len(r.parts)) if holders else path.parent

    def config_path_for(self, path: Path) -> Optional[Path]:
        """The config closest to the document, as the CLI finds it for each file: its folder,
        then upward (a folder's own config applies to the reports in it, whatever folder the
        editor opened). Searched again on every call, not cached as a run's Resolver does,
        since a config may appear or go away while the server runs."""
        return config_module.discover(path.parent)

    def loaded_for(self, path: Path) -> _Loaded:
        config_path = self.config_path_for(path)
        key = str(config_path) if config_path else None
        self._found[path.parent] = key
        cached = self._loaded.get(key)
        if cached is not None and cached.stamp == _stamp(entry[0] for entry in cached.stamp):
            return cached
        try:
            config = config_module.load(config_path) if config_path else config_module.Config(base_dir=self.root_for(path))
            linter = IncrementalLinter(config)
            error = None
        except (config_module.ConfigError, PackError) as exc:
            config, linter, error = None, None, str(exc)
        sources = {config_path} if config_path else set()
        if config is not None:
            sources |= {source for source, _ in config.lines.values() if source}
            sources |= set(config.packs)
        loaded = _Loaded(_stamp(p for p in sources if p), config, linter, error)
        self._loaded[key] = loaded
        return loaded

    def forget_configs(self) -> None:
        self._loaded.clear()
        self._found.clear()

    def configs_changed(self) -> bool:
        """True if a config read so far changed on disk (or a file it extends, a pack it
        names), or a folder's config appeared or went away, since it was read: what the
        server checks every few seconds, for editors that report no changed files."""
        for folder, key in list(self._found.items()):
            found = config_module.discover(folder)
            if (str(found) if found else None) != key:
                return True
        return any(loaded.stamp != _stamp(entry[0] for entry in loaded.stamp) for loaded in self._loaded.values())

    def is_config(self, path: Path) -> bool:
        """True for a file the server reads as configuration, not as a report: a config file
        by its name (`.lint-reports.yaml`, `pyproject.toml`), or any file a loaded config was
        read from (one it extends, a rule pack it names). Its text is not linted
        (a pack's `bad:` examples are all findings); saving it re-reads the configs."""
        path = Path(path)
        if path.name in config_module.CONFIG_NAMES or path.name == "pyproject.toml":
            return True
        try:
            real = str(path.resolve())
        except (OSError, RuntimeError):
            return False
        return any(source in (real, str(path)) for loaded in self._loaded.values() for source, *_ in loaded.stamp)

    def rule(self, path: Path, rule_id: str):
        """The rule `rule_id` as the config for `path` has it (None if it has none)."""
        loaded = self.loaded_for(Path(path))
        return loaded.linter.by_id.get(rule_id) if loaded.linter is not None else None

    # --- linting -------------------------------------------------------------------------
    def lint(self, path: Path, text: str, language_id: str = "", version=None, quick: bool = False) -> LintResult:
        path = Path(path)
        loaded = self.loaded_for(path)
        if loaded.error:
            return LintResult(None, [], loaded.error, version)
        config = loaded.config
        rel = _relative(path, config.base_dir)
        if any(config.matches(pattern, rel) for pattern in config.exclude):
            return LintResult(None, [], None, version)
        markup = "markdown" if language_id == "markdown" or path.name.lower().endswith(MARKDOWN_SUFFIXES) else "text"
        doc = load_document(rel, text, markup=markup)
        self.buffers[path] = text
        if not quick:  # (a quick lint keeps the whole-document rules' findings, copied's among them)
            others = [(other, other_text) for other, other_text in self.buffers.items()
                      if other != path and self.loaded_for(other) is loaded]
            doc.copied_hits = self.passages.hits(loaded, path, rel, doc, others)
        findings = loaded.linter.lint(doc, rel, quick=quick)
        _own_places_absolute(findings, rel, path)
        warnings, errors = loaded.linter.guard.take()  # drained per lint: the server runs for hours
        loaded.linter.guard.traces.clear()
        return LintResult(doc, findings, None, version, warnings + errors, loaded.linter.last_was_provisional)

    # --- "not a problem here" in plain text: the config's allow list -----------------------
    def allow_target(self, path: Path) -> Path:
        """The config file an allow entry goes into (created at the workspace root if none)."""
        found = self.config_path_for(Path(path))
        return found if found else self.root_for(Path(path)) / ".lint-reports.yaml"

    def _inside_workspace(self, path: Path) -> bool:
        try:
            real = Path(path).resolve()
        except (OSError, RuntimeError):
            return False
        return any(real == root or root in real.parents for root in self.roots)

    def allow_problem(self, path: Path, entry) -> Optional[str]:
        """Why `entry` may not be added for the file at `path` (one line), or None. The
        command's arguments come from the client: only a phrase of one line, and only into
        a config inside a workspace folder (never through a link out of it)."""
        if not isinstance(entry, str) or not entry.strip():
            return "allow 条目必须是非空文字"
        if len(entry) > MAX_ALLOW_CHARS:
            return f"allow 条目不能超过 {MAX_ALLOW_CHARS} 个字符"
        if visible(entry) != entry:
            return "allow 条目不能含换行或控制字符"
        if not self.roots or not self._inside_workspace(path):
            return f"{visible(path)} 不在工作区文件夹内，不自动编辑配置"
        target = self.allow_target(Path(path))
        if not self._inside_workspace(target) or not self._inside_workspace(target.parent):
            return f"配置 {visible(target)} 不在工作区文件夹内，请手动编辑"
        return None

    def add_allow(self, path: Path, entry: str) -> Path:
        problem = self.allow_problem(path, entry)
        if problem:
            raise AllowEditError(problem)
        target = self.allow_target(path)
        existed = target.exists()
        snapshot = None
        try:  # bounded, and never a blocking read of a FIFO planted under the config's name
            if existed:
                read = safeio.read_regular(target, config_module.MAX_CONFIG_BYTES)
                snapshot = Snapshot.of(read.info, read.data)
                original = read.data.decode("utf-8-sig")
            else:
                original = ""
        except UnicodeDecodeError:
            raise AllowEditError(f"{visible(target)}: 不是 UTF-8 文本，请手动编辑") from None
        if target.name == "pyproject.toml":
            updated = add_allow_toml(original, entry)
        else:
            updated = add_allow_yaml(original, entry)
        _write_config(target, updated, snapshot)

        def undo():
            if existed:
                _write_config(target, original, None)
            else:
                target.unlink()

        try:
            config = config_module.load(target)
        except config_module.ConfigError as exc:
            undo()
            raise AllowEditError(f"{target}: 自动编辑失败（{visible(exc)}），请手动把“{entry}”加入 allow 列表") from None
        if entry not in config.allow:
            undo()
            raise AllowEditError(f"{target}: 无法自动编辑 allow 列表，请手动加入“{entry}”")
        self.forget_configs()
        return target


def _write_config(target: Path, text: str, expected) -> None:
    """The config with `text`: an existing one is replaced whole (written beside it, then
    renamed: a full disk leaves it as it was, never half of it) and only if it is still what
    was read (`expected`: an edit the user saved meanwhile is kept); a new one is created,
    never over a file that appeared since."""
    data = text.encode("utf-8")
    if expected is None and not target.exists():
        try:
            handle = open(target, "xb")
        except FileExistsError:  # somebody's, made since: not ours to write or to remove
            raise AllowEditError(f"{visible(target)}: 刚被创建，请手动编辑") from None
        try:
            with handle:
                handle.write(data)
        except BaseException:
            target.unlink()  # ours, made just above: no half a config left
            raise
        return
    try:
        write_atomic(target, data, expected)
    except FixError as exc:
        raise AllowEditError(f"{visible(target)}: 未修改（{exc}），请手动编辑") from None


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(Path(base).resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


# --- the edits -------------------------------------------------------------------------------
def safe_edits(doc: Document, findings) -> list:
    """The edits `--fix` would apply now (lint_reports.core.fix decides: never a placeholder,
    outdated or section finding, only inside the flagged lines, of two overlapping edits the
    first). Sorted by position."""
    return fixable_edits(doc, findings)


def apply_edits(text: str, edits) -> str:
    out, pos = [], 0
    for edit in edits:
        out.append(text[pos:edit.start])
        out.append(edit.replacement)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def suppress_edit(doc: Document, finding) -> Edit:
    """Markdown: an HTML comment on its own line above the finding's line (invisible when
    rendered). If that line already suppresses other rules, add this rule to it."""
    line = finding.line
    if line > 1:
        above = doc.lines[line - 2]
        match = _DIRECTIVE_LINE.match(above)
        if match:
            targets = [t for t in re.split(r"[\s,，]+", match["targets"].strip()) if t]
            if finding.rule in targets:
                return Edit(doc.line_starts[line - 2], doc.line_starts[line - 2], "")
            start, end = doc.line_span(line - 1)
            return Edit(start, end, f"{match['indent']}<!-- {SUPPRESS_NEXT_LINE} {', '.join(targets + [finding.rule])} -->")
    start = doc.line_starts[line - 1]
    text = doc.lines[line - 1]
    indent = text[:len(text) - len(text.lstrip(" \t"))]
    return Edit(start, start, f"{indent}<!-- {SUPPRESS_NEXT_LINE} {finding.rule} -->\n")


def allow_entry(doc: Document, finding) -> Optional[str]:
    """The text to allow: exactly the flagged text (what the editor underlines), or None when
    that is no phrase to allow everywhere. `allow:` drops every finding that touches any
    occurrence of an entry, in every file the config covers: a lone `x`, `**`, `个` or `，`
    would silence each placeholder or punctuation finding on those characters. So an entry
    needs MIN_ALLOW_WORD_CHARS letters, digits or Chinese characters; for the others the user
    edits the config by hand (or, in Markdown, takes the suppression comment)."""
    if finding.whole_document or not 1 <= finding.line <= len(doc.lines):
        return None
    text = doc.lines[finding.line - 1]
    entry = text[max(finding.column - 1, 0):max(finding.end_column - 1, 0)]
    if not entry.strip() or sum(char.isalnum() for char in entry) < MIN_ALLOW_WORD_CHARS:
        return None
    return entry


def add_allow_yaml(text: str, entry: str) -> str:
    """Add `entry` to the top-level `allow:` list, keeping the file's comments and layout."""
    item = json.dumps(entry, ensure_ascii=False)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        match = re.match(r"^allow\s*:\s*(?P<rest>.*?)\s*(?:#.*)?$", line)
        if not match:
            continue
        rest = match["rest"]
        if rest.startswith("[") and rest.endswith("]"):
            inner = rest[1:-1].strip()
            lines[index] = line[:match.start("rest")] + "[" + (inner + ", " if inner else "") + item + "]" + line[match.end("rest"):]
            return "\n".join(lines)
        if rest not in ("", "~", "null"):
            raise AllowEditError(f"allow 的写法无法自动编辑，请手动加入 {item}")
        last, indent = index, "  "
        for number in range(index + 1, len(lines)):
            following = lines[number]
            if not following.strip() or following.lstrip().startswith("#"):
                continue
            item_match = re.match(r"^(\s*)-\s", following)
            if item_match and (item_match.group(1) or following.startswith("-")):
                last, indent = number, item_match.group(1)
                continue
            break
        if rest:
            lines[index] = line[:match.start("rest")].rstrip()
        lines.insert(last + 1, f"{indent}- {item}")
        return "\n".join(lines)
    body = text if not text or text.endswith("\n") else text + "\n"
    return body + f"allow:\n  - {item}\n"


def add_allow_toml(text: str, entry: str) -> str:
    """Add `entry` to `allow = [...]` in [tool.lint-reports] (made if missing)."""
    item = json.dumps(entry, ensure_ascii=False)
    lines = text.split("\n")
    header = next((i for i, line in enumerate(lines) if line.strip() == "[tool.lint-reports]"), None)
    if header is None:
        body = text if not text or text.endswith("\n") else text + "\n"
        return body + f"\n[tool.lint-reports]\nallow = [{item}]\n"
    end = next((i for i in range(header + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    for index in range(header + 1, end):
        match = re.match(r"^\s*allow\s*=\s*\[(?P<inner>.*)$", lines[index])
        if not match:
            continue
        inner = match["inner"]
        if "]" in inner:  # one line
            close = lines[index].rindex("]")
            before = lines[index][:close].rstrip()
            separator = "" if before.endswith("[") else ", " if not before.endswith(",") else " "
            lines[index] = before + separator + item + lines[index][close:]
            return "\n".join(lines)
        for closing in range(index + 1, end):
            if lines[closing].strip().startswith("]"):
                previous = lines[closing - 1].rstrip()
                if previous and not previous.endswith((",", "[")):
                    lines[closing - 1] = previous + ","
                lines.insert(closing, f"    {item},")
                return "\n".join(lines)
        raise AllowEditError(f"pyproject.toml 的 allow 写法无法自动编辑，请手动加入 {item}")
    lines.insert(header + 1, f"allow = [{item}]")
    return "\n".join(lines)
