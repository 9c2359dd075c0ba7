"""A COD statement row that does not match is settled by the seller: accepted, with the
difference booked as a COD shortfall or a claim on the carrier, or disputed with a note.
Through the services, the statement page and the API."""

import re
from decimal import Decimal

import pytest

from talad.accounting.journal import order_balance
from talad.accounting.models import AccountRole, JournalEntry
from talad.errors import Conflict, NotFound, TaladError
from talad.orders.models import Order, PaymentStatus
from talad.payments.mismatches import accept_cod_shortfall, dispute_cod_row
from talad.payments.models import CodStatementRow
from talad.payments.selectors import outstanding_cod
from talad.payments.services import import_statement
from talad.shops.models import AuditEntry
from tests.accounting.factories import entry_lines
from tests.conftest import ApiClient, make_variant, token_for
from tests.payments.test_cod_views import signed_in
from tests.shipping.helpers import SYSTEM, csv_file, delivered_cod

HEADER = ["tracking", "cod_amount", "fee", "vat_on_fee", "net_amount"]
TRACKING = "TH0000000901"


@pytest.fixture
def parcel(shop):
    """A ฿705 COD parcel the customer paid on delivery."""
    dress = make_variant(shop, "DRESS", on_hand=10, price="705.00")
    return delivered_cod(shop, dress, tracking=TRACKING)


def statement_paying(shop, cod, fee="0.00", vat="0.00", net=None):
    net = net or f"{Decimal(cod) - Decimal(fee) - Decimal(vat):.2f}"
    result = import_statement(
        shop=shop,
        by=SYSTEM,
        carrier="flash",
        content=csv_file([HEADER, [TRACKING, cod, fee, vat, net]]),
        statement_number="FL-2569-12-01",
    )
    return result.statement


def fresh(order) -> Order:
    return Order.objects.for_shop(order.shop).get(pk=order.pk)


def the_row(statement) -> CodStatementRow:
    return CodStatementRow.objects.for_shop(statement.shop).get(statement=statement)


def remittance_entry(order) -> JournalEntry:
    return JournalEntry.objects.for_shop(order.shop).get(order=order, source_type="cod_remittance")


def test_a_cod_mismatch_accepted_books_the_difference_as_a_cod_shortfall(shop, parcel):
    statement = statement_paying(shop, "700.00")
    row = the_row(statement)
    assert row.result == "amount_mismatch"
    assert row.message == "ขนส่งแจ้งยอด 700.00 แต่ยอด COD ของพัสดุคือ 705.00"

    settled = accept_cod_shortfall(
        shop=shop,
        by=SYSTEM,
        statement_id=statement.pk,
        row_number=row.row_number,
        booked_as="expense",
        note="ขนส่งหักค่าเสียหายกล่องบุบ",
    )

    assert settled.result == "accepted"
    assert settled.shortfall == Decimal("5.00")
    assert fresh(parcel).payment_status == PaymentStatus.COD_REMITTED
    entry = remittance_entry(parcel)
    assert entry_lines(entry) == [
        ("bank", "700.00", "0.00"),
        ("cod_shortfall", "5.00", "0.00"),
        ("ar_cod_carrier", "0.00", "705.00"),
    ]
    assert order_balance(fresh(parcel), AccountRole.AR_COD_CARRIER) == Decimal("0.00")
    audit = AuditEntry.objects.filter(shop=shop).get(action="cod_row.accepted")
    assert audit.after["shortfall"] == "5.00" and audit.after["booked_as"] == "expense"
    assert outstanding_cod(shop=shop)["parcels"] == 0


def test_a_shortfall_claimed_from_the_carrier_stays_a_receivable_with_fees_booked_as_usual(
    shop, parcel
):
    statement = statement_paying(shop, "705.00", fee="21.15", vat="1.48", net="677.37")
    row = the_row(statement)
    assert row.result == "amount_mismatch"  # 705.00 − 21.15 − 1.48 is 682.37, not 677.37

    accept_cod_shortfall(
        shop=shop,
        by=SYSTEM,
        statement_id=statement.pk,
        row_number=row.row_number,
        booked_as="carrier_claim",
    )

    assert entry_lines(remittance_entry(parcel)) == [
        ("bank", "677.37", "0.00"),
        ("carrier_claims", "5.00", "0.00"),
        ("cod_fee", "21.15", "0.00"),
        ("input_vat", "1.48", "0.00"),
        ("ar_cod_carrier", "0.00", "705.00"),
    ]
    assert fresh(parcel).payment_status == PaymentStatus.COD_REMITTED


def test_a_disputed_row_stays_disputed_and_the_cod_stays_owed_even_when_the_file_comes_again(
    shop, parcel
):
    statement = statement_paying(shop, "700.00")

    dispute_cod_row(
        shop=shop,
        by=SYSTEM,
        statement_id=statement.pk,
        row_number=the_row(statement).row_number,
        note="แจ้งขนส่งแล้ว เคส #4471",
    )
    statement_paying(shop, "700.00")  # the same file uploaded again: a re-check

    row = the_row(statement)
    assert (row.result, row.note) == ("disputed", "แจ้งขนส่งแล้ว เคส #4471")
    assert fresh(parcel).payment_status == PaymentStatus.COD_COLLECTED
    assert outstanding_cod(shop=shop)["parcels"] == 1
    assert not JournalEntry.objects.for_shop(shop).filter(source_type="cod_remittance").exists()
    assert AuditEntry.objects.filter(shop=shop).filter(action="cod_row.disputed").count() == 1


