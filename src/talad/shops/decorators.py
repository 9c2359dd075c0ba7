"""Guards for the merchant's web pages: signed in, inside a shop, with the right role."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import render

from talad.shops.permissions import can


def shop_page(capability: str):
    """The view runs only for a member of the current shop whose role has `capability`."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.shop is None:
                return render(request, "web/no_shop.html", status=403)
            if not can(request.actor.role, capability):
                raise DjangoPermissionDenied(capability)
            return view(request, *args, **kwargs)

        return guarded

    return decorate
