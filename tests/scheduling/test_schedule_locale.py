"""The schedule's reasons for a Persian reader: every number in the reader's digits; the
reasons count their agents with plural-aware sentences."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import translation

from goaldesk.accounts.models import Role
from goaldesk.engine.rostering import Shortfall
from goaldesk.scheduling.selectors import shortfall_text
from tests.scheduling.test_schedule import build, desk  # noqa: F401  (desk is a fixture)


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_short_intervals_and_their_reasons_are_written_in_persian_digits(desk, client_as):  # noqa: F811
    org, _people = desk
    org.language = "fa"
    org.save()
    # Three phone agents needed from 9 to 17, only two people take phone calls.
    schedule = build(org, [(0, 9, 17, "phone", 3)])
    page = client_as(Role.VIEWER).get(
        reverse("scheduling:schedule_detail", args=[org.slug, schedule.pk])
    )
    html = page.content.decode()
    rows = re.findall(r"<tr><td>[^<]*– [^<]*</td><td[^>]*>[^<]*</td>.*?</tr>", html)
    assert rows, "the short intervals table lists the span"
    # The summary by day and skill (day, agent-hours, count) is in Persian digits as well.
    short = _visible(html.split('id="shortfalls"')[1].split("</section>")[0])
    assert "۸" in short and not re.search(r"[0-9]", short)
    reason = _visible(rows[0])
    # 2 available, 3 needed, short by 1, from 09:00 to 17:00: all in Persian digits
    assert "۲" in reason and "۳" in reason and "۰۹:۰۰" in reason and "۱۷:۰۰" in reason
    assert not re.search(r"[0-9]", reason)
    summary = _visible(html.split('id="summary"')[1].split("</section>")[0])
    assert not re.search(r"[0-9]", summary)


def test_the_reason_counts_one_agent_or_several():
    translation.activate("en")
    start = dt.datetime(2026, 3, 7, 9, tzinfo=dt.UTC)

    def reason(available: int, required: int) -> str:
        shortfall = Shortfall(
            start=start,
            skill="phone",
            required=required,
            staffed=available,
            reason="too_few_available",
            available=available,
            binding={},
            message="",
        )
        return shortfall_text(shortfall, organisation=None)

    assert reason(1, 2) == "Only 1 agent with Phone is available; 2 needed."
    assert reason(2, 3) == "Only 2 agents with Phone are available; 3 needed."
