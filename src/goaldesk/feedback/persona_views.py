"""Persona cards under /o/<org_slug>/personas/: every member reads them; managers and owners
write a persona's name and description."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.customers.models import Segment
from goaldesk.feedback.models import Persona
from goaldesk.feedback.persona_forms import PersonaForm
from goaldesk.feedback.persona_selectors import persona_cards
from goaldesk.feedback.persona_services import persona_save
from goaldesk.metrics.scope import PERIODS, scope_from_query


@org_view(Role.VIEWER)
def persona_list(request: OrgRequest) -> HttpResponse:
    scope = scope_from_query(request.GET, request.org)
    for problem in scope.problems:
        messages.error(request, problem)
    cards = persona_cards(
        organisation=request.org, date_from=scope.date_from, date_to=scope.date_to
    )
    return render(
        request,
        "feedback/personas/list.html",
        {
            "nav": "customers",
            "scope": scope,
            "periods": PERIODS,
            "cards": cards,
            "can_edit": request.membership.allows(Role.MANAGER),
        },
    )


@org_view(Role.MANAGER)
def persona_edit(request: OrgRequest, segment_id: int) -> HttpResponse:
    segment = Segment.objects.filter(organisation=request.org, pk=segment_id).first()
    if segment is None:
        raise Http404
    persona = Persona.objects.filter(segment=segment).first()
    initial = (
        {"name": persona.name, "description": persona.description}
        if persona
        else {"name": segment.name}
    )
    form = PersonaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        persona_save(segment=segment, **form.cleaned_data)
        messages.success(request, _("The persona is saved."))
        return redirect("feedback:personas", org_slug=request.org.slug)
    return render(
        request,
        "feedback/personas/edit.html",
        {"nav": "customers", "form": form, "segment": segment},
    )
