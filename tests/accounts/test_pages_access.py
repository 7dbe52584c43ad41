"""Who may open which settings page: every page for every role, anonymous and outsiders."""

import pytest
from django.test import Client
from django.urls import reverse

from goaldesk.accounts.models import Role
from tests.factories import AgentFactory, TeamFactory

OWNER, MANAGER, AGENT, VIEWER = Role.OWNER, Role.MANAGER, Role.AGENT, Role.VIEWER

#: page name → roles that may open it (GET); everyone else in the organisation gets 403.
PAGES = {
    "accounts:settings": {OWNER, MANAGER, AGENT, VIEWER},
    "accounts:settings_general": {OWNER, MANAGER},
    "accounts:settings_hours": {OWNER, MANAGER},
    "accounts:settings_holidays": {OWNER, MANAGER},
    "accounts:members": {OWNER},
    "accounts:tokens": {OWNER},
    "team:teams": {OWNER, MANAGER, AGENT, VIEWER},
    "team:agents": {OWNER, MANAGER, AGENT, VIEWER},
    "team:agent_create": {OWNER, MANAGER},
    "team:team_edit": {OWNER, MANAGER},
    "team:agent_edit": {OWNER, MANAGER},
}


@pytest.fixture
def urls(org):
    team = TeamFactory(organisation=org, name="Front desk")
    agent = AgentFactory(organisation=org, key="sara@example.com", team=team)
    args = {"team:team_edit": [team.pk], "team:agent_edit": [agent.pk]}
    return {name: reverse(name, args=[org.slug, *args.get(name, [])]) for name in PAGES}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", [OWNER, MANAGER, AGENT, VIEWER])
def test_each_page_for_each_role(client_as, urls, page, role):
    response = client_as(role).get(urls[page])
    assert response.status_code == (200 if role in PAGES[page] else 403)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_sign_in(db, urls, page):
    response = Client().get(urls[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("page", PAGES)
def test_member_of_another_organisation_gets_404(outsider_client, urls, page):
    assert outsider_client.get(urls[page]).status_code == 404


def test_outsider_cannot_touch_objects_of_another_organisation(org, other_org, member, client_as):
    """An owner of Berlin addressing Tehran's team, agent and token ids under Berlin's slug."""
    from goaldesk.accounts.services import api_token_create

    team = TeamFactory(organisation=org, name="Tehran team")
    agent = AgentFactory(organisation=org, key="ali@example.com")
    token, _raw = api_token_create(organisation=org, name="t", role=VIEWER, created_by=None)
    owner = client_as(OWNER)
    from goaldesk.accounts.services import member_add

    member_add(organisation=other_org, user=member(MANAGER), role=OWNER)
    berlin = other_org.slug
    assert owner.get(reverse("team:team_edit", args=[berlin, team.pk])).status_code == 404
    assert owner.get(reverse("team:agent_edit", args=[berlin, agent.pk])).status_code == 404
    assert owner.post(reverse("accounts:token_revoke", args=[berlin, token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_settings_landing_lists_only_what_the_role_may_open(client_as, org):
    owner_page = client_as(OWNER).get(reverse("accounts:settings", args=[org.slug])).content
    viewer_page = client_as(VIEWER).get(reverse("accounts:settings", args=[org.slug])).content
    members_url = reverse("accounts:members", args=[org.slug]).encode()
    tokens_url = reverse("accounts:tokens", args=[org.slug]).encode()
    teams_url = reverse("team:teams", args=[org.slug]).encode()
    assert members_url in owner_page and tokens_url in owner_page
    assert members_url not in viewer_page and tokens_url not in viewer_page
    assert teams_url in viewer_page


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("accounts:settings_general", MANAGER),
        ("accounts:settings_hours", MANAGER),
        ("accounts:settings_holidays", MANAGER),
        ("team:teams", VIEWER),
        ("team:teams", AGENT),
    ],
)
def test_read_only_roles_cannot_post(client_as, org, name, role):
    response = client_as(role).post(reverse(name, args=[org.slug]), {"name": "Changed"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name == "Tehran Desk"


def test_agent_cannot_deactivate_an_agent(client_as, org):
    agent = AgentFactory(organisation=org, key="x@example.com")
    url = reverse("team:agent_set_active", args=[org.slug, agent.pk])
    assert client_as(AGENT).post(url, {"active": "0"}).status_code == 403
    agent.refresh_from_db()
    assert agent.active is True
