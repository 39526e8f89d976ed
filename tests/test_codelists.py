"""The code lists in rules/codelists: well-formed, and equal to the official embedded lists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest

from jppint.schematron.codelists import CHANGED_IN, parse_code_list
from jppint.specs import releases

REPOSITORY = Path(__file__).resolve().parents[1]
CODE_LISTS = REPOSITORY / "rules" / "codelists"
README = CODE_LISTS / "README.md"
OFFICIAL = REPOSITORY.parent / "shared" / "official"
SPECS = ("jp", "jp-sb", "jp-ntr")
RELEASES = tuple(releases())

REQUIRED_HEADERS = ("title", "version", "used-by", "order")
OPTIONAL_HEADERS = ("note",)
REPEATABLE_HEADERS = (CHANGED_IN,)
HEADER = re.compile(r"# (?P<key>[a-z-]+): (?P<value>\S(?:.*\S)?)")
SCHEMATRON = "{http://purl.oclc.org/dsdl/schematron}"

# The two shapes in which the official assertions embed a code list:
# contains(' A B C ', concat(' ', normalize-space(...), ' '))
# and a chain @x = 'a' or @x = 'b' or ...
# A list written without the space after its last code never matches that code.
EMBEDDED_CONTAINS = re.compile(r"contains\(\s*'(?P<codes> (?:[^' ]+ )*[^' ]+ ?)'\s*,\s*concat\(")
# Codes an official list holds but never matches (see above), that our rule therefore excludes in its test:
# (release, spec, assertion id) -> codes (rules/jp-pint-1.1.2/spec-jp.sch).
EXCLUDED_BY_THE_RULE = {("1.1.2", "jp", "ibr-cl-26"): frozenset({"0244"})}
EMBEDDED_EQUALITY_CHAIN = re.compile(r"(?P<operand>@?[\w:.-]+)\s*=\s*'[^']*'(?:\s+or\s+(?P=operand)\s*=\s*'[^']*')+")
QUOTED = re.compile(r"'([^']*)'")


@dataclass(frozen=True)
class CodeList:
    """One file of rules/codelists: its header fields and its codes in file order."""

    path: Path
    headers: dict[str, str]
    codes: tuple[str, ...]
    text: str

    def codes_as_of(self, release: str) -> tuple[str, ...]:
        """The list as a release had it (the file holds the latest; changed-in headers record the rest)."""
        return parse_code_list(self.text).codes_as_of(release)

    @property
    def users(self) -> dict[str, frozenset[str]]:
        """Spec -> ids of the assertions using the list.

        From the header `used-by: jp jp-sb: id id; jp-ntr: id`.
        """
        users: dict[str, frozenset[str]] = {}
        for group in self.headers["used-by"].split("; "):
            specs, separator, assertion_ids = group.partition(": ")
            if not separator or not specs.split() or not assertion_ids.split():
                raise ValueError(f"{self.path.name}: used-by group {group!r} is not 'specs: assertion ids'")
            for spec in specs.split():
                if spec not in SPECS or spec in users:
                    raise ValueError(f"{self.path.name}: used-by names spec {spec!r} wrongly")
                users[spec] = frozenset(assertion_ids.split())
        return users


def read_code_list(path: Path) -> CodeList:
    """Parse a code list file, raising ValueError on anything outside the format of README.md."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n") or "\r" in text:
        raise ValueError(f"{path.name}: lines must end with a single LF, the last one too")
    headers: dict[str, str] = {}
    codes: list[str] = []
    for number, line in enumerate(text[:-1].split("\n"), start=1):
        if line.startswith("#"):
            match = HEADER.fullmatch(line)
            if codes or match is None:
                raise ValueError(f"{path.name}:{number}: header line out of place or malformed: {line!r}")
            key = match["key"]
            if key in REPEATABLE_HEADERS:
                parse_code_list(line)  # ValueError when malformed
                continue
            if key not in REQUIRED_HEADERS + OPTIONAL_HEADERS or key in headers:
                raise ValueError(f"{path.name}:{number}: unknown or repeated header {key!r}")
            headers[key] = match["value"]
        elif not line or any(character.isspace() for character in line):
            raise ValueError(f"{path.name}:{number}: a code must be non-empty and without whitespace: {line!r}")
        else:
            codes.append(line)
    missing = [key for key in REQUIRED_HEADERS if key not in headers]
    if missing:
        raise ValueError(f"{path.name}: missing headers {missing}")
    if not codes:
        raise ValueError(f"{path.name}: no codes")
    return CodeList(path, headers, tuple(codes), text)


CODE_LIST_PATHS = sorted(CODE_LISTS.glob("*.txt"))


