from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role


@org_view(Role.VIEWER)
def interaction_detail(request: OrgRequest, pk: int) -> HttpResponse:
    """One interaction of this organisation (404 for any other organisation's)."""
    from django.shortcuts import get_object_or_404

    from goaldesk.interactions.models import Interaction

    interaction = get_object_or_404(
        Interaction.objects.select_related("agent", "team"),
        pk=pk,
        organisation=request.org,
    )
    from goaldesk.interactions.selectors import category_label, category_names

    names = category_names(organisation=request.org)
    context = {
        "nav": "interactions",
        "interaction": interaction,
        "category_name": category_label(names, interaction.category),
    }
    return render(request, "interactions/detail.html", context)


@org_view(Role.AGENT)
def log_visit(request: OrgRequest) -> HttpResponse:
    """The walk-in desk's quick form: one visit in a few taps, then ready for the next."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from goaldesk.accounts.models import today_in
    from goaldesk.interactions.forms import LogVisitForm
    from goaldesk.interactions.models import Channel, Interaction
    from goaldesk.interactions.services import interaction_create
    from goaldesk.team.models import Agent

    organisation = request.org
    agent = (
        Agent.objects.select_related("team")
        .filter(organisation=organisation, user=request.user, active=True)
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


@org_view(Role.MANAGER)
def categories(request: OrgRequest) -> HttpResponse:
    """The organisation's categories: each key, its interactions and its name per language."""
    from django.conf import settings
    from django.contrib import messages
    from django.shortcuts import redirect

    from goaldesk.accounts.settings_views import render_settings
    from goaldesk.interactions.forms import CategoryNamesForm, category_forms_valid
    from goaldesk.interactions.selectors import category_list
    from goaldesk.interactions.services import category_names_save

    organisation = request.org
    found = category_list(organisation=organisation)
    data = request.POST if request.method == "POST" else None
    rows = [
        CategoryNamesForm(data, category=category, organisation_language=organisation.language)
        for category in found
    ]
    if data is not None:
        if category_forms_valid(rows):
            category_names_save(
                organisation=organisation,
                names={form.category.pk: form.names() for form in rows if form.submitted},
            )
            messages.success(request, _("The categories’ names were saved."))
            return redirect("interactions:categories", organisation.slug)
        messages.error(request, _("Nothing was saved: correct the names marked below."))
    return render_settings(
        request,
        "interactions/categories.html",
        "categories",
        rows=rows,
        languages=settings.LANGUAGES,
    )
