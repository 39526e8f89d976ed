"""The README's Service section names every option, parameter, header and endpoint the service has."""

from __future__ import annotations

import argparse

from jppint.cli.parser import build_parser
from jppint.serve.app import create_app
from jppint.serve.config import ServiceConfig
from jppint.serve.parameters import PARAMETERS
from tests.serve.service import ROOT


def service_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Service\n", 1)[1].split("\n## ", 1)[0]


def serve_options() -> list[str]:
    parser = build_parser()
    commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    serve = commands.choices["serve"]
    return [option for action in serve._actions for option in action.option_strings if option not in ("-h", "--help")]


def test_every_option_of_jppint_serve_is_in_the_readme() -> None:
    section = service_section()
    for option in serve_options():
        assert f"| `{option}" in section, option


def test_every_parameter_and_its_header_are_in_the_readme() -> None:
    section = service_section()
    for parameter in PARAMETERS:
        assert f"| `{parameter.name}` | `{parameter.header}` |" in section, parameter.name


def test_every_endpoint_is_in_the_readme() -> None:
    section = service_section()
    for route in create_app(ServiceConfig()).routes:
        for method in sorted(route.methods - {"HEAD"}):  # type: ignore[attr-defined]
            assert f"`{method} {route.path}`" in section, route.path  # type: ignore[attr-defined]
