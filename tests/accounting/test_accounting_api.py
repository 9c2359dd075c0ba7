"""The accounting API: issue and read documents, credit notes, the journal, the trial balance;
every bad input a 4xx that names the field; other shops' rows are 404; roles hold."""

import pytest

from talad.accounting.models import Document
from tests.accounting.factories import BUYER_TAX_ID, act, goods, prepaid_order, vat_shop
from tests.conftest import ApiClient, make_shop, token_for
from tests.orders.factories import CUSTOMER

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def api(shop):
    return ApiClient(token_for(shop))


@pytest.fixture
def mug(shop):
    return goods(shop, "MUG", price="1070.00", cost="600.00")


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json()


def refused(response, status):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.json()["error"]


# --- Documents -------------------------------------------------------------------------------


def test_issuing_a_tax_invoice_for_an_order_returns_it_with_its_legal_fields(api, shop, mug):
    order = prepaid_order(
        shop, mug, customer={**CUSTOMER, "tax_id": BUYER_TAX_ID, "branch_code": "00000"}
    )

    document = ok(api.post(f"/api/v1/orders/{order.pk}/documents", {"type": "tax_invoice"}), 201)

    assert document["type"] == "tax_invoice" and document["title"] == "ใบกำกับภาษี"
    assert document["etax_code"] == "388"
    assert document["number"].startswith("INV-25") and document["number"].endswith("-00001")
    assert document["seller"] == {
        "name": shop.name,
        "address": shop.address,
        "tax_id": shop.tax_id,
        "branch_code": "00000",
        "branch": "สำนักงานใหญ่",
    }
    assert document["buyer"]["tax_id"] == BUYER_TAX_ID
    assert document["buyer"]["branch"] == "สำนักงานใหญ่"
    assert (document["net_amount"], document["vat_amount"], document["total_amount"]) == (
        "1000.00",
        "70.00",
        "1070.00",
    )
    assert document["lines"][0]["amount"] == "1070.00"
    assert document["remaining_amount"] == "1070.00"
    assert len(document["journal_entry_ids"]) == 1
    assert ok(api.get(f"/api/v1/documents/{document['id']}")) == document


def test_an_unknown_document_type_is_refused_naming_the_field(api, shop, mug):
    order = prepaid_order(shop, mug)

    error = refused(api.post(f"/api/v1/orders/{order.pk}/documents", {"type": "bill"}), 422)
    missing = refused(api.post(f"/api/v1/orders/{order.pk}/documents", {}), 422)
    credit = refused(api.post(f"/api/v1/orders/{order.pk}/documents", {"type": "credit_note"}), 422)

    assert "type" in error["fields"]
    assert "type" in missing["fields"]
    assert credit["fields"] == {"type": "credit_note_needs_original"}
    assert Document.objects.for_shop(shop).count() == 0


def test_a_second_document_for_the_same_sale_is_a_conflict(api, shop, mug):
    order = act(prepaid_order(shop, mug), "pay")

    error = refused(api.post(f"/api/v1/orders/{order.pk}/documents", {"type": "tax_invoice"}), 409)

    assert error["code"] == "document_already_issued"


def test_a_shop_not_registered_for_vat_is_told_it_cannot_issue_a_tax_invoice(db):
    shop = make_shop()
    api = ApiClient(token_for(shop))
    order = prepaid_order(shop, goods(shop, "MUG"))

    error = refused(api.post(f"/api/v1/orders/{order.pk}/documents", {"type": "tax_invoice"}), 422)
    receipt = ok(api.post(f"/api/v1/orders/{order.pk}/documents", {"type": "receipt"}), 201)

    assert error["code"] == "document_not_allowed"
    assert error["fields"] == {"type": "needs_vat_registration"}
    assert receipt["vat_amount"] == "0.00"


def test_an_order_shows_its_documents_and_journal_entries(api, shop, mug):
    order = act(act(act(prepaid_order(shop, mug), "pay"), "pack"), "ship")

    found = ok(api.get(f"/api/v1/orders/{order.pk}/documents"))

    assert [d["type"] for d in found["documents"]] == ["receipt_tax_invoice"]
    assert [e["source"]["type"] for e in found["journal_entries"]] == ["document", "order_action"]
    assert found["journal_entries"][0]["lines"][0] == {
        "account_code": "111201",
        "account_name": "เงินฝากธนาคาร-กระแสรายวัน",
        "role": "bank",
        "debit": "1070.00",
        "credit": "0.00",
        "memo": "",
    }


# --- Credit notes ----------------------------------------------------------------------------


