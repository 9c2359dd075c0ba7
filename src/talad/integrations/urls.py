from django.urls import path

from talad.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.index, name="index"),
    path("outbox/<int:pk>/retry/", views.retry, name="retry"),
    path("peak/", views.peak_settings, name="peak"),
    path("peak/test/", views.peak_test, name="peak_test"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/new/", views.subscribe, name="subscribe"),
    path("webhooks/<int:pk>/", views.deliveries, name="webhook"),
    path("webhooks/<int:pk>/delete/", views.unsubscribe, name="unsubscribe"),
    path("webhooks/<int:pk>/deliveries/<int:message_id>/replay/", views.replay, name="replay"),
]
