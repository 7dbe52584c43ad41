"""The last complete period of each frequency, in the organisation's calendar and week."""

import datetime as dt

import pytest

from goaldesk.accounts.models import Calendar, Weekday
from goaldesk.notifications.models import DigestFrequency
from goaldesk.reports.selectors import period_before, period_bounds
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_daily_is_yesterday():
    org = OrganisationFactory()
    assert period_bounds(DigestFrequency.DAILY, org, dt.date(2026, 3, 1)) == (
        dt.date(2026, 2, 28),
        dt.date(2026, 2, 28),
    )


@pytest.mark.parametrize("today", [dt.date(2026, 3, 7), dt.date(2026, 3, 11), dt.date(2026, 3, 13)])
def test_weekly_follows_a_saturday_week_start(today):
    # 7 March 2026 is a Saturday: from that Saturday to the Friday after, the last whole
    # Saturday-to-Friday week is 28 February – 6 March.
    org = OrganisationFactory(week_start=Weekday.SATURDAY)
    first, last = period_bounds(DigestFrequency.WEEKLY, org, today)
    assert (first, last) == (dt.date(2026, 2, 28), dt.date(2026, 3, 6))
    assert first.isoweekday() == 6 and last.isoweekday() == 5
    assert period_before(DigestFrequency.WEEKLY, org, first) == (
        dt.date(2026, 2, 21),
        dt.date(2026, 2, 27),
    )


def test_monthly_is_the_last_whole_jalali_month():
    # 11 March 2026 is 20 Esfand 1404; the month before is Bahman 1404 (30 days), which began
    # on 21 January 2026 (1 Farvardin 1404 = 21 March 2025, plus 6×31 + 4×30 days).
    org = OrganisationFactory(calendar=Calendar.JALALI)
    first, last = period_bounds(DigestFrequency.MONTHLY, org, dt.date(2026, 3, 11))
    assert (first, last) == (dt.date(2026, 1, 21), dt.date(2026, 2, 19))
    assert (last - first).days + 1 == 30
    # Dey 1404 before it: 22 December 2025 – 20 January 2026.
    assert period_before(DigestFrequency.MONTHLY, org, first) == (
        dt.date(2025, 12, 22),
        dt.date(2026, 1, 20),
    )


def test_monthly_in_gregorian_is_the_calendar_month():
    org = OrganisationFactory()
    assert period_bounds(DigestFrequency.MONTHLY, org, dt.date(2026, 3, 1)) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
    )


def test_digest_frequency_is_the_persons_choice_else_weekly_for_managers_and_owners():
    from goaldesk.accounts.models import Role
    from goaldesk.notifications.models import DigestSetting
    from goaldesk.notifications.selectors import digest_frequency_for
    from tests.factories import UserFactory

    user = UserFactory(username="pat")
    assert digest_frequency_for(user, Role.OWNER) == DigestFrequency.WEEKLY
    assert digest_frequency_for(user, Role.MANAGER) == DigestFrequency.WEEKLY
    assert digest_frequency_for(user, Role.AGENT) == DigestFrequency.NONE
    assert digest_frequency_for(user, Role.VIEWER) == DigestFrequency.NONE
    DigestSetting.objects.create(user=user, frequency=DigestFrequency.MONTHLY)
    assert digest_frequency_for(user, Role.VIEWER) == DigestFrequency.MONTHLY
