"""Reading marketplace exports (issue 12): a seller downloads her orders from Shopee, Lazada
or TikTok Shop, or keeps them in Talad's own csv, and uploads the file. The readers turn it
into ImportedOrders, and every order they cannot read whole is left out with problems
naming row, column and order id. The fixtures are built by fixtures/make_fixtures.py."""

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from talad.channels.imports.readers import FORMATS, read_orders
from talad.channels.imports.rows import TARGETS
from talad.tabular import MAX_ROWS, FileRejected, FileTooLarge

FIXTURES = Path(__file__).parent / "fixtures"
BANGKOK = ZoneInfo("Asia/Bangkok")


def read_fixture(format: str, name: str, **options):
    return read_orders(format, (FIXTURES / name).read_bytes(), filename=name, **options)


def by_id(parsed):
    return {order.external_id: order for order in parsed.orders}


def problems(parsed):
    return [(p.row, p.column, p.code, p.external_id) for p in parsed.problems]


def lines(order):
    return [
        (line.marketplace_sku, line.quantity, line.unit_price, line.line_discount)
        for line in order.lines
    ]


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Shopee -------------------------------------------------------------------------------


def test_shopee_orders_are_read_with_their_lines_statuses_and_shipping_address():
    parsed = read_fixture("shopee", "shopee.xlsx")

    orders = by_id(parsed)
    assert list(orders) == ["260717VGBPF7AW", "260717CANCEL01", "260718UNKNOWN1", "260719UNPAID01"]
    two_lines = orders["260717VGBPF7AW"]
    assert two_lines.channel == "shopee"
    assert (two_lines.status_text, two_lines.target) == ("ที่ต้องจัดส่ง", "to_pack")
    assert two_lines.rows == (2, 3)
    assert lines(two_lines) == [
        ("TEE-RED-M", 2, Decimal("250.00"), Decimal("0.00")),
        ("MUG-01", 1, Decimal("1070.00"), Decimal("0.00")),
    ]
    assert two_lines.shipping_fee == Decimal("40.00")  # repeated on both rows, counted once
    assert two_lines.recipient_name == "ส****"  # masked names are kept as they come
    assert two_lines.created_at == datetime(2024, 7, 17, 9, 5, tzinfo=BANGKOK)
    assert two_lines.paid_at == datetime(2024, 7, 17, 9, 7, tzinfo=BANGKOK)
    assert two_lines.ship_by == datetime(2024, 7, 19, 23, 59, tzinfo=BANGKOK)
    assert (two_lines.buyer_tax_id, two_lines.buyer_branch) == ("0105551234567", "00000")


def test_shopee_repeated_address_headers_are_read_by_position_the_first_is_shipping():
    order = by_id(read_fixture("shopee", "shopee.xlsx"))["260717VGBPF7AW"]

    # The tax address (Chiang Mai) comes under the same three headers further right.
    assert (order.district, order.province, order.postcode) == (
        "เขตคลองเตย",
        "กรุงเทพมหานคร",
        "10110",
    )
    assert order.address_line == "99/1 ถ.สุขุมวิท แขวงคลองตัน"
    assert order.one_line_address is False


def test_shopee_statuses_map_onto_talad_targets():
    orders = by_id(read_fixture("shopee", "shopee.xlsx"))

    assert orders["260717CANCEL01"].target == "cancelled"
    assert orders["260718UNKNOWN1"].target == "shipped"
    assert orders["260719UNPAID01"].target == "pending"


def test_an_unknown_sku_is_read_as_written_mapping_it_is_not_the_readers_business():
    order = by_id(read_fixture("shopee", "shopee.xlsx"))["260718UNKNOWN1"]

    assert lines(order) == [("NOT-IN-CATALOG", 1, Decimal("0.00"), Decimal("0.00"))]
    assert order.tracking_number == "TH0123456789012"


def test_the_same_sku_on_two_rows_is_one_line_with_the_pieces_summed():
    order = by_id(read_fixture("shopee", "shopee.xlsx"))["260719UNPAID01"]

    assert lines(order) == [("TEE-RED-M", 3, Decimal("250.00"), Decimal("0.00"))]
    assert order.rows == (7, 8)


