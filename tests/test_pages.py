"""Real pages with their furniture marked (tests/pages/, format in tests/pagegold.py).

On every page: each piece of furniture has an artifact finding, nothing in the body is flagged as
artifact/placeholder/outdated/repetition, and --fix removes the whole furniture lines while leaving
every body line (its text without the furniture pieces) in order, and no more doubled blank lines
than the page had."""
from __future__ import annotations

from pathlib import Path

import pytest

from pagegold import body_text, read_gold, score

PAGES = Path(__file__).resolve().parent / "pages"
FIXTURES = sorted(p for p in PAGES.glob("*.txt"))


@pytest.fixture(scope="module")
def page_linter():
    from lint_reports.config.settings import Config
    from lint_reports.core.engine import Linter

    return Linter(Config())


def _load(path: Path):
    from lint_reports.io.load import load_document

    data = path.read_bytes()
    return data, load_document(path.name, data)


@pytest.mark.parametrize("page", FIXTURES, ids=lambda p: p.stem)
def test_furniture_flagged_and_body_quiet(page, page_linter):
    data, doc = _load(page)
    gold = read_gold(page.with_suffix(".furniture"))
    result = score(doc.text, gold, page_linter.lint(doc, page.name))
    assert not result.missed, f"furniture not flagged: {result.missed}"
    assert not result.missed_blanks, f"blanks not flagged: {result.missed_blanks}"
    assert not result.body_alarms, "false alarms in the body: " + "; ".join(
        f"{f.line}:{f.column} {f.rule} {f.message}" for f in result.body_alarms)


@pytest.mark.parametrize("page", FIXTURES, ids=lambda p: p.stem)
def test_fix_removes_furniture_keeps_body(page, page_linter):
    from lint_reports.core.fix import fix_document

    data, doc = _load(page)
    gold = read_gold(page.with_suffix(".furniture"))
    fixed = fix_document(page_linter, doc, page.name, data).fixed.decode(doc.encoding or "utf-8")
    fixed_lines = [line.strip() for line in fixed.split("\n") if line.strip()]
    body = body_text(doc.text, gold)
    furniture = [doc.text.split("\n")[n - 1].strip() for n in sorted(gold.whole_lines)
                 if n <= len(doc.text.split("\n")) and doc.text.split("\n")[n - 1].strip()]
    # Body lines survive (other safe fixes may still change a character inside them, so compare
    # the count of body lines kept and the furniture lines gone, not the bytes).
    assert len(fixed_lines) == len(body), (
        f"expected {len(body)} body lines after --fix, got {len(fixed_lines)}")
    left = [line for line in furniture if line in fixed_lines and line not in body]
    assert not left, f"furniture left after --fix: {left}"
    # Deleting furniture lines must not join the blank lines around them into a longer gap.
    assert _doubled_blanks(fixed) <= _doubled_blanks(doc.text), "--fix left doubled blank lines"


def _doubled_blanks(text: str) -> int:
    """How many times a blank line follows a blank line."""
    blank = [not line.strip() for line in text.split("\n")]
    return sum(1 for before, after in zip(blank, blank[1:]) if before and after)


def test_every_fixture_has_gold_and_source():
    sources = (PAGES / "SOURCES.md").read_text(encoding="utf-8") if (PAGES / "SOURCES.md").exists() else ""
    for page in FIXTURES:
        assert page.with_suffix(".furniture").is_file(), f"{page.name} has no .furniture file"
        assert page.name in sources, f"{page.name} is not in tests/pages/SOURCES.md"
