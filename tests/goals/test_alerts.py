"""Goal and level alerts: the owner and the managers are told once when a goal falls behind, is
projected to miss its deadline or is achieved, and when the service level moves."""

import datetime as dt
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core import mail

from goaldesk.accounts.models import Profile, Role
from goaldesk.goals import alerts
from goaldesk.goals.alerts import goal_alerts_check, level_alert_check
from goaldesk.goals.models import LevelAlert, Outcome
from goaldesk.goals.selectors import level_for_period, progress_for
from goaldesk.goals.services import goal_close
from goaldesk.notifications.models import Notification
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.goals.factories import goal_make, resolved_visits

D0 = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def team(shop):
    """The shop's owner (reads Persian), a manager, an agent who owns the goal, a viewer; and
    a manager of another organisation."""
    people = {}
    for role in (Role.OWNER, Role.MANAGER, Role.AGENT, Role.VIEWER):
        people[role] = UserFactory(username=f"the-{role}", email=f"{role}@example.org")
        MembershipFactory(user=people[role], organisation=shop, role=role)
    Profile.objects.create(user=people[Role.OWNER], language="fa", calendar="jalali")
    elsewhere = OrganisationFactory(slug="elsewhere")
    people["elsewhere"] = UserFactory(username="elsewhere", email="elsewhere@example.org")
    MembershipFactory(user=people["elsewhere"], organisation=elsewhere, role=Role.MANAGER)
    return people


def told(kind=None):
    rows = Notification.objects.select_related("recipient")
    if kind:
        rows = rows.filter(kind=kind)
    return Counter(n.recipient.username for n in rows)


def visits(shop, first_day, counts):
    for offset, count in enumerate(counts):
        resolved_visits(shop, first_day + dt.timedelta(days=offset), count)


@pytest.fixture
def goal(shop, team):
    """From 20 to 50 customers a day over 30 days (1 January to 31 January), each day's value
    that day's count; owned by the agent."""
    return goal_make(
        shop,
        start=D0,
        deadline=D0 + dt.timedelta(days=30),
        tracking_window_days=1,
        owner=team[Role.AGENT],
    )


def test_a_goal_behind_then_at_risk_then_achieved_tells_each_change_once(
    shop, team, goal, django_capture_on_commit_callbacks
):
    # Rising by 2 a day from 7: 25 on day 9 where the plan says 29 (more than 3, a tenth of the
    # way, behind), but heading for 67 by the deadline: behind, not at risk.
    visits(shop, D0, [7 + 2 * d for d in range(10)])
    today = D0 + dt.timedelta(days=10)
    assert progress_for(goal, as_of=today, full=False).status == "behind"
    with django_capture_on_commit_callbacks(execute=True):
        assert goal_alerts_check(organisation=shop, today=today) == 1
        assert goal_alerts_check(organisation=shop, today=today) == 0  # told once
    assert told() == Counter({"the-owner": 1, "the-manager": 1, "the-agent": 1})
    notification = Notification.objects.filter(kind="goal_behind").first()
    assert (
        notification.text() == "The goal “\u2068Help 50 customers a day\u2069” is behind its plan."
    )
    assert notification.url == f"/o/shop/goals/{goal.pk}/"
    persian = next(m for m in mail.outbox if m.to == ["owner@example.org"])
    assert 'lang="fa"' in persian.alternatives[0][0]

    # Then flat at 25 for ten days: the projection misses the target by far.
    visits(shop, D0 + dt.timedelta(days=10), [25] * 10)
    today = D0 + dt.timedelta(days=20)
    assert progress_for(goal, as_of=today, full=False).status == "at_risk"
    with django_capture_on_commit_callbacks(execute=True):
        assert goal_alerts_check(organisation=shop, today=today) == 1
        assert goal_alerts_check(organisation=shop, today=today) == 0
    assert told("goal_will_miss") == Counter({"the-owner": 1, "the-manager": 1, "the-agent": 1})
    # The deadline in the Persian owner's e-mail: 31 January 2026 is 11 Bahman 1404.
    persian = [m for m in mail.outbox if m.to == ["owner@example.org"]][-1]
    assert "۱۱ بهمن ۱۴۰۴" in persian.subject, persian.subject

    # Sixty a day to the end: achieved once the deadline has passed; closing it tells no more.
    visits(shop, D0 + dt.timedelta(days=20), [60] * 11)
    today = D0 + dt.timedelta(days=31)
    assert goal_alerts_check(organisation=shop, today=today) == 1
    goal.refresh_from_db()
    goal_close(goal=goal, today=today)
    assert goal.outcome == Outcome.ACHIEVED
    assert told("goal_achieved") == Counter({"the-owner": 1, "the-manager": 1, "the-agent": 1})
    assert "the-viewer" not in told() and "elsewhere" not in told()


