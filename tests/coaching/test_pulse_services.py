"""The team pulse: anonymity by construction, the threshold, one answer per person, rounds
opened by the clock once, told once."""

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from goaldesk.accounts.models import Role
from goaldesk.coaching import pulse_selectors as selectors
from goaldesk.coaching import pulse_services as services
from goaldesk.coaching.models import PulseReceipt, PulseRound, PulseTally
from goaldesk.core.periodic import registered
from goaldesk.goals.models import Confidence
from goaldesk.notifications.models import Notification
from tests.factories import AgentFactory, MembershipFactory, UserFactory
from tests.goals.factories import goal_make

NUMBERS = itertools.count(1)
DAY = dt.date(2026, 3, 2)  # a Monday

#: (workload, fairness, recommend) of five people, worked below by hand.
FIVE = [(4, 2, 10), (5, 3, 9), (3, 4, 9), (4, 4, 6), (2, 1, 3)]


def agents(org, count, *, prefix="agent"):
    users = []
    for _i in range(count):
        user = UserFactory(username=f"{prefix}-{next(NUMBERS)}")
        MembershipFactory(user=user, organisation=org, role=Role.AGENT)
        users.append(user)
    return users


def pulse_on(org, *, every_weeks=2, open_days=3):
    services.pulse_settings_save(
        organisation=org, enabled=True, every_weeks=every_weeks, open_days=open_days
    )


def answered_round(org, answers, *, opens_on=DAY):
    """A round opening on `opens_on` (3 days) answered by one agent per (w, f, r)."""
    people = agents(org, len(answers))
    pulse_round, _ = services.pulse_round_create(organisation=org, opens_on=opens_on, open_days=3)
    for user, (workload, fairness, recommend) in zip(people, answers, strict=True):
        services.pulse_answer_submit(
            organisation=org, user=user, workload=workload, fairness=fairness,
            recommend=recommend, today=opens_on + dt.timedelta(days=1),
        )  # fmt: skip
    pulse_round.refresh_from_db()
    return pulse_round


def test_an_answer_is_stored_with_no_person_no_time_and_no_order():
    """The numbers are tallies (how many gave each value), the receipt says only who answered."""
    tally_fields = {f.name: f for f in PulseTally._meta.get_fields()}
    assert set(tally_fields) == {"id", "round", "question", "value", "count"}
    user_model = get_user_model()
    for field in PulseTally._meta.get_fields():
        assert getattr(field, "related_model", None) in (None, PulseRound)
        assert not isinstance(field, models.DateTimeField | models.DateField)
    assert {f.name for f in PulseReceipt._meta.get_fields()} == {"id", "round", "user"}
    assert PulseReceipt._meta.get_field("user").related_model is user_model


def test_four_answers_are_not_shown_five_are(org):
    four = answered_round(org, FIVE[:4], opens_on=DAY)
    five = answered_round(org, FIVE, opens_on=DAY + dt.timedelta(days=14))
    after = DAY + dt.timedelta(days=30)
    hidden, shown = selectors.round_results([four, five], today=after)

    assert (hidden.answers, hidden.shown, hidden.missing) == (4, False, 1)
    assert hidden.workload is None and hidden.enps is None and hidden.counts == {}

    assert (shown.answers, shown.shown) == (5, True)
    # Workload (4 + 5 + 3 + 4 + 2) / 5 = 3.6; fairness (2 + 3 + 4 + 4 + 1) / 5 = 2.8;
    # recommend 10, 9, 9 are promoters (60 %), 6 and 3 detractors (40 %): eNPS +20.
    assert shown.workload == pytest.approx(3.6)
    assert shown.fairness == pytest.approx(2.8)
    assert shown.enps == pytest.approx(20)
    assert shown.counts["recommend"] == {10: 1, 9: 2, 6: 1, 3: 1}


