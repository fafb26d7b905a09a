"""Path -> Document: the one way a run, the commands, the language server and the tests turn
a file into a Document (data flows path -> bytes -> Document -> rules -> Findings)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

from ..core.document import Document
from . import safeio

# A report is a few hundred KB at most; a bigger "text" file is a log or a dump. The cap
# also keeps an explicitly named device (/dev/zero) from filling the memory.
MAX_BYTES = 64 * 1024 * 1024


def load_document(path: str, data: Union[bytes, str, None] = None, *, markup: Optional[str] = None) -> Document:
    """The Document of the file `path` names (the path findings show).

    `data`: its bytes when already read (a run reads each file itself, standard input), or
    the text an editor holds (a str: nothing to decode). Without it the file is read: a
    regular file only (a FIFO or a device is refused, never a blocking read), at most
    MAX_BYTES (safeio.FileTooLarge). Raises OSError, DecodeError, and for a .docx
    docx.WordUnavailable (no python-docx) or docx.TooLarge."""
    if data is None:
        data = safeio.read_regular(path, MAX_BYTES).data
    if isinstance(data, str):
        return Document(path, data, markup=markup)
    if path.lower().endswith(".docx"):
        from . import docx  # python-docx only for a Word file

        return docx.read(path, data)
    return Document.from_bytes(path, data, markup=markup)


TEMPLATE_SUFFIXES = (".txt", ".md", ".markdown", ".docx")


def template_files(paths) -> list:
    """The template files a `templates:` list names: files as given, folders searched for
    .txt/.md/.docx (in name order)."""
    found = []
    for name in paths:
        path = Path(name)
        if not os.path.isdir(path):
            found.append(path)
            continue
        inside = []
        for folder, _, names in os.walk(path):  # a folder we may not enter is skipped (os.walk's default)
            inside += [Path(folder) / n for n in names if n.lower().endswith(TEMPLATE_SUFFIXES)]
        found += sorted(p for p in inside if os.path.isfile(p))
    return found
