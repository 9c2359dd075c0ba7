"""The order desk's marketplace import page: the seller uploads, sees what will happen
(every error with its row and column), maps an unknown SKU in one click, then applies."""

import re

from talad.channels.models import ChannelSku
from talad.orders.models import Order
from tests.conftest import make_variant
from tests.orders.test_views import signed_in
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
    "postcode",
]
EXPORT = csv_file(
    [
        HEADER,
        ["SP-1", "shopee", "paid", "MUG", "1", "150", "สมชาย ใจดี", "0812345678", "12120"],
        ["SP-2", "shopee", "paid", "SP-CUP", "1", "90", "สมหญิง", "0898765432", "12120"],
    ]
)


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_the_desk_links_to_the_import_for_those_who_manage_orders(shop):
    assert 'href="/orders/import/"' in signed_in(shop).get("/orders/").content.decode()
    assert (
        'href="/orders/import/"' not in signed_in(shop, "packer").get("/orders/").content.decode()
    )


def test_preview_map_then_apply_imports_each_order_once(shop):
    make_variant(shop, "MUG", on_hand=5)
    make_variant(shop, "CUP", on_hand=5)
    client = signed_in(shop)
    page = client.post("/orders/import/", {"format": "csv", "file": upload(EXPORT)})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="preview"' in html
    assert 'data-code="unmapped_sku"' in html and "<td>3</td><td>sku</td><td>SP-2</td>" in html
    assert not Order.objects.for_shop(shop).exists()

    upload_id = hidden(html, "upload")
    mapped = client.post(
        "/orders/import/map/",
        {"upload": upload_id, "channel": "shopee", "marketplace_sku": "SP-CUP", "sku": "CUP"},
    )
    html = mapped.content.decode()
    assert ChannelSku.objects.for_shop(shop).get().variant.sku == "CUP"
    assert 'data-code="unmapped_sku"' not in html and html.count('data-outcome="created"') == 2

    form = {"form_token": hidden(html, "form_token"), "upload": hidden(html, "upload")}
    done = client.post("/orders/import/apply/", form)
    assert done.status_code == 302
    again = client.post("/orders/import/apply/", form)  # a double click
    assert again.status_code == 302
    assert sorted(Order.objects.for_shop(shop).values_list("external_id", flat=True)) == [
        "SP-1",
        "SP-2",
    ]
    report = client.get(done["Location"]).content.decode()
    assert 'data-testid="report"' in report and report.count('data-outcome="created"') == 2


def test_a_file_that_is_not_an_export_is_refused_with_a_message(shop):
    page = signed_in(shop).post(
        "/orders/import/", {"format": "shopee", "file": upload(b"a,b\n1,2\n")}
    )
    assert page.status_code == 400 and 'data-testid="file-error"' in page.content.decode()


def test_a_packer_cannot_open_the_import_or_the_mappings(shop):
    client = signed_in(shop, "packer")
    assert client.get("/orders/import/").status_code == 403
    assert client.get("/orders/import/skus/").status_code == 403


def test_mappings_are_listed_edited_and_deleted_only_in_their_shop(shop, other_shop):
    make_variant(shop, "MUG", on_hand=1)
    make_variant(shop, "MUG-BIG", on_hand=1)
    client = signed_in(shop)
    client.post(
        "/orders/import/map/", {"channel": "lazada", "marketplace_sku": "LZ-1", "sku": "MUG"}
    )
    client.post(
        "/orders/import/map/", {"channel": "lazada", "marketplace_sku": "LZ-1", "sku": "MUG-BIG"}
    )
    mapping = ChannelSku.objects.for_shop(shop).get()
    assert mapping.variant.sku == "MUG-BIG"
    assert (
        'data-testid="mapping-lazada-LZ-1"' in client.get("/orders/import/skus/").content.decode()
    )
    other = signed_in(other_shop)
    assert "LZ-1" not in other.get("/orders/import/skus/").content.decode()
    assert other.post(f"/orders/import/skus/{mapping.pk}/delete/").status_code == 404
    assert client.post(f"/orders/import/skus/{mapping.pk}/delete/").status_code == 302
    assert not ChannelSku.objects.for_shop(shop).exists()


def test_mapping_to_another_shops_sku_is_refused(shop, other_shop):
    make_variant(other_shop, "THEIRS", on_hand=1)
    page = signed_in(shop).post(
        "/orders/import/map/", {"channel": "shopee", "marketplace_sku": "X", "sku": "THEIRS"}
    )
    assert page.status_code == 400 and 'data-testid="map-error"' in page.content.decode()
    assert not ChannelSku.objects.for_shop(shop).exists()
