"""A customer's transfer slip: uploaded with the payment on the order page, re-encoded without
its EXIF, stored under the shop, and opened only by the shop's own members."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from talad.errors import TaladError
from talad.orders.models import Order, Status
from talad.orders.services import transition
from talad.payments.models import Payment
from talad.payments.slips import MAX_SLIP_BYTES
from tests.conftest import make_variant
from tests.orders.factories import make_order
from tests.payments.test_cod_views import signed_in, token_of
from tests.shipping.helpers import SYSTEM

SECRET = "13.7563,100.5018 home of the customer"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo_with_exif(kind="JPEG") -> bytes:
    """A phone's photo of a slip, with where it was taken in its EXIF."""
    image = Image.new("RGB", (60, 90), (20, 120, 60))
    exif = Image.Exif()
    exif[0x010E] = SECRET  # ImageDescription
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    out = io.BytesIO()
    image.save(out, kind, exif=exif.tobytes())
    return out.getvalue()


def slip_upload(content: bytes, name="slip.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def unpaid(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    return make_order(shop, shirt, payment_method="transfer")


def pay_on_the_page(client, order, slip) -> None:
    page = client.get(f"/orders/{order.pk}/")
    answer = client.post(
        f"/orders/{order.pk}/action/pay/",
        {
            "form_token": token_of(page),
            "amount": str(order.total),
            "method": "transfer",
            "slip": slip,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]


def slip_link(client, order) -> str:
    html = client.get(f"/orders/{order.pk}/").content.decode()
    return re.search(r'href="([^"]+)" data-testid="slip-link"', html).group(1)


def test_the_slip_link_on_the_order_page_opens_the_slip_without_its_exif(shop, unpaid):
    client = signed_in(shop)
    pay_on_the_page(client, unpaid, slip_upload(photo_with_exif()))

    opened = client.get(slip_link(client, unpaid))

    assert opened.status_code == 200
    assert opened["Content-Type"] == "image/jpeg"
    assert opened["X-Content-Type-Options"] == "nosniff"
    assert opened["Content-Disposition"] == f'inline; filename="slip-{unpaid.number}.jpg"'
    served = Image.open(io.BytesIO(opened.content))
    assert served.format == "JPEG"
    assert dict(served.getexif()) == {}
    assert SECRET.encode() not in opened.content
    assert served.size == (90, 60)  # turned upright before the orientation tag was dropped
    payment = Payment.objects.for_shop(shop).get(order=unpaid)
    assert payment.slip.name.startswith(f"slips/{shop.pk}/")


def test_a_screenshot_slip_stays_a_png(shop, unpaid):
    client = signed_in(shop)
    pay_on_the_page(client, unpaid, slip_upload(photo_with_exif("PNG"), "screen.png"))

    opened = client.get(slip_link(client, unpaid))

    assert opened["Content-Type"] == "image/png"
    assert SECRET.encode() not in opened.content


def test_the_slip_does_not_open_for_another_shop_or_someone_of_no_shop(shop, other_shop, unpaid):
    client = signed_in(shop)
    pay_on_the_page(client, unpaid, slip_upload(photo_with_exif()))
    link = slip_link(client, unpaid)

    stranger = signed_in(other_shop)
    nobody = Client()
    user = get_user_model().objects.create_user(
        username="walkin@example.com", email="walkin@example.com", password="pw-123456"
    )
    nobody.force_login(user)

    assert stranger.get(link).status_code == 404
    assert nobody.get(link).status_code == 404
    assert Client().get(link).status_code == 302  # to the login page
    assert client.get(link).status_code == 200


def test_a_file_that_is_not_an_image_refuses_the_payment_and_keeps_nothing(shop, unpaid, media):
    page_of_text = SimpleUploadedFile("slip.jpg", b"<html><script>alert(1)</script>", "image/jpeg")

    with pytest.raises(TaladError) as refused:
        transition(
            order=unpaid,
            action="pay",
            by=SYSTEM,
            amount=unpaid.total,
            method="transfer",
            slip=page_of_text,
        )

    assert refused.value.fields == {"slip": "not_an_image"}
    assert Order.objects.for_shop(shop).get(pk=unpaid.pk).status == Status.PENDING
    assert not Payment.objects.for_shop(shop).exists()


def test_a_slip_larger_than_the_limit_is_refused_by_its_size(shop, unpaid):
    huge = SimpleUploadedFile("slip.jpg", b"\xff\xd8" + b"0" * MAX_SLIP_BYTES, "image/jpeg")

    with pytest.raises(TaladError) as refused:
        transition(
            order=unpaid, action="pay", by=SYSTEM, amount=unpaid.total, method="transfer", slip=huge
        )

    assert refused.value.fields == {"slip": "too_large"}
    assert not Payment.objects.for_shop(shop).exists()


def test_a_gif_is_not_a_slip(shop, unpaid):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")

    with pytest.raises(TaladError) as refused:
        transition(
            order=unpaid,
            action="pay",
            by=SYSTEM,
            amount=unpaid.total,
            method="transfer",
            slip=slip_upload(out.getvalue(), "slip.gif"),
        )

    assert refused.value.fields == {"slip": "unsupported_type"}
