"""The warehouse in the browser, against the real server (see conftest.py): scan-to-pack as a
keyboard-wedge scanner uses it (it types the code into the focused box and presses Enter),
and printing the orders selected on the order desk."""

from playwright.sync_api import expect

from talad.paper import pdf_text, poppler_available
from tests.e2e.conftest import PHONE

# A stand-in for the browser's WebAudio, recording each tone the page plays: headless
# chromium has no sound card, and "refused loudly" is what is being checked.
RECORD_TONES = """
window.__tones = [];
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createOscillator() {
    return { type: "", frequency: { value: 0 }, connect: (node) => node,
             start() { window.__tones.push(this.type); }, stop() {} };
  }
  createGain() { return { gain: { value: 0 }, connect: (node) => node }; }
};
"""


def scanner(page, box: str, code: str) -> None:
    """What a keyboard-wedge scanner does: type into the focused box, then Enter."""
    expect(page.locator(box)).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def status_of(server, order: dict) -> dict:
    status, body = server.api("GET", f"/api/v1/orders/{order['id']}")
    assert status == 200, body
    return body


def test_a_wrong_scan_is_refused_and_a_complete_box_is_packed(server, open_page):
    order = server.order("NP-KUNG", 2, name="คุณสแกน แพ็คครบ")
    server.act(order, "pay", {"amount": order["total"], "method": "transfer"})
    page = open_page()
    page.add_init_script(RECORD_TONES)

    page.goto("/shipping/pack/")
    scanner(page, "#scan-order", order["number"])
    count = page.get_by_test_id("count-NP-KUNG")
    expect(count).to_have_text("0/2")

    scanner(page, "#scan-item", "HB-INH")
    message = page.get_by_test_id("scan-message")
    expect(message).to_have_class("scan-message refused")
    expect(message).to_contain_text("ผิดรายการ: HB-INH")
    expect(count).to_have_text("0/2")
    assert page.evaluate("window.__tones") == ["square", "square"]  # the low double buzz
    assert status_of(server, order)["status"] == "to_pack"

    scanner(page, "#scan-item", "NP-KUNG")
    expect(count).to_have_text("1/2")
    expect(message).to_have_class("scan-message ok")
    scanner(page, "#scan-item", "NP-KUNG")

    expect(page.get_by_test_id("packed-status")).to_have_text("รอส่ง")
    expect(message).to_contain_text(f"แพ็คเรียบร้อย {order['number']}")
    expect(page.locator("#scan-order")).to_be_focused()  # the next order, straight away
    assert status_of(server, order)["status"] == "to_ship"


def test_on_a_phone_a_parcel_with_its_tracking_number_ships_once_packed(server, open_page):
    order = server.order("HB-INH", 1, name="คุณมือถือ พร้อมส่ง", method="cod")
    server.act(order, "confirm_cod")
    page = open_page(PHONE)

    page.goto("/shipping/pack/")
    scanner(page, "#scan-order", order["number"].lower())
    expect(page.get_by_test_id("count-HB-INH")).to_have_text("0/1")
    page.locator("details summary").click()
    page.select_option("#pack-carrier", "flash")
    tracking = f"TH{order['id']:010d}"
    page.fill("#pack-tracking", tracking.lower())
    page.get_by_test_id("save-tracking").click()
    expect(page.get_by_test_id("tracking")).to_have_text(tracking)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"] + 2, f"{overflow} px of content on a 390 px screen"

    page.locator("#scan-item").focus()
    scanner(page, "#scan-item", "hb-inh")

    expect(page.get_by_test_id("packed-status")).to_have_text("จัดส่งแล้ว")
    body = status_of(server, order)
    assert (body["status"], body["carrier"], body["tracking_number"]) == (
        "shipped",
        "flash",
        tracking,
    )


# Where the desk's print buttons send the browser: recorded instead of opening a tab, so the
# test can fetch the same URL with the seller's cookies.
RECORD_OPEN = "window.open = (url) => { window.__opened = String(url); return null; };"


def test_the_desk_prints_the_selected_orders_as_one_pdf_in_the_layout_chosen(server, open_page):
    first = server.order("NP-KUNG", 1, name="คุณพิมพ์ ใบแรก")
    second = server.order("HB-INH", 1, name="คุณพิมพ์ ใบสอง")
    page = open_page()
    page.add_init_script(RECORD_OPEN)
    page.goto("/orders/")
    page.locator(f'input[name="order_ids"][value="{second["id"]}"]').check()
    page.locator(f'input[name="order_ids"][value="{first["id"]}"]').check()
    page.select_option("#print-layout", "a4")

    page.get_by_test_id("print-labels").click()

    opened = page.evaluate("window.__opened")
    assert "/shipping/print/labels/?" in opened and "layout=a4" in opened
    response = page.request.get(opened)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    if poppler_available():
        text = pdf_text(response.body())
        assert text.count("\f") == 1  # both labels on one A4 sheet
        assert "คุณพิมพ์ ใบแรก" in text and "คุณพิมพ์ ใบสอง" in text
    page.reload()
    expect(page.locator("#print-layout")).to_have_value("a4")  # the seller's choice is kept