def test_an_open_round_is_not_shown_even_with_enough_answers(org):
    """Else each new answer could be read from the change it makes."""
    pulse_round = answered_round(org, FIVE)
    (result,) = selectors.round_results([pulse_round], today=pulse_round.closes_on)
    assert result.is_open and not result.shown and result.workload is None
    (result,) = selectors.round_results(
        [pulse_round], today=pulse_round.closes_on + dt.timedelta(days=1)
    )
    assert result.shown and not result.is_open


def test_enps_by_hand():
    # 2 promoters (10, 9), 1 passive (8), 1 detractor (0) of 4: 50 % − 25 % = +25.
    assert selectors.enps_of({10: 1, 9: 1, 8: 1, 0: 1}) == pytest.approx(25)
    # All detractors: −100.
    assert selectors.enps_of({6: 3}) == -100
    assert selectors.enps_of({}) is None


def test_a_person_answers_a_round_once(org):
    (user,) = agents(org, 1)
    pulse_round, _ = services.pulse_round_create(organisation=org, opens_on=DAY, open_days=3)
    services.pulse_answer_submit(
        organisation=org, user=user, workload=3, fairness=3, recommend=8, today=DAY
    )
    with pytest.raises(services.PulseRefused, match="already answered"):
        services.pulse_answer_submit(
            organisation=org, user=user, workload=5, fairness=1, recommend=0, today=DAY
        )
    pulse_round.refresh_from_db()
    assert pulse_round.answers == 1
    assert PulseTally.objects.filter(round=pulse_round, count__gt=0).count() == 3
    assert PulseTally.objects.get(round=pulse_round, question="workload", value=3).count == 1


def test_who_is_asked(org):
    """Agents, and members of any role linked to an active agent record; not the others."""
    (agent_user,) = agents(org, 1)
    manager_on_the_phones = UserFactory(username="floor-manager")
    MembershipFactory(user=manager_on_the_phones, organisation=org, role=Role.MANAGER)
    AgentFactory(organisation=org, user=manager_on_the_phones)
    viewer = UserFactory(username="viewer")
    MembershipFactory(user=viewer, organisation=org, role=Role.VIEWER)
    former = UserFactory(username="former")
    MembershipFactory(user=former, organisation=org, role=Role.VIEWER)
    AgentFactory(organisation=org, user=former, active=False)
    assert list(selectors.people_asked(organisation=org)) == [agent_user, manager_on_the_phones]

    services.pulse_round_create(organisation=org, opens_on=DAY, open_days=3)
    with pytest.raises(services.PulseRefused, match="not asked"):
        services.pulse_answer_submit(
            organisation=org, user=viewer, workload=3, fairness=3, recommend=8, today=DAY
        )
    services.pulse_answer_submit(
        organisation=org, user=manager_on_the_phones, workload=3, fairness=3, recommend=8,
        today=DAY,
    )  # fmt: skip


def test_no_answer_outside_an_open_round(org):
    (user,) = agents(org, 1)
    services.pulse_round_create(organisation=org, opens_on=DAY, open_days=3)
    for day in (DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=3)):
        with pytest.raises(services.PulseRefused, match="No round"):
            services.pulse_answer_submit(
                organisation=org, user=user, workload=3, fairness=3, recommend=8, today=day
            )
    assert PulseReceipt.objects.count() == 0


def test_an_answer_off_the_scale_is_refused_and_nothing_is_counted(org):
    (user,) = agents(org, 1)
    pulse_round, _ = services.pulse_round_create(organisation=org, opens_on=DAY, open_days=3)
    with pytest.raises(services.PulseRefused):
        services.pulse_answer_submit(
            organisation=org, user=user, workload=3, fairness=3, recommend=11, today=DAY
        )
    pulse_round.refresh_from_db()
    assert pulse_round.answers == 0 and not PulseReceipt.objects.exists()
    assert not PulseTally.objects.filter(count__gt=0).exists()


