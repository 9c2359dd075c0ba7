"""A seller's day in the browser, against the real server (see conftest.py for the set-up)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import OWNER_EMAIL, PASSWORD, PHONE, SHOP_NAME

CHAT = "สมชาย ใจดี 081-234-5678 99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120"


def stock_row(page, sku: str):
    """The SKU's row on the stock page (the main warehouse), as numbers."""
    page.goto(f"/stock/?q={sku}")
    row = page.locator(f'#stock tr[data-sku="{sku}"]').first
    return {
        col: int(row.locator(f'[data-col="{col}"]').inner_text())
        for col in ("on_hand", "reserved", "available")
    }


def test_seller_logs_in_with_email_and_password_and_gets_to_the_page_asked_for(open_page):
    page = open_page(logged_in=False)
    page.goto("/orders/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/orders/$"))

    page.fill("#id_username", OWNER_EMAIL)
    page.fill("#id_password", "not-the-password")
    page.click("form button[type=submit]")
    expect(page.locator(".errorlist")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value(OWNER_EMAIL)

    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/orders/$"))
    expect(page.locator("#orders tbody tr").first).to_be_visible()
    expect(page.locator("#shop-select")).to_contain_text(SHOP_NAME)
    expect(page.locator("html")).to_have_attribute("lang", "th")

    page.locator(".menu a").filter(has_text="ภาพรวม").click()
    expect(page.locator("h1")).to_contain_text(SHOP_NAME)
    expect(page.locator(".tiles .tile")).to_have_count(8)


def test_order_from_a_pasted_chat_is_saved_and_shows_on_the_order_desk(seller):
    page = seller
    page.goto("/orders/new/")
    page.fill("#id_chat_text", CHAT)
    page.get_by_test_id("parse").click()

    expect(page.locator("#id_name")).to_have_value("สมชาย ใจดี")
    expect(page.locator("#id_phone")).to_have_value(re.compile(r"081-?234-?5678"))
    expect(page.locator("#id_address_line")).to_have_value(re.compile(r"99/1"))
    expect(page.locator("#id_subdistrict")).to_have_value("คลองหนึ่ง")
    expect(page.locator("#id_district")).to_have_value("คลองหลวง")
    expect(page.locator("#id_province")).to_have_value("ปทุมธานี")
    expect(page.locator("#id_postcode")).to_have_value("12120")

    page.locator("#picker-q").press_sequentially("NP-KUNG")
    page.locator('#picker button[data-sku="NP-KUNG"]').click()
    line = page.locator("#lines tr").filter(has_text="NP-KUNG")
    expect(line).to_have_count(1)
    expect(page.get_by_test_id("grand-total")).to_have_text("฿89.00")
    quantity = line.locator('input[name="line_qty"]')
    quantity.fill("2")
    quantity.press("Tab")
    expect(page.get_by_test_id("grand-total")).to_have_text("฿178.00")

    page.locator("#picker-q").fill("")
    page.locator("#picker-q").press_sequentially("HB-INH")
    page.locator('#picker button[data-sku="HB-INH"]').click()
    expect(page.get_by_test_id("grand-total")).to_have_text("฿213.00")
    page.locator("#lines tr").filter(has_text="HB-INH").get_by_role("button").click()
    expect(page.get_by_test_id("grand-total")).to_have_text("฿178.00")

    page.get_by_test_id("save-order").click()
    expect(page).to_have_url(re.compile(r"/orders/\d+/$"))
    expect(page.get_by_test_id("status")).to_have_text("รอชำระเงิน")
    expect(page.get_by_test_id("total")).to_contain_text("178")
    number = page.locator("h1").inner_text().split()[0]

    page.goto("/orders/")
    row = page.locator(f'#orders tr[data-order="{number}"]')
    expect(row).to_contain_text("สมชาย ใจดี")
    expect(row).to_contain_text("รอชำระเงิน")


def test_paying_an_order_on_its_page_moves_it_to_to_pack(seller, server):
    order = server.order("CF-DOI-250", name="คุณวิภา ชำระแล้ว")
    page = seller
    page.goto(f"/orders/{order['id']}/")
    expect(page.get_by_test_id("status")).to_have_text("รอชำระเงิน")

    pay = page.locator('details[data-action="pay"]')
    pay.locator("summary").click()
    expect(pay.locator('input[name="amount"]')).to_have_value(re.compile(r"^320(\.00)?$"))
    pay.locator('input[name="reference"]').fill("KBANK 0042")
    page.get_by_test_id("do-pay").click()

    expect(page.get_by_test_id("status")).to_have_text("รอแพ็ค")
    expect(page.get_by_test_id("payment-status")).to_have_text("ชำระแล้ว")
    expect(page.locator("#actions")).not_to_contain_text("ยืนยันการชำระเงิน")


def test_cancelling_an_order_gives_its_stock_back_on_the_stock_page(seller, server):
    page = seller
    before = stock_row(page, "SUN-50")
    order = server.order("SUN-50", 3, name="คุณก้อง ยกเลิก")
    held = stock_row(page, "SUN-50")
    assert held["reserved"] == before["reserved"] + 3
    assert held["available"] == before["available"] - 3

    page.goto(f"/orders/{order['id']}/")
    cancel = page.locator('details[data-action="cancel"]')
    cancel.locator("summary").click()
    cancel.locator('input[name="reason"]').fill("ลูกค้าขอยกเลิก")
    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_test_id("do-cancel").click()
    expect(page.get_by_test_id("status")).to_have_text("ยกเลิก")
    assert questions == ["ยืนยันยกเลิกออเดอร์นี้?"]

    assert stock_row(page, "SUN-50") == before


def test_dismissing_the_cancel_question_keeps_the_order(seller, server):
    order = server.order("HB-INH", name="คุณนิด เปลี่ยนใจ")
    page = seller
    page.goto(f"/orders/{order['id']}/")
    cancel = page.locator('details[data-action="cancel"]')
    cancel.locator("summary").click()
    cancel.locator('input[name="reason"]').fill("กดผิด")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_test_id("do-cancel").click()

    page.reload()
    expect(page.get_by_test_id("status")).to_have_text("รอชำระเงิน")
    status, body = server.api("GET", f"/api/v1/orders/{order['id']}")
    assert (status, body["status"]) == (200, "pending")


def test_receiving_stock_on_the_stock_page_adds_it_and_writes_the_ledger(seller):
    page = seller
    before = stock_row(page, "BAG-NVY")
    page.locator('#stock tr[data-sku="BAG-NVY"] a').first.click()
    expect(page.locator("h1")).to_contain_text("BAG-NVY")
    receipts = page.locator('#ledger tr[data-kind="receive"]').count()

    receive = page.locator('details[data-action="receive"]')
    receive.locator("summary").click()
    receive.locator('input[name="receive-quantity"]').fill("12")
    receive.locator('input[name="receive-unit_cost"]').fill("95")
    receive.locator('input[name="receive-reason"]').fill("ล็อตใหม่จากโรงงาน")
    page.get_by_test_id("do-receive").click()

    expect(page.locator(".messages")).to_contain_text("BAG-NVY")
    expect(page.locator('#ledger tr[data-kind="receive"]')).to_have_count(receipts + 1)
    expect(page.locator("#ledger")).to_contain_text("ล็อตใหม่จากโรงงาน")
    after = stock_row(page, "BAG-NVY")
    assert after["on_hand"] == before["on_hand"] + 12
    assert after["available"] == before["available"] + 12


def test_bulk_packing_three_orders_packs_two_and_refuses_the_unpaid_one(seller, server):
    paid = [server.order("SOAP-TUR", name=f"คุณแพ็ค {n}") for n in (1, 2)]
    for order in paid:
        server.act(order, "pay", {"amount": order["total"], "method": "transfer"})
    unpaid = server.order("SOAP-TUR", name="คุณยังไม่โอน")
    page = seller
    page.goto("/orders/")
    for order in [*paid, unpaid]:
        page.get_by_label(order["number"], exact=True).check()
    page.select_option("#bulk-action", "pack")
    page.get_by_test_id("bulk-submit").click()

    results = page.locator("#bulk-results")
    expect(results.locator('tr[data-ok="yes"]')).to_have_count(2)
    refused = results.locator('tr[data-ok="no"]')
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text(unpaid["number"])
    reason = refused.locator("td").nth(2).inner_text().strip()
    assert reason, "a refused order says why"
    for order in paid:
        expect(results.locator('tr[data-ok="yes"]', has_text=order["number"])).to_have_count(1)

    statuses = {
        o["number"]: server.api("GET", f"/api/v1/orders/{o['id']}")[1]["status"]
        for o in [*paid, unpaid]
    }
    assert statuses == {
        paid[0]["number"]: "to_ship",
        paid[1]["number"]: "to_ship",
        unpaid["number"]: "pending",
    }


def test_switching_to_english_and_back_keeps_the_page_working(seller):
    page = seller
    page.goto("/orders/")
    expect(page.locator("html")).to_have_attribute("lang", "th")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/orders/$"))
    expect(page.locator("#orders tbody tr").first).to_be_visible()
    page.locator(".menu a").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_test_id("lang-th").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_test_id("lang-en")).to_be_visible()


def test_the_order_desk_fits_a_390_px_phone(open_page):
    page = open_page(PHONE)
    page.goto("/orders/")
    expect(page.locator("#orders tbody tr").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 2, f"the page is {width} px wide on a 390 px screen"


def test_the_other_pages_a_seller_uses_fit_a_390_px_phone(open_page, server):
    order = server.order("JN-30", name="คุณมือถือ ทดสอบ")
    page = open_page(PHONE)
    too_wide = {}
    for path in (
        "/",
        "/orders/new/",
        f"/orders/{order['id']}/",
        "/stock/",
        "/stock/sku/?sku=JN-30",
        "/products/",
    ):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] + 2:
            too_wide[path] = width
    assert too_wide == {}
