"""`lint-reports-lsp`: the language server (LSP over stdio) for live findings in an editor.

pygls is an optional dependency (`pip install 'lint-reports[lsp]'`); without it the command
says so in one line and exits 2.
"""
from __future__ import annotations

import sys

INSTALL_HINT = "lint-reports-lsp: the language server needs pygls: pip install 'lint-reports[lsp]'"


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("--version", "-V"):
        from .. import __version__

        print(f"lint-reports-lsp {__version__}")
        return 0
    if args and args[0] in ("--help", "-h"):
        print("usage: lint-reports-lsp   (speaks the Language Server Protocol on stdin/stdout; "
              "start it from your editor, see the README)")
        return 0
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    from .server import serve

    return serve()
