"""The integrations API: a shop connects PEAK without ever reading its keys back, watches and
retries what Talad sends out, and sees where each document stands in PEAK."""

import json

import pytest

from talad.accounting.models import Document
from talad.integrations.models import (
    MessageStatus,
    OutboxMessage,
    PeakConnection,
    Topic,
    WebhookSubscription,
)
from talad.shops.models import AuditEntry
from tests.accounting.factories import act, goods, prepaid_order, vat_shop
from tests.conftest import ApiClient, token_for
from tests.fakes.peak import FakePeak
from tests.fakes.receiver import Receiver
from tests.integrations.helpers import connect_peak, run_outbox

pytestmark = pytest.mark.django_db

PEAK = "/api/v1/integrations/peak"
CONNECT_KEY = "ck-live-7f3a9b2e41d8"
USER_TOKEN = "ut-live-5c6d0e1f2a3b"


@pytest.fixture
def peak():
    with FakePeak(connect_key=CONNECT_KEY, user_token=USER_TOKEN) as fake:
        yield fake


@pytest.fixture
def hook(settings):
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        yield receiver


def vat_shop_with_api():
    shop = vat_shop()
    return shop, ApiClient(token_for(shop))


def connect(shop, peak):
    return connect_peak(shop, peak, connect_key=CONNECT_KEY, user_token=USER_TOKEN)


def put(api, path, body=None, raw=None):
    return api._call("put", path, body, raw=raw)


def delete(api, path):
    return api._call("delete", path)


def connection_body(peak, **changes):
    return {
        "base_url": peak.url,
        "connect_id": "CID",
        "connect_key": CONNECT_KEY,
        "user_token": USER_TOKEN,
        "timeout": 2.0,
        **changes,
    }


def saved(shop) -> dict | None:
    """Everything stored about the shop's PEAK connection, secrets included (sealed)."""
    row = PeakConnection.objects.for_shop(shop).values().first()
    if row:
        row.pop("updated_at")
    return row


