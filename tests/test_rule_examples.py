"""Every rule's own examples are tests: bad ones must be flagged by it, good ones not."""
from __future__ import annotations

import pytest

from lint_reports.config.settings import Config
from lint_reports.core.document import Document
from lint_reports.core.engine import Linter

_LINTER = Linter(Config())
RULES = sorted(_LINTER.rules, key=lambda rule: rule.id)


def _findings(rule, text):
    linter = Linter(Config(), select=[rule.id], packs=_LINTER.packs)  # parse the packs once
    path = "example.md" if text.lstrip().startswith("#") else "example.txt"
    return [f for f in linter.lint(Document(path, text), path) if f.rule == rule.id]


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_rule_has_examples(rule):
    assert rule.examples["bad"], f"{rule.id} has no bad examples"
    assert rule.examples["good"], f"{rule.id} has no good examples"


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_bad_examples_are_flagged(rule):
    for example in rule.examples["bad"]:
        assert _findings(rule, example), f"{rule.id} missed its bad example: {example!r}"


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_good_examples_pass(rule):
    for example in rule.examples["good"]:
        found = _findings(rule, example)
        assert not found, f"{rule.id} flagged its good example {example!r}: {[f.message for f in found]}"
