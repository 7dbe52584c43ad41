"""Changing the time zone really moves interactions to their new local day."""

import datetime as dt

from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.interactions.models import Interaction
from tests.factories import InteractionFactory


def test_time_zone_change_recomputes_the_local_day(
    client_as, org, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # 21:30 UTC is 01:00 next day in Tehran (UTC+03:30) and 22:30 the same day in Berlin (UTC+01:00).
    row = InteractionFactory(
        organisation=org,
        created_at=dt.datetime(2026, 3, 2, 21, 30, tzinfo=dt.UTC),
        local_date=dt.date(2026, 3, 3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(Role.OWNER).post(
            reverse("accounts:settings_general", args=[org.slug]),
            {
                "name": org.name,
                "timezone": "Europe/Berlin",
                "language": "en",
                "calendar": "gregorian",
                "weekend_days": ["6", "7"],
                "week_start": "1",
                "answer_target_seconds": "20",
            },
        )
    assert response.status_code == 302
    assert Interaction.objects.get(pk=row.pk).local_date == dt.date(2026, 3, 2)
