"""Scheduling tells the agents concerned: a schedule published, a published shift changed, a swap
offered, taken, approved or declined; and the managers when the coming days are short-staffed."""

import datetime as dt
from collections import Counter

import pytest
from django.core import mail

from goaldesk.accounts.models import Profile, Role
from goaldesk.notifications.models import Notification
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.services import (
    schedule_publish,
    shift_add,
    shift_move,
    shift_remove,
    staffing_shortfall_check,
    swap_decide,
    swap_offer,
    swap_take,
)
from tests.factories import AgentFactory, MembershipFactory, UserFactory
from tests.scheduling.test_schedule import SATURDAY, desk, local, now_before_the_week

__all__ = ["desk", "now_before_the_week"]


@pytest.fixture
def people(desk, other_org):
    """Sara (phone, reads Persian in the Jalali calendar), Reza (phone and chat, German), Mina
    (chat), each with a login and an agent membership; a manager, an owner, a viewer, and a
    manager of another organisation with an agent of the same key there."""
    org, agents = desk
    users = {}
    for key, language, calendar in (
        ("sara", "fa", "jalali"),
        ("reza", "de", "gregorian"),
        ("mina", "", ""),
    ):
        user = UserFactory(username=key, email=f"{key}@example.org")
        Profile.objects.create(user=user, language=language, calendar=calendar)
        MembershipFactory(user=user, organisation=org, role=Role.AGENT)
        agents[key].user = user
        agents[key].save()
        users[key] = user
    for role in (Role.MANAGER, Role.OWNER, Role.VIEWER):
        users[role] = UserFactory(username=f"the-{role}", email=f"{role}@example.org")
        MembershipFactory(user=users[role], organisation=org, role=role)
    users["elsewhere"] = UserFactory(username="elsewhere", email="elsewhere@example.org")
    MembershipFactory(user=users["elsewhere"], organisation=other_org, role=Role.MANAGER)
    AgentFactory(organisation=other_org, key="sara", user=users["elsewhere"])
    return org, agents, users


def told(kind=None):
    """(username, kind) → how many in-app notifications."""
    rows = Notification.objects.select_related("recipient")
    if kind:
        rows = rows.filter(kind=kind)
    return Counter((n.recipient.username, n.kind) for n in rows)


def schedule_with_shifts(org, agents, *, phone_on_saturday=1):
    """Saturday 09–17 and Monday 09–17 need phone agents; Sara works Saturday, Reza Monday."""
    schedule = Schedule.objects.create(
        organisation=org, week_start=SATURDAY, interval_minutes=60, state=Schedule.State.DONE,
        requirement=[[local(org, 0, h).isoformat(), "phone", phone_on_saturday] for h in range(9, 17)]
        + [[local(org, 2, h).isoformat(), "phone", 1] for h in range(9, 17)],
    )  # fmt: skip
    shift_add(schedule=schedule, agent=agents["sara"], start=local(org, 0, 9), minutes=480)
    shift_add(schedule=schedule, agent=agents["reza"], start=local(org, 2, 9), minutes=480)
    return schedule


def test_publishing_tells_each_agent_with_shifts_once_in_their_language(
    people, now_before_the_week, django_capture_on_commit_callbacks
):
    org, agents, _users = people
    schedule = schedule_with_shifts(org, agents)
    assert told() == Counter()  # edits of an unpublished schedule tell nobody
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(schedule=schedule)
    # Mina has no shift; the viewer, managers and the other organisation hear nothing (the
    # coming days are covered: no staffing alert either).
    assert told() == Counter({("sara", "shifts_published"): 1, ("reza", "shifts_published"): 1})
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"sara@example.org", "reza@example.org"}
    # Saturday 7 March 2026 is 16 Esfand 1404, in Persian digits, right to left.
    persian = by_address["sara@example.org"]
    assert "۱۶ اسفند ۱۴۰۴" in persian.subject, persian.subject
    assert 'dir="rtl"' in persian.alternatives[0][0]
    german = by_address["reza@example.org"]
    assert "7. März 2026" in german.body or "07.03.2026" in german.body, german.body
    assert f"/o/{org.slug}/my-shifts/" in german.body
    # Publishing it again (already published) tells no one twice.
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(schedule=schedule)
    assert told("shifts_published").total() == 2


def test_changes_to_a_published_shift_tell_the_agents_concerned(people, now_before_the_week):
    org, agents, _users = people
    schedule = schedule_with_shifts(org, agents)
    schedule_publish(schedule=schedule)
    Notification.objects.all().delete()
    saturday = schedule.shifts.get(agent=agents["sara"])
    # Given to Mina on Sunday: Sara hears about her Saturday, Mina about the Sunday.
    shift_move(shift=saturday, start=local(org, 1, 9), minutes=480, agent=agents["mina"])
    days = {
        (n.recipient.username, n.params["day"])
        for n in Notification.objects.filter(kind="shifts_changed")
    }
    assert days == {("sara", "2026-03-07"), ("mina", "2026-03-08")}
    monday = schedule.shifts.get(agent=agents["reza"])
    shift_remove(shift=monday)
    shift_add(schedule=schedule, agent=agents["sara"], start=local(org, 3, 9), minutes=480)
    assert told() == Counter(
        {
            ("sara", "shifts_changed"): 2,
            ("mina", "shifts_changed"): 1,
            ("reza", "shifts_changed"): 1,
        }
    )
    assert Notification.objects.get(recipient__username="reza").params == {"day": "2026-03-09"}