def test_the_clock_opens_a_round_once_and_tells_each_person_once(org):
    asked = agents(org, 2)
    pulse_on(org, every_weeks=2, open_days=3)

    first = services.pulse_round_open_if_due(organisation=org, today=DAY)
    assert first is not None and (first.opens_on, first.closes_on, first.asked) == (
        DAY, DAY + dt.timedelta(days=2), 2,
    )  # fmt: skip
    # Again the same day, during the round, after it but before two weeks: nothing new.
    for day in (DAY, DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=5), DAY + dt.timedelta(days=13)):  # fmt: skip
        assert services.pulse_round_open_if_due(organisation=org, today=day) is None
    assert PulseRound.objects.count() == 1
    notes = Notification.objects.filter(kind="pulse_open")
    assert sorted(n.recipient_id for n in notes) == sorted(u.pk for u in asked)
    assert notes[0].params == {"closes": "2026-03-04"}
    assert notes[0].url == f"/o/{org.slug}/team/pulse/answer/"

    second = services.pulse_round_open_if_due(organisation=org, today=DAY + dt.timedelta(days=14))
    assert second is not None and PulseRound.objects.count() == 2
    assert Notification.objects.filter(kind="pulse_open").count() == 4


def test_the_registered_clock_job_opens_today_once(org):
    agents(org, 1)
    pulse_on(org)
    (job,) = [job for job in registered() if job.name == "pulse-rounds"]
    assert job.func() == 1
    assert job.func() == 0
    assert PulseRound.objects.count() == 1
    assert Notification.objects.filter(kind="pulse_open").count() == 1


def test_a_pulse_that_is_off_opens_nothing(org):
    agents(org, 1)
    assert services.pulse_round_open_if_due(organisation=org, today=DAY) is None
    assert services.pulse_rounds_open_due() == 0
    with pytest.raises(services.PulseRefused, match="off"):
        services.pulse_round_open(organisation=org, today=DAY)
    assert not PulseRound.objects.exists()


def test_a_manager_opens_a_round_now_once(org):
    agents(org, 1)
    pulse_on(org)
    services.pulse_round_open(organisation=org, today=DAY)
    with pytest.raises(services.PulseRefused, match="already open"):
        services.pulse_round_open(organisation=org, today=DAY + dt.timedelta(days=1))
    assert PulseRound.objects.count() == 1


def test_confidence_beside_a_round(org, other_org):
    """The mean vote on goals running during the round, cast by its last day."""
    owner = UserFactory(username="voter1")
    other = UserFactory(username="voter2")
    late = UserFactory(username="voter3")
    pulse_round, _ = services.pulse_round_create(organisation=org, opens_on=DAY, open_days=3)
    goal = goal_make(org, start=DAY - dt.timedelta(days=10), deadline=DAY + dt.timedelta(days=30))
    Confidence.objects.create(goal=goal, user=owner, rating=4)
    Confidence.objects.create(goal=goal, user=other, rating=2)
    cast_late = Confidence.objects.create(goal=goal, user=late, rating=5)
    before_end = dt.datetime(2026, 3, 4, 20, tzinfo=org.tzinfo)
    Confidence.objects.exclude(pk=cast_late.pk).update(updated_at=before_end)
    Confidence.objects.filter(pk=cast_late.pk).update(updated_at=before_end + dt.timedelta(days=1))
    finished = goal_make(
        org, title="Old", start=DAY - dt.timedelta(days=60), deadline=DAY - dt.timedelta(days=1)
    )
    Confidence.objects.create(goal=finished, user=owner, rating=1)
    foreign = goal_make(other_org, start=DAY, deadline=DAY + dt.timedelta(days=9))
    Confidence.objects.create(goal=foreign, user=owner, rating=1)
    Confidence.objects.filter(goal__in=[finished, foreign]).update(updated_at=before_end)
    # (4 + 2) / 2: the late vote, the finished goal and the other organisation's are left out.
    assert selectors.confidence_during(pulse_round) == (pytest.approx(3.0), 2)


def test_a_person_who_turned_the_kind_off_is_not_told(org):
    from goaldesk.notifications.models import Preference

    quiet, told = agents(org, 2)
    Preference.objects.create(user=quiet, kind="pulse_open", in_app=False, email=False)
    pulse_on(org)
    services.pulse_round_open(organisation=org, today=DAY)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [told.pk]
