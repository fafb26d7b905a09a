"""Regenerate the `data: era_facts` block of rules/era.yaml from the shared knowledge file.

    python tools/era_from_knowledge.py ../shared/knowledge/era.yaml --check rules/era.yaml
    python tools/era_from_knowledge.py ../shared/knowledge/era.yaml --write rules/era.yaml
    python tools/era_from_knowledge.py ../shared/knowledge/era.yaml          # block on stdout

The knowledge file is the checked source (every entry keeps its `source`); this script only
reshapes it: one fact per entry, the fields the era engine reads plus source/checked/note.
Everything in rules/era.yaml up to `  era_facts:` (the rules, their messages and examples)
is written by hand; everything after it is this script's output and is replaced by --write.
--check exits 1 when the file differs from what the knowledge file gives.
"""
from __future__ import annotations

import argparse
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

MARKER = "\n  era_facts:\n"


def quote(value) -> str:
    # JSON is valid YAML flow style: every string stays quoted ("2012" is not a number).
    return json.dumps(value, ensure_ascii=False)


def facts_block(knowledge_text: str) -> str:
    """The `era_facts` list items for the entries of a knowledge file."""
    knowledge = yaml.safe_load(knowledge_text)
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
    return "\n".join(out) + "\n"


def regenerate(pack_text: str, knowledge_text: str) -> str:
    """`pack_text` with everything after `  era_facts:` replaced by the knowledge's facts."""
    head, found, _ = pack_text.partition(MARKER)
    if not found:
        raise ValueError("the pack has no `data:` / `  era_facts:` block to replace")
    return head + MARKER + facts_block(knowledge_text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("knowledge", help="the checked knowledge file (shared/knowledge/era.yaml)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", metavar="PACK", help="replace the facts block of PACK in place")
    group.add_argument("--check", metavar="PACK", help="exit 1 if PACK's facts block is not up to date")
    args = parser.parse_args(argv)
    with open(args.knowledge, encoding="utf-8") as handle:
        knowledge_text = handle.read()
    target = args.write or args.check
    if target is None:
        sys.stdout.write(facts_block(knowledge_text))
        return 0
    with open(target, encoding="utf-8") as handle:
        current = handle.read()
    wanted = regenerate(current, knowledge_text)
    if args.check:
        if wanted != current:
            print(f"{target}: era_facts differ from {args.knowledge}; run with --write", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