def test_swap_offered_taken_and_approved_or_declined(people, now_before_the_week):
    org, agents, users = people
    schedule = schedule_with_shifts(org, agents)
    schedule_publish(schedule=schedule)
    Notification.objects.all().delete()
    saturday = schedule.shifts.get(agent=agents["sara"])
    swap = swap_offer(shift=saturday, agent=agents["sara"])
    # Only Reza could take a phone shift: Mina serves chat only; Sara offered it.
    assert told() == Counter({("reza", "swap_offered"): 1})
    offer = Notification.objects.get(kind="swap_offered")
    assert offer.text() == "\u2068Sara\u2069 offers you their shift on 7 Mar 2026."
    assert offer.url == f"/o/{org.slug}/my-shifts/"
    swap_take(swap=swap, agent=agents["reza"])
    assert told("swap_taken") == Counter({("sara", "swap_taken"): 1})
    assert Notification.objects.get(kind="swap_taken").params["name"] == "Reza"
    swap_decide(swap=swap, approve=True, decided_by=users[Role.MANAGER])
    assert told("swap_approved") == Counter(
        {("sara", "swap_approved"): 1, ("reza", "swap_approved"): 1}
    )
    # The shift is now Reza's: his offer, taken back by Sara, declined by the manager.
    saturday.refresh_from_db()
    swap = swap_offer(shift=saturday, agent=agents["reza"])
    assert told("swap_offered")[("sara", "swap_offered")] == 1
    swap_take(swap=swap, agent=agents["sara"])
    swap_decide(swap=swap, approve=False, decided_by=users[Role.MANAGER])
    assert told("swap_declined") == Counter(
        {("sara", "swap_declined"): 1, ("reza", "swap_declined"): 1}
    )
    # Nobody else heard anything of it.
    assert {name for name, _kind in told()} == {"sara", "reza"}


def test_a_short_coming_week_tells_the_managers_once_per_new_shortfall(
    people, now_before_the_week, django_capture_on_commit_callbacks
):
    org, agents, _users = people
    # Two phone agents wanted on Saturday 09–17, only Sara works: 8 intervals one short.
    schedule = schedule_with_shifts(org, agents, phone_on_saturday=2)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(schedule=schedule)
    short = {
        (n.recipient.username, n.params["start"], n.params["intervals"])
        for n in Notification.objects.filter(kind="staffing_short")
    }
    start = local(org, 0, 9).isoformat()  # 2026-03-07T09:00:00+03:30
    assert short == {("the-manager", start, 8), ("the-owner", start, 8)}
    assert Notification.objects.get(recipient__username="the-owner").url == (
        f"/o/{org.slug}/planning/schedule/{schedule.pk}/"
    )
    owner_mail = next(m for m in mail.outbox if m.to == ["owner@example.org"])
    assert "short of the requirement from" in owner_mail.subject
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    # The clock's next runs: nothing new, nobody told again.
    assert staffing_shortfall_check(organisation=org, now=now) == 0
    assert staffing_shortfall_check(organisation=org, now=now) == 0
    assert told("staffing_short").total() == 2
    # Reza covers Saturday too (nothing is short), then his shift is removed again.
    extra = shift_add(schedule=schedule, agent=agents["reza"], start=local(org, 0, 9), minutes=480)
    assert staffing_shortfall_check(organisation=org, now=now) == 0
    shift_remove(shift=extra)
    # Short again: told again, once.
    assert staffing_shortfall_check(organisation=org, now=now) == 8
    assert staffing_shortfall_check(organisation=org, now=now) == 0
    assert told("staffing_short") == Counter(
        {("the-manager", "staffing_short"): 2, ("the-owner", "staffing_short"): 2}
    )


def test_a_shortfall_beyond_the_coming_days_or_unpublished_tells_nobody(people):
    org, agents, _users = people
    schedule = schedule_with_shifts(org, agents, phone_on_saturday=2)
    # Not published: nothing is judged.
    assert staffing_shortfall_check(organisation=org, now=local(org, -6, 12)) == 0
    schedule_publish(schedule=schedule)  # now is today: the week is long past
    # Seen from Saturday 28 February (local): the window ends at the start of 7 March.
    Notification.objects.all().delete()
    assert staffing_shortfall_check(organisation=org, now=local(org, -7, 12)) == 0
    # A day later, Saturday 7 March is inside it.
    assert staffing_shortfall_check(organisation=org, now=local(org, -6, 12)) == 8
    # Once Saturday's shortfall has passed, nothing is short any more.
    assert staffing_shortfall_check(organisation=org, now=local(org, 0, 18)) == 0
    assert told("staffing_short").total() == 2
