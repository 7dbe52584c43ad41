"""The skills matrix and its gaps at the coming week's busiest intervals, worked by hand."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.coaching.skills_selectors import skills_matrix
from goaldesk.forecasting.models import ForecastRun, RequirementInterval
from goaldesk.scheduling.models import Schedule, ScheduledShift
from goaldesk.team.models import Skill, SkillLevel
from goaldesk.team.services import (
    agent_channels_languages_set,
    agent_skill_set,
    training_record_add,
)
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
TODAY = dt.date(2026, 12, 2)  # a Wednesday; with a Friday weekend the week planned now starts
SATURDAY = dt.date(2026, 12, 5)  # on Saturday 5 December


def at(hour, day=SATURDAY):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TEHRAN)


#: People to schedule per hour on Saturday: totals 1, 4, 4, 1, 3, 2, 1. The five busiest:
#: 10:00 and 11:00 (4), 13:00 (3), 14:00 (2), then the earliest of the ones: 09:00.
REQUIREMENT = {
    9: {"phone": 1},
    10: {"phone": 3, "chat": 1},
    11: {"phone": 2, "chat": 2},
    12: {"phone": 1},
    13: {"phone": 2, "chat": 1},
    14: {"phone": 1, "chat": 1},
    15: {"phone": 1},
}


@pytest.fixture
def week(org):
    """Ali (phone certified, chat), Bita (phone certificate expired on 30 November, chat
    Competent), Cyrus (phone certified but Learning, chat Expert) on 09–17; Dara (no skill
    recorded: every channel) on 12–17; Elham (phone certified) only in an unpublished draft."""
    org.weekend_days = [5]
    org.save()
    run = ForecastRun.objects.create(
        organisation=org, state=ForecastRun.State.DONE, finished_at=at(8, TODAY),
        interval_minutes=60, horizon_days=14, first_day=TODAY,
    )  # fmt: skip
    RequirementInterval.objects.bulk_create(
        RequirementInterval(
            run=run,
            channel=channel,
            start=at(hour),
            volume=1,
            agents=n,
            agents_with_shrinkage=n,
            service_level=0.8,
            asa_seconds=10,
            occupancy=0.7,
            p_wait=0.2,
            model="erlang_c",
        )
        for hour, needs in REQUIREMENT.items()
        for channel, n in needs.items()
    )
    people = {
        key: AgentFactory(organisation=org, key=key, name=key.title())
        for key in ("ali", "bita", "cyrus", "dara", "elham")
    }
    for key in ("ali", "bita", "cyrus", "elham"):
        agent_channels_languages_set(agent=people[key], channels=["phone", "chat"], languages=None)
    phone = Skill.objects.get(organisation=org, code="phone")
    phone.requires_certification = True
    phone.save()
    for key, expires in (
        ("ali", None),
        ("bita", dt.date(2026, 11, 30)),
        ("cyrus", None),
        ("elham", None),
    ):
        training_record_add(
            agent=people[key], course="Phone", skill=phone, completed_on=dt.date(2025, 11, 30),
            result="passed", expires_on=expires,
        )  # fmt: skip
    chat = Skill.objects.get(organisation=org, code="chat")
    agent_skill_set(agent=people["bita"], skill=chat, level=SkillLevel.COMPETENT)
    agent_skill_set(agent=people["cyrus"], skill=phone, level=SkillLevel.LEARNING)
    agent_skill_set(agent=people["cyrus"], skill=chat, level=SkillLevel.EXPERT)
    published = Schedule.objects.create(
        organisation=org, week_start=SATURDAY, state=Schedule.State.DONE, published_at=at(8, TODAY)
    )
    for key in ("ali", "bita", "cyrus"):
        ScheduledShift.objects.create(
            schedule=published, agent=people[key], start=at(9), end=at(17)
        )
    ScheduledShift.objects.create(
        schedule=published, agent=people["dara"], start=at(12), end=at(17)
    )
    draft = Schedule.objects.create(
        organisation=org, week_start=SATURDAY, state=Schedule.State.DONE
    )
    ScheduledShift.objects.create(schedule=draft, agent=people["elham"], start=at(9), end=at(17))
    return people


def test_the_gaps_at_the_five_busiest_intervals_count_only_skills_that_count(org, week):
    matrix = skills_matrix(organisation=org, today=TODAY)
    assert matrix.week_start == SATURDAY
    assert [p.start.hour for p in matrix.peaks] == [9, 10, 11, 13, 14]
    table = {
        (p.start.hour, g.code): (g.required, g.on_duty, g.short)
        for p in matrix.peaks
        for g in p.skills
    }
    assert table == {
        # phone: Ali counts; Bita's certificate expired, Cyrus is Learning; Dara from 12:00.
        (9, "phone"): (1, 1, 0),
        (10, "phone"): (3, 1, 2),
        (10, "chat"): (1, 3, 0),
        (11, "phone"): (2, 1, 1),
        (11, "chat"): (2, 3, 0),
        (13, "phone"): (2, 2, 0),
        (13, "chat"): (1, 4, 0),
        (14, "phone"): (1, 2, 0),
        (14, "chat"): (1, 4, 0),
    }
    ten = next(g for g in matrix.peaks[1].skills if g.code == "phone")
    assert [(n.agent.key, n.why, n.expires_on) for n in ten.not_counting] == [
        ("bita", "expired", dt.date(2026, 11, 30)),
        ("cyrus", "learning", None),
    ]


def test_the_matrix_shows_levels_the_expired_certificate_and_an_agent_with_no_skills(org, week):
    matrix = skills_matrix(organisation=org, today=TODAY)
    codes = [skill.scheduling_code for skill, _label in matrix.skills]
    rows = {row.agent.key: row for row in matrix.rows}
    phone = codes.index("phone")
    assert rows["ali"].cells[phone].standing.level_label == "Proficient"
    assert rows["bita"].cells[phone].expired
    assert rows["cyrus"].cells[phone].standing.level == SkillLevel.LEARNING
    assert rows["dara"].every_channel and all(c.standing is None for c in rows["dara"].cells)


def test_the_page_highlights_the_short_skills_and_says_why(org, week, client_as):
    page = client_as(Role.MANAGER).get(reverse("coaching:skills", args=[org.slug]))
    text = page.content.decode()
    assert text.count('<tr class="short">') == 2
    assert "certificate expired on" in text and "still at the level Learning" in text


def test_without_a_forecast_the_page_says_what_to_do(org, client_as):
    page = client_as(Role.OWNER).get(reverse("coaching:skills", args=[org.slug]))
    assert "run a forecast first" in page.content.decode()
