"""Document -> rules -> Findings. Loads the packs once; picks the rules each file gets."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import fingerprint, fixhints, suppress
from .budget import RuleGuard
from .context import NO_OPTIONS, RuleContext, SharedScan
from .document import Document
from ..config.settings import Config, ConfigError, validate_rule_refs
from .finding import CATEGORIES, SEVERITY_RANK
from .options import LintOptions
from ..config.packs import check_user_examples, load_prepared, merge_data, prepare_rules
from ..kinds import kind_module


@dataclass
class FileSettings:
    """What applies to one file once config, per-file config and CLI are combined."""

    rules: list  # [(Rule, severity)]
    year: Optional[int]
    year_reason: str
    allow: tuple
    options: dict = field(default_factory=dict)  # kind -> its options (Config.options: shared, never changed)
    _scan_factors: Optional[frozenset] = field(default=None, repr=False, compare=False)

    def scan_factors(self) -> frozenset:
        """The factors the shared candidate scan looks for: those of every rule here whose
        kind declares `scan_factors(rule)` (worked out once, on first use)."""
        if self._scan_factors is None:
            factors: set = set()
            for rule, _ in self.rules:
                declared = getattr(kind_module(rule.kind), "scan_factors", None)
                if declared is not None and rule.state is not None:
                    factors |= declared(rule)
            self._scan_factors = frozenset(factors)
        return self._scan_factors

    def fix_year(self, doc) -> None:
        """Leave on `doc` the year `--year` or the config fixes for this file (what
        core/year.py's evidence puts first), unless the document already holds one (an
        editor's buffer, a --fix round's next text). Every reader of a document's year — the
        lint, the passage record, --explain-year and --verbose — takes it from here."""
        if self.year and doc.configured_year is None:
            doc.configured_year, doc.configured_year_reason = self.year, self.year_reason

    def context(self, doc, kind: str, scan: Optional[SharedScan] = None) -> RuleContext:
        """What a rule of `kind` is given on `doc` (core/context.py)."""
        return RuleContext(doc, self.year, self.year_reason, self.allow,
                           self.options.get(kind, NO_OPTIONS), scan)


def _matches(rule, names) -> bool:
    return "all" in names or rule.id in names or rule.category in names


# Findings one document may have. A report has tens, a badly pasted one some thousands; a
# document built to hold a finding every few characters (millions on one 60 MB line) must not
# take all the memory: past this, its rules stop with one warning.
MAX_FINDINGS = 100_000


def _kind_of(path) -> Optional[str]:
    """What stands at `path` when it is not a regular file (a FIFO, a folder), or None when
    nothing does (a dangling link is nothing too)."""
    from ..io.safeio import kind_of

    try:
        return kind_of(path.stat().st_mode)
    except OSError:
        return None


class Linter:
    """The rules of one config. `packs`: parse no pack files, prepare these; `prepared`:
    (packs, rules) already prepared (a sibling for another config with the same packs)."""

    def __init__(self, config: Config, *, select=None, ignore=None, year=None,
                 packs=None, enable=None, prepared=None, options: Optional[LintOptions] = None):
        self.config = config
        if prepared is not None:
            packs, self.rules = prepared
        elif packs is None:
            for path in config.packs:
                source, line = config.lines.get(f"pack:{path}", (config.path, 0))
                try:
                    found = path.is_file()
                except OSError as exc:  # in a directory we may not enter
                    raise ConfigError(source or "config", line, f"cannot read rule pack {path}: {exc.strerror or exc}") from None
                if not found:
                    kind = _kind_of(path)  # a FIFO, a device or a folder is there, not "nothing"
                    raise ConfigError(source or "config", line, f"cannot read rule pack {path}: not a regular file ({kind})"
                                      if kind else f"rule pack not found: {path}")
            packs, self.rules = load_prepared(config)  # parsed packs cached between runs
        else:
            self.rules = prepare_rules(packs)
        if prepared is None:
            rules = self.rules
            check_user_examples(packs, rules, lambda: Linter(Config(), prepared=(packs, rules)))
        self.packs = packs
        self.data = merge_data(packs)
        self.by_id = {rule.id: rule for rule in self.rules}
        self.known_names = set(self.by_id) | set(CATEGORIES)  # what a suppression may name
        validate_rule_refs(config, set(self.by_id))
        for kind in sorted({rule.kind for rule in self.rules}):
            # a kind that owns a config key (sections:) checks it against the packs' data
            validate = getattr(kind_module(kind), "validate_config", None)
            if validate is not None:
                validate(config, self.data)
        self.options = options or LintOptions.of(select, ignore, year, enable)
        self._settings_cache: dict = {}
        self.guard = RuleGuard()  # time budget per rule; a crashing rule becomes one error line
        self._siblings: dict = {config.identity: self}  # config identity -> Linter (for_config)

    # --- one Linter per config: files of a run may each have their own ----------------
    def for_config(self, config: Optional[Config]) -> "Linter":
        """The Linter for files that `config` applies to: this one, or a sibling built once
        (sharing the prepared rules when the packs are the same, and the rule guard).
        Raises ConfigError / PackError for a config the rules refuse."""
        if config is None or config is self.config:
            return self
        key = config.identity
        sibling = self._siblings.get(key)
        if sibling is None:
            same_packs = (config.use_default_packs, list(config.packs)) == \
                (self.config.use_default_packs, list(self.config.packs))
            sibling = type(self)(config, prepared=(self.packs, self.rules) if same_packs else None,
                                options=self.options)
            sibling.guard = self.guard
            sibling._siblings = self._siblings
            self._siblings[key] = sibling
        return sibling

    def for_target(self, target) -> "Linter":
        return self.for_config(getattr(target, "config", None))

    def config_problem(self, config: Config) -> Optional[str]:
        """None if the rules accept `config` (its rule ids exist, its sections are known),
        else the one-line error: for a run's resolver, before any file is linted."""
        from ..config.packs import PackError

        try:
            self.for_config(config)
        except (ConfigError, PackError) as exc:
            return str(exc)
        return None

    def rel_for(self, path) -> str:
        """A path on disk relative to this Linter's config, as per-file globs see it."""
        from ..io.walk import _rel

        return _rel(Path(path), self.config.base_dir)

    def check_rule(self, ctx: RuleContext, rule):
        """One rule's findings on one document, `ctx.doc` (the language server overrides this
        to reuse the findings of lines an edit did not touch)."""
        return kind_module(rule.kind).check(ctx, rule)

    def validate_names(self, names) -> list:
        """Names (from the command line) that are neither a rule id nor a category."""
        from .finding import CATEGORIES

        return [n for n in names if n not in self.by_id and n not in CATEGORIES and n != "all"]

    def _layers(self, per_file) -> tuple:
        """(select, ignore, severity, year, year reason, allow, enable) once the config (its
        `extends` chain already merged), the matching per-file entries (in order) and the
        command line are applied: a later `select` replaces the choice, every `ignore` adds."""
        select = self.config.select
        ignore = list(self.config.ignore)
        severity = dict(self.config.severity)
        year, reason = self.config.year, "配置文件 year" if self.config.year else ""
        allow = list(self.config.allow)
        for settings in per_file:
            select = settings.get("select", select)
            ignore += settings.get("ignore", [])
            severity.update(settings.get("severity", {}))
            if "year" in settings:
                year, reason = settings["year"], "配置文件 per-file year"
            allow += settings.get("allow", [])
        if self.options.select:
            select = list(self.options.select)
        ignore += self.options.ignore
        if self.options.year:
            year, reason = self.options.year, "命令行 --year"
        enable = list(self.options.enable) + (["unused-suppression"] if self.config.report_unused_suppressions else [])
        return select, ignore, severity, year, reason, allow, enable

    def settings_for(self, rel_path: str) -> FileSettings:
        per_file = self.config.settings_for(rel_path)
        key = tuple(id(s) for s in per_file)
        cached = self._settings_cache.get(key)
        if cached is not None:
            return cached
        select, ignore, severity, year, reason, allow, enable = self._layers(per_file)
        chosen = []
        for rule in self.rules:
            active = (_matches(rule, select) if select else rule.enabled) or rule.id in enable
            if not active or _matches(rule, ignore):
                continue
            level = severity.get(rule.id, severity.get(rule.category, rule.severity))
            if level == "off":
                continue
            chosen.append((rule, level))
        result = FileSettings(chosen, year, reason, tuple(allow), self.config.options)
        self._settings_cache[key] = result
        return result

    def rule_states(self, rel_path: str) -> list:
        """(rule, level or None, why) for every rule, for --show-settings: the level it
        runs at, or None and why it does not run here."""
        select, ignore, severity, _, _, _, enable = self._layers(self.config.settings_for(rel_path))
        states = []
        for rule in self.rules:
            level = severity.get(rule.id, severity.get(rule.category, rule.severity))
            if rule.id in enable:
                why = "turned on (--report-unused-suppressions)"
            elif select and not _matches(rule, select):
                why = "not selected"
            elif not select and not rule.enabled:
                why = "off by default"
            else:
                why = "selected" if select else "on by default"
            if why in ("not selected", "off by default"):
                states.append((rule, None, why))
            elif _matches(rule, ignore):
                states.append((rule, None, "ignored"))
            elif level == "off":
                states.append((rule, None, "severity: off"))
            else:
                changed = f", severity {rule.severity} -> {level}" if level != rule.severity else ""
                states.append((rule, level, why + changed))
        return states

    def lint(self, doc, rel_path: Optional[str] = None) -> list:
        with self.guard.session():  # one SIGALRM handler per document, a timer per rule
            return self._lint(doc, rel_path)

    def example_findings(self, rule, text: str) -> list:
        """What `rule` alone reports on one of its examples (a `.md` one if it starts with a
        heading), whatever the config and the rule's `files:` say."""
        path = "example.md" if text.lstrip().startswith("#") else "example.txt"
        settings = FileSettings([(rule, rule.severity)], None, "", (), self.config.options)
        with self.guard.session():
            findings = self._lint(Document(path, text), path, settings=settings)
        return [f for f in findings if f.rule == rule.id]

    def _lint(self, doc, rel_path: Optional[str] = None, settings: Optional[FileSettings] = None) -> list:
        examples = settings is not None
        settings = settings or self.settings_for(rel_path or doc.path)
        settings.fix_year(doc)
        scan = SharedScan(doc, settings.scan_factors)
        contexts: dict = {}  # kind -> its RuleContext on this document
        findings, late, active = [], [], []
        capped = False
        # a kind with a `release(doc)` drops what it keeps on the document after its last rule
        last_of_kind = {rule.kind: rule.id for rule, _ in settings.rules}
        for rule, level in settings.rules:
            if rule.files and not examples and not any(self.config.matches(p, rel_path or doc.path) for p in rule.files):
                continue
            active.append(rule)
            ctx = contexts.get(rule.kind)
            if ctx is None:
                ctx = contexts[rule.kind] = settings.context(doc, rule.kind, scan)
            if getattr(kind_module(rule.kind), "AFTER_SUPPRESSION", False):
                late.append((rule, level, ctx))  # judges the suppressions: runs once they are applied
                continue
            found = self.guard.run(self.check_rule, ctx, rule, MAX_FINDINGS - len(findings))
            if len(findings) + len(found) > MAX_FINDINGS:
                found = found[:MAX_FINDINGS - len(findings)]
                self.guard.too_many_findings(doc, rule, MAX_FINDINGS)
                active.pop()  # (its findings stop at the cap: an unused suppression is not judged by them)
                findings.extend(_with_level(found, rule, level))
                capped = True
                break
            findings.extend(_with_level(found, rule, level))
            if last_of_kind[rule.kind] == rule.id and hasattr(kind_module(rule.kind), "release"):
                kind_module(rule.kind).release(doc)
        if settings.allow:
            findings = _drop_allowed(doc, findings, settings.allow)
        findings = _drop_nested(findings)
        if any(f.category == "copied" for f in findings):
            from ..kinds.copied import settle  # a copied sentence holding a placeholder is reported once

            findings = settle(findings)
        findings = suppress.apply(doc, findings, active, self.known_names)
        for rule, level, ctx in [] if capped else late:  # (the suppressions' judges need every rule's findings)
            for finding in self.guard.run(kind_module(rule.kind).check, ctx, rule):
                finding.severity = level
                findings.append(finding)
        doc.forget_rule_caches()
        where = rel_path or doc.path
        fingerprint.attach(doc, findings, where if where.startswith("<") else self.config.anchor_path(where))
        fixhints.locate(doc, findings)
        findings.sort(key=lambda f: (f.line, f.column, f.rule))
        return findings


