"""Public calendar-feed addresses (outside /o/…: calendar apps cannot sign in)."""

from django.urls import path

from goaldesk.workforce import schedule_views

urlpatterns = [
    path(
        "calendar/<int:agent_id>/<str:token>.ics",
        schedule_views.calendar_feed,
        name="calendar_feed",
    ),
]
