"""The HTML report in a real browser: Debian's chromium, headless, driven by Playwright.

Skipped when /usr/bin/chromium or the playwright package is absent (`.ci/run` installs
chromium and fonts-noto-cjk; playwright comes with the `test` extra). Never downloads a
browser: Playwright is pointed at the system chromium.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import CORPUS, SEEDS, cli_json, run_cli

CHROMIUM = Path(os.environ.get("LINT_REPORTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("LINT_REPORTS_SCREENSHOTS", "")) if os.environ.get("LINT_REPORTS_SCREENSHOTS") else None

pytestmark = pytest.mark.slow

INJECTED = """xx区2023年工作总结
<script>window.__pwned = "script"</script>
<img src=x onerror="window.__pwned = 'img'">**县
</textarea></template></script><script>window.__pwned = "close"</script>
<svg onload="window.__pwned = 'svg'"></svg> 由x任组长
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, html_path: Path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("request", lambda request: problems.append(f"request: {request.url}")
            if not request.url.startswith(("file:", "data:", "about:")) else None)
    page.goto(html_path.as_uri())
    return page, problems


def _shot(page, tmp_path: Path, name: str) -> Path:
    path = (SCREENSHOTS or tmp_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return path


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    for seed in sorted(SEEDS.iterdir()):
        shutil.copy(seed, folder / seed.name)
    (folder / "zz_injected.txt").write_text(INJECTED, encoding="utf-8")
    result = run_cli("--format", "html", str(folder))
    assert result.returncode == 1, result.stderr
    html_path = folder.parent / "report.html"
    html_path.write_text(result.stdout, encoding="utf-8")
    return folder, html_path, cli_json(str(folder))


def test_seed_report_shows_every_finding_in_place(browser, seed_report, tmp_path):
    folder, html_path, findings = seed_report
    page, problems = _open(browser, html_path)
    # what the window shows is drawn at load, before any scrolling (a double-click shows text)
    first_slot = page.locator(".slot").first
    assert first_slot.locator(".src .hl").count() > 0
    page.evaluate("window.lintReport.renderAll()")
    assert page.locator(".hl").count() == len(findings) > 90
    got = page.eval_on_selector_all(".hl", "els => els.map(e => [e.dataset.rule, +e.dataset.line, +e.dataset.column])")
    assert sorted(map(tuple, got)) == sorted((f["rule"], f["line"], f["column"]) for f in findings)
    # each rendered file reads exactly as the file's decoded text
    from lint_reports.document import Document

    texts = page.eval_on_selector_all(".slot", "els => els.map(e => [+e.dataset.file, e.querySelector('.src').textContent])")
    paths = list(dict.fromkeys(f["path"] for f in findings))
    assert len(texts) == len(paths)
    for k, text in texts:
        assert text == Document.from_bytes(paths[k], Path(paths[k]).read_bytes()).text, paths[k]
    # the highlighted characters are the flagged ones
    first = page.locator('.hl[data-rule="placeholder-x"]').first
    assert first.text_content().lower().startswith(("x", "×", "ｘ"))
    assert page.evaluate("window.__pwned") is None, "an injected script ran"
    assert problems == []
    shot = _shot(page, tmp_path, "seeds-summary.png")
    assert shot.stat().st_size > 10_000


def test_filters_hide_and_show_highlights(browser, seed_report):
    _, html_path, findings = seed_report
    page, problems = _open(browser, html_path)
    page.evaluate("window.lintReport.renderAll()")
    placeholders = sum(1 for f in findings if f["category"] == "placeholder")
    assert placeholders
    shown = page.locator("#shown")
    assert shown.text_content() == f"显示 {len(findings)} / {len(findings)} 处"
    box = page.locator('input[data-filter="category"][value="placeholder"]')
    box.uncheck()
    assert page.locator('.hl.off[data-category="placeholder"]').count() == placeholders
    assert page.locator('.hl:not(.off)[data-category="placeholder"]').count() == 0
    assert page.locator('.hl.off:not([data-category="placeholder"])').count() == 0
    background = page.locator('mark.hl[data-category="placeholder"]').first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert background in ("rgba(0, 0, 0, 0)", "transparent")
    assert shown.text_content() == f"显示 {len(findings) - placeholders} / {len(findings)} 处"
    # navigation skips what is filtered out
    page.locator("#next").click()
    assert page.evaluate("document.activeElement.dataset.category") != "placeholder"
    box.check()
    assert page.locator(".hl.off").count() == 0
    errors = sum(1 for f in findings if f["severity"] == "error")
    page.locator('input[data-filter="severity"][value="error"]').uncheck()
    assert page.locator(".hl.off").count() == errors
    assert problems == []


def test_next_previous_and_tooltip_by_keyboard(browser, seed_report, tmp_path):
    _, html_path, findings = seed_report
    page, problems = _open(browser, html_path)
    page.locator("#next").click()
    # the page lists files and findings in the order the JSON output does
    active = page.evaluate("(e => [e.dataset.i, e.dataset.rule, +e.dataset.line, +e.dataset.column])(document.activeElement)")
    assert active == ["0", findings[0]["rule"], findings[0]["line"], findings[0]["column"]]
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert findings[0]["message"] in tip.text_content()
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.dataset.i") == "1"
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.dataset.i") == "0"
    page.keyboard.press("p")  # wraps to the last one, rendering its file on demand
    assert page.evaluate("document.activeElement.dataset.i") == str(len(findings) - 1)
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    # a finding with a fix shows it
    fixable = page.locator('.hl[data-rule="artifact-link-list"]').first
    fixable.scroll_into_view_if_needed()
    fixable.hover()
    assert tip.is_visible() and "建议：删除整行" in tip.text_content()
    _shot(page, tmp_path, "seeds-tooltip.png")
    # Tab reaches highlights
    page.locator("#next").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('hl') || document.activeElement.tagName") in (True, "A", "SUMMARY")
    assert problems == []


def test_two_hundred_files_five_megabytes_open_without_freezing(browser, tmp_path):
    sources = sorted(SEEDS.iterdir()) + sorted(CORPUS.glob("*.txt"))
    texts = [s.read_text(encoding="utf-8") for s in sources]
    folder = tmp_path / "many"
    folder.mkdir()
    total, k = 0, 0
    while k < 200:
        text = texts[k % len(texts)]
        body = (text + "\n") * max(1, 26_000 // len(text.encode())) + f"20xx年第{k}份\n"  # a finding in every file
        (folder / f"report_{k:03d}.txt").write_text(body, encoding="utf-8")
        total += len(body.encode())
        k += 1
    assert total >= 5_000_000
    result = run_cli("--format", "html", str(folder))
    html_path = tmp_path / "many.html"
    html_path.write_text(result.stdout, encoding="utf-8")
    page, problems = _open(browser, html_path)
    page.evaluate("""() => { window.__longest = 0; new PerformanceObserver(list => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
        .observe({type: "longtask", buffered: true}); }""")
    started = time.monotonic()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.locator("#next").click()
    page.keyboard.press("p")  # jump to the very last finding
    responsive = time.monotonic() - started
    assert page.evaluate("document.activeElement.dataset.i") == str(page.evaluate("window.lintReport.findings.length") - 1)
    longest = page.evaluate("window.__longest")
    print(f"200 files, {len(result.stdout.encode()) / 1e6:.1f} MB page: jump to the last finding in "
          f"{responsive:.2f}s, longest task {longest:.0f} ms")
    assert responsive < 10, f"interaction took {responsive:.1f}s"
    assert longest < 3000, f"a task blocked the page for {longest:.0f} ms"
    assert problems == []
