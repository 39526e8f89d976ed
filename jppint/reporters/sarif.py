"""SARIF 2.1.0, for code-scanning views (GitHub code scanning, IDEs, SARIF viewers).

One run; the driver lists the rules that produced a finding, with their
short description in the chosen language and a help text (both languages,
business terms, specifications) from the rule catalogue. Each finding is a
result with a physical location (file relative to %SRCROOT%, the working
directory, and line) and a logical location (the canonical XPath). Inputs
that could not be validated are tool execution notifications, and make the
invocation unsuccessful.
"""

from __future__ import annotations

import json
from pathlib import Path

from jppint.catalogue import RuleEntry, all_rules, schema_catalogue
from jppint.reporters.batch_result import BatchResult
from jppint.reporters.common import ReportOptions, artifact_location, sorted_findings
from jppint.results import Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"fatal": "error", "warning": "warning", "information": "note"}


def render(batch: BatchResult, options: ReportOptions) -> str:
    from jppint import __version__

    catalogue = _catalogue(batch.built_in)
    rules: list[dict[str, object]] = []
    rule_index: dict[str, int] = {}
    results: list[dict[str, object]] = []
    notifications: list[dict[str, object]] = []
    for outcome in batch.outcomes:
        location = artifact_location(outcome.label, options.working_directory)
        if outcome.problem is not None:
            problem = outcome.problem
            notification: dict[str, object] = {"level": "error", "message": {"text": problem.reason}}
            physical: dict[str, object] = {"artifactLocation": location}
            if problem.line:
                physical["region"] = _region(problem.line, problem.column)
            notification["locations"] = [{"physicalLocation": physical}]
            notifications.append(notification)
            continue
        if outcome.report is None:
            continue
        for finding in sorted_findings(outcome.report.findings):
            if finding.rule_id not in rule_index:
                rule_index[finding.rule_id] = len(rules)
                rules.append(_rule(finding, catalogue.get(finding.rule_id), options))
            results.append(_result(finding, rule_index[finding.rule_id], location))
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "jppint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _directory_uri(options.working_directory)}},
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "results": results,
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _catalogue(built_in: bool) -> dict[str, RuleEntry]:
    """Descriptions of the rules that can appear: the schema layer's always, the JP PINT rules when they ran."""
    try:
        return all_rules() if built_in else schema_catalogue()
    except Exception:
        return {}


def _directory_uri(directory: Path) -> str:
    uri = directory.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _region(line: int, column: int | None = None) -> dict[str, int]:
    region = {"startLine": line}
    if column:
        region["startColumn"] = column
    return region


def _rule(finding: Finding, entry: RuleEntry | None, options: ReportOptions) -> dict[str, object]:
    short = (entry.messages.get(options.lang) if entry else None) or finding.message
    help_lines = [entry.messages.get(lang, "") for lang in ("en", "ja")] if entry else [finding.message]
    help_lines = [line for line in help_lines if line]
    if entry and entry.business_terms:
        help_lines.append(f"Business terms: {', '.join(entry.business_terms)}")
    if entry and entry.specs:
        help_lines.append(f"Specifications: {', '.join(entry.specs)}")
    help_lines.append(f"Test: {finding.test}")
    flag = entry.flag if entry else finding.flag
    return {
        "id": finding.rule_id,
        "shortDescription": {"text": short},
        "help": {"text": "\n".join(help_lines)},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "flag": flag,
            "businessTerms": list(entry.business_terms if entry else finding.business_terms),
            "layer": finding.layer,
            "tags": ["jp-pint", finding.layer, *(entry.specs if entry else ())],
        },
    }


def _result(finding: Finding, index: int, location: dict[str, str]) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": location}
    if finding.line:
        physical["region"] = _region(finding.line)
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [{"fullyQualifiedName": finding.location, "kind": "element"}],
            }
        ],
        "properties": {
            "layer": finding.layer,
            "flag": finding.flag,
            "kind": finding.kind,
            "source": finding.source,
            **({"column": finding.column} if finding.column else {}),
            **({"detail": finding.detail} if finding.detail else {}),
        },
    }
