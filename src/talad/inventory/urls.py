from django.urls import path

from talad.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.levels, name="levels"),
    path("sku/", views.sku_page, name="sku"),
    path("receive/", views.act, {"action": "receive"}, name="receive"),
    path("adjust/", views.act, {"action": "adjust"}, name="adjust"),
    path("count/", views.act, {"action": "count"}, name="count"),
]