def test_a_credit_note_for_one_line_states_the_original_the_correction_and_the_reason(
    api, shop, mug
):
    order = act(prepaid_order(shop, mug, 2), "pay")
    [receipt] = Document.objects.for_shop(shop).all()
    line_id = receipt.lines.get().pk

    note = ok(
        api.post(
            f"/api/v1/documents/{receipt.pk}/credit-notes",
            {
                "lines": [{"line_id": line_id, "quantity": 1}],
                "reason_code": "goods_returned",
                "reason_text": "แก้วแตก 1 ใบ",
            },
        ),
        201,
    )

    assert note["type"] == "credit_note" and note["etax_code"] == "81"
    assert note["credit_note"] == {
        "original_id": receipt.pk,
        "original_number": receipt.number,
        "original_value": "2000.00",
        "corrected_value": "1000.00",
        "difference": "1000.00",
        "vat": "70.00",
        "reason_code": "goods_returned",
        "reason": "รับคืนสินค้าที่ชำรุดบกพร่องหรือไม่ตรงตามที่ตกลง",
        "reason_text": "แก้วแตก 1 ใบ",
    }
    assert ok(api.get(f"/api/v1/documents/{receipt.pk}"))["remaining_amount"] == "1070.00"
    assert order.pk == note["order_id"]


def test_a_credit_note_larger_than_the_original_is_refused(api, shop, mug):
    act(prepaid_order(shop, mug), "pay")
    [receipt] = Document.objects.for_shop(shop).all()

    error = refused(
        api.post(
            f"/api/v1/documents/{receipt.pk}/credit-notes",
            {"amount": "1070.01", "reason_code": "price_error"},
        ),
        422,
    )

    assert error["code"] == "credit_exceeds_original"
    assert error["fields"] == {"amount": "exceeds_remaining"}
    assert error["remaining"] == "1070.00"
    assert Document.objects.for_shop(shop).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason_code": "price_error"}, "lines"),
        ({"amount": "10.00", "lines": [{"line_id": 1}], "reason_code": "price_error"}, "lines"),
        ({"amount": "10.00", "reason_code": "because"}, "reason_code"),
        ({"amount": "-1.00", "reason_code": "price_error"}, "amount"),
        ({"amount": "1.001", "reason_code": "price_error"}, "amount"),
        ({"amount": "10.00", "reason_code": "other"}, "reason_text"),
        ({"lines": [{"line_id": 999999}], "reason_code": "price_error"}, "lines[0].line_id"),
        ({"lines": [{"line_id": "x"}], "reason_code": "price_error"}, "lines[0].line_id"),
    ],
)
def test_bad_credit_note_requests_name_the_field(api, shop, mug, body, field):
    act(prepaid_order(shop, mug), "pay")
    [receipt] = Document.objects.for_shop(shop).all()

    error = refused_any(api.post(f"/api/v1/documents/{receipt.pk}/credit-notes", body))

    assert field in error["fields"], error


