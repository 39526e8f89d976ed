"""The report people look at: one self-contained HTML page (`--format html`).

A summary table of the files, the rules that fired across them, then per
file with findings or an error: its verdict, the layers that ran, its
findings grouped by rule in both languages (the lead one from `--lang`),
and its source with the lines that have findings highlighted and linked
both ways. The markup and the style are data (page/report.html,
page/report.css), filled here; every value is escaped, nothing is loaded
from anywhere (a Content-Security-Policy says so to the browser), and the
page needs no script.

A batch of any size stays linear: sources are shown in full while the
page holds at most `FULL_SOURCE_BUDGET` source lines, then only the lines
around each finding, and the page says which.
"""

from __future__ import annotations

import bisect
import html
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from string import Template

from jppint import __version__
from jppint.reporters.batch_result import BatchResult, Outcome
from jppint.reporters.common import (
    SEVERITIES,
    ReportOptions,
    labels,
    severity_counts,
    sorted_findings,
    source_lines,
    tag_start,
    xml_text,
)
from jppint.results import LAYERS, Finding, ValidationReport
from jppint.rule_entries import LANGUAGES, Language

# Source lines shown in full on one page before the rest are windowed; a 10,000-line invoice still fits.
FULL_SOURCE_BUDGET = 20_000
# Lines shown either side of a finding in a windowed source.
CONTEXT_LINES = 3
# Places of one message listed in full (XPath, values, detail); the others by line number only.
PLACES_LIMIT = 100
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
_FRAGMENT_MARK = "<!-- fragment: "


class Markup(str):
    """Text that is already HTML (built from the fragments): filled in as it is, not escaped again."""


@cache
def _fragments() -> dict[str, Template]:
    """The pieces of page/report.html by name; the text before the first piece is the file's comment."""
    text = resources.files("jppint.reporters").joinpath("page", "report.html").read_text(encoding="utf-8")
    pieces: dict[str, Template] = {}
    for chunk in text.split(_FRAGMENT_MARK)[1:]:
        name, _, body = chunk.partition(" -->\n")
        pieces[name] = Template(body)
    return pieces


@cache
def _style() -> str:
    return resources.files("jppint.reporters").joinpath("page", "report.css").read_text(encoding="utf-8")


@cache
def _words(lang: Language) -> dict[str, str]:
    """The page's words in `lang`: the reporters' shared labels and the page's own (page/words.toml)."""
    text = resources.files("jppint.reporters").joinpath("page", "words.toml").read_text(encoding="utf-8")
    own: dict[str, str] = tomllib.loads(text)[lang]
    return {**labels(lang), **own}


def escape(value: object) -> Markup:
    """`value` as HTML text: markup characters and quotes escaped, characters HTML cannot carry replaced."""
    return Markup(html.escape(xml_text(value), quote=True))


def fill(fragment: str, **values: object) -> Markup:
    """A fragment of page/report.html with its names replaced; only `Markup` goes in unescaped."""
    filled = {name: value if isinstance(value, Markup) else escape(value) for name, value in values.items()}
    return Markup(_fragments()[fragment].substitute(filled))


def join(pieces: Iterable[Markup]) -> Markup:
    return Markup("".join(pieces))


@dataclass
class _SourceBudget:
    """How many more source lines the page shows in full (the rest are windowed)."""

    left: int = FULL_SOURCE_BUDGET

    def take(self, lines: int) -> bool:
        if lines > self.left:
            return False
        self.left -= lines
        return True


@dataclass
class _RuleTotal:
    """One rule across the batch: in how many files it fired, how often, and its first message."""

    message: str
    files: int = 0
    occurrences: int = 0


@dataclass
class _Page:
    """What one rendering needs everywhere: the languages and words, the source budget, the rule totals."""

    lead: Language
    other: Language
    words: dict[str, str]
    budget: _SourceBudget = field(default_factory=_SourceBudget)
    rules: dict[tuple[str, str, str], _RuleTotal] = field(default_factory=dict)
    files_with_findings: int = 0


def render(batch: BatchResult, options: ReportOptions) -> str:
    lead = options.lang
    page = _Page(lead, next(language for language in LANGUAGES if language != lead), _words(lead))
    words = page.words
    rows: list[Markup] = []
    sections: list[Markup] = []
    for number, outcome in enumerate(batch.outcomes, 1):
        section_id = f"file-{number}"
        shown = outcome.report is None or bool(outcome.report.findings)
        rows.append(_row(outcome, batch, page, section_id if shown else None))
        if shown:
            sections.append(_file_section(outcome, batch, page, section_id))
    return fill(
        "page",
        lang=lead,
        version=__version__,
        title=words["title"],
        style=Markup(_style()),
        totals=_totals(batch, words),
        policy=words["source_policy"].format(
            budget=f"{FULL_SOURCE_BUDGET:,}", context=CONTEXT_LINES, places=PLACES_LIMIT
        ),
        files_heading=words["files_heading"],
        file=words["file"],
        verdict=words["verdict"],
        document=words["document_column"],
        severity_headings=join(fill("heading", text=words[severity]) for severity in SEVERITIES),
        layer_headings=join(fill("heading", text=words[f"layer_{layer}"]) for layer in LAYERS),
        rows=join(rows),
        rules=_rules_table(page),
        sections=join(sections),
        generator=words["generator"].format(version=__version__),
    )


