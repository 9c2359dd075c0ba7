from django.urls import path

from talad.payments import refund_views, views

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
    path("slips/<int:pk>/", views.slip, name="slip"),
    path("orders/<int:pk>/refund/", refund_views.refund, name="refund"),
]
