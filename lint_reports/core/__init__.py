"""The core: the Document, the Linter that runs rules on it, Findings, and what a run
does with them (suppressions, fixes, baselines). See docs/architecture.md."""
