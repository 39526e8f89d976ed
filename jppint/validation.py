"""The public entry point: one document in, one `ValidationReport` out."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from jppint.catalogue import Language, describe, in_language
from jppint.document import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_ELEMENTS,
    Document,
    Source,
    read_document,
    serialize_for_engine,
)
from jppint.engine import DEFAULT_MAX_FINDINGS, findings_of, load_rule_set, parse_for_saxon
from jppint.errors import UnknownSpecError
from jppint.results import Finding, RuleSetInfo, ValidationReport
from jppint.rulesets import rule_set_path
from jppint.schematron import ALL_PHASES
from jppint.specs import Spec, spec_named, spec_of_customization_id, supported_identifiers


def validate(
    source: Source | Document,
    *,
    schematron: Sequence[str | Path] | None = None,
    spec: str | None = None,
    phase: str = ALL_PHASES,
    lang: Language = "en",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    max_findings: int = DEFAULT_MAX_FINDINGS,
) -> ValidationReport:
    """Validate one UBL Invoice or CreditNote and report every finding.

    `source` is a path, XML as `bytes` or `str`, a binary file object, an
    lxml tree, or a `Document` already returned by `read_document`.
    `schematron` runs those `.sch` files instead of the built-in rules;
    `spec` ("jp", "jp-sb", "jp-ntr") overrides the CustomizationID.
    `lang` ("en" or "ja") picks the language of `Finding.message`; both
    texts are always in `Finding.messages` for the built-in rules.
    `max_bytes`, `max_depth` and `max_elements` bound the input (see
    `read_document`); past `max_findings`, findings are counted, not listed,
    and one `jppint-too-many-findings` finding says how many were left out.
    Raises `DocumentError` when the input is not a readable UBL document and
    `SchematronError` when a rule file is broken; an invalid invoice is never
    an exception.
    """
    started = time.perf_counter()
    if isinstance(source, Document):
        document = source
    else:
        document = read_document(source, max_bytes=max_bytes, max_depth=max_depth, max_elements=max_elements)
    chosen, paths = rule_set_paths(document, schematron=schematron, spec=spec)
    rule_sets = [load_rule_set(path, phase=phase) for path in paths]
    saxon_document = parse_for_saxon(serialize_for_engine(document), source=document.name)
    findings: list[Finding] = []
    for rule_set in rule_sets:
        room = max(0, max_findings - len(findings))
        findings.extend(findings_of(rule_set, rule_set.run(saxon_document), document.root, limit=room))
    if not schematron and chosen is not None:
        findings = [describe(finding, lang, chosen.version) for finding in findings]
    else:
        findings = [in_language(finding, lang) for finding in findings]
    return ValidationReport.build(
        findings=findings,
        source=document.name,
        document_type=document.document_type,
        document_id=document.document_id,
        customization_id=document.customization_id,
        profile_id=document.profile_id,
        spec=chosen.key if chosen else None,
        spec_version=chosen.version if chosen else None,
        rule_sets=tuple(RuleSetInfo(name=r.name, path=r.path, phase=r.phase) for r in rule_sets),
        elapsed_ms=round((time.perf_counter() - started) * 1000, 3),
    )


def rule_set_paths(
    document: Document, *, schematron: Sequence[str | Path] | None = None, spec: str | None = None
) -> tuple[Spec | None, list[str | Path]]:
    """The specification that applies and the rule files `validate` runs on `document`.

    Public so that a caller (the CLI's batch) can compile and check the
    rules before validating, with the same choice `validate` makes.
    """
    chosen = spec_named(spec) if spec else spec_of_customization_id(document.customization_id)
    if schematron:
        return chosen, list(schematron)
    if chosen is None:
        found = (
            f"CustomizationID is {document.customization_id!r}" if document.customization_id else "no CustomizationID"
        )
        raise UnknownSpecError(
            f"cannot tell which JP PINT specification applies: {found}; "
            f"supported: {supported_identifiers()}; or choose one with spec= (--spec on the command line)"
        )
    return chosen, [rule_set_path(chosen)]


def is_valid(source: Source, **options: object) -> bool:
    """True when the document has no fatal finding."""
    return validate(source, **options).valid  # type: ignore[arg-type]
