"""Goal pages under /o/<org_slug>/goals/.

Who may do what: every member reads; managers and owners write goals, objectives, the strategy
and business goals; agents rate confidence and tick their own objectives; only the owner edits
the service-level thresholds.
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role, today_in
from goaldesk.accounts.settings_views import add_service_error
from goaldesk.customers.selectors import segment_choices, segment_name
from goaldesk.engine import normalize_digits
from goaldesk.interactions.selectors import category_names
from goaldesk.metrics.catalogue import metric
from goaldesk.metrics.scope import scope_from_query

from . import presenters, selectors, services
from .forms import (
    BusinessGoalForm,
    ConfidenceForm,
    GoalForm,
    ObjectiveForm,
    StrategyForm,
    ThresholdsForm,
    goal_initial,
)
from .models import BusinessGoal, GoalType, Objective
from .presets import METRIC_GOAL_TYPES, PRESETS, PRESETS_BY_KEY, preset_values
from .wording import (
    STATUS_NAMES,
    STATUS_TONE,
    format_value,
    level_goal_title,
    metric_name,
    scope_text,
    smart_rows,
    unit_suffix,
)

BASELINE_DAYS = 28


@dataclass(frozen=True)
class ListedObjective:
    """An objective as a goal page lists it, with whether the viewer may tick it; the
    template reads the objective's own fields through it."""

    objective: Objective
    can_tick: bool

    def __getattr__(self, name: str) -> Any:
        if name == "objective":  # not set yet (copying): no field to forward to
            raise AttributeError(name)
        return getattr(self.objective, name)


def _goal_or_404(request: OrgRequest, goal_id: int) -> Any:
    goal = selectors.goal_get(organisation=request.org, goal_id=goal_id)
    if goal is None:
        raise Http404
    return goal


def _objective_or_404(request: OrgRequest, objective_id: int) -> Objective:
    objective = (
        Objective.objects.select_related("goal", "goal__organisation")
        .filter(goal__organisation=request.org, pk=objective_id)
        .first()
    )
    if objective is None:
        raise Http404
    return objective


@org_view(Role.VIEWER)
def goal_list(request: OrgRequest) -> HttpResponse:
    org = request.org
    services.goals_close_due(organisation=org)
    categories = category_names(organisation=org)
    active = [
        presenters.goal_row(goal, selectors.progress_for(goal, full=False), categories=categories)
        for goal in selectors.active_goals(organisation=org)
    ]
    archive = [
        presenters.goal_row(goal, selectors.progress_for(goal, full=False), categories=categories)
        for goal in selectors.archived_goals(organisation=org)
    ]
    context = {
        "nav": "goals",
        "active": active,
        "archive": archive,
        "strategy": selectors.strategy_for(org),
        "presets": PRESETS,
        "can_edit": request.membership.allows(Role.MANAGER),
    }
    return render(request, "goals/list.html", context)


