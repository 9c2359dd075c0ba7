"""TikTok Shop's order export (csv or xlsx; docs/design/marketplaces.md): row 2 describes each column and
is skipped, values end with a tab, a BOM may lead the file. The line's money is its total
after discount (`SKU Subtotal After Discount`); order money repeats on each line's row.
Thai address headers are unknown: the aliases cover the likely ones, and without them the
address is `Detail Address` + `Zipcode`, split later as a one-line address.
"""

from talad.channels.imports.readers.layout import Layout, statuses

COLUMNS = {
    "order_id": ("Order ID", "หมายเลขคำสั่งซื้อ"),
    "status": ("Order Status", "สถานะคำสั่งซื้อ"),
    "created_at": ("Created Time", "เวลาที่สร้าง"),
    "paid_at": ("Paid Time", "เวลาที่ชำระเงิน"),
    "ship_by": ("RTS Time",),
    "sku": ("Seller SKU", "SKU ผู้ขาย"),
    "item_id": ("SKU ID", "Product ID"),
    "item_name": ("Product Name", "ชื่อสินค้า"),
    "quantity": ("Quantity", "จำนวน"),
    "line_total": ("SKU Subtotal After Discount", "ยอดรวม SKU หลังหักส่วนลด"),
    "shipping_fee": ("Shipping Fee After Discount", "ค่าจัดส่งหลังหักส่วนลด"),
    "recipient_name": ("Recipient", "ผู้รับ", "ชื่อผู้รับ"),
    "phone": ("Phone #", "Phone", "เบอร์โทรศัพท์"),
    "address": ("Detail Address", "Address Line 1", "ที่อยู่โดยละเอียด", "ที่อยู่"),
    "address2": ("Additional address information", "Address Line 2"),
    "subdistrict": ("Sub-district", "Subdistrict", "Villages", "ตำบล", "แขวง/ตำบล"),
    "district": ("District", "Districts", "อำเภอ", "เขต/อำเภอ"),
    "province": ("Province", "State", "จังหวัด"),
    "postcode": ("Zipcode", "Zip Code", "รหัสไปรษณีย์"),
    "carrier": ("Shipping Provider Name", "ผู้ให้บริการขนส่ง"),
    "tracking": ("Tracking ID", "หมายเลขติดตามพัสดุ"),
}

# The API's codes (docs/design/marketplaces.md) and the export's words for them; unverified. ON_HOLD is a
# paid order in its cancellation window, AWAITING_COLLECTION one labelled, not yet picked up.
STATUSES = statuses(
    {
        "UNPAID": "pending",
        "ON_HOLD": "to_pack",
        "AWAITING_SHIPMENT": "to_pack",
        "To ship": "to_pack",
        "PARTIALLY_SHIPPING": "to_pack",
        "AWAITING_COLLECTION": "to_pack",
        "IN_TRANSIT": "shipped",
        "Shipped": "shipped",
        "DELIVERED": "delivered",
        "COMPLETED": "delivered",
        "CANCELLED": "cancelled",
        "Canceled": "cancelled",
        "RETURNED": "returning",
        "ยังไม่ชำระเงิน": "pending",
        "ที่ต้องจัดส่ง": "to_pack",
        "รอจัดส่ง": "to_pack",
        "จัดส่งแล้ว": "shipped",
        "กำลังจัดส่ง": "shipped",
        "จัดส่งสำเร็จ": "delivered",
        "เสร็จสมบูรณ์": "delivered",
        "ยกเลิกแล้ว": "cancelled",
    }
)

LAYOUT = Layout(
    format="tiktok",
    channel="tiktok",
    columns=COLUMNS,
    statuses=STATUSES,
    required=("order_id", "status", "recipient_name", "quantity"),
    description_row=True,
)
