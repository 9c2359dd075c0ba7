"""The warehouse's paper: shipping labels, the pick list and packing slips, read back from the
PDF the way a courier's scanner, a search box or a person would (poppler), plus the print API
and the order desk's "print selected"."""

import os
import re
import subprocess
from decimal import Decimal
from html import unescape

import pytest
import segno
from django.test import Client
from PIL import Image

from talad.catalog.services import create_product
from talad.inventory.services import receive_stock
from talad.orders.inputs import NewOrder
from talad.orders.services import create_order, transition
from talad.paper import pdf_text, poppler_available, render_png
from talad.shipping import labels as label_layout
from talad.shipping.labels import cod_amount, labels_document, orders_to_print
from talad.shipping.picklists import packing_slips_document, pick_list, pick_list_document
from talad.shops.actors import Actor
from talad.shops.services import add_member
from tests.conftest import ApiClient, make_shop, make_variant, token_for
from tests.e2e.conftest import SCREENSHOT_DIR, SCREENSHOTS
from tests.orders.factories import make_order
from tests.paper.test_pdf import decode_code128, read_modules, read_qr

SYSTEM = Actor.system("test")
MM_PER_PT = 25.4 / 72
RECIPIENT = {
    "name": "นางสาวพิมพ์ชนก ศรีสุขสวัสดิ์",
    "phone": "0812345678",
    "address": {
        "line": "88/8 ถนนนิมมานเหมินท์ ซอย 7",
        "subdistrict": "สุเทพ",
        "district": "เมืองเชียงใหม่",
        "province": "เชียงใหม่",
        "postcode": "50200",
    },
}


@pytest.fixture(autouse=True)
def poppler():
    if not poppler_available():
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils (pdftotext, pdftoppm) must be installed in CI")
        pytest.skip("poppler-utils not installed")


@pytest.fixture
def shop(db):
    shop = make_shop(address="12 ถนนเจริญราษฎร์ แขวงบางโคล่ เขตบางคอแหลม กรุงเทพมหานคร 10120")
    shop.name = "ร้านป้าแดงของฝาก"
    shop.save()
    return shop


def order_for(shop, lines, *, customer=RECIPIENT, payment_method="cod", shipping_fee=0):
    order, _created = create_order(
        shop=shop,
        by=SYSTEM,
        order=NewOrder(
            channel="line",
            customer=customer,
            lines=[{"sku": v.sku, "quantity": q} for v, q in lines],
            payment_method=payment_method,
            shipping_fee=shipping_fee,
        ),
    )
    return order


def paid(order):
    return transition(order=order, action="pay", by=SYSTEM, amount=order.total, method="transfer")


def label_pdf(shop, *orders, layout="label") -> bytes:
    return labels_document(shop=shop, order_ids=[o.pk for o in orders], layout=layout)


def pages(pdf: bytes) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]


