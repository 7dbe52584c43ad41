"""Coaching pages under /o/<org_slug>/team/: scorecards, ranking, recognition, quality
reviews and the pulse."""

from django.urls import path

from goaldesk.coaching import pulse_views, recognition_views, scorecard_views, skills_views

app_name = "coaching"

urlpatterns: list = [
    path("team/pulse/", pulse_views.pulse_results, name="pulse"),
    path("team/pulse/answer/", pulse_views.pulse_answer, name="pulse_answer"),
    path("team/pulse/settings/", pulse_views.pulse_settings, name="pulse_settings"),
    path("team/pulse/open/", pulse_views.pulse_open, name="pulse_open"),
    path("team/skills/", skills_views.skills, name="skills"),
    path("team/scorecards/", scorecard_views.scorecards, name="scorecards"),
    path("team/scorecards/<int:agent_id>/", scorecard_views.scorecard, name="scorecard"),
    path("team/ranking/", scorecard_views.ranking, name="ranking"),
    path("team/recognitions/", recognition_views.recognitions, name="recognitions"),
    path("team/settings/", scorecard_views.coaching_settings, name="settings"),
]