def _totals(batch: BatchResult, words: Mapping[str, str]) -> Markup:
    summary = batch.summary()
    findings = batch.findings_by_severity()
    pieces = [
        ("files", f"{words['files']}: {summary['files']}"),
        ("valid", f"{words['valid']}: {summary['valid']}"),
        ("invalid" if summary["invalid"] else "", f"{words['invalid']}: {summary['invalid']}"),
        ("errors" if summary["errors"] else "", f"{words['errors']}: {summary['errors']}"),
        *(
            (severity if findings.get(severity) else "", f"{words[severity]}: {findings.get(severity, 0)}")
            for severity in SEVERITIES
        ),
        ("elapsed", words["elapsed"].format(seconds=f"{batch.elapsed_seconds:.2f}")),
    ]
    # Findings --select/--ignore or --baseline kept out of the page: said, so that a clean page is not misread.
    left_out = [
        words[f"left_out_{cause}"].format(number=number) for cause, number in batch.left_out().items() if number
    ]
    if left_out:
        pieces.append(("left-out", f"{words['left_out']}: {words['separator'].join(left_out)}"))
    return join(fill("total", kind=kind, text=text) for kind, text in pieces)


def _document(report: ValidationReport, words: Mapping[str, str]) -> str:
    document = words["document"].format(type=report.document_type, id=report.document_id or words["no_id"])
    return f"{document}, {report.spec}" if report.spec else document


def _row(outcome: Outcome, batch: BatchResult, page: _Page, section_id: str | None) -> Markup:
    words = page.words
    status = outcome.status(batch.fail_on)
    name = fill("link", target=section_id, text=outcome.label) if section_id else escape(outcome.label)
    report = outcome.report
    if report is None:
        reason = outcome.problem.reason if outcome.problem else ""
        blank = fill("count", zero=" zero", number="–")
        return fill(
            "row",
            status=status,
            name=name,
            verdict=words[status],
            document=reason,
            counts=join([blank] * (len(SEVERITIES) + len(LAYERS))),
        )
    by_layer = {layer: 0 for layer in LAYERS}
    for finding in report.findings:
        by_layer[finding.layer] += 1
    numbers = [report.counts.get(severity, 0) for severity in SEVERITIES] + [by_layer[layer] for layer in LAYERS]
    return fill(
        "row",
        status=status,
        name=name,
        verdict=words[status],
        document=_document(report, words),
        counts=join(fill("count", zero="" if number else " zero", number=number) for number in numbers),
    )


def _rules_table(page: _Page) -> Markup:
    """What fired across the batch; with findings in one file only, its own section says it all."""
    if page.files_with_findings < 2:
        return Markup("")
    words = page.words
    ordered = sorted(page.rules.items(), key=lambda item: (_SEVERITY_RANK[item[0][2]], -item[1].occurrences))
    rows = join(
        fill(
            "rule_row",
            rule=rule_id,
            layer=layer,
            layer_word=words[f"layer_{layer}"],
            severity=severity,
            severity_word=words[severity],
            files=total.files,
            occurrences=total.occurrences,
            message=total.message,
        )
        for (rule_id, layer, severity), total in ordered
    )
    return fill(
        "rules",
        heading=words["rules_heading"],
        rule=words["rule"],
        layer=words["layer"],
        severity=words["severity"],
        in_files=words["in_files"],
        occurrences=words["occurrences"],
        message=words["message"],
        rows=rows,
    )


def _file_section(outcome: Outcome, batch: BatchResult, page: _Page, section_id: str) -> Markup:
    words = page.words
    status = outcome.status(batch.fail_on)
    report = outcome.report
    if report is None:
        problem = outcome.problem
        body = fill(
            "problem",
            heading=words["problem"],
            place=problem.place if problem else outcome.label,
            reason=problem.reason if problem else "",
        )
        about: str = ""
        layers = Markup("")
    else:
        body = _findings_and_source(outcome, report, page, section_id)
        about = _about(report, page)
        layers = join(
            fill(
                "layer_status",
                status=layer.status,
                text=words["layer_status"].format(layer=words[f"layer_{layer.layer}"], status=words[layer.status])
                + (f" ({layer.reason})" if layer.reason else ""),
            )
            for layer in report.layers
        )
    return fill(
        "file",
        status=status,
        id=section_id,
        verdict=words[status],
        name=outcome.label,
        about=about,
        layers=layers,
        body=body,
        back=words["back_to_top"],
    )


