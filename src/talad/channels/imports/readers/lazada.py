"""Lazada's `Order.list.export` (xlsx or csv, English headers, one row per piece;
docs/design/marketplaces.md): rows with the same orderNumber and sellerSku are one line,
quantity = rows.

Each row is one piece, so its money is the piece's: `unitPrice` is the price,
`sellerDiscountTotal` (written negative) the seller's discount on that piece, and
`shippingFee` the piece's share of shipping, summed over the order's rows.
"""

from talad.channels.imports.readers.layout import Layout, statuses

COLUMNS = {
    "order_id": ("orderNumber", "เลขที่คำสั่งซื้อ"),
    "item_id": ("lazadaSku", "lazadaId"),  # the item's; orderItemId names one piece's row
    "status": ("status", "สถานะ"),
    "created_at": ("createTime", "วันที่สั่งซื้อ"),
    "paid_at": ("paidTime", "updateTime"),
    "ship_by": ("promisedShippingTime", "ttsSla"),
    "sku": ("sellerSku", "SKU ผู้ขาย"),
    "item_name": ("itemName", "ชื่อสินค้า"),
    "unit_price": ("unitPrice", "ราคาต่อหน่วย"),
    "line_total": ("paidPrice",),
    "line_discount": ("sellerDiscountTotal",),
    "shipping_fee": ("shippingFee", "ค่าจัดส่ง"),
    "recipient_name": ("shippingName", "ชื่อผู้รับ"),
    "phone": ("shippingPhone", "shippingPhone2", "เบอร์โทรผู้รับ"),
    "address": ("shippingAddress", "ที่อยู่จัดส่ง"),
    "address2": ("shippingAddress2",),
    "address3": ("shippingAddress3",),
    "address4": ("shippingAddress4",),
    "address5": ("shippingAddress5",),
    "district": ("shippingCity",),
    "province": ("shippingRegion",),
    "postcode": ("shippingPostCode", "รหัสไปรษณีย์"),
    "carrier": ("shippingProvider", "ผู้ให้บริการขนส่ง"),
    "tracking": ("trackingCode", "หมายเลขพัสดุ"),
    "buyer_tax_id": ("taxCode",),
    "buyer_branch": ("branchNumber",),
}

# Unverified (docs/design/marketplaces.md). Lazada's "pending" is a paid order waiting for the seller.
STATUSES = statuses(
    {
        "unpaid": "pending",
        "pending": "to_pack",
        "packed": "to_pack",
        "ready_to_ship": "to_pack",
        "shipped": "shipped",
        "delivered": "delivered",
        "canceled": "cancelled",
        "cancelled": "cancelled",
        "returned": "returning",
        "failed": "returning",
    }
)

LAYOUT = Layout(
    format="lazada",
    channel="lazada",
    columns=COLUMNS,
    statuses=STATUSES,
    required=("order_id", "status", "recipient_name"),
    summed=frozenset({"shipping_fee"}),
    one_row_per_piece=True,
    signed=frozenset({"line_discount"}),
)
