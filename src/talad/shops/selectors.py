"""Reads for shops and memberships."""

from talad.shops.models import Membership


def shops_of_user(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("shop").order_by("shop__name"))
