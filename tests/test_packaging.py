"""The published artefacts: sdist and wheel built as a release builds them, and checked as PyPI checks them."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import jppint

ROOT = Path(__file__).resolve().parents[1]

# What a user of the sdist needs beside the package: its tests with their data, the samples, the rules,
# the published JSON Schemas, the benchmarks.
SDIST_FOLDERS = ("samples", "tests", "rules", "schemas", "bench", "docs", "editors")
SDIST_FILES = ("README.md", "LICENSE", "CHANGELOG.md", "pyproject.toml", "MANIFEST.in", ".pre-commit-hooks.yaml")


@dataclass(frozen=True)
class Artefacts:
    sdist: Path
    wheel: Path
    build_output: str
    sdist_names: frozenset[str]  # its files, as paths inside its top folder
    wheel_names: frozenset[str]


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Artefacts:
    """One `python -m build` per module: the sdist, then the wheel built from that sdist, in an isolated env."""
    folder = tmp_path_factory.mktemp("dist")
    completed = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    (sdist,) = folder.glob("jppint-*.tar.gz")
    (wheel,) = folder.glob("jppint-*.whl")
    with tarfile.open(sdist) as archive:
        sdist_names = frozenset(member.name.partition("/")[2] for member in archive.getmembers() if member.isfile())
    with zipfile.ZipFile(wheel) as archive:
        wheel_names = frozenset(archive.namelist())
    return Artefacts(sdist, wheel, output, sdist_names, wheel_names)


def files_under(folder: str) -> set[str]:
    """The files a checkout has under `folder`, as sdist paths, leaving out bytecode."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}
    }


def test_the_build_prints_no_warning(artefacts: Artefacts) -> None:
    # build prints the backend's warnings (setuptools' deprecations among them) as lines starting "WARNING".
    warnings = [line for line in artefacts.build_output.splitlines() if line.startswith("WARNING")]
    assert warnings == []
    assert not re.search("deprecat", artefacts.build_output, re.IGNORECASE)


def test_twine_check_strict_passes_on_both(artefacts: Artefacts) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(artefacts.sdist), str(artefacts.wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_both_carry_the_version_written_in_jppint_init(artefacts: Artefacts) -> None:
    assert artefacts.sdist.name == f"jppint-{jppint.__version__}.tar.gz"
    assert artefacts.wheel.name == f"jppint-{jppint.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(artefacts.wheel) as archive:
        metadata = archive.read(f"jppint-{jppint.__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {jppint.__version__}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata


@pytest.mark.parametrize("folder", SDIST_FOLDERS)
def test_the_sdist_holds_every_file_of(artefacts: Artefacts, folder: str) -> None:
    assert files_under(folder) == {name for name in artefacts.sdist_names if name.startswith(f"{folder}/")}


@pytest.mark.parametrize("name", SDIST_FILES)
def test_the_sdist_holds(artefacts: Artefacts, name: str) -> None:
    assert name in artefacts.sdist_names


@pytest.mark.parametrize(
    "name",
    [
        "jppint/py.typed",
        "jppint/rules/ubl-2.1/catalogue.toml",
        "jppint/rules/jp-pint-1.1.3/jp.sch",
        "jppint/xsd/__init__.py",
        "jppint/reporters/labels.toml",
        "jppint/reporters/page/report.html",
        "jppint/reporters/page/report.css",
        "jppint/reporters/page/words.toml",
        "jppint/serve/app.py",
        f"jppint-{jppint.__version__}.dist-info/licenses/LICENSE",
    ],
)
def test_the_wheel_holds(artefacts: Artefacts, name: str) -> None:
    assert name in artefacts.wheel_names


def test_the_wheel_holds_only_the_package(artefacts: Artefacts) -> None:
    top_folders = {name.partition("/")[0] for name in artefacts.wheel_names}
    assert top_folders == {"jppint", f"jppint-{jppint.__version__}.dist-info"}
