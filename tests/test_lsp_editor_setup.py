"""The editor setups in docs/editors-and-html.md work as written.

Each snippet is read from the page. Lua: compiled by `luac5.4 -p` and by Neovim's own
LuaJIT; the snippet for the installed Neovim runs headless against the real server; every
snippet also runs in Neovim with the functions it calls recorded (what it starts the server
with). Emacs: the snippets run in `emacs --batch` with eglot against the real server, down
to Flymake's diagnostics. VS Code: the settings are parsed and their keys are the generic
client's. A check whose program is missing is skipped, saying which.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("pygls")
pytestmark = pytest.mark.slow

DOC = ROOT / "docs" / "editors-and-html.md"
REPORT = "下载文档一键复制全文\n正文。##paidbegin##完。由x任组长\n"
VERSIONS = ("0.7 to 0.9", "0.10", "0.11 and later")


def _editor_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split("## Live findings in your editor", 1)[1].split("### How fast it is", 1)[0]


def lua_snippets() -> dict:
    """'0.10' -> the Lua block under '**Neovim 0.10**', and so on."""
    found = dict(re.findall(r"\*\*Neovim ([^*]+?)\*\*(?:(?!```).)*?```lua\n(.*?)```", _editor_section(), re.S))
    assert set(found) == set(VERSIONS), sorted(found)
    return found


def elisp_snippets() -> list:
    return re.findall(r"```elisp\n(.*?)```", _editor_section().split("### Emacs", 1)[1], re.S)


def _env(tmp_path: Path) -> dict:
    """The server on PATH (as `pip install` puts it), nothing of the user's editor config."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"),
               XDG_DATA_HOME=str(tmp_path / "home" / ".local" / "share"),
               XDG_STATE_HOME=str(tmp_path / "home" / ".local" / "state"))
    (tmp_path / "home").mkdir(exist_ok=True)
    return env


def _workspace(tmp_path: Path) -> Path:
    """A reports folder with a config, the report one folder below it."""
    root = tmp_path / "ws"
    (root / "docs").mkdir(parents=True)
    (root / ".lint-reports.yaml").write_text("ignore: []\n", encoding="utf-8")
    (root / "docs" / "r.txt").write_text(REPORT, encoding="utf-8")
    return root


# --- Neovim -------------------------------------------------------------------------------------
def _nvim_version():
    nvim = shutil.which("nvim")
    if nvim is None:
        return None
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30).stdout.splitlines()[0]
    match = re.search(r"v(\d+)\.(\d+)", first)
    return (int(match[1]), int(match[2])) if match else None


def _snippet_for(version: tuple) -> str:
    return "0.7 to 0.9" if version < (0, 10) else "0.10" if version < (0, 11) else "0.11 and later"


def _nvim(tmp_path: Path, init: str, script: str, *files, timeout: float = 90) -> dict:
    (tmp_path / "init.lua").write_text(init, encoding="utf-8")
    (tmp_path / "check.lua").write_text(script, encoding="utf-8")
    out = tmp_path / "out.json"
    env = _env(tmp_path) | {"OUT": str(out)}
    result = subprocess.run(["nvim", "--headless", "-u", str(tmp_path / "init.lua"), "-i", "NONE", *map(str, files),
                             "-c", f"luafile {tmp_path / 'check.lua'}"],
                            capture_output=True, text=True, timeout=timeout, env=env, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert out.exists(), f"nvim wrote nothing: {result.stdout}{result.stderr}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", VERSIONS)
