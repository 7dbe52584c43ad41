"""The skills matrix page (team/skills/): managers and owners see every agent's skills and where
the coming week's busiest intervals lack them."""

from django.http import HttpResponse
from django.shortcuts import render

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role, today_in
from goaldesk.coaching.skills_selectors import skills_matrix


@org_view(Role.MANAGER)
def skills(request: OrgRequest) -> HttpResponse:
    org = request.org
    matrix = skills_matrix(organisation=org, today=today_in(org))
    return render(request, "coaching/skills_matrix.html", {"nav": "team", "matrix": matrix})