def assert_error(response, status, field):
    """The error names `field` (or something inside it: `options.juristic_type`)."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert any(name == field or name.startswith(f"{field}.") for name in error["fields"]), error
    return error


# --- The PEAK connection ------------------------------------------------------------------------


def test_peak_keys_go_in_and_never_come_back_out(api, shop, peak):
    answers = [put(api, PEAK, connection_body(peak)), api.get(PEAK)]
    answers.append(api.post(f"{PEAK}/test"))
    answers.append(put(api, PEAK, {"timeout": 5}))
    answers.append(api.get(PEAK))

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 200]
    for answer in answers:
        assert CONNECT_KEY.encode() not in answer.content
        assert USER_TOKEN.encode() not in answer.content
    body = answers[-1].json()
    assert body["connected"] is True
    assert (body["connect_key_set"], body["user_token_set"]) == (True, True)
    assert "connect_key" not in body and "user_token" not in body
    assert (body["base_url"], body["connect_id"], body["timeout"]) == (peak.url, "CID", 5.0)
    stored = json.dumps(saved(shop), default=str)
    assert CONNECT_KEY not in stored and USER_TOKEN not in stored  # sealed at rest, too
    audit = json.dumps(list(AuditEntry.objects.filter(shop=shop).values("before", "after")))
    assert CONNECT_KEY not in audit and USER_TOKEN not in audit


@pytest.mark.parametrize("keep", [{}, {"connect_key": "", "user_token": ""}])
def test_leaving_a_key_out_or_blank_keeps_the_one_on_file(api, shop, peak, keep):
    assert put(api, PEAK, connection_body(peak)).status_code == 200

    response = put(api, PEAK, {"timeout": 3, **keep})

    assert response.status_code == 200, response.content
    assert response.json()["timeout"] == 3.0
    assert (response.json()["connect_key_set"], response.json()["user_token_set"]) == (True, True)
    test = api.post(f"{PEAK}/test")
    assert test.status_code == 200
    assert test.json()["ok"] is True, test.json()


def test_a_new_connection_without_its_keys_is_refused_naming_what_is_missing(api, shop, peak):
    response = put(api, PEAK, {"base_url": peak.url, "connect_id": "CID"})

    error = assert_error(response, 400, "connect_key")
    assert error["fields"] == {"connect_key": "required", "user_token": "required"}
    assert saved(shop) is None


def test_an_unknown_field_is_refused_by_name_and_nothing_is_saved(api, shop, peak):
    assert put(api, PEAK, connection_body(peak)).status_code == 200
    before = saved(shop)

    response = put(api, PEAK, {"timeout": 9, "connect_kee": "typo-of-a-secret"})

    assert_error(response, 422, "connect_kee")
    assert b"typo-of-a-secret" not in response.content
    assert saved(shop) == before


def test_an_unknown_field_on_a_first_connection_saves_nothing_either(api, shop, peak):
    response = put(api, PEAK, connection_body(peak, sandbox=True))

    assert_error(response, 422, "sandbox")
    assert saved(shop) is None
    assert api.get(PEAK).json()["connected"] is False


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"signature": "rot13"}, 422, "signature"),
        ({"timeout": 0}, 422, "timeout"),
        ({"timeout": 121}, 422, "timeout"),
        ({"timeout": "fast"}, 422, "timeout"),
        ({"enabled": "yes"}, 422, "enabled"),
        ({"connect_id": ""}, 422, "connect_id"),
        ({"document_types": ["delivery_note"]}, 400, "document_types"),
        ({"document_types": "receipt"}, 422, "document_types"),
        ({"account_codes": {"petty_cash": "111101"}}, 400, "account_codes"),
        ({"account_codes": {"sales": ""}}, 422, "account_codes.sales"),
        ({"options": {"colour": 1}}, 400, "options"),
        ({"options": {"juristic_type": "3"}}, 422, "options.juristic_type"),
        ({"options": {"juristic_type": 2**40}}, 422, "options.juristic_type"),
        ({"payment_method_ids": {"bitcoin": "pm-1"}}, 422, "payment_method_ids.bitcoin"),
        ({"base_url": "ftp://peak.example.com"}, 400, "base_url"),
    ],
)
def test_a_bad_setting_is_refused_naming_the_field_and_nothing_changes(
    api, shop, peak, change, status, field
):
    assert put(api, PEAK, connection_body(peak)).status_code == 200
    before = saved(shop)
    audits = AuditEntry.objects.filter(shop=shop).count()

    response = put(api, PEAK, {"timeout": 7, **change})

    assert_error(response, status, field)
    assert saved(shop) == before
    assert AuditEntry.objects.filter(shop=shop).count() == audits


def test_account_codes_payment_methods_and_options_are_kept_as_given(api, shop, peak):
    assert put(api, PEAK, connection_body(peak)).status_code == 200
    maps = {
        "account_codes": {"sales": "410199"},
        "payment_method_ids": {"transfer": "11111111-1111-4111-8111-000000000002"},
        "options": {"juristic_type": 3},
        "document_types": ["receipt_tax_invoice"],
    }

    response = put(api, PEAK, maps)

    assert response.status_code == 200, response.content
    assert {k: response.json()[k] for k in maps} == maps
    assert {k: api.get(PEAK).json()[k] for k in maps} == maps


@pytest.mark.parametrize("raw", ['{"timeout": NaN}', '{"timeout": Infinity}', "[]", "{"])
def test_a_body_that_is_not_a_plain_json_object_of_settings_is_a_4xx(api, shop, peak, raw):
    assert put(api, PEAK, connection_body(peak)).status_code == 200
    before = saved(shop)

    response = put(api, PEAK, raw=raw)

    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]["fields"]
    assert saved(shop) == before


def test_the_connection_test_says_what_peak_answered(api, shop, peak):
    assert put(api, PEAK, connection_body(peak)).status_code == 200
    ok = api.post(f"{PEAK}/test")
    assert ok.status_code == 200 and ok.json()["ok"] is True

    assert put(api, PEAK, {"connect_key": "not-the-key"}).status_code == 200
    wrong = api.post(f"{PEAK}/test")

    assert wrong.status_code == 200
    assert wrong.json()["ok"] is False
    assert "Invalid Connect ID or Connect Key" in wrong.json()["message"]
    check = api.get(PEAK).json()["last_check"]
    assert check["ok"] is False and "Invalid Connect ID" in check["message"]
    assert check["at"] is not None


def test_the_connection_test_for_a_peak_that_cannot_be_reached_is_a_clear_no(api, shop):
    with FakePeak() as gone:
        body = connection_body(gone)
    assert put(api, PEAK, body).status_code == 200

    response = api.post(f"{PEAK}/test")

    assert response.status_code == 200
    assert response.json()["ok"] is False and response.json()["message"]


def test_testing_a_connection_the_shop_has_not_made_is_a_404(api):
    response = api.post(f"{PEAK}/test")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- Who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("owner", True), ("accountant", True), ("admin", False), ("staff", False), ("packer", False)],
)
def test_only_the_owner_and_the_accountant_may_change_or_test_the_peak_connection(
    shop, peak, role, allowed
):
    connect(shop, peak)
    before = saved(shop)
    api = ApiClient(token_for(shop, role))

    changed = put(api, PEAK, {"timeout": 9})
    tested = api.post(f"{PEAK}/test")

    if allowed:
        assert (changed.status_code, tested.status_code) == (200, 200)
        assert saved(shop)["timeout"] == 9.0
    else:
        assert (changed.status_code, tested.status_code) == (403, 403)
        assert changed.json()["error"]["code"] == "forbidden"
        assert saved(shop) == before


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("owner", True), ("admin", True), ("accountant", False), ("staff", False), ("packer", False)],
)
def test_only_the_owner_and_an_admin_may_manage_webhooks(shop, hook, role, allowed):
    api = ApiClient(token_for(shop, role))
    owner = ApiClient(token_for(shop))
    theirs = owner.post("/api/v1/webhooks", {"url": hook.url, "events": ["*"]}).json()

    made = api.post("/api/v1/webhooks", {"url": hook.url, "events": ["*"]})
    removed = delete(api, f"/api/v1/webhooks/{theirs['id']}")

    if allowed:
        assert (made.status_code, removed.status_code) == (201, 204)
        assert WebhookSubscription.objects.for_shop(shop).filter(active=True).count() == 1
    else:
        assert (made.status_code, removed.status_code) == (403, 403)
        assert WebhookSubscription.objects.for_shop(shop).filter(active=True).count() == 1
        assert WebhookSubscription.objects.for_shop(shop).get().pk == theirs["id"]


@pytest.mark.parametrize(
    ("role", "sees"),
    [("owner", True), ("admin", True), ("accountant", True), ("staff", False), ("packer", False)],
)
def test_the_outbox_peak_and_webhooks_are_for_those_who_run_the_shop_or_keep_its_books(
    shop, role, sees
):
    api = ApiClient(token_for(shop, role))
    answers = [api.get(p).status_code for p in (PEAK, "/api/v1/outbox", "/api/v1/webhooks")]

    assert answers == ([200] * 3 if sees else [403] * 3)


# --- The outbox ---------------------------------------------------------------------------------


@pytest.fixture
def busy_outbox(peak, hook, settings):
    """A VAT shop with three paid orders: each one's receipt PEAK refused for good, and each
    one's `order.status_changed` delivered to its webhook."""
    settings.TALAD_OUTBOX_RETRY_DELAYS = [0, 0, 0]
    shop, api = vat_shop_with_api()
    connect(shop, peak)
    made = api.post("/api/v1/webhooks", {"url": hook.url, "events": ["order.status_changed"]})
    assert made.status_code == 201
    peak.fail_next("/receipts", "row_error", count=12, message="Invalid account code 410101")
    for sku in ("MUG", "CUP", "BOWL"):
        act(prepaid_order(shop, goods(shop, sku)), "pay")
    assert run_outbox() == {"sent": 3, "retry": 9, "failed": 3}
    return shop, api


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [m["id"] for m in response.json()["items"]]


