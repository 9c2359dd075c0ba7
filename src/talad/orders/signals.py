"""Order events for the apps above orders (shipping, payments, accounting).

`order_action_applied` is sent inside the transaction of the action, after the status has
changed (for `create`: after the order, its lines and reservations are written): a receiver
that raises rolls the whole action back. Receivers must be quick and must not call
transition() again.

kwargs: order, action, effects (the action's orders.effects type: Shipped for `ship`,
Created for `create`, …), by (Actor), change (StatusChange).
"""

from django.dispatch import Signal

order_action_applied = Signal()

# Sent inside the transaction of orders.corrections.correct_order, after the order is saved:
# kwargs order, before, after (dicts of what changed hands, as the audit row keeps them), by.
# A receiver that raises refuses the correction (accounting: the order has a tax document).
order_corrected = Signal()
