""".docx reports (optional extra `lint-reports[docx]`, python-docx).

Each paragraph becomes one line, so a finding's line is the paragraph number (body
paragraphs and table-cell paragraphs in reading order, counted from 1). A soft line
break inside a paragraph becomes a space. Heading levels come from the Word styles
(Heading 1…9 / 标题 1…9, or an outline level set on the style or the paragraph), so
the structure checks see the same headings as in a Markdown file. Headers, footers,
footnotes and text boxes are not read. `--fix` never writes a .docx file.
"""
from __future__ import annotations

import importlib.util
import io
import re
import zipfile

from ..core.document import DecodeError, Document

INSTALL_HINT = "reading .docx needs the optional extra: pip install 'lint-reports[docx]'"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)


class WordUnavailable(Exception):
    """python-docx is not installed."""


def available() -> bool:
    return importlib.util.find_spec("docx") is not None


def _outline_level(element) -> int | None:
    """w:outlineLvl (0-based) on a paragraph or style properties, as a 1-based level."""
    ppr = getattr(element, "pPr", None)
    if ppr is None:
        return None
    from docx.oxml.ns import qn

    node = ppr.find(qn("w:outlineLvl"))
    if node is None:
        return None
    try:
        value = int(node.get(qn("w:val")))
    except (TypeError, ValueError):
        return None
    return value + 1 if 0 <= value <= 8 else None  # 9 means body text


def _style_level(style) -> int | None:
    """The heading level a paragraph style gives (its name, or an outline level set on it or
    on a style it is based on), or None."""
    depth = 0
    while style is not None and depth < 10:
        match = _HEADING_STYLE.match((style.name or "").strip())
        if match:
            return int(match.group(1))
        level = _outline_level(style.element)
        if level:
            return level
        style, depth = style.base_style, depth + 1
    return None


class _StyleLevels:
    """Heading levels by paragraph style id, each style worked out once. (Asking each
    paragraph for its style searched every style of the document: 300 000 paragraphs took
    minutes.)"""

    def __init__(self, word):
        self.word = word
        self.levels: dict = {}

    def of(self, paragraph) -> int | None:
        ppr = paragraph._p.pPr
        style_id = ppr.style if ppr is not None else None  # None: the default paragraph style
        if style_id not in self.levels:
            self.levels[style_id] = _style_level(paragraph.style)
        return self.levels[style_id]


def heading_level(paragraph, styles: _StyleLevels | None = None) -> int | None:
    level = _outline_level(paragraph._p)
    if level:
        return level
    if styles is not None:
        return styles.of(paragraph)
    return _style_level(paragraph.style)


def _continues_a_merge(tc) -> bool:
    """A cell that only continues the one above it (vertically merged): read once, above."""
    return tc.vMerge == "continue"


def _paragraphs(container):
    """Paragraphs in reading order, descending into tables, each cell once: a cell merged
    across columns is one <w:tc>, one merged down rows is continued by <w:tc>s marked
    vMerge. (Not `row.cells`: it rebuilds the whole table's grid for every row.)"""
    from docx.table import _Cell

    for block in container.iter_inner_content():
        if hasattr(block, "rows"):
            for tr in block._tbl.tr_lst:
                for tc in tr.tc_lst:
                    if not _continues_a_merge(tc):
                        yield from _paragraphs(_Cell(tc, block))
        else:
            yield block


class TooLarge(Exception):
    """A .docx beyond what is read (a zip bomb, a generated monster): skipped, one warning."""


MAX_PARTS = 10_000  # files inside the zip: a report with images has dozens
MAX_UNPACKED = 256 * 1024 * 1024  # bytes of all parts unpacked (python-docx keeps every part in memory)
MAX_XML = 32 * 1024 * 1024  # bytes of XML unpacked (parsed whole: several times that in memory)
MAX_PARAGRAPHS = 100_000  # a 3 000-page document


def check_size(data: bytes) -> None:
    """Refuse, before anything is unpacked, a .docx that would unpack to more than the caps.
    The sizes are the zip's own declarations: zipfile never unpacks more than a part
    declares (a part that holds more fails its CRC), so they bound what is read."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise DecodeError(f"not a readable .docx file ({type(exc).__name__})") from None
    if len(parts) > MAX_PARTS:
        raise TooLarge(f"a .docx of more than {MAX_PARTS:,} parts (a zip bomb?)")
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise TooLarge(f"a .docx that unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB (a zip bomb?)")
    if sum(part.file_size for part in parts if part.filename.lower().endswith((".xml", ".rels"))) > MAX_XML:
        raise TooLarge(f"a .docx whose text (XML) unpacks to more than {MAX_XML // (1024 * 1024)} MB")


def read(path: str, data: bytes) -> Document:
    """Raises WordUnavailable, DecodeError (not a .docx), or TooLarge (one of the caps)."""
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError:
        raise WordUnavailable(INSTALL_HINT) from None
    check_size(data)
    try:
        word = docx.Document(io.BytesIO(data))
        body = word.element.body
        if sum(1 for _ in body.iter(qn("w:p"))) > MAX_PARAGRAPHS:  # counted at C speed, before the slow part
            raise TooLarge(f"a .docx of more than {MAX_PARAGRAPHS:,} paragraphs")
        styles = _StyleLevels(word)
        lines, levels = [], {}
        for number, paragraph in enumerate(_paragraphs(word), 1):
            text = paragraph.text.replace("\r", " ").replace("\n", " ")
            lines.append(text)
            level = heading_level(paragraph, styles) if text.strip() else None
            if level:
                levels[number] = level
    except TooLarge:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise DecodeError(f"not a readable .docx file ({type(exc).__name__})") from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and other damage inside the zip
        raise DecodeError(f"not a readable .docx file ({type(exc).__name__})") from None
    doc = Document(path, "\n".join(lines), markup="docx")
    doc.heading_levels = levels
    return doc
