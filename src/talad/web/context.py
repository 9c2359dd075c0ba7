"""What every page of the shell needs: the shop, the user's shops, and the menu for their role."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talad.shops.permissions import can

# (url name, label, capability needed)
MENU = (
    ("dashboard", _("ภาพรวม"), "view_dashboard"),
    ("orders:desk", _("รายการออเดอร์"), "view_orders"),
    ("orders:customers", _("ลูกค้า"), "view_customers"),
    ("reports:sales", _("รายงานยอดขาย"), "view_dashboard"),
    ("channels:new_order", _("สร้างออเดอร์"), "manage_orders"),
    ("shipping:pack", _("สแกนแพ็คสินค้า"), "pack_orders"),
    ("payments:cod_outstanding", _("ยอด COD ค้างรับ"), "reconcile_cod"),
    ("catalog:products", _("สินค้า"), "browse_catalog"),
    ("inventory:levels", _("สต๊อก"), "browse_stock"),
    ("accounting:documents", _("บัญชี"), "view_documents"),
    ("integrations:index", _("เชื่อมต่อระบบ"), "view_integrations"),
    ("shops:settings", _("ตั้งค่า"), "manage_settings"),
)


def shell(request) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {}
    menu = []
    for name, label, capability in MENU:
        if can(actor.role, capability):
            try:
                menu.append({"url": reverse(name), "label": label, "name": name})
            except Exception:
                continue
    return {
        "current_shop": request.shop,
        "my_shops": request.memberships,
        "menu": menu,
        "role": actor.role,
    }
