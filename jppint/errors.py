"""Exceptions for the cases where validation could not run at all.

An invalid invoice is never an exception: it is a report with findings. These
errors mean we could not read the document, could not pick the rules, or the
rules themselves are broken.
"""

from __future__ import annotations


class JppintError(Exception):
    """Base of every error jppint raises on purpose."""


class DocumentError(JppintError):
    """The input could not be read as a UBL 2.1 Invoice or CreditNote.

    `line` and `column` point into the input when the problem has a place
    (XML syntax errors); `source` names the input when it has a name.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = reason
        self.source = source
        self.line = line
        self.column = column
        super().__init__(self.describe())

    def describe(self) -> str:
        where = self.source or "input"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.reason}"


class DocumentTooLargeError(DocumentError):
    """The input exceeds a configured size or depth limit."""


class UnsafeDocumentError(DocumentError):
    """The input asks for something we refuse to do (DTDs, entities, external references)."""


class NotUBLDocumentError(DocumentError):
    """Well-formed XML whose root is not a UBL 2.1 Invoice or CreditNote (UBL 1.0, CII, another UBL document)."""


class UnknownSpecError(JppintError):
    """No JP PINT specification matches the request or the document's CustomizationID."""


class SchematronError(JppintError):
    """A Schematron file is broken: names the file, the line and the problem."""

    def __init__(self, problem: str, *, file: str | None = None, line: int | None = None) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        where = file or "<schematron>"
        if line is not None:
            where += f":{line}"
        super().__init__(f"{where}: {problem}")


class SchemaError(JppintError):
    """The UBL 2.1 XML Schema cannot be used: missing, unreadable, or reaching outside its folder."""


class ValidationTimeoutError(DocumentError):
    """A document took longer than the time limit; its worker process was stopped (see `ValidatorPool`)."""


class EngineError(JppintError):
    """Saxon failed in a way that no rule could report (a bug or resource exhaustion)."""
