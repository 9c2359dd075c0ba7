"""Smart paste reads the whole chat: who it goes to, where, what they want and how they pay.

The chats below mix the address with product words ("เอาเสื้อสีขาวไซส์ L 2 ตัว") and payment
words ("เก็บเงินปลายทาง"): the address keeps only address text, the products come back as
lines from the shop's catalogue for the seller to confirm, and the payment method is set.
The catalogue is a small clothing-and-gifts shop; every expected area is GeoThai's spelling.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talad.channels.chat_order import CatalogueItem
from talad.channels.smart_paste import ParsedContact, parse_contact

SHOP = (
    *(
        CatalogueItem(f"TS-{code}-{size}", "เสื้อยืดคอกลม", f"{colour} {size}")
        for code, colour in (("WH", "ขาว"), ("BK", "ดำ"))
        for size in ("S", "M", "L", "XL")
    ),
    CatalogueItem("POLO-NV-M", "เสื้อโปโล", "กรมท่า / M"),
    CatalogueItem("POLO-NV-L", "เสื้อโปโล", "กรมท่า / L"),
    CatalogueItem("POLO-WH-M", "เสื้อโปโล", "ขาว / M"),
    *(CatalogueItem(f"JEAN-{w}", "กางเกงยีนส์ขายาว", f"เอว {w}") for w in (28, 30, 32)),
    CatalogueItem("CAP-BK", "หมวกแก๊ป", "สีดำ"),
    CatalogueItem("CAP-WH", "หมวกแก๊ป", "สีขาว"),
    CatalogueItem("MUG-RED", "Ceramic Mug", "Red"),
    CatalogueItem("MUG-BLUE", "Ceramic Mug", "Blue"),
    CatalogueItem("SUN50", "ครีมกันแดด SPF50", ""),
    CatalogueItem("TOTE-CAT", "กระเป๋าผ้า", "ลายแมว"),
    CatalogueItem("TOTE-DOG", "กระเป๋าผ้า", "ลายหมา"),
)

CONTACT = ("name", "phone", "address_line", "subdistrict", "district", "province", "postcode")
FIELDS = (*CONTACT, "payment_method", "lines")
BKK = "กรุงเทพมหานคร"

# The addresses (as typed, then as read) the chats below are built around.
KLONG_LUANG = (
    "99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120",
    ("99/1 ม.4", "คลองหนึ่ง", "คลองหลวง", "ปทุมธานี", "12120"),
)
LUMPHINI = (
    "123 ถ.วิทยุ แขวงลุมพินี เขตปทุมวัน กรุงเทพฯ 10330",
    ("123 ถ.วิทยุ", "ลุมพินี", "เขตปทุมวัน", BKK, "10330"),
)
SUTHEP = (
    "123/45 ถ.นิมมานเหมินท์ ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200",
    ("123/45 ถ.นิมมานเหมินท์", "สุเทพ", "เมืองเชียงใหม่", "เชียงใหม่", "50200"),
)
SILA = (
    "55 ม.2 ต.ศิลา อ.เมืองขอนแก่น ขอนแก่น 40000",
    ("55 ม.2", "ศิลา", "เมืองขอนแก่น", "ขอนแก่น", "40000"),
)
LAT_YAO = (
    "1/23 คอนโดไอดีโอ ชั้น 12 ห้อง 1205 ถนนพหลโยธิน แขวงลาดยาว เขตจตุจักร กรุงเทพมหานคร 10900",
    ("1/23 คอนโดไอดีโอ ชั้น 12 ห้อง 1205 ถนนพหลโยธิน", "ลาดยาว", "เขตจตุจักร", BKK, "10900"),
)
HAT_YAI = (
    "88 ถ.เพชรเกษม ต.หาดใหญ่ อ.หาดใหญ่ จ.สงขลา 90110",
    ("88 ถ.เพชรเกษม", "หาดใหญ่", "หาดใหญ่", "สงขลา", "90110"),
)
PATONG = (
    "๑๒/๓ ถ.ราษฎร์อุทิศ ต.ป่าตอง อ.กะทู้ จ.ภูเก็ต ๘๓๑๕๐",
    ("12/3 ถ.ราษฎร์อุทิศ", "ป่าตอง", "กะทู้", "ภูเก็ต", "83150"),
)
THA_WANG = (
    "77 ถ.ราชดำเนิน ต.ท่าวัง อ.เมือง จ.นครศรีธรรมราช 80000",
    ("77 ถ.ราชดำเนิน", "ท่าวัง", "เมืองนครศรีธรรมราช", "นครศรีธรรมราช", "80000"),
)


def chat(text, name, phone, address, payment, lines, *, id):
    """One chat and what it should read as; `lines` are (sku, quantity) pairs."""
    expected = dict(zip(CONTACT, (name, phone, *address), strict=True))
    expected["payment_method"] = payment
    expected["lines"] = sorted(lines)
    return pytest.param(text, expected, id=id)


A, B = KLONG_LUANG[0], KLONG_LUANG[1]

CHATS = [
    chat(
        f"เอาเสื้อสีขาวไซส์ L 2 ตัวค่ะ\nสมชาย ใจดี 0812345678\n{A}\nเก็บเงินปลายทางนะคะ",
        "สมชาย ใจดี",
        "0812345678",
        B,
        "cod",
        [("TS-WH-L", 2)],
        id="the-issue-example",
    ),
    chat(
        f"want 1 black tee size M\nJohn Smith 081-234-5678\n{SUTHEP[0]}\nCOD please",
        "John Smith",
        "0812345678",
        SUTHEP[1],
        "cod",
        [("TS-BK-M", 1)],
        id="english-order-cod",
    ),
    chat(
        f"สมหญิง รักดี 0897654321 {LUMPHINI[0]} เสื้อยืดดำ XL 1 ตัว โอนแล้วค่ะ",
        "สมหญิง รักดี",
        "0897654321",
        LUMPHINI[1],
        "transfer",
        [("TS-BK-XL", 1)],
        id="one-line-order-after-address",
    ),
    chat(
        f"สั่งเสื้อโปโลกรมท่า M 1 ตัว กับแก้วสีแดง 2 ใบ\nวิภา แสงทอง\n0891112222\n{A}\nปลายทาง",
        "วิภา แสงทอง",
        "0891112222",
        B,
        "cod",
        [("POLO-NV-M", 1), ("MUG-RED", 2)],
        id="two-products-one-line",
    ),
    chat(
        f"ชื่อ: นางสาวสมหญิง รักดี\nเบอร์: 089-765-4321\nที่อยู่: {SILA[0]}\n"
        "สินค้า: ยีนส์ เอว 30 สองตัว\nชำระเงิน: โอน",
        "นางสาวสมหญิง รักดี",
        "0897654321",
        SILA[1],
        "transfer",
        [("JEAN-30", 2)],
        id="labelled-form",
    ),
    chat(
        f"หมวกดำ 1 ใบ ครีมกันแดด 3 หลอด\nคุณมาลี 0812223333\n{HAT_YAI[0]}\nเก็บปลายทางค่ะ",
        "มาลี",
        "0812223333",
        HAT_YAI[1],
        "cod",
        [("CAP-BK", 1), ("SUN50", 3)],
        id="two-products-no-connector",
    ),
    chat(
        f"เสื้อขาว L 1 ตัว อีกตัวสีดำ M\nปวีณา ทองคำ 0823456789 {PATONG[0]}\nโอนค่ะ",
        "ปวีณา ทองคำ",
        "0823456789",
        PATONG[1],
        "transfer",
        [("TS-WH-L", 1), ("TS-BK-M", 1)],
        id="one-more-in-another-colour",
    ),
    chat(
        f"อัญชลี ศรีทอง 0619998877\n{THA_WANG[0]}\nกระเป๋าผ้าลายแมว x2 ค่ะ COD",
        "อัญชลี ศรีทอง",
        "0619998877",
        THA_WANG[1],
        "cod",
        [("TOTE-CAT", 2)],
        id="pattern-option-times-two",
    ),
    chat(
        f"TS-WH-M 3 ตัว\nณัฐพล ศรีสุข โทร 0867778888\n{A}",
        "ณัฐพล ศรีสุข",
        "0867778888",
        B,
        None,
        [("TS-WH-M", 3)],
        id="sku-typed",
    ),
    chat(
        f"นาย ธนากร มั่นคง 02-123-4567 / 081-234-5678 {LUMPHINI[0]} หมวกขาว 1 ใบ โอน",
        "นายธนากร มั่นคง",
        "0812345678",
        LUMPHINI[1],
        "transfer",
        [("CAP-WH", 1)],
        id="landline-first-mobile-wins",
    ),
    chat(
        f"สวัสดีค่ะ สนใจเสื้อยืดค่ะ\nเอาสีขาว ไซส์ M ๒ ตัว\nสุดารัตน์ พรมมา 0861239876\n{A}\n"
        "ไม่เอาปลายทางนะคะ โอนเลยค่ะ",
        "สุดารัตน์ พรมมา",
        "0861239876",
        B,
        "transfer",
        [("TS-WH-M", 2)],
        id="thai-digit-quantity-negated-cod",
    ),
    chat(
        f"ศิริพร ใจงาม 0945556666 {LAT_YAO[0]}\nเสื้อยืดคอกลมสีดำ size S 1 ตัว\nเก็บเงินปลายทาง",
        "ศิริพร ใจงาม",
        "0945556666",
        LAT_YAO[1],
        "cod",
        [("TS-BK-S", 1)],
        id="full-product-name-condo",
    ),
    chat(
        f"ขอแก้วสีฟ้า 1 ใบค่ะ\nกิตติ ศรีวงศ์ 0819876543\n{SUTHEP[0]}",
        "กิตติ ศรีวงศ์",
        "0819876543",
        SUTHEP[1],
        None,
        [],
        id="a-colour-the-shop-does-not-have",
    ),
    chat(
        f"เสื้อยืดขาว 2 ตัวค่ะ\nมานพ ใจเย็น 0863334444\n{SILA[0]}\nปลายทาง",
        "มานพ ใจเย็น",
        "0863334444",
        SILA[1],
        "cod",
        [],
        id="size-not-said-is-left-to-the-seller",
    ),
    chat(
        f"เยาวลักษณ์ คำดี 0835556677\n{HAT_YAI[0]}\nโอนหรือปลายทางได้คะ",
        "เยาวลักษณ์ คำดี",
        "0835556677",
        HAT_YAI[1],
        None,
        [],
        id="payment-offered-as-a-choice",
    ),
    chat(
        f"โอนไม่สะดวกค่ะ ขอเก็บเงินปลายทาง\nนันทนา ทองดี 0929998888 {A}\nเสื้อโปโลขาว M 1 ตัว",
        "นันทนา ทองดี",
        "0929998888",
        B,
        "cod",
        [("POLO-WH-M", 1)],
        id="transfer-refused-then-cod",
    ),
    chat(
        f"แก้วตา ใจดี 0801234567\n{A}",
        "แก้วตา ใจดี",
        "0801234567",
        B,
        None,
        [],
        id="a-first-name-that-starts-like-a-product",
    ),
    chat(
        f"I'd like two blue mugs please, bank transfer\nAnna Lee +66 81 234 5678\n{LUMPHINI[0]}",
        "Anna Lee",
        "0812345678",
        LUMPHINI[1],
        "transfer",
        [("MUG-BLUE", 2)],
        id="english-number-word-plural",
    ),
    chat(
        f"สุนทร หาญกล้า 0811112233 {SUTHEP[0]} ครีมกันแดด 2 หลอด กระเป๋าลายหมา 1 ใบ ปลายทาง",
        "สุนทร หาญกล้า",
        "0811112233",
        SUTHEP[1],
        "cod",
        [("SUN50", 2), ("TOTE-DOG", 1)],
        id="one-line-two-products-after-address",
    ),
    chat(
        f"เอาหมวกสีดำ ตัวนึงค่ะ\nชาตรี มีสุข\n0851237777\n{THA_WANG[0]}",
        "ชาตรี มีสุข",
        "0851237777",
        THA_WANG[1],
        None,
        [("CAP-BK", 1)],
        id="classifier-nueng",
    ),
    chat(
        f"ดวงใจ ปัญญา 0871114455 {PATONG[0]}\nยีนส์เอว 32 1 ตัว + เอว 28 1 ตัว\nโอนแล้วนะคะ แนบสลิปค่ะ",
        "ดวงใจ ปัญญา",
        "0871114455",
        PATONG[1],
        "transfer",
        [("JEAN-32", 1), ("JEAN-28", 1)],
        id="two-sizes-of-one-product",
    ),
    chat(
        f"วีระ ชัยมงคล 0899990000\n{A}\nเสื้อโปโลกรมท่า L x 3\nเก็บปลายทาง",
        "วีระ ชัยมงคล",
        "0899990000",
        B,
        "cod",
        [("POLO-NV-L", 3)],
        id="times-with-a-space",
    ),
    chat(
        f"K.ต้น 0801234567 {HAT_YAI[0]} เสื้อขาวไซส์ XL สามตัว จ่ายปลายทาง",
        "ต้น",
        "0801234567",
        HAT_YAI[1],
        "cod",
        [("TS-WH-XL", 3)],
        id="thai-number-word",
    ),
    chat(
        f"ฮาซัน ยูโซะ 0896661234\n{SILA[0]}\nขอบคุณค่ะ",
        "ฮาซัน ยูโซะ",
        "0896661234",
        SILA[1],
        None,
        [],
        id="no-order-talk-at-all",
    ),
    chat(
        f"Mr. David Brown 0812345678 {SUTHEP[0]} 2x red mug, 1 white cap size free? cash on delivery",
        "Mr. David Brown",
        "0812345678",
        SUTHEP[1],
        "cod",
        [("MUG-RED", 2), ("CAP-WH", 1)],
        id="english-times-before",
    ),
    chat(
        f"พิมพ์ชนก แก้วใส 0934445555\n{LUMPHINI[0]}\nเสื้อ ดำ M 1 ขาว S 1 ค่ะ\nพร้อมเพย์นะคะ",
        "พิมพ์ชนก แก้วใส",
        "0934445555",
        LUMPHINI[1],
        "transfer",
        # "เสื้อ" is the polo or the tee; only the tee comes in black M and in white S.
        [("TS-BK-M", 1), ("TS-WH-S", 1)],
        id="a-generic-word-settled-by-colour-and-size",
    ),
    chat(
        f"สุริยา หมาดหลี 0887776655\n{A}\nหมวกแก๊ปดำ 2 ใบ ครับ\nCOD ครับ",
        "สุริยา หมาดหลี",
        "0887776655",
        B,
        "cod",
        [("CAP-BK", 2)],
        id="polite-khrap",
    ),
    chat(
        f"เอาเสื้อยืดสีขาวไซส์ L 2 ตัว สีดำไซส์ M 1 ตัว\nอรุณี สายสุด 0898887777\n{LAT_YAO[0]}",
        "อรุณี สายสุด",
        "0898887777",
        LAT_YAO[1],
        None,
        [("TS-WH-L", 2), ("TS-BK-M", 1)],
        id="second-colour-without-the-product-word",
    ),
    chat(
        f"ประยุทธ์ ดีมาก 053-111-222 {SUTHEP[0]}\nแก้วมัคสีน้ำเงิน 4 ใบ\nเก็บเงินปลายทางค่ะ",
        "ประยุทธ์ ดีมาก",
        "053111222",
        SUTHEP[1],
        "cod",
        [("MUG-BLUE", 4)],
        id="landline-only",
    ),
    chat(
        f"กระเป๋าผ้า 1 ใบค่ะ\nชยพล อินทร์แก้ว 0874561230\n{HAT_YAI[0]}\nโอน",
        "ชยพล อินทร์แก้ว",
        "0874561230",
        HAT_YAI[1],
        "transfer",
        [],
        id="pattern-not-said",
    ),
    chat(
        f"สมศักดิ์ บุญมา 0647778899 {THA_WANG[0]} ครีมกันแดด 1 หลอด ราคา 350 บาท โอนแล้ว",
        "สมศักดิ์ บุญมา",
        "0647778899",
        THA_WANG[1],
        "transfer",
        [("SUN50", 1)],
        id="a-price-is-no-quantity",
    ),
    chat(
        f"เสื้อยืดดำ L\nเสื้อยืดขาว L\nอย่างละตัว\nกัญญา มณี 0910001111\n{PATONG[0]}\nปลายทาง",
        "กัญญา มณี",
        "0910001111",
        PATONG[1],
        "cod",
        [("TS-BK-L", 1), ("TS-WH-L", 1)],
        id="one-item-per-line",
    ),
    chat(
        f"ชื่อผู้รับ ธิดา ศรีสวัสดิ์\nโทร 0957776666\nที่อยู่ {A}\nรายการ TS-BK-L 1 ตัว, CAP-WH 1 ใบ\nชำระ: ปลายทาง",
        "ธิดา ศรีสวัสดิ์",
        "0957776666",
        B,
        "cod",
        [("TS-BK-L", 1), ("CAP-WH", 1)],
        id="skus-in-a-list",
    ),
    chat(
        f"ลูกค้า: เกศินี ทองสุข\n0968889999\n{SILA[0]}\nหมวกขาว",
        "เกศินี ทองสุข",
        "0968889999",
        SILA[1],
        None,
        [("CAP-WH", 1)],
        id="product-and-colour-no-count",
    ),
    chat(
        f"ปิยะ วงศ์ดี 0839990000 {LUMPHINI[0]} เสื้อโปโล 2 ตัว โอน",
        "ปิยะ วงศ์ดี",
        "0839990000",
        LUMPHINI[1],
        "transfer",
        [],
        id="polo-without-colour-or-size",
    ),
    chat(
        f"ขอ 2 ตัวค่ะ ไซส์ M สีขาว เสื้อยืด\nรัตนา คงดี 0821110000\n{SUTHEP[0]}\nเก็บเงินปลายทาง",
        "รัตนา คงดี",
        "0821110000",
        SUTHEP[1],
        "cod",
        [("TS-WH-M", 2)],
        id="product-word-last",
    ),
    chat(
        f"อนันต์ ศรีสุข 0812220000\n{HAT_YAI[0]}\nแก้ว red 1 blue 1",
        "อนันต์ ศรีสุข",
        "0812220000",
        HAT_YAI[1],
        None,
        [("MUG-RED", 1), ("MUG-BLUE", 1)],
        id="thai-product-english-colours",
    ),
    chat(
        f"สมใจ แสนดี 0897770000 {A} ครีมกันแดด SPF50 หนึ่งหลอด เก็บปลายทาง",
        "สมใจ แสนดี",
        "0897770000",
        B,
        "cod",
        [("SUN50", 1)],
        id="product-with-a-number-in-its-name",
    ),
    chat(
        f"เสื้อยืด ขาว M 1 ตัว, ดำ M 1 ตัว\nจิราพร ใจดี 0865554444\n{LAT_YAO[0]}\nโอนค่ะ",
        "จิราพร ใจดี",
        "0865554444",
        LAT_YAO[1],
        "transfer",
        [("TS-WH-M", 1), ("TS-BK-M", 1)],
        id="comma-between-variants",
    ),
    chat(
        f"ธนพร ศรีงาม 0803334444\n{THA_WANG[0]}\nไม่ใช่ COD นะคะ จะโอนให้ค่ะ\nยีนส์ 30 1 ตัว",
        "ธนพร ศรีงาม",
        "0803334444",
        THA_WANG[1],
        "transfer",
        [("JEAN-30", 1)],
        id="not-cod-transfer-bare-waist",
    ),
    chat(
        f"สวัสดีครับ\nผมชื่อ ประเสริฐ มากมี\n0876665555\n{SILA[0]}\nสั่งหมวกแก๊ปสีขาว 2 ใบครับ",
        "ประเสริฐ มากมี",
        "0876665555",
        SILA[1],
        None,
        [("CAP-WH", 2)],
        id="hello-and-order-at-the-end",
    ),
    chat(
        f"น.ส. ลำดวน สีขาว 0841112222 {A}",
        "นางสาวลำดวน สีขาว",
        "0841112222",
        B,
        None,
        [],
        id="a-surname-that-is-a-colour",
    ),
    chat(
        f"บุญมี ทองแท้ 0851119999\n{PATONG[0]}\nเสื้อดำ L 1 ตัว ขาว S 2 ตัว\nปลายทาง",
        "บุญมี ทองแท้",
        "0851119999",
        PATONG[1],
        "cod",
        [("TS-BK-L", 1), ("TS-WH-S", 2)],
        id="second-variant-bare-colour",
    ),
]


def _read(parsed: ParsedContact) -> dict:
    got = {f: getattr(parsed, f) for f in CONTACT}
    got["payment_method"] = parsed.payment_method
    got["lines"] = sorted((li.sku, li.quantity) for li in parsed.lines)
    return got


@pytest.mark.parametrize(("text", "expected"), CHATS)
def test_a_chat_with_an_order_reads_into_contact_lines_and_payment(text, expected):
    assert _read(parse_contact(text, SHOP)) == expected


def test_the_order_chats_read_at_least_95_percent_of_every_field_and_90_percent_of_lines(capsys):
    right = dict.fromkeys(FIELDS, 0)
    wrong = []
    for param in CHATS:
        text, expected = param.values
        got = _read(parse_contact(text, SHOP))
        for f in FIELDS:
            right[f] += got[f] == expected[f]
        misses = {f: got[f] for f in FIELDS if got[f] != expected[f]}
        if misses:
            wrong.append((param.id, misses))
    n = len(CHATS)
    contact = sum(right[f] for f in CONTACT)
    with capsys.disabled():
        print(
            f"\nsmart paste, {n} chats with orders: "
            + ", ".join(f"{f} {right[f]}/{n}" for f in FIELDS)
            + f"; contact fields {contact}/{n * len(CONTACT)}; wrong: {wrong}"
        )
    assert n >= 40
    assert contact / (n * len(CONTACT)) >= 0.95
    assert right["payment_method"] / n >= 0.95
    assert right["lines"] / n >= 0.90


def test_the_set_covers_cod_transfer_undecided_and_chats_with_no_line():
    methods = [p.values[1]["payment_method"] for p in CHATS]
    assert {"cod", "transfer", None} <= set(methods)
    assert sum(1 for p in CHATS if not p.values[1]["lines"]) >= 5
    assert sum(1 for p in CHATS if len(p.values[1]["lines"]) >= 2) >= 8


# --- the address keeps only the address -------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), CHATS)
def test_no_product_or_payment_word_is_left_in_the_address_line(text, expected):
    line = parse_contact(text, SHOP).address_line
    for word in ("เสื้อ", "ตัว", "ไซส์", "ปลายทาง", "โอน", "COD", "หมวก", "แก้ว", "size", "mug"):
        if word not in expected["address_line"]:
            assert word not in line, line


def test_without_a_catalogue_the_order_words_still_stay_out_of_the_address():
    parsed = parse_contact(f"เอาเสื้อสีขาวไซส์ L 2 ตัว\nสมชาย ใจดี 0812345678 {A}\nเก็บเงินปลายทาง")
    assert (parsed.name, parsed.address_line) == ("สมชาย ใจดี", "99/1 ม.4")
    assert parsed.payment_method == "cod"
    assert parsed.lines == []


def test_the_words_a_line_was_read_from_come_with_it():
    parsed = parse_contact(f"เอาเสื้อสีขาวไซส์ L 2 ตัวค่ะ\nสมชาย 0812345678 {A}", SHOP)
    assert [(li.sku, li.quantity, li.said) for li in parsed.lines] == [
        ("TS-WH-L", 2, "เอาเสื้อสีขาวไซส์ L 2 ตัว")
    ]


def test_the_same_variant_asked_for_twice_is_one_line_with_both_counts():
    parsed = parse_contact(f"หมวกดำ 1 ใบ\nสมชาย 0812345678 {A}\nหมวกแก๊ปสีดำ อีก 2 ใบ", SHOP)
    assert [(li.sku, li.quantity) for li in parsed.lines] == [("CAP-BK", 3)]


def test_an_order_without_a_contact_still_gives_lines_and_payment():
    parsed = parse_contact("เอาหมวกขาว 2 ใบ โอนแล้วค่ะ", SHOP)
    assert [(li.sku, li.quantity) for li in parsed.lines] == [("CAP-WH", 2)]
    assert parsed.payment_method == "transfer"
    assert (parsed.name, parsed.phone, parsed.address_line) == ("", "", "")


# --- phones ----------------------------------------------------------------------------


def test_a_mobile_wins_over_a_landline_and_the_landline_is_kept():
    parsed = parse_contact(f"สมชาย ใจดี โทร 02-123-4567 มือถือ 081-234-5678 {A}")
    assert (parsed.phone, parsed.other_phones) == ("0812345678", ["021234567"])
    assert parsed.address_line == "99/1 ม.4"


def test_two_mobiles_keep_the_first_as_the_contact():
    parsed = parse_contact(f"สมชาย ใจดี 081-234-5678 หรือ 089-111-2222 {A}")
    assert (parsed.phone, parsed.other_phones) == ("0812345678", ["0891112222"])


# --- payment words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "method"),
    [
        ("เก็บเงินปลายทางค่ะ", "cod"),
        ("ปลายทางนะคะ", "cod"),
        ("cod", "cod"),
        ("ขอเป็น COD ครับ", "cod"),
        ("จ่ายปลายทาง", "cod"),
        ("ชำระเงินปลายทางได้ไหมคะ", "cod"),
        ("cash on delivery", "cod"),
        ("โอนแล้วค่ะ", "transfer"),
        ("โอนเงินให้แล้วนะคะ", "transfer"),
        ("พร้อมเพย์", "transfer"),
        ("แนบสลิปแล้วค่ะ", "transfer"),
        ("bank transfer", "transfer"),
        ("ไม่เอาปลายทาง โอนค่ะ", "transfer"),
        ("โอนไม่สะดวก ขอปลายทาง", "cod"),
        ("โอนหรือปลายทางก็ได้", None),
        ("ปลายทาง/โอน", None),
        ("ไม่เอาปลายทาง", None),
        ("ขอบคุณค่ะ", None),
    ],
)
def test_payment_words_set_the_payment_method(said, method):
    assert parse_contact(f"สมชาย ใจดี 0812345678 {A} {said}").payment_method == method


def test_payment_words_are_not_read_as_a_name_or_address():
    parsed = parse_contact(f"ขอเก็บเงินปลายทางนะคะ\nสมชาย ใจดี 0812345678 {A}")
    assert (parsed.name, parsed.address_line) == ("สมชาย ใจดี", "99/1 ม.4")


# --- speed and robustness --------------------------------------------------------------


def test_a_large_catalogue_and_a_long_chat_are_read_without_error():
    big = tuple(
        CatalogueItem(f"P{n}-{s}", f"สินค้าทดลอง{n} รุ่น{n % 7}", f"สี{c} {s}")
        for n in range(400)
        for c, s in (("ขาว", "M"), ("ดำ", "L"))
    )
    text = ("สนใจสินค้าทดลอง12 สีขาว M 2 ชิ้นค่ะ ราคาเท่าไหร่ " * 100) + f"สมชาย 0812345678 {A}"
    parsed = parse_contact(text, (*big, *SHOP))
    assert parsed.phone == "0812345678"
    assert ("P12-M", 200) in [(li.sku, li.quantity) for li in parsed.lines]


# --- chats written after the parser was tuned on CHATS, kept apart to measure it fairly ----

HELD_OUT = [
    chat(
        f"แม่ค้าคะ เอาเสื้อยืดสีดำ L 1 ตัวค่ะ\nส่ง คุณเพ็ญศรี 0812348765\n{SILA[0]}\nปลายทางค่ะ",
        "เพ็ญศรี",
        "0812348765",
        SILA[1],
        "cod",
        [("TS-BK-L", 1)],
        id="held-out-mae-kha",
    ),
    chat(
        f"ปราณี ศรีใส 0897651234 {LUMPHINI[0]} หมวกสีขาว 3 ใบ ชำระเงินปลายทาง",
        "ปราณี ศรีใส",
        "0897651234",
        LUMPHINI[1],
        "cod",
        [("CAP-WH", 3)],
        id="held-out-one-line",
    ),
    chat(
        f"order: 2 black caps, 1 red mug\nname: Tom Baker\ntel: 0823334455\n{SUTHEP[0]}\npaid by transfer",
        "Tom Baker",
        "0823334455",
        SUTHEP[1],
        "transfer",
        [("CAP-BK", 2), ("MUG-RED", 1)],
        id="held-out-english-form",
    ),
    chat(
        f"สุภาพร แก้วกล้า\n0861112233\n{HAT_YAI[0]}\nยีนส์ เอว 28 หนึ่งตัว โอนนะคะ",
        "สุภาพร แก้วกล้า",
        "0861112233",
        HAT_YAI[1],
        "transfer",
        [("JEAN-28", 1)],
        id="held-out-number-word-jeans",
    ),
    chat(
        f"ขอครีมกันแดด 2 หลอด กับ กระเป๋าผ้าลายแมว 1 ใบค่ะ\nมยุรี ดวงดี 0934567890\n{PATONG[0]}",
        "มยุรี ดวงดี",
        "0934567890",
        PATONG[1],
        None,
        [("SUN50", 2), ("TOTE-CAT", 1)],
        id="held-out-two-products-spaced-connector",
    ),
    chat(
        f"สมปอง ใจกล้า 0845671234\n{THA_WANG[0]}\nเสื้อโปโลสีกรม L 1 ตัว\nจ่ายเงินปลายทาง",
        "สมปอง ใจกล้า",
        "0845671234",
        THA_WANG[1],
        "cod",
        [("POLO-NV-L", 1)],
        id="held-out-navy-short-word",
    ),
    chat(
        f"เอาแก้ว 2 ใบค่ะ\nวันดี มีสุข 0891234000\n{A}\nโอน",
        "วันดี มีสุข",
        "0891234000",
        B,
        "transfer",
        [],
        id="held-out-mug-colour-not-said",
    ),
    chat(
        f"กนกวรรณ ทองมา 0812000111\n{LAT_YAO[0]}\nเสื้อยืดขาวไซส์ S x1 ดำไซส์ XL x1\nCOD",
        "กนกวรรณ ทองมา",
        "0812000111",
        LAT_YAO[1],
        "cod",
        [("TS-WH-S", 1), ("TS-BK-XL", 1)],
        id="held-out-times-one-twice",
    ),
    chat(
        f"ส่งที่ {SILA[0]} ผู้รับ อำนาจ สุขใจ โทร 0867770001 หมวกแก๊ปดำ 1 ใบ เก็บเงินปลายทาง",
        "อำนาจ สุขใจ",
        "0867770001",
        SILA[1],
        "cod",
        [("CAP-BK", 1)],
        id="held-out-address-first",
    ),
    chat(
        f"ณัฐธิดา สายทอง 0623456789\n{HAT_YAI[0]}\nสนใจกางเกงยีนส์ เอว 32 ค่ะ 2 ตัว พร้อมเพย์ได้ไหมคะ",
        "ณัฐธิดา สายทอง",
        "0623456789",
        HAT_YAI[1],
        "transfer",
        [("JEAN-32", 2)],
        id="held-out-count-after-particle",
    ),
]


def test_held_out_chats_are_measured(capsys):
    """Not tuned against: the figures are reported in docs/design/shipping.md#smart-paste,
    and only a floor well below them is asserted."""
    right = dict.fromkeys(FIELDS, 0)
    wrong = []
    for param in HELD_OUT:
        text, expected = param.values
        got = _read(parse_contact(text, SHOP))
        for f in FIELDS:
            right[f] += got[f] == expected[f]
        misses = {f: got[f] for f in FIELDS if got[f] != expected[f]}
        if misses:
            wrong.append((param.id, misses))
    n = len(HELD_OUT)
    with capsys.disabled():
        print(
            f"\nsmart paste, {n} held-out chats: "
            + ", ".join(f"{f} {right[f]}/{n}" for f in FIELDS)
            + f"; wrong: {wrong}"
        )
    assert sum(right[f] for f in CONTACT) / (n * len(CONTACT)) >= 0.9
    assert right["payment_method"] / n >= 0.8
    assert right["lines"] / n >= 0.6


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=8),
            st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), max_size=8),
            st.sampled_from(["เสื้อ", "สีขาว", "ไซส์", " L ", "2 ตัว", "x3", "COD", "โอน", "\n"]),
        ),
        max_size=40,
    ).map("".join)
)
def test_any_text_gives_well_formed_lines_and_payment(text):
    parsed = parse_contact(text, SHOP)
    skus = {item.sku for item in SHOP}
    assert parsed.payment_method in ("cod", "transfer", None)
    for line in parsed.lines:
        assert line.sku in skus and 1 <= line.quantity <= 999
