"""The published output contract: the JSON Schemas of a report and of the command line's JSON document.

They are generated from the models (`ValidationReport`, and `BatchReport`
for `jppint validate --format json`), never written by hand. The copies in
the checkout's `schemas/` folder are the published ones; a test fails when
they differ from what the models generate. To write them again:

    python -m jppint.contract [FOLDER]     (default: ./schemas)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jppint.reporters.json_envelope import BatchReport
from jppint.results import FrozenModel, ValidationReport

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# File name -> the model it describes.
SCHEMAS: dict[str, type[FrozenModel]] = {
    "validation-report.schema.json": ValidationReport,
    "cli-report.schema.json": BatchReport,
}


def json_schema(model: type[FrozenModel]) -> dict[str, Any]:
    """The model's JSON Schema, as read: fields with a default may be missing, unknown fields are allowed."""
    return {"$schema": DIALECT, **model.model_json_schema()}


def schema_texts() -> dict[str, str]:
    """Each schema file's name and text, exactly as the published copy must read."""
    return {
        name: json.dumps(json_schema(model), ensure_ascii=False, indent=2) + "\n" for name, model in SCHEMAS.items()
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jppint.contract", description="Write the JSON Schemas of the output contract."
    )
    parser.add_argument("folder", nargs="?", type=Path, default=Path("schemas"), help="where to write (./schemas)")
    arguments = parser.parse_args(argv)
    for path in write_schemas(arguments.folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