def test_an_order_with_a_bad_amount_is_left_out_whole_and_the_problem_names_row_and_column():
    parsed = read_fixture("shopee", "shopee.xlsx")

    assert "260718BADAMT01" not in by_id(parsed)
    assert problems(parsed) == [(5, "ราคาขาย", "invalid_money", "260718BADAMT01")]
    assert parsed.rows_read == 7
    assert parsed.headers["sku"] == "เลขอ้างอิง SKU (SKU Reference No.)"  # for apply's problems


# --- Lazada -------------------------------------------------------------------------------


def test_lazada_rows_per_piece_become_one_line_per_sku_with_quantity_the_row_count():
    order = by_id(read_fixture("lazada", "lazada.xlsx"))["401234567890123"]

    assert order.rows == (2, 3, 4, 5)
    # sellerDiscountTotal is written -10.00 on each of the three pieces.
    assert lines(order) == [
        ("TEE-RED-M", 3, Decimal("250.00"), Decimal("30.00")),
        ("MUG-01", 1, Decimal("1070.00"), Decimal("0.00")),
    ]
    assert order.lines[0].item_id == "LZ-TEE-RED-M"
    assert order.shipping_fee == Decimal("40.00")  # 13.33 + 13.33 + 13.34: split over pieces
    assert order.created_at == datetime(2022, 7, 4, 11, 46, tzinfo=BANGKOK)
    assert (order.status_text, order.target) == ("ready_to_ship", "to_pack")


def test_lazada_ids_stored_as_numbers_stay_whole_text_and_the_phone_keeps_its_zero():
    order = by_id(read_fixture("lazada", "lazada.xlsx"))["401234567890123"]

    assert order.external_id == "401234567890123"
    assert order.phone == "0812345678"  # the xlsx cell is the number 812345678
    assert order.postcode == "10310"
    assert order.one_line_address is True  # Lazada's address parts are joined for smart paste
    assert order.address_line == "88/8 ซ.ลาดพร้าว 101 แขวงคลองเจ้าคุณสิงห์ เขตวังทองหลาง กรุงเทพมหานคร"


def test_lazada_statuses_and_a_line_with_neither_sku_nor_item_id():
    parsed = read_fixture("lazada", "lazada.xlsx")
    orders = by_id(parsed)

    assert {i: o.target for i, o in orders.items()} == {
        "401234567890123": "to_pack",
        "401234567890124": "delivered",
        "401234567890125": "cancelled",
        "401234567890127": "returning",
    }
    assert orders["401234567890124"].tracking_number == "LEXTH000111"
    assert problems(parsed) == [(8, "sellerSku", "missing_sku", "401234567890126")]


def test_lazada_reads_the_same_export_saved_as_csv():
    header = "orderNumber,sellerSku,createTime,unitPrice,shippingFee,shippingName,status\n"
    body = (
        "401234567890123,TEE-RED-M,04 Jul 2022 11:46,250.00,20,ก****,shipped\n"
        "401234567890123,TEE-RED-M,04 Jul 2022 11:46,250.00,20,ก****,shipped\n"
    )

    parsed = read_orders("lazada", (header + body).encode(), filename="Order.list.export.csv")

    [order] = parsed.orders
    assert lines(order) == [("TEE-RED-M", 2, Decimal("250.00"), Decimal("0.00"))]
    assert (order.shipping_fee, order.target) == (Decimal("40.00"), "shipped")


# --- TikTok Shop ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tiktok.csv", "tiktok.xlsx"])
def test_tiktok_skips_the_description_row_and_strips_bom_and_trailing_tabs(name):
    parsed = read_fixture("tiktok", name)

    assert parsed.rows_read == 6  # the description row is not an order
    order = by_id(parsed)["576123456789012345"]
    assert order.rows == (3, 4)
    assert (order.status_text, order.target) == ("AWAITING_SHIPMENT", "to_pack")
    assert order.recipient_name == "ส****"
    assert (order.district, order.province, order.postcode) == ("Khlong Toei", "Bangkok", "10110")
    assert order.shipping_fee == Decimal("35.00")
    assert order.carrier_text == "J&T Express"


