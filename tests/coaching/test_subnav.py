"""The team tab bar links only to the pages the member may open: the skills matrix is for
managers and owners, quality reviews and the pulse for agents and above (a viewer gets 403)."""

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role

pytestmark = pytest.mark.django_db

TABS = {
    "coaching:skills": "Skills",
    "coaching:quality": "Quality reviews",
    "coaching:pulse": "Pulse",
}
SHOWN = {
    Role.OWNER: {"coaching:skills", "coaching:quality", "coaching:pulse"},
    Role.MANAGER: {"coaching:skills", "coaching:quality", "coaching:pulse"},
    Role.AGENT: {"coaching:quality", "coaching:pulse"},
    Role.VIEWER: set(),
}


@pytest.mark.parametrize("role", list(SHOWN))
def test_the_tab_bar_offers_what_the_role_may_open(org, client_as, role):
    client = client_as(role)
    page = client.get(reverse("coaching:recognitions", kwargs={"org_slug": org.slug}))
    text = page.content.decode()
    nav = text[
        text.index('<nav class="row planning-nav"') : text.index(
            "</nav>", text.index("planning-nav")
        )
    ]
    for name in TABS:
        url = reverse(name, kwargs={"org_slug": org.slug})
        assert (f'href="{url}"' in nav) is (name in SHOWN[role]), name
        # What is offered opens; what is not would be refused.
        status = client.get(url).status_code
        assert (status == 200) is (name in SHOWN[role]), (name, status)
