"""The integrations screens through Django's test client as a signed-in member, against the real
services and a fake PEAK over HTTP: the outbox's failures and their retry, the PEAK settings
(secrets never shown again), webhooks (the secret shown once), the dashboard warning and the
PEAK state on a document's page."""

import re
import socket

import pytest
from django.test import Client

from talad.accounting.models import PeakLink, PeakState
from talad.integrations.models import (
    MessageStatus,
    OutboxMessage,
    PeakConnection,
    Topic,
    WebhookSubscription,
)
from talad.integrations.peak.services import PRODUCTION_URL, UAT_URL
from talad.integrations.sealed import unseal
from talad.integrations.webhooks.services import subscribe
from talad.shops.actors import Actor
from talad.shops.services import create_shop
from tests.accounting.factories import act, documents, goods, prepaid_order, vat_shop
from tests.fakes.peak import FakePeak
from tests.integrations.helpers import BY, connect_peak, run_outbox
from tests.orders.test_views import signed_in
from tests.web.test_i18n import THAI, switch_to

pytestmark = pytest.mark.django_db

CONNECT_KEY = "ck-live-5f1e9a7c0b3d"
USER_TOKEN = "ut-live-8a2c4e6f1d09"


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def peak():
    with FakePeak(connect_key=CONNECT_KEY, user_token=USER_TOKEN) as fake:
        yield fake


@pytest.fixture
def one_retry(settings):
    """One retry, not waited for: a delivery PEAK keeps refusing is parked after two tries."""
    settings.TALAD_OUTBOX_RETRY_DELAYS = [0]


@pytest.fixture
def private_webhooks(settings):
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = True


def html(page) -> str:
    return page.content.decode()


def token_in(page, form_action: str) -> str:
    text = html(page)
    text = text[text.index(f'action="{form_action}"') :] if form_action else text
    return re.search(r'name="form_token" value="([0-9a-f]+)"', text)[1]


def connect(shop, fake, **changes):
    return connect_peak(shop, fake, connect_key=CONNECT_KEY, user_token=USER_TOKEN, **changes)


def paid_order(shop, sku="MUG"):
    order = prepaid_order(shop, goods(shop, sku))
    act(order, "pay")
    return order


def failed_receipt(shop, fake, faults=2):
    """A paid order whose receipt PEAK refused on every try: parked as failed."""
    connect(shop, fake)
    fake.fail_next("/receipts", "row_error", count=faults, message="Invalid account code 410101")
    (document,) = documents(paid_order(shop))
    assert run_outbox() == {"retry": 1, "failed": 1}
    message = OutboxMessage.objects.for_shop(shop).get(status=MessageStatus.FAILED)
    assert message.topic == Topic.PEAK_DOCUMENT
    return document, message


