"""Reads for shops and memberships."""

from talad.shops.models import Membership, Shop


def shops_of_user(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("shop").order_by("shop__name"))


def membership_for(user, shop: Shop) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, shop=shop).first()
