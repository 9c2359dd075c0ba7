from django.urls import path

from talad.shipping import views

app_name = "shipping"
urlpatterns = [
    path("print/labels/", views.print_labels, name="print_labels"),
    path("print/pick-list/", views.print_pick_list, name="print_pick_list"),
    path("print/packing-slips/", views.print_packing_slips, name="print_packing_slips"),
    path("pack/", views.pack, name="pack"),
    path("pack/find/", views.pack_find, name="pack_find"),
    path("pack/<int:pk>/scan/", views.pack_scan, name="pack_scan"),
    path("pack/<int:pk>/tracking/", views.pack_tracking, name="pack_tracking"),
    path("pack/<int:pk>/reset/", views.pack_reset, name="pack_reset"),
    path("pack/<int:pk>/complete/", views.pack_complete, name="pack_complete"),
]
