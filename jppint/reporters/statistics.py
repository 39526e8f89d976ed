"""How many findings of each rule a run has (`--statistics`), the worst first, as ruff prints them.

    count  rule id              severity  message
       12  ibr-co-13            fatal     The total without tax (cbc:TaxExclusiveAmount) is wrong: ...
        3  aligned-ibrp-e-01    warning   ...

    files: 9, valid: 6, invalid: 3, errors: 0 | findings: 12 fatal, 3 warning, 0 information | 0.81 s

Rows are sorted by count, then by rule id. The message is the rule's own
from the catalogue, in the chosen language; for rules outside it (a
user's Schematron), that of the rule's first finding.
"""

from __future__ import annotations

from collections import Counter

from jppint.catalogue import RuleEntry, all_rules
from jppint.reporters.batch_result import BatchResult
from jppint.reporters.common import ReportOptions, labels
from jppint.reporters.text import summary_line
from jppint.results import Finding


def rows(batch: BatchResult) -> list[tuple[int, Finding]]:
    """(count, first finding) per rule id, the most frequent first."""
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for outcome in batch.outcomes:
        if outcome.report is not None:
            for finding in outcome.report.findings:
                counts[finding.rule_id] += 1
                first.setdefault(finding.rule_id, finding)
    return [(count, first[rule_id]) for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def render(batch: BatchResult, options: ReportOptions) -> str:
    words = labels(options.lang)
    table = rows(batch)
    catalogue = _catalogue() if batch.built_in else {}
    lines: list[str] = []
    if table:
        width = max(len(finding.rule_id) for _, finding in table)
        severity_width = max(len(words[severity]) for severity in ("fatal", "warning", "information"))
        lines.append(
            f"{words['statistics_count']:>6}  {words['statistics_rule']:<{width}}  "
            f"{words['statistics_severity']:<{severity_width}}  {words['statistics_message']}"
        )
        for count, finding in table:
            entry = catalogue.get(finding.rule_id)
            message = (entry.messages.get(options.lang) if entry else None) or finding.message
            lines.append(
                f"{count:>6}  {finding.rule_id:<{width}}  {words[finding.severity]:<{severity_width}}  {message}"
            )
        lines.append("")
    lines.append(summary_line(batch, options))
    return "\n".join(lines) + "\n"


def _catalogue() -> dict[str, RuleEntry]:
    try:
        return all_rules()
    except Exception:  # a catalogue that cannot be read costs the messages, not the statistics
        return {}
