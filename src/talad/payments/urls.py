from django.urls import path

from talad.payments import payout_views, refund_views, views

app_name = "payments"
urlpatterns = [
    path("cod/outstanding/", views.outstanding, name="cod_outstanding"),
    path("cod/statements/", views.statements, name="cod_statements"),
    path("cod/statements/<int:pk>/", views.statement, name="cod_statement"),
    path(
        "cod/statements/<int:pk>/rows/<int:row>/settle/",
        views.settle_row,
        name="cod_settle_row",
    ),
    path("payouts/", payout_views.payouts_page, name="payouts"),
    path("payouts/<int:pk>/", payout_views.payout, name="payout"),
    path("slips/<int:pk>/", views.slip, name="slip"),
    path("orders/<int:pk>/refund/", refund_views.refund, name="refund"),
]