def test_a_dispute_needs_a_note_and_a_carrier_that_paid_too_much_cannot_be_accepted(shop, parcel):
    statement = statement_paying(shop, "710.00")
    number = the_row(statement).row_number

    with pytest.raises(TaladError) as no_note:
        dispute_cod_row(
            shop=shop, by=SYSTEM, statement_id=statement.pk, row_number=number, note=" "
        )
    with pytest.raises(TaladError) as overpaid:
        accept_cod_shortfall(
            shop=shop,
            by=SYSTEM,
            statement_id=statement.pk,
            row_number=number,
            booked_as="expense",
        )

    assert no_note.value.fields == {"note": "required"}
    assert overpaid.value.fields == {"row": "overpaid"}
    assert the_row(statement).result == "amount_mismatch"
    assert fresh(parcel).payment_status == PaymentStatus.COD_COLLECTED


def test_only_a_mismatched_row_of_this_shop_can_be_settled(shop, other_shop, parcel):
    statement = statement_paying(shop, "705.00")  # matched
    number = the_row(statement).row_number

    with pytest.raises(Conflict):
        accept_cod_shortfall(
            shop=shop, by=SYSTEM, statement_id=statement.pk, row_number=number, booked_as="expense"
        )
    with pytest.raises(NotFound):
        dispute_cod_row(
            shop=other_shop, by=SYSTEM, statement_id=statement.pk, row_number=number, note="x"
        )


def token_of(html: str, row: int) -> str:
    form = re.search(rf'data-testid="settle-{row}">(.*?)</form>', html, re.S).group(1)
    return re.search(r'name="form_token" value="([0-9a-f]+)"', form).group(1)


def test_the_statement_page_accepts_a_short_row_and_disputes_with_a_note(shop, parcel):
    statement = statement_paying(shop, "700.00")
    number = the_row(statement).row_number
    client = signed_in(shop)
    page = f"/payments/cod/statements/{statement.pk}/"
    settle = f"{page}rows/{number}/settle/"

    html = client.get(page).content.decode()
    no_note = client.post(settle, {"form_token": token_of(html, number), "decision": "dispute"})
    assert no_note.status_code == 400
    assert "ใส่หมายเหตุว่าโต้แย้งเรื่องอะไร" in no_note.content.decode()

    html = client.get(page).content.decode()
    accepted = client.post(
        settle,
        {"form_token": token_of(html, number), "decision": "accept", "booked_as": "expense"},
    )

    assert accepted.status_code == 302
    html = client.get(page).content.decode()
    assert f'data-testid="settled-{number}"' in html and "฿5.00" in html
    assert f'data-testid="settle-{number}"' not in html  # nothing left to settle
    assert fresh(parcel).payment_status == PaymentStatus.COD_REMITTED


def test_the_api_settles_rows_and_shows_how(shop, other_shop, parcel, api):
    statement = statement_paying(shop, "700.00")
    number = the_row(statement).row_number
    base = f"/api/v1/cod/statements/{statement.pk}/rows/{number}"

    unknown = api.post(f"{base}/accept", {"booked_as": "gift"})
    disputed = api.post(f"{base}/dispute", {"note": "รอขนส่งตอบ"})
    accepted = api.post(f"{base}/accept", {"booked_as": "carrier_claim", "note": "ตกลงแล้ว"})
    again = api.post(f"{base}/accept", {"booked_as": "carrier_claim"})

    assert unknown.status_code == 422
    assert disputed.status_code == 200 and disputed.json()["result"] == "disputed"
    assert accepted.status_code == 200
    body = accepted.json()
    assert (body["result"], body["shortfall"], body["shortfall_booked_as"], body["note"]) == (
        "accepted",
        "5.00",
        "carrier_claim",
        "ตกลงแล้ว",
    )
    assert again.status_code == 409
    shown = api.get(f"/api/v1/cod/statements/{statement.pk}").json()
    assert shown["rows"][0]["result"] == "accepted"
    assert shown["summary"]["counts"]["accepted"] == 1

    stranger = ApiClient(token_for(other_shop))
    assert stranger.post(f"{base}/dispute", {"note": "x"}).status_code == 404
    packer = ApiClient(token_for(shop, role="packer"))
    assert packer.post(f"{base}/dispute", {"note": "x"}).status_code == 403


def test_a_statement_uploaded_from_an_english_session_keeps_its_row_messages_in_thai(shop, parcel):
    from django.utils import translation

    with translation.override("en"):
        statement = statement_paying(shop, "700.00")

    assert the_row(statement).message == "ขนส่งแจ้งยอด 700.00 แต่ยอด COD ของพัสดุคือ 705.00"
