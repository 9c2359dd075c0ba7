"""The column of the file a refused field came from, so every error names row and column.

The domain names fields by their input path (`customer.phone`, `lines[0].sku`, `carrier`);
the seller sees the header their marketplace wrote. Headers per format follow
docs/design/marketplaces.md; a field without a column here is named by its path.
"""

import re

# Talad field → the header as each format spells it.
HEADERS = {
    "shopee": {
        "external_id": "หมายเลขคำสั่งซื้อ",
        "status": "สถานะการสั่งซื้อ",
        "sku": "เลขอ้างอิง SKU (SKU Reference No.)",
        "quantity": "จำนวน",
        "unit_price": "ราคาขาย",
        "line_discount": "ราคาขาย",
        "shipping_fee": "ค่าจัดส่งที่ชำระโดยผู้ซื้อ",
        "carrier": "ตัวเลือกการจัดส่ง",
        "tracking_number": "*หมายเลขติดตามพัสดุ",
        "ship_by": "วันที่คาดว่าจะทำการจัดส่งสินค้า",
        "name": "ชื่อผู้รับ",
        "phone": "หมายเลขโทรศัพท์",
        "address": "ที่อยู่ในการจัดส่ง",
        "postcode": "รหัสไปรษณีย์",
        "tax_id": "หมายเลขประจำตัวผู้เสียภาษี",
        "branch_code": "รหัสประจำสาขา",
    },
    "lazada": {
        "external_id": "orderNumber",
        "status": "status",
        "sku": "sellerSku",
        "quantity": "sellerSku",  # Lazada's quantity is the number of rows per SKU
        "unit_price": "unitPrice",
        "line_discount": "sellerDiscountTotal",
        "discount": "sellerDiscountTotal",
        "shipping_fee": "shippingFee",
        "carrier": "shippingProvider",
        "tracking_number": "trackingCode",
        "name": "shippingName",
        "phone": "shippingPhone",
        "address": "shippingAddress",
        "postcode": "shippingPostCode",
        "tax_id": "taxCode",
        "branch_code": "branchNumber",
    },
    "tiktok": {
        "external_id": "Order ID",
        "status": "Order Status",
        "sku": "Seller SKU",
        "quantity": "Quantity",
        "unit_price": "SKU Subtotal After Discount",
        "line_discount": "SKU Subtotal After Discount",
        "shipping_fee": "Shipping Fee After Discount",
        "carrier": "Shipping Provider Name",
        "tracking_number": "Tracking ID",
        "ship_by": "RTS Time",
        "name": "Recipient",
        "phone": "Phone #",
        "address": "Detail Address",
        "postcode": "Zipcode",
    },
}

# The last part of a domain field path → the field above.
_LEAVES = {
    "line": "address",
    "subdistrict": "address",
    "district": "address",
    "province": "address",
    "amount": "unit_price",
    "short": "quantity",
}

LINE_FIELD = re.compile(r"lines\[(\d+)\]")


def column_for(fmt: str, path: str) -> str:
    """The header of `fmt` that holds the field at `path` (a generic name for csv)."""
    leaf = path.rsplit(".", 1)[-1].split("[", 1)[0]
    name = _LEAVES.get(leaf, leaf)
    return HEADERS.get(fmt, {}).get(name, name)
