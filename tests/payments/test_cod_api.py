"""/api/v1/cod: statements uploaded as files, their summary, and what the carriers still owe."""

import json

import pytest

from tests.conftest import ApiClient, make_variant, token_for
from tests.shipping.helpers import csv_file, delivered_cod, shipped_cod, upload

COD = "/api/v1/cod"
HEADER = ["tracking", "cod_amount", "fee", "vat_on_fee", "net_amount"]


def post_statement(api, content, *, query="", name="statement.csv", **fields):
    fields.setdefault("carrier", "flash")
    return api.client.post(
        f"{COD}/statements{query}", {"file": upload(content, name), **fields}, headers=api.headers
    )


@pytest.fixture
def owed(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=20, price="199.00")
    return {
        "collected": delivered_cod(shop, shirt, tracking="TH0000000601"),
        "on_the_way": shipped_cod(shop, shirt, tracking="TH0000000602"),
    }


STATEMENT = csv_file(
    [
        HEADER,
        ["TH0000000601", "199.00", "5.97", "0.42", "192.61"],
        ["TH0000000602", "199.00", "5.97", "0.42", "192.61"],
        ["TH0000009999", "50.00", "1.50", "0.11", "48.39"],
    ]
)


def test_a_statement_is_uploaded_matched_and_summarised(api, owed):
    response = post_statement(api, STATEMENT, statement_number="FL-2569-11-25")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["carrier"], body["reference"], body["created"]) == ("flash", "FL-2569-11-25", True)
    assert [(r["row"], r["result"]) for r in body["rows"]] == [
        (2, "matched"),
        (3, "not_delivered"),
        (4, "unknown_tracking"),
    ]
    assert body["rows"][0]["order_number"] == owed["collected"].number
    assert body["summary"]["counts"]["matched"] == 1
    assert body["summary"]["totals"]["cod_amount"] == "448.00"
    assert body["summary"]["matched_totals"]["net_amount"] == "192.61"

    again = api.get(f"{COD}/statements/{body['id']}").json()
    assert again["summary"] == body["summary"]
    assert again["rows"] == body["rows"]
    listed = api.get(f"{COD}/statements").json()["items"]
    assert [s["id"] for s in listed] == [body["id"]]


def test_the_same_statement_uploaded_again_answers_200_with_the_same_statement(api, owed):
    first = post_statement(api, STATEMENT).json()

    again = post_statement(api, STATEMENT)

    assert again.status_code == 200
    assert (again.json()["id"], again.json()["created"]) == (first["id"], False)
    assert again.json()["rows"] == first["rows"]


def test_a_dry_run_answers_the_matching_and_stores_nothing(api, owed):
    preview = post_statement(api, STATEMENT, query="?dry_run=true")

    assert preview.status_code == 200
    assert (preview.json()["id"], preview.json()["dry_run"]) == (None, True)
    assert preview.json()["rows"][0]["result"] == "matched"
    assert api.get(f"{COD}/statements").json()["items"] == []
    assert api.get(f"{COD}/outstanding").json()["parcels"] == 1


def test_a_mapping_is_sent_as_json_and_saved_for_the_carrier(api, owed):
    content = csv_file([["AWB", "COD"], ["TH0000000601", "199.00"]])

    response = post_statement(
        api, content, mapping=json.dumps({"tracking": "AWB", "cod_amount": "COD"})
    )

    assert response.json()["rows"][0]["result"] == "matched"
    assert api.get(f"{COD}/mappings").json()["items"] == [
        {"carrier": "flash", "columns": {"tracking": "AWB", "cod_amount": "COD"}}
    ]


@pytest.mark.parametrize(
    ("content", "fields", "status", "field"),
    [
        (
            csv_file([HEADER, ["TH0000000601", "1,99.0.0", "0", "0", "0"]]),
            {},
            400,
            "row[2].cod_amount",
        ),
        (
            csv_file([["Parcel", "Collected"], ["TH0000000601", "199.00"]]),
            {},
            400,
            "row[1].tracking",
        ),
        (STATEMENT, {"mapping": "{not json"}, 400, "mapping"),
        (STATEMENT, {"mapping": json.dumps({"fee": "Nope"})}, 400, "mapping.fee"),
        (STATEMENT, {"carrier": "pigeon"}, 400, "carrier"),
        (b"\xd0\xcf\x11\xe0", {}, 400, "file"),
    ],
)
def test_a_bad_statement_is_a_4xx_naming_where_and_stores_nothing(
    api, owed, content, fields, status, field
):
    response = post_statement(api, content, **fields)

    assert response.status_code == status, response.content
    assert field in response.json()["error"]["fields"]
    assert api.get(f"{COD}/statements").json()["items"] == []
    assert api.get(f"{COD}/outstanding").json()["parcels"] == 1


def test_the_outstanding_report_shows_what_each_carrier_owes(api, owed):
    body = api.get(f"{COD}/outstanding").json()

    assert body["carriers"] == [
        {"carrier": "flash", "parcels": 1, "amount": "199.00", "oldest_days": 0}
    ]
    assert body["items"][0]["order_number"] == owed["collected"].number

    post_statement(api, STATEMENT)
    assert api.get(f"{COD}/outstanding").json()["total"] == "0.00"


def test_packers_see_no_cod_money_and_other_shops_statements_are_not_found(
    api, shop, other_shop, owed
):
    statement_id = post_statement(api, STATEMENT).json()["id"]
    packer = ApiClient(token_for(shop, "packer"))
    stranger = ApiClient(token_for(other_shop, "owner"))

    assert packer.get(f"{COD}/outstanding").status_code == 403
    assert post_statement(packer, STATEMENT).status_code == 403
    assert stranger.get(f"{COD}/statements/{statement_id}").status_code == 404
    assert ApiClient(token_for(shop, "accountant")).get(f"{COD}/outstanding").status_code == 200
