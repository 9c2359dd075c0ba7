"""Marketplace payouts on the web, as a signed-in member: a report uploaded, its rows listed
with the column of each mismatch, and another shop's report a 404."""

import pytest

from talad.payments.models import MarketplacePayout
from tests.accounting.factories import goods, vat_shop
from tests.orders.factories import make_order
from tests.orders.test_views import signed_in, token_of
from tests.payments.test_cod_views import counts
from tests.shipping.helpers import csv_file, upload

pytestmark = pytest.mark.django_db

PAYOUTS = "/payments/payouts/"
REPORT = csv_file(
    [
        ["order_id", "order_amount", "commission", "net_paid"],
        ["SP-1", "1070.00", "-53.50", "1016.50"],
        ["SP-2", "1000.00", "-50.00", "950.00"],
    ]
)


@pytest.fixture
def shop():
    return vat_shop()


def test_a_seller_uploads_a_shopee_report_and_sees_each_order_s_result(shop):
    mug = goods(shop)
    make_order(shop, mug, channel="shopee", external_id="SP-1")
    make_order(shop, mug, channel="shopee", external_id="SP-2")
    client = signed_in(shop)
    form = client.get(PAYOUTS)
    assert form.status_code == 200

    response = client.post(
        PAYOUTS,
        {"form_token": token_of(form), "channel": "shopee", "file": upload(REPORT, "income.csv")},
        follow=True,
    )

    assert response.status_code == 200
    assert counts(response)["settled"] == 1 and counts(response)["amount_mismatch"] == 1
    page = response.content.decode()
    assert "คอลัมน์ order_amount" in page and "1070.00" in page
    assert 'data-testid="settled-net"><b>฿1,016.50' in page


def test_another_shop_s_report_is_not_found(shop):
    other = vat_shop()
    make_order(other, goods(other), channel="shopee", external_id="SP-1")
    theirs = signed_in(other)
    theirs.post(
        PAYOUTS,
        {
            "form_token": token_of(theirs.get(PAYOUTS)),
            "channel": "shopee",
            "file": upload(REPORT, "income.csv"),
        },
    )
    payout = MarketplacePayout.objects.for_shop(other).get()

    mine = signed_in(shop)
    assert mine.get(f"{PAYOUTS}{payout.pk}/").status_code == 404
    assert "income.csv" not in mine.get(PAYOUTS).content.decode()


def test_a_packer_has_no_payouts_page(shop):
    assert signed_in(shop, role="packer").get(PAYOUTS).status_code == 403