def test_tiktok_line_totals_become_a_price_per_piece_that_adds_up_exactly():
    order = by_id(read_fixture("tiktok", "tiktok.csv"))["576123456789012345"]

    assert lines(order) == [
        ("TEE-RED-M", 2, Decimal("250.00"), Decimal("0.00")),
        ("SOCK-3", 3, Decimal("33.34"), Decimal("0.02")),  # 100.00 for three
    ]
    socks = order.lines[1]
    assert socks.unit_price * socks.quantity - socks.line_discount == Decimal("100.00")


def test_tiktok_dates_come_day_first_or_month_first_with_am_pm():
    orders = by_id(read_fixture("tiktok", "tiktok.csv"))

    assert orders["576123456789012345"].created_at == datetime(
        2024, 7, 17, 9, 5, 10, tzinfo=BANGKOK
    )
    in_transit = orders["576123456789012346"]
    assert in_transit.created_at == datetime(2024, 7, 18, 13, 15, tzinfo=BANGKOK)
    assert in_transit.target == "shipped"
    assert in_transit.tracking_number == "794512345678"


def test_tiktok_without_province_falls_back_to_detail_address_and_zipcode():
    order = by_id(read_fixture("tiktok", "tiktok.csv"))["576123456789012346"]

    assert (order.address_line, order.postcode) == ("5 Moo 2 Chiang Mai", "50200")
    assert order.one_line_address is True


def test_tiktok_a_bad_quantity_and_a_missing_recipient_leave_those_orders_out():
    parsed = read_fixture("tiktok", "tiktok.csv")

    assert set(by_id(parsed)) == {"576123456789012345", "576123456789012346", "576123456789012347"}
    assert by_id(parsed)["576123456789012347"].target == "cancelled"
    assert problems(parsed) == [
        (7, "Quantity", "invalid_quantity", "576123456789012348"),
        (8, "Recipient", "missing_recipient", "576123456789012349"),
    ]


def test_an_order_with_two_problems_reports_both_and_a_row_without_an_order_id_is_named():
    csv = (
        "Order ID,Order Status,Seller SKU,Quantity,SKU Subtotal After Discount,Recipient\n"
        "5761,COMPLETED,,1,abc,Somchai\n"
        ",COMPLETED,TEE,1,10,Malee\n"
    )

    parsed = read_orders("tiktok", csv.encode(), filename="tiktok.csv")

    assert parsed.orders == []
    assert problems(parsed) == [
        (2, "Seller SKU", "missing_sku", "5761"),
        (2, "SKU Subtotal After Discount", "invalid_money", "5761"),
        (3, "Order ID", "missing_order_id", ""),
    ]


# --- Talad's own csv ------------------------------------------------------------------------


def test_talad_csv_reads_channel_status_labels_and_buddhist_era_dates():
    parsed = read_fixture("csv", "talad.csv")
    orders = by_id(parsed)

    facebook = orders["FB-1001"]
    assert (facebook.channel, facebook.target) == ("facebook", "to_pack")
    assert lines(facebook) == [
        ("TEE-RED-M", 2, Decimal("250.00"), Decimal("0.00")),
        ("MUG-01", 1, Decimal("1070.00"), Decimal("0.00")),
    ]
    assert (facebook.subdistrict, facebook.district, facebook.postcode) == (
        "สามเสนใน",
        "พญาไท",
        "10400",
    )
    line = orders["LINE-7"]
    assert (line.channel, line.status_text, line.target) == ("line", "", "pending")
    assert line.created_at == datetime(2024, 7, 20, 12, 30, tzinfo=BANGKOK)  # 2567 BE
    assert line.one_line_address is True
    assert problems(parsed) == [(5, "channel", "unknown_channel", "LINE-8")]


# --- What every reader shares ---------------------------------------------------------------


def test_a_shop_adds_its_own_header_names_and_status_texts():
    csv = "เลขออเดอร์,สถานะ,Seller SKU,Quantity,SKU Subtotal After Discount,Recipient\n9,รอยืนยัน,T,1,10,A\n"

    with pytest.raises(FileRejected):
        read_orders("tiktok", csv.encode(), filename="t.csv")
    parsed = read_orders(
        "tiktok",
        csv.encode(),
        filename="t.csv",
        aliases={"order_id": ["เลขออเดอร์"], "status": "สถานะ"},
        statuses={"รอยืนยัน": "pending"},
    )

    assert [(o.external_id, o.target) for o in parsed.orders] == [("9", "pending")]


