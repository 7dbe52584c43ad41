"""Merging two agents: every row of any app that points at the one merged away follows it."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.interactions.models import Interaction
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interactions_upsert
from goaldesk.scheduling.models import (
    AgentAbsence,
    AgentProfile,
    Schedule,
    ScheduledShift,
    ShiftSwap,
)
from goaldesk.team.models import Agent, AgentAlias
from goaldesk.team.services import agent_merge
from tests.factories import AgentFactory, InteractionFactory, TeamFactory, UserFactory
from tests.goals.factories import goal_make

START = dt.datetime(2026, 3, 7, 9, tzinfo=dt.UTC)


@pytest.fixture
def pair(org):
    """Sara entered twice: by import ("Sara Ahmed", no name) and by hand (her e-mail)."""
    team = TeamFactory(organisation=org, name="Support")
    source = AgentFactory(organisation=org, key="Sara Ahmed", name="", team=None)
    target = AgentFactory(organisation=org, key="sara@example.com", name="Sara", team=team)
    other = AgentFactory(organisation=org, key="omid@example.com", name="Omid")
    schedule = Schedule.objects.create(
        organisation=org, week_start=dt.date(2026, 3, 7), state=Schedule.State.DONE
    )
    for i in range(2):
        InteractionFactory(organisation=org, agent=source, external_id=f"S-{i}")
    InteractionFactory(organisation=org, agent=target, external_id="T-1")
    InteractionFactory(organisation=org, agent=other, external_id="O-1")
    shift = ScheduledShift.objects.create(
        schedule=schedule, agent=source, start=START, end=START + dt.timedelta(hours=8)
    )
    ShiftSwap.objects.create(shift=shift, offered_by=source, taken_by=other)
    AgentAbsence.objects.create(
        agent=source, start=START, end=START + dt.timedelta(days=1), note="dentist"
    )
    AgentProfile.objects.create(agent=source, max_hours_per_week=20)
    goal = goal_make(org, scope={"agent": "Sara Ahmed"})
    return {"source": source, "target": target, "other": other, "goal": goal}


def test_every_row_of_the_merged_agent_points_at_the_target(org, pair):
    source, target, other = pair["source"], pair["target"], pair["other"]
    before = {
        model: model.objects.count()
        for model in (Interaction, ScheduledShift, ShiftSwap, AgentAbsence, AgentProfile)
    }
    counts = agent_merge(organisation=org, source_id=source.pk, target_id=target.pk)

    assert not Agent.objects.filter(pk=source.pk).exists()
    # Nothing lost: every kind of row counts as many as before.
    assert {m: m.objects.count() for m in before} == before
    assert Interaction.objects.filter(agent=target).count() == 3
    assert Interaction.objects.filter(agent=other).count() == 1
    assert ScheduledShift.objects.get().agent == target
    swap = ShiftSwap.objects.get()
    assert (swap.offered_by, swap.taken_by) == (target, other)
    assert AgentAbsence.objects.get().agent == target
    # The target had no work profile: the source's moved (its 20 hours kept).
    assert AgentProfile.objects.get().agent == target
    assert AgentProfile.objects.get().max_hours_per_week == 20
    # The goal scoped to the source's key now names the target.
    pair["goal"].refresh_from_db()
    assert pair["goal"].scope == {"agent": "sara@example.com"}
    moved = {c.label: (c.moved, c.kept_target) for c in counts}
    assert moved["interactions"] == (2, 0)
    assert moved["work profiles"] == (1, 0)
    assert moved["absences"] == (1, 0)


def test_the_target_keeps_its_own_work_profile_and_says_so(org, pair):
    source, target = pair["source"], pair["target"]
    AgentProfile.objects.create(agent=target, max_hours_per_week=38)
    counts = agent_merge(organisation=org, source_id=source.pk, target_id=target.pk)
    assert AgentProfile.objects.get().agent == target
    assert AgentProfile.objects.get().max_hours_per_week == 38
    assert {c.label: (c.moved, c.kept_target) for c in counts}["work profiles"] == (0, 1)


def test_the_target_keeps_its_key_and_takes_what_it_lacks(org, pair):
    source, target = pair["source"], pair["target"]
    user = UserFactory(username="sara")
    Agent.objects.filter(pk=source.pk).update(user=user)
    target.name = ""
    target.save()
    Agent.objects.filter(pk=source.pk).update(name="Sara Ahmed")
    agent_merge(organisation=org, source_id=source.pk, target_id=target.pk)
    target.refresh_from_db()
    assert (target.key, target.name, target.user) == ("sara@example.com", "Sara Ahmed", user)
    assert target.team.name == "Support"


def test_a_later_import_naming_the_merged_agent_finds_the_target(org, pair):
    source, target = pair["source"], pair["target"]
    agent_merge(organisation=org, source_id=source.pk, target_id=target.pk)
    assert AgentAlias.objects.get(organisation=org).folded == "sara ahmed"
    interactions_upsert(
        organisation=org,
        records=[
            InteractionData(
                external_id="N-1", channel="phone", created_at=START, agent="SARA AHMED"
            )
        ],
    )
    assert Interaction.objects.get(external_id="N-1").agent == target
    assert Agent.objects.filter(organisation=org).count() == 2  # no Sara recreated


def test_an_agent_is_not_merged_into_itself_or_another_organisations(org, other_org, pair):
    from django.core.exceptions import ValidationError

    source = pair["source"]
    with pytest.raises(ValidationError):
        agent_merge(organisation=org, source_id=source.pk, target_id=source.pk)
    theirs = AgentFactory(organisation=other_org)
    with pytest.raises(ValidationError):
        agent_merge(organisation=org, source_id=source.pk, target_id=theirs.pk)
    assert Agent.objects.filter(pk=source.pk).exists()


def merge_url(org, agent):
    return reverse("team:agent_merge", args=[org.slug, agent.pk])


def test_the_page_shows_what_moves_then_merges_on_post_only(client_as, org, pair):
    source, target = pair["source"], pair["target"]
    client = client_as(Role.MANAGER)
    page = client.get(merge_url(org, source), {"target": target.pk})
    assert page.status_code == 200
    counts = {c.label: c.moved for c in page.context["counts"]}
    assert counts["interactions"] == 2 and counts["absences"] == 1
    text = page.content.decode()
    assert 'method="post"' in text and "Merge and delete" in text
    assert Agent.objects.filter(pk=source.pk).exists()  # a GET changes nothing

    response = client.post(merge_url(org, source), {"target": target.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("team:agents", args=[org.slug])
    assert not Agent.objects.filter(pk=source.pk).exists()
    listing = client.get(response["Location"]).content.decode()
    assert "Sara Ahmed was merged into Sara." in listing


def test_a_bad_target_is_a_message_on_the_field(client_as, org, pair):
    client = client_as(Role.MANAGER)
    source = pair["source"]
    for bad in ("x", str(source.pk), "999999"):
        response = client.post(merge_url(org, source), {"target": bad})
        assert response.status_code == 200
        assert response.context["form"].errors["target"]
    assert Agent.objects.filter(pk=source.pk).exists()


def test_viewers_see_no_merge_link(client_as, org, pair):
    text = client_as(Role.VIEWER).get(reverse("team:agents", args=[org.slug])).content.decode()
    assert "/merge/" not in text
    text = client_as(Role.MANAGER).get(reverse("team:agents", args=[org.slug])).content.decode()
    assert merge_url(org, pair["source"]) in text
