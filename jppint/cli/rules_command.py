"""`jppint rules list`, `show` and `diff`: the rule catalogue and its releases, for people and tools."""

from __future__ import annotations

import argparse
import difflib
import json
import re
from typing import Any

from jppint.cli.exit_codes import EXIT_ERROR, EXIT_VALID
from jppint.cli.localized_parser import display_width
from jppint.cli.streams import error
from jppint.cli.texts import Texts
from jppint.rule_entries import Language


def run_rules_list(arguments: argparse.Namespace) -> int:
    from jppint.catalogue import all_rules

    entries = [
        entry
        for entry in all_rules(arguments.rules_version).values()
        if not arguments.spec or arguments.spec in entry.specs
    ]
    if arguments.format == "json":
        print(json.dumps([_entry_json(entry) for entry in entries], ensure_ascii=False, indent=2))
        return EXIT_VALID
    words = Texts(arguments.lang)
    rows = [
        (entry.rule_id, _layer(entry.layer, arguments.lang), _flag(entry.flag, arguments.lang), ",".join(entry.specs))
        for entry in entries
    ]
    heading = tuple(words(f"rules.heading.{name}") for name in ("id", "layer", "flag", "specs"))
    widths = [max(display_width(row[column]) for row in [heading, *rows]) for column in range(4)]
    print(_columns([*heading, words("rules.heading.terms")], widths))
    for entry, row in zip(entries, rows, strict=True):
        message = entry.messages.get(arguments.lang) or entry.messages.get("en", "")
        print(f"{_columns([*row, ' '.join(entry.business_terms) or '-'], widths)}\n    {message}")
    print(words("rules.count", count=len(entries)))
    return EXIT_VALID


def run_rules_show(arguments: argparse.Namespace) -> int:
    from jppint.catalogue import all_rules

    words = Texts(arguments.lang)
    catalogue = all_rules(arguments.rules_version)
    entry = catalogue.get(arguments.rule_id) or catalogue.get(arguments.rule_id.lower())
    if entry is None:
        close = difflib.get_close_matches(arguments.rule_id.lower(), list(catalogue), n=3)
        hint = words("rules.did_you_mean", rule_ids=", ".join(close)) if close else words("rules.see_list")
        error(words("rules.unknown", rule_id=arguments.rule_id, hint=hint))
        return EXIT_ERROR
    if arguments.format == "json":
        print(json.dumps(_entry_json(entry), ensure_ascii=False, indent=2))
        return EXIT_VALID
    fields = [
        ("id", entry.rule_id),
        ("layer", _layer(entry.layer, arguments.lang)),
        ("flag", _flag(entry.flag, arguments.lang)),
        ("specs", ", ".join(entry.specs)),
        ("terms", ", ".join(entry.business_terms) or "-"),
    ]
    # English readers see both messages, as before; a Japanese reader sees the Japanese one (JSON has both).
    if arguments.lang == "en":
        fields += [("message_en", entry.messages.get("en", "")), ("message_ja", entry.messages.get("ja", ""))]
    else:
        fields.append(("message", entry.messages.get(arguments.lang) or entry.messages.get("en", "")))
    # What a finding of this rule adds before the message: the values it found and expected.
    if entry.value_messages:
        languages = ("en", "ja") if arguments.lang == "en" else (arguments.lang,)
        fields += [
            (f"values_{language}", _placeholders_named(entry.value_messages[language]))
            for language in languages
            if language in entry.value_messages
        ]
    names = [words(f"rules.field.{name}") for name, _ in fields]
    width = max(display_width(name) for name in names)
    print("\n".join(_padded(name, width) + value for name, (_, value) in zip(names, fields, strict=True)))
    return EXIT_VALID


def run_rules_diff(arguments: argparse.Namespace) -> int:
    """What differs between the rules of two releases; exit 0 either way (a difference is no failure)."""
    from jppint.rules_diff import diff_releases

    diff = diff_releases(arguments.old, arguments.new)
    if arguments.format == "json":
        print(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    else:
        print(_diff_text(diff, Texts(arguments.lang)), end="")
    return EXIT_VALID


def _diff_text(diff: Any, words: Texts) -> str:
    """The differences for people, in the catalogue's words (in English exactly `RulesDiff.to_text()`)."""
    lines = [words("rules.diff.heading", old=diff.old, new=diff.new)]
    for kind, changes in (("added", diff.added), ("removed", diff.removed), ("changed", diff.changed)):
        for change in changes:
            what = words("rules.diff.separator").join(words(f"rules.diff.part.{part}") for part in change.changes)
            lines.append(
                words(
                    "rules.diff.rule",
                    kind=_padded(words(f"rules.diff.{kind}"), 8),
                    rule_id=change.rule_id,
                    what=f" {what}" if what else "",
                    specs=" ".join(change.specs),
                )
            )
    for code_list in diff.code_lists:
        parts = [words("rules.diff.codes_added", codes=" ".join(code_list.added))] if code_list.added else []
        if code_list.removed:
            parts.append(words("rules.diff.codes_removed", codes=" ".join(code_list.removed)))
        lines.append(
            words(
                "rules.diff.codes",
                kind=_padded(words("rules.diff.codes_kind"), 8),
                code_list=code_list.code_list,
                used_by=" ".join(code_list.used_by),
                parts=words("rules.diff.codes_separator").join(parts),
            )
        )
    if diff.empty:
        lines.append(words("rules.diff.none"))
    return "\n".join(lines) + "\n"


def _layer(layer: str, language: Language) -> str:
    """A layer in the reports' words (labels.toml), so that `rules` and reports say the same."""
    from jppint.reporters.common import labels

    return labels(language).get(f"layer_{layer}", layer)


def _flag(flag: str, language: Language) -> str:
    from jppint.reporters.common import labels

    return labels(language).get(flag, flag)


def _padded(text: str, width: int) -> str:
    """`text` and spaces up to `width` columns, a Japanese character counting two."""
    return text + " " * max(width - display_width(text), 0) + " "


def _columns(cells: list[str], widths: list[int]) -> str:
    """Cells separated by two spaces, each padded to its column's width (the last one not)."""
    return " ".join(_padded(cell, width) for cell, width in zip(cells, widths, strict=False)) + cells[-1]


def _entry_json(entry: Any) -> dict[str, object]:
    return {
        "id": entry.rule_id,
        "layer": entry.layer,
        "flag": entry.flag,
        "specs": list(entry.specs),
        "business_terms": list(entry.business_terms),
        "messages": dict(entry.messages),
        "value_messages": dict(entry.value_messages),
    }


def _placeholders_named(template: str) -> str:
    """A value sentence as a template a person reads: `{found:amount}` becomes `<found>`."""
    return re.sub(r"\{(\w+)(?::\w+)?\}", r"<\1>", template)
