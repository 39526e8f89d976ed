"""The OASIS UBL 2.1 files we validate with are the unmodified ones, and loading them touches nothing else."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import jppint
from jppint.xsd import SCHEMA_FILES, default_schema_directory
from tests.hostile.traps import Traps

PINS = Path(__file__).with_name("oasis-ubl-2.1.sha256")
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "valid" / "jp" / "standard-mixed-rates.xml"


def _pins() -> dict[str, str]:
    lines = [line.split() for line in PINS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {name: digest for digest, name in lines}


def test_the_installed_schemas_are_the_pinned_oasis_files() -> None:
    folder = default_schema_directory()
    pins = _pins()
    assert sorted(pins) == sorted(SCHEMA_FILES), "the pins and the files the layer reads must be the same 16"
    changed = [
        name for name, digest in pins.items() if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest
    ]
    assert changed == [], f"these files differ from the OASIS UBL 2.1 originals: {changed}"


@pytest.fixture
def schema_copy(tmp_path: Path) -> Path:
    """A user's own copy of the OASIS `xsd` folder."""
    target = tmp_path / "UBL-2.1" / "xsd"
    for name in SCHEMA_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(default_schema_directory() / name, target / name)
    return target


def test_a_copy_of_the_oasis_folder_can_be_named(schema_copy: Path) -> None:
    broken = SAMPLE.read_bytes().replace(b"<cbc:IssueDate>2026-04-15<", b"<cbc:IssueDate>2026-04-31<", 1)
    ours = jppint.validate(broken, ubl_schemas=schema_copy)
    default = jppint.validate(broken)
    assert [f.rule_id for f in ours.findings if f.layer == "schema"] == ["ubl-schema-datatype"]
    assert ours.model_dump(exclude={"elapsed_ms": True, "layers": {"__all__": {"elapsed_ms"}}}) == default.model_dump(
        exclude={"elapsed_ms": True, "layers": {"__all__": {"elapsed_ms"}}}
    )


def test_a_folder_without_the_schemas_is_a_schema_error(tmp_path: Path) -> None:
    with pytest.raises(jppint.SchemaError, match="no such file"):
        jppint.validate(SAMPLE, ubl_schemas=tmp_path)


def test_an_edited_schema_copy_is_compiled_again(schema_copy: Path) -> None:
    assert jppint.validate(SAMPLE, ubl_schemas=schema_copy).valid
    main = schema_copy / "maindoc" / "UBL-Invoice-2.1.xsd"
    # Make cbc:Note mandatory... by removing it from the schema: the sample's note becomes unexpected.
    text = main.read_text(encoding="utf-8")
    edited = text.replace(
        '<xsd:element ref="cbc:Note" minOccurs="0" maxOccurs="unbounded">',
        '<xsd:element ref="cbc:Note" minOccurs="0" maxOccurs="0">',
        1,
    )
    assert edited != text
    main.write_text(edited, encoding="utf-8")
    report = jppint.validate(SAMPLE, ubl_schemas=schema_copy)
    assert [f.rule_id for f in report.findings if f.layer == "schema"] == ["ubl-schema-unexpected-element"]


@pytest.fixture
def traps(tmp_path: Path) -> Iterator[Traps]:
    trap = Traps(tmp_path).start()
    yield trap
    trap.stop()


@pytest.mark.parametrize("where", ["absolute path outside", "relative path outside", "url"])
def test_schema_loading_reads_nothing_outside_the_folder(schema_copy: Path, traps: Traps, where: str) -> None:
    """libxml2 opens files in native code: a FIFO and a TCP listener notice any attempt."""
    location = {
        "absolute path outside": str(traps.file),
        "relative path outside": "../../../secret-fifo",
        "url": f"{traps.url}/UBL-CommonBasicComponents-2.1.xsd",
    }[where]
    if where == "relative path outside":
        assert (schema_copy / "common" / location).resolve() == traps.file.resolve()
    aggregate = schema_copy / "common" / "UBL-CommonAggregateComponents-2.1.xsd"
    text = aggregate.read_text(encoding="utf-8")
    aggregate.write_text(
        text.replace('schemaLocation="UBL-CommonBasicComponents-2.1.xsd"', f'schemaLocation="{location}"', 1),
        encoding="utf-8",
    )
    with pytest.raises(jppint.SchemaError, match="refused") as raised:
        jppint.validate(SAMPLE, ubl_schemas=schema_copy)
    assert "outside" in str(raised.value)
    assert traps.untouched, f"the schema loader reached out: {traps.connections}, FIFO opened: {traps.file_opened}"
