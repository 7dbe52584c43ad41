"""The Today page: contacts so far against the forecast, the service level so far, the rest of
the day re-forecast from the level so far and the staffing gap it leaves — worked by hand."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse

from goaldesk.accounts.models import BusinessHours, Role
from goaldesk.forecasting.models import ForecastInterval, ForecastRun, StaffingInputs
from goaldesk.interactions.models import Interaction
from goaldesk.scheduling import today as today_module
from goaldesk.scheduling.models import Schedule, ScheduledShift
from goaldesk.scheduling.today import today_for
from goaldesk.team.services import agent_channels_languages_set
from tests.factories import AgentFactory, OrganisationFactory

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
DAY = dt.date(2026, 12, 2)  # a Wednesday
NOW = dt.datetime(2026, 12, 2, 13, 10, tzinfo=TEHRAN)


def at(hour, minute=0, day=DAY):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TEHRAN)


def add_calls(org, moments, *, wait_seconds=5.0, status="resolved", prefix="C"):
    start = Interaction.objects.filter(organisation=org).count()
    Interaction.objects.bulk_create(
        Interaction(
            organisation=org,
            external_id=f"{prefix}-{start + i}",
            channel="phone",
            created_at=moment,
            local_date=moment.astimezone(TEHRAN).date(),
            status=status,
            is_live=True,
            wait_seconds=wait_seconds,
        )
        for i, moment in enumerate(moments)
    )


@pytest.fixture
def day_org(org):
    """Open Saturday–Thursday 09:00–17:00 (Friday weekend), answer target 20 s; a forecast of
    10 phone calls an hour for today, 6-minute calls (so 1 Erlang an hour)."""
    org.weekend_days = [5]
    org.answer_target_seconds = 20
    org.save()
    BusinessHours.objects.bulk_create(
        BusinessHours(organisation=org, weekday=w, opens=dt.time(9), closes=dt.time(17))
        for w in (6, 7, 1, 2, 3, 4)
    )
    run = ForecastRun.objects.create(
        organisation=org,
        state=ForecastRun.State.DONE,
        finished_at=NOW - dt.timedelta(days=1),
        interval_minutes=60,
        horizon_days=7,
        first_day=DAY - dt.timedelta(days=1),
        channels=[{"channel": "phone", "method": "weekday_mean", "aht_seconds": 360.0}],
    )
    ForecastInterval.objects.bulk_create(
        ForecastInterval(
            run=run, channel="phone", start=at(h, day=d), forecast=10.0, lower=5.0, upper=15.0
        )
        for d in (DAY - dt.timedelta(days=1), DAY)
        for h in range(9, 17)
    )
    StaffingInputs.objects.create(
        organisation=org,
        channel="phone",
        target_sl=80,
        target_seconds=20,
        aht_seconds=360,
        shrinkage=30,
        max_occupancy=85,
    )
    return org


@pytest.fixture
def busy_morning(day_org):
    """15 calls in each hour 09–13 (60 where 40 were forecast), 2 so far in 13:00–14:00.

    Of the 62 live calls: 50 answered within 20 s, 10 after a minute, 2 abandoned."""
    moments = [at(h, 3 * i) for h in range(9, 13) for i in range(15)] + [at(13, 1), at(13, 5)]
    add_calls(day_org, moments[:50], wait_seconds=5.0)
    add_calls(day_org, moments[50:60], wait_seconds=60.0, prefix="S")
    add_calls(day_org, moments[60:], wait_seconds=90.0, status="abandoned", prefix="A")
    return day_org


@pytest.fixture
def published(day_org):
    """Five agents on 09:00–17:00 (one on a break 14:00–14:30) and a chat-only agent."""
    schedule = Schedule.objects.create(
        organisation=day_org,
        week_start=dt.date(2026, 11, 28),
        state=Schedule.State.DONE,
        published_at=NOW - dt.timedelta(days=2),
    )
    agents = [AgentFactory(organisation=day_org) for _ in range(6)]
    agent_channels_languages_set(agent=agents[5], channels=["chat"], languages=None)
    for i, agent in enumerate(agents):
        ScheduledShift.objects.create(
            schedule=schedule,
            agent=agent,
            start=at(9),
            end=at(17),
            break_start=at(14) if i == 0 else None,
            break_end=at(14, 30) if i == 0 else None,
        )
    return schedule


@pytest.fixture
def low_guard(monkeypatch):
    """The product waits for 1,000 contacts forecast so far; this small day has 40."""
    monkeypatch.setattr(today_module, "REFORECAST_MIN_CONTACTS", 30.0)


def test_the_day_so_far_and_the_rest_rescaled_by_hand(busy_morning, published, low_guard):
    today = today_for(organisation=busy_morning, now=NOW)
    assert today.state == "ok" and today.channel == "phone"
    rows = {row.start.astimezone(TEHRAN).hour: row for row in today.intervals}
    assert sorted(rows) == list(range(9, 17))
    # Contacts so far per interval; 13:00 is under way, later ones have not started.
    assert [rows[h].actual for h in range(9, 17)] == [15, 15, 15, 15, 2, None, None, None]
    assert today.contacts_so_far == 62
    # Four intervals have ended: 60 came where 40 were forecast, so the rest is 1.5 × 10.
    assert today.forecast_so_far == 40
    assert today.scaled and today.factor == pytest.approx(1.5)
    assert [rows[h].reforecast for h in range(9, 17)] == pytest.approx([10] * 4 + [15] * 4)
    assert today.expected_day == pytest.approx(60 + 4 * 15)
    # 50 of 62 live calls answered within 20 s (abandoned ones count as missed).
    assert today.service_level == pytest.approx(100 * 50 / 62)
    # Erlang C, 80 % in 20 s, 6-minute calls: 10 an hour (1 Erlang) need 3 agents (2 give
    # 68 %), 15 an hour (1.5 Erlang) need 4 (3 give 78 %); with 30 % shrinkage 3 → 5, 4 → 6.
    assert [rows[h].required for h in range(9, 17)] == [5] * 4 + [6] * 4
    # Five phone agents on shift (the chat-only one does not count), one on a break at 14:00.
    assert [rows[h].scheduled for h in range(9, 17)] == [5, 5, 5, 5, 5, 4, 5, 5]
    assert [rows[h].gap for h in range(9, 17)] == [0, 0, 0, 0, -1, -2, -1, -1]


def test_too_early_keeps_the_morning_forecast(busy_morning):
    # At 11:10 two hours have ended: fewer than the three the guard waits for.
    today = today_for(organisation=busy_morning, now=at(11, 10))
    assert not today.scaled
    assert all(row.reforecast == 10 for row in today.intervals)
    # The product's guard: 40 contacts forecast so far is far below 1,000.
    later = today_for(organisation=busy_morning, now=NOW)
    assert not later.scaled and later.factor == 1.0


def test_the_page_shows_the_day(busy_morning, published, low_guard, client_as, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(dt.UTC))
    url = reverse("scheduling:today", args=[busy_morning.slug])
    text = client_as(Role.MANAGER).get(url).content.decode()
    assert 'data-testid="contacts-so-far">62<' in text
    assert 'data-testid="service-level">80.6' in text
    assert 'data-testid="expected-day">120<' in text
    assert "re-forecast at 1.50 × the morning’s forecast" in text
    table = text[text.index('data-testid="today-intervals"') :]
    cells = re.findall(r"<tr><th scope=\"row\">(\d\d:\d\d)</th>(.*?)</tr>", table)
    values = {time: re.findall(r'<td class="num[^"]*">([^<]*)</td>', row) for time, row in cells}
    assert values["12:00"] == ["10.0", "15", "10.0", "5", "5", "0"]
    assert values["14:00"] == ["10.0", "—", "15.0", "6", "4", "-2"]
    assert 'id="chart-today"' in text and 'id="today-data"' in text
    # htmx polls the same URL and gets the day without the page's frame.
    partial = client_as(Role.OWNER).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="contacts-so-far">62<' in partial and "<html" not in partial


def test_without_a_forecast_for_today_the_page_says_so(day_org, client_as, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(dt.UTC))
    ForecastRun.objects.all().delete()
    url = reverse("scheduling:today", args=[day_org.slug])
    text = client_as(Role.MANAGER).get(url).content.decode()
    assert "There is no forecast for today." in text
    assert reverse("forecasting:home", args=[day_org.slug]) in text


def test_a_forecast_that_ended_before_today_is_no_forecast_for_today(day_org):
    ForecastRun.objects.update(first_day=DAY - dt.timedelta(days=8))
    assert today_for(organisation=day_org, now=NOW).state == "no_forecast"


def test_on_the_weekend_the_page_says_so(day_org, client_as, monkeypatch):
    friday = at(12, day=dt.date(2026, 12, 4))
    monkeypatch.setattr("django.utils.timezone.now", lambda: friday.astimezone(dt.UTC))
    url = reverse("scheduling:today", args=[day_org.slug])
    text = client_as(Role.MANAGER).get(url).content.decode()
    assert "Today is not a working day" in text


def test_another_organisations_calls_and_shifts_do_not_count(busy_morning, published, db):
    other = OrganisationFactory(slug="elsewhere", timezone="Asia/Tehran")
    add_calls(other, [at(9, 1), at(10, 1)], prefix="X")
    other_schedule = Schedule.objects.create(
        organisation=other,
        week_start=dt.date(2026, 11, 28),
        state=Schedule.State.DONE,
        published_at=NOW,
    )
    ScheduledShift.objects.create(
        schedule=other_schedule, agent=AgentFactory(organisation=other), start=at(9), end=at(17)
    )
    today = today_for(organisation=busy_morning, now=NOW)
    assert today.contacts_so_far == 62
    assert today.intervals[0].scheduled == 5
    # The other organisation has no forecast of its own.
    assert today_for(organisation=other, now=NOW).state == "no_forecast"


def test_an_unknown_channel_shows_the_forecast_channel(busy_morning, client_as, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(dt.UTC))
    url = reverse("scheduling:today", args=[busy_morning.slug])
    response = client_as(Role.MANAGER).get(url, {"channel": "pigeon"})
    assert response.status_code == 200
    assert 'data-testid="contacts-so-far">62<' in response.content.decode()


def test_the_navigation_links_today_for_managers_only(day_org, client_as):
    url = reverse("scheduling:today", args=[day_org.slug])
    dashboard = reverse("metrics:dashboard", args=[day_org.slug])
    assert url in client_as(Role.MANAGER).get(dashboard).content.decode()
    assert url not in client_as(Role.AGENT).get(dashboard).content.decode()


def test_the_page_only_reads(day_org, client_as):
    url = reverse("scheduling:today", args=[day_org.slug])
    assert client_as(Role.MANAGER).post(url, {}).status_code == 405


def test_a_persian_reader_gets_persian_digits_in_the_table_and_the_chart(
    busy_morning, published, low_guard, client_as, monkeypatch
):
    busy_morning.language = "fa"
    busy_morning.save()
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW.astimezone(dt.UTC))
    text = client_as(Role.MANAGER).get(reverse("scheduling:today", args=[busy_morning.slug]))
    html = text.content.decode()
    table = html[html.index('data-testid="today-intervals"') : html.index("</table>")]
    visible = re.sub(r"<[^>]+>", " ", table.split("</thead>")[1])
    assert "۱۴:۰۰" in visible and not re.search(r"[0-9]", visible)
    chart = html[html.index('id="today-data"') :]
    assert "\\u06f0\\u06f9:\\u06f0\\u06f0" in chart or "۰۹:۰۰" in chart
