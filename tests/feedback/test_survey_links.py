"""The survey link: one unguessable token per invitation (only its hash stored), a GET that
changes nothing, one answer by POST (a second refused), expiry and tampering as plain 404, and
members of the organisation kept from answering about their own work."""

import datetime as dt
import hashlib

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.feedback import survey_services as services
from goaldesk.feedback.models import QuestionKind, Survey, SurveyInvitation, SurveyResponse
from goaldesk.feedback.survey_selectors import token_for
from goaldesk.interactions.models import Interaction, InteractionChange
from tests.feedback.conftest import interaction


def _link(desk, external_id="T-1", **kwargs):
    made = services.invitation_create(
        organisation=desk,
        interaction=interaction(desk, external_id, **kwargs),
        delivery="link",
    )
    return made.invitation, made.url.split("/s/")[1].strip("/")


def _form(invitation, csat="4", comment="Quick and kind"):
    questions = {q.kind: q.pk for q in invitation.version.questions.all()}
    return {f"q{questions[QuestionKind.CSAT]}": csat, f"q{questions[QuestionKind.TEXT]}": comment}


def test_a_new_organisation_has_a_ready_csat_survey(desk):
    survey = Survey.objects.get(organisation=desk)
    questions = list(survey.versions.get().questions.values_list("kind", "required"))
    assert survey.is_default
    assert questions == [("csat", True), ("text", False)]


def test_the_token_is_long_and_only_its_hash_is_stored(desk):
    invitation, token = _link(desk)
    assert len(token) >= 22  # 43 URL-safe characters: 256 bits (at least 128 asked)
    assert token == token_for(invitation.nonce)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = SurveyInvitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in {str(v) for v in stored.values()}


def test_opening_the_link_changes_nothing(client, desk):
    invitation, token = _link(desk)
    before = SurveyInvitation.objects.filter(pk=invitation.pk).values().get()
    row = Interaction.objects.filter(pk=invitation.interaction_id).values().get()
    for _ in range(2):
        page = client.get(f"/s/{token}/")
        assert page.status_code == 200
        assert b"How did we do?" in page.content
        assert client.head(f"/s/{token}/").status_code == 200
    assert SurveyInvitation.objects.filter(pk=invitation.pk).values().get() == before
    assert Interaction.objects.filter(pk=invitation.interaction_id).values().get() == row
    assert not SurveyResponse.objects.exists()
    assert not InteractionChange.objects.exists()


def test_the_answer_is_recorded_once_and_lands_in_the_interaction(client, desk):
    invitation, token = _link(desk)
    url = reverse("survey", args=[token])
    answered = client.post(url, _form(invitation))
    assert answered.status_code == 200 and b"Thank you" in answered.content
    row = Interaction.objects.get(pk=invitation.interaction_id)
    assert row.csat == 4
    response = SurveyResponse.objects.get()
    assert (response.csat, response.comment) == (4, "Quick and kind")

    again = client.post(url, _form(invitation, csat="1", comment="changed my mind"))
    assert again.status_code == 409
    assert b"answered already" in again.content
    assert SurveyResponse.objects.count() == 1
    assert Interaction.objects.get(pk=invitation.interaction_id).csat == 4
    assert client.get(url).status_code == 200  # still opens, says it was answered


def test_a_missing_or_wrong_answer_is_refused_and_the_text_kept(client, desk):
    invitation, token = _link(desk)
    page = client.post(f"/s/{token}/", _form(invitation, csat="9", comment="kept text"))
    assert page.status_code == 400
    assert b"Please choose one of the answers." in page.content
    assert b"kept text" in page.content
    page = client.post(f"/s/{token}/", _form(invitation, csat="", comment=""))
    assert b"Please answer this question." in page.content
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_expired_tampered_and_unknown_links_are_not_found(client, desk, method):
    invitation, token = _link(desk)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (tampered, "made-up", "x" * 200):
        assert getattr(client, method)(f"/s/{bad}/").status_code == 404
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    )
    assert getattr(client, method)(f"/s/{token}/", _form(invitation)).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_a_link_expires_after_thirty_days_by_default(desk):
    invitation, _token = _link(desk)
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=30)


def test_a_member_of_the_organisation_cannot_answer(desk, client):
    from tests.factories import MembershipFactory, UserFactory

    invitation, token = _link(desk)
    user = UserFactory(username="insider")
    MembershipFactory(user=user, organisation=desk, role=Role.AGENT)
    client.force_login(user)
    page = client.get(f"/s/{token}/")
    assert page.status_code == 200 and b"cannot answer" in page.content
    assert client.post(f"/s/{token}/", _form(invitation)).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_the_page_is_in_the_respondents_language_and_direction(client, desk):
    made = services.invitation_create(
        organisation=desk, interaction=interaction(desk, "T-9"), delivery="link", language="fa"
    )
    page = client.get(made.url.replace("http://127.0.0.1:8000", ""))
    assert b'lang="fa" dir="rtl"' in page.content
    assert "۵".encode() in page.content  # Persian digits on the scale
    assert b"<script" not in page.content and b"http" not in page.content.replace(
        b'xmlns="http', b""
    )


def test_an_organisation_with_answers_can_be_deleted(desk):
    invitation, _token = _link(desk)
    csat = invitation.version.questions.get(kind=QuestionKind.CSAT)
    services.response_submit(invitation=invitation, answers={str(csat.pk): 5})
    desk.delete()
    assert not SurveyResponse.objects.exists() and not Survey.objects.exists()
