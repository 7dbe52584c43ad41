from django.urls import path

from goaldesk.metrics import review_views, views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("breakdown/<slug:by>/", views.breakdown, name="breakdown"),
    path("interactions/", views.interaction_list, name="interactions"),
    path("reviews/", review_views.review_list, name="reviews"),
]
