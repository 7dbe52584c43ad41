"""Work profiles' channels and languages become team skills at level Proficient when the
database migrates (scheduling 0004), each with its line in the history."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from goaldesk.team.models import AgentSkill, AgentSkillChange, Skill

BEFORE = [("scheduling", "0003_staffing_alert"), ("team", "0002_agent_alias")]


@pytest.mark.django_db(transaction=True)
def test_channels_and_languages_become_proficient_skills_of_each_organisation():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    old = executor.loader.project_state(BEFORE).apps
    organisation = old.get_model("accounts", "Organisation")
    agent = old.get_model("team", "Agent")
    profile = old.get_model("scheduling", "AgentProfile")
    tehran = organisation.objects.create(name="Tehran", slug="t", timezone="Asia/Tehran")
    berlin = organisation.objects.create(name="Berlin", slug="b", timezone="Europe/Berlin")
    sara = agent.objects.create(organisation=tehran, key="sara")
    omid = agent.objects.create(organisation=tehran, key="omid")
    anna = agent.objects.create(organisation=berlin, key="anna")
    bare = agent.objects.create(organisation=berlin, key="bare")  # no profile: no skills
    profile.objects.create(agent=sara, channels=["phone", "chat"], languages=["fa", "en"])
    profile.objects.create(agent=omid, channels=["phone"], languages=[])
    profile.objects.create(agent=anna, channels=["phone", "phone"], languages=["de"])

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    held = sorted(
        (row.agent.key, row.skill.organisation.slug, row.skill.scheduling_code, row.level)
        for row in AgentSkill.objects.select_related("agent", "skill__organisation")
    )
    assert held == [
        ("anna", "b", "lang:de", 3),
        ("anna", "b", "phone", 3),
        ("omid", "t", "phone", 3),
        ("sara", "t", "chat", 3),
        ("sara", "t", "lang:en", 3),
        ("sara", "t", "lang:fa", 3),
        ("sara", "t", "phone", 3),
    ]
    # One phone skill per organisation, shared by its agents.
    assert Skill.objects.filter(code="phone").count() == 2
    assert AgentSkillChange.objects.count() == 7
    assert set(AgentSkillChange.objects.values_list("old_level", "new_level")) == {(None, 3)}
    assert not AgentSkill.objects.filter(agent_id=bare.pk).exists()
