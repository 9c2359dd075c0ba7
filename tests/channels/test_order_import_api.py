"""POST /api/v1/imports/orders and the SKU mappings API: a file read by the readers and
applied, end to end, with the same report the CLI and the upload page show."""

import pytest

from talad.orders.models import Order
from tests.conftest import ApiClient, make_variant, token_for
from tests.shipping.helpers import csv_file, upload

HEADER = [
    "order_id",
    "channel",
    "status",
    "sku",
    "quantity",
    "unit_price",
    "recipient_name",
    "phone",
    "address",
    "subdistrict",
    "district",
    "province",
    "postcode",
    "carrier",
    "tracking_number",
]
PLACE = ["99/1 ม.4", "คลองหนึ่ง", "คลองหลวง", "ปทุมธานี", "12120"]


def export(*orders) -> bytes:
    return csv_file([HEADER, *orders])


def post(api, content, query=""):
    return api.client.post(
        f"/api/v1/imports/orders?format=csv{query}", {"file": upload(content)}, headers=api.headers
    )


@pytest.fixture
def mug(shop):
    return make_variant(shop, "MUG", on_hand=10)


def test_a_preview_then_the_apply_of_a_talad_csv(api, shop, mug):
    content = export(
        ["W-1", "shopee", "paid", "MUG", "2", "150", "สมชาย ใจดี", "0812345678", *PLACE, "", ""],
        [
            "W-2",
            "shopee",
            "shipped",
            "MUG",
            "1",
            "150",
            "สมหญิง ดี",
            "0898765432",
            *PLACE,
            "Flash Express",
            "TH55",
        ],
        ["W-3", "shopee", "paid", "CUP", "1", "90", "สมศรี", "0811111111", *PLACE, "", ""],
    )
    preview = post(api, content, "&dry_run=true")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert (body["dry_run"], body["counts"]["created"], body["counts"]["error"]) == (True, 2, 1)
    assert body["errors"] == [
        {
            "row": 4,
            "column": "sku",
            "code": "unmapped_sku",
            "external_id": "W-3",
            "message": body["errors"][0]["message"],
        }
    ]
    assert body["unmapped"][0]["marketplace_sku"] == "CUP"
    assert not Order.objects.for_shop(shop).exists()

    applied = post(api, content).json()
    assert [(o["external_id"], o["outcome"], o["status"]) for o in applied["orders"]] == [
        ("W-1", "created", "to_pack"),
        ("W-2", "created", "shipped"),
        ("W-3", "error", ""),
    ]
    assert applied["orders"][0]["number"].startswith("SO-")
    again = post(api, content).json()
    assert [o["outcome"] for o in again["orders"]] == ["unchanged", "unchanged", "error"]


def test_a_shortage_is_an_error_until_the_backorder_flag_is_given(api, shop):
    make_variant(shop, "MUG", on_hand=1)
    content = export(
        ["W-1", "lazada", "paid", "MUG", "3", "150", "สมชาย", "0812345678", *PLACE, "", ""]
    )
    assert post(api, content).json()["errors"][0]["code"] == "insufficient_stock"
    assert post(api, content, "&backorder=true").json()["counts"]["created"] == 1


def test_a_file_that_is_not_the_format_is_refused_whole(api, shop):
    response = post(api, b"hello,world\n1,2\n")
    assert response.status_code == 400
    assert not Order.objects.for_shop(shop).exists()


def test_an_unknown_format_is_refused_by_the_schema(api, shop):
    response = api.client.post(
        "/api/v1/imports/orders?format=amazon", {"file": upload(b"x")}, headers=api.headers
    )
    assert response.status_code == 422


def test_a_packer_cannot_import_orders(shop, mug):
    packer = ApiClient(token_for(shop, "packer"))
    content = export(
        ["W-1", "shopee", "paid", "MUG", "1", "150", "สมชาย", "0812345678", *PLACE, "", ""]
    )
    assert post(packer, content).status_code == 403
    assert packer.get("/api/v1/imports/sku-mappings").status_code == 403


def test_mappings_are_listed_saved_and_deleted_per_shop(api, shop, other_shop, mug):
    saved = api.put(
        "/api/v1/imports/sku-mappings",
        {"channel": "shopee", "marketplace_sku": "SP-1", "sku": "MUG"},
    )
    assert saved.status_code == 200, saved.content
    assert api.get("/api/v1/imports/sku-mappings").json()["items"] == [
        {"id": saved.json()["id"], "channel": "shopee", "marketplace_sku": "SP-1", "sku": "MUG"}
    ]
    other = ApiClient(token_for(other_shop))
    assert other.get("/api/v1/imports/sku-mappings").json()["items"] == []
    assert other.delete(f"/api/v1/imports/sku-mappings/{saved.json()['id']}").status_code == 404
    assert api.delete(f"/api/v1/imports/sku-mappings/{saved.json()['id']}").status_code == 204
    assert api.get("/api/v1/imports/sku-mappings").json()["items"] == []
