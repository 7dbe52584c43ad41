from django.urls import path

from goaldesk.goals import views

app_name = "goals"

urlpatterns = [
    path("goals/", views.goal_list, name="list"),
    path("goals/new/", views.goal_new, name="new"),
    path("goals/check/", views.goal_check, name="check"),
    path("goals/strategy/", views.strategy, name="strategy"),
    path(
        "goals/business-goals/<int:business_goal_id>/",
        views.business_goal_edit,
        name="business_goal_edit",
    ),
    path("goals/level/", views.level, name="level"),
    path("goals/my-objectives/", views.my_objectives, name="my_objectives"),
    path("goals/panel/", views.dashboard_panel, name="dashboard_panel"),
    path("goals/level/thresholds/", views.level_thresholds, name="level_thresholds"),
    path("goals/<int:goal_id>/", views.goal_detail, name="detail"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="edit"),
    path("goals/<int:goal_id>/objectives/", views.objective_add, name="objective_add"),
    path("goals/<int:goal_id>/confidence/", views.confidence_rate, name="confidence"),
    path("goals/objectives/<int:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path(
        "goals/objectives/<int:objective_id>/done/",
        views.objective_toggle,
        name="objective_toggle",
    ),
]
