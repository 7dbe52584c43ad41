"""Coaching pages under /o/<org_slug>/team/: scorecards, ranking, recognition, quality
reviews and the pulse."""

from django.urls import path

from goaldesk.coaching import skills_views

app_name = "coaching"

urlpatterns: list = [
    path("team/skills/", skills_views.skills, name="skills"),
]
