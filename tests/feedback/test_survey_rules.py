"""Rules decide who is invited and when; e-mail after the delay, one reminder, low scores to the
review queue and to the managers."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from goaldesk.accounts.models import Role
from goaldesk.coaching.models import QueueItem
from goaldesk.feedback import survey_services as services
from goaldesk.feedback.models import QuestionKind, SurveyInvitation, SurveyResponse
from goaldesk.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.feedback.conftest import interaction


def _rules(desk, **values):
    return services.rules_save(organisation=desk, values=values)


def test_channels_resolution_and_one_per_customer(desk):
    _rules(desk, channels=["email"], once_per_customer_days=30)
    with pytest.raises(ValidationError, match="this channel"):
        services.invitation_create(
            organisation=desk,
            interaction=interaction(desk, "P-1", channel="phone"),
            delivery="link",
        )
    with pytest.raises(ValidationError, match="resolved"):
        services.invitation_create(
            organisation=desk, interaction=interaction(desk, "O-1", status="open"), delivery="link"
        )
    services.invitation_create(
        organisation=desk, interaction=interaction(desk, "E-1", customer="c1"), delivery="link"
    )
    with pytest.raises(ValidationError, match="30 days"):
        services.invitation_create(
            organisation=desk, interaction=interaction(desk, "E-2", customer="c1"), delivery="link"
        )
    with pytest.raises(ValidationError, match="already"):
        services.invitation_create(
            organisation=desk,
            interaction=SurveyInvitation.objects.get().interaction,
            delivery="link",
        )


def test_an_email_goes_after_the_delay_then_one_reminder(desk):
    _rules(desk, delay_hours=2, reminder_days=3)
    now = timezone.now()
    row = interaction(desk, "E-1", customer="ana@example.org")
    row.resolved_at = now
    made = services.invitation_create(
        organisation=desk, interaction=row, delivery="email", language="de", now=now
    )
    assert made.invitation.email == "ana@example.org"  # the customer id is an address
    assert services.invitations_send_due(now=now + dt.timedelta(hours=1)) == 0
    assert services.invitations_send_due(now=now + dt.timedelta(hours=2)) == 1
    assert services.invitations_send_due(now=now + dt.timedelta(hours=3)) == 0  # sent once
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"] and message.extra_headers["Content-Language"] == "de"
    assert made.url in message.body
    invitation = SurveyInvitation.objects.get()
    assert invitation.sent_on == (now + dt.timedelta(hours=2)).date()
    assert services.invitations_send_due(now=now + dt.timedelta(days=3, hours=1)) == 0
    assert services.invitations_send_due(now=now + dt.timedelta(days=3, hours=2)) == 1
    assert services.invitations_send_due(now=now + dt.timedelta(days=9)) == 0  # one reminder
    assert made.url in mail.outbox[1].body


def test_no_reminder_once_answered(desk):
    _rules(desk, delay_hours=0, reminder_days=1)
    now = timezone.now()
    made = services.invitation_create(
        organisation=desk,
        interaction=interaction(desk, "E-1"),
        delivery="email",
        email="bo@example.org",
        now=now,
    )
    services.invitations_send_due(now=now)
    csat = made.invitation.version.questions.get(kind=QuestionKind.CSAT)
    services.response_submit(invitation=made.invitation, answers={str(csat.pk): 5})
    assert services.invitations_send_due(now=now + dt.timedelta(days=2)) == 0
    assert len(mail.outbox) == 1


def test_no_address_no_email_invitation(desk):
    with pytest.raises(ValidationError, match="e-mail address"):
        services.invitation_create(
            organisation=desk,
            interaction=interaction(desk, "E-1", customer="c-17"),
            delivery="email",
        )


def test_a_low_csat_goes_to_the_review_queue_and_the_managers_are_told(desk):
    manager = UserFactory(username="lead")
    MembershipFactory(user=manager, organisation=desk, role=Role.MANAGER)
    made = services.invitation_create(
        organisation=desk, interaction=interaction(desk, "E-1", agent="a1"), delivery="link"
    )
    csat = made.invitation.version.questions.get(kind=QuestionKind.CSAT)
    services.response_submit(invitation=made.invitation, answers={str(csat.pk): 2})
    item = QueueItem.objects.get(organisation=desk)
    assert (item.interaction_id, item.reason) == (made.invitation.interaction_id, "low_csat")
    note = Notification.objects.get(recipient=manager)
    assert note.kind == "survey_low_score" and note.params["score"] == 2


def test_editing_an_answered_design_makes_a_new_version(desk):
    made = services.invitation_create(
        organisation=desk, interaction=interaction(desk, "E-1"), delivery="link"
    )
    survey = made.invitation.version.survey
    csat = made.invitation.version.questions.get(kind=QuestionKind.CSAT)
    services.response_submit(invitation=made.invitation, answers={str(csat.pk): 5})
    questions = [
        services.QuestionData("csat", {"en": "Happy?"}, [], True),
        services.QuestionData("nps", {}, []),
    ]
    version = services.survey_update(survey=survey, name="Two questions", questions=questions)
    assert version.number == 2
    assert list(made.invitation.version.questions.values_list("kind", flat=True)) == [
        "csat",
        "text",
    ]
    assert SurveyResponse.objects.get().version.number == 1


def test_the_clock_invites_automatically_when_the_rules_say_so(desk):
    from goaldesk.core.periodic import registered
    from goaldesk.interactions.models import Interaction

    assert "surveys" in {job.name for job in registered()}
    now = timezone.now()
    known = interaction(desk, "E-1", customer="cy@example.org")
    unknown = interaction(desk, "E-2", customer="c-2")
    Interaction.objects.filter(pk__in=[known.pk, unknown.pk]).update(
        resolved_at=now - dt.timedelta(hours=3)
    )
    assert services.invitations_automatic(now=now) == 0  # off by default
    _rules(desk, automatic=True, delay_hours=2)
    assert services.invitations_automatic(now=now) == 1  # only where an address is known
    assert services.invitations_automatic(now=now) == 0  # once
    services.periodic_surveys()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cy@example.org"]
