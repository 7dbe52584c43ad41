"""The public help centre: /help/<org slug>/… (no sign-in; see public_views)."""

from django.urls import path

from goaldesk.knowledge import public_views

app_name = "knowledge_public"

urlpatterns = [
    path("help/<slug:help_slug>/", public_views.home, name="home"),
    path("help/<slug:help_slug>/articles/<int:article_id>/", public_views.article, name="article"),
    path("help/<slug:help_slug>/articles/<int:article_id>/answer/", public_views.vote, name="vote"),
    path("help/<slug:help_slug>/visit/", public_views.visit, name="visit"),
    path("help/<slug:help_slug>/contact/", public_views.contact, name="contact"),
]
