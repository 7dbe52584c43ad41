"""The schedule page: the week first, short intervals summarised by day and skill, Remove asks."""

import re

from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.selectors import schedule_evaluate, shortfall_summary
from tests.scheduling.test_schedule import SATURDAY, build, desk  # noqa: F401 - the fixture

# Saturday 09–17 needs three phone agents (two can take calls: one short for 8 hours); Sunday
# needs four chat agents 10–11 and three 11–12 (two can chat: 2 short, then 1).
ROWS = [(0, 9, 17, "phone", 3), (1, 10, 11, "chat", 4), (1, 11, 12, "chat", 3)]


def test_short_intervals_are_counted_by_day_and_skill(desk):  # noqa: F811
    org, _people = desk
    schedule = build(org, ROWS)
    assert schedule.state == Schedule.State.DONE
    rows = shortfall_summary(schedule_evaluate(schedule), organisation=org)
    got = [(r["day"], r["skill"], r["intervals"], r["short"], r["agent_hours"]) for r in rows]
    sunday = SATURDAY.replace(day=SATURDAY.day + 1)
    assert got == [(SATURDAY, "phone", 8, 1, 8.0), (sunday, "chat", 2, 2, 3.0)]
    # The spans behind each row stay available for the detail.
    assert sum(len(r["spans"]) for r in rows) >= 2


def test_the_week_comes_before_coverage_and_the_short_interval_summary(desk, client_as):  # noqa: F811
    org, _people = desk
    schedule = build(org, ROWS)
    text = (
        client_as(Role.MANAGER)
        .get(reverse("scheduling:schedule_detail", args=[org.slug, schedule.pk]))
        .content.decode()
    )
    week, coverage = text.index('id="week"'), text.index('id="coverage"')
    summary, short = text.index('id="summary"'), text.index('id="shortfalls"')
    assert week < coverage < summary < short
    # One summary row per day and skill; the per-interval spans fold away under it.
    assert len(re.findall(r'<tr data-day="', text)) == 2
    assert "<details><summary>8 short intervals</summary>" in text
    assert "<details><summary>2 short intervals</summary>" in text
    # Shift bars show start and end on lines of their own, the full text in the tooltip.
    assert '<span class="label"><span>09:00–</span><span>17:00</span></span>' in text
    # Remove looks destructive, asks first, and is still a button of a POST form.
    remove = re.search(
        r'<form method="post"[^>]*>(?:(?!</form>).)*?value="remove"[^>]*>', text, re.S
    )
    assert remove is not None
    assert 'class="danger"' in remove.group(
        0
    ) and 'data-confirm="Remove this shift?"' in remove.group(0)
