"""Feedback pages under /o/<org_slug>/: surveys, invitations, comments, personas."""

from goaldesk.feedback.persona_urls import urlpatterns as persona_urlpatterns

app_name = "feedback"

urlpatterns: list = []

urlpatterns += persona_urlpatterns
