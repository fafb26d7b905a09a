"""lint-reports: a linter for Chinese report text (工作总结, 安排意见, 实施方案, 情况汇报)."""

__version__ = "0.1.0"
