"""Arguments become documents: files, directories, globs and stdin; problems stay in place."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from jppint.cli.inputs import STDIN_LABEL, Input, InputProblem, expand_inputs


def _tree(root: Path, *files: str) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<x/>")


def labels(items: list) -> list[str]:
    return [item.label if isinstance(item, Input) else f"!{item.label}" for item in items]


def test_a_directory_is_walked_recursively_for_xml_files_in_sorted_order(tmp_path: Path) -> None:
    _tree(tmp_path, "b.xml", "a.XML", "notes.txt", "sub/c.xml", "sub/deeper/d.xml")
    found = labels(expand_inputs([str(tmp_path)]))
    assert found == [str(tmp_path / name) for name in ("a.XML", "b.xml", "sub/c.xml", "sub/deeper/d.xml")]


def test_a_file_named_explicitly_is_taken_whatever_its_extension(tmp_path: Path) -> None:
    _tree(tmp_path, "invoice.ubl")
    assert labels(expand_inputs([str(tmp_path / "invoice.ubl")])) == [str(tmp_path / "invoice.ubl")]


def test_a_glob_pattern_is_expanded_recursively_and_sorted(tmp_path: Path) -> None:
    _tree(tmp_path, "x/2.xml", "x/1.xml", "y/z/3.xml", "y/z/skip.txt")
    found = labels(expand_inputs([f"{tmp_path}/**/*.xml"]))
    assert found == [str(tmp_path / name) for name in ("x/1.xml", "x/2.xml", "y/z/3.xml")]


def test_arguments_keep_their_order_and_a_file_named_twice_counts_once(tmp_path: Path) -> None:
    _tree(tmp_path, "d/a.xml", "d/b.xml", "c.xml")
    found = labels(expand_inputs([str(tmp_path / "c.xml"), str(tmp_path / "d"), str(tmp_path / "d" / "a.xml")]))
    assert found == [str(tmp_path / "c.xml"), str(tmp_path / "d" / "a.xml"), str(tmp_path / "d" / "b.xml")]


@pytest.mark.parametrize(
    ("argument", "reason"),
    [
        ("missing.xml", "no such file or directory"),
        ("nothing-*.xml", "no file matches this pattern"),
        ("", "an empty argument is not a file name"),
    ],
)
def test_an_argument_naming_nothing_is_a_problem_not_an_exception(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argument: str, reason: str
) -> None:
    monkeypatch.chdir(tmp_path)
    [problem] = expand_inputs([argument])
    assert isinstance(problem, InputProblem)
    assert problem.reason == reason


def test_a_directory_without_xml_files_is_a_problem(tmp_path: Path) -> None:
    _tree(tmp_path, "readme.txt")
    [problem] = expand_inputs([str(tmp_path)])
    assert isinstance(problem, InputProblem)
    assert "no .xml file" in problem.reason


def test_a_symlink_loop_is_reported_once_and_the_rest_is_walked(tmp_path: Path) -> None:
    _tree(tmp_path, "a/one.xml", "a/b/two.xml")
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "back-to-a")
    os.symlink("self-loop.xml", tmp_path / "a" / "self-loop.xml")
    items = expand_inputs([str(tmp_path / "a")])
    problems = {Path(item.label).name: item.reason for item in items if isinstance(item, InputProblem)}
    assert problems == {
        "back-to-a": "symbolic link loop: it leads back to an enclosing directory",
        "self-loop.xml": "symbolic link loop",
    }
    assert sorted(Path(item.label).name for item in items if isinstance(item, Input)) == ["one.xml", "two.xml"]


def test_a_broken_link_to_an_xml_file_is_reported(tmp_path: Path) -> None:
    _tree(tmp_path, "ok.xml")
    os.symlink(tmp_path / "gone.xml", tmp_path / "dangling.xml")
    items = expand_inputs([str(tmp_path)])
    assert labels(items) == [f"!{tmp_path / 'dangling.xml'}", str(tmp_path / "ok.xml")]
    assert "broken symbolic link" in items[0].reason


def test_a_symlinked_directory_elsewhere_is_followed(tmp_path: Path) -> None:
    _tree(tmp_path, "real/a.xml")
    (tmp_path / "walked").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "walked" / "link")
    assert labels(expand_inputs([str(tmp_path / "walked")])) == [str(tmp_path / "walked" / "link" / "a.xml")]


def test_an_unreadable_directory_is_reported_and_its_siblings_still_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, "locked/a.xml", "open/b.xml")
    real_scandir = os.scandir

    def scandir(path: str):  # chmod 000 does not stop root, so refuse the directory here
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = expand_inputs([str(tmp_path)])
    assert labels(items) == [f"!{tmp_path / 'locked'}", str(tmp_path / "open" / "b.xml")]
    assert items[0].reason == "cannot read directory: permission denied"


def test_dash_reads_standard_input_once() -> None:
    items = expand_inputs(["-", "-"], stdin=io.BytesIO(b"<Invoice/>"))
    assert items == [Input(STDIN_LABEL, data=b"<Invoice/>")]


def test_a_problem_names_its_place_like_a_compiler() -> None:
    assert InputProblem("a.xml", "bad", 3, 7).describe() == "a.xml:3:7: bad"
    assert InputProblem("a.xml", "bad", 3).describe() == "a.xml:3: bad"
    assert InputProblem("a.xml", "bad").describe() == "a.xml: bad"
