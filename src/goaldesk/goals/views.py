from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goaldesk.accounts.access import org_view
from goaldesk.accounts.models import Role


@org_view(Role.VIEWER)
def goal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/organisations.html", {"nav": "goals"})
