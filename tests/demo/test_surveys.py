"""The demo's surveys show something believable: invitations over four weeks, about two in five
answered (the response rate on the invitations page), comments in each organisation's language,
and answers that landed in their interactions."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.feedback.models import SurveyInvitation, SurveyResponse
from goaldesk.metrics.selectors import kpis_for_period
from tests.demo_once import demo_built

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_built(
        django_db_blocker, tmp_path_factory.mktemp("demo"), without="schedule_demo_build"
    ):
        yield


def test_the_demo_has_invitations_answers_and_comments(demo):
    for slug in ("demo", "demo-fa"):
        org = Organisation.objects.get(slug=slug)
        invitations = SurveyInvitation.objects.filter(organisation=org)
        assert invitations.count() >= 150
        assert invitations.filter(delivery="email", sent_at__isnull=False).exists()
        responses = SurveyResponse.objects.filter(organisation=org)
        assert responses.exclude(comment="").count() >= 20
        for response in responses.select_related("invitation__interaction")[:50]:
            assert response.invitation.interaction.csat == response.csat
        today = today_in(org)
        first = min(invitations.values_list("sent_on", flat=True))
        rate = kpis_for_period(
            organisation=org, date_from=first, date_to=today, keys=["survey_response_rate"]
        )["survey_response_rate"]
        assert 30 <= rate <= 55


def test_the_comments_page_shows_them(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    page = client.get(reverse("feedback:survey_comments", args=["demo-fa"]), {"period": "30"})
    assert page.status_code == 200
    assert "CSAT" in page.content.decode() and page.content.decode().count("<article") >= 10
