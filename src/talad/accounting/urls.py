from django.urls import path

from talad.accounting import views

app_name = "accounting"
urlpatterns = [
    path("", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
    path("documents/<int:pk>/credit-note/", views.credit_note, name="credit_note"),
    path("orders/<int:order_pk>/issue/", views.issue, name="issue"),
    path("settings/", views.settings_page, name="settings"),
    path("trial-balance/", views.trial_balance, name="trial_balance"),
    path("ledger/", views.ledger, name="ledger"),
    path("vat-sales/", views.vat_sales, name="vat_sales"),
    path("journal/", views.journal, name="journal"),
    path("journal/export/", views.journal_export, name="journal_export"),
]
