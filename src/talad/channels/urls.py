from django.urls import path

from talad.channels import views

app_name = "channels"
urlpatterns = [
    path("", views.new_order, name="new_order"),
    path("parse/", views.parse, name="parse"),
    path("products/", views.product_search, name="product_search"),
    path("line/", views.line_row, name="line_row"),
    path("totals/", views.totals, name="totals"),
]
