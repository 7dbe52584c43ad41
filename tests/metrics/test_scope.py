"""Period presets follow the reader's calendar and the organisation's first day of the week."""

import datetime as dt

import pytest
from django.http import QueryDict

from goaldesk.core.display import display_calendar, display_week_start
from goaldesk.metrics import scope as scope_module
from goaldesk.metrics.scope import scope_from_query
from tests.factories import OrganisationFactory

# Wednesday 2 December 2026 is 11 Azar 1405 and 22 Jumada al-Akhirah 1448.
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def org(db, monkeypatch):
    monkeypatch.setattr(scope_module, "today_in", lambda organisation: TODAY)
    return OrganisationFactory()


def _scope(org, period, *, calendar="gregorian", week_start=1):
    calendar_token = display_calendar.set(calendar)
    week_token = display_week_start.set(week_start)
    try:
        return scope_from_query(QueryDict(f"period={period}"), org)
    finally:
        display_calendar.reset(calendar_token)
        display_week_start.reset(week_token)


def test_this_month_in_a_jalali_organisation_is_azar_to_date(org):
    # 1 Azar 1405 is 22 November 2026 (the Jalali months 1–6 have 31 days, 7–11 have 30:
    # Nowruz, 21 March, + 186 + 60 days). Aban has 30 days, so 1 Aban is 23 October.
    scope = _scope(org, "month", calendar="jalali")
    assert (scope.date_from, scope.date_to) == (dt.date(2026, 11, 22), TODAY)
    # Compared with 1–11 Aban.
    assert scope.previous == (dt.date(2026, 10, 23), dt.date(2026, 11, 2))


def test_last_month_in_a_jalali_organisation_is_the_whole_of_aban(org):
    scope = _scope(org, "last_month", calendar="jalali")
    assert (scope.date_from, scope.date_to) == (dt.date(2026, 10, 23), dt.date(2026, 11, 21))
    # Mehr, 30 days from 23 September.
    assert scope.previous == (dt.date(2026, 9, 23), dt.date(2026, 10, 22))


def test_this_month_in_a_hijri_organisation_is_jumada_al_akhirah_to_date(org):
    # Umm al-Qura: 1 Ramadan 1447 was 18 February 2026; the months since had 30, 29, 30, 29,
    # 30, 29, 30, 29, 30 days (Ramadan … Jumada al-Ula), so 1 Jumada al-Akhirah 1448 is 266
    # days later, 11 November 2026.
    scope = _scope(org, "month", calendar="hijri")
    assert scope.date_from == dt.date(2026, 11, 11)
    assert scope.date_to == TODAY


def test_this_month_in_a_gregorian_organisation(org):
    scope = _scope(org, "month")
    assert (scope.date_from, scope.date_to) == (dt.date(2026, 12, 1), TODAY)
    assert scope.previous == (dt.date(2026, 11, 1), dt.date(2026, 11, 2))
    last = _scope(org, "last_month")
    assert (last.date_from, last.date_to) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


@pytest.mark.parametrize(
    ("week_start", "first_day"),
    [
        (6, dt.date(2026, 11, 28)),  # Iran: Saturday
        (7, dt.date(2026, 11, 29)),  # the Gulf: Sunday
        (1, dt.date(2026, 11, 30)),  # Germany: Monday
        (3, TODAY),  # a week that starts on Wednesday starts today
    ],
)
def test_this_week_starts_on_the_organisations_first_day(org, week_start, first_day):
    scope = _scope(org, "week", week_start=week_start)
    assert (scope.date_from, scope.date_to) == (first_day, TODAY)