def words_in_boxes(pdf: bytes) -> list[dict]:
    """Every word pdftotext finds, with its box in mm from the page's top left corner."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    words = []
    for page, body in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", html, re.S), 1):
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            body,
        ):
            box = [float(v) * MM_PER_PT for v in (x0, y0, x1, y1)]
            words.append({"page": page, "text": unescape(text), "box": box})
    return words


def label_image(pdf: bytes, tmp_path, dpi: int) -> Image.Image:
    return Image.open(render_png(pdf, tmp_path / "label.png", dpi=dpi)).convert("L")


# --- Labels --------------------------------------------------------------------------------


def test_a_cod_label_names_the_recipient_postcode_tracking_and_the_money_to_collect(shop, tmp_path):
    gift = make_variant(shop, "GIFT-BOX", on_hand=10, price="500.00")
    order = order_for(shop, [(gift, 2)], shipping_fee="70.00")
    order = transition(order=order, action="confirm_cod", by=SYSTEM)
    order = transition(order=order, action="pack", by=SYSTEM)
    order = transition(
        order=order, action="ship", by=SYSTEM, carrier="flash", tracking_number="th 0123 4567 89a"
    )

    pdf = label_pdf(shop, order)
    text = " ".join(pdf_text(pdf).split())  # lines joined: wrapping is not the point here

    assert order.total == Decimal("1070.00")
    assert "นางสาวพิมพ์ชนก ศรีสุขสวัสดิ์" in text
    assert "50200" in text
    assert "TH0123456789A" in text
    assert "เก็บเงินปลายทาง" in text and "฿1,070.00" in text
    assert "ไม่เก็บเงินปลายทาง" not in text
    assert "ต.สุเทพ อ.เมืองเชียงใหม่ จ.เชียงใหม่" in text
    assert "081-234-5678" in text
    assert "ร้านป้าแดงของฝาก" in text
    assert "2 × GIFT-BOX" in text
    # The courier's scanner reads the tracking number from the bars.
    dpi = 600
    y = label_layout.BARCODE_TOP + label_layout.BARCODE_H / 2
    image = label_image(pdf, tmp_path, dpi)
    module = label_layout.INNER / (len(_bits("TH0123456789A")) + 20)
    assert module >= 0.25  # wide enough for a 203 dpi thermal printer
    bits = read_modules(image, label_layout.PAD, y, label_layout.INNER, module, dpi)
    assert decode_code128(bits) == "TH0123456789A"


def _bits(data: str) -> str:
    from barcode import Code128

    return Code128(data).build()[0]


def test_a_prepaid_parcel_says_there_is_nothing_to_collect_and_carries_the_order_number(
    shop, tmp_path
):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    order = paid(order_for(shop, [(shirt, 1)], payment_method="transfer"))

    pdf = label_pdf(shop, order)
    text = pdf_text(pdf)

    assert "ไม่เก็บเงินปลายทาง" in text
    assert "฿" not in text
    assert f"เลขที่ออเดอร์ {order.number}" in text
    dpi = 600
    image = label_image(pdf, tmp_path, dpi)
    module = label_layout.INNER / (len(_bits(order.number)) + 20)
    y = label_layout.BARCODE_TOP + label_layout.BARCODE_H / 2
    bits = read_modules(image, label_layout.PAD, y, label_layout.INNER, module, dpi)
    assert decode_code128(bits) == order.number
    # The QR in the corner is the order number too (drawn with QR mask 0).
    qr = segno.make_qr(order.number, error="m", mask=0, boost_error=False)
    matrix = [[bool(cell) for cell in row] for row in qr.matrix]
    x, y = label_layout.PAD - 1.5, label_layout.INFO_TOP - 1
    assert read_qr(image, x, y, label_layout.QR_SIZE, len(matrix), dpi) == matrix


def test_the_courier_collects_only_on_cod_orders_not_yet_paid(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    unconfirmed_cod = order_for(shop, [(shirt, 1)])
    confirmed = transition(order=order_for(shop, [(shirt, 1)]), action="confirm_cod", by=SYSTEM)
    transfer = paid(order_for(shop, [(shirt, 1)], payment_method="transfer"))
    unpaid_transfer = order_for(shop, [(shirt, 1)], payment_method="transfer")

    assert cod_amount(unconfirmed_cod) == unconfirmed_cod.total
    assert cod_amount(confirmed) == confirmed.total
    assert cod_amount(transfer) is None
    assert cod_amount(unpaid_transfer) is None


LONG_NAME = (
    "นางสาวพิมพ์ชนกวรรณวิไลลักษณ์ ศรีสุขสวัสดิ์วัฒนากุลประเสริฐศักดิ์ ณ อยุธยา "
    "บริษัทตัวอย่างการค้าออนไลน์ระหว่างประเทศ จำกัด (มหาชน) แผนกจัดซื้อและพัสดุ"
)
LONG_LINE = (
    "อาคารสำนักงานใหญ่ชั้นที่สิบสองห้องหนึ่งสองศูนย์สี่ หมู่บ้านพฤกษาวิลล์ 99/123 หมู่ 4 "
    "ซอยพหลโยธิน 87 แยก 3-5 ถนนพหลโยธิน ใกล้เซเว่นอีเลฟเว่นปากซอย ฝากไว้ที่ป้อมยามหน้าหมู่บ้าน"
    "ได้เลยค่ะ โทรก่อนส่งทุกครั้ง ถ้าไม่รับสายให้ติดต่อคุณสมศรีที่ร้านกาแฟข้างป้อมยามได้เลย"
)


def test_long_thai_names_and_addresses_wrap_and_never_leave_their_part_of_the_label(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    fits = {**RECIPIENT, "address": {**RECIPIENT["address"], "line": LONG_LINE[:160]}}
    too_long = {
        **RECIPIENT,
        "name": LONG_NAME,
        # the longest address line an order keeps (a longer one is refused at intake)
        "address": {**RECIPIENT["address"], "line": LONG_LINE[:255]},
    }
    orders = [order_for(shop, [(shirt, 1)], customer=c) for c in (fits, too_long)]

    pdf = label_pdf(shop, *orders)
    words = words_in_boxes(pdf)

    assert len(pages(pdf)) == 2
    bands = [
        label_layout.RECIPIENT_TOP - 1.5,
        label_layout.COD_TOP - 1.5,
        label_layout.BARCODE_TOP - 1.5,
        label_layout.INFO_TOP - 1.5,
    ]
    for word in words:
        x0, y0, x1, y1 = word["box"]
        assert x0 >= label_layout.PAD - 0.3 and x1 <= label_layout.LABEL_W - label_layout.PAD + 0.3
        assert y1 <= label_layout.BOX_H, word
        for rule in bands:
            assert not (y0 < rule < y1), (word, rule)
    first, second = pages(pdf)
    # A long address that fits in smaller type is printed whole, from its first word to the
    # province, and the postcode and the COD amount are still there, whole.
    assert "".join(LONG_LINE[:160].split()) in "".join(first.split())
    assert "จ.เชียงใหม่" in first and "50200" in first and f"฿{orders[0].total:,.2f}" in first
    # One that does not is cut with "…", never over the COD band.
    assert "…" in second and "50200" in second and f"฿{orders[1].total:,.2f}" in second


def test_a_long_order_lists_what_fits_and_counts_the_rest(shop):
    variants = [make_variant(shop, f"ITEM-{n:02d}", on_hand=10) for n in range(12)]
    order = order_for(shop, [(v, 2) for v in variants])

    text = pdf_text(label_pdf(shop, order))

    shown = re.findall(r"2 × ITEM-\d\d", text)
    assert 3 <= len(shown) < 12
    rest = 12 - len(shown)
    assert f"และอีก {rest} รายการ ({rest * 2} ชิ้น)" in text
    assert "24 ชิ้น" in text  # the whole order's count beside the date


def test_four_labels_share_an_a4_sheet(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    names = [f"ลูกค้าคนที่ {n}" for n in range(1, 6)]
    orders = [order_for(shop, [(shirt, 1)], customer={**RECIPIENT, "name": n}) for n in names]

    pdf = label_pdf(shop, *orders, layout="a4")

    sheets = pages(pdf)
    assert len(sheets) == 2
    assert [n for n in names if n in sheets[0]] == names[:4]
    assert [n for n in names if n in sheets[1]] == names[4:]
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf


def test_labels_come_out_in_the_order_asked_and_another_shops_order_is_not_found(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    first = order_for(shop, [(shirt, 1)], customer={**RECIPIENT, "name": "คนแรก"})
    second = order_for(shop, [(shirt, 1)], customer={**RECIPIENT, "name": "คนที่สอง"})
    other = make_shop()
    theirs = make_order(other, make_variant(other, "SHIRT", on_hand=5))

    text = pdf_text(labels_document(shop=shop, order_ids=[second.pk, first.pk]))

    assert text.index("คนที่สอง") < text.index("คนแรก")
    with pytest.raises(Exception) as refused:
        orders_to_print(shop=shop, order_ids=[first.pk, theirs.pk])
    assert getattr(refused.value, "status", None) == 404


# --- Pick list and packing slips ------------------------------------------------------------


@pytest.fixture
def batch(shop):
    """Two orders: 2 shirts + 1 mug, and 1 shirt + 2 gift sets (each 1 shirt + 2 soaps)."""
    shirt = make_variant(shop, "A-SHIRT", on_hand=20, barcode="8850001000011")
    mug = make_variant(shop, "B-MUG", on_hand=20)
    make_variant(shop, "C-SOAP", on_hand=20)
    gift = make_variant(
        shop,
        "GIFT-SET",
        price="250.00",
        components=[{"sku": "A-SHIRT", "quantity": 1}, {"sku": "C-SOAP", "quantity": 2}],
    )
    return [
        order_for(shop, [(mug, 1), (shirt, 2)]),
        order_for(shop, [(gift, 2), (shirt, 1)], customer={**RECIPIENT, "name": "สมชาย ใจดี"}),
    ]


def test_the_pick_list_sums_each_sku_over_the_orders_with_sets_in_their_parts(shop, batch):
    orders = orders_to_print(shop=shop, order_ids=[o.pk for o in batch])

    pick = pick_list(shop=shop, orders=orders)

    assert [(row.sku, row.quantity) for row in pick.rows] == [
        ("A-SHIRT", 5),
        ("B-MUG", 1),
        ("C-SOAP", 4),
    ]
    assert pick.units == 10
    assert pick.bundles == (("GIFT-SET", 2),)
    text = pdf_text(pick_list_document(shop=shop, order_ids=[o.pk for o in batch]), layout=True)
    rows = [line.split() for line in text.splitlines() if re.search(r"\b[ABC]-[A-Z]+\b", line)]
    assert [(r[1], r[-1]) for r in rows if r[0].isdigit()] == [
        ("A-SHIRT", "5"),
        ("B-MUG", "1"),
        ("C-SOAP", "4"),
    ]
    assert "8850001000011" in text
    assert "2 ออเดอร์ · 3 รายการ · รวม 10 ชิ้น" in text
    assert "GIFT-SET × 2" in text
    assert batch[0].number in text and batch[1].number in text


def test_each_order_gets_a_packing_slip_of_its_own(shop, batch):
    pdf = packing_slips_document(shop=shop, order_ids=[o.pk for o in batch])

    first, second = pages(pdf)

    assert batch[0].number in first and batch[1].number not in first
    assert "B-MUG" in first and "GIFT-SET" not in first
    assert "สมชาย ใจดี" in second and "GIFT-SET" in second
    assert "ประกอบด้วย: A-SHIRT × 1, C-SOAP × 2" in " ".join(second.split())
    assert f"เก็บเงินปลายทาง ฿{batch[1].total:,.2f}" in second
    assert "ใบรายการสินค้า" in first and "ร้านป้าแดงของฝาก" in first


# --- The API and the order desk --------------------------------------------------------------

PRINT = "/api/v1/print"


def test_the_api_prints_labels_pick_lists_and_packing_slips_as_pdf(api, shop, batch):
    ids = f"{batch[1].pk},{batch[0].pk}"

    labels = api.get(f"{PRINT}/labels?order_ids={ids}")
    sheet = api.get(f"{PRINT}/labels?order_ids={ids}&layout=a4")
    picks = api.get(f"{PRINT}/pick-list?order_ids={ids}")
    slips = api.get(f"{PRINT}/packing-slips?order_ids={ids}")

    for response in (labels, sheet, picks, slips):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    label_pages = pages(labels.content)
    assert len(label_pages) == 2 and "สมชาย ใจดี" in label_pages[0]
    assert len(pages(sheet.content)) == 1
    assert "A-SHIRT" in pdf_text(picks.content)
    assert len(pages(slips.content)) == 2


def test_the_api_refuses_another_shops_orders_and_too_many_or_bad_ids(api, shop, batch):
    other = make_shop()
    theirs = make_order(other, make_variant(other, "SHIRT", on_hand=5))
    mine = batch[0].pk

    for path in ("labels", "pick-list", "packing-slips"):
        response = api.get(f"{PRINT}/{path}?order_ids={mine},{theirs.pk}")
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    too_many = ",".join(str(n) for n in range(1, label_layout.MAX_PRINT_ORDERS + 2))
    response = api.get(f"{PRINT}/labels?order_ids={too_many}")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"order_ids": "too_many"}
    # "7" * 5000: more digits than int() reads (it was a 500, found by schemathesis).
    for bad in ("abc", "1;2", "-1", "0", ",", "๑", "99999999999999999999", "7" * 5000):
        response = api.get(f"{PRINT}/labels?order_ids={bad}")
        assert response.status_code == 400, bad
        assert response.json()["error"]["fields"] in (
            {"order_ids": "invalid"},
            {"order_ids": "required"},
        )
    assert api.get(f"{PRINT}/labels?order_ids={mine}&layout=a5").status_code == 422
    assert api.get(f"{PRINT}/labels").status_code == 422
    for garbage in ("order_ids=%00", "order_ids=%ff%fe", "order_ids=" + "1," * 15000, "%00=1"):
        response = api.get(f"{PRINT}/pick-list?{garbage}")
        assert 400 <= response.status_code < 500, garbage
        assert response["Content-Type"].startswith("application/json")
    assert ApiClient(None).get(f"{PRINT}/labels?order_ids={mine}").status_code == 401


def test_printing_is_for_whoever_packs(shop, batch):
    ids = f"{batch[0].pk}"

    packer = ApiClient(token_for(shop, "packer")).get(f"{PRINT}/labels?order_ids={ids}")
    accountant = ApiClient(token_for(shop, "accountant")).get(f"{PRINT}/labels?order_ids={ids}")

    assert packer.status_code == 200
    assert accountant.status_code == 403


def signed_in(shop, role="owner") -> Client:
    email = f"{role}-{shop.slug}@example.com"
    add_member(shop=shop, email=email, role=role, password="pw-123456", by=SYSTEM)
    client = Client()
    assert client.login(username=email, password="pw-123456")
    return client


def test_the_order_desk_prints_the_selected_orders_as_one_pdf(shop, batch):
    owner = signed_in(shop)
    desk = owner.get("/orders/").content.decode()
    ids = f"{batch[0].pk},{batch[1].pk}"

    labels = owner.get(f"/shipping/print/labels/?order_ids={ids}&layout=a4")
    picks = owner.get("/shipping/print/pick-list/", {"order_ids": [batch[0].pk, batch[1].pk]})
    slips = owner.get(f"/shipping/print/packing-slips/?order_ids={ids}")

    assert 'data-testid="print-labels"' in desk and 'id="print-layout"' in desk
    assert labels.status_code == 200 and labels["Content-Type"] == "application/pdf"
    assert len(pages(labels.content)) == 1  # two labels on one A4 sheet
    assert "A-SHIRT" in pdf_text(picks.content)
    assert len(pages(slips.content)) == 2
    assert (
        'data-testid="print-labels"'
        not in signed_in(shop, "accountant").get("/orders/").content.decode()
    )


def test_the_desk_cannot_print_another_shops_order_or_nothing(shop, batch):
    other = make_shop()
    theirs = make_order(other, make_variant(other, "SHIRT", on_hand=5))
    owner = signed_in(shop)

    assert owner.get(f"/shipping/print/labels/?order_ids={theirs.pk}").status_code == 404
    assert owner.get("/shipping/print/labels/").status_code == 400
    assert (
        signed_in(shop, "accountant")
        .get(f"/shipping/print/labels/?order_ids={batch[0].pk}")
        .status_code
        == 403
    )


# --- Pictures for the docs ------------------------------------------------------------------


@pytest.mark.skipif(not SCREENSHOTS, reason="set TALAD_SCREENSHOTS=1 to rewrite docs/screenshots")
def test_screenshots_of_a_label_and_a_pick_list_for_the_docs(shop):
    products = {
        "CM-AR-250": ("กาแฟคั่วกลาง ดอยช้าง อาราบิก้า 250 ก.", "8859001200011", "289.00"),
        "HN-LY-500": ("น้ำผึ้งดอกลำไยแท้ 500 มล.", "8859001200028", "159.00"),
        "SP-KM-01": ("สบู่สมุนไพรขมิ้นชัน", "8859001200035", "45.00"),
        "TEA-OL-100": ("ชาอู่หลงก้านอ่อน 100 ก.", "8859001200042", "180.00"),
    }
    for sku, (name, barcode, price) in products.items():
        create_product(
            shop=shop,
            name=name,
            by=SYSTEM,
            variants=[{"sku": sku, "price": Decimal(price), "barcode": barcode}],
        )
        receive_stock(shop=shop, sku=sku, quantity=50, unit_cost=Decimal("10"), by=SYSTEM)
    create_product(
        shop=shop,
        name="ชุดของฝากเชียงใหม่ (กาแฟ + น้ำผึ้ง)",
        by=SYSTEM,
        variants=[
            {
                "sku": "SET-CNX",
                "price": Decimal("420.00"),
                "components": [
                    {"sku": "CM-AR-250", "quantity": 1},
                    {"sku": "HN-LY-500", "quantity": 1},
                ],
            }
        ],
    )
    baskets = [
        [("SET-CNX", 1), ("SP-KM-01", 3)],
        [("CM-AR-250", 2)],
        [("HN-LY-500", 1), ("TEA-OL-100", 1), ("SP-KM-01", 2)],
        [("TEA-OL-100", 2), ("CM-AR-250", 1)],
    ]
    orders = [
        create_order(
            shop=shop,
            by=SYSTEM,
            order=NewOrder(
                channel="line",
                customer=RECIPIENT,
                lines=[{"sku": sku, "quantity": q} for sku, q in basket],
                payment_method="cod",
                shipping_fee="50.00",
            ),
        )[0]
        for basket in baskets
    ]
    order = transition(order=orders[0], action="confirm_cod", by=SYSTEM)
    order = transition(order=order, action="pack", by=SYSTEM)
    transition(
        order=order, action="ship", by=SYSTEM, carrier="kex", tracking_number="KEX1234567890"
    )

    label = render_png(label_pdf(shop, order), SCREENSHOT_DIR / "label.png", dpi=150)
    picks = pick_list_document(shop=shop, order_ids=[o.pk for o in orders])
    pick_png = render_png(picks, SCREENSHOT_DIR / "pick-list.png", dpi=100)

    assert Image.open(label).size == (591, 886)  # 100 × 150 mm at 150 dpi
    assert Image.open(pick_png).size[0] == 827  # A4 at 100 dpi


def test_a_label_printed_from_an_english_session_names_the_carrier_in_thai(shop):
    from django.utils import translation

    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = order_for(shop, [(shirt, 1)])
    transition(order=order, action="confirm_cod", by=SYSTEM)
    transition(order=order, action="pack", by=SYSTEM)
    transition(
        order=order, action="ship", by=SYSTEM, carrier="flash", tracking_number="TH0123456789"
    )

    with translation.override("en"):
        text = " ".join(pdf_text(label_pdf(shop, order)).split())

    assert "แฟลช เอ็กซ์เพรส" in text
    assert "Flash Express" not in text
