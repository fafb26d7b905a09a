"""Kind `copied`: passages left as the template or another report had them.

`check: template` (rule copied-from-template) compares each sentence of a report with the
sentences of the office's templates (config `templates:`, files or folders of .txt/.md/.docx,
read like any report) and of the packs' `copied_template_passages`. `check: report` (rule
copied-from-report) reports a sentence that another report of the run has too (and, with
`compare: repository`, any report of the repository), and, inside a compilation (汇编), a
sentence that another piece of it has: the run's passage index (lint_reports.core.passages) is
built by the runner before the files are linted and hands each file its hits
(`doc.copied_hits`); this kind turns them into findings.

Sentences are compared normalised (widths, spaces and punctuation aside, numbers kept:
updated figures are no copy). Only a sentence of `min-chars` Chinese characters or more
counts, once the 公文 formulae (pack data `copied_formulae`, patterns on the normalised
text) are taken out of it; a sentence in more than `max-reports` reports is the wording
reports share. A template sentence that still holds one of its placeholders (××, 【单位】)
is a placeholder finding already: the engine drops a `copied` sentence that contains a
placeholder finding (`settle`), and merges the copied sentences of one line into one finding.

Failing example (rule copied-from-template; the sentence is a 范文 site's, pack data):

    心得体会是一种总结和反思的过程，通过思考和经验的积累，能够帮助我们更好地理解和应对生活中的各种问题。

Failing example (rule copied-from-report; a compilation whose second piece repeats the first):

    2023年工作总结汇编
    篇一：2022年工作总结
    全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决。
    篇二：2023年工作总结
    全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决。

Passing example (the figures were updated):

    篇二：2023年工作总结
    全年完成道路硬化改造工程，新修村组道路三十公里，群众出行难的问题得到根本解决。
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Optional

from ..config.settings import OptionKey, shown, str_list
from ..core import passages
from ..core.finding import RelatedLocation
from ..io.load import template_files

KIND = "copied"
PARAMS = {"check": str}
REQUIRED = ("check",)
CHECKS = ("template", "report")

DEFAULT_MIN_CHARS = 30
DEFAULT_MAX_REPORTS = 3
COPIED_KEYS = ("min-chars", "max-reports")


# --- the config's `templates:`, `compare:` and `copied:` (what ctx.options holds) ----------

def _apply_templates(options: dict, names, layer) -> None:
    """Template files or folders, relative to the config that names them; an extending
    config adds to the inherited ones."""
    for name in names:
        try:
            template = str((layer.base / name).resolve())
            found = os.path.exists(template)
        except (OSError, ValueError):  # a NUL byte, a name too long
            raise layer.error(layer.line, f"templates: not a usable path: {shown(name)}") from None
        if not found:
            raise layer.error(layer.line, f"templates: not found: {template}")
        if template not in options.setdefault("templates", []):
            options["templates"].append(template)


def _apply_compare(options: dict, value, layer) -> None:
    options["compare"] = value


def _apply_copied(options: dict, section, layer) -> None:
    """`copied: {min-chars: 30, max-reports: 3}`: whole numbers of 1 or more (max-reports 2
    or more: a sentence in one report only is never a copy)."""
    settings = {}
    for key, value in section.items():
        line = layer.line_of(section, key)
        if key not in COPIED_KEYS:
            raise layer.error(line, f"copied: unknown key '{shown(key)}' (allowed: {', '.join(COPIED_KEYS)})")
        low = 2 if key == "max-reports" else 1
        if type(value) is not int or value < low:
            raise layer.error(line, f"copied.{key} must be a whole number of {low} or more")
        settings[key] = value
    options.update(settings)


OPTIONS = {
    "templates": OptionKey(lambda v: str_list(v) and all(p.strip() for p in v),
                           "a list of template files or folders (.txt/.md/.docx)", _apply_templates),
    "compare": OptionKey(lambda v: v in ("run", "repository"), "'run' (the files of the run) or 'repository'",
                         _apply_compare),
    "copied": OptionKey(lambda v: isinstance(v, dict), "a mapping (min-chars, max-reports)", _apply_copied),
}


def named_files(options) -> list:
    """Every template file: what copied-from-template compares with."""
    return list(template_files(options["templates"])) if options.get("templates") else []
PACK_PASSAGES = "copied_template_passages"  # where a pack-data passage comes from
MAX_RELATED = 5  # other places named per finding: the first are enough to go and look


@dataclass
class State:
    check: str
    formulae: list  # compiled patterns on normalised text
    pack_passages: dict  # digest -> 1-based index in copied_template_passages
    pack_ideographs: tuple  # per pack passage sentence, the ideographs its normal form has


def prepare(rule, data) -> None:
    check = rule.params.get("check")
    if check not in CHECKS:
        raise ValueError(f"'check' must be one of {', '.join(CHECKS)}")
    formulae = []
    for pattern in data.get("copied_formulae", []) or []:
        if not isinstance(pattern, str) or not pattern:
            raise ValueError("copied_formulae must be a list of patterns")
        try:
            formulae.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"copied_formulae: bad pattern {pattern!r}: {exc}") from None
    if formulae:  # one pass over a sentence for all of them
        formulae = [re.compile("|".join(f"(?:{f.pattern})" for f in formulae))]
    pack_passages = {}
    pack_ideographs = set()
    for number, text in enumerate(data.get("copied_template_passages", []) or [], 1):
        if not isinstance(text, str):
            raise ValueError("copied_template_passages must be a list of strings")
        for sentence in _text_sentences(text):
            pack_passages.setdefault(passages.digest(sentence), number)
            pack_ideographs.add("".join(sorted(set(_IDEOGRAPH.findall(sentence)))))
    rule.state = State(check, formulae, pack_passages, tuple(sorted(pack_ideographs)))


def _text_sentences(text: str):
    from ..core.document import Document

    return [s.normal for s in passages.sentences(Document("passage.txt", text))]


def options(copied) -> tuple:
    """(min-chars, max-reports) of the kind's options (the config's `copied:`)."""
    return copied.get("min-chars", DEFAULT_MIN_CHARS), copied.get("max-reports", DEFAULT_MAX_REPORTS)


def release(doc) -> None:
    """Drop the document's sentence record once the kind's last rule has run (the engine
    calls it): no other kind reads it, and on a big file it is a large share of the memory
    the rules after it would otherwise find taken."""
    doc.copied_record = None


def check(ctx, rule):
    doc = ctx.doc
    state = rule.state
    min_chars, max_reports = options(ctx.options)
    if state.check == "template":
        yield from _template_findings(doc, rule, min_chars, ctx.options)
        return
    yield from _hit_findings(doc, rule, doc.copied_hits)
    yield from _hit_findings(doc, rule, _piece_hits(doc, state, min_chars, max_reports), pieces=True)


# --- templates -------------------------------------------------------------------------

def _template_findings(doc, rule, min_chars: int, copied):
    state = rule.state
    index = template_index(tuple(copied.get("templates", ())), min_chars, state.formulae)
    if not index and not state.pack_passages:
        return
    if not index and doc.copied_record is None and not _may_hold_pack_passage(doc.prose, state.pack_ideographs):
        return  # (the pack's few passages alone: most documents lack some character of each)
    for key, _line, start, end, *_ in own_record(doc, min_chars, state.formulae).sentences:
        where = index.get(key)
        if where is not None:
            name, line = where
            title = PurePath(name).stem
            place = RelatedLocation(name, line, 1, "模板中的原文")
        else:
            line = state.pack_passages.get(key)
            if line is None:
                continue
            title = "规则包范文"  # line: the passage's number in the list
            # no file to open: a place with no path, its message says where it is
            place = RelatedLocation("", line, 1, f"规则包范文第{line}条（{PACK_PASSAGES}）")
        message = rule.message.replace("{template}", title).replace("{line}", str(line))
        finding = rule.finding(doc, start, end, message)
        finding.related = (place,)
        yield finding


def own_record(doc, min_chars: int, formulae) -> passages.Record:
    """The document's substantial sentences, each where it stands (passages.record_of): the
    record the run's passage pass built when the file was read for the index (core.runner
    hands it on), else built here, once for every copied rule of the file."""
    record = doc.copied_record
    if record is None:
        record = doc.copied_record = passages.record_of(doc, min_chars, formulae, None)
    return record


_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Every character NFKC turns into text holding an ideograph (Kangxi radicals, compatibility
# and enclosed ideographs, squared words, Hangzhou numerals, kanbun marks: 1 340 code points
# in these blocks, tests/test_copied.py checks against unicodedata).
_BECOMES_IDEOGRAPH = re.compile("[\u2e80-\u2fff\u3038-\u303a\u3190-\u319f\u3200-\u33ff\uf900-\ufaff"
                                "\U0001f200-\U0001f2ff\U0002f800-\U0002fa1f]")


def _may_hold_pack_passage(prose: str, pack_ideographs: tuple) -> bool:
    """False when no sentence of `prose` can normalise to a pack passage's sentence: each
    of those misses an ideograph the prose lacks, and nothing in the prose becomes one
    under normalisation (a <U+XXXX> escape, a compatibility ideograph: then say True and
    let the sentences be compared)."""
    if "<U+" in prose or _BECOMES_IDEOGRAPH.search(prose):
        return True
    return any(all(ideograph in prose for ideograph in ideographs) for ideographs in pack_ideographs)


_TEMPLATE_CACHE: dict = {}


class TemplateError(Exception):
    """A template that cannot be read or decoded: one line naming it."""


def _load_template(path: Path):
    from ..io import safeio
    from ..core.document import DecodeError
    from ..io.load import MAX_BYTES, load_document  # the reading every report gets
    from ..io.docx import TooLarge, WordUnavailable

    try:
        data = safeio.read_regular(path, MAX_BYTES).data
        return load_document(str(path), data)
    except OSError as exc:
        raise TemplateError(f"cannot read template {path}: {getattr(exc, 'strerror', None) or exc}") from None
    except (DecodeError, WordUnavailable, TooLarge) as exc:
        raise TemplateError(f"cannot read template {path}: {exc}") from None


def template_index(paths: tuple, min_chars: int, formulae) -> dict:
    """digest -> (template path as shown, line) of the templates' substantial sentences;
    built once per process for a set of templates as they are on disk (a template edited
    during a language-server session is read again)."""
    if not paths:
        return {}
    files = template_files(paths)
    stamp = []
    for path in files:
        try:
            info = path.stat()
            stamp.append((str(path), info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((str(path), 0, 0))
    key = (tuple(stamp), min_chars, tuple(f.pattern for f in formulae))
    cached = _TEMPLATE_CACHE.get(key)
    if cached is not None:
        return cached
    index: dict = {}
    for path in files:
        try:
            template = _load_template(path)
        except TemplateError:
            continue  # validate_config said so when the run started; a later change is skipped
        shown = _shown(path)
        for key, line, *_ in passages.record_of(template, min_chars, formulae, None).sentences:
            index.setdefault(key, (shown, line))
    _TEMPLATE_CACHE.clear()  # one set of templates per config in practice: keep the latest
    _TEMPLATE_CACHE[key] = index
    return index


def _shown(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
        return rel if not rel.startswith("..") else str(path)
    except ValueError:
        return str(path)


def validate_config(config, data: dict) -> None:
    """Every template named can be read and decoded: else one line naming the config line."""
    from ..config.settings import ConfigError

    templates = config.options_of(KIND).get("templates", ())
    if not templates:
        return
    source, line = config.lines.get("templates", (config.path, 0))
    for path in template_files(templates):
        try:
            _load_template(path)
        except TemplateError as exc:
            raise ConfigError(source or "config", line, f"templates: {exc}") from None


# --- other reports -----------------------------------------------------------------------

def _hit_findings(doc, rule, hits, pieces: bool = False):
    """A finding per hit, naming the other places. The other places of a compilation's
    piece are lines of this very file (named `title#line` in the pieces' index): their
    related location is this file, so that an editor, a SARIF viewer and the HTML report
    can go there, and its message names the piece."""
    text = doc.text
    for hit in hits:
        if hit.end > len(text) or passages.digest(passages.normalise(text[hit.start:hit.end])) != hit.digest:
            continue  # the text changed since the index was built (a --fix re-lint): no claim
        path, line, year = hit.others[0]
        finding = rule.finding(doc, hit.start, hit.end, report_message(rule.message, path, line, year, hit.year))
        finding.related = tuple(RelatedLocation(doc.path if pieces else p, n, 1,
                                                _related_message(y, _report_name(p) if pieces else None))
                                for p, n, y in hit.others[:MAX_RELATED])
        yield finding


def report_message(template: str, path: str, line: int, other_year: Optional[int], own_year: Optional[int]) -> str:
    if other_year is not None and own_year is not None and other_year < own_year:
        question = "去年的文字原样照搬？" if own_year - other_year == 1 else f"{other_year}年的文字原样照搬？"
    else:
        question = "是否原样照搬？"
    name = _report_name(path)
    return template.replace("{other}", name).replace("{line}", str(line)).replace("{question}", question)


def _report_name(path: str) -> str:
    if "#" in path and path.rsplit("#", 1)[1].isdigit():  # a piece of a compilation
        return path.rsplit("#", 1)[0]
    return PurePath(path).stem


def _related_message(year: Optional[int], piece: Optional[str] = None) -> str:
    where = f"《{piece}》中" if piece else ""
    return f"{where}相同的句子（{year}年）" if year else f"{where}相同的句子"


def _piece_hits(doc, state, min_chars: int, max_reports: int) -> list:
    """Hits between the pieces of a compilation: each piece is a report of its own."""
    structure = doc.structure
    if not structure.is_compilation:
        return []
    parts = structure.parts
    if len(parts) < 2:
        return []
    from ..core.year import decide, year_in_title

    title_year = year_in_title(structure.title[1])
    index = passages.PassageIndex()
    names = []
    whole = own_record(doc, min_chars, state.formulae)
    for part in parts:
        record = passages.piece_record(whole, part.start_line, part.end_line, decide(doc, part, [], title_year).year)
        title = (part.title or "").strip() or f"第{part.start_line}行起的一篇"
        name = f"{title}#{part.start_line}"
        names.append(name)
        index.add(name, record)
    found = []
    for name in names:
        found += index.hits(name, max_reports)
    return found


# --- the run's side: records for the index, and the engine's last word ------------------

def report_rule(linter):
    """The copied-from-report rule (kind copied, check report) of `linter`, or None."""
    return next((rule for rule in linter.rules if rule.kind == KIND and rule.state.check == "report"), None)


def record(linter, doc, rel: str, rule) -> passages.Record:
    """A file's part of the run's index."""
    from ..core.year import decide, parts_of, year_in_title

    settings = linter.settings_for(rel)
    min_chars, _ = options(settings.options.get(KIND, {}))
    settings.fix_year(doc)
    parts = parts_of(doc)
    year = decide(doc, parts[0], [], year_in_title(doc.structure.title[1])).year if len(parts) == 1 else \
        (doc.configured_year or year_in_title(doc.structure.title[1]))
    return passages.record_of(doc, min_chars, rule.state.formulae, year)


def settle(findings: list) -> list:
    """Called by the engine on a file's findings: a copied sentence holding a placeholder
    finding is that finding's (its template slot was left unfilled: reported once), and the
    copied sentences of one line and rule become one finding."""
    copied = [f for f in findings if f.category == KIND]
    if not copied:
        return findings
    holes = sorted((f.start, f.end) for f in findings if f.category == "placeholder")
    kept = [f for f in findings if f.category != KIND]
    merged: dict = {}
    for finding in sorted(copied, key=lambda f: (f.rule, f.line, f.start)):
        if any(finding.start <= start and end <= finding.end for start, end in holes):
            continue
        key = (finding.rule, finding.line)
        first = merged.get(key)
        if first is None:
            merged[key] = finding
            continue
        first.end = max(first.end, finding.end)
        first.end_column = max(first.end_column, finding.end_column)
        first.related = first.related + tuple(r for r in finding.related if r not in first.related)
    for finding in merged.values():
        finding.related = finding.related[:MAX_RELATED]
    return kept + list(merged.values())
