"""The validation result model: what every caller (API, CLI, reporters) consumes.

Frozen pydantic models so a report can be shared between threads, used as
a dict key or set member, and serialised to JSON without surprises. Their
JSON is a published contract (README "Output contract", `jppint.contract`):
`SCHEMA_VERSION` changes only when a field is removed or changes meaning;
within one version, fields are only added, with a default, so that older
reports still read.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import ExtraValues

Severity = Literal["fatal", "warning", "information"]
FindingKind = Literal["assert", "report", "error"]
# schema: the UBL 2.1 XML Schema; rules: the JP PINT rules (the official verdict);
# advice: our own checks beyond the official rules, which do not decide `valid`.
Layer = Literal["schema", "rules", "advice"]
LayerStatus = Literal["passed", "failed", "skipped"]
LAYERS: tuple[Layer, ...] = ("schema", "rules", "advice")

# The version of the JSON output contract (reports and the command line's JSON).
# A Literal, so that the JSON Schema states it and mypy checks the two agree.
SchemaVersion = Literal[1]
SCHEMA_VERSION: SchemaVersion = 1

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


def _open_to_additions(schema: dict[str, Any]) -> None:
    """Readers must accept the fields a later version adds: the schema does not forbid them."""
    schema.pop("additionalProperties", None)


class FrozenModel(BaseModel):
    """A value: immutable, hashable, strict when our code builds it, tolerant when it reads JSON.

    Building one (`Finding(...)`) refuses unknown fields, so a misspelt
    keyword is an error, not a silently missing value. Reading one
    (`model_validate`, `model_validate_json`) ignores unknown fields, so a
    report written by a later jppint, with fields added within the same
    `schema_version`, still reads; pass `extra="forbid"` to refuse them.
    The JSON Schema says the same: it does not forbid other properties.

    Hashing follows equality: dict fields (`messages`, `counts`) are hashed
    by their items. They stay plain dicts, so that the JSON and the Python
    types are what they were; like the model, treat them as read-only.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_open_to_additions)

    @classmethod
    def model_validate(cls, obj: Any, *, extra: ExtraValues | None = "ignore", **options: Any) -> Self:
        return super().model_validate(obj, extra=extra, **options)

    @classmethod
    def model_validate_json(
        cls, json_data: str | bytes | bytearray, *, extra: ExtraValues | None = "ignore", **options: Any
    ) -> Self:
        return super().model_validate_json(json_data, extra=extra, **options)

    def __hash__(self) -> int:
        return hash((type(self), *(_hashable(value) for value in self.__dict__.values())))


def _hashable(value: object) -> object:
    return frozenset(value.items()) if isinstance(value, dict) else value


class Finding(FrozenModel):
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
    # What the rule found and expected, as written or computed, unformatted (for tools): each property
    # of the failed assertion by its role, e.g. {"found": "228400", "expected": "234400", "currency": "JPY"}.
    values: dict[str, str] = Field(default_factory=dict)


class RuleSetInfo(FrozenModel):
    """A rule set that took part in a validation."""

    name: str
    path: str | None = None
    phase: str | None = None


class LayerResult(FrozenModel):
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


class ValidationReport(FrozenModel):
    """Everything known about one document after validation."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    source: str | None = None
    # "Invoice" or "CreditNote" for a UBL invoice; the root element's local name for any other document.
    document_type: str
    document_id: str | None = None
    customization_id: str | None = None
    profile_id: str | None = None
    spec: str | None = None
    # The JP PINT release whose rules ran (rules/versions.toml; `rules_version=`, the latest by default).
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
