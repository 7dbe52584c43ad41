"""The recognition page under /o/<org_slug>/team/recognitions/: the latest recognitions and
the form to give one (agents, managers and owners; nobody recognises themselves)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.accounts.settings_views import add_service_error

from . import recognition_services
from .models import Badge, Recognition
from .recognition_forms import RecognitionForm

#: How many recognitions and badges the page lists (the newest).
LISTED = 50


@org_view(Role.VIEWER)
def recognitions(request: OrgRequest) -> HttpResponse:
    org = request.org
    membership = request.membership
    values = recognition_services.vision_values(org)
    may_give = membership.allows(Role.AGENT)
    initial = {"agent": request.GET.get("agent", "")}
    form = RecognitionForm(
        initial=initial, organisation=org, values=values, exclude_user=request.user
    )
    if request.method == "POST":
        if not may_give:
            raise PermissionDenied
        form = RecognitionForm(
            request.POST, organisation=org, values=values, exclude_user=request.user
        )
        if form.is_valid():
            agent = form.chosen_agent()
            if agent is None:
                form.add_error("agent", _("Choose the colleague you recognise."))
            else:
                try:
                    recognition_services.recognition_give(
                        organisation=org,
                        giver=request.user,
                        agent=agent,
                        reason=form.cleaned_data["reason"],
                        goal=form.chosen_goal(),
                        value=form.cleaned_data.get("value") or "",
                    )
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(
                        request, _("Thank you: %(name)s was recognised.") % {"name": str(agent)}
                    )
                    return redirect("coaching:recognitions", org_slug=org.slug)
    context = {
        "nav": "team",
        "form": form,
        "may_give": may_give,
        "values": values,
        "recognitions": Recognition.objects.filter(organisation=org).select_related(
            "giver", "agent", "goal"
        )[:LISTED],
        "badges": Badge.objects.filter(goal__organisation=org).select_related("agent", "goal")[
            :LISTED
        ],
    }
    return render(request, "coaching/recognitions.html", context)
