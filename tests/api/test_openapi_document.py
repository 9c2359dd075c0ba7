"""What /api/v1/openapi.json promises a generated client (issue 10): each operation names its
errors in the one error shape, types what it answers, and has a readable, unique id and a tag.
Read without a token and without a database, as a client generator would."""

import re

import pytest
from django.test import Client

ERROR_SCHEMA = "#/components/schemas/ErrorOut"


@pytest.fixture(scope="module")
def document():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def resolve(document, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def untyped(document, schema: dict) -> bool:
    """An object that says nothing about its keys or values (what `response=dict` gave)."""
    schema = resolve(document, schema)
    if schema.get("type") == "array":
        return untyped(document, schema.get("items", {}))
    if "anyOf" in schema:
        return any(untyped(document, option) for option in schema["anyOf"])
    if schema.get("type", "object") != "object":
        return False
    values = schema.get("additionalProperties", True)
    return not schema.get("properties") and (values is True or values == {})


def test_the_document_lists_every_router(document):
    tags = {tag for _name, operation in operations(document) for tag in operation["tags"]}

    assert tags >= {"orders", "products", "stock", "shipments", "carriers", "print", "cod"}
    assert tags >= {"accounting", "integrations", "parse-contact"}


def test_every_operation_documents_422_and_its_errors_in_the_one_error_shape(document):
    missing_422, other_shapes = [], []
    for name, operation in operations(document):
        responses = operation["responses"]
        if "422" not in responses:
            missing_422.append(name)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if schema != {"$ref": ERROR_SCHEMA}:
                    other_shapes.append(f"{name} {status}")

    assert not missing_422
    assert not other_shapes


def test_every_operation_that_takes_a_token_documents_401_and_400(document):
    missing = [
        name
        for name, operation in operations(document)
        if operation.get("security") and not {"400", "401"} <= operation["responses"].keys()
    ]

    assert not missing


def test_the_error_schema_is_code_message_fields_with_room_for_extra_keys(document):
    detail = resolve(document, resolve(document, {"$ref": ERROR_SCHEMA})["properties"]["error"])

    assert set(detail["required"]) == {"code", "message", "fields"}
    assert detail["properties"]["fields"]["additionalProperties"] == {"type": "string"}
    assert detail["additionalProperties"] is True  # short, allowed_actions, known, remaining, …


def test_no_success_answer_is_an_untyped_object(document):
    vague = []
    for name, operation in operations(document):
        for status in ("200", "201"):
            content = operation["responses"].get(status, {}).get("content", {})
            json_schema = content.get("application/json", {}).get("schema")
            if status in operation["responses"] and not content:
                vague.append(f"{name} {status}: no content")
            elif json_schema is not None and untyped(document, json_schema):
                vague.append(f"{name} {status}")

    assert not vague


def test_a_file_answer_names_its_media_type(document):
    pdf = document["paths"]["/api/v1/print/labels"]["get"]["responses"]["200"]["content"]
    export = document["paths"]["/api/v1/journal/export"]["get"]["responses"]["200"]["content"]
    vat = document["paths"]["/api/v1/reports/vat-sales"]["get"]["responses"]["200"]["content"]

    assert set(pdf) == {"application/pdf"}
    assert set(export) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert set(vat) == {
        "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/pdf",
    }


def test_operation_ids_are_unique_readable_names_and_every_operation_has_a_tag(document):
    ids = [operation["operationId"] for _name, operation in operations(document)]
    untagged = [name for name, operation in operations(document) if not operation.get("tags")]

    assert len(ids) == len(set(ids))
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-zA-Z]{2,40}", i)] == []
    assert not untagged


def test_money_in_an_answer_is_text_with_two_decimals(document):
    order = document["components"]["schemas"]["OrderSummaryOut"]["properties"]["total"]

    assert order["type"] == "string"
    assert re.fullmatch(order["pattern"], "1070.00")
    assert not re.fullmatch(order["pattern"], "1070.5")
