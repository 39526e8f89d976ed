"""rules/versions.toml is the one place that names a JP PINT release."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import jppint
from jppint.catalogue import load_catalogue
from jppint.porting.official import read_official_release
from jppint.specs import SPECS, latest_version, release_named, releases, spec_of_customization_id
from tests.porting.test_porting import require_official

REPOSITORY = Path(__file__).resolve().parents[1]
# Any release of rules/versions.toml, written out: "1.1.3" in code, JP PINT 1.1.3 in a docstring or a text.
RELEASE_LITERAL = re.compile("|".join(rf"(?<![\w.]){re.escape(version)}(?![\w])" for version in releases()))


def test_no_release_number_is_written_in_the_package() -> None:
    stray = [
        f"{path.relative_to(REPOSITORY)}:{number}: {line.strip()}"
        for path in sorted((REPOSITORY / "jppint").rglob("*"))
        if path.suffix in {".py", ".toml", ".html", ".css", ".js"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RELEASE_LITERAL.search(line)
    ]
    assert not stray, "release numbers belong in rules/versions.toml:\n" + "\n".join(stray)


def test_the_releases_are_ordered_by_date_and_the_latest_is_the_default() -> None:
    dates = [release.released for release in releases().values()]
    assert dates == sorted(dates)
    assert latest_version() == list(releases())[-1]
    assert {spec.version for spec in SPECS.values()} == {latest_version()}
    assert jppint.validate(REPOSITORY / "samples/valid/jp/standard-mixed-rates.xml").spec_version == latest_version()


@pytest.mark.parametrize("version", tuple(releases()))
def test_every_release_names_existing_files_for_every_spec(version: str) -> None:
    release = release_named(version)
    assert set(release.specs) == {"jp", "jp-sb", "jp-ntr"}
    for spec in release.specs.values():
        assert spec.rules.is_file(), spec.rules
        assert spec_of_customization_id(spec.customization_ids[0] + ":extension", version) == spec
    assert all(catalogue.is_file() for catalogue in release.catalogues)
    assert release.provenance.is_file()
    assert load_catalogue(version)


@pytest.mark.parametrize("version", tuple(releases()))
def test_the_report_says_which_release_ran(version: str) -> None:
    report = jppint.validate(REPOSITORY / "samples/valid/jp/standard-mixed-rates.xml", rules_version=version)
    assert report.spec_version == version
    assert report.rule_sets[0].path == f"jp-pint-{version}/jp.sch"


def test_an_unknown_release_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=re.escape("unknown rules version '2.0.0'")):
        jppint.validate(REPOSITORY / "samples/valid/jp/standard-mixed-rates.xml", rules_version="2.0.0")
    with pytest.raises(ValueError, match="choose one of"):
        jppint.Validator(rules_version="latest")


def releases_in_words() -> str:
    """`1.1.2 and 1.1.3`: the releases of rules/versions.toml as the texts that name them write them."""
    *earlier, latest = releases()
    return f"{', '.join(earlier)} and {latest}" if earlier else latest


def test_the_pre_commit_hook_names_the_releases_of_the_data_file() -> None:
    hook = (REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    (description,) = [line for line in hook.splitlines() if line.strip().startswith("description:")]
    assert f"releases {releases_in_words()};" in description, "update .pre-commit-hooks.yaml from rules/versions.toml"


@pytest.mark.parametrize("version", tuple(releases()))
def test_each_release_catalogue_describes_exactly_the_official_assertions_of_that_release(version: str) -> None:
    official = read_official_release(require_official(version))
    catalogue = load_catalogue(version)
    described = {(spec, rule_id) for rule_id, entry in catalogue.items() for spec in entry.specs}
    assert described == {(spec, rule_id) for spec, assertions in official.items() for rule_id in assertions}
    assert all(
        catalogue[rule_id].flag == assertion.flag
        for assertions in official.values()
        for rule_id, assertion in assertions.items()
    )