def _new_initial(request: OrgRequest) -> dict[str, Any]:
    """Initial values: from a template (?template=key), or from a level step (?metric=…)."""
    org = request.org
    today = today_in(org)
    baseline_to = today - dt.timedelta(days=1)
    baseline_from = baseline_to - dt.timedelta(days=BASELINE_DAYS - 1)
    initial: dict[str, Any] = {
        "baseline_from": baseline_from,
        "baseline_to": baseline_to,
        "start": today,
        "deadline": today + dt.timedelta(days=90),
        "tracking_window_days": 7,
        "owner": str(request.user.pk),
    }
    preset = PRESETS_BY_KEY.get(request.GET.get("template", ""))
    if preset is not None:
        baseline, _sample = selectors.baseline_for(
            organisation=org,
            metric_key=preset.metric_key,
            date_from=baseline_from,
            date_to=baseline_to,
            scope=preset.scope,
            statistic=preset.statistic,
        )
        best_change, better = selectors.best_change_for(
            organisation=org,
            metric_key=preset.metric_key,
            baseline=baseline,
            span_days=preset.days,
            window_days=preset.window_days,
            before=baseline_to,
            scope=preset.scope,
            statistic=preset.statistic,
        )
        values = preset_values(
            preset, start=today, baseline=baseline, best_change=best_change, better=better
        )
        unit = preset.value_unit

        def shown(v: float | None) -> float | None:
            d = selectors.to_display(unit, preset.metric_key, v)
            return None if d is None else round(d, 1)

        def shown_target(v: float | None) -> float | None:
            # A target brought back to the best change history shows is rounded towards the
            # baseline, so that rounding does not ask for more than history achieved.
            d = selectors.to_display(unit, preset.metric_key, v)
            if d is None or not values["capped"]:
                return shown(v)
            toward = math.floor if better == "higher" else math.ceil
            return toward(round(d * 10, 6)) / 10

        target_shown = shown_target(values["target"])
        title = str(preset.title)
        if values["capped"] and preset.target[0] == "absolute":
            # The template's title names its own number ("50 customers a day"); a target
            # brought back to what history shows gets a title naming the target it has.
            title = level_goal_title(
                metric_key=preset.metric_key,
                scope=preset.scope,
                target=selectors.from_display(unit, preset.metric_key, target_shown),
                level="",
                categories=category_names(organisation=org),
                value_unit=unit,
            )
        initial.update(
            template=preset.key,
            title=title,
            goal_type=preset.goal_type,
            metric_key=preset.metric_key,
            statistic=preset.statistic,
            value_unit=unit,
            whole_organisation=not preset.scope,
            target=target_shown,
            deadline=values["deadline"],
            tracking_window_days=preset.window_days,
            reason=str(preset.reason),
        )
        for dim, value in preset.scope.items():
            initial[f"scope_{dim}"] = value
        for i, (day, value) in enumerate(values["milestones"], start=1):
            initial[f"milestone_date_{i}"] = day
            initial[f"milestone_value_{i}"] = shown(value)
        match = BusinessGoal.objects.filter(organisation=org, kind=preset.business_kind).first()
        if match:
            initial["business_goal"] = match.pk
    elif request.GET.get("metric"):
        key = request.GET["metric"]
        if key in selectors.GOAL_METRIC_KEYS:
            initial["metric_key"] = key
            initial["goal_type"] = METRIC_GOAL_TYPES.get(key, GoalType.CUSTOM)
            try:
                target = float(normalize_digits(request.GET.get("target", "")))
            except ValueError:
                target = None
            unit = "hours"
            initial["target"] = (
                None if target is None else round(selectors.to_display(unit, key, target) or 0.0, 2)
            )
            scope = {}
            for dim in ("channel", "team", "agent", "category", "segment"):
                scope_value = request.GET.get(f"scope_{dim}")
                if scope_value:
                    initial[f"scope_{dim}"] = scope_value
                    scope[dim] = scope_value
            initial["whole_organisation"] = not scope
            from_level = request.GET.get("from_level", "")
            initial["from_level"] = from_level
            initial["title"] = level_goal_title(
                metric_key=key,
                scope=scope,
                target=target,
                level=from_level,
                categories=category_names(organisation=org),
            )
    return initial


def _smart_context(request: OrgRequest, form: GoalForm, goal: Any = None) -> dict[str, Any]:
    org = request.org
    draft = form.draft()
    result = selectors.smart_check(organisation=org, draft=draft, goal=goal)
    unit = form.typed_value_unit()
    key = draft.metric_key
    return {
        "smart": smart_rows(result.report, metric_key=key, value_unit=unit),
        "smart_passed": result.report.passed,
        "baseline_text": format_value(key, result.baseline, unit) if key else "—",
        "baseline_sample": result.baseline_sample,
        "capacity_text": format_value(key, result.capacity, unit) if result.capacity else "",
        "unit_suffix": unit_suffix(key, unit) if key else "",
    }


def _render_form(
    request: OrgRequest, form: GoalForm, goal: Any = None, **extra: Any
) -> HttpResponse:
    context = {
        "nav": "goals",
        "form": form,
        "goal": goal,
        "presets": PRESETS,
        **_smart_context(request, form, goal),
        **extra,
    }
    return render(request, "goals/form.html", context)


