"""The language server on pygls: diagnostics while typing, and code actions.

- didOpen / didSave lint at once. didChange publishes a quick lint at once (the line-local
  rules re-scan the edited lines; the whole-document rules keep their earlier findings away
  from the edit, see incremental.py) and the exact lint after a pause (debounce, default
  250 ms, `initializationOptions: {"debounce": ms}`), so typing fast costs one full lint per
  pause. With debounce 0 every change gets the exact lint at once, and nothing else.
- Diagnostics: range in the client's position encoding (UTF-16 unless it asked otherwise),
  severity, code = rule id, source = "lint-reports", the Chinese message.
- Hover over a finding: its rule explained as `--explain` explains it (hover.py).
- Code actions on a finding: its safe fix; one "fix all safe fixes of the file" (a quick fix
  under the cursor, or the source action `source.fixAll.lint-reports` for fix-on-save);
  "not a problem here" (Markdown: a suppression comment above the line; plain text: exactly
  the flagged text goes into the workspace config's `allow:` list through the
  `lint-reports.allow` command, which accepts only the flagged text of a finding of an open
  document, and edits only a config inside a workspace folder).
- Messages quote documents and configs: their control characters are shown as escapes.
- Config: found like the CLI (upward from the workspace folder); rebuilt when it changes on
  disk (checked on every lint). Every open document is linted again and republished when
  the allow command wrote the config, on workspace/didChangeWatchedFiles, when a config or
  pack open in the editor is saved (such a file is never linted as a report), and when the
  server's own look every CONFIG_POLL_SECONDS finds a config changed, added or removed
  (for editors that report no file changes).
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import default_converter
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..formats.html import fix_description
from ..io.escape import visible
from . import positions
from .hover import hover_text
from .session import AllowEditError, LintResult, Session, allow_entry, safe_edits, suppress_edit

SOURCE = "lint-reports"
ALLOW_COMMAND = "lint-reports.allow"
FIX_ALL_KIND = "source.fixAll.lint-reports"
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
DEFAULT_DEBOUNCE = 0.25
# How often the server looks at the configs it read (a few stat calls): a config edited in
# another program, or switched by git, shows in every open document without the editor's help.
CONFIG_POLL_SECONDS = 2.0

log = logging.getLogger(__name__)


def fast_converter():
    """pygls' converter with a hand-written unstructure hook for Diagnostic: the generic one
    takes ~40 µs a diagnostic, most of a quick publish's time on a report with 2,000 findings.
    Diagnostics with fields we never set go through the generic hook."""
    converter = default_converter()
    generic = converter.get_unstructure_hook(types.Diagnostic)

    def position(p: types.Position) -> dict:
        return {"line": p.line, "character": p.character}

    def diagnostic(d: types.Diagnostic) -> dict:
        if d.code_description is not None or d.tags is not None or d.related_information is not None \
                or d.data is not None:
            return generic(d)
        out = {"range": {"start": position(d.range.start), "end": position(d.range.end)}, "message": d.message}
        if d.severity is not None:
            out["severity"] = int(d.severity)
        if d.code is not None:
            out["code"] = d.code
        if d.source is not None:
            out["source"] = d.source
        return out

    converter.register_unstructure_hook(types.Diagnostic, diagnostic)
    return converter


class LintReportsServer(LanguageServer):
    def __init__(self):
        # Full sync: the client sends the whole text on each change. Our Document splits lines
        # exactly as LSP does; pygls' incremental patching splits on more characters (U+2028…).
        super().__init__("lint-reports", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full,
                         converter_factory=fast_converter)
        self.session = Session()
        self.results: dict = {}  # uri -> LintResult of the text last published
        self.pending: dict = {}  # uri -> asyncio.TimerHandle
        self.debounce = DEFAULT_DEBOUNCE
        self.reported_errors: set = set()

    @property
    def encoding(self) -> str:
        encoding = self.workspace.position_encoding or positions.UTF16
        return getattr(encoding, "value", encoding)  # PositionEncodingKind is an enum of str

    # --- linting -------------------------------------------------------------------------
    def lint_now(self, uri: str, quick: bool = False) -> Optional[LintResult]:
        self.cancel_pending(uri)
        try:
            document = self.workspace.get_text_document(uri)
        except Exception:  # closed meanwhile
            return None
        path = Path(to_fs_path(uri) or document.path)
        if self.session.is_config(path):  # read as configuration, never linted as a report
            self.results.pop(uri, None)
            return None
        result = self.session.lint(path, document.source, document.language_id or "", document.version, quick=quick)
        self.results[uri] = result
        diagnostics = [self.diagnostic(result.doc, f) for f in result.findings] if result.doc else []
        if result.error:
            diagnostics = [types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                            message=f"lint-reports 配置错误：{visible(result.error)}",
                                            severity=types.DiagnosticSeverity.Error, source=SOURCE)]
            if result.error not in self.reported_errors:
                self.reported_errors.add(result.error)
                self.show(types.MessageType.Error, f"lint-reports: {result.error}")
        for problem in result.problems:
            if problem not in self.reported_errors:
                self.reported_errors.add(problem)
                self.show(types.MessageType.Warning, f"lint-reports: {problem}")
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version))
        return result

    def show(self, kind, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(kind, visible(message)))

    def lint_later(self, uri: str) -> None:
        self.cancel_pending(uri)
        if self.debounce <= 0:
            self.lint_now(uri)
            return
        result = self.lint_now(uri, quick=True)
        if result is not None and result.provisional:
            self.pending[uri] = asyncio.get_running_loop().call_later(self.debounce, self.lint_now, uri)

    def cancel_pending(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def relint_all(self) -> None:
        """Re-read every config and publish fresh diagnostics for every open document: after
        the allow command wrote a config, or the client says a config changed (a watched
        file, or a config saved in the editor)."""
        self.session.forget_configs()
        self.reported_errors.clear()  # a config broken again is said again
        for uri in list(self.workspace.text_documents):
            self.lint_now(uri)

    def relint_others(self, uri: str, before=frozenset()) -> None:
        """The other open documents compare their sentences with this one
        (copied-from-report): when it opens, is saved or closes, those sharing a sentence
        with it (as it is now, or was: `before`) are linted again (an edit not yet saved
        reaches them at their own next lint)."""
        path = self.path_of(uri)
        shared = set(before) | (self.session.passage_digests(path) if path is not None else set())
        if not shared:
            return
        for other in list(self.results):  # (the open documents, under the URIs the client gave)
            other_path = self.path_of(other) if other != uri else None
            if other_path is not None and self.session.passage_digests(other_path) & shared:
                self.lint_now(other)

    def watch_configs(self) -> None:
        """Every CONFIG_POLL_SECONDS: re-lint every open document if a config changed."""
        try:
            if self.session.configs_changed():
                self.relint_all()
        except Exception:  # never let a check stop the checks (the next lint reports a broken config)
            log.exception("checking the configs failed")
        asyncio.get_running_loop().call_later(CONFIG_POLL_SECONDS, self.watch_configs)

    def path_of(self, uri: str) -> Optional[Path]:
        try:
            document = self.workspace.get_text_document(uri)
        except Exception:
            return None
        return Path(to_fs_path(uri) or document.path)

    def markdown_hover(self) -> bool:
        text_document = self.client_capabilities.text_document
        hover = text_document and text_document.hover
        formats = (hover and hover.content_format) or []
        return any(getattr(f, "value", f) == types.MarkupKind.Markdown.value for f in formats)

    def current(self, uri: str) -> Optional[LintResult]:
        """The findings for the text the client has now (lints if a change is still pending)."""
        result = self.results.get(uri)
        try:
            version = self.workspace.get_text_document(uri).version
        except Exception:
            return result
        if result is None or result.version != version or uri in self.pending:
            result = self.lint_now(uri)
        return result

    # --- conversions ---------------------------------------------------------------------
    def position(self, doc, offset: int) -> types.Position:
        line, column = doc.position(min(max(offset, 0), len(doc.text)))
        return types.Position(line - 1, positions.to_client(doc.lines[line - 1], column - 1, self.encoding))

    def finding_range(self, doc, finding) -> types.Range:
        text = doc.lines[finding.line - 1]
        start = min(finding.column - 1, len(text))
        end = min(max(finding.end_column - 1, start), len(text))
        begin = types.Position(finding.line - 1, positions.to_client(text, start, self.encoding))
        if finding.line < finding.end_line <= len(doc.lines):  # about whole lines: to the end of the last
            last = doc.lines[finding.end_line - 1]
            return types.Range(begin, types.Position(finding.end_line - 1, positions.to_client(last, len(last), self.encoding)))
        return types.Range(begin, types.Position(finding.line - 1, positions.to_client(text, end, self.encoding)))

    def diagnostic(self, doc, finding) -> types.Diagnostic:
        return types.Diagnostic(range=self.finding_range(doc, finding), message=visible(finding.message),
                                severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
                                code=finding.rule, source=SOURCE,
                                related_information=related_information(finding) or None)

    def text_edit(self, doc, edit) -> types.TextEdit:
        return types.TextEdit(range=types.Range(self.position(doc, edit.start), self.position(doc, edit.end)),
                              new_text=edit.replacement)

    def client_columns(self, doc, position: types.Position) -> tuple:
        line = min(position.line, len(doc.lines) - 1)
        return line + 1, positions.from_client(doc.lines[line], position.character, self.encoding) + 1


def related_information(finding) -> list:
    """The other places a finding names (the template line a passage was copied from), as
    the editor's "related" links: only places that are files on this machine (a path is
    relative to the directory the server runs in, as the linter wrote it)."""
    places = []
    for place in finding.related:
        if not place.path:
            continue  # (the pack's own passages are no file to open)
        path = Path(place.path)
        path = path if path.is_absolute() else Path.cwd() / path
        if not path.is_file():
            continue  # (a file since removed, or not on this machine)
        at = types.Position(max(0, place.line - 1), max(0, place.column - 1))
        places.append(types.DiagnosticRelatedInformation(
            location=types.Location(uri=from_fs_path(str(path.resolve())), range=types.Range(at, at)),
            message=visible(place.message or finding.rule)))
    return places


server = LintReportsServer()


@server.feature(types.INITIALIZE)
def initialize(ls: LintReportsServer, params: types.InitializeParams):
    roots = [to_fs_path(folder.uri) for folder in params.workspace_folders or []]
    if not roots and params.root_uri:
        roots = [to_fs_path(params.root_uri)]
    elif not roots and params.root_path:
        roots = [params.root_path]
    ls.session = Session([r for r in roots if r])
    options = params.initialization_options or {}
    if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
        ls.debounce = max(0.0, options["debounce"] / 1000)


@server.feature(types.INITIALIZED)
def initialized(ls: LintReportsServer, params: types.InitializedParams):
    asyncio.get_running_loop().call_later(CONFIG_POLL_SECONDS, ls.watch_configs)
    capabilities = ls.client_capabilities.workspace
    watched = capabilities and capabilities.did_change_watched_files
    if watched and watched.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern=pattern)
                    for pattern in ("**/.lint-reports.yaml", "**/.lint-reports.yml", "**/pyproject.toml")]
        ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="lint-reports-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LintReportsServer, params: types.DidOpenTextDocumentParams):
    ls.lint_now(params.text_document.uri)
    ls.relint_others(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LintReportsServer, params: types.DidChangeTextDocumentParams):
    ls.lint_later(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LintReportsServer, params: types.DidSaveTextDocumentParams):
    path = ls.path_of(params.text_document.uri)
    if path is not None and ls.session.is_config(path):
        ls.relint_all()  # a config (or a pack) edited in the editor: every open report again
    else:
        before = ls.session.passage_digests(path) if path is not None else frozenset()
        ls.lint_now(params.text_document.uri)
        ls.relint_others(params.text_document.uri, before)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: LintReportsServer, params: types.HoverParams):
    """Over a finding: its rule explained (lint_reports/lsp/hover.py)."""
    uri = params.text_document.uri
    result = ls.current(uri)
    if result is None or result.doc is None:
        return None
    doc = result.doc
    line, column = ls.client_columns(doc, params.position)
    here = [f for f in result.findings if f.line == line and f.column <= column < max(f.end_column, f.column + 1)]
    if not here:
        return None
    path = ls.path_of(uri)
    as_markdown = ls.markdown_hover()
    text = hover_text([(f, ls.session.rule(path, f.rule)) for f in here], as_markdown,
                      [fix_description(f, doc) for f in here])
    kind = types.MarkupKind.Markdown if as_markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=ls.finding_range(doc, here[0]))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LintReportsServer, params: types.DidCloseTextDocumentParams):
    uri = params.text_document.uri
    ls.cancel_pending(uri)
    ls.results.pop(uri, None)
    path = _file_path(uri)
    if path is not None:  # (the path lint_now linted it under: to_fs_path of the same URI)
        before = ls.session.passage_digests(path)
        ls.session.closed(path)
        ls.relint_others(uri, before)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: LintReportsServer, params: types.DidChangeWatchedFilesParams):
    ls.relint_all()


def _wanted(only, kind: str) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=False))
def code_action(ls: LintReportsServer, params: types.CodeActionParams):
    uri = params.text_document.uri
    result = ls.current(uri)
    if result is None or result.doc is None:
        return None
    doc, only = result.doc, params.context.only
    first = ls.client_columns(doc, params.range.start)
    last = ls.client_columns(doc, params.range.end)
    actions = []
    here = [f for f in result.findings
            if (f.line, f.column) <= last and first <= (f.line, max(f.end_column, f.column + 1))]
    quick = _wanted(only, types.CodeActionKind.QuickFix)
    for finding in here if quick else []:
        diagnostic = [ls.diagnostic(doc, finding)]
        if safe_edits(doc, [finding]):
            actions.append(types.CodeAction(
                title=f"修复 {finding.rule}：{fix_description(finding, doc).split('（')[0]}",
                kind=types.CodeActionKind.QuickFix, diagnostics=diagnostic, is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: [ls.text_edit(doc, finding.fix)]})))
        if finding.whole_document:
            continue
        if doc.markup == "markdown":
            actions.append(types.CodeAction(
                title=f"不是问题：在上一行加注释，忽略此处的 {finding.rule}",
                kind=types.CodeActionKind.QuickFix, diagnostics=diagnostic,
                edit=types.WorkspaceEdit(changes={uri: [ls.text_edit(doc, suppress_edit(doc, finding))]})))
        else:
            entry = allow_entry(doc, finding)
            path = _file_path(uri)
            if entry is None or path is None or ls.session.allow_problem(path, entry):
                continue  # not a phrase to allow everywhere, or no config the command may edit
            target = ls.session.allow_target(path)
            actions.append(types.CodeAction(
                title=f"不是问题：把“{entry}”加入 {visible(target.name)} 的 allow 列表",
                kind=types.CodeActionKind.QuickFix, diagnostics=diagnostic,
                command=types.Command(title="加入 allow 列表", command=ALLOW_COMMAND, arguments=[uri, entry])))
    edits = safe_edits(doc, result.findings)
    kind = _fix_all_kind(only, quick and any(f.fix in set(edits) for f in here))
    if edits and kind and not (kind == types.CodeActionKind.QuickFix and len(edits) == 1):
        # One "fix all", never two: it used to come both as the source action (what
        # fix-on-save asks for) and as a quick fix copy (VS Code's light bulb hides source
        # actions), so a client asking for everything (Neovim, Emacs, the light bulb's own
        # request) listed it twice. As a quick fix it is left out when the file's only safe
        # fix is the one already offered on its own.
        chosen = set(edits)
        actions.append(types.CodeAction(
            title=f"修复本文件全部可安全修复的问题（{len(edits)} 处）", kind=kind,
            diagnostics=[ls.diagnostic(doc, f) for f in result.findings if f.fix in chosen],
            edit=types.WorkspaceEdit(changes={uri: [ls.text_edit(doc, e) for e in edits]})))
    return actions


def _fix_all_kind(only, fixable_here: bool) -> Optional[str]:
    """The one kind the "fix all" action comes as: the source action when the client asks
    for source actions by name (fix-on-save, a "source action" menu); else a quick fix where
    a fixable finding is under the cursor (so the light bulb shows it); else the source
    action if the client takes any kind."""
    if only and _wanted(only, FIX_ALL_KIND):
        return FIX_ALL_KIND
    if fixable_here:
        return types.CodeActionKind.QuickFix
    return FIX_ALL_KIND if _wanted(only, FIX_ALL_KIND) else None


def _file_path(uri) -> Optional[Path]:
    """The local file a `file:` URI names, else None (an untitled buffer, another scheme)."""
    if not isinstance(uri, str) or not uri.startswith("file:"):
        return None
    try:
        path = to_fs_path(uri)
    except Exception:  # a URI pygls cannot parse
        return None
    return Path(path) if path else None


@server.command(ALLOW_COMMAND)
def allow(ls: LintReportsServer, *arguments):
    """[uri, entry], as the code action sent them: checked, since any client may send any."""
    uri, entry = arguments if len(arguments) == 2 else (None, None)
    path = _file_path(uri)
    documents = ls.workspace.text_documents
    if path is None or uri not in documents:
        ls.show(types.MessageType.Error, "lint-reports: allow 命令的参数无效（需要一个已打开文件的 URI 和其中的一段文字）")
        return None
    if not isinstance(entry, str) or entry not in documents[uri].source:
        ls.show(types.MessageType.Error, "lint-reports: allow 条目不在这份文件里")
        return None
    result = ls.current(uri)
    flagged = {allow_entry(result.doc, f) for f in result.findings} if result and result.doc else set()
    if entry not in flagged:  # only what a finding flags now, exactly as the code action offered it
        ls.show(types.MessageType.Error, "lint-reports: 这段文字现在没有被报告，无需加入 allow 列表")
        return None
    try:
        target = ls.session.add_allow(path, entry)
    except (AllowEditError, OSError) as exc:
        ls.show(types.MessageType.Error, f"lint-reports: {exc}")
        return None
    ls.show(types.MessageType.Info, f"lint-reports: 已把“{entry}”加入 {target} 的 allow 列表")
    ls.relint_all()
    return from_fs_path(str(target))


def serve() -> int:
    logging.basicConfig(level=logging.WARNING)
    server.start_io()
    return 0
