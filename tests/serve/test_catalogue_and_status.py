"""GET /rules, /rules/{id}, /health, /health/ready, /metrics and /openapi.json."""

from __future__ import annotations

import jsonschema

from jppint.catalogue import all_rules
from jppint.serve.parameters import PARAMETERS
from jppint.specs import releases
from tests.serve.service import INVALID, SAMPLE, Service


def test_rules_lists_the_catalogue_as_the_command_line_does(service: Service) -> None:
    everything = service.get("/rules").json()
    assert [entry["id"] for entry in everything] == list(all_rules())
    only_ntr = service.get("/rules?spec=jp-ntr").json()
    assert only_ntr and all("jp-ntr" in entry["specs"] for entry in only_ntr)
    assert len(only_ntr) < len(everything)
    assert service.get("/rules?spec=xx").error["type"] == "unknown-spec"


def test_one_rule_and_an_unknown_rule(service: Service) -> None:
    rule = service.get("/rules/ibr-co-13").json()
    assert rule == all_rules()["ibr-co-13"].to_json()
    assert set(rule["messages"]) == {"en", "ja"}
    answer = service.get("/rules/ibr-co-133")
    assert answer.status == 404 and answer.error["type"] == "unknown-rule"
    assert "did you mean ibr-co-13" in answer.error["reason"]


def test_health_is_live_and_ready_once_the_workers_are_warm(service: Service) -> None:
    health = service.get("/health")
    assert health.status == 200
    assert health.json() | {"busy": 0, "waiting": 0} == {
        "status": "ok",
        "ready": True,
        "version": health.json()["version"],
        "rules_versions": list(releases()),
        "workers": 2,
        "busy": 0,
        "waiting": 0,
    }
    assert service.get("/health/ready").status == 200


def test_metrics_count_requests_verdicts_and_latency() -> None:
    with Service("--workers", "1") as fresh:
        for _ in range(3):
            assert fresh.validate(SAMPLE.read_bytes()).status == 200
        assert fresh.validate(INVALID.read_bytes()).status == 200
        assert fresh.validate(b"<Invoice").status == 400
        assert fresh.validate(b"", headers={"Content-Type": "text/plain"}).status == 415
        assert fresh.batch([("d", "a.xml", SAMPLE.read_bytes()), ("d", "b.xml", INVALID.read_bytes())]).status == 200
        metrics = fresh.metrics()
        text = fresh.get("/metrics")
    assert text.headers["content-type"].startswith("text/plain; version=0.0.4")
    route = 'jppint_http_requests_total{method="POST",route="/validate",status="%s"}'
    assert (metrics[route % 200], metrics[route % 400], metrics[route % 415]) == (4, 1, 1)
    assert metrics['jppint_http_requests_total{method="POST",route="/validate/batch",status="200"}'] == 1
    assert metrics['jppint_validations_total{verdict="valid"}'] == 4
    assert metrics['jppint_validations_total{verdict="invalid"}'] == 2
    assert metrics['jppint_validations_total{verdict="error"}'] == 1
    assert metrics["jppint_validation_duration_seconds_count"] == 7
    assert metrics['jppint_http_request_duration_seconds_count{route="/validate"}'] == 6
    assert metrics['jppint_http_request_duration_seconds_bucket{le="+Inf",route="/validate"}'] == 6
    assert metrics["jppint_ready"] == 1 and metrics["jppint_workers"] == 1
    assert metrics["jppint_queue_waiting"] == 0 and metrics["jppint_workers_busy"] == 0


def test_openapi_describes_the_parameters_and_the_report(service: Service) -> None:
    document = service.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/validate",
        "/validate/batch",
        "/rules",
        "/rules/{rule_id}",
        "/health",
        "/health/ready",
        "/metrics",
    }
    operation = document["paths"]["/validate"]["post"]
    query = [parameter["name"] for parameter in operation["parameters"] if parameter["in"] == "query"]
    assert query == [parameter.name for parameter in PARAMETERS]
    assert {"200", "400", "413", "415", "422", "503", "504"} <= set(operation["responses"])
    report_schema = {"$ref": "#/components/schemas/ValidationReport", "components": document["components"]}
    jsonschema.validate(service.validate(INVALID.read_bytes()).json(), report_schema)
    error_schema = {"$ref": "#/components/schemas/Error", "components": document["components"]}
    jsonschema.validate(service.validate(b"<x").json(), error_schema)
    batch_schema = {"$ref": "#/components/schemas/BatchReport", "components": document["components"]}
    jsonschema.validate(service.batch([("d", "a.xml", SAMPLE.read_bytes())]).json(), batch_schema)
