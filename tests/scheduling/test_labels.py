"""Skills and languages by their names, never their keys: the short-interval table, swap
reasons and the work profiles, in English and in Persian."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from goaldesk.accounts.models import Role
from goaldesk.scheduling.services import ScheduleError, agent_profile_save, swap_offer, swap_take
from tests.scheduling import test_schedule
from tests.scheduling.test_schedule import build

# The desk, its published week and a clock before that week, as in test_schedule.
desk = test_schedule.desk
published = test_schedule.published
now_before_the_week = test_schedule.now_before_the_week


def visible_text(response) -> str:
    """The page as a reader sees it: no scripts (chart data), no tags."""
    html = re.sub(r"<script\b.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_short_intervals_name_the_skill_by_its_label(desk, client_as):
    org, _people = desk
    # Nobody serves the walk-in desk: Saturday 09–11 is short of one walk-in agent.
    schedule = build(org, [(0, 9, 11, "walk_in", 1)], limit=5)
    url = reverse("scheduling:schedule_detail", args=[org.slug, schedule.pk])
    client = client_as(Role.VIEWER)
    text = visible_text(client.get(url))
    assert "No agent has the skill Walk-in desk." in text
    assert "walk_in" not in text

    client.cookies["django_language"] = "fa"
    text = visible_text(client.get(url))
    assert "مراجعه حضوری" in text  # "Walk-in desk" in the table and the reason
    assert "walk_in" not in text


def test_a_swap_refused_for_missing_skills_names_them(published, now_before_the_week):
    _org, people, schedule = published
    saturday = schedule.shifts.get(agent=people["sara"])
    swap = swap_offer(shift=saturday, agent=people["sara"])
    with translation.override("fa"), pytest.raises(ScheduleError) as refused:
        swap_take(swap=swap, agent=people["mina"])  # Mina serves chat only
    assert refused.value.message.endswith("مهارت‌های لازم برای این شیفت را ندارد: تلفن.")


def test_the_work_profiles_name_languages(desk, client_as):
    org, people = desk
    agent_profile_save(
        agent=people["sara"], values={"channels": ["walk_in"], "languages": ["fa", "en"]}
    )
    url = reverse("scheduling:schedule_profiles", args=[org.slug])
    client = client_as(Role.MANAGER)
    text = visible_text(client.get(url))
    assert "Walk-in desk, English, Persian" in text  # channels, then languages by code
    assert "language fa" not in text

    client.cookies["django_language"] = "fa"
    text = visible_text(client.get(url))
    assert "مراجعه حضوری, انگلیسی, فارسی" in text
    assert "زبان fa" not in text and "زبان en" not in text