def _about(report: ValidationReport, page: _Page) -> str:
    words = page.words
    parts = [_document(report, words)]
    if report.spec_version:
        parts.append(report.spec_version)
    counts = severity_counts(report.counts, page.lead, skip_zero=True)
    if counts:
        parts.append(counts)
    if report.rule_sets:
        parts.append(words["rules_used"].format(names=words["separator"].join(rule.name for rule in report.rule_sets)))
    parts.append(words["elapsed"].format(seconds=f"{report.elapsed_ms / 1000:.2f}"))
    return " · ".join(parts)


@dataclass
class _Group:
    """The findings of one rule in one file, by their message in both languages."""

    finding: Finding
    group_id: str
    messages: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)
    count: int = 0


def _findings_and_source(outcome: Outcome, report: ValidationReport, page: _Page, section_id: str) -> Markup:
    lines = source_lines(outcome.input)
    findings = sorted_findings(report.findings)
    groups: dict[tuple[str, str, str], _Group] = {}
    for finding in findings:
        key: tuple[str, str, str] = (finding.rule_id, finding.layer, finding.severity)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(finding, f"{section_id}-rule-{len(groups) + 1}")
        group.count += 1
        group.messages.setdefault(_texts(finding, page), []).append(finding)
    page.files_with_findings += 1
    for rule_key, group in groups.items():
        total = page.rules.get(rule_key)
        if total is None:
            total = page.rules[rule_key] = _RuleTotal(_texts(group.finding, page)[0])
        total.files += 1
        total.occurrences += group.count
    whole = bool(lines) and page.budget.take(len(lines))
    if whole:
        shown = findings
        windows = [(1, len(lines))]
    else:
        # Past the budget: the lines around the places listed in full (the first PLACES_LIMIT of each message).
        shown = [
            found for group in groups.values() for places in group.messages.values() for found in places[:PLACES_LIMIT]
        ]
        windows = _windows([span for found in shown if (span := _span(lines, found))], len(lines))
    anchors = _Anchors(lines, section_id, windows)
    ordered = sorted(groups.values(), key=lambda group: _SEVERITY_RANK[group.finding.severity])
    findings_html = fill(
        "findings",
        heading=page.words["findings_heading"],
        groups=join(_group(group, anchors, page) for group in ordered),
    )
    return Markup(findings_html + _source(lines, shown, groups, anchors, whole, page))


def _texts(finding: Finding, page: _Page) -> tuple[str, str]:
    """The message in the lead language, and in the other one when the finding has it and it differs."""
    lead = finding.messages.get(page.lead) or finding.message
    other = finding.messages.get(page.other, "")
    return lead, "" if other == lead else other


def _span(lines: list[str], finding: Finding) -> tuple[int, int] | None:
    """The lines of the finding's start tag (first to last), when the source has them."""
    if finding.line is None or not 0 < finding.line <= len(lines):
        return None
    return tag_start(lines, finding.line), finding.line


@dataclass(frozen=True)
class _Anchors:
    """Where a finding's link points: the first line of its element's start tag, when the page shows it."""

    lines: list[str]
    section_id: str
    windows: list[tuple[int, int]]

    def span_of(self, finding: Finding) -> tuple[int, int] | None:
        span = _span(self.lines, finding)
        if span is None:
            return None
        index = bisect.bisect_right(self.windows, (span[0], len(self.lines) + 1)) - 1
        return span if index >= 0 and self.windows[index][1] >= span[1] else None

    def line_of(self, finding: Finding) -> int | None:
        span = self.span_of(finding)
        return span[0] if span else None

    def id_of(self, line: int) -> str:
        return f"{self.section_id}-line-{line}"


def _group(group: _Group, anchors: _Anchors, page: _Page) -> Markup:
    words = page.words
    finding = group.finding
    terms = sorted({term for found in _all(group) for term in found.business_terms})
    terms_html = (
        fill("terms", label=words["terms"], items=join(fill("term", term=term) for term in terms))
        if terms
        else Markup("")
    )
    messages = join(
        fill(
            "message",
            lead_lang=page.lead,
            lead=lead,
            other=fill("other_message", lang=page.other, text=other) if other else Markup(""),
            places=Markup(
                join(_place(found, anchors, words) for found in places[:PLACES_LIMIT])
                + _more_places(places[PLACES_LIMIT:], anchors, words)
            ),
        )
        for (lead, other), places in group.messages.items()
    )
    return fill(
        "group",
        severity=finding.severity,
        id=group.group_id,
        severity_word=words[finding.severity],
        layer=finding.layer,
        layer_word=words[f"layer_{finding.layer}"],
        rule=finding.rule_id,
        count=group.count,
        terms=terms_html,
        messages=messages,
    )


