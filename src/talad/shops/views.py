from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from talad.shops.middleware import SESSION_KEY
from talad.shops.selectors import shops_of_user


@require_POST
def switch_shop(request):
    """Choose the current shop among the user's own; anything else is ignored."""
    chosen = request.POST.get("shop", "")
    if chosen.isdigit() and any(m.shop_id == int(chosen) for m in shops_of_user(request.user)):
        request.session[SESSION_KEY] = int(chosen)
    return redirect(request.POST.get("next") or "dashboard")
