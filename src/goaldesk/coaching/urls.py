"""Coaching pages under /o/<org_slug>/team/: scorecards, ranking, recognition, quality
reviews and the pulse."""

app_name = "coaching"

urlpatterns: list = []
