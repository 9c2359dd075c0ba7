from django.urls import path

from talad.shops import views

app_name = "shops"
urlpatterns = [
    path("switch/", views.switch_shop, name="switch"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/members/", views.add_member, name="add_member"),
    path("settings/members/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path("settings/members/<int:pk>/unlock/", views.unlock_member, name="unlock_member"),
    path("settings/tokens/", views.create_token, name="create_token"),
    path("settings/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
