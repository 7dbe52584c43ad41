"""Coaching pages under /o/<org_slug>/team/: scorecards, ranking, recognition, quality
reviews and the pulse."""

from django.urls import path

from goaldesk.coaching import recognition_views, scorecard_views

app_name = "coaching"

urlpatterns: list = [
    path("team/scorecards/", scorecard_views.scorecards, name="scorecards"),
    path("team/scorecards/<int:agent_id>/", scorecard_views.scorecard, name="scorecard"),
    path("team/ranking/", scorecard_views.ranking, name="ranking"),
    path("team/recognitions/", recognition_views.recognitions, name="recognitions"),
    path("team/settings/", scorecard_views.coaching_settings, name="settings"),
]
