from django.urls import path

from talad.payments import views

app_name = "payments"
urlpatterns = [
    path("cod/outstanding/", views.outstanding, name="cod_outstanding"),
    path("cod/statements/", views.statements, name="cod_statements"),
    path("cod/statements/<int:pk>/", views.statement, name="cod_statement"),
]
