from django.contrib import admin
from django.urls import path

from talad.api import api
from talad.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
