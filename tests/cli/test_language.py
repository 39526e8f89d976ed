"""The command line in Japanese: under a Japanese locale or with --lang ja, no English sentence is printed.

What counts as an English sentence (`english_sentences`): three or more
English words in a row on one line. A word is a whitespace-separated token
that, stripped of surrounding punctuation, is letters only with at most its
first one a capital (`file`, `Validate`); so option names (`--fail-on`),
rule ids (`ibr-024`), XPaths and element names (`cac:InvoiceLine`), file
names (`a.xml`), URLs, format names joined by commas (`{text,json}`),
metavariables and acronyms in capitals (`INPUT`, `UBL`, `XML`) are not
words. Also not counted: the names of the commands and of the choices an
option takes (`jppint rules list`, `text`, `fatal`), literal values between
quotes ('...', `...`, 「...」: a pattern, a header, a value quoted from a file
or from the XML parser) and a source line the text report quotes
(`57 | <cac:InvoiceLine>`). Japanese text next to a word (`UBLの`) breaks a run.
"""

from __future__ import annotations

import argparse
import inspect
import re
import tomllib
from pathlib import Path

import pytest

from jppint.cli.localized_parser import argparse_templates, display_width, translate, wrap
from jppint.cli.parser import FORMATS, build_parser
from jppint.cli.reasons import reason_templates, translate_reason
from jppint.cli.texts import catalogue, language_of
from tests.cli.conftest import DATA, ROOT, run_process

JAPANESE = {"LANG": "ja_JP.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C", "LC_ALL": "", "LC_MESSAGES": ""}
TEXTS = ROOT / "jppint" / "cli" / "texts"

# The words of the command line that are names, not English: commands, formats, choices, languages.
_NAMES = frozenset(
    {"jppint", "validate", "rules", "list", "show", "serve", "diff", "ja", "en", "fatal", "warning", "information"}
    | set(FORMATS)
    | {"auto", "always", "never"}
)
_QUOTED = re.compile(r"'[^'\n]*'|`[^`\n]*`|「[^」\n]*」")
_SOURCE_QUOTE = re.compile(r"\b\d+ \| .*$")
_PUNCTUATION = "()[]{}<>\"',.;:!?…"
_WORD = re.compile(r"[A-Za-z][a-z]*")


def english_sentences(output: str) -> list[str]:
    """The lines of `output` holding three or more English words in a row (see the module's docstring)."""
    found = []
    for line in output.splitlines():
        text = _SOURCE_QUOTE.sub("", _QUOTED.sub(" ", line))
        run = 0
        for token in text.split():
            word = token.strip(_PUNCTUATION)
            if _WORD.fullmatch(word) and word.lower() not in _NAMES:
                run += 1
                if run >= 3:
                    found.append(line)
                    break
            else:
                run = 0
    return found


def test_the_checker_finds_english_and_passes_japanese() -> None:
    assert english_sentences("jppint: no such file or directory")
    assert english_sentences("使い方: jppint validate\n  --format FORMAT  report format (default: text)")
    assert not english_sentences("使い方: jppint rules list [-h] [--spec {jp,jp-sb,jp-ntr}]")
    assert not english_sentences("  --token-file FILE  'Authorization: Bearer <token>' を求めます")
    assert not english_sentences("      57 | <cbc:Note>Thank you very much</cbc:Note>")
    assert not english_sentences("整形式の XML ではありません: 「Some parser message we do not know」")


def _japanese_outputs(environment: dict[str, str], *extra: str) -> dict[str, str]:
    """Everything the command line prints for people, run as a user would (a fresh process)."""
    batch = [
        str(DATA / "valid" / "minimal.xml"),
        str(DATA / "invalid" / "missing-line-amount.xml"),
        str(DATA / "errors" / "malformed.xml"),
        str(DATA / "errors" / "not-ubl.xml"),
        str(DATA / "errors" / "not-xml.xml"),
        str(DATA / "errors" / "unknown-spec.xml"),
        str(DATA / "no-such-file.xml"),
    ]
    commands = {
        "help": ["--help"],
        "version": ["--version"],
        "validate help": ["validate", "--help"],
        "rules help": ["rules", "--help"],
        "rules list help": ["rules", "list", "--help"],
        "rules show help": ["rules", "show", "--help"],
        "serve help": ["serve", "--help"],
        "missing argument": ["validate"],
        "invalid choice": ["validate", "--format", "pdf", "a.xml"],
        "unknown option": ["validate", "--no-such-option", "a.xml"],
        "bad number": ["validate", "--jobs", "many", "a.xml"],
        "unknown command": ["check"],
        "missing file": ["validate", str(DATA / "no-such-file.xml")],
        "missing rules": ["validate", "--schematron", str(DATA / "no-such-rules.sch"), str(DATA / "no-such-file.xml")],
        "unknown rule selected": ["validate", "--select", "ibr-9999", str(DATA / "valid" / "minimal.xml")],
        "missing configuration": ["validate", "--config", str(DATA / "no-such-jppint.toml"), "a.xml"],
        "batch": ["validate", *batch],
        "batch quiet": ["validate", "--quiet", *batch],
        "rules list": ["rules", "list"],
        "rules show": ["rules", "show", "ibr-024"],
        "rules diff": ["rules", "diff", "1.1.2", "1.1.3"],
        "rules diff help": ["rules", "diff", "--help"],
        "unknown rule": ["rules", "show", "ibr-24"],
    }
    outputs = {}
    for name, argv in commands.items():
        run = run_process(*extra, *argv, env=environment)
        assert "Traceback" not in run.err, (name, run.err)
        outputs[name] = run.out + run.err
    return outputs