def closed_port_url() -> str:
    """An address on this machine where nothing listens: every delivery is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def peak_form(page, **fields) -> dict:
    data = {
        "form_token": token_in(page, ""),
        "base_url": "production",
        "base_url_custom": "",
        "connect_id": "CID",
        "connect_key": "",
        "user_token": "",
        "signature": "hex",
        "timeout": "30",
        "enabled": "on",
        "send_cod_remittances": "on",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


# --- Pages and who sees them ----------------------------------------------------------------


def test_every_integrations_page_opens_in_thai_for_the_owner(shop, private_webhooks):
    sub, _secret = subscribe(shop=shop, url=closed_port_url(), events=["*"], by=BY)
    owner = signed_in(shop)

    pages = {
        "/integrations/": "รายการที่ส่งไม่สำเร็จ",
        "/integrations/peak/": "เชื่อมต่อ PEAK",
        "/integrations/webhooks/": "เพิ่ม webhook",
        f"/integrations/webhooks/{sub.pk}/": "ประวัติการส่ง",
    }
    for url, words in pages.items():
        page = owner.get(url)
        assert page.status_code == 200, url
        assert '<html lang="th">' in html(page) and words in html(page), url
    assert 'href="/integrations/"' in html(owner.get("/"))  # in the menu, beside the settings
    home = html(owner.get("/integrations/"))
    assert "ยังไม่ได้เชื่อมต่อ PEAK" in home and "ไม่มีรายการที่ส่งไม่สำเร็จ" in home


def test_the_integrations_pages_speak_english_after_switching(private_webhooks):
    shop = create_shop(
        name="Lamp Shop",
        slug="lamp-shop",
        owner_email="founder@example.com",
        password="x-secret-9",
        by=Actor.system("test"),
    )
    sub, _secret = subscribe(shop=shop, url=closed_port_url(), events=["*"], by=BY)
    owner = signed_in(shop)
    switch_to(owner, "en")

    for url in ["/integrations/", "/integrations/peak/", "/integrations/webhooks/",
                f"/integrations/webhooks/{sub.pk}/"]:  # fmt: skip
        page = owner.get(url)
        assert page.status_code == 200, url
        left = set(THAI.findall(html(page))) - {"ตลาด", "ไทย"}
        assert not left, f"{url} shows Thai in English: {sorted(left)}"
    assert "Failed deliveries" in html(owner.get("/integrations/"))


def test_a_packer_is_refused_and_each_role_reaches_what_its_capabilities_allow(
    shop, private_webhooks
):
    sub, _secret = subscribe(shop=shop, url=closed_port_url(), events=["*"], by=BY)
    pages = ["/integrations/", "/integrations/peak/", "/integrations/webhooks/",
             f"/integrations/webhooks/{sub.pk}/"]  # fmt: skip
    packer, staff = signed_in(shop, "packer"), signed_in(shop, "staff")
    admin, accountant = signed_in(shop, "admin"), signed_in(shop, "accountant")

    for url in pages:
        assert packer.get(url).status_code == 403, url
        assert staff.get(url).status_code == 403, url
        assert Client().get(url)["Location"].startswith("/login/"), url
    assert packer.post("/integrations/outbox/1/retry/").status_code == 403
    assert 'href="/integrations/"' not in html(packer.get("/orders/"))
    # PEAK credentials are money settings: the owner's and the accountant's, not the admin's.
    assert admin.get("/integrations/").status_code == 200
    assert admin.get("/integrations/peak/").status_code == 403
    assert 'href="/integrations/peak/"' not in html(admin.get("/integrations/"))
    assert accountant.get("/integrations/peak/").status_code == 200
    # Webhooks are shop settings: the accountant sees them but cannot change them.
    listing = html(accountant.get("/integrations/webhooks/"))
    assert sub.url in listing and 'data-testid="subscribe"' not in listing
    assert accountant.post(f"/integrations/webhooks/{sub.pk}/delete/").status_code == 403
    assert 'data-testid="subscribe"' in html(admin.get("/integrations/webhooks/"))


def test_changes_are_post_only(shop, private_webhooks):
    sub, _secret = subscribe(shop=shop, url=closed_port_url(), events=["*"], by=BY)
    owner = signed_in(shop)
    for url in ["/integrations/outbox/1/retry/", "/integrations/peak/test/",
                "/integrations/webhooks/new/", f"/integrations/webhooks/{sub.pk}/delete/",
                f"/integrations/webhooks/{sub.pk}/deliveries/1/replay/"]:  # fmt: skip
        assert owner.get(url).status_code == 405, url


# --- PEAK settings --------------------------------------------------------------------------


def test_saving_peak_settings_never_shows_the_secrets_again_and_blank_keeps_them(shop):
    owner = signed_in(shop)
    page = owner.get("/integrations/peak/")
    assert "ยังไม่ได้ใส่" in html(page)

    saved = owner.post(
        "/integrations/peak/",
        peak_form(
            page,
            base_url="uat",
            connect_key=CONNECT_KEY,
            user_token=USER_TOKEN,
            document_types=["receipt_tax_invoice", "credit_note"],
            payment_method_transfer="pm-transfer-id",
            account_code_sales="410101",
        ),
        follow=True,
    )

    text = html(saved)
    assert saved.status_code == 200 and "บันทึกการเชื่อมต่อ PEAK แล้ว" in text
    assert CONNECT_KEY not in text and USER_TOKEN not in text
    assert text.count("บันทึกไว้แล้ว") == 2
    assert 'value="pm-transfer-id"' in text and 'value="410101"' in text
    connection = PeakConnection.objects.for_shop(shop).get()
    assert connection.base_url == UAT_URL
    assert connection.document_types == ["receipt_tax_invoice", "credit_note"]
    assert connection.payment_method_ids == {"transfer": "pm-transfer-id"}
    assert connection.account_codes == {"sales": "410101"}
    assert unseal(connection.connect_key_sealed) == CONNECT_KEY

    again = owner.post(
        "/integrations/peak/",
        peak_form(saved, base_url="production", timeout="12", enabled=None),
        follow=True,
    )

    assert again.status_code == 200
    connection.refresh_from_db()
    assert unseal(connection.connect_key_sealed) == CONNECT_KEY
    assert unseal(connection.user_token_sealed) == USER_TOKEN
    assert connection.base_url == PRODUCTION_URL
    assert connection.timeout == 12.0 and connection.enabled is False
    assert connection.payment_method_ids == {} and connection.account_codes == {}


def test_a_refused_peak_setting_is_shown_beside_its_field_without_echoing_the_secret(shop):
    owner = signed_in(shop)
    page = owner.get("/integrations/peak/")
    new_key = "ck-typed-but-refused-77"

    refused = owner.post(
        "/integrations/peak/",
        peak_form(page, connect_key=new_key, user_token=USER_TOKEN, timeout="500"),
    )
    missing = owner.post("/integrations/peak/", peak_form(page, connect_key=new_key))
    custom = owner.post(
        "/integrations/peak/",
        peak_form(page, base_url="custom", base_url_custom="ftp://peak.example.com"),
    )

    assert refused.status_code == 400
    assert re.search(r'data-error-for="timeout">[^<]*1–120', html(refused))
    assert missing.status_code == 400 and 'data-error-for="user_token"' in html(missing)
    assert custom.status_code == 400 and 'data-error-for="base_url"' in html(custom)
    for page in (refused, missing, custom):
        assert new_key not in html(page) and USER_TOKEN not in html(page)
    assert not PeakConnection.objects.for_shop(shop).exists()


def test_the_test_button_says_peak_accepts_the_keys_and_shows_peak_s_refusal_of_a_wrong_key(
    shop, peak
):
    owner = signed_in(shop)
    page = owner.get("/integrations/peak/")
    owner.post(
        "/integrations/peak/",
        peak_form(
            page,
            base_url="custom",
            base_url_custom=peak.url,
            connect_key=CONNECT_KEY,
            user_token=USER_TOKEN,
        ),
    )

    ok = owner.post("/integrations/peak/test/", follow=True)

    assert "เชื่อมต่อ PEAK สำเร็จ" in html(ok)
    assert 'data-testid="last-check"' in html(ok) and "ทดสอบล่าสุด" in html(ok)
    assert peak.token_requests == 1
    page = owner.get("/integrations/peak/")
    owner.post(
        "/integrations/peak/",
        peak_form(page, base_url="custom", base_url_custom=peak.url, connect_key="wrong-key"),
    )

    refused = owner.post("/integrations/peak/test/", follow=True)

    assert "Invalid Connect ID or Connect Key" in html(refused)
    assert "wrong-key" not in html(refused)
    connection = PeakConnection.objects.for_shop(shop).get()
    assert connection.last_check_ok is False and connection.last_checked_at is not None
    assert "ไม่สำเร็จ" in html(owner.get("/integrations/"))


# --- Failed messages and their retry -------------------------------------------------------


def test_a_message_peak_kept_refusing_is_listed_and_the_retry_button_sends_it_once(
    shop, peak, one_retry
):
    document, message = failed_receipt(shop, peak)
    owner = signed_in(shop)

    page = html(owner.get("/integrations/"))

    assert f'data-message="{message.pk}"' in page
    assert "Invalid account code 410101" in page and "เอกสารเข้า PEAK" in page
    assert document.number in page
    assert re.search(r'data-testid="peak-failed">1<', page)
    assert f'action="/integrations/outbox/{message.pk}/retry/"' in page

    retried = owner.post(
        f"/integrations/outbox/{message.pk}/retry/", {"next": "/integrations/"}, follow=True
    )

    assert retried.redirect_chain[-1][0] == "/integrations/"
    assert "นำกลับเข้าคิวส่งแล้ว" in html(retried)
    assert f'data-message="{message.pk}"' not in html(retried)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.attempts == 0
    assert run_outbox() == {"sent": 1}
    assert peak.count("receipts", document.number) == 1
    again = owner.post(f"/integrations/outbox/{message.pk}/retry/", follow=True)
    assert "ส่งซ้ำได้เฉพาะรายการที่ส่งไม่สำเร็จ" in html(again)


def test_a_retry_never_leaves_the_site_whatever_next_says(shop, peak, one_retry):
    _document, message = failed_receipt(shop, peak)
    owner = signed_in(shop)

    answer = owner.post(
        f"/integrations/outbox/{message.pk}/retry/", {"next": "https://evil.example.com/"}
    )

    assert answer.status_code == 302 and answer["Location"] == "/integrations/"


def test_another_shop_s_message_and_subscription_are_not_found(shop, peak, one_retry, settings):
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = True
    other = vat_shop()
    _document, message = failed_receipt(other, peak)
    sub, _secret = subscribe(shop=other, url=closed_port_url(), events=["*"], by=BY)
    owner = signed_in(shop)

    assert owner.post(f"/integrations/outbox/{message.pk}/retry/").status_code == 404
    assert owner.get(f"/integrations/webhooks/{sub.pk}/").status_code == 404
    assert owner.post(f"/integrations/webhooks/{sub.pk}/delete/").status_code == 404
    replay = f"/integrations/webhooks/{sub.pk}/deliveries/{message.pk}/replay/"
    assert owner.post(replay).status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "Invalid account code" not in html(owner.get("/integrations/"))


# --- Webhooks -------------------------------------------------------------------------------


def test_a_webhook_s_secret_is_shown_once_when_it_is_made_and_never_on_the_list(
    shop, private_webhooks
):
    owner = signed_in(shop)
    page = owner.get("/integrations/webhooks/")
    form = {
        "form_token": token_in(page, "/integrations/webhooks/new/"),
        "url": "http://127.0.0.1:8999/talad",
        "events": ["order.created", "document.issued"],
    }

    made = owner.post("/integrations/webhooks/new/", form)

    assert made.status_code == 200
    sub = WebhookSubscription.objects.for_shop(shop).get()
    secret = unseal(sub.secret_sealed)
    assert re.search(r'data-testid="new-secret">([^<]+)<', html(made))[1] == secret
    assert sub.events == ["document.issued", "order.created"]
    assert secret not in str(dict(owner.session.items()))
    listing = html(owner.get("/integrations/webhooks/"))
    assert "http://127.0.0.1:8999/talad" in listing and secret not in listing
    twice = owner.post("/integrations/webhooks/new/", form)
    assert twice.status_code == 302 and WebhookSubscription.objects.for_shop(shop).count() == 1
    assert secret not in html(owner.get(twice["Location"]))


def test_a_webhook_without_events_or_to_a_bad_url_is_refused_beside_the_field(
    shop, private_webhooks
):
    owner = signed_in(shop)
    page = owner.get("/integrations/webhooks/")
    token = token_in(page, "/integrations/webhooks/new/")

    no_events = owner.post("/integrations/webhooks/new/", {"form_token": token, "url": "http://x"})
    bad_url = owner.post(
        "/integrations/webhooks/new/",
        {"form_token": token, "url": "ftp://example.com", "events": ["*"]},
    )

    assert no_events.status_code == 400
    assert re.search(r'data-error-for="events">เลือกอย่างน้อยหนึ่งเหตุการณ์', html(no_events))
    assert bad_url.status_code == 400 and 'data-error-for="url"' in html(bad_url)
    assert 'data-testid="new-secret"' not in html(bad_url)


def test_a_subscription_s_deliveries_show_each_try_and_a_failed_one_is_replayed(
    shop, one_retry, private_webhooks
):
    sub, _secret = subscribe(
        shop=shop, url=closed_port_url(), events=["order.status_changed"], by=BY
    )
    paid_order(shop)
    assert run_outbox() == {"retry": 1, "failed": 1}
    message = OutboxMessage.objects.for_shop(shop).get(topic=Topic.WEBHOOK)
    owner = signed_in(shop)

    page = html(owner.get(f"/integrations/webhooks/{sub.pk}/"))

    assert f'data-message="{message.pk}"' in page
    assert message.payload["event_id"] in page and "order.status_changed" in page
    assert "ส่งไม่สำเร็จ" in page and "ติดต่อผู้รับไม่ได้" in page
    replay = f"/integrations/webhooks/{sub.pk}/deliveries/{message.pk}/replay/"
    assert f'action="{replay}"' in page

    replayed = owner.post(replay, follow=True)

    assert replayed.redirect_chain[-1][0] == f"/integrations/webhooks/{sub.pk}/"
    assert "นำกลับเข้าคิวส่งแล้ว" in html(replayed)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert "รายการนี้กำลังรอส่งอยู่แล้ว" in html(owner.post(replay, follow=True))


def test_removing_a_webhook_takes_it_off_the_list(shop, private_webhooks):
    sub, _secret = subscribe(shop=shop, url=closed_port_url(), events=["*"], by=BY)
    owner = signed_in(shop)

    removed = owner.post(f"/integrations/webhooks/{sub.pk}/delete/", follow=True)

    assert removed.redirect_chain[-1][0] == "/integrations/webhooks/"
    assert f'data-subscription="{sub.pk}"' not in html(removed)
    assert owner.get(f"/integrations/webhooks/{sub.pk}/").status_code == 404


# --- The dashboard and the document page ----------------------------------------------------


def test_the_dashboard_warns_only_when_something_failed_and_only_those_who_can_act(
    shop, peak, one_retry
):
    owner, staff = signed_in(shop), signed_in(shop, "staff")
    connect(shop, peak)
    paid_order(shop, "CUP")
    run_outbox()
    assert 'data-testid="failed-deliveries"' not in html(owner.get("/"))

    failed_receipt(shop, peak)

    warned = html(owner.get("/"))
    assert 'data-testid="failed-deliveries"' in warned
    assert "มี 1 รายการที่ส่งออกไม่สำเร็จ" in warned and 'href="/integrations/"' in warned
    assert 'data-testid="failed-deliveries"' not in html(staff.get("/"))


def test_a_document_page_shows_where_it_stands_in_peak(shop, peak, one_retry):
    owner = signed_in(shop)
    (unsent,) = documents(paid_order(shop, "BOWL"))
    page = html(owner.get(f"/accounting/documents/{unsent.pk}/"))
    assert "ยังไม่ส่งเข้า PEAK" in page

    connect(shop, peak)
    (sent,) = documents(paid_order(shop, "MUG"))
    assert "รอส่งเข้า PEAK" in html(owner.get(f"/accounting/documents/{sent.pk}/"))
    run_outbox()
    link = PeakLink.objects.for_shop(shop).get(document=sent)
    page = html(owner.get(f"/accounting/documents/{sent.pk}/"))

    assert link.status == PeakState.SENT and link.link
    assert "ส่งเข้า PEAK แล้ว" in page and sent.number in page
    assert f'href="{link.link}"' in page and "เปิดใน PEAK" in page
    assert 'data-testid="peak-retry"' not in page


def test_a_failed_document_is_sent_again_from_its_own_page(shop, peak, one_retry):
    document, message = failed_receipt(shop, peak)
    owner, staff = signed_in(shop), signed_in(shop, "staff")
    url = f"/accounting/documents/{document.pk}/"

    page = html(owner.get(url))

    assert "ส่งเข้า PEAK ไม่สำเร็จ" in page and "Invalid account code 410101" in page
    assert f'action="/integrations/outbox/{message.pk}/retry/"' in page
    assert 'data-testid="peak-retry"' not in html(staff.get(url))  # staff cannot retry

    retried = owner.post(f"/integrations/outbox/{message.pk}/retry/", {"next": url}, follow=True)

    assert retried.redirect_chain[-1][0] == url
    assert "รอส่งเข้า PEAK" in html(retried)
    run_outbox()
    assert "ส่งเข้า PEAK แล้ว" in html(owner.get(url))
    assert peak.count("receipts", document.number) == 1
