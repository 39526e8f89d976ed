"""POST /validate on the real service: the API's reports, the options, and every refusal in JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

import jppint
from jppint.cli import main as command_line
from tests.serve.service import INVALID, ROOT, SAMPLE, SAMPLES, Service, without_times


def api_report(data: bytes, name: str | None = None, **options: object) -> dict[str, object]:
    return without_times(jppint.Validator(**options).validate(data, source_name=name).model_dump(mode="json"))  # type: ignore[arg-type]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: f"{path.parent.parent.name}/{path.parent.name}/{path.name}")
def test_every_sample_gets_the_report_of_the_api(service: Service, path: Path) -> None:
    data = path.read_bytes()
    answer = service.validate(data, f"?source_name={path.name}")
    assert answer.status == 200, answer.body
    assert answer.headers["content-type"] == "application/json"
    assert without_times(answer.json()) == api_report(data, path.name)
    assert answer.json()["valid"] is (path.parent.parent.name == "valid")


@pytest.mark.parametrize(
    ("query", "headers", "options"),
    [
        ("?lang=ja", {}, {"lang": "ja"}),
        ("", {"X-Jppint-Lang": "ja"}, {"lang": "ja"}),
        ("", {"Accept-Language": "fr, ja;q=0.8, en;q=0.5"}, {"lang": "ja"}),
        ("", {"Accept-Language": "ja;q=0.3, en"}, {"lang": "en"}),
        ("?spec=jp-sb", {}, {"spec": "jp-sb"}),
        ("", {"X-Jppint-Spec": "jp-ntr"}, {"spec": "jp-ntr"}),
        ("?schema=false", {}, {"schema": False}),
        ("?stop_on_schema_error=true", {}, {"stop_on_schema_error": True}),
        ("", {"X-Jppint-Stop-On-Schema-Error": "1"}, {"stop_on_schema_error": True}),
        ("?advice=false&lang=en&rules_version=1.1.3", {}, {"advice": False}),
        ("", {"X-Jppint-Rules-Version": "1.1.3"}, {}),
        ("?rules_version=1.1.2", {}, {"rules_version": "1.1.2"}),
    ],
)
def test_options_from_the_query_or_headers_give_the_api_report_with_those_options(
    service: Service, query: str, headers: dict[str, str], options: dict[str, object]
) -> None:
    data = (ROOT / "samples" / "invalid" / "jp" / "schema-misspelled-element.xml").read_bytes()
    answer = service.validate(data, query, headers)
    assert answer.status == 200, answer.body
    assert without_times(answer.json()) == api_report(data, **options)


def document_error(data: bytes) -> jppint.JppintError:
    with pytest.raises(jppint.JppintError) as raised:
        jppint.validate(data)
    return raised.value


UNKNOWN_CUSTOMIZATION = SAMPLE.read_bytes().replace(b"urn:peppol:pint:billing-1@jp-1", b"urn:example:other", 1)
NOT_UBL = b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>"


@pytest.mark.parametrize(
    ("data", "status", "kind"),
    [
        (b"<Invoice", 400, "unreadable-document"),
        (b"", 400, "unreadable-document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", 400, "unreadable-document"),
        (b"/etc/hostname", 400, "unreadable-document"),
        (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]><x>&e;</x>', 400, "unsafe-document"),
        (NOT_UBL, 422, "not-ubl"),
        (UNKNOWN_CUSTOMIZATION, 422, "unknown-spec"),
    ],
    ids=["not-well-formed", "empty", "pdf", "a-path", "doctype", "not-ubl", "unknown-customization-id"],
)
def test_a_document_that_cannot_be_validated_is_a_json_error_with_the_reason_of_the_api(
    service: Service, data: bytes, status: int, kind: str
) -> None:
    answer = service.validate(data)
    assert answer.status == status, answer.body
    assert answer.headers["content-type"] == "application/json"
    expected = document_error(data)
    reason = expected.reason if isinstance(expected, jppint.DocumentError) else str(expected)
    line = getattr(expected, "line", None)
    column = getattr(expected, "column", None)
    assert answer.json() == {"error": {"type": kind, "reason": reason, "line": line, "column": column}}


def test_the_reason_is_the_one_the_command_line_prints(
    service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<Invoice>\n  <cbc:ID>1</cbc:ID>\n")
    assert command_line(["validate", "-q", str(broken)]) == 2
    printed = capsys.readouterr().err
    error = service.validate(broken.read_bytes()).error
    assert f"jppint: {broken}:{error['line']}:{error['column']}: {error['reason']}" in printed.splitlines()


@pytest.mark.parametrize(
    ("query", "headers", "status", "kind", "reason"),
    [
        ("?spec=de", {}, 422, "unknown-spec", "unknown specification 'de': choose one of jp, jp-sb, jp-ntr"),
        (
            "?rules_version=1.0.0",
            {},
            422,
            "bad-parameter",
            "rules version '1.0.0': this service has JP PINT 1.1.2, 1.1.3",
        ),
        ("", {"X-Jppint-Rules-Version": "2.0"}, 422, "bad-parameter", "unknown rules version '2.0'"),
        ("?lang=fr", {}, 422, "bad-parameter", "lang must be one of en, ja, not 'fr'"),
        ("?schema=maybe", {}, 422, "bad-parameter", "schema must be true or false, not 'maybe'"),
        ("?lnag=ja", {}, 422, "bad-parameter", "unknown parameter 'lnag'"),
        ("?lang=ja&lang=en", {}, 422, "bad-parameter", "parameter 'lang' is given more than once"),
        ("?lang=ja", {"X-Jppint-Lang": "en"}, 422, "bad-parameter", "given twice with different values"),
        ("", {"X-Jppint-Colour": "red"}, 422, "bad-parameter", "unknown header 'x-jppint-colour'"),
        ("", {"Content-Type": "application/json"}, 415, "unsupported-media-type", "not application/json"),
        ("", {"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported-media-type", "--data-binary"),
        ("", {"Content-Type": "multipart/form-data; boundary=x"}, 415, "unsupported-media-type", "/validate/batch"),
    ],
)
def test_a_request_the_service_cannot_take_is_a_json_error(
    service: Service, query: str, headers: dict[str, str], status: int, kind: str, reason: str
) -> None:
    answer = service.validate(SAMPLE.read_bytes(), query, headers)
    assert answer.status == status, answer.body
    assert answer.error["type"] == kind
    assert reason in answer.error["reason"]


@pytest.mark.parametrize("content_type", [None, "text/xml; charset=utf-8", "application/vnd.example+xml"])
def test_xml_content_types_and_none_are_taken(service: Service, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = service.request("POST", "/validate", INVALID.read_bytes(), headers)
    assert answer.status == 200 and answer.json()["valid"] is False


def test_source_name_names_the_document_and_never_opens_a_file(service: Service) -> None:
    report = service.validate(SAMPLE.read_bytes(), "?source_name=/etc/passwd").json()
    assert report["source"] == "/etc/passwd" and report["valid"] is True
    assert service.validate(SAMPLE.read_bytes(), "?source_name=a%0Ab").error["type"] == "bad-parameter"


@pytest.mark.parametrize(
    ("method", "path", "status", "kind"),
    [("GET", "/nowhere", 404, "not-found"), ("GET", "/validate", 405, "method-not-allowed")],
)
def test_unknown_routes_and_methods_are_json_errors(
    service: Service, method: str, path: str, status: int, kind: str
) -> None:
    answer = service.request(method, path)
    assert answer.status == status and answer.error["type"] == kind
