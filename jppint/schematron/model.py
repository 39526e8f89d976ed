"""A Schematron schema as plain frozen data, after parsing and before XSLT.

Each node remembers where it was written (`Origin`) so that every later
problem can name the file and line a rule author has to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lxml import etree


@dataclass(frozen=True)
class Origin:
    file: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class ValueOf:
    select: str


@dataclass(frozen=True)
class Name:
    path: str | None


MessagePart = Text | ValueOf | Name


@dataclass(frozen=True)
class Let:
    name: str
    value: str | None
    content: etree._Element | None
    origin: Origin
    # The declared type (`@as`, as SchXslt and XSLT allow), checked when the value is computed.
    as_type: str | None = None


@dataclass(frozen=True)
class Param:
    name: str
    value: str


@dataclass(frozen=True)
class Assertion:
    kind: Literal["assert", "report"]
    test: str
    id: str | None
    flag: str | None
    role: str | None
    message: tuple[MessagePart, ...]
    diagnostics: tuple[str, ...]
    origin: Origin
    # Ids of the schema's `property` elements this assertion reports when it fails.
    properties: tuple[str, ...] = ()
    # The xml:lang in scope where it was written (through includes), which SVRL reports.
    lang: str | None = None
    # The parameters of the abstract pattern it was instantiated from: they apply to the
    # diagnostics and properties it names too, which are written outside the pattern.
    parameters: tuple[Param, ...] = ()


@dataclass(frozen=True)
class Extends:
    rule: str
    origin: Origin


@dataclass(frozen=True)
class Rule:
    context: str | None
    id: str | None
    abstract: bool
    flag: str | None
    role: str | None
    lets: tuple[Let, ...]
    body: tuple[Assertion | Extends, ...]
    origin: Origin


@dataclass(frozen=True)
class Pattern:
    id: str | None
    abstract: bool
    is_a: str | None
    params: tuple[Param, ...]
    lets: tuple[Let, ...]
    rules: tuple[Rule, ...]
    origin: Origin
    # ISO 2016 subordinate documents: an expression giving the URIs of the documents the
    # pattern's rules check instead of the validated one.
    documents: str | None = None


@dataclass(frozen=True)
class Phase:
    id: str
    active: tuple[str, ...]
    lets: tuple[Let, ...]
    origin: Origin


@dataclass(frozen=True)
class Diagnostic:
    id: str
    message: tuple[MessagePart, ...]
    origin: Origin
    # The element as written, for full SVRL, where its markup and foreign XSLT are kept.
    content: etree._Element | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Property:
    """An ISO Schematron `property`: structured data a failed assertion reports, named by its role.

    jppint puts each property's text in `Finding.values` under its role (or
    its id, without one): the values a rule found and expected, for tools
    and for the catalogue's message templates.
    """

    id: str
    role: str | None
    message: tuple[MessagePart, ...]
    origin: Origin
    content: etree._Element | None = None
    lang: str | None = None
    scheme: str | None = None


@dataclass(frozen=True)
class CodeList:
    """Our extension: a list of codes kept as data and compiled into a lookup map."""

    name: str
    href: str
    origin: Origin
    # The release whose codes to take (`jp:release` on the schema), None for the file's codes.
    release: str | None = None


@dataclass(frozen=True)
class Schema:
    origin: Origin
    query_binding: str
    default_phase: str | None
    namespaces: tuple[tuple[str, str], ...]
    lets: tuple[Let, ...]
    patterns: tuple[Pattern, ...]
    phases: tuple[Phase, ...]
    diagnostics: tuple[Diagnostic, ...]
    foreign: tuple[tuple[etree._Element, Origin], ...]
    code_lists: tuple[CodeList, ...] = field(default=())
    properties: tuple[Property, ...] = field(default=())
    # Every file the schema was read from (itself, includes, code lists): what a cache must watch.
    files: tuple[str, ...] = field(default=())
