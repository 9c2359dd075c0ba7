"""A write refuses a query parameter it does not declare (issue 10): `POST /orders?confirm=1`
must not look as if `confirm` did something. The answer is the same 422 an unknown body field
gets, nothing is written, and reads stay lenient."""

from decimal import Decimal

import pytest

from talad.catalog.models import Product
from talad.integrations.models import WebhookSubscription
from talad.integrations.webhooks.services import subscribe
from talad.inventory.models import StockMovement
from talad.orders.models import Order
from talad.shipping.registry import carriers_for
from tests.conftest import ApiClient, make_variant
from tests.integrations.helpers import BY
from tests.orders.factories import CUSTOMER
from tests.shipping.helpers import cod_ready_to_ship, csv_file, upload

pytestmark = pytest.mark.django_db


def refused(response) -> dict:
    assert response.status_code == 422, (response.status_code, response.content[:400])
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    return error["fields"]


def test_an_order_posted_with_an_unknown_query_parameter_is_refused_and_not_made(shop, api):
    tee = make_variant(shop, "TEE", on_hand=5)
    body = {
        "channel": "line",
        "customer": CUSTOMER,
        "lines": [{"sku": tee.sku, "quantity": 1}],
        "payment_method": "transfer",
    }

    fields = refused(api.post("/api/v1/orders?confirm=1&notify=line", body))

    assert fields == {"confirm": "unknown_field", "notify": "unknown_field"}
    assert not Order.objects.for_shop(shop).exists()
    assert api.post("/api/v1/orders", body).status_code == 201


def test_a_product_patch_with_a_query_parameter_changes_nothing(shop, api):
    product = make_variant(shop, "MUG").product

    fields = refused(api.patch(f"/api/v1/products/{product.pk}?active=false", {"name": "แก้ว"}))

    assert fields == {"active": "unknown_field"}
    product = Product.objects.for_shop(shop).get(pk=product.pk)
    assert (product.name, product.active) == ("สินค้า MUG", True)


def test_a_carrier_put_with_a_query_parameter_keeps_the_old_fee(shop, api):
    fields = refused(api.put("/api/v1/carriers/flash?shop=other", {"cod_fee_percent": "9.00"}))

    assert fields == {"shop": "unknown_field"}
    assert carriers_for(shop)["flash"].cod_fee_percent != Decimal("9.00")


def test_a_delete_with_a_query_parameter_keeps_the_subscription(shop, api, settings):
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = True
    sub, _secret = subscribe(shop=shop, url="http://127.0.0.1:9/hook", events=["*"], by=BY)

    fields = refused(api.delete(f"/api/v1/webhooks/{sub.pk}?force=true"))

    assert fields == {"force": "unknown_field"}
    assert WebhookSubscription.objects.for_shop(shop).get(pk=sub.pk).active


def test_an_unknown_query_parameter_is_named_beside_the_body_s_own_problems(shop, api):
    make_variant(shop, "TEE")

    fields = refused(
        api.post("/api/v1/stock/receive?warehouse=2", {"sku": "TEE", "quantity": 3, "cost": "1"})
    )

    assert fields == {
        "warehouse": "unknown_field",
        "cost": "unknown_field",
        "unit_cost": "Field required",
    }
    assert not StockMovement.objects.for_shop(shop).filter(variant__sku="TEE").exists()


def test_an_upload_keeps_its_declared_dry_run_and_refuses_anything_else(shop, api):
    order = cod_ready_to_ship(shop, make_variant(shop, "SHIRT", on_hand=5))
    content = csv_file([["order_number", "carrier", "tracking"], [order.number, "flash", "TH301"]])

    def post(query):
        return api.client.post(
            f"/api/v1/shipments/tracking-import{query}",
            {"file": upload(content)},
            headers=api.headers,
        )

    preview = post("?dry_run=true")
    typo = post("?dry_run=true&dryrun=true")

    assert preview.status_code == 200, preview.content
    assert preview.json()["rows"][0]["result"] == "ready"
    assert refused(typo) == {"dryrun": "unknown_field"}
    assert Order.objects.for_shop(shop).get(pk=order.pk).status == "to_ship"


def test_a_multipart_field_or_file_the_upload_does_not_take_is_refused_not_dropped(shop, api):
    order = cod_ready_to_ship(shop, make_variant(shop, "SHIRT", on_hand=5))
    content = csv_file([["order_number", "carrier", "tracking"], [order.number, "flash", "TH302"]])

    def post(**parts):
        return api.client.post("/api/v1/shipments/tracking-import", parts, headers=api.headers)

    misspelt = post(file=upload(content), dryrun="true")
    two_files = post(file=upload(content), file2=upload(content))
    statement = api.client.post(
        "/api/v1/cod/statements",
        {"file": upload(content), "carrier": "flash", "carier": "kex"},
        headers=api.headers,
    )

    assert refused(misspelt) == {"dryrun": "unknown_field"}
    assert refused(two_files) == {"file2": "unknown_field"}
    assert refused(statement) == {"carier": "unknown_field"}
    assert Order.objects.for_shop(shop).get(pk=order.pk).status == "to_ship"
    assert post(file=upload(content)).status_code == 200  # the declared parts still work


def test_reads_still_ignore_query_parameters_they_do_not_know(shop, api):
    assert api.get("/api/v1/orders?utm_source=line&limit=5").status_code == 200
    assert api.get("/api/v1/carriers?lang=en").status_code == 200


def test_a_request_without_a_token_is_401_before_its_query_is_looked_at(shop):
    response = ApiClient(None).post("/api/v1/orders?confirm=1", {"channel": "line"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
