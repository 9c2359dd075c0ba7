from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from talad.api import api
from talad.reports.views import dashboard

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("shop/", include("talad.shops.urls")),
    path("orders/new/", include("talad.channels.urls")),
    path("orders/", include("talad.orders.urls")),
    path("shipping/", include("talad.shipping.urls")),
    path("payments/", include("talad.payments.urls")),
    path("products/", include("talad.catalog.urls")),
    path("stock/", include("talad.inventory.urls")),
    path("accounting/", include("talad.accounting.urls")),
    path("integrations/", include("talad.integrations.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]


def _not_found(request, exception=None):
    """API clients get the API's error shape for an unknown URL; people get the HTML page."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "not_found", "message": _("ไม่พบข้อมูล"), "fields": {}}}
        return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "404.html", status=404)


handler404 = _not_found
