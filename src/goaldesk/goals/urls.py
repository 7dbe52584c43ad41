from django.urls import path

from goaldesk.goals import views

app_name = "goals"

urlpatterns = [
    path("goals/", views.goal_list, name="list"),
]
