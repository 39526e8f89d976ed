"""The parameters of a validation, from the query string or from headers.

One table says each parameter's query name, header, values and meaning; the
handlers read requests with it and `openapi` describes it, so the two never
disagree. A value may come from the query (`?lang=ja`) or its header
(`X-Jppint-Lang: ja`); the language may also come from `Accept-Language`.
Unknown parameters, repeated ones and values out of range are refused
(422): a typing mistake must not silently validate with other options.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from jppint.errors import UnknownSpecError
from jppint.rule_entries import LANGUAGES, Language
from jppint.serve.problems import Problem
from jppint.specs import SPECS, latest_version, releases, spec_named
from jppint.validator import Validator

RULES_VERSIONS: tuple[str, ...] = tuple(releases())
HEADER_PREFIX = "x-jppint-"
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")
_SOURCE_NAME_LIMIT = 255


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: Literal["choice", "boolean", "text"]
    description: str
    choices: tuple[str, ...] = ()
    default: str | bool | None = None

    @property
    def header(self) -> str:
        return "X-Jppint-" + "-".join(part.capitalize() for part in self.name.split("_"))


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "spec",
        "choice",
        "Validate as this specification whatever cbc:CustomizationID says (default: from cbc:CustomizationID).",
        tuple(SPECS),
    ),
    Parameter(
        "rules_version",
        "choice",
        "The JP PINT rules version to validate with (default: the latest); this service has only these.",
        RULES_VERSIONS,
        latest_version(),
    ),
    Parameter(
        "lang",
        "choice",
        "Language of Finding.message (both are in Finding.messages); default from Accept-Language, else en.",
        LANGUAGES,
    ),
    Parameter("schema", "boolean", "Run the schema layer (the OASIS UBL 2.1 XML Schema).", default=True),
    Parameter(
        "stop_on_schema_error",
        "boolean",
        "Do not run the rules on a document the UBL 2.1 schema rejects.",
        default=False,
    ),
    Parameter("advice", "boolean", "Run the advice layer (our own checks, which never decide valid).", default=True),
    Parameter("source_name", "text", "The name the report gives the document (Report.source).", default=None),
)
_BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}
_BY_HEADER = {parameter.header.lower(): parameter for parameter in PARAMETERS}


@dataclass(frozen=True)
class Options:
    """What a request asks for: the validator to use and the document's name in the report."""

    validator: Validator
    source_name: str | None
    lang: Language


def read_options(
    query: Sequence[tuple[str, str]], headers: Mapping[str, str], *, max_bytes: int, allowed: Sequence[str] = ()
) -> Options:
    """The options of a request; `Problem` (422) for anything unknown, repeated, conflicting or out of range.

    `allowed` names query parameters the caller reads itself.
    """
    values: dict[str, str] = {}
    for name, value in query:
        if name in allowed:
            continue
        parameter = _BY_NAME.get(name)
        if parameter is None:
            raise _bad(f"unknown parameter {name!r}: the parameters are {', '.join(_BY_NAME)}")
        if name in values:
            raise _bad(f"parameter {name!r} is given more than once")
        values[name] = value
    for header, value in headers.items():
        header = header.lower()
        if not header.startswith(HEADER_PREFIX):
            continue
        parameter = _BY_HEADER.get(header)
        if parameter is None:
            known = ", ".join(parameter.header for parameter in PARAMETERS)
            raise _bad(f"unknown header {header!r}: the parameter headers are {known}")
        if parameter.name in values and values[parameter.name] != value:
            raise _bad(f"parameter {parameter.name!r} is given twice with different values (query and header)")
        values[parameter.name] = value
    spec = _choice("spec", values)
    rules_version = _choice("rules_version", values)
    if rules_version is not None and rules_version not in RULES_VERSIONS:
        raise _bad(f"unknown rules version {rules_version!r}: this service has JP PINT {', '.join(RULES_VERSIONS)}")
    lang = _choice("lang", values) or preferred_language(headers.get("accept-language", ""))
    source_name = values.get("source_name")
    if source_name is not None and (len(source_name) > _SOURCE_NAME_LIMIT or not source_name.isprintable()):
        raise _bad(f"source_name must be at most {_SOURCE_NAME_LIMIT} printable characters")
    validator = _validator(
        spec,
        rules_version,
        cast(Language, lang),
        _boolean("schema", values),
        _boolean("stop_on_schema_error", values),
        _boolean("advice", values),
        max_bytes,
    )
    return Options(validator, source_name, validator.lang)


def _choice(name: str, values: Mapping[str, str]) -> str | None:
    value = values.get(name)
    parameter = _BY_NAME[name]
    if value is None or name == "rules_version":
        return value
    if value not in parameter.choices:
        if name == "spec":
            try:
                spec_named(value)
            except UnknownSpecError as error:
                raise Problem(422, "unknown-spec", str(error)) from None
        raise _bad(f"{name} must be one of {', '.join(parameter.choices)}, not {value!r}")
    return value


def _boolean(name: str, values: Mapping[str, str]) -> bool:
    value = values.get(name)
    if value is None:
        return bool(_BY_NAME[name].default)
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise _bad(f"{name} must be true or false, not {value!r}")


def preferred_language(accept_language: str) -> Language:
    """Our language the Accept-Language header prefers (highest q, then first named), else en."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, parameters = item.partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        weight = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.partition("=")
            if key.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight > 0:
            ranked.append((-weight, position, primary))
    return cast(Language, min(ranked)[2]) if ranked else "en"


@lru_cache(maxsize=256)
def _validator(
    spec: str | None,
    rules_version: str | None,
    lang: Language,
    schema: bool,
    stop_on_schema_error: bool,
    advice: bool,
    max_bytes: int,
) -> Validator:
    return Validator(
        spec=spec,
        rules_version=rules_version,
        lang=lang,
        schema=schema,
        stop_on_schema_error=stop_on_schema_error,
        advice=advice,
        max_bytes=max_bytes,
    )


def _bad(reason: str) -> Problem:
    return Problem(422, "bad-parameter", reason)
