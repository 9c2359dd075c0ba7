"""One customer per phone per shop: an order with a known phone attaches to that customer."""

import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Max, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from talad.errors import NotFound, TaladError
from talad.orders.contacts import normalise_phone
from talad.orders.models import Customer, Order, PaymentMethod, Status
from talad.orders.selectors import phone_fragment
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


# --- The customer list ------------------------------------------------------------------------

# A cancelled order was never bought; one coming back or back (refused, or sent back and
# refunded) was not kept, so none of them counts as what the customer spent.
NOT_BOUGHT = (Status.CANCELLED,)
NOT_SPENT = (Status.CANCELLED, Status.RETURNING, Status.RETURNED)
REFUSED_COD = Q(orders__payment_method=PaymentMethod.COD, orders__failed_delivery_reason="refused")


def with_totals(customers):
    """Each customer with `order_count` (not cancelled), `spend` (not cancelled, returning or
    returned), `refused_cod_count` and `last_order_at`, summed by the database in one query."""
    money = DecimalField(max_digits=14, decimal_places=2)
    return customers.annotate(
        order_count=Count("orders", filter=~Q(orders__status__in=NOT_BOUGHT)),
        spend=Coalesce(
            Sum("orders__total", filter=~Q(orders__status__in=NOT_SPENT)),
            Value(Decimal("0.00")),
            output_field=money,
        ),
        refused_cod_count=Count("orders", filter=REFUSED_COD),
        last_order_at=Max("orders__created_at"),
    )


def customers_page(
    *, shop: Shop, q: str | None = None, before_id: int | None = None, limit: int = 50
) -> list[Customer]:
    """Newest customers first (keyset on id), each with their totals; `q` finds digits
    anywhere in the phone, or text in the name, LINE ID, Facebook/Instagram name or e-mail."""
    rows = Customer.objects.for_shop(shop)
    q = (q or "").strip()
    if fragment := phone_fragment(q):
        rows = rows.filter(phone__contains=fragment)
    elif q and not re.fullmatch(r"[\d\s\-+()]+", q):
        rows = rows.filter(
            Q(name__icontains=q)
            | Q(line_id__icontains=q)
            | Q(social_name__icontains=q)
            | Q(email__icontains=q)
        )
    elif q:
        return []  # too few digits to mean a phone
    if before_id:
        rows = rows.filter(pk__lt=before_id)
    return list(with_totals(rows).order_by("-id")[:limit])


def customer_summary(*, shop: Shop, customer_id: int) -> Customer:
    """One customer of this shop with their totals; another shop's is NotFound."""
    customer = with_totals(Customer.objects.for_shop(shop).filter(pk=customer_id)).first()
    if customer is None:
        raise NotFound(_("ไม่พบลูกค้า"))
    return customer


def customer_orders(*, shop: Shop, customer: Customer, limit: int = 50) -> list[Order]:
    return list(Order.objects.for_shop(shop).filter(customer=customer).order_by("-id")[:limit])


def likely_duplicates(*, shop: Shop, customer: Customer, limit: int = 10) -> list[Customer]:
    """Other customers of the shop who are probably the same person: the same name, LINE ID
    or Facebook/Instagram name (a second phone number is how duplicates are born)."""
    same = Q(name__iexact=customer.name.strip())
    if customer.line_id:
        same |= Q(line_id__iexact=customer.line_id)
    if customer.social_name:
        same |= Q(social_name__iexact=customer.social_name)
    rows = Customer.objects.for_shop(shop).filter(same).exclude(pk=customer.pk)
    return list(with_totals(rows).order_by("-id")[:limit])


def customer_with_phone(*, shop: Shop, phone: str, field: str = "phone") -> Customer:
    """The shop's customer with this phone, typed in any format; NotFound naming `field`."""
    found = (
        Customer.objects.for_shop(shop).filter(phone=normalise_phone(phone, field=field)).first()
    )
    if found is None:
        raise NotFound(_("ไม่พบลูกค้าเบอร์นี้ในร้าน"), fields={field: "not_found"})
    return found
