from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.i18n import set_language

from talad.api import api
from talad.reports.views import dashboard
from talad.web.login import LoginForm

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("shop/", include("talad.shops.urls")),
    path("orders/new/", include("talad.channels.urls")),
    path("orders/import/", include("talad.channels.imports.urls")),
    path("orders/", include("talad.orders.urls")),
    path("shipping/", include("talad.shipping.urls")),
    path("payments/", include("talad.payments.urls")),
    path("products/", include("talad.catalog.urls")),
    path("stock/channels/", include("talad.channels.stock_urls")),
    path("stock/", include("talad.inventory.urls")),
    path("accounting/", include("talad.accounting.urls")),
    path("integrations/", include("talad.integrations.urls")),
    path("reports/", include("talad.reports.urls")),
    path("api/v1/", api.urls),
]
if settings.TALAD_ADMIN:  # off by default; superusers only (talad.web.admin_site)
    from django.contrib import admin

    urlpatterns.append(path("admin/", admin.site.urls))


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    body = {"error": {"code": code, "message": message, "fields": {}}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _not_found(request, exception=None):
    """API clients get the API's error shape for an unknown URL; people get the HTML page."""
    if request.path.startswith("/api/"):
        return _api_error("not_found", _("ไม่พบข้อมูล"), 404)
    return render(request, "404.html", status=404)


# What Django answers before or around the API's own handlers (a Host not in ALLOWED_HOSTS,
# an error in a middleware) comes in the API's error shape too.
def _bad_request(request, exception=None):
    if request.path.startswith("/api/"):
        return _api_error("bad_request", _("คำขอไม่ถูกต้อง"), 400)
    return defaults.bad_request(request, exception)


def _forbidden(request, exception=None):
    if request.path.startswith("/api/"):
        return _api_error("forbidden", _("ไม่มีสิทธิ์ทำรายการนี้"), 403)
    return defaults.permission_denied(request, exception)


def _server_error(request):
    if request.path.startswith("/api/"):
        return _api_error("server_error", _("เกิดข้อผิดพลาดในระบบ"), 500)
    return defaults.server_error(request)


handler400 = _bad_request
handler403 = _forbidden
handler404 = _not_found
handler500 = _server_error
