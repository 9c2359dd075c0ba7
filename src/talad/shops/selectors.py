"""Reads for shops and memberships."""

from talad.shops.models import Membership


def shops_of_user(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("shop").order_by("shop__name"))


def locked_out_usernames(usernames) -> set[str]:
    """Which of these accounts django-axes holds locked now (too many failed logins).

    An account counts as locked when its own failures reached TALAD_LOGIN_FAILURES within
    the cool-off; an address locked for trying many accounts shows on none of them.
    """
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=list(usernames),
            failures_since_start__gte=settings.TALAD_LOGIN_FAILURES,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )
