"""README.ja.md is README.md in Japanese: the same sections, code blocks and commands, so the two never drift.

Prose is compared by shape only: the same number of headings at each level,
in the same order. Code is compared by content: the same blocks with the
same language, and in each block the same commands and code once comments
are set aside (`# ...`, `// ...`, which the translation may translate). A
console block's output may be in Japanese (the command line speaks it under
a Japanese locale), so only its `$` lines count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "README.md"
JAPANESE = ROOT / "README.ja.md"

_FENCE = re.compile(r"^```(\S*)\s*$")
_HEADING = re.compile(r"^(#{1,6}) (.+)$")
_COMMENT_LINE = re.compile(r"^\s*(?:#|//)(?: |$)")
_TRAILING_COMMENT = re.compile(r"\s+(?:#|//) .*$")
_LINK = re.compile(r"\]\(#([^)]+)\)")


@dataclass(frozen=True)
class Readme:
    headings: list[tuple[int, str]]
    blocks: list[tuple[str, list[str]]]
    text: str


def _read(path: Path) -> Readme:
    text = path.read_text(encoding="utf-8")
    headings: list[tuple[int, str]] = []
    blocks: list[tuple[str, list[str]]] = []
    block: list[str] | None = None
    language = ""
    for line in text.splitlines():
        fence = _FENCE.match(line)
        if fence and block is None:
            language, block = fence.group(1), []
        elif fence and block is not None:
            blocks.append((language, block))
            block = None
        elif block is not None:
            block.append(line)
        elif heading := _HEADING.match(line):
            headings.append((len(heading.group(1)), heading.group(2)))
    assert block is None, f"{path.name}: a code block is not closed"
    return Readme(headings, blocks, text)


def _code(language: str, lines: list[str]) -> list[str]:
    """What must be the same in both languages: commands and code, without comments or console output."""
    if language == "console":
        commands = []
        for number, line in enumerate(lines):
            if line.startswith("$ "):
                command = _TRAILING_COMMENT.sub("", line)
                # A command continued on the next line ("\") keeps its continuation.
                while command.endswith("\\") and number + 1 < len(lines):
                    number += 1
                    command += "\n" + _TRAILING_COMMENT.sub("", lines[number])
                commands.append(command)
        return commands
    return [_TRAILING_COMMENT.sub("", line) for line in lines if line.strip() and not _COMMENT_LINE.match(line)]


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped (Japanese included), spaces as hyphens."""
    kept = "".join(character for character in heading.lower() if character.isalnum() or character in " -_")
    return kept.replace(" ", "-")


@pytest.fixture(scope="module")
def readmes() -> tuple[Readme, Readme]:
    return _read(ENGLISH), _read(JAPANESE)


def test_the_same_headings_at_the_same_levels(readmes: tuple[Readme, Readme]) -> None:
    english, japanese = readmes
    assert [level for level, _ in japanese.headings] == [level for level, _ in english.headings]


def test_the_same_code_blocks_with_the_same_commands(readmes: tuple[Readme, Readme]) -> None:
    english, japanese = readmes
    assert [language for language, _ in japanese.blocks] == [language for language, _ in english.blocks]
    for (language, ours), (_, theirs) in zip(english.blocks, japanese.blocks, strict=True):
        assert _code(language, theirs) == _code(language, ours)


def test_the_japanese_readme_is_japanese(readmes: tuple[Readme, Readme]) -> None:
    _, japanese = readmes
    for _, heading in japanese.headings[1:]:
        assert re.search("[\u3040-\u30ff\u4e00-\u9fff]", heading) or heading in ("Python API",), heading
    for word in ("適格請求書", "売手", "買手", "登録番号", "適合", "不適合"):
        assert word in japanese.text


def test_each_links_to_the_other_at_the_top(readmes: tuple[Readme, Readme]) -> None:
    english, japanese = readmes
    assert "](README.ja.md)" in "\n".join(english.text.splitlines()[:5])
    assert "](README.md)" in "\n".join(japanese.text.splitlines()[:5])


@pytest.mark.parametrize("path", [ENGLISH, JAPANESE], ids=["README.md", "README.ja.md"])
def test_links_within_the_page_lead_to_a_heading(path: Path) -> None:
    readme = _read(path)
    anchors = {_slug(heading) for _, heading in readme.headings}
    for anchor in _LINK.findall(readme.text):
        assert anchor in anchors, anchor
