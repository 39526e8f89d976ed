"""The porting tool: our recorded provenance against official releases, real and edited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jppint.porting import compare_release, read_provenance
from jppint.porting.__main__ import main
from jppint.porting.official import digest, embedded_code_lists, without_code_lists
from jppint.porting.provenance import our_rule_ids
from jppint.specs import releases
from tests.conformance.corpus import official_folder, shared_available

RELEASES = tuple(releases())


def require_official(release: str) -> Path:
    folder = official_folder(release)
    if not shared_available() or not folder.is_dir():
        pytest.skip(f"{folder} is absent: the official rules live outside the repository")
    return folder


@pytest.mark.parametrize("release", RELEASES)
def test_every_rule_of_ours_records_the_official_assertion_it_implements(release: str) -> None:
    provenance = read_provenance(release)
    ours = {(spec, rule_id) for spec, rule_ids in our_rule_ids(release).items() for rule_id in rule_ids}
    assert set(provenance.records) == ours
    assert all(record.digests["test"].startswith("sha256:") for record in provenance.records.values())


@pytest.mark.parametrize("release", RELEASES)
def test_the_recorded_provenance_matches_the_official_release_it_was_written_from(release: str) -> None:
    comparison = compare_release(require_official(release), release)
    assert comparison.empty, comparison.to_text()
    assert read_provenance(release).written_from == official_folder(release).name


def test_porting_from_1_1_2_to_1_1_3_lists_exactly_the_official_changes() -> None:
    comparison = compare_release(require_official("1.1.3"), "1.1.2")
    every_spec = ["jp", "jp-sb", "jp-ntr"]
    assert comparison.to_json() == {
        "written_from": "1.1.2",
        "official": "pint-jp-1.1.3",
        "assertions": {
            "added": [],
            "removed": [{"official": "ibr-sr-45", "specs": every_spec}],
            "changed": [
                {"official": "ibr-004", "specs": every_spec, "changes": ["message"], "rules": ["ibr-004"]},
                {"official": "ibr-126", "specs": every_spec, "changes": ["test"], "rules": ["ibr-126"]},
                # the 1.1.2 jp list lacked the space after 0244 (see rules/jp-pint-1.1.2/spec-jp.sch)
                {"official": "ibr-cl-26", "specs": ["jp"], "changes": ["test"], "rules": ["ibr-cl-26"]},
            ],
        },
        "code_lists": [
            {
                "code_list": "EAS-endpoint-scheme",
                "assertions": [{"official": "ibr-cl-25", "specs": every_spec}],
                "added": ["0242", "0245", "0246", "0248"],
                "removed": [],
            },
            {
                "code_list": "ICD-identifier-scheme",
                "assertions": [{"official": "ibr-cl-26", "specs": ["jp"]}],
                "added": ["0244", "0245", "0246", "0247", "0248"],
                "removed": [],
            },
            {
                "code_list": "ICD-identifier-scheme",
                "assertions": [
                    {"official": "ibr-cl-10", "specs": every_spec},
                    {"official": "ibr-cl-11", "specs": every_spec},
                    {"official": "ibr-cl-21", "specs": every_spec},
                    {"official": "ibr-cl-26", "specs": ["jp-sb", "jp-ntr"]},
                ],
                "added": ["0245", "0246", "0247", "0248"],
                "removed": [],
            },
            {
                "code_list": "ISO4217-currency",
                "assertions": [
                    {"official": "ibr-cl-03", "specs": every_spec},
                    {"official": "ibr-cl-04", "specs": every_spec},
                    {"official": "ibr-cl-05", "specs": every_spec},
                ],
                "added": ["XCG"],
                "removed": ["ANG", "BGN"],
            },
        ],
    }


def _edit(folder: Path, spec: str, old: str, new: str) -> None:
    file = folder / spec / "schematron" / "PINT-UBL-validation-preprocessed.sch"
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    file.write_text(text.replace(old, new), encoding="utf-8")


def test_each_kind_of_change_in_an_official_file_is_reported(tmp_path: Path) -> None:
    """A release made up from the official 1.1.3 files: one flag, context, message, test and list edited."""
    official = tmp_path / "pint-jp-next"
    shutil.copytree(require_official("1.1.3"), official, ignore=shutil.ignore_patterns("*.pdf", "*.xml", "*.gc"))
    _edit(official, "jp", 'id="ibr-049" flag="fatal"', 'id="ibr-049" flag="warning"')
    _edit(official, "jp", '<rule context="cac:PaymentTerms">', '<rule context="cac:PaymentTerms[cbc:Note]">')
    _edit(official, "jp-sb", "MUST specify the Payment means type code", "MUST state the Payment means type code")
    _edit(official, "jp-ntr", 'test="exists(cbc:PaymentMeansCode)"', 'test="exists(cbc:PaymentMeansCode[@name])"')
    _edit(official, "jp", "@currencyID), ' ')) and contains(' AED ", "@currencyID), ' ')) and contains(' AED ZZZ ")
    added = '<assert id="ibr-sr-99" flag="fatal" test="true()">new</assert><assert id="ibr-sr-46"'
    _edit(official, "jp", '<assert id="ibr-sr-46"', added)
    comparison = compare_release(official, "1.1.3")
    assert [(change.official, change.specs) for change in comparison.added] == [("ibr-sr-99", ("jp",))]
    assert not comparison.removed
    assert {(change.official, change.specs, change.changes) for change in comparison.changed} == {
        ("ibr-049", ("jp",), ("flag",)),
        ("ibr-sr-05", ("jp",), ("context",)),
        ("ibr-sr-60", ("jp",), ("context",)),
        ("ibr-049", ("jp-sb",), ("message",)),
        ("ibr-049", ("jp-ntr",), ("test",)),
    }
    (currency,) = [change for change in comparison.code_lists if change.code_list == "ISO4217-currency"]
    assert (currency.added, currency.removed) == (("ZZZ",), ())
    assert {official for official, _ in currency.assertions} == {"ibr-cl-03"}


def test_code_lists_are_left_out_of_the_test_fingerprint_but_a_missing_closing_space_is_not() -> None:
    test = "contains(' AAA BBB ', concat(' ', normalize-space(.), ' '))"
    assert embedded_code_lists(test) == (frozenset({"AAA", "BBB"}),)
    assert digest(without_code_lists(test)) == digest(without_code_lists(test.replace("BBB ", "BBB CCC ")))
    unclosed = test.replace("BBB ", "BBB")
    assert embedded_code_lists(unclosed) == (frozenset({"AAA"}),)  # BBB can never match
    assert digest(without_code_lists(unclosed)) != digest(without_code_lists(test))
    chain = "@unitCode = 'C62' or @unitCode = 'KGM'"
    assert embedded_code_lists(chain) == (frozenset({"C62", "KGM"}),)


def test_the_command_exits_0_when_nothing_changed_1_with_changes_2_when_it_cannot_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["compare", str(require_official("1.1.3")), "--from", "1.1.3"]) == 0
    assert "no difference" in capsys.readouterr().out
    assert main(["compare", str(official_folder("1.1.3")), "--from", "1.1.2", "--format", "json"]) == 1
    assert '"ibr-sr-45"' in capsys.readouterr().out
    assert main(["compare", str(tmp_path)]) == 2
    assert "no .sch file" in capsys.readouterr().err
    for spec in ("jp", "jp-sb", "jp-ntr"):
        (tmp_path / spec / "schematron").mkdir(parents=True)
        (tmp_path / spec / "schematron" / "broken.sch").write_text("<schema><rule", encoding="utf-8")
    assert main(["compare", str(tmp_path)]) == 2
    assert "broken.sch" in capsys.readouterr().err


def test_recording_writes_the_provenance_the_repository_holds(tmp_path: Path) -> None:
    for release in RELEASES:
        output = tmp_path / f"{release}.toml"
        assert main(["record", release, str(require_official(release)), "--output", str(output)]) == 0
        committed = Path(__file__).resolve().parents[2] / "rules" / f"jp-pint-{release}" / "provenance.toml"
        assert output.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