def _with_level(found: list, rule, level: str) -> list:
    if level != rule.severity:
        for finding in found:
            finding.severity = level
    return found


def _drop_allowed(doc, findings, words) -> list:
    spans = []
    for word in words:
        start = doc.text.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = doc.text.find(word, start + 1)
    if not spans:
        return findings
    # Overlapping spans merged, then each finding looked up by bisection: a word allowed
    # thousands of times in a file with thousands of findings must not compare every pair.
    starts, ends = [], []
    for start, end in sorted(spans):
        if starts and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    kept = []
    for finding in findings:
        index = bisect.bisect_left(starts, finding.end) - 1  # the last span starting before it ends
        if finding.category != "section" and index >= 0 and finding.start < ends[index]:
            continue
        kept.append(finding)
    return kept


def _drop_nested(findings) -> list:
    """One defect, one finding: drop a finding lying inside another of its category
    (a URL inside a flagged source credit, a site name inside it), and the second of two
    artifact findings on one span."""
    by_category: dict = {}
    for finding in findings:
        by_category.setdefault(finding.category, []).append(finding)
    kept = []
    for group in by_category.values():
        if len(group) == 1:
            kept += group
            continue
        # Web leftovers are all "delete this": of two artifact findings on the same span (a
        # furniture line that a line rule and a run rule both know) the one that can fix it is
        # kept. Other categories may name two defects of one span (a numbering level skipped
        # and its bracket width): both stay.
        merge_same = group[0].category == "artifact"
        group.sort(key=lambda f: (f.start, -(f.end - f.start), f.fix is None))
        outer_end, outer = -1, None
        kept_spans = set()
        for finding in group:
            span = (finding.start, finding.end)
            if outer is not None and finding.end <= outer_end and finding.start >= outer.start \
                    and span != (outer.start, outer.end) and finding.start < finding.end:
                continue
            if merge_same and span in kept_spans and finding.start < finding.end and not finding.whole_document:
                continue
            kept_spans.add(span)
            kept.append(finding)
            if finding.end > outer_end:
                outer_end, outer = finding.end, finding
    return kept


def at_or_above(findings, level: str) -> list:
    threshold = SEVERITY_RANK[level]
    return [f for f in findings if SEVERITY_RANK[f.severity] >= threshold]