def test_the_outbox_lists_newest_first_and_filters_by_status_and_topic(busy_outbox):
    shop, api = busy_outbox
    mine = OutboxMessage.objects.for_shop(shop)
    failed = sorted(mine.filter(status="failed").values_list("pk", flat=True), reverse=True)
    webhooks = sorted(mine.filter(topic="webhook").values_list("pk", flat=True), reverse=True)

    assert ids(api.get("/api/v1/outbox")) == sorted(mine.values_list("pk", flat=True))[::-1]
    assert ids(api.get("/api/v1/outbox?status=failed")) == failed
    assert ids(api.get("/api/v1/outbox?topic=webhook")) == webhooks
    assert ids(api.get("/api/v1/outbox?status=failed&topic=peak.document")) == failed
    assert ids(api.get("/api/v1/outbox?status=sent&topic=peak.document")) == []
    (one,) = api.get("/api/v1/outbox?status=failed&limit=1").json()["items"]
    assert one["topic"] == "peak.document" and "Invalid account code 410101" in one["last_error"]
    assert [a["outcome"] for a in one["attempt_log"]] == ["error"] * 4


def test_the_outbox_pages_with_a_cursor_without_gaps_or_repeats(busy_outbox):
    shop, api = busy_outbox
    seen, cursor, pages = [], "", 0
    while True:
        response = api.get(f"/api/v1/outbox?limit=4&cursor={cursor}")
        seen += ids(response)
        pages += 1
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert pages == 2
    assert seen == sorted(OutboxMessage.objects.for_shop(shop).values_list("pk", flat=True))[::-1]


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=lost", "status"), ("topic=email", "topic"), ("cursor=%%%", "cursor")],
)
def test_a_bad_outbox_filter_is_refused_naming_it(api, query, field):
    response = api.get(f"/api/v1/outbox?{query}")

    assert 400 <= response.status_code < 500
    assert field in response.json()["error"]["fields"]