def test_each_lua_snippet_compiles(version, tmp_path):
    source = tmp_path / "snippet.lua"
    source.write_text(lua_snippets()[version], encoding="utf-8")
    checked = []
    luac = shutil.which("luac5.4") or shutil.which("luac")
    if luac:
        result = subprocess.run([luac, "-p", str(source)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        checked.append("luac")
    if shutil.which("nvim"):  # Neovim's LuaJIT is Lua 5.1: what the snippet really runs on
        result = subprocess.run(["nvim", "--headless", "--clean", "-c",
                                 "lua local f, e = loadfile(os.getenv('SNIPPET')); if not f then "
                                 "io.stderr:write(e) vim.cmd('cq') end", "-c", "qa!"],
                                capture_output=True, text=True, timeout=60, env=dict(os.environ, SNIPPET=str(source)),
                                stdin=subprocess.DEVNULL)
        assert result.returncode == 0, result.stderr
        checked.append("nvim")
    if not checked:
        pytest.skip("neither luac5.4 nor nvim installed (apt-get install lua5.4 neovim)")


# Records what a snippet calls instead of starting anything: runs in any Neovim version.
RECORDER = r"""
_G.calls = {}
local function record(name, value) table.insert(_G.calls, { name = name, value = value }) end
vim.fs = vim.fs or {}
vim.fs.root = function(buf, markers) record("fs.root", { buf = buf, markers = markers }); return "/recorded/root" end
vim.fs.dirname = vim.fs.dirname or function(path) return vim.fn.fnamemodify(path, ":h") end
vim.lsp.start = function(config, opts) record("start", { config = config, opts = opts }); return 1 end
vim.lsp.start_client = function(config) record("start_client", config); return 7 end
vim.lsp.get_client_by_id = function(id) return id == 7 and { id = 7 } or nil end
vim.lsp.buf_attach_client = function(buf, id) record("attach", { buf = buf, id = id }); return true end
vim.lsp.config = function(name, config) record("config", { name = name, config = config }) end
vim.lsp.enable = function(name) record("enable", name) end
"""

RECORDED = r"""
local buffers = {}
for _, name in ipairs({ "a.txt", "b.md", "c.txt" }) do
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("WS") .. "/docs/" .. name))
  table.insert(buffers, { buf = vim.api.nvim_get_current_buf(), filetype = vim.bo.filetype })
end
local function plain(value)  -- functions (keymaps, callbacks) do not go into JSON
  if type(value) == "function" then return "<function>" end
  if type(value) ~= "table" then return value end
  local out = {}
  for k, v in pairs(value) do out[k] = plain(v) end
  return out
end
vim.fn.writefile({ vim.fn.json_encode({ calls = plain(_G.calls), buffers = buffers }) }, os.getenv("OUT"))
vim.cmd("qa!")
"""


@pytest.mark.parametrize("version", VERSIONS)
def test_each_neovim_snippet_starts_the_server_as_documented(version, tmp_path):
    if not shutil.which("nvim"):
        pytest.skip("nvim not installed (apt-get install neovim)")
    root = _workspace(tmp_path)
    result = _nvim_recorded(tmp_path, root, lua_snippets()[version])
    buffers, calls = result["buffers"], result["calls"]
    assert [b["filetype"] for b in buffers] == ["text", "markdown", "text"]  # what the snippets match
    by_name: dict = {}
    for call in calls:
        by_name.setdefault(call["name"], []).append(call["value"])
    expected_options = {"debounce": 250}
    if version == "0.11 and later":
        (config,) = by_name["config"]
        assert by_name["enable"] == [config["name"]]
        settings = config["config"]
        assert settings["cmd"] == ["lint-reports-lsp"] and settings["init_options"] == expected_options
        assert sorted(settings["filetypes"]) == ["markdown", "text"]
        assert settings["root_markers"][0] == ".lint-reports.yaml" and "pyproject.toml" in settings["root_markers"]
    elif version == "0.10":
        starts = by_name["start"]
        assert len(starts) == 3  # vim.lsp.start reuses the client of the same name and root
        for start, buffer in zip(starts, buffers):
            assert start["config"]["cmd"] == ["lint-reports-lsp"] and start["config"]["name"] == "lint-reports"
            assert start["config"]["init_options"] == expected_options
            assert start["config"]["root_dir"] == "/recorded/root" and start["opts"]["bufnr"] == buffer["buf"]
        assert by_name["fs.root"][0]["markers"][0] == ".lint-reports.yaml"
    else:
        (config,) = by_name["start_client"]  # one server for the folder, every buffer attached
        assert config["cmd"] == ["lint-reports-lsp"] and config["init_options"] == expected_options
        assert config["root_dir"] == str(root)  # found upward from docs/, at the config
        assert [(a["buf"], a["id"]) for a in by_name["attach"]] == [(b["buf"], 7) for b in buffers]


def _nvim_recorded(tmp_path: Path, root: Path, snippet: str) -> dict:
    (tmp_path / "init.lua").write_text(RECORDER + "\n" + snippet, encoding="utf-8")
    (tmp_path / "check.lua").write_text(RECORDED, encoding="utf-8")
    out = tmp_path / "out.json"
    env = _env(tmp_path) | {"OUT": str(out), "WS": str(root)}
    result = subprocess.run(["nvim", "--headless", "-u", str(tmp_path / "init.lua"), "-i", "NONE",
                             "-c", f"luafile {tmp_path / 'check.lua'}"],
                            capture_output=True, text=True, timeout=90, env=env, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert out.exists(), f"nvim wrote nothing: {result.stdout}{result.stderr}"
    return json.loads(out.read_text(encoding="utf-8"))


LIVE = r"""
local function clients()
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = 0 }) end
  return vim.lsp.buf_get_clients(0)
end
local ok = vim.wait(30000, function() return #vim.diagnostic.get(0) >= 3 end, 50)
local out = { ok = ok, diagnostics = {}, roots = {} }
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out.diagnostics, { code = d.code, lnum = d.lnum, col = d.col, source = d.source })
end
for _, client in pairs(clients()) do table.insert(out.roots, client.config.root_dir) end
local function at(code)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == code then vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col }); return end
  end
end
local function results(method, params)
  local texts = {}
  for _, response in pairs(vim.lsp.buf_request_sync(0, method, params, 20000) or {}) do
    table.insert(texts, response.result or vim.NIL)
  end
  return texts
end
at("placeholder-x")
out.hover = results("textDocument/hover", vim.lsp.util.make_position_params())
at("artifact-download")
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = {} }
out.actions = {}
for _, result in ipairs(results("textDocument/codeAction", params)) do
  for _, action in ipairs(result) do table.insert(out.actions, { title = action.title, kind = action.kind }) end
end
vim.fn.writefile({ vim.fn.json_encode(out) }, os.getenv("OUT"))
vim.cmd("qa!")
"""


def test_the_snippet_for_the_installed_neovim_runs_against_the_server(tmp_path):
    version = _nvim_version()
    if version is None:
        pytest.skip("nvim not installed (apt-get install neovim)")
    if version < (0, 7):
        pytest.skip(f"Neovim {version} is older than any setup the page documents")
    root = _workspace(tmp_path)
    out = _nvim(tmp_path, lua_snippets()[_snippet_for(version)], LIVE, root / "docs" / "r.txt")
    assert out["ok"], out
    assert sorted(d["code"] for d in out["diagnostics"]) == ["artifact-download", "artifact-paywall", "placeholder-x"]
    assert {d["source"] for d in out["diagnostics"]} == {"lint-reports"}
    assert out["roots"] == [str(root)]
    (hover,) = out["hover"]
    assert hover["contents"]["kind"] == "markdown" and "**placeholder-x**" in hover["contents"]["value"]
    titles = [a["title"] for a in out["actions"]]
    assert sum(title.startswith("修复本文件全部") for title in titles) == 1, titles
    assert "修复 artifact-download：删除整行" in titles


# --- Emacs --------------------------------------------------------------------------------------
EMACS_CHECK = r"""
(package-initialize)
(require 'eglot)
(setq enable-local-variables :all)  ; the test accepts the .dir-locals.el the page shows
(load (expand-file-name "init.el" default-directory) nil t)
(find-file (getenv "REPORT"))
(run-hooks 'post-command-hook)  ; eglot-ensure connects after the command that opened the file
(let ((deadline (+ (float-time) 60)))
  (while (and (< (float-time) deadline) (< (length (flymake-diagnostics)) 3))
    (accept-process-output nil 0.1)))
(let ((found (list (cons "server" (let ((server (eglot-current-server)))
                                     (and server (project-root (eglot--project server)))))
                   (cons "diagnostics" (vconcat (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))))))
  (with-temp-file (getenv "OUT") (insert (json-encode found))))
(kill-emacs 0)
"""


def _emacs_with_eglot() -> bool:
    if not shutil.which("emacs"):
        return False
    probe = subprocess.run(["emacs", "--batch", "--eval", "(progn (package-initialize) (require 'eglot))"],
                           capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    return probe.returncode == 0


def _emacs(tmp_path: Path, init: str, root: Path) -> dict:
    (tmp_path / "init.el").write_text(init, encoding="utf-8")
    (tmp_path / "check.el").write_text(EMACS_CHECK, encoding="utf-8")
    out = tmp_path / "out.json"
    env = _env(tmp_path) | {"OUT": str(out), "REPORT": str(root / "docs" / "r.txt")}
    result = subprocess.run(["emacs", "--batch", "-l", str(tmp_path / "check.el")], capture_output=True, text=True,
                            timeout=120, env=env, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert out.exists(), f"emacs wrote nothing: {result.stdout}{result.stderr}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("how", ["init.el", ".dir-locals.el"])
def test_the_emacs_setup_runs_against_the_server(how, tmp_path):
    if not _emacs_with_eglot():
        pytest.skip("emacs with eglot not installed (apt-get install emacs-nox; on Emacs < 29 elpa-eglot)")
    init, dir_locals = elisp_snippets()
    root = _workspace(tmp_path)
    (root / ".git").mkdir()  # a project eglot recognises, as a reports repository is
    if how == ".dir-locals.el":  # as the page says: the init.el without the add-hook line
        init = "\n".join(line for line in init.splitlines() if "add-hook" not in line)
        (root / ".dir-locals.el").write_text(dir_locals, encoding="utf-8")
    out = _emacs(tmp_path, init, root)
    texts = out["diagnostics"]
    assert sorted(re.search(r"\[([a-z-]+)\]", t)[1] for t in texts) == ["artifact-download", "artifact-paywall",
                                                                         "placeholder-x"], texts
    assert Path(out["server"]).resolve() == root.resolve()


def test_the_emacs_snippets_read_as_lisp():
    """Balanced, with strings closed: what `read` needs (the run above does more where Emacs is)."""
    for snippet in elisp_snippets():
        depth, in_string, escaped = 0, False, False
        for char in re.sub(r";[^\n]*", "", snippet):
            if in_string:
                escaped, in_string = (not escaped and char == "\\"), in_string and (escaped or char != '"')
                continue
            if char == '"':
                in_string = True
            depth += {"(": 1, ")": -1}.get(char, 0)
            assert depth >= 0, snippet
        assert depth == 0 and not in_string, snippet


# --- VS Code ------------------------------------------------------------------------------------
# The settings Generic LSP Client (v2) (zsol.vscode-glspc 0.2) defines in its package.json.
GLSPC_SETTINGS = {"glspc.server.command", "glspc.server.commandArguments", "glspc.server.languageId",
                  "glspc.server.environmentVariables", "glspc.server.initializationOptions", "glspc.trace.server"}


def test_the_vscode_settings_are_the_extensions_and_name_our_fix_all():
    from lint_reports.lsp.server import FIX_ALL_KIND

    section = _editor_section().split("### VS Code", 1)[1].split("### ", 1)[0]
    (block,) = re.findall(r"```json\n(.*?)```", section, re.S)
    settings = json.loads(block)
    assert set(settings) - {"editor.codeActionsOnSave"} <= GLSPC_SETTINGS
    assert settings["glspc.server.command"] == "lint-reports-lsp"
    assert settings["glspc.server.languageId"] == ["plaintext", "markdown"]  # VS Code's ids for .txt and .md
    assert settings["glspc.server.initializationOptions"] == {"debounce": 250}
    assert list(settings["editor.codeActionsOnSave"]) == [FIX_ALL_KIND]
