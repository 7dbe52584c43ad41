"""The coming week's staffing shortfall in the digest (managers and owners)."""

import datetime as dt

import pytest

from goaldesk.accounts.models import Role
from goaldesk.notifications.models import DigestFrequency
from goaldesk.reports.selectors import digest_data, staffing_shortfalls
from goaldesk.reports.services import digest_email
from goaldesk.scheduling.models import Schedule, ScheduledShift
from tests.factories import AgentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

#: A Tuesday morning.
NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.UTC)


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=dt.UTC)


def test_short_intervals_of_the_next_seven_days_by_day_and_skill():
    org = OrganisationFactory(timezone="UTC")
    schedule = Schedule.objects.create(
        organisation=org,
        week_start=dt.date(2026, 3, 9),
        interval_minutes=30,
        state=Schedule.State.DONE,
        published_at=NOW - dt.timedelta(days=3),
        requirement=[
            [_at(9, 10).isoformat(), "phone", 5],  # yesterday: past, left out
            [_at(10, 10).isoformat(), "phone", 3],
            [_at(10, 11).isoformat(), "phone", 3],
            [_at(12, 9).isoformat(), "phone", 1],
        ],
    )
    agent = AgentFactory(organisation=org)
    ScheduledShift.objects.create(
        schedule=schedule, agent=agent, start=_at(10, 10), end=_at(10, 12)
    )
    ScheduledShift.objects.create(schedule=schedule, agent=agent, start=_at(12, 9), end=_at(12, 10))
    known, rows = staffing_shortfalls(organisation=org, now=NOW)
    # 10 March: three needed at 10:00 and at 11:00 (half-hour grid: only the intervals
    # starting then), one on duty → 2 intervals, 2 short, 2 × 2 × ½ h = 2 agent-hours;
    # 12 March is covered.
    assert known is True
    assert rows == [(dt.date(2026, 3, 10), "phone", 2, 2, 2.0)]

    data = digest_data(
        organisation=org,
        frequency=DigestFrequency.WEEKLY,
        period_start=dt.date(2026, 3, 2),
        period_end=dt.date(2026, 3, 8),
        now=NOW,
    )
    manager = UserFactory(username="mona", email="mona@example.com")
    text = digest_email(user=manager, role=Role.MANAGER, data=data).body
    assert "* 2026-03-10, Phone: intervals short: 2; most agents short at once: 2" in text
    viewer = UserFactory(username="vera", email="vera@example.com")
    assert "intervals short" not in digest_email(user=viewer, role=Role.VIEWER, data=data).body


def test_without_a_published_schedule_nothing_is_known():
    org = OrganisationFactory(timezone="UTC")
    Schedule.objects.create(
        organisation=org, week_start=dt.date(2026, 3, 9), state=Schedule.State.DONE
    )
    assert staffing_shortfalls(organisation=org, now=NOW) == (False, [])
