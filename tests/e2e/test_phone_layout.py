"""On a phone (390 px) every page of the app fits the screen, and the order screens' buttons
say what they do (issue 11: buttons, phone layout, product search).

Every page comes from the URL conf, so a page added later is checked too: each named route is
fetched once as the owner; an HTML page is then opened at 390 px and must not be wider than
the screen. A route that answers GET with 405 only takes a POST (an action, not a page); one
that answers with a file (PDF, CSV, image) or an htmx fragment is part of a page checked
elsewhere. A route with an id in its path gets a real id of this shop from `samples`; a new one
the test cannot fill fails with its name, so nobody forgets to give it one.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

# Routes that are not pages of their own, and why; everything else is found out by asking.
NOT_PAGES = {
    "shipping:print_labels": "a PDF of the orders ticked on the desk (needs ?order_ids=)",
    "shipping:print_pick_list": "a PDF of the orders ticked on the desk (needs ?order_ids=)",
    "shipping:print_packing_slips": "a PDF of the orders ticked on the desk (needs ?order_ids=)",
    "shipping:pack_find": "the scan-to-pack page's lookup (htmx, needs ?q=)",
    "channels:line_row": "one line of the new-order page (htmx, needs ?sku=)",
    "payments:slip": "a payment slip image",
    "login": "sends a signed-in owner on; checked signed out below",
    "set_language": "switches the language and goes back (a POST from every page's header)",
    "accounting:credit_note": "only for a tax invoice of a VAT-registered shop; the e2e shop is not",
}
# Pages that need a query to be a page at all.
QUERIES = {"inventory:sku": "?sku=BAG-CRM", "channels:product_search": "?q=BAG"}


def routes():
    """(name, route) of every named route of the app, the API and Django's admin left out."""

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith(("api/", "admin/")):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def fill(route: str, values: dict[str, object]) -> str:
    """The path of `route` with its <converter:name> parts filled from `values`."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), route)


@pytest.fixture(scope="module")
def samples(server, browser, owner_session):
    """Real ids of the e2e shop for routes with an id in the path, made or found through the
    public API (as an integration would) so the pages have something to show."""
    order = server.order("BAG-CRM", name="คุณมือถือ ทดสอบ")
    _status, products = server.api("GET", "/api/v1/products?limit=1")
    _status, documents = server.api("GET", "/api/v1/documents?limit=1")
    context = browser.new_context(base_url=server.url)
    try:
        statement = context.request.post(
            "/api/v1/cod/statements",
            headers={"Authorization": f"Bearer {server.token}"},
            multipart={
                "file": {
                    "name": "flash.csv",
                    "mimeType": "text/csv",
                    "buffer": b"tracking_number,cod\nTH9999999999E2E,100.00\n",
                },
                "carrier": "flash",
            },
        ).json()
        payout = context.request.post(
            "/api/v1/payouts",
            headers={"Authorization": f"Bearer {server.token}"},
            multipart={
                "file": {
                    "name": "shopee-income.csv",
                    "mimeType": "text/csv",
                    "buffer": b"order_id,order_amount,net_paid\nE2E-NONE-1,100.00,95.00\n",
                },
                "channel": "shopee",
            },
        ).json()
    finally:
        context.close()
    status, webhook = server.api(
        "POST",
        "/api/v1/webhooks",
        {"url": "https://93.184.215.14/e2e", "events": ["order.created"]},
    )
    assert status == 201, webhook
    document = documents["items"][0]["id"]
    return {
        "orders:detail": {"pk": order["id"]},
        "orders:correct": {"pk": order["id"]},
        "orders:customer": {"pk": order["customer"]["customer_id"]},
        "accounting:issue": {"order_pk": order["id"]},
        "catalog:edit": {"pk": products["items"][0]["id"]},
        "accounting:document": {"pk": document},
        "accounting:document_pdf": {"pk": document},
        "accounting:credit_note": {"pk": document},
        "payments:cod_statement": {"pk": statement["id"]},
        "integrations:webhook": {"pk": webhook["id"]},
        "payments:payout": {"pk": payout["id"]},
        "channel_stock:xlsx": {"channel": "shopee"},
        "channel_stock:csv": {"channel": "shopee"},
        "channel_stock:set_buffer": {"channel": "shopee"},
    }


def overflow(page) -> dict:
    """How far the page, or anything on it outside a scrolling table, reaches past the screen."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll("body *")]
            .filter((e) => !e.closest(".table-wrap, .menu, .tabs") && e.getBoundingClientRect().right > width + 1)
            .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ")[0] : ""));
          return {scroll: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5)};
        }"""
    )


def test_every_page_fits_a_390_px_phone(open_page, samples):
    page = open_page(PHONE)
    visited, actions, parts, problems = [], [], [], []
    for name, route in routes():
        if name in NOT_PAGES:
            continue
        path = fill(route, samples.get(name, {})) + QUERIES.get(name, "")
        response = page.request.get(path, max_redirects=0)
        kind = response.headers.get("content-type", "")
        if response.status == 405:
            actions.append(name)
            continue
        if response.status == 200 and "text/html" not in kind:
            parts.append(name)
            continue
        if response.status == 200 and "<html" not in response.text()[:500]:
            parts.append(name)
            continue
        if response.status != 200:
            problems.append(f"{name} {path}: {response.status} (give it a sample or a query)")
            continue
        page.goto(path)
        reach = overflow(page)
        if reach["scroll"] > 0 or reach["wide"]:
            problems.append(f"{name} {path}: {reach['scroll']} px too wide, {reach['wide']}")
        visited.append(name)
    print(f"pages {len(visited)}, post-only {len(actions)}, parts {len(parts)}")
    assert not problems, "\n".join(problems)
    # The pages the issue names are among them, so the walk cannot quietly skip them all.
    assert {"orders:desk", "orders:detail", "channels:new_order", "inventory:sku"} <= set(visited)


def test_the_login_page_fits_a_phone_too(open_page):
    page = open_page(PHONE, logged_in=False)
    page.goto("/login/")
    reach = overflow(page)
    assert reach == {"scroll": 0, "wide": []}


def scrolls_sideways(locator) -> bool:
    return locator.evaluate("(e) => e.scrollWidth > e.clientWidth + 1")


def test_the_desk_the_new_order_and_the_order_page_are_cards_on_a_phone(open_page, server):
    page = open_page(PHONE)
    page.goto("/orders/")
    desk = page.locator("#orders")
    expect(desk.locator("tbody tr").first).to_be_visible()
    assert not scrolls_sideways(page.locator(".table-wrap").filter(has=desk))
    width = page.evaluate("document.documentElement.clientWidth")
    for total in page.get_by_test_id("row-total").all()[:10]:
        box = total.bounding_box()
        assert box["x"] + box["width"] <= width, "a total is cut off"

    page.goto("/orders/new/")
    page.locator("#picker-q").fill("BAG-CRM")
    page.locator('#picker button[data-sku="BAG-CRM"]').click()
    line = page.locator("#lines tr").filter(has_text="BAG-CRM")
    price = line.locator('input[name="line_price"]')
    expect(price).to_have_value("249.00")
    assert not scrolls_sideways(price), "the price does not fit its box"
    assert not scrolls_sideways(page.locator(".table-wrap").filter(has=page.locator("#lines")))
    sku = line.locator("td.sku").bounding_box()
    assert sku["height"] < 2 * 24, "the SKU wraps letter by letter"

    order = server.order("BAG-CRM", 2, name="คุณการ์ด ทดสอบ")
    page.goto(f"/orders/{order['id']}/")
    lines = page.locator(".table-wrap").filter(has=page.locator("table.order-lines"))
    assert not scrolls_sideways(lines)
    total = page.get_by_test_id("total").bounding_box()
    assert total["x"] + total["width"] <= width, "the order's total is cut off"


def test_the_cancel_button_is_red_and_outlined_and_the_next_step_is_the_main_button(
    open_page, server
):
    order = server.order("HB-INH", name="คุณปุ่ม ทดสอบ")
    page = open_page(PHONE)
    page.goto(f"/orders/{order['id']}/")

    def colours(test_id):
        return page.get_by_test_id(test_id).evaluate(
            "(e) => { const s = getComputedStyle(e); return [s.backgroundColor, s.color]; }"
        )

    brand, bad, white = "rgb(11, 122, 83)", "rgb(180, 35, 24)", "rgb(255, 255, 255)"
    assert colours("open-pay") == [brand, white]
    assert colours("open-cancel") == [white, bad]
    page.locator('details[data-action="cancel"] summary').click()
    assert colours("do-cancel") == [white, bad]
    expect(page.get_by_test_id("do-cancel")).to_have_text("ยกเลิกออเดอร์")


def test_bulk_cancel_needs_a_reason_asks_first_and_select_all_ticks_every_order(open_page, server):
    name = "คุณยกเลิกทีเดียว ทดสอบ"
    orders = [server.order("SOAP-TUR", name=name) for _ in range(2)]
    page = open_page(PHONE)
    page.goto("/orders/?q=" + name)
    boxes = page.locator("#orders input[name=order_ids]")
    expect(boxes).to_have_count(2)
    page.get_by_test_id("select-all").check()
    for box in boxes.all():
        expect(box).to_be_checked()
    boxes.first.uncheck()
    expect(page.get_by_test_id("select-all")).not_to_be_checked()
    page.get_by_test_id("select-all").check()

    page.locator("summary", has_text="จัดการหลายออเดอร์").click()  # folded on a phone
    page.select_option("#bulk-action", "cancel")
    submit = page.get_by_test_id("bulk-submit")
    expect(submit).to_have_class(re.compile(r"\bdanger\b"))
    submit.click()
    reason = page.locator("#bulk-reason")
    assert reason.evaluate("(e) => e.validationMessage") == "กรอกเหตุผลที่ยกเลิกก่อน"

    reason.fill("ลูกค้าขอยกเลิกทั้งสองออเดอร์")
    questions = []

    def answer(accept):
        def handle(dialog):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    submit.click()
    expect(submit).to_be_enabled()
    statuses = {server.api("GET", f"/api/v1/orders/{o['id']}")[1]["status"] for o in orders}
    assert statuses == {"pending"}

    page.once("dialog", answer(True))
    submit.click()
    expect(page.locator("#bulk-results tr[data-ok=yes]")).to_have_count(2)
    assert questions == ["ยืนยันยกเลิกออเดอร์ที่เลือก 2 รายการ?"] * 2
    statuses = {server.api("GET", f"/api/v1/orders/{o['id']}")[1]["status"] for o in orders}
    assert statuses == {"cancelled"}


def test_a_pasted_two_word_thai_name_finds_the_product_without_a_key_press(open_page):
    page = open_page(PHONE)
    page.goto("/orders/new/")
    page.locator("#picker-q").fill("กระเป๋า ครีม")  # as a paste: an input event, no key
    results = page.locator("#picker button[data-sku]")
    expect(results).to_have_count(1)
    expect(results).to_have_attribute("data-sku", "BAG-CRM")
    assert not scrolls_sideways(page.locator("#picker"))
