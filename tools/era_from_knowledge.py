"""Regenerate the `data: era_facts` block of rules/era.yaml from the shared knowledge file.

    python tools/era_from_knowledge.py ../shared/knowledge/era.yaml > /tmp/facts.yaml

The knowledge file is the checked source (every entry keeps its `source`); this script only
reshapes it: one fact per entry, the fields the era engine reads plus source/checked/note.
Hand-written additions in rules/era.yaml (after the generated block) are kept by hand.
"""
from __future__ import annotations

import json
import sys

import yaml

KEEP = ("id", "kind", "names", "local_names", "start", "end", "local_end", "expected",
        "superseded_by", "term", "session", "base_year", "patterns", "special_forms",
        "nameplate_retained", "valid_today", "category", "source", "sources_extra",
        "checked", "note")


# Facts that date a text only weakly (never formally replaced, or surviving colloquially):
# they count as events for the document's year but are never reported as outdated.
WEAK = {"slogan_xinnongcun", "slogan_xinnonghe"}


def quote(value) -> str:
    # JSON is valid YAML flow style: every string stays quoted ("2012" is not a number).
    return json.dumps(value, ensure_ascii=False)


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        knowledge = yaml.safe_load(handle)
    out = []
    for entry in knowledge["entries"]:
        lines = []
        for key in KEEP:
            if key in entry and entry[key] not in (None, [], {}):
                value = entry[key]
                if key in ("start", "end", "local_end"):
                    value = str(value)
                lines.append(f"{key}: {quote(value)}")
        if entry["id"] in WEAK:
            lines.append("weak: true")
        out.append("    - " + "\n      ".join(lines))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
