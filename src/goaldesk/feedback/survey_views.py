"""Survey pages under /o/<org_slug>/surveys/: designs, rules, invitations, comments.

Who may do what: everyone sees the designs and the invitations; managers and owners design,
set the rules and invite; comments are for agents and above, an agent seeing only the answers
about their own interactions.
"""

import contextlib
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role, today_in
from goaldesk.interactions.models import Channel, Interaction
from goaldesk.metrics.scope import scope_from_query
from goaldesk.team.models import Agent

from . import survey_selectors as selectors
from . import survey_services as services
from .models import Survey, SurveyInvitation
from .survey_forms import NEW_ROWS, InviteForm, RulesForm, SurveyForm, initial_of


def _tabs(request: OrgRequest) -> dict[str, bool]:
    return {
        "can_manage": request.membership.allows(Role.MANAGER),
        "can_comments": request.membership.allows(Role.AGENT),
    }


#: Invitations and comments shown to a page.
PER_PAGE = 50


def _page_query(request: OrgRequest) -> str:
    """The page's query without its page number, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _rate(org, date_from: dt.date, date_to: dt.date) -> tuple[float | None, int]:
    (value,) = selectors.response_rate(organisation=org, periods=[(date_from, date_to)], filters={})
    return value.value, value.sample


@org_view(Role.VIEWER)
def surveys(request: OrgRequest) -> HttpResponse:
    org = request.org
    today = today_in(org)
    rate, sent = _rate(org, today - dt.timedelta(days=29), today)
    rows = []
    for survey in selectors.surveys_of(org):
        version = selectors.latest_version(survey)
        rows.append(
            {
                "survey": survey,
                "version": version,
                "questions": list(version.questions.all()) if version else [],
            }
        )
    context = {
        "nav": "surveys",
        "rows": rows,
        "rules": selectors.rules_for(org),
        "rate": rate,
        "sent": sent,
        "language": get_language(),
        **_tabs(request),
    }
    return render(request, "feedback/surveys.html", context)


def _survey_form_page(request: OrgRequest, survey: Survey | None) -> HttpResponse:
    org = request.org
    version = selectors.latest_version(survey) if survey else None
    questions = list(version.questions.all()) if version else []
    rows = len(questions) + NEW_ROWS
    if request.method == "POST":
        with contextlib.suppress(ValueError):
            rows = max(rows, int(request.POST.get("rows", rows)))
        rows = min(rows, 30)
        form = SurveyForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                if survey is None:
                    survey = services.survey_create(
                        organisation=org,
                        name=form.cleaned_data["name"],
                        questions=form.questions(),
                    )
                    messages.success(request, _("The survey was created."))
                else:
                    new = services.survey_update(
                        survey=survey, name=form.cleaned_data["name"], questions=form.questions()
                    )
                    if version is not None and new.pk != version.pk:
                        messages.success(
                            request,
                            _(
                                "The survey was saved as a new version: the answers already "
                                "given keep the questions they answered."
                            ),
                        )
                    else:
                        messages.success(request, _("The survey was saved."))
                return redirect("feedback:surveys", org.slug)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
    else:
        initial = initial_of(questions)
        initial["name"] = survey.name if survey else ""
        form = SurveyForm(initial=initial, rows=rows)
    form.show_built_in([q.kind for q in questions])
    context = {
        "nav": "surveys",
        "form": form,
        "survey": survey,
        "version": version,
        "in_use": version is not None and selectors.version_has_answers(version),
        "rows": rows,
        **_tabs(request),
    }
    return render(request, "feedback/survey_form.html", context)


@org_view(Role.MANAGER)
def survey_new(request: OrgRequest) -> HttpResponse:
    return _survey_form_page(request, None)


@org_view(Role.MANAGER)
def survey_edit(request: OrgRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=survey_id, organisation=request.org)
    return _survey_form_page(request, survey)


@org_view(Role.MANAGER)
def survey_rules(request: OrgRequest) -> HttpResponse:
    org = request.org
    rules = selectors.rules_for(org)
    form = RulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        services.rules_save(organisation=org, values=form.cleaned_data)
        messages.success(request, _("The survey rules were saved."))
        return redirect("feedback:surveys", org.slug)
    return render(
        request,
        "feedback/rules.html",
        {"nav": "surveys", "form": form, "rules": rules, **_tabs(request)},
    )


@org_view(Role.VIEWER)
def invitations(request: OrgRequest) -> HttpResponse:
    """The invitations of a period; managers make new ones (the links are shown once made)."""
    org = request.org
    scope = scope_from_query(request.GET, org)
    can_manage = request.membership.allows(Role.MANAGER)
    made: list[services.Made] = []
    skipped = 0
    form = InviteForm(request.POST or None, initial={"language": org.language})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["interaction"]:
                    interaction = Interaction.objects.filter(
                        organisation=org, external_id=data["interaction"].strip()
                    ).first()
                    if interaction is None:
                        raise ValidationError(
                            _("No interaction “%(id)s” in this organisation.")
                            % {"id": data["interaction"]}
                        )
                    made = [
                        services.invitation_create(
                            organisation=org,
                            interaction=interaction,
                            delivery=data["delivery"],
                            email=data.get("email") or "",
                            language=data.get("language") or "",
                        )
                    ]
                else:
                    made, skipped = services.invitations_for_period(
                        organisation=org,
                        date_from=data["date_from"],
                        date_to=data["date_to"],
                        delivery=data["delivery"],
                    )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                form = InviteForm(initial={"language": org.language})
    page = Paginator(
        selectors.invitations_of(org, date_from=scope.date_from, date_to=scope.date_to),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    rate, sent = _rate(org, scope.date_from, scope.date_to)
    context = {
        "nav": "surveys",
        "scope": scope,
        "invitations": page.object_list,
        "page": page,
        "page_query": _page_query(request),
        "form": form,
        "made": made,
        "skipped": skipped,
        **_tabs(request),
        "rate": rate,
        "sent": sent,
    }
    return render(request, "feedback/invitations.html", context)


@org_view(Role.MANAGER)
@require_POST
def invitation_withdraw(request: OrgRequest, survey_invitation_id: int) -> HttpResponse:
    """Withdraw an unanswered invitation: its link stops working (a plain 404)."""
    invitation = get_object_or_404(
        SurveyInvitation, organisation=request.org, pk=survey_invitation_id
    )
    if services.invitation_withdraw(invitation=invitation):
        messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    else:
        messages.error(
            request, _("This invitation was answered, has expired or was withdrawn already.")
        )
    back = reverse("feedback:survey_invitations", args=[request.org.slug])
    query = request.GET.urlencode()  # the period the list showed
    return redirect(f"{back}?{query}" if query else back)


@org_view(Role.AGENT)
def comments(request: OrgRequest) -> HttpResponse:
    """What customers wrote, filtered by score, agent, channel and period; an agent sees only
    the answers about their own interactions."""
    org = request.org
    scope = scope_from_query(request.GET, org)
    score = request.GET.get("score", "")
    channel = request.GET.get("channel", "")
    agent_id = None
    raw_agent = request.GET.get("agent", "")
    if raw_agent.isdigit():
        agent_id = int(raw_agent)
    only_user = None if request.membership.allows(Role.MANAGER) else request.user
    found = selectors.comments(
        org,
        date_from=scope.date_from,
        date_to=scope.date_to,
        score=score if score in ("low", "mid", "high") else "",
        agent_id=agent_id,
        channel=channel if channel in Channel.values else "",
        only_user=only_user,
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "nav": "surveys",
        "scope": scope,
        "comments": page.object_list,
        "page": page,
        "page_query": _page_query(request),
        "score": score,
        "channel": channel,
        "agent_id": agent_id,
        "agents": Agent.objects.filter(organisation=org, active=True) if only_user is None else [],
        "channels": Channel.choices,
        **_tabs(request),
    }
    return render(request, "feedback/comments.html", context)
