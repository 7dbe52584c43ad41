"""The main navigation: which links each member sees, and what deciding them costs."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from goaldesk.accounts.context_processors import NavLinks
from goaldesk.accounts.models import Membership, Role
from tests.factories import AgentFactory, MembershipFactory, UserFactory

#: Every member sees these; "Team" opens the scorecards and "Surveys" the survey designs, which
#: every role may open. Agents and above also see the help centre's articles.
EVERYONE = ["Dashboard", "Interactions", "Customers", "Goals", "Planning", "Team", "Surveys"]
HELP = "Help centre"


def _nav_links(client: Client, org) -> list[str]:
    page = client.get(reverse("accounts:settings", args=[org.slug])).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S)
    assert nav is not None
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(0))


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.OWNER, [*EVERYONE, HELP, "Today", "Log a visit", "Import", "Settings"]),
        (Role.MANAGER, [*EVERYONE, HELP, "Today", "Log a visit", "Import", "Settings"]),
        (Role.AGENT, [*EVERYONE, HELP, "My shifts", "Log a visit"]),
        (Role.VIEWER, EVERYONE),
    ],
)
def test_links_of_each_role(org, client_as, role, links):
    assert _nav_links(client_as(role), org) == links


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (
            Role.MANAGER,
            [*EVERYONE, HELP, "Today", "My shifts", "Log a visit", "Import", "Settings"],
        ),
        (Role.VIEWER, [*EVERYONE, "My shifts"]),
    ],
)
def test_members_who_are_also_agents_see_their_shifts(org, other_org, role, links):
    user = UserFactory(username="takes-calls")
    MembershipFactory(user=user, organisation=org, role=role)
    MembershipFactory(user=user, organisation=other_org, role=role)
    AgentFactory(organisation=org, key="calls@example.com", user=user)
    AgentFactory(organisation=org, key="calls-too@example.com", user=user)
    client = Client()
    client.force_login(user)
    assert _nav_links(client, org) == links  # one link for two agent records
    # An agent record in one organisation shows nothing in another.
    assert "My shifts" not in _nav_links(client, other_org)


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.AGENT, Role.VIEWER])
def test_every_role_may_open_the_team_link(org, client_as, role):
    client = client_as(role)
    page = client.get(reverse("accounts:settings", args=[org.slug])).content.decode()
    team = reverse("coaching:scorecards", args=[org.slug])
    assert f'href="{team}"' in page
    assert client.get(team, follow=True).status_code == 200


@pytest.mark.parametrize(("role", "queries"), [(Role.AGENT, 0), (Role.MANAGER, 1)])
def test_the_links_cost_at_most_one_query(org, member, django_assert_num_queries, role, queries):
    user = member(role)
    request = RequestFactory().get("/")
    request.user = user
    links = NavLinks(request, org, Membership.objects.get(user=user, organisation=org))
    with django_assert_num_queries(queries):
        # Read twice, as a page might: the answer is kept for the rest of the request.
        assert [links.my_shifts, links.my_shifts] == [role == Role.AGENT] * 2
        assert links.log_visit and links.manage == (role == Role.MANAGER)


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.AGENT, Role.VIEWER])
def test_only_managers_see_the_history_upload_in_planning(org, client_as, role):
    page = client_as(role).get(reverse("forecasting:peaks", args=[org.slug])).content.decode()
    upload = reverse("forecasting:upload", args=[org.slug])
    assert (f'href="{upload}"' in page) == (role in (Role.OWNER, Role.MANAGER))
