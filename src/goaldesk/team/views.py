"""Teams and agents under /o/<org_slug>/settings/.

Every member may see who is in which team; managers and owners create, edit and deactivate.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.accounts.settings_views import add_service_error, render_settings, require_role
from goaldesk.team import selectors, services
from goaldesk.team.forms import AgentForm, AgentMergeForm, TeamForm
from goaldesk.team.models import Agent, Team


@org_view(Role.VIEWER)
def teams(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = TeamForm()
    if request.method == "POST":
        require_role(request, Role.MANAGER)
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                team = services.team_create(organisation=org, name=form.cleaned_data["name"])
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The team “%(name)s” was created.") % {"name": team.name}
                )
                return redirect("team:teams", org_slug=org.slug)
    return render_settings(
        request,
        "team/teams.html",
        "teams",
        form=form,
        teams=selectors.team_list(organisation=org),
    )


@org_view(Role.MANAGER)
def team_edit(request: OrgRequest, team_id: int) -> HttpResponse:
    org = request.org
    team = get_object_or_404(Team, organisation=org, pk=team_id)
    form = TeamForm(initial={"name": team.name})
    delete_error = ""
    if request.method == "POST" and "delete" in request.POST:
        try:
            services.team_delete(organisation=org, team_id=team.pk)
        except ValidationError as error:
            delete_error = " ".join(error.messages)
        else:
            messages.success(request, _("The team “%(name)s” was deleted.") % {"name": team.name})
            return redirect("team:teams", org_slug=org.slug)
    elif request.method == "POST":
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                services.team_update(
                    organisation=org, team_id=team.pk, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The team was saved."))
                return redirect("team:teams", org_slug=org.slug)
    agents = selectors.agent_list(organisation=org).filter(team=team)
    return render_settings(
        request,
        "team/team_form.html",
        "teams",
        form=form,
        team=team,
        agents=agents,
        delete_error=delete_error,
    )


@org_view(Role.VIEWER)
def agents(request: OrgRequest) -> HttpResponse:
    org = request.org
    return render_settings(
        request,
        "team/agents.html",
        "agents",
        agents=selectors.agent_list(organisation=org),
    )


@org_view(Role.MANAGER)
def agent_create(request: OrgRequest) -> HttpResponse:
    org = request.org
    if request.method == "POST":
        form = AgentForm(request.POST, organisation=org)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agent = services.agent_create(
                    organisation=org,
                    key=data["key"],
                    name=data["name"],
                    team=data["team"],
                    user=data["user"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The agent %(name)s was added.") % {"name": agent})
                return redirect("team:agents", org_slug=org.slug)
    else:
        form = AgentForm(organisation=org, initial={"team": request.GET.get("team")})
    return render_settings(request, "team/agent_form.html", "agents", form=form, agent=None)


@org_view(Role.MANAGER)
def agent_edit(request: OrgRequest, agent_id: int) -> HttpResponse:
    org = request.org
    agent = get_object_or_404(Agent, organisation=org, pk=agent_id)
    if request.method == "POST":
        form = AgentForm(request.POST, organisation=org)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.agent_update(
                    organisation=org,
                    agent_id=agent.pk,
                    key=data["key"],
                    name=data["name"],
                    team=data["team"],
                    user=data["user"],
                    active=data["active"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The agent was saved."))
                return redirect("team:agents", org_slug=org.slug)
    else:
        form = AgentForm(
            organisation=org,
            initial={
                "key": agent.key,
                "name": agent.name,
                "team": agent.team_id,
                "user": agent.user_id,
                "active": agent.active,
            },
        )
    return render_settings(request, "team/agent_form.html", "agents", form=form, agent=agent)


@require_POST
@org_view(Role.MANAGER)
def agent_set_active(request: OrgRequest, agent_id: int) -> HttpResponse:
    org = request.org
    agent = get_object_or_404(Agent, organisation=org, pk=agent_id)
    active = request.POST.get("active") == "1"
    services.agent_set_active(organisation=org, agent_id=agent.pk, active=active)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": agent})
    else:
        messages.success(request, _("%(name)s was deactivated.") % {"name": agent})
    return redirect("team:agents", org_slug=org.slug)


@org_view(Role.MANAGER)
def agent_merge(request: OrgRequest, agent_id: int) -> HttpResponse:
    """Merge an agent into another: choose the other (GET), see what would move, confirm (POST)."""
    org = request.org
    source = get_object_or_404(Agent, organisation=org, pk=agent_id)
    data = request.POST if request.method == "POST" else (request.GET if request.GET else None)
    form = AgentMergeForm(data, source=source)
    counts = None
    target = None
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["target"]
        if request.method == "POST":
            try:
                services.agent_merge(organisation=org, source_id=source.pk, target_id=target.pk)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(source)s was merged into %(target)s.")
                    % {"source": source, "target": target},
                )
                return redirect("team:agents", org_slug=org.slug)
        counts = services.agent_merge_preview(source=source, target=target)
    return render_settings(
        request,
        "team/agent_merge.html",
        "agents",
        form=form,
        agent=source,
        target=target,
        counts=counts,
    )
