from django.urls import path

from talad.shipping import import_views, views

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
    path("import/tracking/", import_views.import_tracking_page, name="import_tracking"),
    path(
        "import/tracking/apply/", import_views.import_tracking_apply, name="import_tracking_apply"
    ),
    path("import/status/", import_views.import_status_page, name="import_status"),
    path("import/status/apply/", import_views.import_status_apply, name="import_status_apply"),
]
