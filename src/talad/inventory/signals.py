"""Stock events for the apps above inventory (accounting).

`stock_changed` is sent inside the transaction of `receive_stock`, `adjust_stock` and
`count_stock`, after the levels and the ledger are written: a receiver that raises rolls the
whole change back. kwargs: shop, change (inventory.effects.StockReceived or StockAdjusted),
by (Actor).
"""

from django.dispatch import Signal

stock_changed = Signal()
