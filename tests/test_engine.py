"""What the engine promises beyond single results: quiet stderr, and no dependence on having one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "schematron" / "data"


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_saxon_warnings_never_reach_stderr() -> None:
    completed = run_python(
        "import jppint\n"
        f"report = jppint.validate({str(DATA / 'invoice.xml')!r}, schematron=[{str(DATA / 'matching-error.sch')!r}])\n"
        "print(sorted(f.rule_id for f in report.findings if f.layer == 'rules'))\n"
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "['positive-id', 'positive-id']"  # the two line IDs; INV-1 does not match
    assert completed.stderr == ""


def test_validation_works_in_a_process_without_stderr() -> None:
    completed = run_python(
        "import os, sys\n"
        "os.close(2)\n"
        "sys.stderr = None\n"
        "import jppint\n"
        "print(jppint.validate('samples/valid/jp/standard-mixed-rates.xml').valid)\n"
    )
    assert completed.returncode == 0
    assert completed.stdout.strip() == "True"


def test_a_document_within_the_parser_limits_reads_as_with_parse_xml() -> None:
    """The document builder's tree (the faster way in) and parse-xml()'s agree, base URI included."""
    from jppint.document import read_document, serialize_for_engine
    from jppint.engine import _saxon, parse_for_saxon

    document = read_document(ROOT / "samples" / "valid" / "jp" / "standard-mixed-rates.xml")
    text = serialize_for_engine(document)
    built, parsed = parse_for_saxon(text, root=document.root), parse_for_saxon(text)
    facts = "string-join((base-uri(/), document-uri(/), string(count(//node())), serialize(/)), '|')"
    xpath = _saxon().new_xpath_processor()
    answers = []
    for tree in (built, parsed):
        xpath.set_context(xdm_item=tree)
        answers.append(xpath.evaluate_single(facts).string_value)
    assert answers[0] == answers[1]


def test_limits_of_the_engine_parser_are_refused_quietly() -> None:
    """A tag long enough to pass Saxon's attribute limit is read by parse-xml(), which prints nothing."""
    completed = run_python(
        "import jppint\n"
        "data = open('samples/valid/jp/standard-mixed-rates.xml', 'rb').read()\n"
        "attributes = b' '.join(b'a%d=\"1\"' % number for number in range(201))\n"
        "data = data.replace(b'<cbc:IssueDate>', b'<cbc:IssueDate ' + attributes + b'>', 1)\n"
        "try:\n"
        "    jppint.validate(data)\n"
        "except jppint.DocumentTooLargeError as error:\n"
        "    print('refused:', error)\n"
    )
    assert completed.returncode == 0, completed.stderr
    assert 'has more than "200" attributes' in completed.stdout
    assert completed.stderr == ""
