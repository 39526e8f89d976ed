"""A user's `mypy --strict` sees jppint's types: the wheel ships py.typed and the public API is typed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

USER_SCRIPT = textwrap.dedent(
    """
    from pathlib import Path

    import jppint
    from jppint import Finding, ValidationReport, Validator, ValidatorPool


    def fatal_messages(path: Path) -> list[str]:
        report: ValidationReport = jppint.validate(path, lang="ja")
        findings: tuple[Finding, ...] = report.findings
        return [f"{finding.layer} {finding.rule_id} {finding.line}: {finding.message}" for finding in findings]


    def check(data: bytes) -> bool:
        validator = Validator(lang="en", stop_on_schema_error=True)
        valid: bool = validator.validate(data, source_name="upload.xml").valid
        return valid


    async def check_in_worker(pool: ValidatorPool, text: str) -> int:
        report = await pool.validate_async(text=text)
        return report.counts["fatal"]
    """
)


@pytest.fixture(scope="module")
def wheel_contents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = folder.glob("jppint-*.whl")
    unpacked = folder / "unpacked"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    return unpacked


def test_the_wheel_ships_py_typed_the_schema_layer_and_its_messages(wheel_contents: Path) -> None:
    assert (wheel_contents / "jppint" / "py.typed").is_file()
    assert (wheel_contents / "jppint" / "xsd" / "layer.py").is_file()
    assert (wheel_contents / "jppint" / "rules" / "ubl-2.1" / "catalogue.toml").is_file()


def test_mypy_strict_passes_on_a_user_script(wheel_contents: Path) -> None:
    script = wheel_contents / "user_script.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--follow-imports=silent", script.name],
        cwd=wheel_contents,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
