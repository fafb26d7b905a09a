"""A minimal LSP client for the tests and the benchmark: starts `python -m lint_reports.lsp`
as a subprocess and speaks JSON-RPC over its stdin/stdout, as an editor does."""
from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path


class LspClient:
    def __init__(self, cwd=None, env=None):
        self.process = subprocess.Popen([sys.executable, "-m", "lint_reports.lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.messages: queue.Queue = queue.Queue()
        self.notifications: list = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, value = line.split(":", 1)
                headers[name.lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body.decode("utf-8")))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params, timeout: float = 30):
        self.next_id += 1
        request_id = self.next_id
        self.send({"id": request_id, "method": method, "params": params})
        message = self.wait(lambda m: m.get("id") == request_id and "method" not in m, timeout)
        if "error" in message:
            raise RuntimeError(message["error"])
        return message.get("result")

    def wait(self, predicate, timeout: float = 30) -> dict:
        """The next message matching `predicate`; answers server requests on the way."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                message = self.messages.get(timeout=max(remaining, 0.001))
            except queue.Empty:
                died = self.process.poll() is not None
                raise TimeoutError("no matching message from the server"
                                   + (f"; it exited: {self.process.stderr.read().decode(errors='replace')}" if died else "")) from None
            if "method" in message and "id" in message:  # a request to the client
                self.send({"id": message["id"], "result": None})
            if "method" in message:
                self.notifications.append(message)
            if predicate(message):
                return message

    def diagnostics(self, uri: str, version=None, timeout: float = 30) -> list:
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri
                            and (version is None or m["params"].get("version") == version), timeout)
        return message["params"]["diagnostics"]

    def published(self, uri: str) -> list:
        """The diagnostics last published for `uri` among the messages already read."""
        for message in reversed(self.notifications):
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
                return message["params"]["diagnostics"]
        raise LookupError(f"nothing published for {uri}")

    def initialize(self, root: Path, options=None, encodings=None, hover_formats=("markdown", "plaintext")) -> dict:
        capabilities = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True},
                                      "applyEdit": True, "workspaceEdit": {"documentChanges": False}},
                        "textDocument": {"codeAction": {"codeActionLiteralSupport": {"codeActionKind": {
                            "valueSet": ["quickfix", "source", "source.fixAll"]}}},
                            "hover": {"contentFormat": list(hover_formats)},
                            "publishDiagnostics": {"versionSupport": True}}}
        if encodings:
            capabilities["general"] = {"positionEncodings": encodings}
        result = self.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                             "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                                             "capabilities": capabilities,
                                             "initializationOptions": options or {}})
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str, language: str = "plaintext", version: int = 1) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                              "version": version, "text": text}})
        return uri

    def code_actions(self, uri: str, range_: dict, diagnostics=(), only=None) -> list:
        context = {"diagnostics": list(diagnostics)}
        if only is not None:
            context["only"] = list(only)
        return self.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": range_,
                                                         "context": context}) or []

    def hover(self, uri: str, position: dict):
        return self.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})

    def save(self, uri: str) -> None:
        self.notify("textDocument/didSave", {"textDocument": {"uri": uri}})

    def publications(self, uri: str) -> int:
        """How many diagnostics publications for `uri` were read so far."""
        return sum(1 for m in self.notifications
                   if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def close(self) -> int:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            return self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                stream.close()