def _all(group: _Group) -> Iterable[Finding]:
    for places in group.messages.values():
        yield from places


def _place(finding: Finding, anchors: _Anchors, words: Mapping[str, str]) -> Markup:
    line = anchors.line_of(finding)
    if line is not None:
        where = fill("line_link", target=anchors.id_of(line), text=words["line_number"].format(line=finding.line))
    elif finding.line is not None:
        where = fill("no_line", text=words["line_number"].format(line=finding.line))
    else:
        where = fill("no_line", text=words["no_line"])
    extra: list[Markup] = []
    if finding.values:
        items = join(fill("value", role=role, value=value) for role, value in finding.values.items())
        extra.append(fill("values", label=words["values"], items=items))
    if finding.detail:
        extra.append(fill("detail", label=words["detail"], text=finding.detail))
    return fill("place", where=where, location=finding.location, extra=join(extra))


def _more_places(others: list[Finding], anchors: _Anchors, words: Mapping[str, str]) -> Markup:
    """The places past the first PLACES_LIMIT of a message: by line only, linked where the page shows the line."""
    if not others:
        return Markup("")
    numbers: list[Markup] = []
    for found in others:
        line = anchors.line_of(found)
        if line is not None:
            numbers.append(fill("short_link", target=anchors.id_of(line), text=found.line))
        else:
            numbers.append(escape(found.line if found.line is not None else words["no_line"]))
    return fill(
        "more_places", text=words["more_places"].format(count=f"{len(others):,}"), lines=Markup(", ".join(numbers))
    )


@dataclass
class _Hit:
    """A source line with findings: the worst severity, and the rules to link back to (at the tag's first line)."""

    severity: str
    marks: dict[str, tuple[str, str]] = field(default_factory=dict)


def _source(
    lines: list[str],
    shown: list[Finding],
    groups: Mapping[tuple[str, str, str], _Group],
    anchors: _Anchors,
    whole: bool,
    page: _Page,
) -> Markup:
    words = page.words
    if not lines:
        return fill("source_unavailable", heading=words["source_heading"], note=words["source_unavailable"])
    hits: dict[int, _Hit] = {}
    for finding in shown:
        span = anchors.span_of(finding)
        if span is None:
            continue
        start, last = span
        group = groups[(finding.rule_id, finding.layer, finding.severity)]
        for number in range(start, last + 1):
            hit = hits.setdefault(number, _Hit(finding.severity))
            if _SEVERITY_RANK[finding.severity] < _SEVERITY_RANK[hit.severity]:
                hit.severity = finding.severity
        hits[start].marks.setdefault(group.group_id, (finding.rule_id, finding.severity))
    if whole:
        note = words["source_full"].format(lines=f"{len(lines):,}")
    else:
        count = sum(last - first + 1 for first, last in anchors.windows)
        note = words["source_windowed"].format(shown=f"{count:,}", lines=f"{len(lines):,}", context=CONTEXT_LINES)
    return fill(
        "source",
        heading=words["source_heading"],
        note=note,
        lines=join(_source_lines(lines, anchors.windows, hits, anchors, words)),
    )


def _windows(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The line ranges around the findings, merged where they touch, in order."""
    windows: list[tuple[int, int]] = []
    widened = sorted((max(1, first - CONTEXT_LINES), min(length, last + CONTEXT_LINES)) for first, last in spans)
    for first, last in widened:
        if windows and first <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], max(windows[-1][1], last))
        else:
            windows.append((first, last))
    return windows


def _source_lines(
    lines: list[str],
    windows: list[tuple[int, int]],
    hits: Mapping[int, _Hit],
    anchors: _Anchors,
    words: Mapping[str, str],
) -> Iterable[Markup]:
    """The source lines of the windows, a marked gap for each run of lines left out."""
    previous = 0
    for first, last in windows:
        if first > previous + 1:
            yield fill("gap", text=words["gap"].format(first=previous + 1, last=first - 1))
        for number in range(first, last + 1):
            hit = hits.get(number)
            if hit is None:
                yield fill("source_line", id=anchors.id_of(number), number=number, text=lines[number - 1])
                continue
            marks = join(
                fill("mark", severity=severity, target=group_id, rule=rule_id)
                for group_id, (rule_id, severity) in hit.marks.items()
            )
            yield fill(
                "source_hit",
                severity=hit.severity,
                id=anchors.id_of(number),
                number=number,
                text=lines[number - 1],
                marks=marks,
            )
        previous = last
    if previous < len(lines):
        yield fill("gap", text=words["gap"].format(first=previous + 1, last=len(lines)))
