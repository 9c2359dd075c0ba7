"""The sales lists as an xlsx workbook: one sheet per product, one per channel.

As the accounting files (accounting/reports.py), headings are Thai constants and amounts are
numbers with two places, so the seller's spreadsheet can sum them; the period is written on
top in Buddhist Era dates."""

import io
from datetime import date

from django.utils import translation

from talad.orders.models import Channel
from talad.reports.sales import ChannelSales, ProductSales
from talad.thai_dates import be_date

MONEY_FORMAT = "#,##0.00"
PRODUCT_HEADERS = ("รหัสสินค้า (SKU)", "สินค้า", "จำนวนชิ้น", "จำนวนออเดอร์", "ยอดขาย (บาท)")
CHANNEL_HEADERS = ("ช่องทางการขาย", "จำนวนออเดอร์", "ยอดขาย (บาท)")


def sales_xlsx(
    *,
    shop_name: str,
    date_from: date,
    date_to: date,
    products: list[ProductSales],
    channels: list[ChannelSales],
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    period = f"{shop_name} · {be_date(date_from)} ถึง {be_date(date_to)} (ไม่รวมออเดอร์ที่ยกเลิก)"
    book = Workbook()
    with translation.override("th"):
        channel_names = {value: str(label) for value, label in Channel.choices}
    sheets = (
        (
            "ตามสินค้า",
            PRODUCT_HEADERS,
            [[p.sku, p.name, p.quantity, p.orders, p.sales] for p in products],
            (18, 40, 12, 14, 16),
        ),
        (
            "ตามช่องทาง",
            CHANNEL_HEADERS,
            [[channel_names.get(c.channel, c.channel), c.orders, c.sales] for c in channels],
            (22, 14, 16),
        ),
    )
    for n, (title, headers, rows, widths) in enumerate(sheets):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = title
        sheet.append([f"ยอดขาย{title}"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([period])
        sheet.append([])
        sheet.append(list(headers))
        for cell in sheet[4]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
        total = ["รวม"] + [""] * (len(headers) - 1)
        total[-1] = sum((row[-1] for row in rows), 0)
        if headers is CHANNEL_HEADERS:
            total[1] = sum(row[1] for row in rows)  # orders: each is in one channel only
        else:
            total[2] = sum(row[2] for row in rows)  # units (orders repeat across products)
        sheet.append(total)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        money_column = len(headers)
        for r in range(5, sheet.max_row + 1):
            sheet.cell(r, money_column).number_format = MONEY_FORMAT
        for column, width in enumerate(widths, 1):
            sheet.column_dimensions[chr(64 + column)].width = width
        sheet.freeze_panes = sheet.cell(5, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