def test_a_day_without_data_does_not_tell_the_same_status_again(shop, team, goal):
    visits(shop, D0, [7 + 2 * d for d in range(10)])
    assert goal_alerts_check(organisation=shop, today=D0 + dt.timedelta(days=10)) == 1
    # Before the start the goal is "not started": nothing is told, the last status stays.
    assert goal_alerts_check(organisation=shop, today=D0) == 0
    goal.refresh_from_db()
    assert goal.alerted_state == "behind"
    assert goal_alerts_check(organisation=shop, today=D0 + dt.timedelta(days=10)) == 0
    assert told("goal_behind").total() == 3


def test_closing_an_achieved_goal_tells_the_owner_and_managers_once(shop, team, goal):
    visits(shop, D0 + dt.timedelta(days=28), [55, 55, 55])
    goal_close(goal=goal, today=D0 + dt.timedelta(days=31))
    goal_close(goal=goal, today=D0 + dt.timedelta(days=32))  # already closed: nothing
    assert told() == Counter({"the-owner": 1, "the-manager": 1, "the-agent": 1})
    assert set(Notification.objects.values_list("kind", flat=True)) == {"goal_achieved"}


def test_the_level_moving_tells_the_managers_with_the_level_names(
    shop, team, monkeypatch, django_capture_on_commit_callbacks
):
    judged = []
    verdicts = iter(
        ["meets_expectations", "meets_expectations", None, "exceptional", "exceptional"]
    )

    def level_for_period(*, organisation, date_from, date_to):
        judged.append((date_from, date_to))
        return SimpleNamespace(level=next(verdicts)), {}

    monkeypatch.setattr(alerts.selectors, "level_for_period", level_for_period)
    today = dt.date(2026, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert level_alert_check(organisation=shop, today=today) is False  # the first: recorded
        assert level_alert_check(organisation=shop, today=today) is False  # the same level
        assert level_alert_check(organisation=shop, today=today) is False  # no verdict: kept
        assert level_alert_check(organisation=shop, today=today) is True  # moved up
        assert level_alert_check(organisation=shop, today=today) is False  # told once
    # The last 30 complete days: 30 January to 28 February.
    assert judged[0] == (dt.date(2026, 1, 30), dt.date(2026, 2, 28))
    assert told() == Counter({"the-owner": 1, "the-manager": 1})
    notification = Notification.objects.get(recipient__username="the-manager")
    assert notification.text() == (
        "The level of service moved from Meets expectations (level 2 of 4) "
        "to Exceptional (level 3 of 4)."
    )
    assert notification.url == "/o/shop/goals/level/?from=2026-01-30&to=2026-02-28"
    persian = next(m for m in mail.outbox if m.to == ["owner@example.org"])
    assert "۳" in persian.subject and "3" not in persian.subject, persian.subject


def test_the_level_check_on_real_figures_records_first_and_tells_nobody(shop, team):
    # Sixty resolved visits a day for the last 30 days, judged as the level page judges them.
    visits(shop, dt.date(2026, 1, 30), [60] * 30)
    today = dt.date(2026, 3, 1)
    assert level_alert_check(organisation=shop, today=today) is False
    assert level_alert_check(organisation=shop, today=today) is False
    verdict, _measured = level_for_period(
        organisation=shop, date_from=dt.date(2026, 1, 30), date_to=dt.date(2026, 2, 28)
    )
    stored = LevelAlert.objects.filter(organisation=shop).values_list("level", flat=True).first()
    assert (stored or "") == (verdict.level or "")
    assert Notification.objects.count() == 0
