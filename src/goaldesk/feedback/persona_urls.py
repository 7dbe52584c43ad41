"""Persona pages (included by feedback/urls.py, namespace "feedback")."""

from django.urls import path

from goaldesk.feedback import persona_views

urlpatterns = [
    path("personas/", persona_views.persona_list, name="personas"),
    path("personas/<int:segment_id>/edit/", persona_views.persona_edit, name="persona_edit"),
]
