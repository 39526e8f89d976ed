"""The OpenAPI 3.1 document of the service, served at `/openapi.json`.

Built from what the service runs on: the parameter table (`parameters`),
the report model (`ValidationReport`'s JSON Schema from pydantic) and the
error statuses (`problems`), so the description cannot drift from the code.
"""

from __future__ import annotations

from typing import Any

from jppint.results import ValidationReport
from jppint.serve.parameters import PARAMETERS, Parameter

_ERROR_STATUSES = {
    "400": "Not readable as XML, or unsafe (DOCTYPE, XInclude)",
    "401": "Missing or wrong bearer token (when the service has one)",
    "413": "The request body, or the document, is larger than the limits",
    "415": "The content type is not XML (or, for a batch, not multipart/form-data)",
    "422": "Not a UBL 2.1 Invoice or CreditNote, unknown specification, or a parameter out of range",
    "500": "The validation could not run (a worker process died)",
    "503": "Every worker is busy and the queue is full: retry after Retry-After seconds",
    "504": "No answer within the service's time limit",
}


def openapi_document(*, version: str, bearer: bool) -> dict[str, Any]:
    schema = ValidationReport.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas: dict[str, Any] = schema.pop("$defs", {})
    schemas["ValidationReport"] = schema
    schemas["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["type", "reason"],
                "properties": {
                    "type": {"type": "string", "examples": ["unreadable-document", "not-ubl", "busy"]},
                    "reason": {"type": "string", "description": "The reason text the command line prints"},
                    "line": {"type": ["integer", "null"]},
                    "column": {"type": ["integer", "null"]},
                },
            }
        },
    }
    schemas["BatchReport"] = _batch_schema()
    schemas["Rule"] = _rule_schema()
    errors = {status: _error_response(text) for status, text in _ERROR_STATUSES.items()}
    validation_parameters = [_query(parameter) for parameter in PARAMETERS] + [
        _header(parameter) for parameter in PARAMETERS
    ]
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "jppint",
            "version": version,
            "description": (
                "Validate UBL 2.1 e-invoices against JP PINT (Japanese Peppol). A validated document is "
                "200 with the report whether it is valid or not; read `valid`."
            ),
        },
        "paths": {
            "/validate": {
                "post": {
                    "summary": "Validate one document (the XML is the request body)",
                    "parameters": validation_parameters,
                    "requestBody": {
                        "required": True,
                        "content": {
                            media: {"schema": {"type": "string", "format": "binary"}}
                            for media in ("application/xml", "text/xml")
                        },
                    },
                    "responses": {"200": _json("The report", "ValidationReport"), **errors},
                }
            },
            "/validate/batch": {
                "post": {
                    "summary": "Validate several documents, one file part each; a part that cannot be validated "
                    "has its error in the answer",
                    "parameters": [p for p in validation_parameters if "source_name" not in p["name"].lower()],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string", "format": "binary"},
                                }
                            }
                        },
                    },
                    "responses": {"200": _json("One entry per part, in order", "BatchReport"), **errors},
                }
            },
            "/rules": {
                "get": {
                    "summary": "The rule catalogue",
                    "parameters": [
                        {
                            "name": "spec",
                            "in": "query",
                            "description": "Only the rules of this specification",
                            "schema": _schema(PARAMETERS[0]),
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Every rule",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Rule"}}
                                }
                            },
                        }
                    },
                }
            },
            "/rules/{rule_id}": {
                "get": {
                    "summary": "One rule",
                    "parameters": [{"name": "rule_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": _json("The rule", "Rule"), "404": _error_response("Unknown rule id")},
                }
            },
            "/health": {"get": {"summary": "Liveness, with readiness in the body", "responses": {"200": _plain()}}},
            "/health/ready": {
                "get": {
                    "summary": "Readiness: 200 once the rules are compiled in every worker, 503 before",
                    "responses": {"200": _plain(), "503": _plain()},
                }
            },
            "/metrics": {
                "get": {
                    "summary": "Prometheus metrics (text format)",
                    "responses": {"200": {"description": "Metrics", "content": {"text/plain": {}}}},
                }
            },
        },
        "components": {"schemas": schemas},
    }
    if bearer:
        document["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        document["security"] = [{"bearer": []}]
        for path in ("/health", "/health/ready"):
            document["paths"][path]["get"]["security"] = []
    return document


def _schema(parameter: Parameter) -> dict[str, Any]:
    if parameter.kind == "boolean":
        return {"type": "boolean", "default": parameter.default}
    if parameter.kind == "choice":
        schema: dict[str, Any] = {"type": "string", "enum": list(parameter.choices)}
        if parameter.default is not None:
            schema["default"] = parameter.default
        return schema
    return {"type": "string", "maxLength": 255}


def _query(parameter: Parameter) -> dict[str, Any]:
    return {"name": parameter.name, "in": "query", "description": parameter.description, "schema": _schema(parameter)}


def _header(parameter: Parameter) -> dict[str, Any]:
    return {
        "name": parameter.header,
        "in": "header",
        "description": f"As the query parameter {parameter.name}",
        "schema": _schema(parameter),
    }


def _json(description: str, model: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model}"}}},
    }


def _error_response(description: str) -> dict[str, Any]:
    return _json(description, "Error")


def _plain() -> dict[str, Any]:
    return {"description": "Status", "content": {"application/json": {"schema": {"type": "object"}}}}


def _batch_schema() -> dict[str, Any]:
    error = {
        "type": ["object", "null"],
        "properties": {
            "reason": {"type": "string"},
            "line": {"type": ["integer", "null"]},
            "column": {"type": ["integer", "null"]},
        },
    }
    return {
        "type": "object",
        "description": "The command line's JSON report (jppint validate --format json)",
        "properties": {
            "tool": {"type": "object"},
            "fail_on": {"type": "string"},
            "lang": {"type": "string"},
            "summary": {"type": "object"},
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "input": {"type": "string", "description": "The part's file name"},
                        "status": {"enum": ["valid", "invalid", "error"]},
                        "report": {"anyOf": [{"$ref": "#/components/schemas/ValidationReport"}, {"type": "null"}]},
                        "error": error,
                    },
                },
            },
        },
    }


def _rule_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "layer": {"enum": ["schema", "rules", "advice"]},
            "flag": {"type": "string"},
            "specs": {"type": "array", "items": {"type": "string"}},
            "business_terms": {"type": "array", "items": {"type": "string"}},
            "messages": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
