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


def _open(browser, html_path: Path, width: int = 1200):
    page = browser.new_page(viewport={"width": width, "height": 900})
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
    from lint_reports.io.load import load_document

    texts = page.eval_on_selector_all(".slot", "els => els.map(e => [+e.dataset.file, "
                                      "Array.from(e.querySelectorAll('.src .l'), l => l.textContent).join('')])")
    paths = list(dict.fromkeys(f["path"] for f in findings))
    assert len(texts) == len(paths)
    for k, text in texts:
        assert text == load_document(paths[k], Path(paths[k]).read_bytes()).text, paths[k]
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
    # with the notes shown the finding's note is marked, and no tip covers the notes
    assert not tip.is_visible()
    if not findings[0].get("whole_document"):
        assert page.locator('.note.current').count() <= 1
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.dataset.i") == "1"
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.dataset.i") == "0"
    page.keyboard.press("p")  # wraps to the last one, rendering its file on demand
    assert page.evaluate("document.activeElement.dataset.i") == str(len(findings) - 1)
    # "only on hover": the tip says it all
    page.locator('input[name="notes"][value="off"]').check()
    assert page.locator(".note").first.is_hidden()
    page.locator("#next").click()  # (keys typed in the radio button are the radio's)
    assert page.evaluate("document.activeElement.dataset.i") == "0"
    assert tip.is_visible() and findings[0]["message"] in tip.text_content()
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
    assert page.evaluate("document.activeElement.classList.contains('hl') || document.activeElement.tagName") in (True, "A", "SUMMARY", "INPUT")
    assert problems == []


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, "not laid out"
    return box


def _landed_below_the_bar(page, element) -> tuple:
    """(top of `element`, bottom of the bar), checked: the element is not under the bar, and
    it is right below it, unless the page could not scroll further (its last file)."""
    bar = _box(page.locator(".toolbar"))
    top, bar_bottom = _box(element)["y"], bar["y"] + bar["height"]
    at_end = page.evaluate("Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight")
    assert bar_bottom <= top and (top < bar_bottom + 40 or at_end), (top, bar_bottom)
    return top, bar_bottom


def _settle(page):
    """Wait until the page stops scrolling: the report draws a file's lines on demand and then
    scrolls, which on a loaded machine takes longer than a frame or two. Returns once scrollY has
    held still for several frames (or after 10 s, and the caller's assertion then reports it)."""
    page.evaluate("""() => new Promise(resolve => {
        let last = -1, still = 0;
        const deadline = performance.now() + 10000;
        const tick = () => {
            still = (scrollY === last) ? still + 1 : 0;
            last = scrollY;
            if (still >= 8 || performance.now() > deadline) { setTimeout(resolve, 50); return; }
            requestAnimationFrame(tick);
        };
        setTimeout(() => requestAnimationFrame(tick), 100);
    })""")


@pytest.mark.parametrize("width", [1200, 640])  # at 640 px the bar takes three rows
def test_a_file_jumped_to_is_not_hidden_under_the_bar(browser, seed_report, tmp_path, width):
    _, html_path, findings = seed_report
    page, problems = _open(browser, html_path, width=width)
    bar = page.locator(".toolbar")
    files = page.locator("ol.files a")
    assert files.count() >= 5
    for index in (files.count() - 1, 2):  # the file list's links: same-page anchors
        link = files.nth(index)
        target = link.get_attribute("href")
        link.click()
        _settle(page)
        _landed_below_the_bar(page, page.locator(f"{target} h2"))
    # a link opened from outside, with the anchor in the address
    page.goto(html_path.as_uri() + "#file-3")
    _settle(page)
    top, bar_bottom = _landed_below_the_bar(page, page.locator("#file-3 h2"))
    assert top < bar_bottom + 40
    _shot(page, tmp_path, f"jump-to-file-{width}.png")
    # a link to a line of a file not drawn yet (the lists' links, copied from the address bar)
    line_id = page.locator("#file-3 details.flist a").nth(1).get_attribute("href")[1:]
    page.goto("about:blank")
    page.goto(html_path.as_uri() + "#" + line_id)  # a fresh load: only the first files are drawn
    _settle(page)
    _landed_below_the_bar(page, page.locator(f"#{line_id}"))
    # a finding list's link to its line: the line shows below the bar
    page.locator("#file-3 details.flist summary").click()
    page.locator("#file-3 details.flist a").nth(3).click()
    _settle(page)
    active = page.evaluate("(b => b.getBoundingClientRect().top)(document.activeElement)")
    assert active >= _box(bar)["y"] + _box(bar)["height"]
    assert problems == []


def _notes_and_lines(page) -> list:
    """For each note shown: its box and the box of the text line it follows."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.notes')).filter(n => n.offsetParent)
        .map(n => { const l = n.previousElementSibling, a = n.getBoundingClientRect(), b = l.getBoundingClientRect();
                    return {note: [a.left, a.top, a.right, a.bottom], line: [b.left, b.top, b.right, b.bottom],
                            isLine: l.classList.contains('l'), file: n.closest('.slot').dataset.file}; })""")


