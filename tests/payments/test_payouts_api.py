"""/api/v1/payouts: a marketplace's income report uploaded as a file, listed, read back, and
never seen by another shop."""

import pytest

from tests.accounting.factories import goods, vat_shop
from tests.conftest import ApiClient, token_for
from tests.orders.factories import make_order
from tests.shipping.helpers import csv_file, upload

pytestmark = pytest.mark.django_db

PAYOUTS = "/api/v1/payouts"
HEADER = ["order_id", "order_amount", "commission", "transaction_fee", "net_paid", "payout_date"]
REPORT = csv_file(
    [
        HEADER,
        ["SP-1", "1070.00", "-53.50", "-32.10", "984.40", "2026-12-05"],
        ["SP-404", "500.00", "-25.00", "0", "475.00", "2026-12-05"],
    ]
)


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def owed(shop):
    return make_order(shop, goods(shop), channel="shopee", external_id="SP-1")


def post_report(api, content=REPORT, *, query="", **fields):
    fields.setdefault("channel", "shopee")
    return api.client.post(
        f"{PAYOUTS}{query}", {"file": upload(content, "income.csv"), **fields}, headers=api.headers
    )


def test_a_report_is_uploaded_matched_and_read_back(api, owed):
    response = post_report(api)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["channel"], body["created"], body["dry_run"]) == ("shopee", True, False)
    assert [(r["row"], r["result"], r["column"]) for r in body["rows"]] == [
        (2, "settled", ""),
        (3, "unknown_order", "order_id"),
    ]
    settled = body["rows"][0]
    assert (settled["order_number"], settled["vat_on_fees"], settled["net_paid"]) == (
        owed.number,
        "5.60",
        "984.40",
    )
    assert body["summary"]["settled_totals"] == {
        "order_amount": "1070.00",
        "fees": "85.60",
        "vat_on_fees": "5.60",
        "shipping_subsidy": "0.00",
        "net_paid": "984.40",
    }
    again = api.get(f"{PAYOUTS}/{body['id']}").json()
    assert again["rows"] == body["rows"] and again["summary"] == body["summary"]
    [listed] = api.get(PAYOUTS).json()["items"]
    assert listed["id"] == body["id"] and listed["summary"]["counts"]["settled"] == 1


def test_the_same_report_again_answers_200_and_changes_nothing(api, owed):
    first = post_report(api).json()

    response = post_report(api)

    assert response.status_code == 200
    assert response.json()["id"] == first["id"] and response.json()["created"] is False
    assert len(api.get(PAYOUTS).json()["items"]) == 1


def test_a_dry_run_records_nothing(api, owed):
    response = post_report(api, query="?dry_run=true")

    assert response.status_code == 200
    assert response.json()["id"] is None and response.json()["rows"][0]["result"] == "settled"
    assert api.get(PAYOUTS).json()["items"] == []


def test_a_bad_cell_is_named_by_row_and_column(api, owed):
    bad = csv_file([HEADER, ["SP-1", "1070.00", "ห้าสิบ", "0", "1020.00", ""]])

    response = post_report(api, bad)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"row[2].commission": "invalid_money"}


def test_a_channel_that_is_not_a_marketplace_is_refused(api):
    response = post_report(api, channel="line")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"channel": "not_a_marketplace"}


def test_another_shop_s_payout_is_not_visible(api, owed):
    body = post_report(api).json()
    other = vat_shop()
    theirs = ApiClient(token_for(other))

    assert theirs.get(f"{PAYOUTS}/{body['id']}").status_code == 404
    assert theirs.get(PAYOUTS).json()["items"] == []


def test_a_packer_cannot_upload_payouts(shop, owed):
    packer = ApiClient(token_for(shop, role="packer"))

    assert post_report(packer).status_code == 403
    assert packer.get(PAYOUTS).status_code == 403
