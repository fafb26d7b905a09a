"""`--format html`: one self-contained page a clerk opens by double-click.

Summary first (counts by category and severity, an inline-SVG bar chart, files by number of
findings), then every file with findings: its full text with line numbers and each finding
highlighted at its span (`<mark class="hl" data-rule data-category data-severity data-line
data-column data-end-column>`), whole-document findings as banners above the text.

Each finding's message is readable without hovering: beside its line (side notes, the
default; on a narrow window, and in print, under the line) or under it (inline notes), with
the rule id and the suggested fix; a switch in the toolbar picks the mode or hides the
notes (then hover, click or keyboard focus shows the same in a tip). Filters and
next/previous work offline.

Without JavaScript the page still shows every file's text with its highlights and notes
(the text sits in a `<noscript>`, see below); the controls that need the script (toolbar,
tip) are hidden by a `<noscript>` style, and the finding lists link to the flagged lines.

A finding that names other places (Finding.related: the other report a passage was copied
from, its template) lists them in its note and tip: a place in a file of this report is a
link to that line (`#L<file>-<line>`, the line given the id even when it has no finding of
its own; the script draws the files above it first, as for any line jumped to), any other
place (a file not in the report, a template) its path and line as plain text.

Safety and size:
- Every piece of document text goes through `html.escape`. Control characters, bidi
  overrides and line separators (which would reorder what the page shows, or are not
  allowed in XML) are shown as escapes (`\u202e`) in file names and messages, and as a
  marked escape (`<span class="cc">`) in a file's text. The page's own script and styles
  are pinned by hash in a Content-Security-Policy, so even a missed escape could not run an
  injected script, and `default-src 'none'` forbids any network access.
- Each file's highlighted text sits in a `<noscript>`: with scripting on, the browser reads
  it as plain text (nothing is laid out), and the script draws the file from it when it
  scrolls near the viewport (and, in idle time, the rest), so a 200-file / 5 MB run opens
  without laying out everything at once; with scripting off the browser shows it as it is.
  The file text is escaped, so it cannot close that element. Line numbers are CSS
  generated content: the text of a rendered file's lines is exactly the decoded file text
  (with those few characters shown as their escapes); the notes are not selectable, so
  copying lines copies the report's text.
- The page grows linearly: per line a `<div>`, per finding its mark, its note, its list
  entry and its data entry (tests/test_html_report.py bounds the bytes per finding).
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter, defaultdict
from html import escape
from typing import NamedTuple

from ..core.finding import CATEGORIES, SEVERITIES
from ..core.fix import NEVER_FIXED
from ..io.escape import UNSAFE_KEEPING_LAYOUT, escape_char, visible

CATEGORY_LABELS = {
    "placeholder": "占位符未替换",
    "artifact": "网页残留",
    "outdated": "过时提法",
    "section": "缺少部分",
    "repetition": "重复",
    "charset": "字符问题",
    "linebreak": "断行",
    "punctuation": "标点",
    "numbering": "序号",
    "date": "日期",
    "copied": "照搬原文",
}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_COLORS = {"error": "#c62828", "warning": "#e65100", "info": "#1565c0"}
SEVERITY_ORDER = tuple(reversed(SEVERITIES))  # error first

STYLE = r"""
:root{--err:#c62828;--warn:#e65100;--info:#1565c0;--bg:#fff;--fg:#1b1b1b;--muted:#666;--line:#e4e4e4}
*{box-sizing:border-box}
html{scroll-padding-top:calc(var(--bar,4.6rem) + .6rem);font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;color:var(--fg);background:var(--bg);line-height:1.6}
body{margin:0}
main{max-width:72rem;margin:0 auto;padding:0 1rem 4rem}
body[data-notes=side] main{max-width:94rem}
h1{font-size:1.5rem;margin:1.2rem 0 .4rem}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem}
code,.rule{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Noto Sans Mono CJK SC",monospace;font-size:.92em}
.totals{color:var(--muted);margin:0 0 1rem}
.summary{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
table.counts{border-collapse:collapse}
table.counts th,table.counts td{border:1px solid var(--line);padding:.2rem .6rem;text-align:right}
table.counts th:first-child,table.counts td:first-child{text-align:left}
table.counts thead th{background:#f6f6f6}
.chart text{font-size:12px;fill:#333}
ol.files{padding-left:1.5rem;columns:2 22rem;margin:.4rem 0}
ol.files li{break-inside:avoid}
.clean{color:var(--muted)}
.toolbar{position:sticky;top:0;z-index:5;background:rgba(255,255,255,.97);border-bottom:1px solid var(--line);padding:.4rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;font-size:.92rem}
.toolbar fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem;align-items:center}
.toolbar legend{float:left;font-weight:600;margin-right:.4rem}
.toolbar label{white-space:nowrap;cursor:pointer}
.toolbar button{font:inherit;padding:.15rem .7rem;border:1px solid #bbb;border-radius:4px;background:#fafafa;cursor:pointer}
.toolbar button:focus-visible,.hl:focus-visible,a:focus-visible{outline:3px solid #1a73e8;outline-offset:1px}
.shown{color:var(--muted)}
.toolbar .modes label{font-weight:400}
section.file{margin:2rem 0;content-visibility:auto;contain-intrinsic-size:auto 40rem}
section.file>header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;border-bottom:2px solid var(--line);padding-bottom:.3rem}
section.file>header h2{margin:0;font-size:1.1rem;word-break:break-all}
.badge{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.8rem;color:#fff;background:#777;white-space:nowrap}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}.badge.sev-info{background:var(--info)}
.banner{display:block;margin:.5rem 0;padding:.4rem .7rem;border-left:4px solid var(--warn);background:#fff4e5;cursor:pointer}
.banner.sev-error{border-color:var(--err);background:#fdecea}.banner.sev-info{border-color:var(--info);background:#e8f1fb}
.banner.off{display:none}
details.flist{margin:.4rem 0;font-size:.9rem}
details.flist ol{margin:.3rem 0;padding-left:1.6rem}
details.flist a{color:inherit}
.src{border:1px solid var(--line);border-radius:4px;padding:.4rem 0;font-size:1rem;background:#fcfcfc}
.l{position:relative;padding:0 .8rem 0 4.4rem;white-space:pre-wrap;overflow-wrap:anywhere;min-height:1.6em}
.l::before{content:attr(data-n);position:absolute;left:0;width:3.4rem;text-align:right;color:#999;font-family:ui-monospace,monospace;font-size:.8em;line-height:2em;user-select:none;-webkit-user-select:none}
.l.cur{background:#fff9c4}
.notes{font-size:.84rem;line-height:1.45;user-select:none;-webkit-user-select:none;min-width:0}
.note{margin:.12rem 0;padding:.08rem .5rem;border-left:3px solid var(--warn);background:#fff6ec;cursor:pointer;overflow-wrap:anywhere}
.note.sev-error{border-color:var(--err);background:#fdeeec}
.note.sev-info{border-color:var(--info);background:#edf3fb}
.note code{color:#555;margin-right:.35em}
.note .fix{color:#1b5e20}
.note .rel,#tip .tip-rel{display:block;color:#444}
.note a.rel,#tip a.rel{color:#0b57d0}
.l:target{background:#fff9c4}
.note.off{display:none}
.note.current{box-shadow:0 0 0 2px #1a73e8}
.note.lit,mark.lit{outline:2px solid #90caf9}
body[data-notes=side] .src{padding-right:24rem}
body[data-notes=side] .row{display:grid;grid-template-columns:minmax(0,1fr) 23.4rem;column-gap:.6rem;margin-right:-24rem}
body[data-notes=side] .row>.notes{padding:.1rem .6rem 0 0;align-self:start;position:sticky;top:calc(var(--bar,4.6rem) + .4rem)}
body[data-notes=inline] .notes{margin:.05rem .8rem .3rem 4.4rem}
body[data-notes=off] .notes{display:none}
@media (max-width:56rem){
  body[data-notes=side] .src{padding-right:0}
  body[data-notes=side] .row{display:block;margin-right:0}
  body[data-notes=side] .row>.notes{margin:.05rem .8rem .3rem 4.4rem;padding:0;position:static}
}
mark.hl,mark.hl-cont{color:inherit;background:rgba(230,81,0,.16);border-bottom:2px solid var(--warn);border-radius:2px;cursor:pointer}
mark[data-severity=error],mark.sev-error{background:rgba(198,40,40,.14);border-bottom-color:var(--err)}
mark[data-severity=info],mark.sev-info{background:rgba(21,101,192,.12);border-bottom:2px dotted var(--info)}
mark.empty::after{content:"\2038";color:var(--err);font-weight:700}
mark.off{background:none;border-bottom-color:transparent;cursor:auto}
mark.off.empty::after{content:none}
mark.current,.banner.current{box-shadow:0 0 0 2px #1a73e8}
#tip{position:absolute;z-index:10;max-width:min(32rem,92vw);background:#fff;border:1px solid #999;border-radius:6px;box-shadow:0 4px 18px rgba(0,0,0,.18);padding:.5rem .7rem;font-size:.92rem}
#tip[hidden]{display:none}
#tip .tip-head{display:flex;gap:.4rem;align-items:center;flex-wrap:wrap;margin-bottom:.2rem}
#tip .tip-fix{margin-top:.3rem;color:#1b5e20}
#tip .tip-pos{margin-top:.3rem;color:var(--muted);font-size:.85em}
.noscript{padding:.5rem .8rem;background:#f3f3f3;color:var(--muted);font-size:.9rem}
.cc{color:var(--err);font-family:ui-monospace,monospace;font-size:.85em}
@media print{
  .toolbar,#tip,.noscript{display:none!important}
  body[data-notes=side] .src{padding-right:0}
  body[data-notes=side] .row{display:block;margin-right:0}
  .notes{margin:.05rem 0 .3rem 4.4rem!important;padding:0!important;position:static!important}
  .note{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  main{max-width:none;padding:0}
  section.file{content-visibility:visible;break-before:page}
  .src{border:0;background:none}
  mark.hl,mark.hl-cont{-webkit-print-color-adjust:exact;print-color-adjust:exact;text-decoration:underline}
  body[data-notes=off] mark.hl::after{content:"〔" attr(data-rule) "〕";font-size:.7em;color:#555;vertical-align:super}
  mark.off::after,mark.off.hl::after{content:none}
  a{color:inherit;text-decoration:none}
}
"""

# Only without JavaScript: no toolbar or tip (their controls would do nothing), nothing that
# looks clickable, and no room kept for the bar. In a <noscript> in <head>, pinned by hash.
NOSCRIPT_STYLE = ":root{--bar:0px}.toolbar,#tip{display:none!important}.hl,.note,.banner{cursor:auto}"

SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lr-data").textContent);
  var findings = data.findings;
  var rendered = {};
  var hiddenCat = {}, hiddenSev = {};
  var current = -1, pinned = null;
  var tip = document.getElementById("tip");

  function isOff(i) { var f = findings[i]; return !!(hiddenCat[f.category] || hiddenSev[f.severity]); }

  function applyFilter(root) {
    var marks = (root || document).querySelectorAll("[data-i]");
    for (var k = 0; k < marks.length; k++) {
      var el = marks[k], off = isOff(+el.getAttribute("data-i"));
      el.classList.toggle("off", off);
      if (el.classList.contains("hl")) { el.tabIndex = off ? -1 : 0; }
    }
    var shown = 0;
    for (var i = 0; i < findings.length; i++) { if (!isOff(i)) { shown++; } }
    document.getElementById("shown").textContent = "显示 " + shown + " / " + findings.length + " 处";
  }

  // A file's text waits in a <noscript>, which the parser keeps as plain text while
  // scripting is on: drawing it is parsing that text (its own escaped markup) into the slot.
  function renderFile(k) {
    if (rendered[k]) { return; }
    var source = document.getElementById("t-" + k), slot = document.getElementById("slot-" + k);
    if (!source || !slot) { return; }
    rendered[k] = true;
    var markup = source.textContent;
    slot.innerHTML = markup;
    slot.style.minHeight = "";
    applyFilter(slot);
  }

  function renderAll() { var slots = document.querySelectorAll(".slot"); for (var k = 0; k < slots.length; k++) { renderFile(+slots[k].getAttribute("data-file")); } }

  // The sticky bar's height, for scroll-padding-top: a heading or line jumped to lands below it.
  var bar = document.querySelector(".toolbar");
  function barHeight() { if (bar) { document.documentElement.style.setProperty("--bar", bar.offsetHeight + "px"); } }
  barHeight();
  if (bar && "ResizeObserver" in window) { new ResizeObserver(barHeight).observe(bar); }
  else { window.addEventListener("resize", barHeight); }

  // Notes beside the lines, under them, or only in the tip.
  var modes = document.querySelectorAll("input[name=notes]");
  function setMode(mode) {
    document.body.setAttribute("data-notes", mode);
    if (mode !== "off") { hideTip(); }
    for (var m = 0; m < modes.length; m++) { modes[m].checked = modes[m].value === mode; }
  }
  try { var saved = window.localStorage.getItem("lint-reports-notes"); if (/^(side|inline|off)$/.test(saved || "")) { setMode(saved); } } catch (err) { /* storage off: the default */ }
  for (var m = 0; m < modes.length; m++) {
    modes[m].addEventListener("change", function (e) {
      setMode(e.target.value);
      try { window.localStorage.setItem("lint-reports-notes", e.target.value); } catch (err) { /* not kept */ }
    });
  }

  var slots = document.querySelectorAll(".slot");
  for (var s = 0; s < slots.length; s++) { slots[s].style.minHeight = (1.6 * +slots[s].getAttribute("data-lines")) + "em"; }
  // What the window shows at once is drawn before the first paint (the observer below would
  // leave it blank for a frame, and a screenshot or print at load would catch it empty).
  for (var v = 0; v < slots.length && slots[v].getBoundingClientRect().top < window.innerHeight + 800; v++) {
    renderFile(+slots[v].getAttribute("data-file"));
  }
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); renderFile(+entry.target.getAttribute("data-file")); }
      });
    }, { rootMargin: "1500px 0px" });
    for (var o = 0; o < slots.length; o++) { observer.observe(slots[o]); }
    // The rest in idle time, one file at a time, so find-in-page eventually sees every text.
    var idle = window.requestIdleCallback || function (cb) { return setTimeout(function () { cb({ timeRemaining: function () { return 8; } }); }, 30); };
    var next = 0;
    var work = function (deadline) {
      while (next < slots.length && deadline.timeRemaining() > 4) { renderFile(+slots[next].getAttribute("data-file")); next++; }
      if (next < slots.length) { idle(work); }
    };
    idle(work);
  } else {
    renderAll();
  }

  function label(text, cls) { var b = document.createElement("span"); b.className = "badge " + (cls || ""); b.textContent = text; return b; }

  function showTip(el) {
    var i = +el.getAttribute("data-i"), f = findings[i];
    tip.replaceChildren();
    var head = document.createElement("div"); head.className = "tip-head";
    var rule = document.createElement("code"); rule.className = "rule"; rule.textContent = f.rule;
    head.append(rule, label(data.severities[f.severity] || f.severity, "sev-" + f.severity), label(data.categories[f.category] || f.category));
    var msg = document.createElement("div"); msg.className = "tip-msg"; msg.textContent = f.message;
    tip.append(head, msg);
    if (f.fix) { var fix = document.createElement("div"); fix.className = "tip-fix"; fix.textContent = "建议：" + f.fix; tip.append(fix); }
    (f.related || []).forEach(function (place) {
      var where = document.createElement("div"); where.className = "tip-rel";
      where.append(place.what && place.where ? place.what + "：" : place.what || "");
      var to = document.createElement(place.href ? "a" : "span");
      if (place.href) { to.className = "rel"; to.href = place.href; }
      to.textContent = place.where || ""; where.append(to); tip.append(where);
    });
    var pos = document.createElement("div"); pos.className = "tip-pos";
    pos.textContent = data.files[f.file].path + "  第 " + f.line + " 行，第 " + f.column + " 列";
    tip.append(pos);
    tip.hidden = false;
    el.setAttribute("aria-describedby", "tip");
    var r = el.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    var top = r.bottom + window.scrollY + 6;
    if (r.bottom + tip.offsetHeight + 12 > window.innerHeight && r.top > tip.offsetHeight + 12) { top = r.top + window.scrollY - tip.offsetHeight - 6; }
    tip.style.left = left + "px"; tip.style.top = top + "px";
  }
  function hideTip() { tip.hidden = true; pinned = null; }

  function target(e) { var el = e.target.closest ? e.target.closest(".hl") : null; return el && !el.classList.contains("off") ? el : null; }
  // With notes shown, the note says what the tip would: pointing at a mark lights its note
  // and the other way round; the tip is for the "only on hover" mode.
  function notesShown() { return document.body.getAttribute("data-notes") !== "off"; }
  function light(i, on) {
    var els = document.querySelectorAll(".hl[data-i=\"" + i + "\"], .hl-cont[data-i=\"" + i + "\"], .note[data-i=\"" + i + "\"]");
    for (var k = 0; k < els.length; k++) { els[k].classList.toggle("lit", on); }
  }
  function pointed(e) {
    var el = target(e) || (e.target.closest ? e.target.closest(".note") : null);
    return el ? el.getAttribute("data-i") : null;
  }
  document.addEventListener("mouseover", function (e) {
    var i = pointed(e); if (i === null) { return; }
    if (notesShown()) { light(i, true); } else { var el = target(e); if (el && !pinned) { showTip(el); } }
  });
  document.addEventListener("mouseout", function (e) {
    var i = pointed(e); if (i === null) { return; }
    light(i, false);
    var el = target(e); if (el && !pinned && !el.contains(e.relatedTarget)) { tip.hidden = true; }
  });
  document.addEventListener("focusin", function (e) {
    var el = target(e);
    if (el) { pinned = el; if (!notesShown()) { showTip(el); } setCurrent(+el.getAttribute("data-i"), el); }
  });
  document.addEventListener("focusout", function (e) { if (target(e) && !(e.relatedTarget && tip.contains(e.relatedTarget))) { hideTip(); } });
  document.addEventListener("click", function (e) {
    var go = e.target.closest ? e.target.closest("[data-go]") : null;
    if (go) { e.preventDefault(); goTo(+go.getAttribute("data-go")); return; }
    // another file's line: the link is followed (hashchange -> followHash); the tip it sat in goes
    if (e.target.closest && e.target.closest("a.rel")) { setTimeout(hideTip, 0); return; }
    var note = e.target.closest ? e.target.closest(".note") : null;
    if (note) {
      var mark = document.querySelector(".hl[data-i=\"" + note.getAttribute("data-i") + "\"]");
      if (mark) { mark.focus({ preventScroll: true }); }
      return;
    }
    var el = target(e);
    if (el) {
      el.focus(); pinned = el;
      if (!notesShown()) { showTip(el); }
      if (el.classList.contains("banner")) { goToLine(findings[+el.getAttribute("data-i")]); }
    }
    else if (!tip.contains(e.target) && !e.target.closest(".toolbar")) { hideTip(); }
  });

  function setCurrent(i, el) {
    var old = document.querySelectorAll(".current"); for (var k = 0; k < old.length; k++) { old[k].classList.remove("current"); }
    current = i; if (el) { el.classList.add("current"); }
    var notes = document.querySelectorAll(".note[data-i=\"" + i + "\"]");
    for (var n = 0; n < notes.length; n++) { notes[n].classList.add("current"); }
  }
  function goToLine(f) {
    renderFile(f.file);
    var line = document.querySelector("#slot-" + f.file + " .l[data-n=\"" + f.line + "\"]");
    if (line) { line.classList.add("cur"); setTimeout(function () { line.classList.remove("cur"); }, 1500); }
  }
  function goTo(i) {
    var f = findings[i];
    renderFile(f.file);
    var el = document.querySelector(".hl[data-i=\"" + i + "\"]");
    if (!el) { return; }
    if (isOff(i)) { hiddenCat[f.category] = false; hiddenSev[f.severity] = false; syncBoxes(); applyFilter(); }
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
    setCurrent(i, el);
  }
  function step(direction) {
    var n = findings.length;
    for (var k = 1; k <= n; k++) {
      var i = ((current < 0 ? (direction > 0 ? -1 : 0) : current) + direction * k + n * 2) % n;
      if (!isOff(i)) { goTo(i); return; }
    }
  }
  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hideTip(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(e.target.tagName)) { return; }
    if (e.key === "n" || e.key === "j") { e.preventDefault(); step(1); }
    else if (e.key === "p" || e.key === "k") { e.preventDefault(); step(-1); }
  });

  var boxes = document.querySelectorAll("input[data-filter]");
  function syncBoxes() {
    for (var k = 0; k < boxes.length; k++) {
      var b = boxes[k], kind = b.getAttribute("data-filter"), value = b.value;
      b.checked = !(kind === "category" ? hiddenCat[value] : hiddenSev[value]);
    }
  }
  for (var b = 0; b < boxes.length; b++) {
    boxes[b].addEventListener("change", function (e) {
      var box = e.target, map = box.getAttribute("data-filter") === "category" ? hiddenCat : hiddenSev;
      map[box.value] = !box.checked;
      applyFilter();
      if (pinned && pinned.classList.contains("off")) { hideTip(); }
    });
  }
  window.addEventListener("beforeprint", function () {
    renderAll();
    var lists = document.querySelectorAll("details.flist"); for (var k = 0; k < lists.length; k++) { lists[k].open = true; }
  });
  // A jump to a file (#file-3) or a line (#L3-12, as the finding lists give without the script):
  // every file above it is drawn first, since a file drawn later above the place jumped to is
  // taller than its reserved space and would push that place down out of the window.
  function followHash() {
    var match = /^#(?:file-(\d+)|L(\d+)-\d+)$/.exec(window.location.hash);
    if (!match) { return; }
    var upTo = +(match[1] || match[2]), drew = false;
    for (var k = 0; k < slots.length; k++) {
      var file = +slots[k].getAttribute("data-file");
      if (file <= upTo && !rendered[file]) { renderFile(file); drew = true; }
    }
    var target = document.getElementById(match[0].slice(1));
    if (target && (drew || match[2])) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", followHash);
  window.lintReport = { renderAll: renderAll, goTo: goTo, findings: findings, setMode: setMode };
  applyFilter();
  followHash();
})();
"""


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def _json_for_script(value) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` can end it or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _shown(text: str) -> str:
    """A file name or message in the page: unsafe characters as escapes, then HTML-escaped."""
    return escape(visible(text))


def _source_text(text: str) -> str:
    """A piece of a file's text, HTML-escaped, each unsafe character a visible marked escape."""
    escaped = escape(text, quote=False)
    if not UNSAFE_KEEPING_LAYOUT.search(escaped):
        return escaped
    return UNSAFE_KEEPING_LAYOUT.sub(
        lambda m: f'<span class="cc" title="U+{ord(m.group()):04X}">{escape_char(m.group())}</span>', escaped)


def _short(text: str, limit: int = 30) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[:limit - 1] + "…"


_INVISIBLE = re.compile(r"[^\S\n]|[\u200b-\u200d\u2060\ufeff]")
_SPACE_NAMES = {" ": "空格", "\u3000": "全角空格", "\t": "制表符"}


def _quoted(text: str) -> str:
    """Text quoted in a fix description, readable when it is blank: `“，”`, `空格`,
    `全角空格`, `U+00A0`; a blank character inside other text as `⟨U+00A0⟩`."""
    if text and _INVISIBLE.fullmatch(text[0]) and len(set(text)) == 1:
        name = _SPACE_NAMES.get(text[0], f"U+{ord(text[0]):04X}")
        return name if len(text) == 1 else f"{len(text)} 个{name}"
    shown = _INVISIBLE.sub(lambda m: m.group() if m.group() == " " else f"⟨U+{ord(m.group()):04X}⟩", _short(text))
    return f"“{shown}”"


def fix_description(finding, doc) -> str:
    """The suggested fix in words: what its Edit does if `--fix` applies it (never for a
    placeholder, outdated or section finding), else the rule's suggested replacement. It
    quotes the document: its control characters are shown as escapes."""
    return visible(_fix_in_words(finding, doc))


def _fix_in_words(finding, doc) -> str:
    """What `--fix` does to this finding, else the rule's suggested replacement (a rule
    gives the text that should stand there: the one `的` of `的的`, the full-width `，`)."""
    edit = finding.fix
    old_span = doc.text[finding.start:finding.end] if doc is not None else ""
    if edit is not None and finding.category not in NEVER_FIXED:
        old = doc.text[edit.start:edit.end] if doc is not None else ""
        if not edit.replacement:
            if "\n" in old or (doc is not None and old and old == doc.text):
                return "删除整行（可用 --fix 自动修复）"
            return f"删除{_quoted(old)}（可用 --fix 自动修复）" if old else "删除（可用 --fix 自动修复）"
        if old:
            return f"将{_quoted(old)}改为{_quoted(edit.replacement)}（可用 --fix 自动修复）"
        return f"插入{_quoted(edit.replacement)}（可用 --fix 自动修复）"
    if finding.suggestion:
        if old_span and "\n" not in old_span:
            return f"将{_quoted(old_span)}改为{_quoted(finding.suggestion)}"
        return f"改为{_quoted(finding.suggestion)}"
    return ""


def _attrs(finding, index: int) -> str:
    return (f'data-i="{index}" data-rule="{escape(finding.rule)}" data-category="{escape(finding.category)}" '
            f'data-severity="{escape(finding.severity)}" data-line="{finding.line}" data-column="{finding.column}" '
            f'data-end-column="{finding.end_column}"')


def _open_mark(span, first: bool) -> str:
    start, end, index, finding = span
    severity = escape(finding.severity)
    if first:
        empty = " empty" if start == end else ""
        # the severity's colour comes from data-severity; the script makes marks focusable
        return f'<mark class="hl{empty}" {_attrs(finding, index)}>'
    return f'<mark class="hl-cont sev-{severity}" data-i="{index}" data-category="{escape(finding.category)}">'


def render_line(text: str, spans: list) -> str:
    """`text` escaped, with a <mark> per span (start, end, index, finding), columns 0-based.

    Spans may nest or overlap: each finding gets one `.hl` element (its first piece); where an
    overlap forces a span to be split, the later pieces are `.hl-cont` and carry no data-rule,
    so counting `.hl` counts findings."""
    if not spans:
        return _source_text(text)
    starts = defaultdict(list)
    empties = defaultdict(list)
    points = {0, len(text)}
    for span in spans:
        (empties if span[0] == span[1] else starts)[span[0]].append(span)
        points.update((span[0], span[1]))
    out, stack, pos = [], [], 0
    for point in sorted(points):
        out.append(_source_text(text[pos:point]))
        pos = point
        reopen = []
        if any(span[1] == point for span in stack):
            while any(span[1] == point for span in stack):
                span = stack.pop()
                out.append("</mark>")
                if span[1] != point:
                    reopen.append(span)
        for span in empties.get(point, ()):
            out.append(_open_mark(span, True) + "</mark>")
        opening = starts.get(point, [])
        for span in sorted(reopen + opening, key=lambda s: (-s[1], s[2])):
            out.append(_open_mark(span, span in opening))
            stack.append(span)
    out.append(_source_text(text[pos:]))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def _last_line(doc) -> int:
    """The number of the last line shown: a file ending with a newline has no empty
    numbered line after it."""
    last = len(doc.lines)
    return last - 1 if last > 1 and doc.lines[-1] == "" else last


def _notes(marks: list, fixes: dict, places: dict) -> str:
    """The notes of one line, in the order of their marks: rule id, message, fix, the other
    places the finding names. Findings of one rule with the same message, fix and places on
    a line (three `**` in a row) share a note."""
    groups: dict = {}
    for _, _, index, finding in sorted(marks, key=lambda span: (span[0], span[2])):
        key = (finding.rule, finding.severity, finding.message, fixes.get(index, ""), tuple(places.get(index, ())))
        groups.setdefault(key, []).append(index)
    out = ['<div class="notes">']
    for (rule, severity, message, fix, where), indexes in groups.items():
        count = f'<span class="n">（{len(indexes)} 处）</span>' if len(indexes) > 1 else ""
        fix_text = f' <span class="fix">建议：{_shown(fix)}</span>' if fix else ""
        out.append(f'<p class="note sev-{escape(severity)}" data-i="{indexes[0]}"><code>{escape(rule)}</code>'
                   f'{_shown(message)}{count}{fix_text}{"".join(_place_html(place) for place in where)}</p>')
    out.append("</div>")
    return "".join(out)


class Place(NamedTuple):
    """One related place as the page shows it, plain text (escaped when written)."""

    what: str  # what the place is ("相同的句子（2024年）"), may be empty
    where: str  # its path and line
    href: str  # "#L<file>-<line>" when its file's text is in the report, else ""


def _place_html(place: Place) -> str:
    what, where, href = place
    label = f"{_shown(what)}：" if what and where else _shown(what)
    if href:  # href is built from two numbers (related_places): nothing to escape
        return f'<span class="rel">{label}<a class="rel" href="{href}">{_shown(where)}</a></span>'
    return f'<span class="rel">{label}{_shown(where)}</span>'


def related_places(finding, file_index: dict, last_lines: dict) -> list:
    """The finding's related places as Place records: a place in a file whose text is in
    the report (file_index: path -> k, last_lines: path -> its last line shown) links to
    that line; any other (a file not in the report or not kept, a template, a line past
    the end) is shown as plain text."""
    out = []
    for place in finding.related:
        if not place.path:  # no file: what it is says where
            out.append(Place(place.message, "", ""))
            continue
        where = f"{place.path} 第 {place.line} 行"
        k, last = file_index.get(place.path), last_lines.get(place.path, 0)
        href = f"#L{k}-{place.line}" if k is not None and 1 <= place.line <= last else ""
        out.append(Place(place.message, where, href))
    return out


def render_source(doc, indexed_findings, file_number=None, fixes=None, places=None, targets=()) -> str:
    """The file's lines with line numbers (CSS), highlights and, after each line with
    findings, its notes (the two in a `.row`); the text of its `.l` lines is doc.text. With
    `file_number`, a line with findings has the id `L<file>-<line>` that the finding lists
    link to, and so has each line in `targets` (the lines other findings' related places
    link to). `places`: finding index -> its Place records, shown in its note."""
    by_line = defaultdict(list)
    lines = doc.lines
    last = _last_line(doc)
    for index, finding in indexed_findings:
        if finding.whole_document:
            continue
        number = min(max(finding.line, 1), last)
        text = lines[number - 1]
        start = min(max(finding.column - 1, 0), len(text))
        end = min(max(finding.end_column - 1, start), len(text))
        by_line[number].append((start, end, index, finding))
    fixes = fixes if fixes is not None else {}
    places = places if places is not None else {}
    out = ['<div class="src">']
    for number in range(1, last + 1):
        newline = "\n" if number < len(lines) else ""
        marks = by_line.get(number)
        if not marks:
            anchor = f' id="L{file_number}-{number}"' if file_number is not None and number in targets else ""
            out.append(f'<div class="l"{anchor} data-n="{number}">{_source_text(lines[number - 1])}{newline}</div>')
            continue
        anchor = f' id="L{file_number}-{number}"' if file_number is not None else ""
        # a row: its notes stay beside the line (and stick in view along a long paragraph)
        out.append(f'<div class="row"><div class="l"{anchor} data-n="{number}">{render_line(lines[number - 1], marks)}'
                   f'{newline}</div>{_notes(marks, fixes, places)}</div>')
    out.append("</div>")
    return "".join(out)


def _bar_chart(counts: Counter) -> str:
    rows = [(c, counts[c]) for c in list(CATEGORIES) + sorted(set(counts) - set(CATEGORIES)) if counts[c]]
    if not rows:
        return ""
    width, label_w, bar_h, gap = 460, 110, 18, 8
    top = max(n for _, n in rows)
    height = len(rows) * (bar_h + gap) + gap
    parts = [f'<svg class="chart" role="img" aria-label="按类别统计的问题数" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for row, (category, n) in enumerate(rows):
        y = gap + row * (bar_h + gap)
        w = max(2, round((width - label_w - 50) * n / top))
        name = escape(CATEGORY_LABELS.get(category, category))
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">{name}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" rx="2" fill="#5c6bc0"><title>{name}: {n}</title></rect>'
                     f'<text x="{label_w + w + 6}" y="{y + bar_h - 4}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _counts_table(findings) -> str:
    by = Counter((f.category, f.severity) for f in findings)
    categories = [c for c in list(CATEGORIES) + sorted({f.category for f in findings} - set(CATEGORIES))
                  if any(by[(c, s)] for s in SEVERITIES)]
    head = "".join(f"<th>{SEVERITY_LABELS.get(s, s)}</th>" for s in SEVERITY_ORDER)
    rows = []
    for category in categories:
        cells = "".join(f"<td>{by[(category, s)] or ''}</td>" for s in SEVERITY_ORDER)
        total = sum(by[(category, s)] for s in SEVERITIES)
        rows.append(f"<tr><td>{escape(CATEGORY_LABELS.get(category, category))} <code>{escape(category)}</code></td>{cells}<td>{total}</td></tr>")
    totals = "".join(f"<td>{sum(by[(c, s)] for c in categories)}</td>" for s in SEVERITY_ORDER)
    rows.append(f"<tr><th>合计</th>{totals}<th>{len(findings)}</th></tr>")
    return f'<table class="counts"><thead><tr><th>类别</th>{head}<th>合计</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _filters(findings) -> str:
    present_cats = [c for c in list(CATEGORIES) + sorted({f.category for f in findings} - set(CATEGORIES))
                    if any(f.category == c for f in findings)]
    present_sevs = [s for s in SEVERITY_ORDER if any(f.severity == s for f in findings)]
    cats = "".join(f'<label><input type="checkbox" data-filter="category" value="{escape(c)}" checked> '
                   f'{escape(CATEGORY_LABELS.get(c, c))}</label>' for c in present_cats)
    sevs = "".join(f'<label><input type="checkbox" data-filter="severity" value="{escape(s)}" checked> '
                   f'{escape(SEVERITY_LABELS.get(s, s))}</label>' for s in present_sevs)
    return (f'<fieldset><legend>类别</legend>{cats}</fieldset><fieldset><legend>级别</legend>{sevs}</fieldset>'
            '<span><button type="button" id="prev" title="上一个问题（p 或 k）">↑ 上一个</button> '
            '<button type="button" id="next" title="下一个问题（n 或 j）">↓ 下一个</button></span>'
            '<fieldset class="modes"><legend>说明</legend>'
            '<label title="每处问题的说明写在该行右侧"><input type="radio" name="notes" value="side" checked> 旁注</label>'
            '<label title="每处问题的说明写在该行下方"><input type="radio" name="notes" value="inline"> 行间</label>'
            '<label title="只在悬停或选中时显示说明"><input type="radio" name="notes" value="off"> 仅悬停</label></fieldset>'
            '<span class="shown" id="shown" aria-live="polite"></span>')


def render(report) -> str:
    findings = list(report.findings)
    documents = report.documents or {}
    by_path = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    order = list(report.files) + [p for p in by_path if p not in report.files]
    position = {path: n for n, path in enumerate(order)}
    with_findings = sorted((p for p in order if by_path[p]), key=lambda p: (-len(by_path[p]), position[p]))
    clean = [p for p in order if not by_path[p]]
    # A file of the run that findings elsewhere point to (the older report a passage was
    # copied from: it is the source, so it is not told) gets its section, clean or not, so
    # that the link from the copy shows the original line.
    last_lines = {path: _last_line(documents[path]) for path in order if documents.get(path) is not None}
    targets = defaultdict(set)  # path -> its lines some related place links to
    for finding in findings:
        for place in finding.related:
            if place.path in last_lines and 1 <= place.line <= last_lines[place.path]:
                targets[place.path].add(place.line)
    sectioned = [p for p in order if by_path[p] or p in targets]
    file_index = {path: k for k, path in enumerate(sectioned)}
    shown_files = {path: k for path, k in file_index.items() if path in last_lines}

    index_data, sections = [], []
    next_index = 0
    for path in sectioned:
        k = file_index[path]
        doc = documents.get(path)
        indexed, fixes, places = [], {}, {}
        for finding in by_path[path]:
            indexed.append((next_index, finding))
            fixes[next_index] = fix_description(finding, doc)
            entry = {"file": k, "line": finding.line, "column": finding.column, "rule": finding.rule,
                     "category": finding.category, "severity": finding.severity, "message": visible(finding.message)}
            if fixes[next_index]:
                entry["fix"] = fixes[next_index]
            if finding.related:
                places[next_index] = related_places(finding, shown_files, last_lines)
                entry["related"] = [{"what": visible(what), "where": visible(where), **({"href": href} if href else {})}
                                    for what, where, href in places[next_index]]
            index_data.append(entry)
            next_index += 1
        sections.append(_file_section(k, path, doc, indexed, fixes, places, targets.get(path, set())))

    severity_counts = Counter(f.severity for f in findings)
    totals = (f"共检查 {len(order)} 个文件，{len(with_findings)} 个文件有问题，共 {len(findings)} 处："
              + "，".join(f"{SEVERITY_LABELS[s]} {severity_counts[s]}" for s in SEVERITY_ORDER if severity_counts[s]))
    if not findings:
        totals = f"共检查 {len(order)} 个文件，没有发现问题。"
    file_items = "".join(
        f'<li><a href="#file-{file_index[p]}">{_shown(p)}</a> — {len(by_path[p])} 处'
        + "".join(f' <span class="badge sev-{s}">{SEVERITY_LABELS[s]} {n}</span>'
                  for s in SEVERITY_ORDER if (n := sum(1 for f in by_path[p] if f.severity == s)))
        + "</li>" for p in with_findings)
    clean_block = ""
    if clean:
        names = "、".join(f'<a href="#file-{file_index[p]}">{_shown(p)}</a>' if p in file_index else _shown(p)
                         for p in clean[:200]) + ("……" if len(clean) > 200 else "")
        clean_block = f'<p class="clean">没有问题的文件（{len(clean)}）：{names}</p>'
    data = {"files": [{"path": visible(p)} for p in sectioned], "findings": index_data,
            "categories": CATEGORY_LABELS, "severities": SEVERITY_LABELS}
    csp = (f"default-src 'none'; script-src {_csp_hash(SCRIPT)}; style-src {_csp_hash(STYLE)} {_csp_hash(NOSCRIPT_STYLE)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    summary = ""
    if findings:
        summary = (f'<div class="summary">{_counts_table(findings)}{_bar_chart(Counter(f.category for f in findings))}</div>'
                   f'<h2>文件（按问题数排序）</h2><ol class="files">{file_items}</ol>')
    return "".join([
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<title>lint-reports 检查报告</title>',
        f'<style>{STYLE}</style><noscript><style>{NOSCRIPT_STYLE}</style></noscript></head><body data-notes="side">',
        f'<div class="toolbar" role="toolbar" aria-label="筛选与导航">{_filters(findings)}</div>' if findings else "",
        '<main><h1>lint-reports 检查报告</h1>',
        f'<p class="totals">{totals}</p>',
        ('<noscript><p class="noscript">JavaScript 未启用：全文、高亮和每处问题的说明照常显示；'
         '筛选、上一个/下一个和悬停提示需要 JavaScript。</p></noscript>' if findings else ""),
        summary, clean_block, *sections, '</main>',
        '<div id="tip" role="tooltip" hidden></div>',
        f'<script type="application/json" id="lr-data">{_json_for_script(data)}</script>',
        f'<script>{SCRIPT}</script></body></html>\n',
    ])


def _file_section(k: int, path: str, doc, indexed, fixes: dict, places: dict, targets: set) -> str:
    counts = Counter(f.severity for _, f in indexed)
    badges = "".join(f'<span class="badge sev-{s}">{SEVERITY_LABELS[s]} {counts[s]}</span>'
                     for s in SEVERITY_ORDER if counts[s])
    banners = "".join(
        f'<div class="banner hl sev-{escape(f.severity)}" role="note" {_attrs(f, i)}>'
        f'<code class="rule">{escape(f.rule)}</code> {_shown(f.message)}'
        + (f"（第 {f.line} 行起）" if f.line > 1 else "") + "</div>"
        for i, f in indexed if f.whole_document)
    last = _last_line(doc) if doc is not None else 0

    def target(f) -> str:  # the flagged line (render_source gives it this id), else the file
        return f"#L{k}-{min(max(f.line, 1), last)}" if last and not f.whole_document else f"#file-{k}"

    # The message and fix are in each line's note; the list is the file's index of findings.
    items = "".join(
        f'<li><a href="{target(f)}" data-go="{i}">第 {f.line} 行第 {f.column} 列</a> '
        f'<span class="badge sev-{escape(f.severity)}">{SEVERITY_LABELS.get(f.severity, escape(f.severity))}</span> '
        f'<code>{escape(f.rule)}</code> {_shown(f.message)}</li>'
        for i, f in indexed)
    if doc is None:
        body = '<p class="clean">（此文件的全文未保存在报告中）</p>'
    else:
        line_count = len(doc.lines)
        body = (f'<div class="slot" id="slot-{k}" data-file="{k}" data-lines="{line_count}">'
                f'<noscript id="t-{k}">{render_source(doc, indexed, k, fixes, places, targets)}</noscript></div>')
    if indexed:
        listing = f'<details class="flist"><summary>问题列表（{len(indexed)}）</summary><ol>{items}</ol></details>'
    else:  # shown for the places other files' findings point to
        listing = '<p class="clean">此文件没有问题；其他文件的问题指向它的原文。</p>'
    return (f'<section class="file" id="file-{k}"><header><h2>{_shown(path)}</h2>{badges}</header>{banners}'
            f'{listing}{body}</section>')
