"""Resolve the current shop for a browser session.

The shop is the one chosen in the session (the shop switcher) if the user is still a member
of it, else their first shop. `request.shop` and `request.actor` are None for anonymous users.
API requests resolve their shop from the token instead (talad.api).
"""

from talad.shops.actors import Actor
from talad.shops.selectors import shops_of_user

SESSION_KEY = "talad_shop_id"


class CurrentShopMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.shop = None
        request.memberships = []
        request.actor = None
        if not request.path.startswith("/api/"):
            self._resolve(request)
        return self.get_response(request)

    @staticmethod
    def _resolve(request) -> None:
        memberships = request.memberships = shops_of_user(request.user)
        if not memberships:
            return
        chosen = request.session.get(SESSION_KEY)
        membership = next((m for m in memberships if m.shop_id == chosen), memberships[0])
        request.shop = membership.shop
        request.actor = Actor.for_user(request.user, membership.role)
