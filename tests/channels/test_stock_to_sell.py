"""Stock to sell per channel: each SKU the channel knows with Talad's available less the
channel's safety buffer (never below zero), bundles as complete sets, in the columns of the
channel's mass-update upload; as xlsx and CSV, through the API and the stock pages."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from talad.catalog.models import Variant
from talad.catalog.services import create_product
from talad.channels.models import ChannelSku
from talad.channels.stock_export import set_stock_buffer, stock_to_sell
from talad.errors import TaladError
from talad.inventory.services import reserve_stock
from talad.shops.actors import Actor
from tests.conftest import ApiClient, make_shop, make_variant, token_for
from tests.orders.test_views import signed_in

pytestmark = pytest.mark.django_db

BY = Actor.system("test")
SHOPEE_COLUMNS = ["เลขอ้างอิง SKU (SKU Reference No.)", "จำนวน"]


@pytest.fixture
def shelf(shop):
    """Ten shirts, three mugs (one of them in a paid order), a gift set of two shirts and a
    mug, and an old line closed for sale."""
    make_variant(shop, "SHIRT", on_hand=10)
    mug = make_variant(shop, "MUG", on_hand=3)
    create_product(
        shop=shop,
        name="ชุดของขวัญ",
        by=BY,
        variants=[
            {
                "sku": "GIFT",
                "price": Decimal("399"),
                "components": [{"sku": "SHIRT", "quantity": 2}, {"sku": "MUG", "quantity": 1}],
            }
        ],
    )
    reserve_stock(shop=shop, lines=[(mug, 1)], reference="order:1", by=BY)
    old = make_variant(shop, "OLD", on_hand=4)
    Variant.objects.for_shop(shop).filter(pk=old.pk).update(active=False)
    return shop


def told(shop, channel) -> dict[str, int]:
    return {r.sku: r.to_sell for r in stock_to_sell(shop=shop, channel=channel)}


def test_each_sku_is_offered_what_is_available_and_a_bundle_its_complete_sets(shelf):
    assert told(shelf, "shopee") == {"GIFT": 2, "MUG": 2, "SHIRT": 10}


def test_the_channel_s_buffer_is_held_back_and_nothing_goes_below_zero(shelf):
    set_stock_buffer(shop=shelf, by=BY, channel="shopee", units=3)

    assert told(shelf, "shopee") == {"GIFT": 0, "MUG": 0, "SHIRT": 7}
    assert told(shelf, "lazada") == {"GIFT": 2, "MUG": 2, "SHIRT": 10}  # per channel
    [shirt] = [r for r in stock_to_sell(shop=shelf, channel="shopee") if r.sku == "SHIRT"]
    assert (shirt.available, shirt.to_sell) == (10, 7)


def test_a_mapped_marketplace_sku_is_exported_instead_of_talad_s_and_only_on_its_channel(shelf):
    shirt = Variant.objects.for_shop(shelf).get(sku="SHIRT")
    old = Variant.objects.for_shop(shelf).get(sku="OLD")
    ChannelSku.objects.create(
        shop=shelf, channel="shopee", marketplace_sku="SP-SHIRT-RED", variant=shirt
    )
    ChannelSku.objects.create(
        shop=shelf, channel="shopee", marketplace_sku="SP-SHIRT-2", variant=shirt
    )
    ChannelSku.objects.create(shop=shelf, channel="shopee", marketplace_sku="SP-OLD", variant=old)

    assert told(shelf, "shopee") == {
        "GIFT": 2,
        "MUG": 2,
        "SP-OLD": 0,  # closed for sale: the listing is told to stop selling
        "SP-SHIRT-2": 10,
        "SP-SHIRT-RED": 10,
    }
    assert told(shelf, "lazada") == {"GIFT": 2, "MUG": 2, "SHIRT": 10}


def test_a_buffer_is_a_whole_number_of_units_and_never_negative(shop):
    for bad in (-1, "2.5", "many", True, None):
        with pytest.raises(TaladError):
            set_stock_buffer(shop=shop, by=BY, channel="shopee", units=bad)
    with pytest.raises(TaladError) as unknown:
        set_stock_buffer(shop=shop, by=BY, channel="ebay", units=1)
    assert unknown.value.fields == {"channel": "unknown_channel"}


def test_the_xlsx_has_shopee_s_columns_and_the_numbers(shelf, api):
    api.put("/api/v1/channels/shopee/stock-buffer", {"units": 1})

    response = api.get("/api/v1/channels/shopee/stock.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="stock-shopee.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        SHOPEE_COLUMNS,
        ["GIFT", 1],
        ["MUG", 1],
        ["SHIRT", 9],
    ]


def test_a_channel_without_a_known_layout_gets_sku_and_available_as_csv(shelf, api):
    response = api.get("/api/v1/channels/website/stock.csv")

    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines() == [
        "sku,available",
        "GIFT,2",
        "MUG,2",
        "SHIRT,10",
    ]


def test_the_api_lists_the_stock_and_refuses_a_bad_channel_or_buffer(shelf, api):
    body = api.get("/api/v1/channels/lazada/stock").json()
    assert (body["buffer"], body["columns"]) == (0, ["sellerSku", "quantity"])
    assert [(i["sku"], i["to_sell"]) for i in body["items"]] == [
        ("GIFT", 2),
        ("MUG", 2),
        ("SHIRT", 10),
    ]
    assert api.get("/api/v1/channels/ebay/stock.xlsx").status_code == 400
    assert api.put("/api/v1/channels/shopee/stock-buffer", {"units": -1}).status_code == 422
    assert api.put("/api/v1/channels/shopee/stock-buffer", {"units": "3"}).status_code == 422


def test_another_shop_s_stock_is_not_in_the_file(shelf, api):
    other = make_shop()
    make_variant(other, "THEIRS", on_hand=5)

    body = api.get("/api/v1/channels/shopee/stock").json()

    assert "THEIRS" not in {i["sku"] for i in body["items"]}
    theirs = ApiClient(token_for(other)).get("/api/v1/channels/shopee/stock").json()
    assert [i["sku"] for i in theirs["items"]] == ["THEIRS"]


def test_a_packer_cannot_change_a_buffer(shelf):
    packer = ApiClient(token_for(shelf, role="packer"))

    assert packer.put("/api/v1/channels/shopee/stock-buffer", {"units": 1}).status_code == 403


def test_the_stock_page_sets_a_buffer_and_downloads_each_channel_s_file(shelf):
    client = signed_in(shelf)
    page = client.get("/stock/channels/")
    assert page.status_code == 200
    assert 'data-testid="xlsx-shopee"' in page.content.decode()
    assert "/stock/channels/" in client.get("/stock/").content.decode()

    saved = client.post("/stock/channels/shopee/buffer/", {"units": "4"})
    refused = client.post("/stock/channels/shopee/buffer/", {"units": "-2"})
    download = client.get("/stock/channels/shopee/stock.csv")

    assert saved.status_code == 302 and refused.status_code == 400
    assert download.content.decode("utf-8-sig").splitlines()[1:] == ["GIFT,0", "MUG,0", "SHIRT,6"]
    assert client.get("/stock/channels/ebay/stock.csv").status_code == 404
