"""The landing page until the merchant's web app (issue 4) takes over."""

from django.shortcuts import render

from talad.inventory.selectors import low_stock


def home(request):
    context = {
        "shop": request.shop,
        "low_stock": low_stock(shop=request.shop) if request.shop else [],
    }
    return render(request, "web/home.html", context)
