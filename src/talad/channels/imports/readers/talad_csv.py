"""Talad's own order csv (or xlsx): one row per line, for orders from anywhere a seller keeps
a spreadsheet. Headers may be the English names below or their Thai labels; only order id,
recipient, SKU, quantity and price are needed. A blank or missing status is "pending";
a blank or missing channel is "other". The columns are listed in docs/design/marketplaces.md.
"""

from talad.channels.imports.readers.layout import Layout, statuses

COLUMNS = {
    "order_id": ("order_id", "เลขที่คำสั่งซื้อ", "หมายเลขคำสั่งซื้อ"),
    "channel": ("channel", "ช่องทาง", "ช่องทางการขาย"),
    "status": ("status", "สถานะ"),
    "created_at": ("created_at", "วันที่สั่งซื้อ"),
    "paid_at": ("paid_at", "วันที่ชำระเงิน"),
    "ship_by": ("ship_by", "ส่งภายใน"),
    "sku": ("sku", "รหัสสินค้า"),
    "item_id": ("item_id", "รหัสสินค้าของช่องทาง"),
    "item_name": ("item_name", "ชื่อสินค้า"),
    "quantity": ("quantity", "จำนวน"),
    "unit_price": ("unit_price", "ราคาต่อชิ้น"),
    "line_total": ("line_total", "ราคารวม"),
    "line_discount": ("line_discount", "ส่วนลดรายการ"),
    "shipping_fee": ("shipping_fee", "ค่าส่ง"),
    "seller_discount": ("discount", "ส่วนลด"),
    "recipient_name": ("recipient_name", "ชื่อผู้รับ"),
    "phone": ("phone", "เบอร์โทร"),
    "address": ("address", "ที่อยู่"),
    "subdistrict": ("subdistrict", "ตำบล", "แขวง/ตำบล"),
    "district": ("district", "อำเภอ", "เขต/อำเภอ"),
    "province": ("province", "จังหวัด"),
    "postcode": ("postcode", "รหัสไปรษณีย์"),
    "carrier": ("carrier", "ขนส่ง"),
    "tracking": ("tracking_number", "เลขพัสดุ"),
    "buyer_tax_id": ("buyer_tax_id", "เลขประจำตัวผู้เสียภาษี"),
    "buyer_branch": ("buyer_branch", "สาขา"),
}

# Talad's own codes and their Thai labels (orders.models.Status), and plain English.
STATUSES = statuses(
    {
        "pending": "pending",
        "รอชำระเงิน": "pending",
        "unpaid": "pending",
        "to_pack": "to_pack",
        "รอแพ็ค": "to_pack",
        "paid": "to_pack",
        "ชำระแล้ว": "to_pack",
        "to_ship": "to_pack",
        "รอส่ง": "to_pack",
        "shipped": "shipped",
        "จัดส่งแล้ว": "shipped",
        "delivered": "delivered",
        "ได้รับสินค้าแล้ว": "delivered",
        "completed": "delivered",
        "cancelled": "cancelled",
        "ยกเลิก": "cancelled",
        "returning": "returning",
        "กำลังตีกลับ": "returning",
        "returned": "returning",
        "ตีกลับแล้ว": "returning",
    }
)

# Talad's channel codes (orders.models.Channel) and the names sellers write for them.
CHANNELS = statuses(
    {
        "website": "website",
        "เว็บไซต์": "website",
        "facebook": "facebook",
        "fb": "facebook",
        "เฟซบุ๊ก": "facebook",
        "line": "line",
        "ไลน์": "line",
        "instagram": "instagram",
        "ig": "instagram",
        "shopee": "shopee",
        "ช้อปปี้": "shopee",
        "lazada": "lazada",
        "ลาซาด้า": "lazada",
        "tiktok": "tiktok",
        "tiktok shop": "tiktok",
        "phone": "phone",
        "โทรศัพท์": "phone",
        "walk_in": "walk_in",
        "หน้าร้าน": "walk_in",
        "other": "other",
        "อื่น ๆ": "other",
        "อื่นๆ": "other",
    }
)

LAYOUT = Layout(
    format="csv",
    channel="",
    columns=COLUMNS,
    statuses=STATUSES,
    required=("order_id", "recipient_name", "quantity"),
    blank_status="pending",
    channel_names=CHANNELS,
)
