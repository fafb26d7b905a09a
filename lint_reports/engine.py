"""Document -> rules -> Findings. Loads the packs once; picks the rules each file gets."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from . import fingerprint, fixhints, suppress
from .budget import RuleGuard
from .config import Config, ConfigError, validate_rule_refs
from .finding import CATEGORIES, SEVERITY_RANK
from .packs import merge_data, prepare_rules
from .rules import kind_module


@dataclass
class FileSettings:
    """What applies to one file once config, per-file config and CLI are combined."""

    rules: list  # [(Rule, severity)]
    year: Optional[int]
    year_reason: str
    allow: list
    sections: dict
    repetition: dict = field(default_factory=dict)


def _matches(rule, names) -> bool:
    return "all" in names or rule.id in names or rule.category in names


class Linter:
    def __init__(self, config: Config, *, select=None, ignore=None, year=None,
                 packs=None, enable=None):
        self.config = config
        if packs is None:
            for path in config.packs:
                source, line = config.lines.get(f"pack:{path}", (config.path, 0))
                try:
                    found = path.is_file()
                except OSError as exc:  # in a directory we may not enter
                    raise ConfigError(source or "config", line, f"cannot read rule pack {path}: {exc.strerror or exc}") from None
                if not found:
                    raise ConfigError(source or "config", line, f"rule pack not found: {path}")
            from .packcache import load_prepared

            packs, self.rules = load_prepared(config)  # cached between runs
        else:
            self.rules = prepare_rules(packs)
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
        self.cli_select = list(select or [])
        self.cli_ignore = list(ignore or [])
        self.cli_year = year
        self.cli_enable = list(enable or [])  # rules turned on in addition (off-by-default ones)
        self._settings_cache: dict = {}
        self.guard = RuleGuard()  # time budget per rule; a crashing rule becomes one error line

    def check_rule(self, doc, rule):
        """One rule's findings on one document (the language server overrides this to reuse
        the findings of lines an edit did not touch)."""
        return kind_module(rule.kind).check(doc, rule)

    def validate_names(self, names) -> list:
        """Names (from the command line) that are neither a rule id nor a category."""
        from .finding import CATEGORIES

        return [n for n in names if n not in self.by_id and n not in CATEGORIES and n != "all"]

    def settings_for(self, rel_path: str) -> FileSettings:
        per_file = self.config.settings_for(rel_path)
        key = tuple(id(s) for s in per_file)
        cached = self._settings_cache.get(key)
        if cached is not None:
            return cached
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
        if self.cli_select:
            select = self.cli_select
        ignore += self.cli_ignore
        if self.cli_year:
            year, reason = self.cli_year, "命令行 --year"
        chosen = []
        for rule in self.rules:
            active = (_matches(rule, select) if select else rule.enabled) or rule.id in self.cli_enable
            if not active or _matches(rule, ignore):
                continue
            level = severity.get(rule.id, severity.get(rule.category, rule.severity))
            if level == "off":
                continue
            chosen.append((rule, level))
        result = FileSettings(chosen, year, reason, allow, dict(self.config.sections),
                              dict(self.config.repetition))
        self._settings_cache[key] = result
        return result

    def lint(self, doc, rel_path: Optional[str] = None) -> list:
        with self.guard.session():  # one SIGALRM handler per document, a timer per rule
            return self._lint(doc, rel_path)

    def _lint(self, doc, rel_path: Optional[str] = None) -> list:
        settings = self.settings_for(rel_path or doc.path)
        doc.settings = settings
        if settings.year and doc.configured_year is None:
            doc.configured_year, doc.configured_year_reason = settings.year, settings.year_reason
        findings, late, active = [], [], []
        for rule, level in settings.rules:
            if rule.files and not any(self.config.matches(p, rel_path or doc.path) for p in rule.files):
                continue
            active.append(rule)
            if getattr(kind_module(rule.kind), "AFTER_SUPPRESSION", False):
                late.append((rule, level))  # judges the suppressions: runs once they are applied
                continue
            for finding in self.guard.run(self.check_rule, doc, rule):
                if level != rule.severity:
                    finding.severity = level
                findings.append(finding)
        if settings.allow:
            findings = _drop_allowed(doc, findings, settings.allow)
        findings = _drop_nested(findings)
        findings = suppress.apply(doc, findings, active, self.known_names)
        for rule, level in late:
            for finding in self.guard.run(kind_module(rule.kind).check, doc, rule):
                finding.severity = level
                findings.append(finding)
        fingerprint.attach(doc, findings, rel_path or doc.path)
        fixhints.locate(doc, findings)
        findings.sort(key=lambda f: (f.line, f.column, f.rule))
        return findings


def _drop_allowed(doc, findings, words) -> list:
    spans = []
    for word in words:
        start = doc.text.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = doc.text.find(word, start + 1)
    if not spans:
        return findings
    kept = []
    for finding in findings:
        if finding.category != "section" and any(s < finding.end and finding.start < e for s, e in spans):
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
