"""POST /validate/batch: the command line's JSON report for several documents, one file part each."""

from __future__ import annotations

import jppint
from tests.serve.service import SAMPLES, Service, without_times


def test_a_batch_answers_the_command_line_json_with_the_api_reports_in_part_order(service: Service) -> None:
    parts: list[tuple[str, str | None, bytes]] = [("document", path.name, path.read_bytes()) for path in SAMPLES]
    parts.insert(3, ("document", "broken.xml", b"<Invoice>"))
    parts.append(("note", None, b"not a file"))
    answer = service.batch(parts, "?lang=ja")
    assert answer.status == 200, answer.body
    result = answer.json()
    assert [entry["input"] for entry in result["files"]] == [name or field for field, name, _ in parts]
    validator = jppint.Validator(lang="ja")
    for (_, name, data), entry in zip(parts, result["files"], strict=True):
        if name == "broken.xml":
            with_reason = {"reason": entry["error"]["reason"], "line": 1, "column": 10}
            assert entry["status"] == "error" and entry["report"] is None and entry["error"] == with_reason
            assert entry["error"]["reason"].startswith("not well-formed XML")
        elif name is None:
            assert entry["status"] == "error" and "not a file part" in entry["error"]["reason"]
        else:
            expected = validator.validate(data, source_name=name)
            assert without_times(entry["report"]) == without_times(expected.model_dump(mode="json"))
            assert entry["status"] == ("valid" if expected.valid else "invalid")
    summary = result["summary"]
    valid = sum(1 for path in SAMPLES if path.parent.parent.name == "valid")
    assert (summary["files"], summary["valid"], summary["invalid"], summary["errors"]) == (
        len(parts),
        valid,
        len(SAMPLES) - valid,
        2,
    )
    assert result["lang"] == "ja"


def test_a_batch_must_be_multipart_with_at_least_one_part(service: Service) -> None:
    answer = service.request("POST", "/validate/batch", b"<Invoice/>", {"Content-Type": "application/xml"})
    assert answer.status == 415 and answer.error["type"] == "unsupported-media-type"
    empty = service.batch([])
    assert empty.status == 422 and empty.error["type"] == "empty-batch"


def test_a_batch_takes_the_parameters_but_not_one_source_name(service: Service) -> None:
    data = SAMPLES[0].read_bytes()
    assert service.batch([("d", "a.xml", data)], "?spec=de").error["type"] == "unknown-spec"
    assert service.batch([("d", "a.xml", data)], "?source_name=x").error["type"] == "bad-parameter"


def test_a_batch_of_more_parts_than_the_limit_is_refused(service: Service) -> None:
    parts: list[tuple[str, str | None, bytes]] = [("d", f"{n}.xml", b"<x/>") for n in range(101)]
    answer = service.batch(parts)
    assert answer.status == 400 and "Too many files" in answer.error["reason"]
