from django.urls import path

from talad.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.products, name="products"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.edit, name="edit"),
]
