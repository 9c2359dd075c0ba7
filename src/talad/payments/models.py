"""Money received for orders (transfer slips, PromptPay, card, marketplace payouts)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.orders.models import Order, PaymentMethod
from talad.shops.scoping import ShopOwned


class Payment(ShopOwned):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("ยอดเงิน"), max_digits=14, decimal_places=2)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("เลขอ้างอิง"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("วันเวลาที่ชำระ"))
    slip = models.FileField(_("สลิปโอนเงิน"), upload_to="slips/%Y/%m/", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
