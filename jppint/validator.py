"""A `Validator`: one configuration, many documents, from any number of threads.

Applications that validate all day (an accounting server, a queue worker)
build one `Validator` with their rules, layers, limits and language, and
call `validate` on it from any thread. Everything it keeps between calls is
a bounded cache keyed by what makes it correct (the rule sets by resolved
path, modification time and size; the UBL schemas by folder and file
state), so a rule file edited on disk or a changed working directory is
never served stale. Saxon runs one call at a time per process (see
`jppint.engine`); for parallel work use worker processes
(`jppint.ValidatorPool`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace

from lxml import etree

from jppint.advice import advice_layer
from jppint.catalogue import LANGUAGES, Language, describe, in_language
from jppint.document import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_ELEMENTS,
    Document,
    Source,
    read_document,
)
from jppint.engine import DEFAULT_MAX_FINDINGS, RuleSet, findings_of, load_rule_set, parse_for_saxon
from jppint.errors import UnknownSpecError
from jppint.long_numbers import screen_long_numbers
from jppint.results import Finding, LayerResult, RuleSetInfo, ValidationReport
from jppint.rulesets import built_in_name
from jppint.schematron import DEFAULT_PHASE
from jppint.specs import (
    Spec,
    release_named,
    release_of_rule_file,
    spec_named,
    spec_of_customization_id,
    supported_identifiers,
)
from jppint.unread_text import without_unread_text
from jppint.xsd import check_schema


@dataclass(frozen=True)
class Validator:
    """What to check and how; immutable, so one instance is safely shared by threads.

    `schematron` runs those `.sch` files instead of the built-in rules, on
    any well-formed XML; `phase` is their Schematron phase: by default each
    schema's `defaultPhase` (every pattern when it names none), "#ALL" for
    every pattern;
    `rules_version` picks the JP PINT release whose rules run (the latest
    when None; `jppint.specs.releases()` lists them), for invoices issued
    under an earlier one; `spec` ("jp", "jp-sb", "jp-ntr") overrides the CustomizationID; `lang`
    ("en" or "ja") picks the language of `Finding.message` (both texts are
    in `Finding.messages`). The schema layer (OASIS UBL 2.1 XSD) runs first
    unless `schema=False`; `stop_on_schema_error` skips the rules after a
    schema finding; `ubl_schemas` names your own copy of the OASIS `xsd`
    folder. The advice layer (`jppint.advice`: our own checks, which never
    decide `valid`) runs after the rules unless `advice=False`, and is
    skipped with them. `max_bytes`, `max_depth` and `max_elements` bound the input (see
    `read_document`); past `max_findings`, findings are counted, not listed.
    """

    schematron: tuple[str | os.PathLike[str], ...] | None = None
    spec: str | None = None
    phase: str = DEFAULT_PHASE
    lang: Language = "en"
    schema: bool = True
    stop_on_schema_error: bool = False
    ubl_schemas: str | os.PathLike[str] | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_elements: int = DEFAULT_MAX_ELEMENTS
    max_findings: int = DEFAULT_MAX_FINDINGS
    advice: bool = True
    rules_version: str | None = None

    def __post_init__(self) -> None:
        # Wrong options are the caller's bug: say so at once, not as a silently different report.
        if self.lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {self.lang!r}")
        release = release_named(self.rules_version)
        if self.spec is not None and self.spec not in release.specs:
            spec_named(self.spec, release.version)
        if isinstance(self.schematron, (str, os.PathLike)):
            object.__setattr__(self, "schematron", (self.schematron,))
        elif self.schematron is not None:
            object.__setattr__(self, "schematron", tuple(self.schematron) or None)
        for name in ("max_bytes", "max_depth", "max_elements", "max_findings"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative int, not {value!r}")

    def read(
        self, source: Source | None = None, *, text: str | None = None, source_name: str | None = None
    ) -> Document:
        """The document, read safely within this validator's limits."""
        return read_document(
            source,
            text=text,
            source_name=source_name,
            max_bytes=self.max_bytes,
            max_depth=self.max_depth,
            max_elements=self.max_elements,
            any_root=bool(self.schematron),
        )

    def validate(
        self, source: Source | Document | None = None, *, text: str | None = None, source_name: str | None = None
    ) -> ValidationReport:
        """Validate one document and report every finding of every layer.

        The built-in rules read UBL 2.1 Invoice and CreditNote; with
        `schematron=` any well-formed XML is validated by those rules (the
        schema and advice layers, which know UBL invoices only, are then
        skipped for other documents, and say why).

        `source` is a path (`str` or `os.PathLike`), XML as `bytes`, a binary
        file object, an lxml tree, or a `Document` from `read_document`; XML
        in a `str` goes in `text=`. `source_name` names an in-memory document
        in the report. Raises `DocumentError` when the input is not
        readable (or, for the built-in rules, not a UBL invoice), `SchematronError` when a rule file is broken,
        `SchemaError` when the UBL schemas cannot be used; an invalid invoice
        is never an exception.
        """
        started = time.perf_counter()
        if isinstance(source, Document):
            document = source if source_name is None else _renamed(source, source_name)
        else:
            document = self.read(source, text=text, source_name=source_name)
        # A tree parsed here from bytes, a file or text is this call's alone: the schema layer may cut it in place.
        private = not isinstance(source, (Document, etree._ElementTree, etree._Element))
        chosen, paths = self.rule_set_paths(document)
        rule_sets = [load_rule_set(os.fspath(path), phase=self.phase) for path in paths]
        layers: list[LayerResult] = []
        findings: list[Finding] = []
        if self.schema and not document.is_ubl_invoice:
            layers.append(LayerResult.skipped("schema", _NOT_AN_INVOICE.format(root=_root_name(document))))
        elif self.schema:
            findings, layer = self._schema_layer(document, in_place=private)
            layers.append(layer)
        names = tuple(rule_set.name for rule_set in rule_sets)
        if self.stop_on_schema_error and layers and layers[0].status == "failed":
            layers.append(LayerResult.skipped("rules", "stopped after schema errors", artefacts=names))
            rule_sets = []
        else:
            layer_started = time.perf_counter()
            rules_findings = self._rules_findings(
                document, rule_sets, chosen, max(0, self.max_findings - len(findings))
            )
            elapsed = (time.perf_counter() - layer_started) * 1000
            layers.append(LayerResult.of("rules", rules_findings, artefacts=names, elapsed_ms=elapsed))
            findings.extend(rules_findings)
        if self.advice and not document.is_ubl_invoice:
            layers.append(LayerResult.skipped("advice", _NOT_AN_INVOICE.format(root=_root_name(document))))
        elif self.advice:
            room = max(0, self.max_findings - len(findings))
            advice_findings, advice = advice_layer(document, findings, layers[-1], lang=self.lang, limit=room)
            layers.append(advice)
            findings.extend(advice_findings)
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
            rule_sets=tuple(
                RuleSetInfo(
                    name=r.name, path=os.fspath(given) if self.schematron else built_in_name(given), phase=r.phase
                )
                for r, given in zip(rule_sets, paths, strict=False)  # no rule sets when stopped after schema errors
            ),
            elapsed_ms=round((time.perf_counter() - started) * 1000, 3),
        )

    def svrl(
        self, source: Source | Document | None = None, *, text: str | None = None, source_name: str | None = None
    ) -> str:
        """The full SVRL of the rules on one document, as the ISO skeleton writes it.

        Unlike a report's findings, it lists the active patterns, every rule
        that fired, and each assertion's diagnostics and properties with their
        markup. One rule file gives its `svrl:schematron-output`; several give
        one whose content is theirs in turn. Raises `EngineError` when a
        dynamic error stopped the rules (SVRL cannot say so; `validate` turns
        it into error findings), besides what `validate` raises.
        """
        if isinstance(source, Document):
            document = source
        else:
            document = self.read(source, text=text, source_name=source_name)
        _, paths = self.rule_set_paths(document)
        rule_sets = [load_rule_set(os.fspath(path), phase=self.phase) for path in paths]
        # Numbers too long for Saxon are screened as for `validate` (see `long_numbers`).
        screened = screen_long_numbers(document, limit=self.max_findings)
        saxon_document = parse_for_saxon(screened.text, source=document.name, root=document.root)
        outputs = [
            etree.fromstring(rule_set.svrl(saxon_document, document.uri).encode("utf-8")) for rule_set in rule_sets
        ]
        for other in outputs[1:]:
            outputs[0].extend(list(other))
        return str(etree.tostring(outputs[0], encoding="unicode"))

    def is_valid(self, source: Source | Document | None = None, *, text: str | None = None) -> bool:
        """True when no layer that decides validity has a fatal finding."""
        return self.validate(source, text=text).valid

    def rule_set_paths(self, document: Document) -> tuple[Spec | None, list[str | os.PathLike[str]]]:
        """The specification that applies and the rule files `validate` runs on `document`.

        Public so that a caller (the CLI's batch) can compile and check the
        rules before validating, with the same choice `validate` makes.
        """
        version = self.rules_version
        chosen = (
            spec_named(self.spec, version)
            if self.spec
            else spec_of_customization_id(document.customization_id, version)
        )
        if self.schematron:
            return chosen, list(self.schematron)
        if chosen is None:
            found = (
                f"CustomizationID is {document.customization_id!r}"
                if document.customization_id
                else "no CustomizationID"
            )
            raise UnknownSpecError(
                f"cannot tell which JP PINT specification applies: {found}; "
                f"supported: {supported_identifiers(version)}; or choose one with spec= (--spec on the command line)"
            )
        return chosen, [chosen.rules]

    def _schema_layer(self, document: Document, *, in_place: bool) -> tuple[list[Finding], LayerResult]:
        started = time.perf_counter()
        checked = check_schema(document, directory=self.ubl_schemas, limit=self.max_findings, in_place=in_place)
        findings = [in_language(finding, self.lang) for finding in checked.findings]
        elapsed = (time.perf_counter() - started) * 1000
        return findings, LayerResult.of("schema", findings, artefacts=(checked.schema_file,), elapsed_ms=elapsed)

    def _rules_findings(
        self, document: Document, rule_sets: list[RuleSet], chosen: Spec | None, limit: int
    ) -> list[Finding]:
        if not rule_sets:
            return []
        screened = screen_long_numbers(document, limit=limit)
        text = screened.text
        if chosen is not None and not self.schematron:  # a user's rules may read any text
            text = without_unread_text(text, document.root, release_named(chosen.version).text_not_read)
        saxon_document = parse_for_saxon(text, source=document.name, root=document.root)
        findings: list[Finding] = list(screened.findings)
        for rule_set in rule_sets:
            room = max(0, limit - len(findings))
            output = rule_set.run(saxon_document, document.uri)
            findings.extend(findings_of(rule_set, output, document.root, limit=room))
        findings = screened.folded(findings)
        version = chosen.version if not self.schematron and chosen is not None else self._release_of(rule_sets)
        if version is not None:
            return [describe(finding, self.lang, version) for finding in findings]
        return [in_language(finding, self.lang) for finding in findings]

    @staticmethod
    def _release_of(rule_sets: list[RuleSet]) -> str | None:
        """The release when every given rule file is one of ours, of one release: its catalogue describes them."""
        releases = {release_of_rule_file(rule_set.path) for rule_set in rule_sets}
        return releases.pop() if len(releases) == 1 else None


def _renamed(document: Document, name: str) -> Document:
    return replace(document, name=name)


# The schema and advice layers know UBL 2.1 invoices only; a user's Schematron reads any XML.
_NOT_AN_INVOICE = "not a UBL 2.1 Invoice or CreditNote (the root is {root}): only the given Schematron applies"


def _root_name(document: Document) -> str:
    qname = etree.QName(document.root)
    return f"Q{{{qname.namespace}}}{qname.localname}" if qname.namespace else qname.localname
