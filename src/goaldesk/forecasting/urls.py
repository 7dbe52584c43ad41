from django.urls import path

from goaldesk.forecasting import views

app_name = "forecasting"

urlpatterns = [
    path("planning/", views.planning_home, name="home"),
    path("planning/forecast/", views.forecast_start, name="forecast_start"),
    path("planning/forecast/<int:run_id>/", views.forecast_run, name="run"),
    path(
        "planning/forecast/<int:run_id>/progress/", views.forecast_run_progress, name="run_progress"
    ),
    path("planning/forecast/<int:run_id>/retry/", views.forecast_run_retry, name="run_retry"),
    path("planning/history/", views.history_upload, name="upload"),
    path("planning/peaks/", views.peaks, name="peaks"),
    path("planning/staffing/", views.staffing, name="staffing"),
    path("planning/staffing/what-if/", views.staffing_preview, name="staffing_preview"),
]
