"""The README's screenshots (Thai UI, demo data): rewritten only with TALAD_SCREENSHOTS=1.

`TALAD_SCREENSHOTS=1 TALAD_DATABASE_URL= .venv/bin/pytest tests/e2e/test_screenshots.py`
writes docs/screenshots/*.png; a normal run skips this so tracked files stay as they are.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, SCREENSHOT_DIR, SCREENSHOTS, SHOP_NAME
from tests.e2e.test_seller_journeys import CHAT

pytestmark = pytest.mark.skipif(
    not SCREENSHOTS, reason="set TALAD_SCREENSHOTS=1 to rewrite docs/screenshots/*.png"
)


def shoot(page, name: str, *, full_page: bool = False) -> None:
    """Save the page once its fonts are in, after checking it is Thai and fits its width."""
    page.evaluate("document.fonts.ready.then(() => true)")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    width = page.viewport_size["width"]
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width + 2, f"{name}: {overflow} px of content on a {width} px screen"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=full_page)


def test_screenshots_of_the_thai_ui_for_the_readme(open_page):
    page = open_page()
    page.goto("/")
    expect(page.locator("h1")).to_contain_text(SHOP_NAME)
    expect(page.locator(".chart svg")).to_be_visible()
    shoot(page, "dashboard", full_page=True)

    page.goto("/orders/")
    expect(page.locator("#orders tbody tr").first).to_be_visible()
    shoot(page, "order-desk")

    page.goto("/orders/?status=shipped")
    page.locator("#orders tbody tr a").first.click()
    expect(page.get_by_test_id("status")).to_have_text("จัดส่งแล้ว")
    shoot(page, "order-page", full_page=True)

    page.goto("/orders/new/")
    page.fill("#id_chat_text", CHAT)
    page.get_by_test_id("parse").click()
    expect(page.locator("#id_postcode")).to_have_value("12120")
    page.locator("#picker-q").press_sequentially("NP-KUNG")
    page.locator('#picker button[data-sku="NP-KUNG"]').click()
    expect(page.get_by_test_id("grand-total")).to_have_text("฿89.00")
    shoot(page, "new-order", full_page=True)

    phone = open_page(PHONE)
    phone.goto("/orders/")
    expect(phone.locator("#orders tbody tr").first).to_be_visible()
    shoot(phone, "order-desk-mobile")
