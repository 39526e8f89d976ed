"""The validation result model: what every caller (API, CLI, reporters) consumes.

Frozen pydantic models so a report can be shared between threads and
serialised to JSON without surprises.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["fatal", "warning", "information"]
FindingKind = Literal["assert", "report", "error"]
# schema: the UBL 2.1 XML Schema; rules: the JP PINT rules (the official verdict);
# advice: our own checks beyond the official rules, which do not decide `valid`.
Layer = Literal["schema", "rules", "advice"]
LayerStatus = Literal["passed", "failed", "skipped"]
LAYERS: tuple[Layer, ...] = ("schema", "rules", "advice")

_SEVERITY_OF_FLAG: dict[str, Severity] = {
    "fatal": "fatal",
    "error": "fatal",
    "warning": "warning",
    "warn": "warning",
    "information": "information",
    "info": "information",
}


def severity_of(flag: str | None, role: str | None = None) -> Severity:
    """Map a Schematron flag (or, failing that, role) to one of our three severities.

    Schematron leaves both free text; an assertion with neither is a plain
    failure, so it counts as fatal.
    """
    for word in (flag, role):
        if word and word.strip().lower() in _SEVERITY_OF_FLAG:
            return _SEVERITY_OF_FLAG[word.strip().lower()]
    return "fatal"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Frozen):
    """One failed assert, fired report, or rule that could not be evaluated."""

    rule_id: str
    layer: Layer = "rules"
    flag: str | None = None
    severity: Severity
    message: str
    messages: dict[str, str] = Field(default_factory=dict)
    location: str
    line: int | None = None
    column: int | None = None
    test: str
    kind: FindingKind
    source: str
    role: str | None = None
    business_terms: tuple[str, ...] = ()
    diagnostics: tuple[str, ...] = ()
    detail: str | None = None


class RuleSetInfo(_Frozen):
    """A rule set that took part in a validation."""

    name: str
    path: str | None = None
    phase: str | None = None


class LayerResult(_Frozen):
    """One validation layer of a report: what it checked with, whether it ran, and what it found."""

    layer: Layer
    status: LayerStatus
    artefacts: tuple[str, ...] = ()
    counts: dict[str, int] = Field(default_factory=dict)
    elapsed_ms: float = 0.0
    reason: str | None = None

    @classmethod
    def of(cls, layer: Layer, findings: list[Finding], *, artefacts: tuple[str, ...], elapsed_ms: float) -> LayerResult:
        counts = _counts(findings)
        return cls(
            layer=layer,
            status="failed" if counts["fatal"] else "passed",
            artefacts=artefacts,
            counts=counts,
            elapsed_ms=round(elapsed_ms, 3),
        )

    @classmethod
    def skipped(cls, layer: Layer, reason: str, *, artefacts: tuple[str, ...] = ()) -> LayerResult:
        return cls(layer=layer, status="skipped", artefacts=artefacts, counts=_counts([]), reason=reason)


def _counts(findings: list[Finding]) -> dict[str, int]:
    counts = {"fatal": 0, "warning": 0, "information": 0}
    for finding in findings:
        counts[finding.severity] += 1
    return counts


class ValidationReport(_Frozen):
    """Everything known about one document after validation."""

    source: str | None = None
    document_type: Literal["Invoice", "CreditNote"]
    document_id: str | None = None
    customization_id: str | None = None
    profile_id: str | None = None
    spec: str | None = None
    spec_version: str | None = None
    valid: bool
    findings: tuple[Finding, ...] = ()
    counts: dict[str, int] = Field(default_factory=dict)
    layers: tuple[LayerResult, ...] = ()
    rule_sets: tuple[RuleSetInfo, ...] = ()
    elapsed_ms: float = 0.0

    @classmethod
    def build(
        cls,
        *,
        findings: list[Finding],
        **fields: object,
    ) -> ValidationReport:
        """Derive `valid` and `counts` from the findings so they can never disagree.

        Advice never makes a document invalid: only schema and rules findings decide.
        """
        counts = _counts(findings)
        deciding = [finding for finding in findings if finding.layer != "advice"]
        return cls(
            findings=tuple(findings),
            counts=counts,
            valid=_counts(deciding)["fatal"] == 0,
            **fields,  # type: ignore[arg-type]
        )
