"""The assertions of an official release's `.sch` files, as fingerprints and embedded code lists.

The official rules write their code lists into the tests
(`contains(' A B C ', concat(' ', ., ' '))` or `@x = 'A' or @x = 'B'`).
A test is fingerprinted with each list replaced by a placeholder, so a
changed list shows as a code-list change and not as a changed test; a list
written without the space after its last code keeps that mark in the
placeholder, because it changes what the test accepts (the last code never
matches).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SCHEMATRON = "http://purl.oclc.org/dsdl/schematron"
SPEC_FOLDERS = ("jp", "jp-sb", "jp-ntr")

_CONTAINS_LIST = re.compile(r"contains\(\s*'(?P<codes> (?:[^' ]+ )*[^' ]+(?P<closed> ?))'\s*,\s*concat\(")
_EQUALITY_CHAIN = re.compile(r"(?P<operand>@?[\w:.-]+)\s*=\s*'[^']*'(?:\s+or\s+(?P=operand)\s*=\s*'[^']*')+")
_QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class OfficialAssertion:
    """One official assert or report, reduced to what porting compares."""

    spec: str
    id: str
    source: str
    flag: str
    context: str
    test: str
    message: str
    code_lists: tuple[frozenset[str], ...]

    @property
    def digests(self) -> dict[str, str]:
        """Fingerprints of context, test (code lists left out) and message."""
        return {
            "context": digest(self.context),
            "test": digest(without_code_lists(self.test)),
            "message": digest(self.message),
        }


def digest(text: str) -> str:
    """A short fingerprint of a text with its whitespace normalised."""
    return "sha256:" + hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def embedded_code_lists(test: str) -> tuple[frozenset[str], ...]:
    """The code lists written into a test, as the codes each can match."""
    lists = [
        frozenset(match["codes"].split() if match["closed"] else match["codes"].split()[:-1])
        for match in _CONTAINS_LIST.finditer(test)
    ]
    lists += [frozenset(_QUOTED.findall(match[0])) for match in _EQUALITY_CHAIN.finditer(test)]
    return tuple(lists)


def without_code_lists(test: str) -> str:
    test = _CONTAINS_LIST.sub(lambda match: "contains('LIST" + (" '" if match["closed"] else "'") + ", concat(", test)
    return _EQUALITY_CHAIN.sub(lambda match: f"{match['operand']} = LIST", test)


def read_official_release(folder: str | Path) -> dict[str, dict[str, OfficialAssertion]]:
    """Spec -> assertion id -> assertion, from `<folder>/<spec>/schematron/*.sch` (the official layout)."""
    release: dict[str, dict[str, OfficialAssertion]] = {}
    for spec in SPEC_FOLDERS:
        files = sorted((Path(folder) / spec / "schematron").glob("*.sch"))
        if not files:
            raise FileNotFoundError(f"no .sch file in {Path(folder) / spec / 'schematron'}")
        assertions: dict[str, OfficialAssertion] = {}
        for file in files:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            root = etree.parse(str(file), parser).getroot()
            for rule in root.iter(f"{{{SCHEMATRON}}}rule"):
                for element in rule:
                    if element.tag not in (f"{{{SCHEMATRON}}}assert", f"{{{SCHEMATRON}}}report"):
                        continue
                    test = element.get("test", "")
                    assertion = OfficialAssertion(
                        spec=spec,
                        id=element.get("id", ""),
                        source=file.name,
                        flag=element.get("flag") or rule.get("flag") or "",
                        context=rule.get("context", ""),
                        test=test,
                        message="".join(element.itertext()),
                        code_lists=embedded_code_lists(test),
                    )
                    if assertion.id in assertions:
                        raise ValueError(f"{file}: assertion id {assertion.id!r} occurs twice in {spec}")
                    assertions[assertion.id] = assertion
        release[spec] = assertions
    return release
