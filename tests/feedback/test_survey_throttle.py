"""Answers sent on public survey pages are throttled per client address: over the limit the
page says so (429, in the respondent's language), keeps the answers in the form and records
nothing; a link already answered stays answered."""

import datetime as dt

import pytest
from django.db.models import F

from goaldesk.core.models import ThrottleHit
from goaldesk.feedback.models import SurveyResponse
from goaldesk.interactions.models import Interaction
from tests.feedback.test_survey_links import _form, _link


@pytest.fixture
def two_per_hour(settings):
    settings.GOALDESK_THROTTLES = {
        **settings.GOALDESK_THROTTLES,
        "survey_answer": (2, dt.timedelta(hours=1)),
    }


def test_the_third_answer_from_one_address_waits_and_keeps_what_was_chosen(
    client, desk, two_per_hour
):
    for number in (1, 2):
        invitation, token = _link(desk, f"T-{number}")
        sent = client.post(f"/s/{token}/", _form(invitation), REMOTE_ADDR="10.0.0.1")
        assert sent.status_code == 200
    third, token = _link(desk, "T-3")
    refused = client.post(
        f"/s/{token}/", _form(third, csat="2", comment="Slow answer"), REMOTE_ADDR="10.0.0.1"
    )
    page = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert "please send them again in 60 minutes" in page
    assert 'value="2" checked' in page and "Slow answer" in page  # nothing typed is lost
    assert SurveyResponse.objects.count() == 2
    assert Interaction.objects.get(pk=third.interaction_id).csat is None

    # another address answers; after the hour the first one may send again
    assert client.post(f"/s/{token}/", _form(third), REMOTE_ADDR="10.0.0.2").status_code == 200
    fourth, token = _link(desk, "T-4")
    ThrottleHit.objects.update(at=F("at") - dt.timedelta(hours=1, seconds=1))
    assert client.post(f"/s/{token}/", _form(fourth), REMOTE_ADDR="10.0.0.1").status_code == 200
    assert SurveyResponse.objects.count() == 4


def test_the_refusal_is_in_the_respondents_language(client, desk, two_per_hour):
    desk.language = "fa"
    desk.save()
    for number in (1, 2):
        client.post(f"/s/{_link(desk, f'T-{number}')[1]}/", {}, REMOTE_ADDR="10.0.0.1")
    invitation, token = _link(desk, "T-3")
    assert invitation.language == "fa"
    page = client.post(f"/s/{token}/", _form(invitation), REMOTE_ADDR="10.0.0.1")
    assert page.status_code == 429
    assert '<html lang="fa" dir="rtl">' in page.content.decode()
