"""/api/v1/shipments and /api/v1/carriers: lookups, timelines, both imports, and bad files
answered with a 4xx that names the row and column (never a 500)."""

import pytest

from talad.orders.models import Order
from talad.tabular import MAX_BYTES
from tests.conftest import ApiClient, make_variant, token_for
from tests.shipping.helpers import (
    cod_ready_to_ship,
    csv_file,
    shipped_cod,
    upload,
    xlsx_file,
)

SHIPMENTS = "/api/v1/shipments"


def post_file(api, path, content, name="file.csv", **fields):
    return api.client.post(path, {"file": upload(content, name), **fields}, headers=api.headers)


@pytest.fixture
def shirt(shop):
    return make_variant(shop, "SHIRT", on_hand=20)


def test_a_tracking_number_finds_its_parcel_however_it_is_typed(api, shop, shirt):
    order = shipped_cod(shop, shirt, carrier="kex", tracking="KEX1234567890")
    shipped_cod(shop, shirt, carrier="flash", tracking="TH0000000201")

    found = api.get(f"{SHIPMENTS}?tracking=kex%201234%20567890").json()["items"]

    assert [(s["order_number"], s["carrier"], s["tracking_number"]) for s in found] == [
        (order.number, "kex", "KEX1234567890")
    ]
    assert found[0]["tracking_url"] == "https://th.kex-express.com/th/track/?track=KEX1234567890"
    assert found[0]["cod_amount"] == "100.00"


def test_a_parcel_shows_its_timeline_and_tracking_link(api, shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000202")
    api.client.post(
        f"{SHIPMENTS}/status-import",
        {
            "file": upload(
                csv_file(
                    [
                        ["tracking", "status", "time"],
                        ["TH0000000202", "delivered", "2026-11-20 15:00"],
                    ]
                )
            )
        },
        headers=api.headers,
    )
    listed = api.get(f"{SHIPMENTS}?tracking=TH0000000202").json()["items"][0]

    detail = api.get(f"{SHIPMENTS}/{listed['id']}").json()

    assert detail["order_number"] == order.number
    assert detail["status"] == "delivered"
    assert detail["order_status"] == "delivered"
    assert detail["tracking_url"].endswith("se=TH0000000202")
    assert [(e["status"], e["source"]) for e in detail["events"]] == [
        ("delivered", "import"),
        ("picked_up", "order"),
    ]


def test_another_shops_parcel_is_not_found(api, other_shop):
    theirs = shipped_cod(other_shop, make_variant(other_shop, "X", on_hand=2), tracking="TH1")
    parcel_id = theirs.shipments.get().pk

    assert api.get(f"{SHIPMENTS}/{parcel_id}").status_code == 404
    assert api.get(f"{SHIPMENTS}?tracking=TH1").json()["items"] == []
    assert api.get(f"{SHIPMENTS}/{2**70}").status_code == 404


def test_tracking_import_previews_then_applies(api, shop, shirt):
    order = cod_ready_to_ship(shop, shirt)
    content = csv_file([["order_number", "carrier", "tracking"], [order.number, "flash", "TH301"]])

    preview = post_file(api, f"{SHIPMENTS}/tracking-import?dry_run=true", content)
    assert preview.status_code == 200
    assert preview.json()["rows"][0]["result"] == "ready"
    assert Order.objects.for_shop(shop).get(pk=order.pk).status == "to_ship"

    applied = post_file(api, f"{SHIPMENTS}/tracking-import", content)
    assert applied.json()["counts"] == {"ready": 0, "shipped": 1, "skipped": 0, "error": 0}
    assert Order.objects.for_shop(shop).get(pk=order.pk).status == "shipped"

    again = post_file(api, f"{SHIPMENTS}/tracking-import", content)
    assert again.json()["rows"][0]["code"] == "already_shipped"


def test_tracking_import_takes_xlsx(api, shop, shirt):
    order = cod_ready_to_ship(shop, shirt)
    content = xlsx_file([["Order", "Carrier", "Tracking"], [order.number, "KEX", "KEX0000000302"]])

    response = post_file(api, f"{SHIPMENTS}/tracking-import", content, name="t.xlsx")

    assert response.json()["rows"][0]["result"] == "shipped"


@pytest.mark.parametrize(
    ("content", "status", "code", "field"),
    [
        (
            csv_file([["order_number", "carrier"], ["SO-1", "x"]]),
            400,
            "invalid_file",
            "row[1].tracking",
        ),
        (b"\x00\x00\x00\x00", 400, "invalid_file", "file"),
        (b"PK\x03\x04broken", 400, "invalid_file", "file"),
        (b"\xd0\xcf\x11\xe0old", 400, "invalid_file", "file"),
        (b"a" * (MAX_BYTES + 1), 413, "file_too_large", "file"),
        (b"tracking\n" + b"x" * 2000 + b"\n", 400, "invalid_file", "row[2].tracking"),
    ],
)
def test_a_bad_file_is_a_4xx_naming_where_never_a_500(api, content, status, code, field):
    response = post_file(api, f"{SHIPMENTS}/tracking-import", content)

    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert field in error["fields"]


def test_a_missing_file_is_a_422_naming_the_file(api):
    response = api.client.post(f"{SHIPMENTS}/tracking-import", {}, headers=api.headers)

    assert response.status_code == 422
    assert "file" in response.json()["error"]["fields"]


def test_status_import_with_a_bad_time_names_the_row_and_column(api, shop, shirt):
    shipped_cod(shop, shirt, tracking="TH0000000303")
    content = csv_file(
        [["tracking", "status", "time"], ["TH0000000303", "delivered", "32/13/2026"]]
    )

    rows = post_file(api, f"{SHIPMENTS}/status-import", content).json()["rows"]

    assert (rows[0]["row"], rows[0]["result"]) == (2, "error")
    assert "time" in rows[0]["message"]


def test_an_accountant_cannot_import_tracking_and_a_packer_cannot_import_statuses(shop, shirt):
    accountant = ApiClient(token_for(shop, "accountant"))
    packer = ApiClient(token_for(shop, "packer"))
    content = csv_file([["order_number", "carrier", "tracking"], ["SO-000001", "flash", "TH1"]])

    assert post_file(accountant, f"{SHIPMENTS}/tracking-import", content).status_code == 403
    assert post_file(packer, f"{SHIPMENTS}/status-import", content).status_code == 403
    assert post_file(packer, f"{SHIPMENTS}/tracking-import", content).status_code == 200


def test_carriers_are_listed_and_a_typed_number_gets_suggestions(api):
    body = api.get("/api/v1/carriers?tracking=EB123456789TH").json()

    assert {c["code"] for c in body["items"]} >= {"kex", "flash", "thaipost_ems", "own"}
    assert body["suggested"] == ["thaipost_ems"]


def test_an_owner_changes_a_carrier_and_a_staff_member_cannot(api, shop):
    changed = api.client.put(
        "/api/v1/carriers/flash",
        data='{"cod_fee_percent": "1.75", "tracking_url": "https://f.example/{no}"}',
        content_type="application/json",
        headers=api.headers,
    )
    staff = ApiClient(token_for(shop, "staff"))
    refused = staff.client.put(
        "/api/v1/carriers/flash",
        data='{"active": false}',
        content_type="application/json",
        headers=staff.headers,
    )

    assert changed.status_code == 200, changed.content
    assert (changed.json()["cod_fee_percent"], changed.json()["tracking_url"]) == (
        "1.75",
        "https://f.example/{no}",
    )
    assert refused.status_code == 403
