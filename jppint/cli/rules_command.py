"""`jppint rules list` and `jppint rules show`: the rule catalogue for people and tools."""

from __future__ import annotations

import argparse
import difflib
import json
from typing import Any

from jppint.cli.exit_codes import EXIT_ERROR, EXIT_VALID
from jppint.cli.streams import error


def run_rules_list(arguments: argparse.Namespace) -> int:
    from jppint.catalogue import all_rules

    entries = [entry for entry in all_rules().values() if not arguments.spec or arguments.spec in entry.specs]
    if arguments.format == "json":
        print(json.dumps([_entry_json(entry) for entry in entries], ensure_ascii=False, indent=2))
        return EXIT_VALID
    width = max((len(entry.rule_id) for entry in entries), default=0)
    for entry in entries:
        message = entry.messages.get(arguments.lang) or entry.messages.get("en", "")
        terms = " ".join(entry.business_terms) or "-"
        print(
            f"{entry.rule_id:<{width}}  {entry.layer:<6}  {entry.flag:<7}  {','.join(entry.specs):<15}  {terms}\n"
            f"    {message}"
        )
    print(f"{len(entries)} rules")
    return EXIT_VALID


def run_rules_show(arguments: argparse.Namespace) -> int:
    from jppint.catalogue import all_rules

    catalogue = all_rules()
    entry = catalogue.get(arguments.rule_id) or catalogue.get(arguments.rule_id.lower())
    if entry is None:
        close = difflib.get_close_matches(arguments.rule_id.lower(), list(catalogue), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `jppint rules list`"
        error(f"unknown rule id {arguments.rule_id!r}{hint}")
        return EXIT_ERROR
    if arguments.format == "json":
        print(json.dumps(_entry_json(entry), ensure_ascii=False, indent=2))
        return EXIT_VALID
    print(
        f"id:             {entry.rule_id}\n"
        f"layer:          {entry.layer}\n"
        f"flag:           {entry.flag}\n"
        f"specifications: {', '.join(entry.specs)}\n"
        f"business terms: {', '.join(entry.business_terms) or '-'}\n"
        f"en:             {entry.messages.get('en', '')}\n"
        f"ja:             {entry.messages.get('ja', '')}"
    )
    return EXIT_VALID


def _entry_json(entry: Any) -> dict[str, object]:
    return {
        "id": entry.rule_id,
        "layer": entry.layer,
        "flag": entry.flag,
        "specs": list(entry.specs),
        "business_terms": list(entry.business_terms),
        "messages": dict(entry.messages),
    }
