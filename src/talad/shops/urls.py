from django.urls import path

from talad.shops import views

app_name = "shops"
urlpatterns = [
    path("switch/", views.switch_shop, name="switch"),
]
