"""The public entry point: one document in, one `ValidationReport` out."""

from __future__ import annotations

import os
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
from jppint.engine import DEFAULT_MAX_FINDINGS, RuleSet, findings_of, load_rule_set, parse_for_saxon
from jppint.errors import UnknownSpecError
from jppint.results import Finding, LayerResult, RuleSetInfo, ValidationReport
from jppint.rulesets import rule_set_path
from jppint.schematron import ALL_PHASES
from jppint.specs import Spec, spec_named, spec_of_customization_id, supported_identifiers
from jppint.xsd import check_schema


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
    schema: bool = True,
    stop_on_schema_error: bool = False,
    ubl_schemas: str | os.PathLike[str] | None = None,
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
    The schema layer checks the document against the OASIS UBL 2.1 XML
    Schema first (`schema=False` leaves it out, `ubl_schemas` names your own
    copy of the OASIS `xsd` folder); the rules still run after schema
    findings, unless `stop_on_schema_error`. Raises `DocumentError` when the input is not a readable UBL document and
    `SchematronError` when a rule file is broken, `SchemaError` when the UBL
    schemas cannot be used; an invalid invoice is never an exception.
    """
    started = time.perf_counter()
    if isinstance(source, Document):
        document = source
    else:
        document = read_document(source, max_bytes=max_bytes, max_depth=max_depth, max_elements=max_elements)
    chosen, paths = rule_set_paths(document, schematron=schematron, spec=spec)
    rule_sets = [load_rule_set(path, phase=phase) for path in paths]
    layers: list[LayerResult] = []
    findings: list[Finding] = []
    if schema:
        layer_started = time.perf_counter()
        checked = check_schema(document, directory=ubl_schemas, limit=max_findings)
        findings = [in_language(finding, lang) for finding in checked.findings]
        layers.append(
            LayerResult.of(
                "schema",
                findings,
                artefacts=(checked.schema_file,),
                elapsed_ms=(time.perf_counter() - layer_started) * 1000,
            )
        )
    rule_names = tuple(rule_set.name for rule_set in rule_sets)
    if stop_on_schema_error and layers and layers[0].status == "failed":
        layers.append(LayerResult.skipped("rules", "stopped after schema errors", artefacts=rule_names))
        rule_sets = []
    else:
        layer_started = time.perf_counter()
        rules_findings = _rules_findings(document, rule_sets, max(0, max_findings - len(findings)))
        if not schematron and chosen is not None:
            rules_findings = [describe(finding, lang, chosen.version) for finding in rules_findings]
        else:
            rules_findings = [in_language(finding, lang) for finding in rules_findings]
        layers.append(
            LayerResult.of(
                "rules",
                rules_findings,
                artefacts=rule_names,
                elapsed_ms=(time.perf_counter() - layer_started) * 1000,
            )
        )
        findings.extend(rules_findings)
    return ValidationReport.build(
        findings=findings,
        layers=tuple(layers),
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


def _rules_findings(document: Document, rule_sets: list[RuleSet], limit: int) -> list[Finding]:
    saxon_document = parse_for_saxon(serialize_for_engine(document), source=document.name)
    findings: list[Finding] = []
    for rule_set in rule_sets:
        room = max(0, limit - len(findings))
        findings.extend(findings_of(rule_set, rule_set.run(saxon_document), document.root, limit=room))
    return findings


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
