"""The schema layer: a document checked against the OASIS UBL 2.1 XML Schema.

A receiver's UBL parser refuses what the schema forbids, whatever the JP
PINT rules say, so this layer runs before the rules and its findings count
towards `valid` (layer "schema").
"""

from jppint.xsd.layer import check_schema
from jppint.xsd.loading import SCHEMA_FILES, default_schema_directory, schema_for

__all__ = ["SCHEMA_FILES", "check_schema", "default_schema_directory", "schema_for"]
