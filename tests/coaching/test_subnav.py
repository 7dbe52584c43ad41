"""The coaching tab bar links only to pages the member may open."""

import re

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.coaching.models import CoachingSettings

ALL = ["Scorecards", "Ranking", "Recognition", "Quality reviews", "Skills", "Pulse"]


def _tabs(client, org) -> dict[str, str]:
    """Tab label → link of the tab bar on the recognition page (every member may open it)."""
    page = client.get(reverse("coaching:recognitions", args=[org.slug])).content.decode()
    bar = re.search(r'<nav class="row planning-nav".*?</nav>', page, re.S)
    assert bar is not None
    return {
        label: href
        for href, label in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', bar.group(0))
    }


@pytest.mark.parametrize(
    ("role", "public", "labels"),
    [
        (Role.OWNER, True, [*ALL, "Scorecard settings"]),
        (Role.MANAGER, False, [*ALL, "Scorecard settings"]),
        (Role.AGENT, True, ["Scorecards", "Ranking", "Recognition", "Quality reviews", "Pulse"]),
        (Role.AGENT, False, ["Scorecards", "Recognition", "Quality reviews", "Pulse"]),
        (Role.VIEWER, True, ["Scorecards", "Ranking", "Recognition"]),
        (Role.VIEWER, False, ["Scorecards", "Recognition"]),
    ],
)
def test_each_role_sees_the_tabs_it_may_open(org, client_as, role, public, labels):
    CoachingSettings.objects.create(organisation=org, public_rankings=public)
    client = client_as(role)
    tabs = _tabs(client, org)
    assert list(tabs) == labels
    for href in tabs.values():
        assert client.get(href, follow=True).status_code == 200, href
