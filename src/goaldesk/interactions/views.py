from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from goaldesk.accounts.access import org_view
from goaldesk.accounts.models import Role


@org_view(Role.VIEWER)
def interaction_list(request: HttpRequest) -> HttpResponse:
    """The organisation's interactions for a period and filters, optionally those behind one
    metric (?metric=csat_pct), 50 to a page. Dashboard numbers link here."""
    from django.contrib import messages
    from django.core.paginator import Paginator

    from goaldesk.interactions.models import Agent, Channel, Status, Team
    from goaldesk.metrics.catalogue import CATALOGUE, KEYS
    from goaldesk.metrics.selectors import interactions_drilldown
    from goaldesk.metrics.views import PERIODS, scope_from_query

    organisation = request.org  # type: ignore[attr-defined]
    scope = scope_from_query(request.GET, organisation)
    for problem in scope.problems:
        messages.error(request, problem)
    metric_key = request.GET.get("metric", "")
    if metric_key and metric_key not in KEYS:
        messages.error(
            request, _("Unknown metric “%(key)s”; showing every interaction.") % {"key": metric_key}
        )
        metric_key = ""
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    interactions = interactions_drilldown(
        organisation=organisation,
        date_from=scope.date_from,
        date_to=scope.date_to,
        filters=scope.filters,
        status=status,
        metric_key=metric_key,
    )
    page = Paginator(interactions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "interactions",
        "scope": scope,
        "page": page,
        "periods": PERIODS,
        "status": status,
        "statuses": Status.choices,
        "channels": Channel.choices,
        "teams": Team.objects.filter(organisation=organisation).order_by("name"),
        "agents": Agent.objects.filter(organisation=organisation).order_by("name", "key"),
        "metrics": [m for m in CATALOGUE if m.source == "interactions"],
        "metric_key": metric_key,
        "page_query": query.urlencode(),
    }
    return render(request, "interactions/list.html", context)


@org_view(Role.VIEWER)
def interaction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One interaction of this organisation (404 for any other organisation's)."""
    from django.shortcuts import get_object_or_404

    from goaldesk.interactions.models import Interaction

    interaction = get_object_or_404(
        Interaction.objects.select_related("agent", "team"),
        pk=pk,
        organisation=request.org,  # type: ignore[attr-defined]
    )
    return render(
        request, "interactions/detail.html", {"nav": "interactions", "interaction": interaction}
    )


@org_view(Role.AGENT)
def log_visit(request: HttpRequest) -> HttpResponse:
    """The walk-in desk's quick form: one visit in a few taps, then ready for the next."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from goaldesk.accounts.models import today_in
    from goaldesk.interactions.forms import LogVisitForm
    from goaldesk.interactions.models import Agent, Channel, Interaction
    from goaldesk.interactions.services import interaction_create

    organisation = request.org  # type: ignore[attr-defined]
    agent = (
        Agent.objects.select_related("team")
        .filter(organisation=organisation, user=request.user, active=True)  # type: ignore[misc]
        .first()
    )
    form = LogVisitForm(
        request.POST if request.method == "POST" else None, organisation=organisation, agent=agent
    )
    if request.method == "POST" and form.is_valid() and form.record is not None:
        interaction_create(organisation=organisation, data=form.record)
        messages.success(request, _("Visit saved. Ready for the next visitor."))
        return redirect("interactions:log_visit", organisation.slug)
    today = Interaction.objects.filter(
        organisation=organisation, channel=Channel.WALK_IN, local_date=today_in(organisation)
    )
    context = {
        "nav": "log",
        "form": form,
        "agent": agent,
        "visits_today": today.count(),
        "my_visits_today": today.filter(agent=agent).count() if agent else None,
    }
    return render(request, "interactions/log_visit.html", context)
