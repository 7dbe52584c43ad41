from django.urls import path

from goaldesk.interactions import views

app_name = "interactions"

urlpatterns = [
    path("interactions/<int:pk>/", views.interaction_detail, name="detail"),
    path("log/", views.log_visit, name="log_visit"),
    path("settings/categories/", views.categories, name="categories"),
]
