"""The product pages, through Django's test client as a signed-in member of the shop."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from talad.catalog import views
from talad.catalog.models import Product, Variant
from talad.catalog.services import create_product
from talad.shops.actors import Actor
from talad.shops.models import AuditEntry
from talad.shops.services import add_member
from tests.conftest import make_shop, make_variant


def signed_in(shop, role="owner") -> Client:
    email = f"{role}-{shop.slug}@example.com"
    add_member(shop=shop, email=email, role=role, password="pw-123456", by=Actor.system("test"))
    client = Client()
    assert client.login(username=email, password="pw-123456")
    return client


def token_of(page) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', page.content.decode()).group(1)


def row(index, sku, price, **fields) -> dict:
    """What the browser sends for one variant row of the product form."""
    data = {
        "sku": sku,
        "name": "",
        "barcode": "",
        "price": price,
        "weight_grams": "0",
        "low_stock_threshold": "0",
        "active": "on",
    }
    data.update(fields)
    return {f"variants-{index}-{k}": v for k, v in data.items() if v is not None}


def product_form(page, name, rows, *, initial=0, **fields) -> dict:
    data = {
        "form_token": token_of(page),
        "name": name,
        "description": "",
        "active": "on",
        "variants-TOTAL_FORMS": str(len(rows)),
        "variants-INITIAL_FORMS": str(initial),
        **fields,
    }
    for r in rows:
        data.update(r)
    return data


def error_beside(html: str, field: str) -> str:
    match = re.search(rf'data-error-for="{re.escape(field)}">([^<]*)<', html)
    return match.group(1) if match else ""


def product_with(shop, name, *variants) -> Product:
    return create_product(
        shop=shop,
        name=name,
        by=Actor.system("test"),
        variants=[{"sku": sku, "price": Decimal(price), **extra} for sku, price, extra in variants],
    )


def test_the_list_finds_a_product_by_sku_name_or_barcode(shop):
    product_with(shop, "เสื้อยืดคอกลม", ("TEE-RED-M", "199.00", {"barcode": "8850001112223"}))
    product_with(shop, "กางเกงยีนส์", ("JEAN-32", "590.00", {}))
    client = signed_in(shop)

    def listed(q):
        return set(
            re.findall(r'data-sku="([^"]+)"', client.get("/products/", {"q": q}).content.decode())
        )

    assert listed("") == {"TEE-RED-M", "JEAN-32"}
    assert listed("tee-red") == {"TEE-RED-M"}
    assert listed("ยีนส์") == {"JEAN-32"}
    assert listed("8850001112223") == {"TEE-RED-M"}
    assert listed("no-such-thing") == set()


def test_the_list_filters_by_the_active_flag(shop):
    product_with(shop, "ขายอยู่", ("ON-1", "10.00", {}))
    stopped = product_with(shop, "เลิกขาย", ("OFF-1", "10.00", {}))
    Product.objects.for_shop(shop).filter(pk=stopped.pk).update(active=False)
    client = signed_in(shop)
    active = client.get("/products/", {"active": "yes"}).content.decode()
    inactive = client.get("/products/", {"active": "no"}).content.decode()
    assert 'data-sku="ON-1"' in active and 'data-sku="OFF-1"' not in active
    assert 'data-sku="OFF-1"' in inactive and 'data-sku="ON-1"' not in inactive
    assert 'data-active="no"' in inactive


def test_the_list_pages_by_keyset_newest_first(shop, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 2)
    for n in range(1, 4):
        product_with(shop, f"สินค้า {n}", (f"P-{n}", "10.00", {}))
    client = signed_in(shop)
    first = client.get("/products/").content.decode()
    assert re.findall(r'data-sku="([^"]+)"', first) == ["P-3", "P-2"]
    next_url = re.search(r'<tr id="more"><td colspan="4"><a href="([^"]+)"', first).group(1)
    second = client.get("/products/" + next_url.replace("&amp;", "&")).content.decode()
    assert re.findall(r'data-sku="([^"]+)"', second) == ["P-1"]
    assert 'id="more"' not in second
    more = client.get("/products/" + next_url.replace("&amp;", "&"), headers={"HX-Request": "true"})
    html = more.content.decode()
    assert re.findall(r'data-sku="([^"]+)"', html) == ["P-1"] and "<html" not in html


def test_creating_a_product_with_two_variants(shop):
    client = signed_in(shop)
    page = client.get("/products/new/")
    assert page.status_code == 200
    response = client.post(
        "/products/new/",
        product_form(
            page,
            "เสื้อยืดคอกลม",
            [
                row(
                    0, "TEE-S", "199.00", name="ไซซ์ S", barcode="885000111", low_stock_threshold="3"
                ),
                row(1, "TEE-M", "209.50", name="ไซซ์ M", weight_grams="180", allow_backorder="on"),
            ],
        ),
    )
    product = Product.objects.for_shop(shop).get(name="เสื้อยืดคอกลม")
    assert response.status_code == 302 and response["Location"] == f"/products/{product.pk}/"
    small, medium = product.variants.get(sku="TEE-S"), product.variants.get(sku="TEE-M")
    assert (small.sku, small.name, small.barcode, small.price) == (
        "TEE-S",
        "ไซซ์ S",
        "885000111",
        Decimal("199.00"),
    )
    assert small.low_stock_threshold == 3 and not small.allow_backorder
    assert (medium.price, medium.weight_grams, medium.allow_backorder) == (
        Decimal("209.50"),
        180,
        True,
    )
    edit_page = client.get(response["Location"]).content.decode()
    assert 'value="TEE-S"' in edit_page and 'value="TEE-M"' in edit_page


def test_a_create_form_submitted_twice_makes_one_product(shop):
    client = signed_in(shop)
    page = client.get("/products/new/")
    form = product_form(page, "หมวก", [row(0, "HAT-1", "150.00")])
    first = client.post("/products/new/", form)
    second = client.post("/products/new/", form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Product.objects.for_shop(shop).filter(name="หมวก").count() == 1


def test_a_duplicate_sku_is_shown_beside_its_row_and_nothing_is_written(shop):
    make_variant(shop, "TEE-S")
    client = signed_in(shop)
    page = client.get("/products/new/")
    before = (Product.objects.for_shop(shop).count(), Variant.objects.for_shop(shop).count())
    response = client.post(
        "/products/new/",
        product_form(page, "เสื้อใหม่", [row(0, "NEW-1", "100.00"), row(1, "TEE-S", "100.00")]),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "TEE-S" in error_beside(html, "variants-1-sku")
    assert error_beside(html, "variants-0-sku") == ""
    after = (Product.objects.for_shop(shop).count(), Variant.objects.for_shop(shop).count())
    assert after == before
    # What the seller typed is still there to fix.
    assert 'value="NEW-1"' in html and 'value="เสื้อใหม่"' in html


def test_the_same_sku_twice_in_one_form_is_refused(shop):
    client = signed_in(shop)
    page = client.get("/products/new/")
    response = client.post(
        "/products/new/",
        product_form(page, "เสื้อ", [row(0, "DUP", "100.00"), row(1, "DUP", "120.00")]),
    )
    assert response.status_code == 400
    assert error_beside(response.content.decode(), "variants-1-sku")
    assert not Product.objects.for_shop(shop).filter(name="เสื้อ").exists()


@pytest.mark.parametrize("price", ["abc", "-5", "10.999"])
def test_a_bad_price_is_shown_beside_the_price_and_nothing_is_written(shop, price):
    client = signed_in(shop)
    page = client.get("/products/new/")
    response = client.post(
        "/products/new/",
        product_form(page, "ของแถม", [row(0, "OK-1", "10.00"), row(1, "BAD-1", price)]),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "จำนวนเงิน" in error_beside(html, "variants-1-price")
    assert not Variant.objects.for_shop(shop).filter(sku__in=["OK-1", "BAD-1"]).exists()


def test_a_product_needs_at_least_one_sku(shop):
    client = signed_in(shop)
    page = client.get("/products/new/")
    response = client.post("/products/new/", product_form(page, "ว่างเปล่า", []))
    assert response.status_code == 400
    assert "อย่างน้อยหนึ่ง SKU" in response.content.decode()
    assert not Product.objects.for_shop(shop).exists()


def test_editing_a_price_changes_that_variant_and_is_audited(shop):
    product = product_with(shop, "เสื้อ", ("TEE-S", "199.00", {}), ("TEE-M", "199.00", {}))
    small, medium = product.variants.order_by("pk")
    client = signed_in(shop)
    page = client.get(f"/products/{product.pk}/")
    assert page.status_code == 200
    response = client.post(
        f"/products/{product.pk}/",
        product_form(
            page,
            "เสื้อ",
            [
                row(0, "TEE-S", "199.00", id=str(small.pk)),
                row(1, "TEE-M", "249.00", id=str(medium.pk)),
            ],
            initial=2,
        ),
    )
    assert response.status_code == 302
    small.refresh_from_db()
    medium.refresh_from_db()
    assert (small.price, medium.price) == (Decimal("199.00"), Decimal("249.00"))
    assert AuditEntry.objects.filter(shop=shop, action="product.update").count() == 1


def test_editing_can_add_a_variant_and_stop_selling_another(shop):
    product = product_with(shop, "เสื้อ", ("TEE-S", "199.00", {}))
    small = product.variants.get()
    client = signed_in(shop)
    page = client.get(f"/products/{product.pk}/")
    response = client.post(
        f"/products/{product.pk}/",
        product_form(
            page,
            "เสื้อ",
            [
                row(0, "TEE-S", "199.00", id=str(small.pk), active=None),
                row(1, "TEE-L", "219.00"),
            ],
            initial=1,
        ),
    )
    assert response.status_code == 302
    assert dict(product.variants.values_list("sku", "active")) == {"TEE-S": False, "TEE-L": True}


def test_renaming_to_a_taken_sku_is_shown_beside_the_row(shop):
    make_variant(shop, "TAKEN")
    product = product_with(shop, "เสื้อ", ("TEE-S", "199.00", {}))
    small = product.variants.get()
    client = signed_in(shop)
    page = client.get(f"/products/{product.pk}/")
    response = client.post(
        f"/products/{product.pk}/",
        product_form(page, "เสื้อ", [row(0, "TAKEN", "199.00", id=str(small.pk))], initial=1),
    )
    assert response.status_code == 400
    assert "TAKEN" in error_beside(response.content.decode(), "variants-0-sku")
    small.refresh_from_db()
    assert small.sku == "TEE-S"


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(shop):
    client = signed_in(shop)
    page = client.get("/products/new/")
    form = product_form(page, "กระเป๋า", [row(0, "BAG-1", "350.00")], add_variant="1")
    response = client.post("/products/new/", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-variant-row="1"' in html and 'data-variant-row="2"' not in html
    assert 'value="BAG-1"' in html and 'name="variants-TOTAL_FORMS" value="2"' in html
    assert not Product.objects.for_shop(shop).exists()


def test_the_edit_page_shows_cost_and_bundle_components_read_only(shop):
    make_variant(shop, "SOAP", on_hand=10, cost="12.50")
    make_variant(shop, "TOWEL")
    bundle = create_product(
        shop=shop,
        name="ชุดของขวัญ",
        by=Actor.system("test"),
        variants=[
            {
                "sku": "GIFT-SET",
                "price": Decimal("299.00"),
                "components": [{"sku": "SOAP", "quantity": 2}, {"sku": "TOWEL", "quantity": 1}],
            }
        ],
    )
    client = signed_in(shop)
    html = client.get(f"/products/{bundle.pk}/").content.decode()
    assert "SOAP × 2" in html and "TOWEL × 1" in html
    soap = Variant.objects.for_shop(shop).get(sku="SOAP")
    soap_page = client.get(f"/products/{soap.product_id}/").content.decode()
    assert re.search(r'data-testid="cost">฿12\.50 ', soap_page)


def test_an_accountant_sees_products_but_cannot_change_them(shop):
    product = product_with(shop, "เสื้อ", ("TEE-S", "199.00", {}))
    client = signed_in(shop, "accountant")
    listing = client.get("/products/")
    assert (
        listing.status_code == 200 and 'data-testid="new-product"' not in listing.content.decode()
    )
    page = client.get(f"/products/{product.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "TEE-S" in html and 'id="product-form"' not in html
    assert client.get("/products/new/").status_code == 403
    response = client.post(
        f"/products/{product.pk}/",
        {"name": "แก้โดยนักบัญชี", "variants-TOTAL_FORMS": "0", "variants-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.name == "เสื้อ"


def test_a_packer_cannot_open_the_product_pages(shop):
    product = product_with(shop, "เสื้อ", ("TEE-S", "199.00", {}))
    client = signed_in(shop, "packer")
    assert client.get("/products/").status_code == 403
    assert client.get(f"/products/{product.pk}/").status_code == 403
    assert client.get("/products/new/").status_code == 403


def test_another_shops_product_is_a_404(shop):
    other = make_shop()
    theirs = product_with(other, "ของร้านอื่น", ("THEIRS", "10.00", {}))
    client = signed_in(shop)
    assert client.get(f"/products/{theirs.pk}/").status_code == 404
    page = client.get("/products/new/")
    response = client.post(
        f"/products/{theirs.pk}/",
        product_form(page, "ยึด", [row(0, "THEIRS", "1.00")], initial=1),
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "ของร้านอื่น"
    assert 'data-sku="THEIRS"' not in client.get("/products/", {"q": "THEIRS"}).content.decode()


def test_a_variant_id_of_another_product_is_refused(shop):
    mine = product_with(shop, "ของฉัน", ("MINE", "10.00", {}))
    other_product = product_with(shop, "อีกชิ้น", ("OTHER", "10.00", {}))
    other_variant = other_product.variants.get()
    client = signed_in(shop)
    page = client.get(f"/products/{mine.pk}/")
    response = client.post(
        f"/products/{mine.pk}/",
        product_form(page, "ของฉัน", [row(0, "HIJACK", "1.00", id=str(other_variant.pk))]),
    )
    assert response.status_code == 400
    other_variant.refresh_from_db()
    assert (other_variant.sku, other_variant.price) == ("OTHER", Decimal("10.00"))


@pytest.mark.parametrize("path", ["/products/", "/products/new/", "/products/1/"])
def test_product_pages_need_a_login(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