@pytest.mark.usefixtures("no_retry_wait")
def test_a_message_peak_refused_for_good_goes_again_once_when_retried(settings, peak):
    settings.TALAD_OUTBOX_RETRY_DELAYS = [0, 0]
    shop, api = vat_shop_with_api()
    connect(shop, peak)
    peak.fail_next("/receipts", "row_error", count=3, message="Invalid account code 410101")
    order = prepaid_order(shop, goods(shop))
    act(order, "pay")
    assert run_outbox() == {"retry": 2, "failed": 1}
    (message,) = OutboxMessage.objects.for_shop(shop).filter(topic=Topic.PEAK_DOCUMENT)

    retried = api.post(f"/api/v1/outbox/{message.pk}/retry")

    assert retried.status_code == 200, retried.content
    assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 0)
    assert len(retried.json()["attempt_log"]) == 3  # the earlier tries stay in the log
    assert run_outbox() == {"sent": 1}
    (document,) = Document.objects.for_shop(shop).filter(order=order)
    assert peak.count("receipts", document.number) == 1
    after = api.get(f"/api/v1/outbox/{message.pk}").json()
    assert after["status"] == "sent" and after["last_error"] == ""
    assert [a["outcome"] for a in after["attempt_log"]] == ["error"] * 3 + ["sent"]
    assert after["result"]["code"] == document.number


def test_a_message_that_was_delivered_or_is_waiting_cannot_be_retried(peak):
    shop, api = vat_shop_with_api()
    connect(shop, peak)
    act(prepaid_order(shop, goods(shop)), "pay")
    (message,) = OutboxMessage.objects.for_shop(shop).filter(topic=Topic.PEAK_DOCUMENT)

    waiting = api.post(f"/api/v1/outbox/{message.pk}/retry")
    run_outbox()
    delivered = api.post(f"/api/v1/outbox/{message.pk}/retry")

    assert (waiting.status_code, delivered.status_code) == (409, 409)
    assert delivered.json()["error"] == {
        "code": "conflict",
        "message": delivered.json()["error"]["message"],
        "fields": {"status": "sent"},
    }
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert peak.count("receipts", message.payload["number"]) == 1


# --- Another shop's rows ------------------------------------------------------------------------


def test_another_shop_s_outbox_messages_and_webhooks_are_not_found(api, other_shop, hook):
    theirs = ApiClient(token_for(other_shop))
    sub = theirs.post("/api/v1/webhooks", {"url": hook.url, "events": ["*"]}).json()
    order = prepaid_order(other_shop, goods(other_shop))
    act(order, "pay")
    run_outbox()
    message = OutboxMessage.objects.for_shop(other_shop).filter(topic=Topic.WEBHOOK).first()
    OutboxMessage.objects.for_shop(other_shop).filter(pk=message.pk).update(status="failed")
    before = list(OutboxMessage.objects.for_shop(other_shop).values("pk", "status", "attempts"))

    answers = [
        api.get(f"/api/v1/outbox/{message.pk}"),
        api.post(f"/api/v1/outbox/{message.pk}/retry"),
        delete(api, f"/api/v1/webhooks/{sub['id']}"),
        api.get(f"/api/v1/webhooks/{sub['id']}/deliveries"),
        api.post(f"/api/v1/webhooks/{sub['id']}/deliveries/{message.pk}/replay"),
    ]

    for answer in answers:
        assert answer.status_code == 404, answer.content
        assert answer.json()["error"]["code"] == "not_found"
    assert ids(api.get("/api/v1/outbox")) == []
    assert api.get("/api/v1/webhooks").json()["items"] == []
    assert WebhookSubscription.objects.for_shop(other_shop).get().active is True
    assert list(OutboxMessage.objects.for_shop(other_shop).values("pk", "status", "attempts")) == (
        before
    )


def test_a_delivery_is_replayed_only_through_its_own_subscription(api, shop, hook):
    first = api.post("/api/v1/webhooks", {"url": f"{hook.url}/a", "events": ["*"]}).json()
    second = api.post("/api/v1/webhooks", {"url": f"{hook.url}/b", "events": ["*"]}).json()
    act(prepaid_order(shop, goods(shop)), "pay")
    run_outbox()
    delivery = api.get(f"/api/v1/webhooks/{first['id']}/deliveries").json()["items"][0]

    wrong = api.post(f"/api/v1/webhooks/{second['id']}/deliveries/{delivery['id']}/replay")
    right = api.post(f"/api/v1/webhooks/{first['id']}/deliveries/{delivery['id']}/replay")

    assert wrong.status_code == 404
    assert right.status_code == 200 and right.json()["event_id"] == delivery["event_id"]


