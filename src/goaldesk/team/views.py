"""Teams and agents under /o/<org_slug>/settings/.

Every member may see who is in which team and the organisation's skills; managers and owners
create, edit and deactivate, and keep agents' skills and training records. An agent sees their
own skills and training.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Organisation, Role, today_in
from goaldesk.accounts.settings_views import add_service_error, render_settings, require_role
from goaldesk.team import selectors, services
from goaldesk.team.forms import (
    REMOVE,
    AgentForm,
    AgentMergeForm,
    AgentSkillForm,
    SkillEditForm,
    SkillForm,
    TeamForm,
    TrainingRecordForm,
)
from goaldesk.team.models import COUNTING_LEVEL, Agent, Skill, Team
from goaldesk.team.skill_labels import skill_label


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


# --- skills and training ------------------------------------------------------------------------


@org_view(Role.VIEWER)
def skills(request: OrgRequest) -> HttpResponse:
    """The organisation's skills; managers add products and other skills."""
    org = request.org
    form = SkillForm()
    if request.method == "POST":
        require_role(request, Role.MANAGER)
        form = SkillForm(request.POST)
        if form.is_valid():
            try:
                skill = services.skill_create(organisation=org, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("The skill “%(name)s” was added.") % {"name": skill_label(skill)}
                )
                return redirect("team:skills", org_slug=org.slug)
    rows = [(skill, skill_label(skill)) for skill in selectors.skill_list(organisation=org)]
    return render_settings(request, "team/skills.html", "skills", form=form, rows=rows)


@org_view(Role.MANAGER)
def skill_edit(request: OrgRequest, skill_id: int) -> HttpResponse:
    org = request.org
    skill = get_object_or_404(Skill, organisation=org, pk=skill_id)
    form = SkillEditForm(
        initial={"name": skill.name, "requires_certification": skill.requires_certification}
    )
    if request.method == "POST":
        form = SkillEditForm(request.POST)
        if form.is_valid():
            try:
                services.skill_update(organisation=org, skill_id=skill.pk, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The skill was saved."))
                return redirect("team:skills", org_slug=org.slug)
    return render_settings(
        request, "team/skill_form.html", "skills", form=form, skill=skill, label=skill_label(skill)
    )


def _chosen_skill(organisation: Organisation, choice: str) -> Skill | None:
    """The skill a form's choice names ("<id>", or a channel or language without a skill yet,
    created now)."""
    kind, _sep, code = choice.partition(":")
    if code and kind in (Skill.Kind.CHANNEL, Skill.Kind.LANGUAGE):
        return services.skill_ensure(organisation=organisation, kind=kind, code=code)
    return Skill.objects.filter(organisation=organisation, pk=int(choice)).first()


def _skills_context(agent: Agent, today: dt.date) -> dict[str, object]:
    standings = selectors.agent_skill_standings(
        organisation=agent.organisation, on=today, agent_ids=[agent.pk]
    ).get(agent.pk, [])
    return {
        "agent": agent,
        "standings": [(s, skill_label(s.skill)) for s in standings],
        "history": [
            (change, skill_label(change.skill))
            for change in selectors.agent_skill_history(agent=agent)[:50]
        ],
        "training": selectors.training_records_for(agent=agent, on=today),
        "today": today,
        "counting_level": COUNTING_LEVEL,
    }


@org_view(Role.VIEWER)
def agent_skills(request: OrgRequest, agent_id: int) -> HttpResponse:
    """An agent's skills (levels, certificates), the history of their levels and their training
    records. Managers and owners edit; an agent sees their own."""
    org = request.org
    agent = get_object_or_404(Agent, organisation=org, pk=agent_id)
    can_edit = request.membership.allows(Role.MANAGER)
    if not can_edit and (agent.user_id is None or agent.user_id != request.user.pk):
        raise PermissionDenied
    skill_form = AgentSkillForm(organisation=org)
    training_form = TrainingRecordForm(organisation=org, prefix="training")
    if request.method == "POST":
        require_role(request, Role.MANAGER)
        if request.POST.get("form") == "training":
            training_form = TrainingRecordForm(request.POST, organisation=org, prefix="training")
            if training_form.is_valid():
                data = training_form.cleaned_data
                try:
                    services.training_record_add(
                        agent=agent,
                        course=data["course"],
                        skill=_chosen_skill(org, data["skill"]) if data["skill"] else None,
                        completed_on=data["completed_on"],
                        result=data["result"],
                        score=data["score"],
                        expires_on=data["expires_on"],
                        notes=data["notes"],
                        created_by=request.user,
                    )
                except ValidationError as error:
                    add_service_error(training_form, error)
                else:
                    messages.success(request, _("The training record was added."))
                    return redirect("team:agent_skills", org_slug=org.slug, agent_id=agent.pk)
        else:
            skill_form = AgentSkillForm(request.POST, organisation=org)
            if skill_form.is_valid():
                data = skill_form.cleaned_data
                skill = _chosen_skill(org, data["skill"])
                level = None if data["level"] == REMOVE else int(data["level"])
                if skill is not None:
                    services.agent_skill_set(
                        agent=agent, skill=skill, level=level, changed_by=request.user
                    )
                    messages.success(
                        request, _("The skills of %(name)s were saved.") % {"name": agent}
                    )
                    return redirect("team:agent_skills", org_slug=org.slug, agent_id=agent.pk)
    return render_settings(
        request,
        "team/agent_skills.html",
        "agents",
        can_edit=can_edit,
        skill_form=skill_form,
        training_form=training_form,
        **_skills_context(agent, today_in(org)),
    )


@org_view(Role.VIEWER)
def my_skills(request: OrgRequest) -> HttpResponse:
    """The signed-in member's own skills and training (a message when no agent record is theirs)."""
    org = request.org
    agent = Agent.objects.filter(organisation=org, user=request.user).order_by("pk").first()
    context: dict[str, object] = {"agent": agent, "can_edit": False}
    if agent is not None:
        context.update(_skills_context(agent, today_in(org)))
    return render_settings(request, "team/agent_skills.html", "my_skills", **context)