def embedded_lists(test: str) -> list[frozenset[str]]:
    """The code lists written into one assertion test, in both official shapes."""
    lists = [
        frozenset(match["codes"].split() if match["codes"].endswith(" ") else match["codes"].split()[:-1])
        for match in EMBEDDED_CONTAINS.finditer(test)
    ]
    lists += [frozenset(QUOTED.findall(match[0])) for match in EMBEDDED_EQUALITY_CHAIN.finditer(test)]
    return lists


@cache
def official_embedded_lists(spec: str, release: str) -> dict[str, list[frozenset[str]]]:
    """Assertion id -> the code lists embedded in its test, over both .sch files of one spec of a release."""
    lists: dict[str, list[frozenset[str]]] = {}
    folder = OFFICIAL / f"pint-jp-{release}" / spec / "schematron"
    for schematron in sorted(folder.glob("*.sch")):
        for element in ElementTree.parse(schematron).iter():
            if element.tag in (f"{SCHEMATRON}assert", f"{SCHEMATRON}report"):
                found = embedded_lists(element.get("test", ""))
                if found:
                    lists.setdefault(element.get("id", ""), []).extend(found)
    if not lists:
        raise AssertionError(f"no embedded code list found in {folder}")
    return lists


def require_official() -> None:
    if not OFFICIAL.is_dir():
        pytest.skip(
            f"../shared/official is absent: cannot compare the code lists with the official rules in {OFFICIAL}"
        )


def test_there_are_code_lists() -> None:
    assert CODE_LIST_PATHS, f"no *.txt in {CODE_LISTS}"


@pytest.mark.parametrize("path", CODE_LIST_PATHS, ids=lambda path: path.name)
def test_code_list_file_is_well_formed(path: Path) -> None:
    code_list = read_code_list(path)
    duplicates = sorted({code for code in code_list.codes if code_list.codes.count(code) > 1})
    assert not duplicates, f"{path.name}: duplicated codes {duplicates}"
    assert code_list.users, f"{path.name}: used-by names no spec"


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("path", CODE_LIST_PATHS, ids=lambda path: path.name)
def test_code_list_equals_the_list_embedded_in_each_official_assertion_using_it(path: Path, release: str) -> None:
    require_official()
    code_list = read_code_list(path)
    mismatches = []
    for spec, assertion_ids in sorted(code_list.users.items()):
        embedded = official_embedded_lists(spec, release)
        for assertion_id in sorted(assertion_ids):
            excluded = EXCLUDED_BY_THE_RULE.get((release, spec, assertion_id), frozenset())
            codes = frozenset(code_list.codes_as_of(release)) - excluded
            candidates = embedded.get(assertion_id, [])
            if codes not in candidates:
                closest = min(
                    candidates,
                    key=lambda candidate: len(candidate ^ codes),
                    default=frozenset(),
                )
                mismatches.append(
                    f"{spec} {assertion_id}: only in file {sorted(codes - closest)[:10]},"
                    f" only in official {sorted(closest - codes)[:10]}"
                    + ("" if candidates else " (the assertion embeds no code list)")
                )
    assert not mismatches, f"{path.name} differs from the official rules of {release}:\n" + "\n".join(mismatches)


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize("spec", SPECS)
def test_every_list_embedded_in_the_official_rules_has_a_code_list_file(spec: str, release: str) -> None:
    require_official()
    claimed: dict[str, set[frozenset[str]]] = {}
    for path in CODE_LIST_PATHS:
        code_list = read_code_list(path)
        for assertion_id in code_list.users.get(spec, ()):
            excluded = EXCLUDED_BY_THE_RULE.get((release, spec, assertion_id), frozenset())
            claimed.setdefault(assertion_id, set()).add(frozenset(code_list.codes_as_of(release)) - excluded)
    unclaimed = [
        f"{assertion_id}: {len(codes)} codes beginning {sorted(codes)[:5]}"
        for assertion_id, lists in sorted(official_embedded_lists(spec, release).items())
        for codes in lists
        if codes not in claimed.get(assertion_id, set())
    ]
    assert not unclaimed, f"{spec}: embedded lists no code list file claims:\n" + "\n".join(unclaimed)


def test_readme_table_describes_every_code_list() -> None:
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| [") and len(cells) == 5:
            name = cells[0][1 : cells[0].index("]")]
            rows[name] = (cells[2], cells[3], cells[4])
    expected = {}
    for path in CODE_LIST_PATHS:
        code_list = read_code_list(path)
        expected[path.name] = (
            code_list.headers["version"],
            code_list.headers["used-by"],
            str(len(code_list.codes)),
        )
    assert rows == expected, "README.md table (version, used by, codes) is out of date with the files"
