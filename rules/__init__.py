"""The rule packs shipped with lint-reports, installed as the package lint_reports.rulepacks."""
