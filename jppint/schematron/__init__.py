"""Our Schematron compiler: `.sch` -> model -> resolved model -> XSLT 3.0 text.

The pipeline is visible as modules: `parse` (files, includes), `resolve`
(abstract patterns, abstract rules, phases, the global lets), `xslt` (the
stylesheet that writes findings as records) and `svrl` (its variant that
writes full SVRL). It is pure: no Saxon here, so it can be tested and
inspected on its own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from jppint.schematron.parse import parse_schematron
from jppint.schematron.resolve import ALL_PHASES, DEFAULT_PHASE, resolve_schema
from jppint.schematron.svrl import write_svrl_stylesheet
from jppint.schematron.xslt import AssertionEntry, CompiledText, write_stylesheet


def compile_schematron(
    path: str | Path, *, phase: str = ALL_PHASES, careful: bool = False, svrl: bool = False
) -> CompiledText:
    """Compile one Schematron file (and its includes) to XSLT text and an assertion table.

    With `svrl`, the stylesheet writes full SVRL instead of records (see
    `schematron.svrl`).
    """
    schema = parse_schematron(path)
    resolved = resolve_schema(schema, phase)
    if svrl:
        chosen = schema.default_phase if phase == DEFAULT_PHASE else phase
        written = write_svrl_stylesheet(resolved, phase=None if chosen in (None, ALL_PHASES) else chosen)
    else:
        written = write_stylesheet(resolved, careful=careful)
    return replace(written, sources=schema.files)


__all__ = [
    "ALL_PHASES",
    "DEFAULT_PHASE",
    "AssertionEntry",
    "CompiledText",
    "compile_schematron",
    "parse_schematron",
    "resolve_schema",
    "write_stylesheet",
    "write_svrl_stylesheet",
]
