"""Our Schematron compiler: `.sch` -> model -> resolved model -> XSLT 3.0 text.

The pipeline is visible as modules: `parse` (files, includes), `resolve`
(abstract patterns, abstract rules, phases), `xslt` (the stylesheet). It is
pure: no Saxon here, so it can be tested and inspected on its own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from jppint.schematron.parse import parse_schematron
from jppint.schematron.resolve import ALL_PHASES, DEFAULT_PHASE, resolve_schema
from jppint.schematron.xslt import AssertionEntry, CompiledText, write_stylesheet


def compile_schematron(path: str | Path, *, phase: str = ALL_PHASES, careful: bool = False) -> CompiledText:
    """Compile one Schematron file (and its includes) to XSLT text and an assertion table."""
    schema = parse_schematron(path)
    return replace(write_stylesheet(resolve_schema(schema, phase), careful=careful), sources=schema.files)


__all__ = [
    "ALL_PHASES",
    "DEFAULT_PHASE",
    "AssertionEntry",
    "CompiledText",
    "compile_schematron",
    "parse_schematron",
    "resolve_schema",
    "write_stylesheet",
]
