"""What the desk, the order page and the dashboard say about an order, in the seller's words:
a COD order waiting for confirmation, a delivered COD order the carrier has not paid out, and
where the tracking and status imports are."""

import re
from datetime import timedelta

from django.utils import timezone

from talad.orders.models import Order
from tests.conftest import make_variant
from tests.orders.factories import make_order
from tests.orders.test_views import signed_in
from tests.shipping.helpers import delivered_cod


def test_a_cod_order_waiting_for_confirmation_says_so_and_offers_no_payment(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    cod = make_order(shop, shirt, payment_method="cod")
    transfer = make_order(shop, shirt, payment_method="transfer")
    client = signed_in(shop)

    cod_page = client.get(f"/orders/{cod.pk}/").content.decode()
    transfer_page = client.get(f"/orders/{transfer.pk}/").content.decode()
    desk = client.get("/orders/").content.decode()

    status = re.search(r'data-testid="status">([^<]+)<', cod_page).group(1)
    assert status == "รอยืนยันออเดอร์เก็บเงินปลายทาง"
    assert 'data-action="pay"' not in cod_page and 'data-action="confirm_cod"' in cod_page
    assert re.search(r'data-testid="status">([^<]+)<', transfer_page).group(1) == "รอชำระเงิน"
    assert 'data-action="pay"' in transfer_page
    assert "รอยืนยันออเดอร์เก็บเงินปลายทาง" in desk


def test_the_order_desk_links_to_the_tracking_and_status_imports(shop):
    owner_desk = signed_in(shop).get("/orders/").content.decode()
    packer_desk = signed_in(shop, role="packer").get("/orders/").content.decode()

    assert 'href="/shipping/import/tracking/"' in owner_desk
    assert 'href="/shipping/import/status/"' in owner_desk
    assert 'href="/shipping/import/tracking/"' in packer_desk  # packers ship parcels
    assert 'href="/shipping/import/status/"' not in packer_desk


def test_a_stuck_delivered_cod_order_says_the_carrier_has_not_paid_and_links_to_the_report(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    late = delivered_cod(shop, shirt, tracking="TH0000000777")
    Order.objects.for_shop(shop).filter(pk=late.pk).update(
        status_changed_at=timezone.now() - timedelta(days=30)
    )

    html = signed_in(shop).get("/").content.decode()

    link = re.search(rf'<a href="([^"]+)" data-testid="stuck-cod-{late.pk}">([^<]+)</a>', html)
    assert link is not None
    assert link.group(1) == "/payments/cod/outstanding/?carrier=flash"
    assert link.group(2) == "ขนส่งยังไม่โอนเงิน COD"
