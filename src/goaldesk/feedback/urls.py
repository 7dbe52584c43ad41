"""Feedback pages under /o/<slug>/: surveys, invitations, comments, personas."""

from django.urls import path

from goaldesk.feedback.persona_urls import urlpatterns as persona_urlpatterns

from . import survey_views

app_name = "feedback"

urlpatterns: list = [
    path("surveys/", survey_views.surveys, name="surveys"),
    path("surveys/new/", survey_views.survey_new, name="survey_new"),
    path("surveys/<int:survey_id>/edit/", survey_views.survey_edit, name="survey_edit"),
    path("surveys/rules/", survey_views.survey_rules, name="survey_rules"),
    path("surveys/invitations/", survey_views.invitations, name="survey_invitations"),
    path(
        "surveys/invitations/<int:survey_invitation_id>/withdraw/",
        survey_views.invitation_withdraw,
        name="survey_invitation_withdraw",
    ),
    path("surveys/comments/", survey_views.comments, name="survey_comments"),
]

urlpatterns += persona_urlpatterns
