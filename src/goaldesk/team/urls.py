"""Teams and agents, under /o/<org_slug>/settings/ beside the organisation's other settings."""

from django.urls import path

from goaldesk.team import views

app_name = "team"

urlpatterns = [
    path("settings/teams/", views.teams, name="teams"),
    path("settings/teams/<int:team_id>/", views.team_edit, name="team_edit"),
    path("settings/agents/", views.agents, name="agents"),
    path("settings/agents/new/", views.agent_create, name="agent_create"),
    path("settings/agents/<int:agent_id>/", views.agent_edit, name="agent_edit"),
    path(
        "settings/agents/<int:agent_id>/active/",
        views.agent_set_active,
        name="agent_set_active",
    ),
    path("settings/agents/<int:agent_id>/merge/", views.agent_merge, name="agent_merge"),
    path("settings/agents/<int:agent_id>/skills/", views.agent_skills, name="agent_skills"),
    path("settings/skills/", views.skills, name="skills"),
    path("settings/skills/<int:skill_id>/", views.skill_edit, name="skill_edit"),
    path("settings/my-skills/", views.my_skills, name="my_skills"),
]
