"""Teams and agents: managers create, edit and deactivate; keys unique per organisation."""

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.team.models import Agent, Team
from tests.factories import AgentFactory, MembershipFactory, TeamFactory, UserFactory


@pytest.fixture
def manager(client_as):
    return client_as(Role.MANAGER)


def test_create_rename_and_delete_a_team(manager, org):
    assert (
        manager.post(reverse("team:teams", args=[org.slug]), {"name": "Front desk"}).status_code
        == 302
    )
    team = Team.objects.get(organisation=org)
    assert team.name == "Front desk"
    edit = reverse("team:team_edit", args=[org.slug, team.pk])
    manager.post(edit, {"name": "Walk-in desk"})
    team.refresh_from_db()
    assert team.name == "Walk-in desk"
    assert manager.post(edit, {"delete": "1"}).status_code == 302
    assert not Team.objects.exists()


def test_duplicate_team_name_is_refused(manager, org):
    TeamFactory(organisation=org, name="Front desk")
    response = manager.post(reverse("team:teams", args=[org.slug]), {"name": "front desk"})
    assert response.context["form"].errors["name"] == ["A team called “front desk” exists already."]


def test_same_team_name_in_another_organisation_is_fine(manager, org, other_org):
    TeamFactory(organisation=other_org, name="Front desk")
    manager.post(reverse("team:teams", args=[org.slug]), {"name": "Front desk"})
    assert Team.objects.filter(organisation=org, name="Front desk").exists()


def test_a_team_with_agents_is_not_deleted(manager, org):
    team = TeamFactory(organisation=org, name="Front desk")
    AgentFactory(organisation=org, team=team)
    response = manager.post(reverse("team:team_edit", args=[org.slug, team.pk]), {"delete": "1"})
    assert "still has agents or interactions" in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()


def test_create_an_agent_with_team_and_linked_member(manager, org):
    team = TeamFactory(organisation=org, name="Front desk")
    sara = UserFactory(username="sara")
    MembershipFactory(organisation=org, user=sara, role=Role.AGENT)
    response = manager.post(
        reverse("team:agent_create", args=[org.slug]),
        {
            "key": "sara@example.com",
            "name": "Sara",
            "team": team.pk,
            "user": sara.pk,
        },
    )
    assert response.status_code == 302
    agent = Agent.objects.get(organisation=org)
    assert (agent.key, agent.name, agent.team, agent.user, agent.active) == (
        "sara@example.com",
        "Sara",
        team,
        sara,
        True,
    )


def test_agent_key_is_unique_per_organisation_ignoring_case(manager, org, other_org):
    AgentFactory(organisation=org, key="sara@example.com")
    AgentFactory(organisation=other_org, key="ali@example.com")
    url = reverse("team:agent_create", args=[org.slug])
    response = manager.post(url, {"key": "Sara@Example.com", "name": "Sara 2"})
    assert response.context["form"].errors["key"] == [
        "Another agent has the key “Sara@Example.com”."
    ]
    assert 'value="Sara 2"' in response.content.decode()
    # The key of an agent of another organisation is free here.
    assert manager.post(url, {"key": "ali@example.com"}).status_code == 302


def test_linked_user_must_be_a_member_here(manager, org, other_org):
    stranger = UserFactory(username="stranger")
    MembershipFactory(organisation=other_org, user=stranger, role=Role.AGENT)
    response = manager.post(
        reverse("team:agent_create", args=[org.slug]), {"key": "x1", "user": stranger.pk}
    )
    assert response.context["form"].errors["user"]
    assert not Agent.objects.filter(organisation=org).exists()


def test_team_of_another_organisation_cannot_be_chosen(manager, org, other_org):
    theirs = TeamFactory(organisation=other_org, name="Theirs")
    response = manager.post(
        reverse("team:agent_create", args=[org.slug]), {"key": "x1", "team": theirs.pk}
    )
    assert response.context["form"].errors["team"]


def test_one_user_is_linked_to_one_agent_only(manager, org):
    sara = UserFactory(username="sara")
    MembershipFactory(organisation=org, user=sara, role=Role.AGENT)
    AgentFactory(organisation=org, key="sara@example.com", user=sara)
    response = manager.post(
        reverse("team:agent_create", args=[org.slug]), {"key": "sara2", "user": sara.pk}
    )
    assert response.context["form"].errors["user"] == ["sara is already linked to another agent."]


def test_edit_and_deactivate_an_agent(manager, org):
    agent = AgentFactory(organisation=org, key="ali@example.com", name="Ali")
    edit = reverse("team:agent_edit", args=[org.slug, agent.pk])
    assert 'value="ali@example.com"' in manager.get(edit).content.decode()
    manager.post(edit, {"key": "ali@example.com", "name": "Ali Karimi", "active": "on"})
    agent.refresh_from_db()
    assert (agent.name, agent.active) == ("Ali Karimi", True)
    manager.post(reverse("team:agent_set_active", args=[org.slug, agent.pk]), {"active": "0"})
    agent.refresh_from_db()
    assert agent.active is False
    manager.post(reverse("team:agent_set_active", args=[org.slug, agent.pk]), {"active": "1"})
    agent.refresh_from_db()
    assert agent.active is True


def test_viewer_sees_the_lists_without_edit_controls(client_as, org):
    team = TeamFactory(organisation=org, name="Front desk")
    AgentFactory(organisation=org, key="ali@example.com", name="Ali", team=team)
    viewer = client_as(Role.VIEWER)
    agents_page = viewer.get(reverse("team:agents", args=[org.slug])).content.decode()
    assert "Ali" in agents_page and "Front desk" in agents_page
    assert "Deactivate" not in agents_page
    teams_page = viewer.get(reverse("team:teams", args=[org.slug])).content.decode()
    assert "Front desk" in teams_page and "Create team" not in teams_page


def test_agent_list_does_not_query_per_row(manager, org, django_assert_max_num_queries):
    team = TeamFactory(organisation=org, name="Front desk")
    for i in range(15):
        user = UserFactory(username=f"a{i}")
        MembershipFactory(organisation=org, user=user, role=Role.AGENT)
        AgentFactory(organisation=org, key=f"a{i}@example.com", team=team, user=user)
    url = reverse("team:agents", args=[org.slug])
    manager.get(url)
    with django_assert_max_num_queries(12):
        manager.get(url)


def test_the_agent_form_offers_this_organisations_teams_and_members_by_user_name(
    manager, org, other_org
):
    TeamFactory(organisation=org, name="Front desk")
    TeamFactory(organisation=other_org, name="Theirs")
    for name, organisation in (("zoe", org), ("amir", org), ("stranger", other_org)):
        MembershipFactory(organisation=organisation, user=UserFactory(username=name))
    form = manager.get(reverse("team:agent_create", args=[org.slug])).context["form"]
    assert [label for _, label in form.fields["team"].choices] == ["No team", "Front desk"]
    # The manager signed in is a member too.
    assert [label for _, label in form.fields["user"].choices] == [
        "None",
        "amir",
        "manager-user",
        "zoe",
    ]