def refused_any(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    return response.json()["error"]


def test_another_shops_documents_and_orders_are_not_found(api, mug):
    theirs = vat_shop()
    their_order = act(prepaid_order(theirs, goods(theirs, "THEIRS")), "pay")
    [their_receipt] = Document.objects.for_shop(theirs).all()

    for response in (
        api.get(f"/api/v1/documents/{their_receipt.pk}"),
        api.post(
            f"/api/v1/documents/{their_receipt.pk}/credit-notes",
            {"amount": "1.00", "reason_code": "price_error"},
        ),
        api.post(f"/api/v1/orders/{their_order.pk}/documents", {"type": "tax_invoice"}),
        api.get(f"/api/v1/orders/{their_order.pk}/documents"),
    ):
        assert refused(response, 404)["code"] == "not_found"
    assert Document.objects.for_shop(theirs).count() == 1
    assert ok(api.get("/api/v1/documents"))["items"] == []


def test_issuing_with_the_same_idempotency_key_issues_once(api, shop, mug):
    order = prepaid_order(shop, mug)
    url = f"/api/v1/orders/{order.pk}/documents"

    first = ok(api.post(url, {"type": "tax_invoice"}, **{"Idempotency-Key": "k-1"}), 201)
    again = ok(api.post(url, {"type": "tax_invoice"}, **{"Idempotency-Key": "k-1"}), 201)

    assert first == again
    assert Document.objects.for_shop(shop).count() == 1


# --- The books -------------------------------------------------------------------------------


def test_the_journal_pages_with_a_cursor_newest_first(api, shop, mug):
    for _ in range(3):
        act(act(act(prepaid_order(shop, mug), "pay"), "pack"), "ship")  # two entries each

    seen, cursor = [], None
    while True:
        page = ok(api.get("/api/v1/journal?limit=4" + (f"&cursor={cursor}" if cursor else "")))
        seen += [entry["id"] for entry in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break

    assert len(seen) == 1 + 6 and seen == sorted(seen, reverse=True)  # the mug's receipt too
    assert refused(api.get("/api/v1/journal?cursor=nonsense"), 400)["fields"] == {
        "cursor": "invalid"
    }


def test_the_trial_balance_balances_and_shows_every_account_used(api, shop, mug):
    order = act(act(act(prepaid_order(shop, mug), "pay"), "pack"), "ship")
    act(act(prepaid_order(shop, mug), "pay"), "cancel")

    report = ok(api.get("/api/v1/reports/trial-balance"))

    assert report["balanced"] is True
    assert report["totals"]["debit"] == report["totals"]["credit"]
    closing = {row["code"]: row["closing"] for row in report["accounts"]}
    assert closing == {
        "111201": "2140.00",  # bank: two sales in (the refund is not paid out yet)
        "114101": "59400.00",  # inventory: 100 mugs bought at 600, one shipped
        "212101": "-60000.00",  # the mugs' supplier, bought on credit
        "213101": "-70.00",  # output VAT of the sale that stayed
        "214102": "-1070.00",  # the cancelled sale's refund, owed to the customer
        "410101": "-2000.00",  # sales
        "410201": "1000.00",  # sales returns (the credit note)
        "510101": "600.00",  # cost of goods
    }
    assert order.pk


def test_the_trial_balance_for_a_period_carries_the_earlier_balance_as_opening(api, shop, mug):
    act(prepaid_order(shop, mug), "pay")

    later = ok(api.get("/api/v1/reports/trial-balance?date_from=2099-01-01"))
    earlier = ok(api.get("/api/v1/reports/trial-balance?date_to=2000-01-01"))

    bank = next(row for row in later["accounts"] if row["code"] == "111201")
    assert (bank["opening"], bank["debit"], bank["closing"]) == ("1070.00", "0.00", "1070.00")
    assert earlier["accounts"] == []
    assert refused(
        api.get("/api/v1/reports/trial-balance?date_from=2025-02-01&date_to=2025-01-01"), 400
    )["fields"] == {"date_from": "after_date_to"}
    assert (
        "date_from"
        in refused(api.get("/api/v1/reports/trial-balance?date_from=yesterday"), 422)["fields"]
    )


def test_accounting_settings_show_the_defaults_and_take_changes(shop):
    accountant = ApiClient(token_for(shop, "accountant"))

    before = ok(accountant.get("/api/v1/accounting/settings"))
    changed = ok(
        accountant.patch(
            "/api/v1/accounting/settings",
            {"cod_issue": "manual", "account_codes": {"cod_fee": "530599"}},
        )
    )
    bad = refused(
        accountant.patch(
            "/api/v1/accounting/settings", {"number_patterns": {"tax_invoice": "INV-{colour}"}}
        ),
        400,
    )

    assert before["number_patterns"]["tax_invoice"] == "INV-{be_year}-{month:02d}-{seq:05d}"
    assert before["account_codes"]["sales"] == "410101"
    assert (before["vat_registered"], before["vat_rate"]) == (True, "7.00")
    assert changed["cod_issue"] == "manual"
    assert changed["account_codes"]["cod_fee"] == "530599"
    assert bad["fields"] == {"number_patterns.tax_invoice": "invalid_pattern"}


# --- Roles -----------------------------------------------------------------------------------


def test_an_accountant_issues_documents_and_reads_the_books_a_packer_sees_nothing(shop, mug):
    order = prepaid_order(shop, mug)
    accountant = ApiClient(token_for(shop, "accountant"))
    packer = ApiClient(token_for(shop, "packer"))
    staff = ApiClient(token_for(shop, "staff"))

    for response in (
        packer.post(f"/api/v1/orders/{order.pk}/documents", {"type": "tax_invoice"}),
        packer.get(f"/api/v1/orders/{order.pk}/documents"),
        packer.get("/api/v1/documents"),
        packer.get("/api/v1/journal"),
        packer.get("/api/v1/reports/trial-balance"),
        staff.get("/api/v1/journal"),
        staff.get("/api/v1/reports/trial-balance"),
        staff.patch("/api/v1/accounting/settings", {"cod_issue": "manual"}),
    ):
        assert refused(response, 403)["code"] == "forbidden"
    document = ok(
        accountant.post(f"/api/v1/orders/{order.pk}/documents", {"type": "tax_invoice"}), 201
    )
    assert ok(accountant.get(f"/api/v1/documents/{document['id']}"))["number"] == document["number"]
    assert len(ok(accountant.get("/api/v1/journal"))["items"]) == 2  # the mugs' receipt too
    assert ok(accountant.get("/api/v1/reports/trial-balance"))["balanced"] is True
    assert "journal_entries" not in ok(staff.get(f"/api/v1/orders/{order.pk}/documents"))


def test_the_books_are_written_in_thai_whatever_language_the_seller_reads(api, shop, mug):
    order = prepaid_order(shop, mug, shipping_fee="50.00")

    document = ok(
        api.post(
            f"/api/v1/orders/{order.pk}/documents",
            {"type": "tax_invoice"},
            **{"Accept-Language": "en"},
        ),
        201,
    )
    found = ok(api.get(f"/api/v1/orders/{order.pk}/documents", **{"Accept-Language": "en"}))

    assert document["title"] == "Tax invoice"  # the screen speaks English…
    assert document["lines"][-1]["description"] == "ค่าจัดส่ง"  # …the document stays Thai
    assert found["journal_entries"][0]["description"].startswith("ใบกำกับภาษี INV-")
    assert found["journal_entries"][0]["lines"][0]["account_name"] == "ลูกหนี้การค้า"
