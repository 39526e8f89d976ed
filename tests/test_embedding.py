"""Safe to embed: a validation has no process-wide side effect (issue 9).

Left alone, Saxon writes to the process's standard error (descriptor 2,
from native code): a warning for each rule context or key pattern that
raised while matching, the report of an error that stopped a stylesheet or
of a global variable that failed, the XML parser's report of a limit, and
every `xsl:message`. None of it may reach a host's stderr, and nothing may
be silenced to get there: pointing descriptor 2 elsewhere for the length of
a call loses whatever the host's other threads write meanwhile. The umask
is not touched either: setting it to read it changes it for every thread.

`saxon-reports.sch` on `invoice.xml` does each of the things Saxon reports;
`DOCUMENTS` adds a document past a limit of Saxon's parser.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import jppint
from jppint.cli.output import write_atomically

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "schematron" / "data"
INVOICE = DATA / "invoice.xml"
REPORTING_RULES = DATA / "saxon-reports.sch"

# The verdicts the engine gave when it silenced descriptor 2 around every Saxon call.
EXPECTED = [
    ("document-currency", "assert", "/ubl:Invoice[1]/cac:InvoiceLine[2]"),
    ("keyed-ids", "report", "/"),
    ("positive-amount", "error", "/ubl:Invoice[1]/cac:InvoiceLine[2]"),
    ("positive-id", "report", "/ubl:Invoice[1]/cac:InvoiceLine[1]/cbc:ID[1]"),
    ("positive-id", "report", "/ubl:Invoice[1]/cac:InvoiceLine[2]/cbc:ID[1]"),
]

# Run in a fresh process whose stderr the test reads: validations that make Saxon report.
VALIDATIONS = textwrap.dedent(
    f"""
    import jppint
    INVOICE = {str(INVOICE)!r}
    RULES = [{str(REPORTING_RULES)!r}]
    TOO_LARGE = open(INVOICE, "rb").read().replace(
        b"<cbc:DocumentCurrencyCode>",
        b"<cbc:DocumentCurrencyCode " + b" ".join(b'a%d="1"' % n for n in range(201)) + b">",
    )

    def validate_all():
        report = jppint.validate(INVOICE, schematron=RULES, schema=False)
        verdict = sorted((f.rule_id, f.kind, f.location) for f in report.findings)
        try:
            jppint.validate(TOO_LARGE, schematron=RULES, schema=False)
        except jppint.DocumentTooLargeError:
            pass
        else:
            raise AssertionError("201 attributes passed Saxon's parser")
        return verdict
    """
)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False
    )


def test_saxon_reports_nothing_on_stderr() -> None:
    completed = run_python(VALIDATIONS + "print(validate_all())\n")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == str(EXPECTED)
    assert completed.stderr == ""


def test_every_line_another_thread_writes_to_stderr_arrives() -> None:
    lines = 3000
    code = VALIDATIONS + textwrap.dedent(
        f"""
        import os, sys, threading
        sys.setswitchinterval(1e-6)  # threads take turns between any two bytecodes

        def write_lines():
            for number in range({lines}):
                if number % 2:
                    os.write(2, b"line %d\\n" % number)
                else:
                    sys.stderr.write(f"line {{number}}\\n")
                    sys.stderr.flush()

        validate_all()  # compiled once, so that the writer overlaps validations, not the compiler
        writer = threading.Thread(target=write_lines)
        writer.start()
        validations = 0
        while writer.is_alive() or validations < 3:
            assert validate_all() == {EXPECTED!r}
            validations += 1
        writer.join()
        print(validations)
        """
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stderr.splitlines() == [f"line {number}" for number in range(lines)]


def test_validation_never_redirects_a_descriptor_nor_sets_the_umask(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*arguments: object) -> None:
        raise AssertionError("a process-wide side effect")

    with monkeypatch.context() as patched:  # undone before pytest restores its own capture with dup2
        for name in ("dup", "dup2", "umask"):
            patched.setattr(os, name, forbidden)
        report = jppint.validate(INVOICE, schematron=[REPORTING_RULES], schema=False)
        sample = jppint.validate(ROOT / "samples" / "valid" / "jp" / "standard-mixed-rates.xml")
    assert sorted((f.rule_id, f.kind, f.location) for f in report.findings) == EXPECTED
    assert sample.valid


def test_a_new_report_file_gets_the_umask_without_it_being_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mask = os.umask(0o027)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(os, "umask", lambda *arguments: pytest.fail("the umask was set"))
            write_atomically(tmp_path / "report.txt", b"new")
    finally:
        os.umask(mask)
    assert (tmp_path / "report.txt").stat().st_mode & 0o777 == 0o640