@pytest.mark.parametrize(
    ("environment", "extra"),
    [(JAPANESE, ()), (ENGLISH, ("--lang", "ja"))],
    ids=["LANG=ja_JP.UTF-8", "--lang ja under LANG=C"],
)
def test_everything_the_command_line_prints_is_japanese(environment: dict[str, str], extra: tuple[str, ...]) -> None:
    outputs = _japanese_outputs(environment, *extra)
    english = {name: english_sentences(output) for name, output in outputs.items()}
    assert not {name: lines for name, lines in english.items() if lines}
    assert outputs["help"].startswith("使い方: jppint") and "終了ステータス:" in outputs["help"]
    assert "オプション:" in outputs["validate help"] and "位置引数:" in outputs["validate help"]
    assert "エラー: 次の引数を指定してください: INPUT" in outputs["missing argument"]
    assert "ファイルまたはディレクトリがありません" in outputs["missing file"]
    assert "7件中 0件 適合、2件 不適合、5件 検証不能" in outputs["batch quiet"]
    assert "整形式の XML ではありません" in outputs["batch"]
    assert "ルール ID" in outputs["rules list"] and "重大度:" in outputs["rules show"]


def test_english_is_unchanged_under_the_c_locale() -> None:
    help_text = run_process("validate", "--help", env=ENGLISH).out
    assert help_text.startswith("usage: jppint validate")
    assert "positional arguments:" in help_text and "options:" in help_text and "exit status:" in help_text
    assert "report format (default: text)" in help_text
    usage = run_process("validate", env=ENGLISH)
    assert usage.code == 2 and "jppint validate: error: the following arguments are required: INPUT" in usage.err
    batch = run_process(
        "validate", "--quiet", DATA / "valid" / "minimal.xml", DATA / "errors" / "not-xml.xml", env=ENGLISH
    )
    assert re.match(r"files: 2, valid: \d, invalid: \d, errors: 1 \| findings: \d+ fatal", batch.out)
    assert "not XML: no root element" in batch.err


@pytest.mark.parametrize(
    ("argv", "environment", "language"),
    [
        (["validate", "--lang", "ja", "a.xml"], ENGLISH, "ja"),
        (["--lang=ja", "validate", "a.xml"], ENGLISH, "ja"),
        (["validate", "a.xml"], JAPANESE, "ja"),
        (["validate", "--lang", "en", "a.xml"], JAPANESE, "en"),
        (["validate", "--", "--lang", "ja"], ENGLISH, "en"),
        (["validate", "--lang", "xx", "a.xml"], ENGLISH, "en"),
    ],
)
def test_the_language_is_decided_before_parsing(argv: list[str], environment: dict[str, str], language: str) -> None:
    assert language_of(argv, environment) == language


def _placeholders(template: str) -> set[str]:
    return set(re.findall(r"\{\w+(?:![rs])?\}|%\(\w+\)[sdgr]|%[sr]", template))


def test_every_text_has_both_languages_with_the_same_placeholders() -> None:
    for key, entry in catalogue().items():
        assert set(entry) == {"en", "ja"}, key
        assert entry["ja"].strip() and entry["ja"] != entry["en"], key
        assert _placeholders(entry["en"]) == _placeholders(entry["ja"]), key
    for english, translations in reason_templates():
        assert _placeholders(english) == _placeholders(translations["ja"]), english
    for english, japanese in argparse_templates():
        assert sorted(_placeholders(english)) == sorted(_placeholders(japanese)), english


def test_every_option_of_every_command_has_japanese_help() -> None:
    """A new option written with English help only fails here: its help must come from texts/help.toml."""
    english = {entry["en"] for entry in catalogue().values()}

    def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
        found = [parser]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    found.extend(parsers(child))
        return found

    japanese = build_parser("ja")
    for parser in parsers(japanese):
        texts = [parser.description or ""] + [action.help or "" for action in parser._actions]
        texts += [choice.help or "" for action in parser._actions for choice in getattr(action, "_choices_actions", [])]
        for text in texts:
            assert not english_sentences(re.sub(r"%\(\w+\)\w", "", text)), (parser.prog, text)
            assert text not in english or not text, (parser.prog, text)


_LITERAL = r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"


def _argparse_messages() -> set[str]:
    source = inspect.getsource(argparse)
    found = set()
    for literal in re.findall(rf"\b_\(\s*{_LITERAL}", source):
        found.add(eval(literal))  # a string literal of the standard library's source
    for singular, plural in re.findall(rf"\bngettext\(\s*{_LITERAL},\s*{_LITERAL}", source):
        found.update((eval(singular), eval(plural)))
    return found


