"""jppint: validate UBL e-invoices against JP PINT, the Japanese Peppol specification."""

from jppint.document import Document, read_document
from jppint.errors import (
    DocumentError,
    DocumentTooLargeError,
    EngineError,
    JppintError,
    SchemaError,
    SchematronError,
    UnknownSpecError,
    UnsafeDocumentError,
    ValidationTimeoutError,
)
from jppint.pool import ValidatorPool
from jppint.results import Finding, LayerResult, RuleSetInfo, ValidationReport
from jppint.validation import is_valid, validate
from jppint.validator import Validator

__version__ = "0.1.0"

__all__ = [
    "Document",
    "DocumentError",
    "DocumentTooLargeError",
    "EngineError",
    "Finding",
    "JppintError",
    "LayerResult",
    "RuleSetInfo",
    "SchemaError",
    "SchematronError",
    "UnknownSpecError",
    "UnsafeDocumentError",
    "ValidationReport",
    "ValidationTimeoutError",
    "Validator",
    "ValidatorPool",
    "is_valid",
    "read_document",
    "validate",
]
