from django.urls import path

from talad.channels.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_orders_page, name="orders"),
    path("apply/", views.import_orders_apply, name="orders_apply"),
    path("map/", views.map_sku_page, name="map_sku"),
    path("skus/", views.sku_mappings_page, name="skus"),
    path("skus/<int:mapping_id>/delete/", views.forget_sku_page, name="forget_sku"),
]
