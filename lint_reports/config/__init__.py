"""Settings (lint-reports.yaml/.toml, pyproject) and the YAML rule packs."""
