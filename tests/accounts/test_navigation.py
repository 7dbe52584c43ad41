"""The main navigation: which links each member sees, and what deciding them costs."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from goaldesk.accounts.context_processors import NavLinks
from goaldesk.accounts.models import Membership, Role
from tests.factories import AgentFactory, MembershipFactory, UserFactory

#: Every member sees these; "Team" opens the scorecards and "Customers" the customer list, whose
#: tab bar leads on to segments, personas, surveys, comments and the help centre.
EVERYONE = ["Dashboard", "Interactions", "Customers", "Goals", "Planning", "Team"]


def _nav_links(client: Client, org) -> list[str]:
    page = client.get(reverse("accounts:settings", args=[org.slug])).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S)
    assert nav is not None
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(0))


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.OWNER, [*EVERYONE, "Today", "Log a visit", "Import", "Settings"]),
        (Role.MANAGER, [*EVERYONE, "Today", "Log a visit", "Import", "Settings"]),
        (Role.AGENT, [*EVERYONE, "My shifts", "Log a visit"]),
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
            [*EVERYONE, "Today", "My shifts", "Log a visit", "Import", "Settings"],
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


CUSTOMER_TABS = ["Customers", "Segments", "Personas", "Surveys"]


def _tabs(page: str, label: str) -> tuple[list[str], list[str]]:
    """The links of the tab bar labelled `label`, and the ones marked as the current page."""
    nav = re.search(
        rf'<nav class="row planning-nav[^"]*" aria-label="{label}">.*?</nav>', page, re.S
    )
    assert nav is not None
    links = re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(0))
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav.group(0))
    return links, current


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        (Role.MANAGER, [*CUSTOMER_TABS, "Comments", "Help centre"]),
        (Role.AGENT, [*CUSTOMER_TABS, "Comments", "Help centre"]),
        (Role.VIEWER, CUSTOMER_TABS),
    ],
)
def test_the_customers_tab_bar_shows_what_the_role_may_open(org, client_as, role, tabs):
    client = client_as(role)
    page = client.get(reverse("customers:list", args=[org.slug])).content.decode()
    assert _tabs(page, "Customers") == (tabs, ["Customers"])
    # Every tab shown opens.
    nav = re.search(
        r'<nav class="row planning-nav[^"]*" aria-label="Customers">.*?</nav>', page, re.S
    )
    assert nav is not None
    for href in re.findall(r'href="([^"]+)"', nav.group(0)):
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(
    ("url", "tab"),
    [
        ("customers:segments", "Segments"),
        ("feedback:personas", "Personas"),
        ("feedback:surveys", "Surveys"),
        ("feedback:survey_invitations", "Surveys"),
        ("feedback:survey_rules", "Surveys"),
        ("feedback:survey_comments", "Comments"),
        ("knowledge:articles", "Help centre"),
        ("knowledge:failing", "Help centre"),
    ],
)
def test_the_customers_section_marks_its_top_link_and_its_tab(org, client_as, url, tab):
    page = client_as(Role.MANAGER).get(reverse(url, args=[org.slug])).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S)
    assert nav is not None
    assert re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav.group(0)) == [
        "Customers"
    ]
    assert _tabs(page, "Customers")[1] == [tab]