def _save_goal(request: OrgRequest, form: GoalForm, goal: Any = None) -> HttpResponse | None:
    """Save through the service; None when the form must be shown again."""
    org = request.org
    if not form.is_valid():
        return None
    confirm = bool(form.cleaned_data.get("confirm_warnings"))
    try:
        if goal is None:
            goal = services.goal_create(
                organisation=org, data=form.goal_data(), user=request.user, confirm_warnings=confirm
            )
            messages.success(request, _("The goal was created."))
        else:
            services.goal_update(
                goal=goal,
                data=form.goal_data(),
                user=request.user,
                reason=form.cleaned_data.get("revision_reason") or "",
                confirm_warnings=confirm,
            )
            messages.success(request, _("The goal was saved."))
    except ValidationError as error:
        add_service_error(form, error)
        return None
    except services.SmartWarningsUnconfirmed:
        form.add_error(
            "confirm_warnings",
            _("The SMART check has warnings. Read them, then tick this box to save anyway."),
        )
        return None
    return redirect("goals:detail", org_slug=org.slug, goal_id=goal.pk)


@org_view(Role.MANAGER)
def goal_new(request: OrgRequest) -> HttpResponse:
    org = request.org
    if request.method == "POST":
        form = GoalForm(request.POST, organisation=org)
        response = _save_goal(request, form)
        if response is not None:
            return response
    else:
        form = GoalForm(initial=_new_initial(request), organisation=org)
    return _render_form(request, form, from_level=request.GET.get("from_level", ""))


@org_view(Role.MANAGER)
def goal_edit(request: OrgRequest, goal_id: int) -> HttpResponse:
    org = request.org
    goal = _goal_or_404(request, goal_id)
    if not goal.is_active:
        messages.error(request, _("This goal has ended; its outcome is kept as it was."))
        return redirect("goals:detail", org_slug=org.slug, goal_id=goal.pk)
    if request.method == "POST":
        form = GoalForm(request.POST, organisation=org, editing=True)
        response = _save_goal(request, form, goal)
        if response is not None:
            return response
    else:
        form = GoalForm(initial=goal_initial(goal), organisation=org, editing=True)
    return _render_form(request, form, goal)


@org_view(Role.MANAGER)
@require_POST
def goal_check(request: OrgRequest) -> HttpResponse:
    """The live SMART check of the goal form (htmx): re-run on every change."""
    org = request.org
    goal = None
    if request.POST.get("goal_id", "").isdigit():
        goal = selectors.goal_get(organisation=org, goal_id=int(request.POST["goal_id"]))
    form = GoalForm(request.POST, organisation=org, editing=goal is not None)
    form.is_valid()
    return render(request, "goals/_smart.html", _smart_context(request, form, goal))


