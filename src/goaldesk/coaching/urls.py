"""Coaching pages under /o/<org_slug>/team/: scorecards, ranking, recognition, quality
reviews and the pulse."""

from django.urls import path

from goaldesk.coaching import (
    pulse_views,
    quality_views,
    recognition_views,
    scorecard_views,
    skills_views,
)

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
    # Quality reviews (quality_views.py).
    path("team/quality/", quality_views.quality_home, name="quality"),
    path("team/quality/queue/fill/", quality_views.queue_fill, name="queue_fill"),
    path("team/quality/queue/rules/", quality_views.queue_rules, name="queue_rules"),
    path("team/quality/rubrics/", quality_views.rubric_list, name="rubrics"),
    path("team/quality/rubrics/new/", quality_views.rubric_new, name="rubric_new"),
    path("team/quality/rubrics/<int:rubric_id>/", quality_views.rubric_edit, name="rubric_edit"),
    path("team/quality/interactions/<int:pk>/review/", quality_views.review_new, name="review_new"),
    path("team/quality/reviews/<int:review_id>/", quality_views.review_detail, name="review"),
    path(
        "team/quality/reviews/<int:review_id>/edit/", quality_views.review_edit, name="review_edit"
    ),
    path(
        "team/quality/reviews/<int:review_id>/delete/",
        quality_views.review_delete,
        name="review_delete",
    ),
    path(
        "team/quality/reviews/<int:review_id>/acknowledge/",
        quality_views.review_acknowledge,
        name="review_acknowledge",
    ),
    path(
        "team/quality/reviews/<int:review_id>/dispute/",
        quality_views.review_dispute,
        name="review_dispute",
    ),
    path(
        "team/quality/reviews/<int:review_id>/resolve/",
        quality_views.review_resolve,
        name="review_resolve",
    ),
    path("team/quality/calibration/", quality_views.calibration, name="calibration"),
]
