"""An absence's start and end: a date in the reader's calendar and digits and a time of day."""

import datetime as dt
import zoneinfo

from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.scheduling.models import AgentAbsence
from tests.factories import AgentFactory

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def test_an_absence_typed_in_jalali_dates_and_persian_digits(org, client_as):
    org.language, org.calendar, org.timezone = "fa", "jalali", "Asia/Tehran"
    org.save()
    agent = AgentFactory(organisation=org, key="sara", name="Sara")
    url = reverse("scheduling:schedule_profile", args=[org.slug, agent.pk])
    client = client_as(Role.MANAGER)
    page = client.get(url).content.decode()
    assert 'type="datetime-local"' not in page and 'name="absence-start_0"' in page
    response = client.post(
        url,
        {
            "form": "absence",
            "absence-kind": AgentAbsence.Kind.choices[0][0],
            # 1 Azar 1405 is 22 November 2026 (tests/metrics/test_scope.py); 3 Azar the 24th.
            "absence-start_0": "۱۴۰۵/۰۹/۰۱",
            "absence-start_1": "۰۹:۰۰",
            "absence-end_0": "1405.9.3",
            "absence-end_1": "17:30",
        },
    )
    assert response.status_code == 302, response.context["absence_form"].errors
    absence = AgentAbsence.objects.get(agent=agent)
    assert absence.start == dt.datetime(2026, 11, 22, 9, 0, tzinfo=TEHRAN)
    assert absence.end == dt.datetime(2026, 11, 24, 17, 30, tzinfo=TEHRAN)
