"""Per-invoice cost of a whole validation, as a ratio to lxml's parse of the same bytes.

    python bench/bench_invoice.py [--repeat N] [--lines 10,100,1000,10000] [--cold N] [--clock cpu|wall]

Measured the way issue 11 defines it, so that figures from different
machines compare: per official example (the 17 of ../shared, skipped when
absent), 3 warm-up calls, then the median of `--repeat` (25) calls of
`lxml.etree.fromstring(data)` and of `jppint.validate(data, spec=...)`
with every default layer on (schema, rules, advice), each in a run of its
own calls; the ratio of the two, and its median over the documents. Times
are the calling thread's CPU time (as the issue measured CPU time; Saxon
works in the calling thread, and the process's CPU time would count the
engine's idle-time threads too), or wall time with --clock wall.

Then where the time goes: the same median for each stage `validate` goes
through (safe read, schema layer, screening and serialising, Saxon's
parse, each rule set's transformation, records to findings, catalogue
texts, advice, the report), per example (median over the documents) and
per extra line of synthetic invoices (10 / 100 / 1,000 / 10,000 lines:
linear when the cost per line does not grow). Last, the cold start: a
fresh `jppint validate` on one invoice, and a fresh `python -c` that
imports jppint and validates it, medians of `--cold` runs after one that
writes the bytecode.

Last, what blocks each target, measured in the same run: the part of each
figure that the dependencies alone cost, before any code of ours. For the
ratio, an lxml parse (safe reading needs one) plus Saxon's parse and the
transformation of our rules (and, for comparison, the official rules
compiled by our engine, on the same documents); per extra line, the same
three; for the cold start, a fresh process that only imports lxml, saxonche
and pydantic, defines one pydantic model, starts Saxon, compiles our
stylesheet (generated beforehand) and compiles the UBL schema.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lxml import etree  # noqa: E402
from synthetic import synthetic_invoice  # noqa: E402

import jppint  # noqa: E402
from jppint.advice import advice_layer  # noqa: E402
from jppint.catalogue import describe  # noqa: E402
from jppint.document import read_document  # noqa: E402
from jppint.engine import findings_of, load_rule_set, parse_for_saxon  # noqa: E402
from jppint.long_numbers import screen_long_numbers  # noqa: E402
from jppint.results import LayerResult, ValidationReport  # noqa: E402
from jppint.xsd import check_schema  # noqa: E402

OFFICIAL = ROOT.parent / "shared" / "official" / "pint-jp-1.1.3"
SPECS = ("jp", "jp-sb", "jp-ntr")
WARM_UP = 3
T = TypeVar("T")
STAGES = ("read", "schema", "screen", "saxon parse", "transform", "findings", "catalogue", "advice", "report")


# CPU time of the calling thread by default, as issue 11 measured CPU time: on a shared machine another process's
# load lengthens wall times far more than the CPU time a call takes (--clock wall to see them).
clock: Callable[[], float] = time.thread_time


def median_ms(action: Callable[[], object], repeat: int) -> float:
    for _ in range(WARM_UP):
        action()
    timings = []
    for _ in range(repeat):
        started = clock()
        action()
        timings.append(clock() - started)
    return statistics.median(timings) * 1000


def examples() -> list[tuple[str, str, bytes]]:
    found = []
    if OFFICIAL.is_dir():
        for spec in SPECS:
            for path in sorted((OFFICIAL / spec / "example").glob("*.xml")):
                found.append((f"{spec}: {path.stem[:50]}", spec, path.read_bytes()))
    return found


def stage_times(data: bytes, spec_key: str, repeat: int) -> dict[str, float]:
    """The median time of each stage of `Validator.validate`, called in turn as it calls them.

    Each round runs the whole pipeline once, so every stage finds the caches
    as a real validation leaves them (a stage repeated alone runs faster).
    """
    chosen, paths = jppint.Validator(spec=spec_key).rule_set_paths(read_document(data))
    assert chosen is not None  # a spec was named
    rule_set = load_rule_set(paths[0])
    timings: dict[str, list[float]] = {stage: [] for stage in STAGES}

    def timed(stage: str, action: Callable[[], T]) -> T:
        started = clock()
        result = action()
        timings[stage].append(clock() - started)
        return result

    for _ in range(WARM_UP + repeat):
        document = timed("read", lambda: read_document(data))
        timed("schema", lambda: check_schema(document, in_place=True))  # noqa: B023 (called at once)
        screened = timed("screen", lambda: screen_long_numbers(document))  # noqa: B023
        saxon_document = timed("saxon parse", lambda: parse_for_saxon(screened.text, root=document.root))  # noqa: B023
        output = timed("transform", lambda: rule_set.run(saxon_document))  # noqa: B023
        findings = timed("findings", lambda: findings_of(rule_set, output, document.root))  # noqa: B023
        timed("catalogue", lambda: [describe(finding, "en", chosen.version) for finding in findings])  # noqa: B023
        rules_layer = LayerResult.of("rules", findings, artefacts=(rule_set.name,), elapsed_ms=0.0)
        timed("advice", lambda: advice_layer(document, findings, rules_layer, lang="en", limit=10_000))  # noqa: B023
        timed(
            "report",
            lambda: ValidationReport.build(
                findings=findings,  # noqa: B023
                layers=(rules_layer,),  # noqa: B023
                source=None,
                document_type=document.document_type,  # noqa: B023
                spec=chosen.key,
            ),
        )
    return {stage: statistics.median(values[WARM_UP:]) * 1000 for stage, values in timings.items()}


def parse_and_validate(data: bytes, spec: str, repeat: int) -> tuple[float, float]:
    """Medians of lxml's parse and of a whole validation, each timed in a run of its own calls.

    In runs, as issue 11 measures: timed between validations, the parse
    finds the caches as a validation leaves them and takes up to twice as
    long, which would flatter the ratio.
    """
    return median_ms(lambda: etree.fromstring(data), repeat), median_ms(
        lambda: jppint.validate(data, spec=spec), repeat
    )


def cold_starts(runs: int) -> tuple[float, float]:
    """Median wall seconds of a fresh `jppint validate` and of a fresh `python -c` validating in-process."""
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "invoice.xml"
        sample.write_bytes(synthetic_invoice(10))
        environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        environment["PYTHONPATH"] = str(ROOT)
        command_line = [sys.executable, "-m", "jppint", "validate", "--format", "json", str(sample)]
        in_process = [sys.executable, "-c", f"import jppint; jppint.validate({str(sample)!r})"]
        medians = []
        for command in (command_line, in_process):
            subprocess.run(command, capture_output=True, env=environment, check=False)  # writes the bytecode
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                subprocess.run(command, capture_output=True, env=environment, check=False)
                timings.append(time.perf_counter() - started)
            medians.append(statistics.median(timings))
    return medians[0], medians[1]


def attached(data: bytes, size: int) -> bytes:
    """The invoice with one more supporting document: an attached file of `size` random bytes, as base64."""
    content = base64.b64encode(random.Random(size).randbytes(size))
    reference = (
        b"<cac:AdditionalDocumentReference><cbc:ID>attached</cbc:ID><cac:Attachment>"
        b'<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="invoice.pdf">'
        + content
        + b"</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
    )
    place = data.index(b"<cac:AccountingSupplierParty>")
    return data[:place] + reference + data[place:]


def official_transform_ratio(found: list[tuple[str, str, bytes]], repeat: int) -> float | None:
    """The median ratio of the official jp rules' transformation (on our engine) to an lxml parse, jp examples."""
    folder = OFFICIAL / "jp" / "schematron"
    if not folder.is_dir():
        return None
    rule_sets = [load_rule_set(path) for path in sorted(folder.glob("*.sch"))]
    ratios = []
    for _, spec, data in found:
        if spec != "jp":
            continue
        document = read_document(data)
        saxon_document = parse_for_saxon(screen_long_numbers(document).text, root=document.root)
        transform = median_ms(lambda: [rule_set.run(saxon_document) for rule_set in rule_sets], repeat)  # noqa: B023
        ratios.append(transform / median_ms(lambda: etree.fromstring(data), repeat))  # noqa: B023
    return statistics.median(ratios) if ratios else None


