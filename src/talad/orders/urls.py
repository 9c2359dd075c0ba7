from django.urls import path

from talad.orders import customer_views, views

app_name = "orders"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("bulk/", views.bulk, name="bulk"),
    path("stuck-limits/", views.stuck_limits, name="stuck_limits"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/action/<str:action>/", views.act, name="act"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("customers/", customer_views.customer_list, name="customers"),
    path("customers/<int:pk>/", customer_views.customer_page, name="customer"),
    path("customers/<int:pk>/merge/", customer_views.merge, name="merge_customer"),
]
