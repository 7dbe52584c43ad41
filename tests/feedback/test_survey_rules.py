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
    # Saved again as it is (a new name only): no third version.
    again = services.survey_update(survey=survey, name="Renamed", questions=questions)
    assert (again.pk, again.number) == (version.pk, 2)
    survey.refresh_from_db()
    assert survey.name == "Renamed"


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


def test_segments_chosen_in_the_rules_decide_who_is_invited(desk):
    from goaldesk.customers.models import Customer, Segment

    Customer.objects.create(organisation=desk, key="gold-1", attributes={"tier": "gold"})
    Customer.objects.create(organisation=desk, key="iron-1", attributes={"tier": "iron"})
    Customer.objects.create(organisation=desk, key="vip-1", attributes={"tier": "gold", "vip": "y"})
    gold = Segment.objects.create(
        organisation=desk,
        name="Gold",
        rules=[{"kind": "attribute", "field": "tier", "value": "gold"}],
    )
    vip = Segment.objects.create(
        organisation=desk, name="VIP", rules=[{"kind": "attribute", "field": "vip", "value": "y"}]
    )
    _rules(desk, segments_included=[gold.pk], segments_excluded=[vip.pk])
    rows = [interaction(desk, f"S-{key}", customer=key) for key in ("gold-1", "iron-1", "vip-1")]
    made, skipped = services.invitations_for_period(
        organisation=desk,
        date_from=dt.date(2026, 3, 2),
        date_to=dt.date(2026, 3, 2),
        delivery="link",
    )
    # gold-1 is in Gold and not VIP; iron-1 is in no chosen segment; vip-1 is excluded.
    assert [m.invitation.customer_id for m in made] == ["gold-1"]
    assert skipped == 2
    with pytest.raises(ValidationError, match="leave out"):
        services.invitation_create(organisation=desk, interaction=rows[2], delivery="link")
    with pytest.raises(ValidationError, match="segments chosen"):
        services.invitation_create(organisation=desk, interaction=rows[1], delivery="link")
    # A segment deleted since counts for nothing: with Gold gone, everyone not VIP is invited.
    gold.delete()
    services.invitation_create(organisation=desk, interaction=rows[1], delivery="link")


def test_the_customer_record_gives_the_address_and_the_language(desk):
    from goaldesk.customers.models import Customer

    Customer.objects.create(organisation=desk, key="C-9", email="sara@example.org", language="fa")
    made = services.invitation_create(
        organisation=desk,
        interaction=interaction(desk, "E-1", customer="C-9"),
        delivery="email",
    )
    assert (made.invitation.email, made.invitation.language) == ("sara@example.org", "fa")
    assert services.invitations_send_due(now=timezone.now() + dt.timedelta(days=1)) == 1
    assert mail.outbox[0].to == ["sara@example.org"]
    assert mail.outbox[0].extra_headers["Content-Language"] == "fa"
    # An address and a language chosen on the page win over the record.
    Customer.objects.create(organisation=desk, key="C-10", email="x@example.org", language="xx")
    made = services.invitation_create(
        organisation=desk,
        interaction=interaction(desk, "E-2", customer="C-10"),
        delivery="link",
    )
    assert made.invitation.language == desk.language  # "xx" is no language of the product


@pytest.mark.parametrize(
    "kind, score, reason",
    [("nps", 6, "low_survey"), ("ces", 6, "low_survey"), ("nps", 7, None), ("ces", 5, None)],
)
def test_a_detractor_or_a_hard_effort_goes_to_the_queue_too(desk, kind, score, reason):
    from goaldesk.feedback.models import Survey

    manager = UserFactory(username="lead")
    MembershipFactory(user=manager, organisation=desk, role=Role.MANAGER)
    survey = services.survey_create(
        organisation=desk,
        name="Loyalty",
        questions=[
            services.QuestionData(kind=kind, texts={"en": "How?"}, options=[], required=True)
        ],
    )
    _rules(desk, survey=survey)
    made = services.invitation_create(
        organisation=desk, interaction=interaction(desk, "E-1", agent="a1"), delivery="link"
    )
    question = made.invitation.version.questions.get(kind=kind)
    services.response_submit(invitation=made.invitation, answers={str(question.pk): score})
    assert list(QueueItem.objects.values_list("reason", flat=True)) == ([reason] if reason else [])
    notes = Notification.objects.filter(recipient=manager)
    assert notes.count() == (1 if reason else 0)
    if reason:
        assert notes.get().params == {
            "agent": "a1",
            "score": score,
            "scale": kind,
            "day": "2026-03-02",
        }
        expected = {
            "nps": "A customer answered 6 of 10 on how likely they are to recommend us, "
            "after the interaction of",
            "ces": "A customer rated their effort 6 of 7 (hard) for the interaction of",
        }[kind]
        assert notes.get().text().startswith(expected)
    assert Survey.objects.filter(organisation=desk).count() == 2


def test_a_withdrawn_link_stops_working_and_a_waiting_email_never_goes(desk, client):
    now = timezone.now()
    made = services.invitation_create(
        organisation=desk, interaction=interaction(desk, "E-1"), delivery="link", now=now
    )
    assert client.get(made.url).status_code == 200
    assert services.invitation_withdraw(invitation=made.invitation) is True
    assert client.get(made.url).status_code == 404
    assert services.invitation_withdraw(invitation=made.invitation) is False
    row = interaction(desk, "E-2", customer="ana@example.org")
    row.resolved_at = now
    waiting = services.invitation_create(
        organisation=desk, interaction=row, delivery="email", now=now
    )
    assert services.invitation_withdraw(invitation=waiting.invitation) is True
    assert services.invitations_send_due(now=now + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 0
