from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goaldesk.accounts.access import org_view
from goaldesk.accounts.models import Role


@org_view(Role.VIEWER)
def interaction_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/organisations.html", {"nav": "interactions"})


@org_view(Role.AGENT)
def log_visit(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/organisations.html", {"nav": "log"})


@org_view(Role.MANAGER)
def import_start(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/organisations.html", {"nav": "import"})
