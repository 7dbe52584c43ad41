from django.urls import path

from goaldesk.interactions import views

app_name = "interactions"

urlpatterns = [
    path("interactions/<int:pk>/", views.interaction_detail, name="detail"),
    path("interactions/<int:pk>/edit/", views.interaction_edit, name="edit"),
    path("interactions/<int:pk>/note/", views.interaction_note, name="note"),
    path("interactions/<int:pk>/delete/", views.interaction_delete, name="delete"),
    path("log/", views.log_visit, name="log_visit"),
    path("settings/categories/", views.categories, name="categories"),
]
