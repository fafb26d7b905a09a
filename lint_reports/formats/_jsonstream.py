"""JSON written in pieces: exactly `json.dumps(document, ensure_ascii=False, indent=2)`, where
one long list (the findings) is given as an iterable and written a batch of items at a time,
so a run with hundreds of thousands of findings never holds its whole output."""
from __future__ import annotations

import itertools
import json

SLOT = "\x00lint-reports-items\x00"  # stands for the list in `document`; no finding holds a NUL
BATCH = 512  # items encoded in one call: one call per item cost a third more time


def chunks(document, items, indent: int = 2):
    """Pieces of the JSON text of `document` (which holds SLOT once, or is SLOT) with
    SLOT replaced by the list of `items`, then a newline."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=indent)
    head, tail = encoder.encode(document).split(json.dumps(SLOT), 1)
    last_line = head[head.rfind("\n") + 1:]
    pad = " " * (len(last_line) - len(last_line.lstrip(" ")))
    yield head
    items = iter(items)
    opened = False
    while True:
        batch = list(itertools.islice(items, BATCH))
        if not batch:
            break
        # "[\n  a,\n  b\n]" at the top level: its inner lines, moved to the list's depth
        inner = encoder.encode(batch)[1:-2]
        yield ("," if opened else "[") + (inner.replace("\n", "\n" + pad) if pad else inner)
        opened = True
    yield ("\n" + pad + "]" if opened else "[]") + tail + "\n"
