"""The convenient entry points: one call, one document, one `ValidationReport`.

Each call builds a `Validator` from its options (cheap: the compiled rules
and schemas are cached per process); applications that validate many
documents with one configuration keep a `Validator` instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from jppint.document import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, Document, Source
from jppint.engine import DEFAULT_MAX_FINDINGS
from jppint.results import ValidationReport
from jppint.rule_entries import Language
from jppint.schematron import DEFAULT_PHASE
from jppint.specs import Spec
from jppint.validator import Validator


def validate(
    source: Source | Document | None = None,
    *,
    text: str | None = None,
    source_name: str | None = None,
    schematron: Sequence[str | Path] | None = None,
    spec: str | None = None,
    rules_version: str | None = None,
    phase: str = DEFAULT_PHASE,
    lang: Language = "en",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    max_findings: int = DEFAULT_MAX_FINDINGS,
    schema: bool = True,
    stop_on_schema_error: bool = False,
    ubl_schemas: str | os.PathLike[str] | None = None,
    advice: bool = True,
    timeout: float | None = None,
) -> ValidationReport:
    """Validate one document (a UBL Invoice or CreditNote; any XML with `schematron=`) and report every finding.

    The options are those of `Validator` (see there); `source`, `text` and
    `source_name` those of `Validator.validate`. Raises `DocumentError` when
    the input is not a readable UBL document, `SchematronError` when a rule
    file is broken, `SchemaError` when the UBL schemas cannot be used, and
    `ValueError` for an option out of range (an unknown `lang` or
    `rules_version`); an invalid invoice is never an exception.

    With a `timeout` (seconds) the document is validated in a worker process
    started for this call and stopped when the time is up
    (`ValidationTimeoutError`): Saxon cannot be interrupted inside a process.
    That costs a process start (about 0.4 s); a host validating many documents
    under a time limit keeps a `ValidatorPool` instead.
    """
    validator = Validator(
        schematron=tuple(schematron) if schematron else None,
        spec=spec,
        rules_version=rules_version,
        phase=phase,
        lang=lang,
        schema=schema,
        stop_on_schema_error=stop_on_schema_error,
        ubl_schemas=ubl_schemas,
        max_bytes=max_bytes,
        max_depth=max_depth,
        max_elements=max_elements,
        max_findings=max_findings,
        advice=advice,
    )
    if timeout is None:
        return validator.validate(source, text=text, source_name=source_name)
    from jppint.pool import ValidatorPool

    with ValidatorPool(validator, workers=1, timeout=timeout) as pool:
        return pool.validate(source, text=text, source_name=source_name)


def rule_set_paths(
    document: Document,
    *,
    schematron: Sequence[str | Path] | None = None,
    spec: str | None = None,
    rules_version: str | None = None,
) -> tuple[Spec | None, list[str | os.PathLike[str]]]:
    """The specification that applies and the rule files `validate` runs on `document`."""
    return Validator(
        schematron=tuple(schematron) if schematron else None, spec=spec, rules_version=rules_version
    ).rule_set_paths(document)


def is_valid(source: Source | Document | None = None, **options: object) -> bool:
    """True when the document has no fatal finding in a layer that decides validity."""
    return validate(source, **options).valid  # type: ignore[arg-type]
