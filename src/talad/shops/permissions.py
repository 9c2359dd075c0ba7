"""What each role may do (docs/design/tenancy.md#capabilities).

Views and API handlers ask here; they never list roles.
"""

from django.utils.translation import gettext as _

from talad.errors import PermissionDenied
from talad.shops.models import Role

_ALL = frozenset(Role.values)
_OPERATIONS = frozenset({Role.OWNER, Role.ADMIN, Role.STAFF})

CAPABILITIES: dict[str, frozenset[str]] = {
    "view_catalog": _ALL,
    "manage_catalog": _OPERATIONS,
    "view_stock": _ALL,
    "change_stock": _OPERATIONS,
    # Web screens: a packer sees only the order desk and the packing screens.
    "view_dashboard": _ALL - {Role.PACKER},
    "browse_catalog": _ALL - {Role.PACKER},
    "browse_stock": _ALL - {Role.PACKER},
    "view_orders": _ALL,
    "manage_orders": _OPERATIONS,
    "pack_orders": _OPERATIONS | {Role.PACKER},
    # The customer list and the sales lists: not the packing bench; merging two customers
    # moves their orders, so only the owner and the shop's admin.
    "view_customers": _ALL - {Role.PACKER},
    "merge_customers": frozenset({Role.OWNER, Role.ADMIN}),
    "manage_settings": frozenset({Role.OWNER, Role.ADMIN}),
    "manage_members": frozenset({Role.OWNER}),
    "manage_tokens": frozenset({Role.OWNER, Role.ADMIN}),
    # COD statements from carriers and the money they still owe (not the packing bench).
    "reconcile_cod": _ALL - {Role.PACKER},
    # Accounting: documents for the order desk and the accountant; the books for the accountant.
    "view_documents": _ALL - {Role.PACKER},
    "issue_documents": _ALL - {Role.PACKER},
    "record_payments": _ALL - {Role.PACKER},
    # Money out of the shop's account back to a customer: not for the order desk.
    "refund_customers": frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT}),
    "view_books": frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT}),
    "manage_accounting": frozenset({Role.OWNER, Role.ACCOUNTANT}),
    # Integrations: the outbox and its failures for whoever keeps the books or the shop running;
    # the PEAK credentials are money settings (owner, accountant); webhooks are shop settings.
    "view_integrations": frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT}),
    "retry_deliveries": frozenset({Role.OWNER, Role.ADMIN, Role.ACCOUNTANT}),
    "manage_peak": frozenset({Role.OWNER, Role.ACCOUNTANT}),
    "manage_webhooks": frozenset({Role.OWNER, Role.ADMIN}),
}


def can(role: str, capability: str) -> bool:
    return role in CAPABILITIES[capability]


def require(actor, capability: str) -> None:
    """Refuse an action the actor's role does not allow."""
    if not can(actor.role, capability):
        raise PermissionDenied(
            _("สิทธิ์ %(role)s ทำรายการนี้ไม่ได้ (%(capability)s)")
            % {"role": actor.role, "capability": capability}
        )
