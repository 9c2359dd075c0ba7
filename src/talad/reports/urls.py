from django.urls import path

from talad.reports import lists

app_name = "reports"
urlpatterns = [
    path("sales/", lists.sales, name="sales"),
    path("sales/export/", lists.sales_export, name="sales_export"),
    path("returns/", lists.returns, name="returns"),
]
