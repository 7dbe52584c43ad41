"""Customer pages under /o/<org_slug>/customers/: customers, segments."""

from django.urls import path

from goaldesk.customers import views

app_name = "customers"

urlpatterns = [
    path("customers/", views.customer_list, name="list"),
    path("customers/<int:customer_id>/", views.customer_detail, name="detail"),
    path("customers/<int:customer_id>/edit/", views.customer_edit, name="edit"),
    path("customers/segments/", views.segment_list, name="segments"),
    path("customers/segments/new/", views.segment_new, name="segment_new"),
    path("customers/segments/count/", views.segment_count, name="segment_count"),
    path("customers/segments/<int:segment_id>/", views.segment_edit, name="segment_edit"),
    path(
        "customers/segments/<int:segment_id>/delete/",
        views.segment_delete,
        name="segment_delete",
    ),
]