# argparse's words a user never meets: a programmer's mistakes (a broken parser), argparse's own version
# action (jppint has its own) and the error line (translated whole, as the template below).
_NOT_SHOWN = {
    ".__call__() not defined",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    'argument "-" with mode %r',
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: ",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "conflicting option string: %s",
    "conflicting option strings: %s",
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments",
    "%r is not callable",
    "show program's version number and exit",
    "%(prog)s: error: %(message)s\n",
}


def test_argparse_words_are_all_translated_and_still_argparse_s() -> None:
    """Each English template is argparse's own, and every message a user can meet has a translation."""
    messages = _argparse_messages()
    ours = {english for english, _ in argparse_templates()}
    assert ours <= messages | {"%(prog)s: error: %(message)s\n"}
    missing = {message for message in messages - ours if message not in _NOT_SHOWN}
    assert not missing


def test_argparse_messages_are_translated_with_their_values() -> None:
    assert translate("argument --format: invalid choice: 'pdf' (choose from 'text', 'json')", "ja") == (
        "引数 --format: 'pdf' は選べません（選べるもの: 'text', 'json'）"
    )
    assert translate("unrecognized arguments: --x y", "ja") == "解釈できない引数があります: --x y"
    assert translate("a message argparse may add one day", "ja") == "a message argparse may add one day"
    assert translate("usage: ", "en") == "usage: "


@pytest.mark.parametrize(
    "reason",
    [
        "no such file or directory",
        "permission denied",
        "not a regular file (a FIFO), so it was not opened; to validate what it delivers, use - and redirect it",
        "document is 70000000 bytes, larger than the limit of 52428800 bytes (--max-size)",
        "validation took longer than 2 s (--timeout)",
        "the worker validating it died (killed by signal 9: out of memory?)",
        "the worker validating it died (it exited with status 3)",
        "not well-formed XML: Opening and ending tag mismatch: b line 1 and a",
        "not well-formed XML: the document ends unexpectedly, is it truncated? (Premature end of data in tag a line 1)",
        "not XML: the input looks like a PDF file",
        "not a UBL Invoice or CreditNote: the root element is {urn:x}Order",
        "a UN/CEFACT Cross Industry Invoice: JP PINT invoices are UBL 2.1 Invoice or CreditNote",
        "cannot tell which JP PINT specification applies: no CustomizationID; supported: a (jp); "
        "or choose one with spec= (--spec on the command line)",
        "document type declarations (DOCTYPE, DTD) are not allowed in invoices",
        "internal error, please report it: KeyError: 'x'",
        "--schematron rules.sch: no such file",
        "cannot write the report to out.json: No space left on device",
        "jppint.toml: unknown key 'jobz' (did you mean 'jobs'?)",
        "pyproject.toml: fail-on: expected a string, found a whole number (3)",
        "no rule id is or starts with 'ibr-99'; did you mean ibr-099?",
        "baseline.json: baseline version 7; this jppint reads 1",
    ],
)
def test_input_error_reasons_are_translated(reason: str) -> None:
    japanese = translate_reason(reason, "ja")
    assert japanese != reason and not english_sentences(japanese)
    assert translate_reason(reason, "en") == reason


def test_every_reason_the_input_expansion_writes_has_a_translation() -> None:
    """The reasons jppint/cli/inputs.py and jppint/cli/batch.py write as literals, each matched by a template."""
    for module in ("inputs.py", "batch.py"):
        source = (ROOT / "jppint" / "cli" / module).read_text(encoding="utf-8")
        for literal in re.findall(
            r'(?:InputProblem\([^,]+, |reason=|UnreadableError\(|return )f?"([a-z][^"]+)"', source
        ):
            reason = re.sub(r"\{[^}]*\}", "7", literal)
            assert translate_reason(reason, "ja") != reason, (module, literal)


def test_help_is_wrapped_by_display_width() -> None:
    lines = wrap("検証が SECONDS 秒を超えたら打ち切り、検証できなかった入力として報告します（既定: 120）", 30)
    assert all(display_width(line) <= 30 for line in lines)
    assert not any(line.startswith(("、", "）")) for line in lines)
    assert (
        "".join(lines).replace(" ", "")
        == "検証がSECONDS秒を超えたら打ち切り、検証できなかった入力として報告します（既定:120）"
    )


def test_the_catalogues_are_toml_with_nothing_else() -> None:
    for path in TEXTS.glob("*.toml"):
        tomllib.loads(path.read_text(encoding="utf-8"))
    assert {path.name for path in TEXTS.glob("*.toml")} == {
        "help.toml",
        "messages.toml",
        "argparse.toml",
        "reasons.toml",
    }


def test_the_package_ships_the_catalogues() -> None:
    pyproject = tomllib.loads(Path(ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = pyproject["tool"]["setuptools"]
    assert "jppint.cli" in setuptools["packages"]
    assert "texts/*.toml" in setuptools["package-data"]["jppint.cli"]
