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

from .document import DecodeError, Document

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


def heading_level(paragraph) -> int | None:
    level = _outline_level(paragraph._p)
    if level:
        return level
    style = paragraph.style
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


def _paragraphs(container):
    """Paragraphs in reading order, descending into tables (each merged cell once)."""
    for block in container.iter_inner_content():
        if hasattr(block, "rows"):
            seen = set()
            for row in block.rows:
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    yield from _paragraphs(cell)
        else:
            yield block


def read(path: str, data: bytes) -> Document:
    try:
        import docx
    except ImportError:
        raise WordUnavailable(INSTALL_HINT) from None
    try:
        word = docx.Document(io.BytesIO(data))
        lines, levels = [], {}
        for number, paragraph in enumerate(_paragraphs(word), 1):
            text = paragraph.text.replace("\r", " ").replace("\n", " ")
            lines.append(text)
            level = heading_level(paragraph) if text.strip() else None
            if level:
                levels[number] = level
    except (zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise DecodeError(f"not a readable .docx file ({type(exc).__name__})") from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and other damage inside the zip
        raise DecodeError(f"not a readable .docx file ({type(exc).__name__})") from None
    doc = Document(path, "\n".join(lines), markup="docx")
    doc.heading_levels = levels
    return doc
