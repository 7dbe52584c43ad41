from django.urls import path

from goaldesk.metrics import review_views, views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("breakdown/<slug:by>/", views.breakdown, name="breakdown"),
    path("interactions/", views.interaction_list, name="interactions"),
    path("interactions/export.csv", views.interaction_list_csv, name="interactions_csv"),
    path("interactions/export.xlsx", views.interaction_list_xlsx, name="interactions_xlsx"),
    path("reviews/", review_views.review_list, name="reviews"),
]
