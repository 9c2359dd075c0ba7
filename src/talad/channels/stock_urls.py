from django.urls import path

from talad.channels import stock_views

app_name = "channel_stock"
urlpatterns = [
    path("", stock_views.stock_to_sell, name="index"),
    path("<str:channel>/buffer/", stock_views.set_buffer, name="set_buffer"),
    path("<str:channel>/stock.xlsx", stock_views.download, {"fmt": "xlsx"}, name="xlsx"),
    path("<str:channel>/stock.csv", stock_views.download, {"fmt": "csv"}, name="csv"),
]