# --- Documents carry their PEAK state -----------------------------------------------------------


def peak_state(api, order, document) -> tuple[dict, dict]:
    listed = api.get(f"/api/v1/orders/{order.pk}/documents")
    single = api.get(f"/api/v1/documents/{document.pk}")
    assert (listed.status_code, single.status_code) == (200, 200)
    (from_list,) = [d for d in listed.json()["documents"] if d["id"] == document.pk]
    return from_list["peak"], single.json()["peak"]


def test_a_document_of_a_shop_without_peak_says_not_sent():
    shop, api = vat_shop_with_api()
    order = act(prepaid_order(shop, goods(shop)), "pay")
    (document,) = Document.objects.for_shop(shop).filter(order=order)

    listed, single = peak_state(api, order, document)

    assert (
        listed
        == single
        == {
            "status": "not_sent",
            "id": None,
            "code": None,
            "link": None,
            "error": None,
            "outbox_message_id": None,
        }
    )


def test_a_document_shows_queued_then_sent_with_peak_s_id_code_and_link(peak):
    shop, api = vat_shop_with_api()
    connect(shop, peak)
    order = act(prepaid_order(shop, goods(shop)), "pay")
    (document,) = Document.objects.for_shop(shop).filter(order=order)
    (message,) = OutboxMessage.objects.for_shop(shop).filter(topic=Topic.PEAK_DOCUMENT)

    listed, single = peak_state(api, order, document)
    assert listed == single
    assert (single["status"], single["outbox_message_id"], single["id"]) == (
        "queued",
        message.pk,
        None,
    )

    run_outbox()

    listed, single = peak_state(api, order, document)
    (row,) = peak.rows("receipts")
    assert (
        listed
        == single
        == {
            "status": "sent",
            "id": row["id"],
            "code": document.number,
            "link": row["documentLink"],
            "error": None,
            "outbox_message_id": message.pk,
        }
    )


@pytest.mark.usefixtures("no_retry_wait")
def test_a_document_peak_refused_for_good_shows_failed_with_peak_s_message(peak):
    shop, api = vat_shop_with_api()
    connect(shop, peak)
    peak.fail_next("/receipts", "row_error", count=4, message="Invalid account code 410101")
    order = act(prepaid_order(shop, goods(shop)), "pay")
    (document,) = Document.objects.for_shop(shop).filter(order=order)
    run_outbox()

    listed, single = peak_state(api, order, document)

    assert listed == single
    assert single["status"] == "failed"
    assert "Invalid account code 410101" in single["error"]


# --- The API describes itself -------------------------------------------------------------------

DOCUMENTED = {
    ("/api/v1/integrations/peak", "get"): {"200", "403"},
    ("/api/v1/integrations/peak", "put"): {"200", "400", "403", "422"},
    ("/api/v1/integrations/peak/test", "post"): {"200", "403", "404"},
    ("/api/v1/outbox", "get"): {"200", "400", "403", "422"},
    ("/api/v1/outbox/{message_id}", "get"): {"200", "403", "404"},
    ("/api/v1/outbox/{message_id}/retry", "post"): {"200", "403", "404", "409"},
    ("/api/v1/webhooks", "get"): {"200", "403"},
    ("/api/v1/webhooks", "post"): {"201", "400", "403", "409", "422"},
    ("/api/v1/webhooks/{subscription_id}", "delete"): {"204", "403", "404"},
    ("/api/v1/webhooks/{subscription_id}/deliveries", "get"): {"200", "400", "403", "404"},
    ("/api/v1/webhooks/{subscription_id}/deliveries/{message_id}/replay", "post"): {
        "200",
        "403",
        "404",
        "409",
    },
}


def test_the_openapi_document_lists_the_integration_paths_and_their_error_statuses(db):
    response = ApiClient(None).get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for (path, method), statuses in DOCUMENTED.items():
        assert path in paths, path
        assert method in paths[path], (path, method)
        assert statuses <= set(paths[path][method]["responses"]), (path, method)
    peak_out = response.json()["components"]["schemas"]["PeakOut"]["properties"]
    assert {"connect_key_set", "user_token_set"} <= set(peak_out)
    assert not {"connect_key", "user_token"} & set(peak_out)
    peak_in = response.json()["components"]["schemas"]["PeakIn"]
    assert peak_in.get("additionalProperties") is False
