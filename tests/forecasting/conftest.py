"""Forecasting fixtures: jobs run at once, and an organisation with a few weeks of demand."""

import datetime as dt

import pytest

from goaldesk.accounts.models import BusinessHours, Holiday
from goaldesk.interactions.models import Interaction


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def add_interactions(org, moments, *, channel="phone", handle_seconds=None, prefix="W"):
    """Interactions created at the given aware moments (derived local_date filled in)."""
    tz = org.tzinfo
    start = Interaction.objects.filter(organisation=org).count()
    Interaction.objects.bulk_create(
        Interaction(
            organisation=org,
            external_id=f"{prefix}-{start + i}",
            channel=channel,
            created_at=moment,
            local_date=moment.astimezone(tz).date(),
            status="resolved",
            handle_seconds=handle_seconds,
        )
        for i, moment in enumerate(moments)
    )


def open_weekdays(org, weekdays, opens=dt.time(9), closes=dt.time(17)):
    BusinessHours.objects.bulk_create(
        BusinessHours(organisation=org, weekday=w, opens=opens, closes=closes) for w in weekdays
    )


@pytest.fixture
def planned_org(org):
    """Tehran (+03:30, Friday weekend), open Sat–Thu 09:00–17:00, five weeks of phone calls
    ending yesterday: on each open day 6 calls in 09:00–09:30, 3 in 10:00–10:30 and 1 at
    16:45; a holiday (no calls) on the second Sunday before today."""
    from goaldesk.accounts.models import today_in

    org.weekend_days = [5]
    org.save()
    open_weekdays(org, [6, 7, 1, 2, 3, 4])
    tz = org.tzinfo
    today = today_in(org)
    holiday = today - dt.timedelta(days=(today.isoweekday() % 7) + 7)  # a Sunday
    Holiday.objects.create(organisation=org, date=holiday, name="Test holiday")
    moments = []
    for back in range(1, 36):
        day = today - dt.timedelta(days=back)
        if day.isoweekday() == 5 or day == holiday:
            continue
        at = lambda h, m, day=day: dt.datetime(day.year, day.month, day.day, h, m, tzinfo=tz)  # noqa: E731
        moments += [at(9, 5 * i) for i in range(6)] + [at(10, 10 * i) for i in range(3)]
        moments.append(at(16, 45))
    add_interactions(org, moments, handle_seconds=180)
    return org


@pytest.fixture
def make_run(django_capture_on_commit_callbacks):
    """make_run(organisation=…, …) → a forecast run created and (immediate backend) run."""
    from goaldesk.forecasting.services import forecast_run_create

    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            run = forecast_run_create(**kwargs)
        run.refresh_from_db()
        return run

    return make