@org_view(Role.VIEWER)
def goal_detail(request: OrgRequest, goal_id: int) -> HttpResponse:
    org = request.org
    membership = request.membership
    goal = _goal_or_404(request, goal_id)
    services.goal_close(goal=goal)
    progress = selectors.progress_for(goal)
    result = selectors.smart_check(
        organisation=org, draft=selectors.draft_from_goal(goal), goal=goal
    )
    average, votes = selectors.confidence_summary(goal)
    objectives = [
        ListedObjective(o, services.objective_can_tick(objective=o, membership=membership))
        for o in goal.objectives.select_related("owner")
    ]
    my_vote = goal.confidence_votes.filter(user=request.user).first()
    report = progress.report
    unit = goal.value_unit
    categories = category_names(organisation=org)

    def value(v: float | None) -> str:
        return format_value(goal.metric_key, v, unit)

    context = {
        "nav": "goals",
        "goal": goal,
        "row": presenters.goal_row(goal, progress, categories=categories),
        "progress": progress,
        "report": report,
        "status_name": STATUS_NAMES.get(progress.status, progress.status),
        "tone": STATUS_TONE.get(progress.status, ""),
        "current": value(
            goal.final_value if not goal.is_active else (report.current_value if report else None)
        ),
        "planned": value(report.planned_value if report else None),
        "projection": value(report.projection if report else None),
        "metric_name": metric_name(goal.metric_key),
        "metric_description": metric(goal.metric_key).description,
        "scope": scope_text(goal.scope, categories=categories),
        "baseline": value(goal.baseline_value),
        "target": value(goal.target),
        "person_target": value(goal.person_target) if goal.person_target is not None else "",
        "milestones": [(m.date, value(m.value)) for m in goal.milestones.all()],
        "smart": smart_rows(result.report, metric_key=goal.metric_key, value_unit=unit),
        "confirmed": goal.confirmed_warnings,
        "chart": presenters.goal_chart(goal, progress),
        "objectives": objectives,
        "objectives_done": sum(1 for o in objectives if o.done),
        "objectives_left": sum(1 for o in objectives if not o.done),
        "objective_form": ObjectiveForm(organisation=org),
        "confidence_average": average,
        "confidence_votes": votes,
        "confidence_comments": goal.confidence_votes.select_related("user").exclude(comment=""),
        "confidence_form": ConfidenceForm(
            initial={"rating": my_vote.rating, "comment": my_vote.comment} if my_vote else None
        ),
        "revisions": _revision_rows(goal),
        "can_edit": membership.allows(Role.MANAGER) and goal.is_active,
        "can_manage": membership.allows(Role.MANAGER),
        "can_rate": membership.allows(Role.AGENT),
    }
    return render(request, "goals/detail.html", context)


def _revision_rows(goal: Any) -> list[dict[str, Any]]:
    from django.utils.translation import gettext_lazy

    names = {
        "target": gettext_lazy("Target"),
        "deadline": gettext_lazy("Deadline"),
        "milestones": gettext_lazy("Milestones"),
        "scope": gettext_lazy("Scope"),
    }
    unit = goal.value_unit
    rows = []
    for revision in goal.revisions.select_related("author"):
        changes = []
        for name, (before, after) in revision.changes.items():
            changes.append(
                {
                    "name": names.get(name, name),
                    "before": _change_text(goal, name, before, unit),
                    "after": _change_text(goal, name, after, unit),
                }
            )
        rows.append({"revision": revision, "changes": changes})
    return rows


def _change_text(goal: Any, name: str, value: Any, unit: str) -> str:
    from goaldesk.core.display import ldate

    if name == "target":
        return format_value(goal.metric_key, value, unit)
    if name == "deadline":
        return ldate(dt.date.fromisoformat(value)) if value else "—"
    if name == "milestones":
        return (
            ", ".join(
                f"{ldate(dt.date.fromisoformat(day))}: {format_value(goal.metric_key, v, unit)}"
                for day, v in value
            )
            or "—"
        )
    if name == "scope":
        return scope_text(value)
    return str(value)


@org_view(Role.MANAGER)
@require_POST
def objective_add(request: OrgRequest, goal_id: int) -> HttpResponse:
    org = request.org
    goal = _goal_or_404(request, goal_id)
    form = ObjectiveForm(request.POST, organisation=org)
    if form.is_valid():
        try:
            services.objective_create(
                goal=goal,
                title=form.cleaned_data["title"],
                owner=form.owner_user(),
                due=form.cleaned_data.get("due"),
                notes=form.cleaned_data.get("notes") or "",
                assigned_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The action step was added."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{label}: {text}" if label else text)
    return redirect("goals:detail", org_slug=org.slug, goal_id=goal.pk)


