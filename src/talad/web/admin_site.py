"""The Django admin, when TALAD_ADMIN=1 turns it on: for superusers only.

Django's own site lets in any active staff user; Talad's staff are shop members whose rights
come from their role (shops.permissions), so the admin, which sees every shop, is kept for
the people who run the installation.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "talad.web.admin_site.SuperuserAdminSite"
