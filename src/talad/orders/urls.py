from django.urls import path

from talad.orders import views

app_name = "orders"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("bulk/", views.bulk, name="bulk"),
    path("stuck-limits/", views.stuck_limits, name="stuck_limits"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/action/<str:action>/", views.act, name="act"),
]
