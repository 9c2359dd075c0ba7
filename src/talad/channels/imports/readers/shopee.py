"""Shopee's order export (xlsx, Thai headers, one row per line; docs/design/marketplaces.md).

Province, district and postcode headers come twice, for the shipping address and again for
the tax address: the first is read (Columns takes a header at its first position). Order
money (shipping paid by the buyer, the seller's voucher) repeats on each line's row.
"""

from talad.channels.imports.readers.layout import Layout, statuses

COLUMNS = {
    "order_id": ("หมายเลขคำสั่งซื้อ", "Order ID"),
    "status": ("สถานะการสั่งซื้อ", "Order Status"),
    "created_at": ("วันที่ทำการสั่งซื้อ", "Order Creation Date"),
    "paid_at": ("เวลาการชำระสินค้า", "Order Paid Time"),
    "ship_by": ("วันที่คาดว่าจะทำการจัดส่งสินค้า", "Estimated Ship Out Date"),
    "carrier": ("ตัวเลือกการจัดส่ง", "Shipping Option"),
    "tracking": ("*หมายเลขติดตามพัสดุ", "หมายเลขติดตามพัสดุ", "Tracking Number*", "Tracking Number"),
    "sku": ("เลขอ้างอิง SKU (SKU Reference No.)", "เลขอ้างอิง SKU", "SKU Reference No."),
    "item_name": ("ชื่อสินค้า", "Product Name"),
    "quantity": ("จำนวน", "Quantity"),
    "unit_price": ("ราคาขาย", "Deal Price"),
    "shipping_fee": ("ค่าจัดส่งที่ชำระโดยผู้ซื้อ", "Buyer Paid Shipping Fee"),
    "seller_discount": ("โค้ดส่วนลดชำระโดยผู้ขาย", "Seller Voucher"),
    "recipient_name": ("ชื่อผู้รับ", "Receiver Name"),
    "phone": ("หมายเลขโทรศัพท์", "Phone Number"),
    "address": ("ที่อยู่ในการจัดส่ง", "Delivery Address"),
    "subdistrict": ("ตำบล", "แขวง/ตำบล", "ตำบล/แขวง"),
    "district": ("เขต/อำเภอ", "อำเภอ/เขต", "อำเภอ", "District"),
    "province": ("จังหวัด", "Province"),
    "postcode": ("รหัสไปรษณีย์", "Postal Code", "Zip Code"),
    "buyer_tax_id": ("หมายเลขประจำตัวผู้เสียภาษี", "Tax ID"),
    "buyer_branch": ("รหัสประจำสาขา", "Branch ID"),
}

# Unverified (docs/design/marketplaces.md): a shop adds its own with read_orders(..., statuses=...).
STATUSES = statuses(
    {
        "ยังไม่ชำระ": "pending",
        "ที่ต้องชำระ": "pending",
        "Unpaid": "pending",
        "ที่ต้องจัดส่ง": "to_pack",
        "To ship": "to_pack",
        "การจัดส่ง": "shipped",
        "กำลังจัดส่ง": "shipped",
        "Shipping": "shipped",
        "สำเร็จแล้ว": "delivered",
        "Completed": "delivered",
        "ยกเลิกแล้ว": "cancelled",
        "Cancelled": "cancelled",
        "คืนเงิน/คืนสินค้า": "returning",
        "Return/Refund": "returning",
    }
)

LAYOUT = Layout(
    format="shopee",
    channel="shopee",
    columns=COLUMNS,
    statuses=STATUSES,
    required=("order_id", "status", "recipient_name", "quantity"),
)
