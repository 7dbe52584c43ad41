"""/api/v1/orgs/{slug}/skills and an agent's skills and training records."""

import json

import pytest

from goaldesk.accounts.models import Role
from goaldesk.team.models import AgentSkillChange, TrainingRecord
from goaldesk.team.services import agent_channels_languages_set, skill_create
from tests.api.conftest import BASE, ApiClient
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sara(org):
    agent = AgentFactory(organisation=org, key="sara", name="Sara")
    agent_channels_languages_set(agent=agent, channels=["phone"], languages=["fa"])
    return agent


@pytest.fixture
def cards(org):
    return skill_create(
        organisation=org, kind="product", code="cards", name="Cards", requires_certification=True
    )


def _put(client, path, body):
    return client.client.put(
        path, json.dumps(body), content_type="application/json", headers=client.headers
    )


def test_any_token_lists_the_skills(org, sara, cards, token):
    response = ApiClient(token(Role.VIEWER)).get(f"{BASE}/{org.slug}/skills")
    assert response.status_code == 200
    assert {(s["scheduling_code"], s["requires_certification"]) for s in response.json()} == {
        ("phone", False),
        ("lang:fa", False),
        ("product:cards", True),
    }


def test_a_manager_sets_a_level_adds_a_training_record_and_reads_them_back(org, sara, cards, api):
    path = f"{BASE}/{org.slug}/agents/{sara.pk}"
    response = _put(api, f"{path}/skills/{cards.pk}", {"level": 4})
    assert response.status_code == 200
    cards_row = next(s for s in response.json()["skills"] if s["skill"]["code"] == "cards")
    assert (cards_row["level_name"], cards_row["certificate"], cards_row["counts"]) == (
        "Expert",
        "missing",
        False,
    )
    added = api.post(
        f"{path}/training",
        {"course": "Cards", "skill": cards.pk, "completed_on": "2026-01-10", "result": "passed",
         "score": 91.0, "expires_on": "2027-01-10"},
    )  # fmt: skip
    assert added.status_code == 201 and added.json()["expired"] is False
    read = api.get(f"{path}/skills", {"on": "2026-06-01"}).json()
    cards_row = next(s for s in read["skills"] if s["skill"]["code"] == "cards")
    assert (cards_row["certificate"], cards_row["certificate_expires_on"], cards_row["counts"]) == (
        "valid",
        "2027-01-10",
        True,
    )
    later = api.get(f"{path}/skills", {"on": "2027-01-10"}).json()
    assert later["training"][0]["expired"] is True
    assert AgentSkillChange.objects.filter(agent=sara, skill=cards).count() == 1


def test_bad_input_names_the_field(org, sara, cards, api):
    path = f"{BASE}/{org.slug}/agents/{sara.pk}"
    assert _put(api, f"{path}/skills/{cards.pk}", {"level": 9}).json()["detail"][0]["field"] == (
        "level"
    )
    bad = api.post(
        f"{path}/training",
        {"course": "Cards", "skill": 999999, "completed_on": "yesterday", "result": "passed"},
    )
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["detail"]} == {"skill", "completed_on"}
    wrong = api.post(
        f"{path}/training",
        {"course": "Cards", "completed_on": "2026-01-10", "result": "great", "expires_on": "2025-01-01"},
    )  # fmt: skip
    assert {d["field"] for d in wrong.json()["detail"]} == {"result", "expires_on"}
    assert not TrainingRecord.objects.exists()
    assert _put(api, f"{path}/skills/999999", {"level": 2}).status_code == 404


def test_a_viewer_token_may_not_read_an_agents_skills_or_write(org, sara, cards, token):
    viewer = ApiClient(token(Role.VIEWER))
    path = f"{BASE}/{org.slug}/agents/{sara.pk}"
    assert viewer.get(f"{path}/skills").status_code == 403
    assert _put(viewer, f"{path}/skills/{cards.pk}", {"level": 2}).status_code == 403


def test_an_agent_reads_their_own_skills_through_their_session(org, sara, member, client):
    user = member(Role.AGENT)
    sara.user = user
    sara.save()
    other = AgentFactory(organisation=org)
    client.force_login(user)
    session = ApiClient(client=client)
    assert session.get(f"{BASE}/{org.slug}/agents/{sara.pk}/skills").status_code == 200
    assert session.get(f"{BASE}/{org.slug}/agents/{other.pk}/skills").status_code == 403


def test_another_organisations_agent_is_not_found(org, other_org, api):
    foreign = AgentFactory(organisation=other_org)
    assert api.get(f"{BASE}/{org.slug}/agents/{foreign.pk}/skills").status_code == 404
