"""One customer per phone per shop: an order with a known phone attaches to that customer."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.orders.models import Customer
from talad.shops.models import Shop

ADDRESS_FIELDS = ("address_line", "subdistrict", "district", "province", "postcode")
PROFILE_FIELDS = ("email", "line_id", "social_name", "tax_id", "branch_code", *ADDRESS_FIELDS)


def find_or_create_customer(*, shop: Shop, name: str, phone: str, profile: dict) -> Customer | None:
    """The shop's customer with this phone, filling in what they had left blank; or a new one.

    Without a phone there is nothing reliable to match on, so no customer record is made;
    the order still keeps the name and address as typed."""
    if not phone:
        return None
    customer = Customer.objects.for_shop(shop).filter(phone=phone).first()
    if customer is None:
        try:
            with transaction.atomic():
                return Customer.objects.create(shop=shop, name=name, phone=phone, **_known(profile))
        except IntegrityError:  # the same phone arrived in a concurrent order
            customer = Customer.objects.for_shop(shop).get(phone=phone)
    missing = {k: v for k, v in _known(profile).items() if not getattr(customer, k)}
    if missing:
        Customer.objects.for_shop(shop).filter(pk=customer.pk).update(**missing)
        for key, value in missing.items():
            setattr(customer, key, value)
    return customer


def _known(profile: dict) -> dict:
    return {k: v for k, v in profile.items() if k in PROFILE_FIELDS and v}


def require_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise TaladError(_("ต้องระบุชื่อลูกค้า"), fields={"customer.name": "required"})
    return name.strip()[:200]


def known_customer(*, shop: Shop, phone: str) -> dict | None:
    """The shop's customer with this phone, with how many of their COD parcels were refused."""
    customer = Customer.objects.for_shop(shop).filter(phone=phone).first() if phone else None
    if customer is None:
        return None
    orders = customer.orders.all()
    return {
        "id": customer.pk,
        "name": customer.name,
        "orders": orders.count(),
        "refused_cod_count": orders.filter(
            payment_method="cod", failed_delivery_reason="refused"
        ).count(),
    }
