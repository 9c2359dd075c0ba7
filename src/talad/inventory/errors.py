"""Stock errors, in the seller's words."""

from django.utils.translation import gettext as _

from talad.errors import Conflict, TaladError


class InsufficientStock(Conflict):
    """Not enough available stock. `short` lists every SKU that fell short, not only the first."""

    code = "insufficient_stock"

    def __init__(self, short: list[dict]):
        skus = ", ".join(item["sku"] for item in short)
        super().__init__(_("สินค้าไม่พอ: %(skus)s") % {"skus": skus}, short=short)
        self.short = short


class StockRuleBroken(TaladError):
    """A stock change that would break a rule (e.g. count below what is reserved)."""

    code = "stock_rule"
    status = 409
