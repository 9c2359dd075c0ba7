"""Gap-free order numbers per shop: SO-000001, SO-000002, …

The number is taken inside the order's transaction with one UPDATE on the shop's sequence
row. The row stays locked until commit, so a rolled-back order gives its number back and
no two orders share one. The price: order creation in one shop is serialised from this
step to commit (measured in bench/, see docs/performance.md).
"""

import re

from django.db.models import F

from talad.orders.models import OrderNumberSequence
from talad.shops.models import Shop


def next_order_number(shop: Shop) -> str:
    rows = OrderNumberSequence.objects.for_shop(shop)
    if rows.update(last_number=F("last_number") + 1) == 0:
        OrderNumberSequence.objects.bulk_create(
            [OrderNumberSequence(shop=shop)], ignore_conflicts=True
        )
        rows.update(last_number=F("last_number") + 1)
    sequence = rows.get()
    return f"{sequence.prefix}{sequence.last_number:06d}"


def number_from_digits(shop: Shop, text: str) -> str | None:
    """`123` or `000123` → `SO-000123`: the number as people say it, without the prefix."""
    if not re.fullmatch(r"\d{1,9}", text or ""):
        return None
    sequence = OrderNumberSequence.objects.for_shop(shop).first()
    prefix = sequence.prefix if sequence is not None else OrderNumberSequence().prefix
    return f"{prefix}{int(text):06d}"
