"""jppint: validate UBL e-invoices against JP PINT, the Japanese Peppol specification."""

from typing import TYPE_CHECKING

from jppint.document import Document, read_document
from jppint.errors import (
    DocumentError,
    DocumentTooLargeError,
    EngineError,
    JppintError,
    NotUBLDocumentError,
    SchemaError,
    SchematronError,
    UnknownSpecError,
    UnsafeDocumentError,
    ValidationTimeoutError,
)
from jppint.results import Finding, LayerResult, RuleSetInfo, ValidationReport
from jppint.validation import is_valid, validate
from jppint.validator import Validator

__version__ = "0.1.0"

if TYPE_CHECKING:
    from jppint.pool import ValidatorPool


def __getattr__(name: str) -> object:
    # The worker-process pool brings multiprocessing and asyncio: imported when first asked for,
    # so a command-line run that never uses it starts faster.
    if name == "ValidatorPool":
        from jppint.pool import ValidatorPool

        return ValidatorPool
    raise AttributeError(f"module 'jppint' has no attribute {name!r}")


__all__ = [
    "Document",
    "DocumentError",
    "DocumentTooLargeError",
    "EngineError",
    "Finding",
    "JppintError",
    "LayerResult",
    "NotUBLDocumentError",
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
