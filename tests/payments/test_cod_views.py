"""COD money on the web, through Django's test client as a signed-in member: a carrier's
statement is uploaded with its column mapping and summarised, matched parcels become
`cod_remitted`, and the outstanding page shows what each carrier still owes and for how long."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from talad.orders.models import Order, PaymentStatus
from talad.payments.models import CodColumnMapping, CodStatement
from talad.shops.actors import Actor
from talad.shops.services import add_member
from tests.conftest import make_variant
from tests.shipping.helpers import csv_file, delivered_cod, shipped_cod, upload

SYSTEM = Actor.system("test")
STATEMENTS = "/payments/cod/statements/"
OUTSTANDING = "/payments/cod/outstanding/"
HEADER = ["tracking", "cod_amount", "fee", "vat_on_fee", "net_amount"]


def signed_in(shop, role="owner") -> Client:
    email = f"{role}-{shop.slug}@example.com"
    add_member(shop=shop, email=email, role=role, password="pw-123456", by=SYSTEM)
    client = Client()
    assert client.login(username=email, password="pw-123456")
    return client


def token_of(page) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', page.content.decode()).group(1)


def counts(page) -> dict[str, int]:
    found = re.findall(r'data-testid="count-(\w+)">(\d+)<', page.content.decode())
    return {result: int(n) for result, n in found}


def fresh(order) -> Order:
    return Order.objects.for_shop(order.shop).get(pk=order.pk)


def send(client, content, **fields):
    token = token_of(client.get(STATEMENTS))
    fields.setdefault("carrier", "flash")
    return client.post(
        STATEMENTS, {"form_token": token, "file": upload(content, "flash-nov.csv"), **fields}
    )


@pytest.fixture
def owed(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=20, price="199.00")
    return {
        "collected": delivered_cod(shop, shirt, tracking="TH0000000801"),
        "too_little": delivered_cod(shop, shirt, tracking="TH0000000802"),
        "on_the_way": shipped_cod(shop, shirt, tracking="TH0000000803"),
    }


STATEMENT = csv_file(
    [
        HEADER,
        ["TH0000000801", "199.00", "5.97", "0.42", "192.61"],
        ["TH0000000802", "150.00", "4.50", "0.32", "145.18"],
        ["TH0000000803", "199.00", "5.97", "0.42", "192.61"],
        ["TH0000009999", "50.00", "1.50", "0.11", "48.39"],
    ]
)


def test_an_uploaded_statement_shows_its_summary_and_marks_the_matched_cod_as_remitted(shop, owed):
    client = signed_in(shop)

    sent = send(client, STATEMENT, reference="FL-2569-11")

    assert sent.status_code == 302
    page = client.get(sent["Location"])
    assert page.status_code == 200
    assert counts(page) == {
        "matched": 1,
        "amount_mismatch": 1,
        "unknown_tracking": 1,
        "already_remitted": 0,
        "not_delivered": 1,
        "accepted": 0,
        "disputed": 0,
    }
    html = page.content.decode()
    assert "FL-2569-11" in html
    assert 'data-testid="matched-net"><b>฿192.61<' in html
    assert "฿598.00" in html  # COD of the whole statement
    assert fresh(owed["collected"]).payment_status == PaymentStatus.COD_REMITTED
    assert fresh(owed["too_little"]).payment_status == PaymentStatus.COD_COLLECTED
    assert "flash-nov.csv" in client.get(STATEMENTS).content.decode()  # among past statements


def test_a_double_submitted_statement_is_imported_once(shop, owed):
    client = signed_in(shop)
    token = token_of(client.get(STATEMENTS))
    form = {"form_token": token, "carrier": "flash"}

    first = client.post(STATEMENTS, {**form, "file": upload(STATEMENT)})
    second = client.post(STATEMENTS, {**form, "file": upload(STATEMENT)})

    assert first["Location"] == second["Location"]
    assert CodStatement.objects.for_shop(shop).count() == 1


def test_a_carriers_own_headers_are_mapped_once_and_offered_again_next_time(shop, owed):
    kex_like = csv_file(
        [
            ["Consignment No.", "COD Amt", "Service Fee", "VAT 7%", "Transfer"],
            ["TH0000000801", "199.00", "5.97", "0.42", "192.61"],
        ]
    )
    client = signed_in(shop)

    unmapped = send(client, kex_like)
    assert unmapped.status_code == 400
    assert "แถว 1" in unmapped.content.decode() and "tracking" in unmapped.content.decode()

    mapped = send(
        client,
        kex_like,
        tracking="Consignment No.",
        cod_amount="COD Amt",
        fee="Service Fee",
        vat_on_fee="VAT 7%",
        net_amount="Transfer",
    )

    assert mapped.status_code == 302
    assert counts(client.get(mapped["Location"]))["matched"] == 1
    saved = CodColumnMapping.objects.for_shop(shop).get(carrier="flash").columns
    assert saved["tracking"] == "Consignment No."
    form = client.get(f"{STATEMENTS}?carrier=flash").content.decode()
    assert 'value="Consignment No."' in form


def test_a_mapped_column_missing_from_the_file_is_named_on_the_page(shop, owed):
    client = signed_in(shop)

    page = send(client, STATEMENT, tracking="Tracking No.")

    assert page.status_code == 400
    assert "แถว 1: ไม่พบคอลัมน์ &#x27;Tracking No.&#x27;" in page.content.decode()
    assert CodStatement.objects.for_shop(shop).count() == 0


def test_the_outstanding_page_lists_delivered_cod_with_its_age_and_links_to_the_order(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=20, price="199.00")
    old = delivered_cod(
        shop, shirt, tracking="TH0000000811", delivered_at=timezone.now() - timedelta(days=9)
    )
    shipped_cod(shop, shirt, tracking="TH0000000812")  # not collected yet: not owed
    client = signed_in(shop)

    page = client.get(OUTSTANDING)

    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-testid="age-{old.number}">9<' in html
    assert f'href="/orders/{old.pk}/"' in html
    assert 'data-testid="parcels">1<' in html
    assert 'data-testid="total">฿199.00<' in html
    assert "TH0000000812" not in html
    assert 'href="/payments/cod/statements/"' in html
    assert 'href="/shipping/import/status/"' in html


def test_remitted_cod_leaves_the_outstanding_page(shop, owed):
    client = signed_in(shop)
    send(client, STATEMENT)

    html = client.get(OUTSTANDING).content.decode()

    assert owed["collected"].number not in html
    assert owed["too_little"].number in html


def test_the_packing_bench_has_no_cod_pages_and_no_cod_menu(shop, owed):
    packer = signed_in(shop, "packer")

    for path in (OUTSTANDING, STATEMENTS):
        assert packer.get(path).status_code == 403
    assert "/payments/cod/outstanding/" not in packer.get("/shipping/pack/").content.decode()
    accountant = signed_in(shop, "accountant")
    page = accountant.get(OUTSTANDING)
    assert page.status_code == 200
    assert 'href="/payments/cod/outstanding/"' in page.content.decode()  # the menu entry
    assert "/shipping/import/status/" not in page.content.decode()  # not theirs to import


def test_another_shops_statement_is_a_404(shop, other_shop, owed):
    mine = send(signed_in(shop), STATEMENT)["Location"]
    stranger = signed_in(other_shop)

    assert stranger.get(mine).status_code == 404
    assert stranger.get(f"{STATEMENTS}999999999999/").status_code == 404