@org_view(Role.MANAGER)
def objective_edit(request: OrgRequest, objective_id: int) -> HttpResponse:
    org = request.org
    objective = _objective_or_404(request, objective_id)
    if request.method == "POST" and "delete" in request.POST:
        services.objective_delete(objective=objective)
        messages.success(request, _("The action step was removed."))
        return redirect("goals:detail", org_slug=org.slug, goal_id=objective.goal_id)
    form = ObjectiveForm(
        initial={
            "title": objective.title,
            "owner": str(objective.owner_id or ""),
            "due": objective.due,
            "notes": objective.notes,
        },
        organisation=org,
    )
    if request.method == "POST":
        form = ObjectiveForm(request.POST, organisation=org)
        if form.is_valid():
            try:
                services.objective_update(
                    objective=objective,
                    title=form.cleaned_data["title"],
                    owner=form.owner_user(),
                    due=form.cleaned_data.get("due"),
                    notes=form.cleaned_data.get("notes") or "",
                    assigned_by=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The action step was saved."))
                return redirect("goals:detail", org_slug=org.slug, goal_id=objective.goal_id)
    return render(
        request,
        "goals/objective_form.html",
        {"nav": "goals", "form": form, "objective": objective, "goal": objective.goal},
    )


@org_view(Role.AGENT)
@require_POST
def objective_toggle(request: OrgRequest, objective_id: int) -> HttpResponse:
    """Tick an objective done or not done (agents: only their own)."""
    org = request.org
    objective = _objective_or_404(request, objective_id)
    if not services.objective_can_tick(objective=objective, membership=request.membership):
        raise PermissionDenied
    done = request.POST.get("done", "1" if not objective.done else "0") == "1"
    notes = request.POST.get("notes")
    services.objective_set_done(objective=objective, done=done, user=request.user, notes=notes)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "goals/_objective.html",
            {"objective": ListedObjective(objective, can_tick=True), "goal": objective.goal},
        )
    return redirect("goals:detail", org_slug=org.slug, goal_id=objective.goal_id)


@org_view(Role.AGENT)
@require_POST
def confidence_rate(request: OrgRequest, goal_id: int) -> HttpResponse:
    org = request.org
    goal = _goal_or_404(request, goal_id)
    form = ConfidenceForm(request.POST)
    if form.is_valid():
        services.confidence_set(
            goal=goal,
            user=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data.get("comment") or "",
        )
        messages.success(request, _("Thank you: your view of this goal was recorded."))
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect("goals:detail", org_slug=org.slug, goal_id=goal.pk)


@org_view(Role.VIEWER)
def strategy(request: OrgRequest) -> HttpResponse:
    """The service vision and the business goals (managers and owners edit)."""
    org = request.org
    membership = request.membership
    current = selectors.strategy_for(org)
    vision_form = StrategyForm(
        initial={
            "vision": current.vision if current else "",
            "values": "\n".join(current.values or []) if current else "",
        }
    )
    business_form = BusinessGoalForm()
    if request.method == "POST":
        if not membership.allows(Role.MANAGER):
            raise PermissionDenied
        if "add_business_goal" in request.POST:
            business_form = BusinessGoalForm(request.POST)
            if business_form.is_valid():
                try:
                    services.business_goal_create(organisation=org, **business_form.cleaned_data)
                except ValidationError as error:
                    add_service_error(business_form, error)
                else:
                    messages.success(request, _("The business goal was added."))
                    return redirect("goals:strategy", org_slug=org.slug)
        else:
            vision_form = StrategyForm(request.POST)
            if vision_form.is_valid():
                services.strategy_update(
                    organisation=org,
                    vision=vision_form.cleaned_data["vision"],
                    values=vision_form.value_list(),
                    user=request.user,
                )
                messages.success(request, _("The service vision was saved."))
                return redirect("goals:strategy", org_slug=org.slug)
    context = {
        "nav": "goals",
        "strategy": current,
        "vision_form": vision_form,
        "business_form": business_form,
        "business_goals": selectors.business_goal_list(organisation=org),
        "can_edit": membership.allows(Role.MANAGER),
    }
    return render(request, "goals/strategy.html", context)


