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


def _outline_level(element, tags: "_Tags | None" = None) -> int | None:
    """w:outlineLvl (0-based) on a paragraph or style properties, as a 1-based level."""
    tags = tags or _Tags()
    ppr = element.find(tags.p_pr)
    if ppr is None:
        return None
    node = ppr.find(tags.outline_level)
    if node is None:
        return None
    try:
        value = int(node.get(tags.val))
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
    paragraph for its style searched every style of the document.)"""

    def __init__(self, word, tags: "_Tags"):
        self.word, self.tags = word, tags
        self.levels: dict = {}

    def of(self, p) -> int | None:
        from docx.text.paragraph import Paragraph

        ppr = p.find(self.tags.p_pr)
        style_id = ppr.style if ppr is not None else None  # None: the default paragraph style
        if style_id not in self.levels:
            self.levels[style_id] = _style_level(Paragraph(p, self.word._body).style)
        return self.levels[style_id]


def heading_level(p, styles: _StyleLevels) -> int | None:
    """The heading level of the paragraph element `p`: its own outline level, else its style's."""
    return _outline_level(p, styles.tags) or styles.of(p)


class _Tags:
    """Word's element names, resolved once (python-docx's `qn` per element per call was most of
    the reading time)."""

    def __init__(self):
        from docx.oxml.ns import qn

        self.p, self.tbl, self.tr, self.tc = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
        self.p_pr, self.outline_level, self.val = qn("w:pPr"), qn("w:outlineLvl"), qn("w:val")
        self.run, self.hyperlink = qn("w:r"), qn("w:hyperlink")
        # what python-docx's CT_R.text reads, each leaf turned into text by its own __str__
        self.leaves = tuple(qn(f"w:{name}") for name in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def _continues_a_merge(tc) -> bool:
    """A cell that only continues the one above it (vertically merged): read once, above."""
    return tc.vMerge == "continue"


def _paragraphs(container, tags: _Tags):
    """Paragraph elements in reading order, descending into tables, each cell once: a cell
    merged across columns is one <w:tc>, one merged down rows is continued by <w:tc>s
    marked vMerge. The elements python-docx's iter_inner_content reads (w:p, w:tbl), walked
    without a Paragraph or Table object each (not `row.cells` either: it rebuilds the whole
    table's grid for every row). Iterative: tables nested in cells cannot recurse too deep."""
    stack = [container.iterchildren(tags.p, tags.tbl)]
    while stack:
        block = next(stack[-1], None)
        if block is None:
            stack.pop()
        elif block.tag == tags.p:
            yield block
        else:
            cells = (tc for tr in block.iterchildren(tags.tr) for tc in tr.iterchildren(tags.tc)
                     if not _continues_a_merge(tc))
            stack.append(child for tc in cells for child in tc.iterchildren(tags.p, tags.tbl))


def paragraph_text(p, tags: _Tags) -> str:
    """python-docx's `Paragraph.text` (runs and hyperlinks; tabs, breaks, hyphens), read with
    lxml's own iteration instead of an XPath query compiled for every run."""
    parts = []
    for child in p.iterchildren(tags.run, tags.hyperlink):
        for run in ((child,) if child.tag == tags.run else child.iterchildren(tags.run)):
            parts.extend(str(leaf) for leaf in run.iterchildren(*tags.leaves))
    return "".join(parts)


class TooLarge(Exception):
    """A .docx beyond what is read (a zip bomb, a generated monster): skipped, one warning."""


MAX_PARTS = 10_000  # files inside the zip: a report with images has dozens
MAX_UNPACKED = 256 * 1024 * 1024  # bytes of all parts unpacked (python-docx keeps every part in memory)
MAX_XML = 32 * 1024 * 1024  # bytes of XML unpacked (parsed whole: several times that in memory)
MAX_PARAGRAPHS = 300_000  # a 9 000-page document


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
        tags = _Tags()
        styles = _StyleLevels(word, tags)
        lines, levels = [], {}
        for number, p in enumerate(_paragraphs(body, tags), 1):
            text = paragraph_text(p, tags).replace("\r", " ").replace("\n", " ")
            lines.append(text)
            level = heading_level(p, styles) if text.strip() else None
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
