"""Feedback pages under /o/<org_slug>/: surveys, invitations, comments, personas."""

app_name = "feedback"

urlpatterns: list = []
