from django.urls import path

from goaldesk.workforce import views

app_name = "workforce"

urlpatterns = [
    path("planning/", views.planning_home, name="home"),
]