def test_each_message_is_readable_without_hovering_beside_or_under_its_line(browser, seed_report, tmp_path):
    _, html_path, findings = seed_report
    page, problems = _open(browser, html_path)
    page.evaluate("window.lintReport.renderAll()")
    # every message is on the page: in a note by its line, or in the banner of a
    # whole-document finding; every mark in a line has a note
    shown = " ".join(page.eval_on_selector_all(".note, .banner", "els => els.map(e => e.textContent)"))
    for f in findings:
        assert f["message"] in shown, f
    assert page.evaluate("""() => Array.from(document.querySelectorAll('.l mark.hl')).every(m =>
        m.closest('.l').nextElementSibling.classList.contains('notes'))""")
    # side notes (the default): right of the text, beside their line, never overlapping
    assert page.evaluate("document.body.dataset.notes") == "side"
    boxes = _notes_and_lines(page)
    assert boxes and all(b["isLine"] for b in boxes)
    for b in boxes:
        note, line = b["note"], b["line"]
        assert note[0] >= line[2] - 1 and line[1] - 1 <= note[1] and note[3] <= line[3] + 1, b
    for file in {b["file"] for b in boxes}:  # (files off screen are placed apart only when drawn)
        tops = sorted((b["note"][1], b["note"][3]) for b in boxes if b["file"] == file)
        assert all(lower[1] <= upper[0] + 1 for lower, upper in zip(tops, tops[1:])), "notes overlap"
    # a paragraph taller than the window keeps its notes in view while it is read
    tallest = page.evaluate("""() => { let best = null; document.querySelectorAll('.l[id]').forEach(l => {
        if (!best || l.offsetHeight > best.offsetHeight) best = l; }); return best.id; }""")
    page.evaluate(f"(l => {{ l.scrollIntoView(); window.scrollBy(0, l.offsetHeight / 2); }})(document.getElementById('{tallest}'))")
    _settle(page)
    line = _box(page.locator(f"#{tallest}"))
    note = _box(page.locator(f"#{tallest} + .notes"))
    bar = _box(page.locator(".toolbar"))
    assert line["y"] < bar["y"] + bar["height"] and line["height"] > 900 * 0.6, "a line taller than the window"
    assert bar["y"] + bar["height"] <= note["y"] < bar["y"] + bar["height"] + 20
    _shot(page, tmp_path, "notes-side.png")
    # ... and only along it: further down, the next lines' notes are not covered
    page.evaluate(f"(l => window.scrollBy(0, l.getBoundingClientRect().bottom - 200))(document.getElementById('{tallest}'))")
    _settle(page)
    stuck = _box(page.locator(f"#{tallest} + .notes"))
    assert stuck["y"] + stuck["height"] <= _box(page.locator(f"#{tallest}"))["y"] + _box(page.locator(f"#{tallest}"))["height"] + 1
    for file in {b["file"] for b in _notes_and_lines(page)}:
        tops = sorted((b["note"][1], b["note"][3]) for b in _notes_and_lines(page) if b["file"] == file)
        assert all(lower[1] <= upper[0] + 1 for lower, upper in zip(tops, tops[1:])), "notes overlap"
    _shot(page, tmp_path, "notes-side-after-a-long-line.png")
    # inline notes: under their line, indented like the text
    page.locator('input[name="notes"][value="inline"]').check()
    for b in _notes_and_lines(page):
        note, line = b["note"], b["line"]
        assert note[1] >= line[3] - 1 and note[0] >= line[0] + 20, b
    page.locator(".note").nth(5).scroll_into_view_if_needed()
    _shot(page, tmp_path, "notes-inline.png")
    # the choice is kept for the next report opened
    page.reload()
    assert page.evaluate("document.body.dataset.notes") == "inline"
    assert page.locator('input[name="notes"][value="inline"]').is_checked()
    page.evaluate("localStorage.clear()")
    # a note points at its mark: hovering one lights the other
    note = page.locator(".note").first
    note.scroll_into_view_if_needed()
    note.hover()
    index = note.get_attribute("data-i")
    assert "lit" in page.locator(f'.hl[data-i="{index}"]').get_attribute("class")
    # copying a file's lines copies its text, not the notes
    copied = page.evaluate("""() => { const src = document.querySelector('.slot .src'); const r = document.createRange();
        r.selectNodeContents(src); const s = getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); }""")
    assert "placeholder-" not in copied and copied.strip()
    assert problems == []


