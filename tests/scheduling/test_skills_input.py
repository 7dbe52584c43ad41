"""The solver's agents take their skills from team: levels below Competent and certificates that
run out during the week do not count; an agent with no skill recorded serves every channel."""

import datetime as dt

import pytest

from goaldesk.interactions.models import Channel
from goaldesk.scheduling.selectors import engine_agents
from goaldesk.team.models import Skill, SkillLevel
from goaldesk.team.services import (
    agent_channels_languages_set,
    agent_skill_set,
    training_record_add,
)
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 12, 5)  # a Saturday; the week runs to Friday 11 December


def _skills(org):
    agents, records = engine_agents(organisation=org, week_start=WEEK)
    return {records[a.id].key: a.skills for a in agents}


def test_an_expired_certificate_and_a_learning_level_stop_counting_in_the_solver_input(org):
    sara, omid, mina, _new = (
        AgentFactory(organisation=org, key=k) for k in ("sara", "omid", "mina", "new")
    )
    for agent in (sara, omid, mina):
        agent_channels_languages_set(agent=agent, channels=["phone", "chat"], languages=["fa"])
    phone = Skill.objects.get(organisation=org, code="phone")
    phone.requires_certification = True
    phone.save()
    # Sara's certificate covers the whole week; Omid's ran out last month; Mina's runs out on
    # Wednesday 9 December, inside the week.
    for agent, expires in (
        (sara, dt.date(2027, 6, 1)),
        (omid, dt.date(2026, 11, 1)),
        (mina, dt.date(2026, 12, 9)),
    ):
        training_record_add(
            agent=agent, course="Phone", skill=phone, completed_on=dt.date(2026, 1, 1),
            result="passed", expires_on=expires,
        )  # fmt: skip
    agent_skill_set(agent=sara, skill=Skill.objects.get(code="chat"), level=SkillLevel.LEARNING)

    skills = _skills(org)
    assert skills["sara"] == {"phone", "lang:fa"}
    assert skills["omid"] == {"chat", "lang:fa"}
    assert skills["mina"] == {"chat", "lang:fa"}
    assert skills["new"] == frozenset(Channel.values)  # nothing recorded: every channel