DEPENDENCIES_START = """
import lxml.etree, pydantic, saxonche, sys

class Model(pydantic.BaseModel):
    name: str
    count: int | None = None

Model(name="x").model_dump_json()
processor = saxonche.PySaxonProcessor(license=False)
with open(sys.argv[1], encoding="utf-8") as stylesheet:
    processor.new_xslt30_processor().compile_stylesheet(stylesheet_text=stylesheet.read())
lxml.etree.XMLSchema(lxml.etree.parse(sys.argv[2]))
"""


def dependencies_start(runs: int) -> float:
    """Median wall seconds of a fresh process doing only what the dependencies must do before a first validation."""
    from jppint.rulesets import rules_directory
    from jppint.schematron import DEFAULT_PHASE, compile_schematron
    from jppint.xsd import default_schema_directory

    stylesheet = compile_schematron(rules_directory() / "jp-pint-1.1.3" / "jp.sch", phase=DEFAULT_PHASE).stylesheet
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "jp.xsl"
        path.write_text(stylesheet, encoding="utf-8")
        command = [
            sys.executable,
            "-c",
            DEPENDENCIES_START,
            str(path),
            str(default_schema_directory() / "maindoc" / "UBL-Invoice-2.1.xsd"),
        ]
        subprocess.run(command, capture_output=True, check=True)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--lines", default="10,100,1000,10000", help="synthetic invoice sizes, comma-separated")
    parser.add_argument("--cold", type=int, default=7, help="fresh processes per cold-start figure (0: none)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="what a call's time is (default: cpu)")
    options = parser.parse_args()
    global clock
    clock = time.thread_time if options.clock == "cpu" else time.perf_counter
    print(f"times are {options.clock} time: medians of {options.repeat} calls after {WARM_UP} warm-up calls")

    found = examples()
    ratios: list[float] = []
    stages: dict[str, list[float]] = {stage: [] for stage in STAGES}
    if found:
        print(f"{'document':56} {'lxml':>8} {'validate':>9} {'ratio':>6}")
    for name, spec, data in found:
        parse, validation = parse_and_validate(data, spec, options.repeat)
        ratios.append(validation / parse)
        for stage, value in stage_times(data, spec, options.repeat).items():
            stages[stage].append(value / parse)
        print(f"{name:56} {parse * 1000:6.0f}µs {validation:7.3f}ms {validation / parse:5.1f}x", flush=True)
    if found:
        print(
            f"\nofficial examples ({len(found)}): median ratio validate / lxml parse {statistics.median(ratios):.2f}x"
        )
        print("by stage, median over the examples, as a ratio to the lxml parse:")
        for stage in STAGES:
            print(f"  {stage:12} {statistics.median(stages[stage]):5.2f}x")
        print(f"  {'sum':12} {sum(statistics.median(stages[stage]) for stage in STAGES):5.2f}x")
        engine_floor = 1 + statistics.median(stages["saxon parse"]) + statistics.median(stages["transform"])
        print(f"floor: an lxml parse + Saxon's parse + the transformation: {engine_floor:.2f}x (target 7.0x)")
        official = official_transform_ratio(found, options.repeat)
        if official is not None:
            print(
                f"  the official jp rules, compiled by our engine, transform in {official:.2f}x (ours: "
                f"{statistics.median(stages['transform']):.2f}x)"
            )

    if found:
        with_attachment = attached(found[0][2], 1_000_000)
        parse, validation = parse_and_validate(with_attachment, found[0][1], options.repeat)
        print(
            f"\n{found[0][0]} with a 1 MB attached file: lxml {parse:.2f}ms, validate {validation:.2f}ms, "
            f"{validation / parse:.1f}x (Saxon reads a stand-in for the file: see jppint/unread_text.py)"
        )

    sizes = [int(size) for size in options.lines.split(",")]
    print(f"\n{'lines':>6} {'validate':>10}   per stage (ms): " + ", ".join(STAGES))
    totals: dict[int, float] = {}
    per_stage: dict[int, dict[str, float]] = {}
    for lines in sizes:
        data = synthetic_invoice(lines)
        repeat = max(5, options.repeat * 100 // max(lines, 100))
        totals[lines] = median_ms(lambda data=data: jppint.validate(data, spec="jp"), repeat)
        per_stage[lines] = stage_times(data, "jp", repeat)
        shown = ", ".join(f"{per_stage[lines][stage]:.2f}" for stage in STAGES)
        print(f"{lines:6} {totals[lines]:8.2f}ms   {shown}", flush=True)
    for smaller, larger in pairwise(sizes):
        per_line = (totals[larger] - totals[smaller]) / (larger - smaller) * 1000
        print(f"per extra line from {smaller} to {larger} lines: {per_line:.1f} µs")
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        print(f"per extra line from {first} to {last} lines, by stage:")
        for stage in STAGES:
            per_line = (per_stage[last][stage] - per_stage[first][stage]) / (last - first) * 1000
            print(f"  {stage:12} {per_line:6.1f} µs")
        documents = {lines: synthetic_invoice(lines) for lines in (first, last)}
        parses = {lines: median_ms(lambda data=data: etree.fromstring(data), 5) for lines, data in documents.items()}
        floor = sum(per_stage[last][stage] - per_stage[first][stage] for stage in ("saxon parse", "transform"))
        floor_per_line = (floor + parses[last] - parses[first]) / (last - first) * 1000
        print(
            f"floor: an lxml parse + Saxon's parse + the transformation: {floor_per_line:.1f} µs per line (target 55)"
        )

    if options.cold:
        command_line, in_process = cold_starts(options.cold)
        print(f"\ncold start, median of {options.cold} fresh processes on a 10-line invoice:")
        print(f"  jppint validate --format json: {command_line:.3f} s")
        print(f"  python -c 'import jppint; jppint.validate(path)': {in_process:.3f} s")
        print(
            f"  floor, the dependencies' own start (see above): {dependencies_start(options.cold):.3f} s (target 0.2)"
        )


if __name__ == "__main__":
    main()