def test_a_status_the_table_does_not_know_is_a_problem_not_a_guess():
    csv = "orderNumber,sellerSku,unitPrice,shippingName,status\n7,T,10,A,lost_in_space\n"

    parsed = read_orders("lazada", csv.encode(), filename="l.csv")

    assert parsed.orders == []
    assert problems(parsed) == [(2, "status", "unknown_status", "7")]


def test_a_shop_setting_naming_an_unknown_field_or_target_is_refused():
    with pytest.raises(ValueError, match="unknown import field"):
        read_orders("csv", b"order_id\n1\n", filename="x.csv", aliases={"colour": ["สี"]})
    with pytest.raises(ValueError, match="not one of"):
        read_orders("csv", b"order_id\n1\n", filename="x.csv", statuses={"x": "lost"})


def test_a_file_that_is_not_the_formats_export_is_refused_naming_the_missing_columns():
    with pytest.raises(FileRejected) as refused:
        read_fixture("shopee", "tiktok.csv")

    assert "ชื่อผู้รับ" in refused.value.message
    assert refused.value.fields["columns.recipient_name"] == "missing_column"


def test_an_unknown_format_is_refused_not_a_crash():
    with pytest.raises(FileRejected) as refused:
        read_orders("ebay", b"x\n1\n", filename="x.csv")

    assert refused.value.fields == {"format": "unknown_format"}
    assert FORMATS == ("shopee", "lazada", "tiktok", "csv")


def test_an_id_excel_rounded_into_a_float_is_refused_and_whole_numbers_stay_exact():
    headers = ["Order ID", "Order Status", "Seller SKU", "Quantity", "SKU Subtotal After Discount"]
    rows = [
        [*headers, "Recipient"],
        [401234567890123, "COMPLETED", 8850001112223, 1, 10.5, "A"],  # 15 digits: exact
        # 18 digits do not fit a spreadsheet number: saved as 5.761234567890124e+17.
        [576123456789012345, "COMPLETED", "T", 1, 10, "B"],
    ]

    parsed = read_orders("tiktok", xlsx_bytes(rows), filename="t.xlsx")

    [order] = parsed.orders
    assert order.external_id == "401234567890123"
    assert order.lines[0].marketplace_sku == "8850001112223"
    assert order.lines[0].unit_price == Decimal("10.50")
    assert problems(parsed) == [(3, "Order ID", "id_as_number", "")]


def test_an_uploaded_file_object_is_read_like_bytes():
    upload = SimpleUploadedFile("shopee.xlsx", (FIXTURES / "shopee.xlsx").read_bytes())

    parsed = read_orders("shopee", upload, filename=upload.name)

    assert len(parsed.orders) == 4


def test_every_default_status_leads_to_a_talad_target():
    from talad.channels.imports.readers import LAYOUTS

    for layout in LAYOUTS.values():
        assert set(layout.statuses.values()) <= set(TARGETS), layout.format


def test_twenty_thousand_rows_are_read_and_one_more_is_refused():
    header = "order_id,sku,quantity,unit_price,recipient_name\n"
    rows = "".join(f"{n},SKU-{n % 7},1,10,A\n" for n in range(MAX_ROWS))

    parsed = read_orders("csv", (header + rows).encode(), filename="orders.csv")
    assert (parsed.rows_read, len(parsed.orders), parsed.problems) == (MAX_ROWS, MAX_ROWS, [])
    with pytest.raises(FileTooLarge):
        read_orders("csv", (header + rows + "x,S,1,10,A\n").encode(), filename="orders.csv")


def test_an_xlsx_declaring_more_rows_than_allowed_is_refused_before_it_is_read():
    rows = [["orderNumber", "sellerSku", "unitPrice", "shippingName", "status"]]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.active.cell(row=MAX_ROWS + 2, column=1, value="1")  # one row past the bound
    out = io.BytesIO()
    book.save(out)

    with pytest.raises(FileTooLarge):
        read_orders("lazada", out.getvalue(), filename="big.xlsx")