@org_view(Role.MANAGER)
def business_goal_edit(request: OrgRequest, business_goal_id: int) -> HttpResponse:
    org = request.org
    business_goal = BusinessGoal.objects.filter(organisation=org, pk=business_goal_id).first()
    if business_goal is None:
        raise Http404
    form = BusinessGoalForm(
        initial={
            "kind": business_goal.kind,
            "title": business_goal.title,
            "description": business_goal.description,
        }
    )
    if request.method == "POST" and "delete" in request.POST:
        try:
            services.business_goal_delete(business_goal=business_goal)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The business goal was removed."))
            return redirect("goals:strategy", org_slug=org.slug)
    elif request.method == "POST":
        form = BusinessGoalForm(request.POST)
        if form.is_valid():
            try:
                services.business_goal_update(business_goal=business_goal, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The business goal was saved."))
                return redirect("goals:strategy", org_slug=org.slug)
    return render(
        request,
        "goals/business_goal_form.html",
        {"nav": "goals", "form": form, "business_goal": business_goal},
    )


@org_view(Role.VIEWER)
def level(request: OrgRequest) -> HttpResponse:
    """The service level of a period, its criteria and the way to the next level."""
    org = request.org
    membership = request.membership
    scope = scope_from_query(request.GET, org)
    for problem in scope.problems:
        messages.error(request, problem)
    level_ctx = presenters.level_context(
        organisation=org,
        date_from=scope.date_from,
        date_to=scope.date_to,
        can_make_goal=membership.allows(Role.MANAGER),
        filters=segment_filter(org, scope.filters.get("segment")),
    )
    context = {
        "nav": "goals",
        "scope": scope,
        "level_ctx": level_ctx,
        "criteria": level_ctx["criteria"],
        "date_from": scope.date_from,
        "date_to": scope.date_to,
        "can_edit_thresholds": membership.allows(Role.OWNER),
        "segments": segment_choices(organisation=org),
    }
    return render(request, "goals/level.html", context)


def segment_filter(org: Any, value: str | None) -> dict[str, str]:
    """A segment filter as a goal scope keeps it: by the segment's name ({} for none)."""
    if not value:
        return {}
    return {"segment": segment_name(organisation=org, value=value)}


@org_view(Role.VIEWER)
def dashboard_panel(request: OrgRequest) -> HttpResponse:
    """The dashboard's goals panel for its period (an HTML fragment the dashboard loads)."""
    org = request.org
    scope = scope_from_query(request.GET, org)
    context = presenters.dashboard_panel(
        organisation=org,
        membership=request.membership,
        date_from=scope.date_from,
        date_to=scope.date_to,
        filters=segment_filter(org, scope.filters.get("segment")),
    )
    return render(request, "goals/_dashboard_panel.html", context)


@org_view(Role.OWNER)
def level_thresholds(request: OrgRequest) -> HttpResponse:
    org = request.org
    thresholds = selectors.level_thresholds_for(org)
    if request.method == "POST" and "reset" in request.POST:
        services.level_thresholds_reset(organisation=org)
        messages.success(request, _("The thresholds are back to their defaults."))
        return redirect("goals:level_thresholds", org_slug=org.slug)
    form = ThresholdsForm(thresholds=thresholds)
    if request.method == "POST":
        form = ThresholdsForm(request.POST, thresholds=thresholds)
        if form.is_valid():
            try:
                services.level_thresholds_update(
                    organisation=org, thresholds=form.thresholds_dict(), user=request.user
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for criterion, problems in error.error_dict.items():
                        text = " ".join(ValidationError(problems).messages)
                        form.add_error(None, f"{metric_name(criterion)}: {text}")
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("The service-level thresholds were saved."))
                return redirect("goals:level", org_slug=org.slug)
    return render(request, "goals/thresholds.html", {"nav": "goals", "form": form})


@org_view(Role.VIEWER)
def my_objectives(request: OrgRequest) -> HttpResponse:
    """The action steps assigned to the signed-in member, open ones first (soonest due)."""
    org = request.org
    membership = request.membership
    objectives = [
        ListedObjective(o, services.objective_can_tick(objective=o, membership=membership))
        for o in selectors.objectives_of(organisation=org, user=request.user)
    ]
    context = {
        "nav": "goals",
        "objectives": objectives,
        "open_count": sum(1 for o in objectives if not o.done),
        "today": today_in(org),
    }
    return render(request, "goals/my_objectives.html", context)
