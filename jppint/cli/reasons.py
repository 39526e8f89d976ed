"""Why an input could not be validated, in the reader's language.

The reasons are written in English where they arise: by the library (its
errors' messages are English by contract, like an exception's), by the
input expansion and by the batch. Their translations are data:
texts/reasons.toml pairs each English template (`{name}` marks a value) with
its Japanese. A reason is matched against the templates and rebuilt in the
chosen language with the values it carried; a value named in `_NESTED` is
itself a reason (or the XML parser's message) and is translated in turn.
A reason that starts with its place (`file.toml: unknown key ...`) keeps the
place and has the rest translated. An unknown reason is kept as written, so
nothing is ever lost.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from jppint.rule_entries import Language

if TYPE_CHECKING:  # the reporters are imported only when a batch is translated, not to parse options
    from jppint.reporters.batch_result import BatchResult, InputProblem

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_NESTED = frozenset({"reason", "parser", "kind", "said", "found", "death"})


@dataclass(frozen=True)
class _Template:
    english: str
    translations: dict[str, str]
    pattern: re.Pattern[str]


@cache
def _templates() -> tuple[_Template, ...]:
    text = resources.files("jppint.cli").joinpath("texts", "reasons.toml").read_text(encoding="utf-8")
    templates = []
    for entry in tomllib.loads(text)["reason"]:
        english = entry["en"]
        parts: list[str] = []
        position = 0
        for placeholder in _PLACEHOLDER.finditer(english):
            parts.append(re.escape(english[position : placeholder.start()]))
            parts.append(f"(?P<{placeholder.group(1)}>.*?)")
            position = placeholder.end()
        parts.append(re.escape(english[position:]))
        pattern = re.compile("".join(parts), re.DOTALL)
        translations = {language: value for language, value in entry.items() if language != "en"}
        templates.append(_Template(english, translations, pattern))
    # The most specific first: a longer template fixes more of the text.
    return tuple(sorted(templates, key=lambda template: -len(_PLACEHOLDER.sub("", template.english))))


def reason_templates() -> tuple[tuple[str, dict[str, str]], ...]:
    """Each English template with its translations, for tests."""
    return tuple((template.english, template.translations) for template in _templates())


def translate_reason(reason: str, language: Language) -> str:
    """`reason` in `language`; as written when it is English already or no template knows it."""
    if language == "en" or not reason:
        return reason
    for template in _templates():
        match = template.pattern.fullmatch(reason)
        if match is None or language not in template.translations:
            continue
        values = {
            name: translate_reason(value, language) if name in _NESTED else value
            for name, value in match.groupdict().items()
        }
        return template.translations[language].format(**values)
    # "place: reason" (a file, an option, a key): the place as written, the reason translated.
    place, separator, rest = reason.partition(": ")
    if separator and rest:
        translated = translate_reason(rest, language)
        if translated != rest:
            return f"{place}{separator}{translated}"
    return reason


def translated_problems(batch: BatchResult, language: Language) -> BatchResult:
    """The batch with the reasons of its input errors in `language`, for every reporter and stderr."""
    if language == "en":
        return batch
    outcomes = tuple(
        dataclasses.replace(outcome, problem=_translated(outcome.problem, language)) if outcome.problem else outcome
        for outcome in batch.outcomes
    )
    return dataclasses.replace(batch, outcomes=outcomes)


def _translated(problem: InputProblem, language: Language) -> InputProblem:
    return dataclasses.replace(problem, reason=translate_reason(problem.reason, language))
