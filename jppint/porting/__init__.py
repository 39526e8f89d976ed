"""Porting our rules to a new official JP PINT release.

Each release's provenance file (rules/jp-pint-<version>/provenance.toml,
named in rules/versions.toml) records, per specification and rule of ours,
the official assertion it implements and digests of that assertion's
context, test and message as the release had them, plus its flag: facts and
fingerprints, never the official text. Given the official `.sch` files of a
new release, `compare_release` lists the official assertions added, removed
or changed (which of test, flag, context, message) against those records,
and the code lists written into the official tests that differ from ours,
so a maintainer knows exactly which of our rules to rewrite. Run it as
`python -m jppint.porting` (see docs/porting.md).
"""

from jppint.porting.compare import Comparison, compare_release
from jppint.porting.official import OfficialAssertion, read_official_release
from jppint.porting.provenance import Provenance, read_provenance, record_provenance

__all__ = [
    "Comparison",
    "OfficialAssertion",
    "Provenance",
    "compare_release",
    "read_official_release",
    "read_provenance",
    "record_provenance",
]
