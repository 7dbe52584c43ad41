"""Public calendar-feed addresses (outside /o/…: calendar apps cannot sign in)."""

from django.urls import path

from goaldesk.scheduling import views

urlpatterns = [
    path(
        "calendar/<int:agent_id>/<str:token>.ics",
        views.calendar_feed,
        name="calendar_feed",
    ),
]
