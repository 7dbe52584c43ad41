"""Scheduling pages, under /o/<org_slug>/."""

from django.urls import path

from goaldesk.scheduling import today_views, views

app_name = "scheduling"

urlpatterns = [
    path("today/", today_views.today, name="today"),
    path("planning/schedule/", views.schedule_home, name="schedule_home"),
    path("planning/schedule/<int:schedule_id>/", views.schedule_detail, name="schedule_detail"),
    path(
        "planning/schedule/<int:schedule_id>/progress/",
        views.schedule_progress,
        name="schedule_progress",
    ),
    path(
        "planning/schedule/<int:schedule_id>/retry/",
        views.schedule_retry,
        name="schedule_retry",
    ),
    path(
        "planning/schedule/<int:schedule_id>/shifts/add/",
        views.schedule_shift_add,
        name="schedule_shift_add",
    ),
    path(
        "planning/schedule/<int:schedule_id>/shifts/<int:shift_id>/",
        views.schedule_shift_edit,
        name="schedule_shift_edit",
    ),
    path(
        "planning/schedule/<int:schedule_id>/publish/",
        views.schedule_publish_view,
        name="schedule_publish",
    ),
    path(
        "planning/schedule/<int:schedule_id>/export.csv",
        views.schedule_export,
        name="schedule_export",
    ),
    path(
        "planning/schedule/swaps/<int:swap_id>/decide/",
        views.swap_decide_view,
        name="swap_decide",
    ),
    path("planning/people/", views.schedule_profiles, name="schedule_profiles"),
    path("planning/people/<int:agent_id>/", views.schedule_profile, name="schedule_profile"),
    path(
        "planning/people/<int:agent_id>/feed/revoke/",
        views.schedule_profile_feed_revoke,
        name="schedule_profile_feed_revoke",
    ),
    path("planning/rules/", views.schedule_rules, name="schedule_rules"),
    path("my-shifts/", views.my_shifts, name="my_shifts"),
    path("my-shifts/feed/revoke/", views.my_feed_revoke, name="my_feed_revoke"),
    path("my-shifts/<int:shift_id>/offer/", views.swap_offer_view, name="swap_offer"),
    path("my-shifts/swaps/<int:swap_id>/take/", views.swap_take_view, name="swap_take"),
    path("my-shifts/swaps/<int:swap_id>/withdraw/", views.swap_withdraw_view, name="swap_withdraw"),
]
