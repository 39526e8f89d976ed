"""Building report pages from made-up reports and reading them back as HTML trees."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from jppint.reporters import ReportOptions
from jppint.reporters.batch_result import BatchResult, InputProblem, Outcome
from jppint.reporters.html import render
from jppint.results import Finding, LayerResult, ValidationReport


@dataclass(frozen=True)
class Source:
    """The bytes a report was made from, as the command line lends them to reporters."""

    data: bytes | None

    def read_bytes(self) -> bytes | None:
        return self.data


def finding(
    rule_id: str, line: int | None, *, severity: str = "fatal", layer: str = "rules", **fields: object
) -> Finding:
    values: dict[str, object] = {
        "rule_id": rule_id,
        "layer": layer,
        "severity": severity,
        "message": f"{rule_id} is broken",
        "messages": {"en": f"{rule_id} is broken", "ja": f"{rule_id} が壊れています"},
        "location": "/ubl:Invoice[1]/cbc:ID[1]",
        "line": line,
        "test": "false()",
        "kind": "assert",
        "source": "rules.sch",
        **fields,
    }
    return Finding.model_validate(values, extra="forbid")


def report(source: str, findings: list[Finding]) -> ValidationReport:
    return ValidationReport.build(
        findings=findings,
        source=source,
        document_type="Invoice",
        document_id="INV-1",
        spec="jp",
        layers=(LayerResult.of("rules", findings, artefacts=(), elapsed_ms=1.0),),
    )


def outcome(label: str, findings: list[Finding], data: bytes | None) -> Outcome:
    return Outcome(Source(data), label, report=report(label, findings))


def problem(label: str, reason: str) -> Outcome:
    return Outcome(None, label, problem=InputProblem(label, reason, line=1, column=1))


def page_of(*outcomes: Outcome, lang: str = "en") -> str:
    return render(BatchResult(tuple(outcomes), "fatal", 0.5), ReportOptions(lang=lang))  # type: ignore[arg-type]


def tree_of(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page.encode("utf-8"))


def invoice_lines(count: int) -> bytes:
    """A document of `count` lines (an XML declaration, then one element a line)."""
    body = "\n".join(f"  <cbc:Note>line {number}</cbc:Note>" for number in range(2, count))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n</Invoice>'.encode()


_PART = re.compile(r"([\w-]+|\*)?((?:[.#][\w-]+|\[[\w-]+(?:\^?=(?:'[^']*'|\"[^\"]*\"))?\])*)")
_STEP = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:(\^?=)['\"]([^'\"]*)['\"])?\]")


def select(element: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    """The elements a simple CSS selector names (tags, classes, ids, attributes, descendants, commas).

    Enough for reading our page in the tests without another dependency.
    """
    paths = []
    for alternative in selector.split(","):
        path = "."
        for part in alternative.split():
            match = _PART.fullmatch(part)
            assert match, part
            tests = []
            for dot_or_hash, name, attribute, operator, value in _STEP.findall(match.group(2)):
                if dot_or_hash == ".":
                    tests.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')")
                elif dot_or_hash == "#":
                    tests.append(f"@id='{name}'")
                elif operator == "=":
                    tests.append(f"@{attribute}='{value}'")
                elif operator == "^=":
                    tests.append(f"starts-with(@{attribute}, '{value}')")
                else:
                    tests.append(f"@{attribute}")
            path += f"//{match.group(1) or '*'}" + "".join(f"[{test}]" for test in tests)
        paths.append(path)
    found: list[lxml.html.HtmlElement] = element.xpath(" | ".join(paths))
    return found
