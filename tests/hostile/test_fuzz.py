"""Property-based fuzzing: mutated samples always get a report or a typed error, quickly and repeatably.

Samples: our own invoices (samples/, tests/hostile/data/) and the official
JP PINT examples when ../shared is present. Each example applies one to
four edits (`mutations`) and validates the result with the built-in rules
and, when present, the official ones. Properties:

- `validate` returns a `ValidationReport` or raises a `JppintError`
  subclass, within `TIME_BOUND` seconds; any other exception fails;
- every finding's location names an element of the document (or the
  document node, "/");
- validating the same bytes twice gives the same report.

Profiles, chosen with the environment variable JPPINT_FUZZ_PROFILE:

- `ci` (default): 200 examples per test, derandomized (a fixed seed, the
  same examples on every run), no deadline; the module runs in well under
  two minutes on two cores;
- `long`: 3,000 random examples per test, for a run by hand:
  `JPPINT_FUZZ_PROFILE=long pytest tests/hostile/test_fuzz.py`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

import jppint
from jppint.locations import element_at
from tests.hostile.documents import INVOICE, OFFICIAL, WITHOUT_TIMES, official_schematron, shared_available
from tests.hostile.mutations import Edit, edits, mutated

ROOT = Path(__file__).resolve().parents[2]
TIME_BOUND = 20.0

settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=3000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile(os.environ.get("JPPINT_FUZZ_PROFILE", "ci"))


def _samples() -> list[tuple[str, str, bytes]]:
    """(name, spec, bytes) of every sample document."""
    found = [("tests/hostile/data/invoice.xml", "jp", INVOICE.read_bytes())]
    for path in sorted((ROOT / "samples").rglob("*.xml")):
        spec = next((part for part in reversed(path.parts) if part in ("jp", "jp-sb", "jp-ntr")), "jp")
        found.append((str(path.relative_to(ROOT)), spec, path.read_bytes()))
    if shared_available():
        for spec in ("jp", "jp-sb", "jp-ntr"):
            for path in sorted((OFFICIAL / spec / "example").glob("*.xml")):
                found.append((f"official {spec}/{path.name}", spec, path.read_bytes()))
    return found


SAMPLES = _samples()
samples = st.sampled_from(SAMPLES)


def _outcome(data: bytes, schematron: list[Path] | None) -> tuple[str, object]:
    started = time.perf_counter()
    try:
        report = jppint.validate(data, schematron=schematron)
    except jppint.JppintError as error:
        outcome: tuple[str, object] = (type(error).__name__, str(error))
    else:
        outcome = ("report", report)
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_BOUND, f"validation took {elapsed:.1f} s"
    return outcome


def _check(data: bytes, schematron: list[Path] | None) -> None:
    kind, first = _outcome(data, schematron)
    _, second = _outcome(data, schematron)
    event(kind if kind != "report" else f"report with {'some' if first.findings else 'no'} findings")  # type: ignore[attr-defined]
    if kind != "report":
        assert first == second
        return
    assert isinstance(first, jppint.ValidationReport) and isinstance(second, jppint.ValidationReport)
    assert first.model_dump(exclude=WITHOUT_TIMES) == second.model_dump(exclude=WITHOUT_TIMES)
    root = jppint.read_document(data, any_root=schematron is not None).root
    for finding in first.findings:
        if finding.location != "/":
            assert element_at(root, finding.location) is not None, f"{finding.rule_id}: {finding.location}"


@FUZZ
@given(sample=samples, chosen=edits)
def test_built_in_rules_on_mutated_samples(sample: tuple[str, str, bytes], chosen: list[Edit]) -> None:
    name, _, document = sample
    note(f"{name}: {'; '.join(edit.describe() for edit in chosen)}")
    _check(mutated(document, chosen), None)


@pytest.mark.skipif(not shared_available(), reason="the official rules live in ../shared")
@FUZZ
@given(sample=samples, chosen=edits)
def test_official_rules_on_mutated_samples(sample: tuple[str, str, bytes], chosen: list[Edit]) -> None:
    name, spec, document = sample
    note(f"{name}: {'; '.join(edit.describe() for edit in chosen)}")
    _check(mutated(document, chosen), official_schematron(spec))
