"""Goals' dates are typed and shown in the organisation's calendar and digits."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.goals.models import Goal
from tests.goals.factories import business_goal_make, resolved_visits

# 2 December 2026 is 11 Azar 1405 and 22 Jumada al-Akhirah 1448 (tests/metrics/test_scope.py).
AZAR_11 = dt.date(2026, 12, 2)


def _form(org, **dates: str) -> dict[str, object]:
    return {
        "title": "Desk: 30 a day",
        "goal_type": "productivity",
        "metric_key": "customers_helped_per_day",
        "statistic": "median",
        "value_unit": "hours",
        "scope_channel": "walk_in",
        "target": "30",
        "tracking_window_days": "7",
        "business_goal": business_goal_make(org).pk,
        "reason": "More sales.",
        "confirm_warnings": "on",
        **dates,
    }


@pytest.fixture
def persian_org(org):
    org.language, org.calendar, org.week_start = "fa", "jalali", 6
    org.save()
    for day in range(1, 29):
        resolved_visits(org, dt.date(2026, 11, 1) + dt.timedelta(days=day), 20)
    return org


def test_the_goal_form_has_calendar_date_boxes_and_month_end_presets(persian_org, client_as):
    html = client_as(Role.MANAGER).get(reverse("goals:new", args=[persian_org.slug])).content
    page = html.decode()
    assert 'type="date"' not in page
    assert page.count('class="datepicker"') >= 4 + 5  # baseline ×2, start, deadline, milestones
    assert page.count('class="date-preset"') == 3


def test_a_goal_with_jalali_dates_in_persian_and_latin_digits(persian_org, client_as):
    response = client_as(Role.MANAGER).post(
        reverse("goals:new", args=[persian_org.slug]),
        _form(
            persian_org,
            baseline_from="۱۴۰۵/۰۸/۱۱",  # 1 Aban is 23 October: + 10 days, 2 November
            baseline_to="1405-8-30",  # 21 November
            start="۱۴۰۵/۰۹/۰۹",  # 1 Azar is 22 November: + 8 days, 30 November
            deadline="1405.10.30",  # 1 Dey is 22 December (Azar has 30 days): 20 January
            milestone_date_1="۱۴۰۵/۱۰/۰۱",
            milestone_value_1="25",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    goal = Goal.objects.get()
    assert (goal.baseline_from, goal.baseline_to) == (dt.date(2026, 11, 2), dt.date(2026, 11, 21))
    assert (goal.start, goal.deadline) == (dt.date(2026, 11, 30), dt.date(2027, 1, 20))
    assert [m.date for m in goal.milestones.all()] == [dt.date(2026, 12, 22)]
    edit = client_as(Role.OWNER).get(reverse("goals:edit", args=[persian_org.slug, goal.pk]))
    assert 'value="۱۴۰۵/۱۰/۳۰"' in edit.content.decode()


def test_a_goal_with_hijri_dates_in_arabic_indic_digits(org, client_as):
    org.language, org.calendar, org.arabic_indic_digits = "ar", "hijri", True
    org.save()
    for day in range(1, 29):
        resolved_visits(org, dt.date(2026, 11, 1) + dt.timedelta(days=day), 20)
    response = client_as(Role.MANAGER).post(
        reverse("goals:new", args=[org.slug]),
        _form(
            org,
            baseline_from="١٤٤٨/٥/٢٣",  # 1 Jumada al-Akhirah is 11 November; the day before
            baseline_to="1448/06/10",  # is the 30th of Jumada al-Ula, so the 23rd is 3 November
            start="١٤٤٨/٦/٢٢",  # 2 December
            deadline="1448.7.1",  # 10 December (Jumada al-Akhirah 1448 has 29 days)
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    goal = Goal.objects.get()
    assert (goal.baseline_from, goal.baseline_to) == (dt.date(2026, 11, 3), dt.date(2026, 11, 20))
    assert (goal.start, goal.deadline) == (AZAR_11, dt.date(2026, 12, 10))