def test_without_javascript_text_highlights_and_notes_show_and_dead_controls_do_not(browser, seed_report, tmp_path):
    from lint_reports.io.load import load_document

    _, html_path, findings = seed_report
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url) if not request.url.startswith("file:") else None)
    page.goto(html_path.as_uri())
    assert page.evaluate("1 + 1") == 2  # (Playwright's own evaluation still runs)
    assert page.locator(".hl").count() == len(findings)
    texts = page.eval_on_selector_all(".slot", "els => els.map(e => [+e.dataset.file, "
                                      "Array.from(e.querySelectorAll('.src .l'), l => l.textContent).join('')])")
    paths = list(dict.fromkeys(f["path"] for f in findings))
    assert len(texts) == len(paths)
    for k, text in texts:
        assert text == load_document(paths[k], Path(paths[k]).read_bytes()).text, paths[k]
    # the highlights are coloured, the notes beside them readable
    first = page.locator('mark.hl[data-severity="error"]').first
    assert first.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator(".note").first.is_visible()
    # the controls that need the script are not there to be clicked
    assert page.locator(".toolbar").is_hidden() and page.locator("#tip").is_hidden()
    assert page.evaluate("document.querySelectorAll('[tabindex]').length") == 0
    assert page.locator(".noscript").is_visible()
    _shot(page, tmp_path, "no-javascript-top.png")
    # a finding list's link goes to the flagged line
    page.locator("#file-1 details.flist summary").click()
    link = page.locator("#file-1 details.flist a").nth(2)
    target = link.get_attribute("href")
    assert target.startswith("#L1-")
    link.click()
    line_top = _box(page.locator(target))["y"]
    assert 0 <= line_top < 60
    _shot(page, tmp_path, "no-javascript-line.png")
    assert requests == []
    context.close()


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


COPIED_SENTENCE = "全年完成道路硬化改造工程，新修村组道路二十公里，群众出行难的问题得到根本解决，村容村貌明显改善。"


@pytest.fixture(scope="module")
def copied_report(tmp_path_factory):
    """A 2025 summary (first file) carrying a sentence of the 2024 one (last file, line 61,
    behind the seeds): the copy's note links to the original line, far down the page (drawn
    at load or not: the idle drawing races the click)."""
    folder = tmp_path_factory.mktemp("copied")
    (folder / "a_2025年工作总结.txt").write_text(f"2025年工作总结\n今年以来，我们扎实推进各项工作。\n{COPIED_SENTENCE}\n",
                                             encoding="utf-8")
    for seed in sorted(SEEDS.iterdir()):
        shutil.copy(seed, folder / f"m_{seed.name}")
    body = "".join(f"第{n}项：组织开展第{n}次专题调研，形成调研报告一份。\n" for n in range(1, 60))
    (folder / "z_2024年工作总结.txt").write_text(f"2024年工作总结\n{body}{COPIED_SENTENCE}\n" + "".join(f"附{n}：第{n}项调研报告另附。\n" for n in range(30)),
                                             encoding="utf-8")
    result = run_cli("--format", "html", str(folder))
    assert result.returncode == 1, result.stderr
    html_path = folder.parent / "copied.html"
    html_path.write_text(result.stdout, encoding="utf-8")
    return html_path


@pytest.mark.parametrize("width", [1200, 640])
def test_a_copied_passage_links_to_the_original_line_in_another_file(browser, copied_report, tmp_path, width):
    page, problems = _open(browser, copied_report, width=width)
    link = page.locator(".note a.rel").first
    target = link.get_attribute("href")
    assert target.startswith("#L") and target.endswith("-61")
    assert "z_2024年工作总结.txt 第 61 行" in link.text_content()
    _shot(page, tmp_path, f"copied-note-{width}.png")
    link.click()
    _settle(page)
    line = page.locator(target)
    top, _ = _landed_below_the_bar(page, line)
    assert top + _box(line)["height"] <= 900, "the line is in the window"
    assert line.text_content() == COPIED_SENTENCE + "\n"
    assert line.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 249, 196)"  # :target
    _shot(page, tmp_path, f"copied-link-{width}.png")
    # "only on hover": the tip has the same link
    page.goto(copied_report.as_uri())
    page.locator('input[name="notes"][value="off"]').check()
    page.locator('.hl[data-rule="copied-from-report"]').first.click()
    tip_link = page.locator("#tip a.rel")
    assert tip_link.get_attribute("href") == target
    tip_link.click()
    _settle(page)
    _landed_below_the_bar(page, page.locator(target))
    assert page.locator("#tip").is_hidden()
    page.evaluate("localStorage.clear()")
    assert problems == []


def test_without_javascript_a_copied_passage_links_to_the_original_line(browser, copied_report, tmp_path):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(copied_report.as_uri())
    link = page.locator(".note a.rel").first
    target = link.get_attribute("href")
    link.click()
    line = page.locator(target)
    assert 0 <= _box(line)["y"] < 60 and line.text_content() == COPIED_SENTENCE + "\n"
    _shot(page, tmp_path, "copied-link-no-javascript.png")
    context.close()
