"""Scorecards, the ranking and the scorecard settings, under /o/<org_slug>/team/.

Who sees what (coaching.CoachingSettings): managers and owners see every scorecard and the
ranking and change the settings; an agent sees their own scorecard (their colleagues' only when
the setting allows); a viewer sees no scorecard unless the setting allows; the ranking is open
to every member unless public rankings are switched off.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.goals.wording import format_value
from goaldesk.metrics.catalogue import CATALOGUE, metric
from goaldesk.metrics.ranking import agents_ranking, rankable_kind
from goaldesk.metrics.scope import Scope, scope_from_query
from goaldesk.metrics.views import comparison, display
from goaldesk.team.models import Agent

from . import recognition_services, scorecard_selectors
from .recognition_forms import CoachingSettingsForm
from .scorecard_selectors import Scorecard

#: The figures the list of scorecards shows per agent (the page of one agent shows them all).
LIST_KEYS = ("contacts", "csat_pct", "fcr_rate", "first_response_seconds", "qa_score")
DEFAULT_RANKING_METRIC = "csat_pct"


def _scope(request: OrgRequest, *, default_period: str | None = None) -> Scope:
    query: QueryDict = request.GET
    if default_period and not (query.get("period") or query.get("from")):
        query = request.GET.copy()  # a mutable copy
        query["period"] = default_period
    scope = scope_from_query(query, request.org)
    for problem in scope.problems:
        messages.error(request, problem)
    return scope


def _goal_target_rows(card: Scorecard) -> list[dict[str, Any]]:
    """Each goal the agent's figures feed: its targets and, for a target for each agent, the
    agent's own value and whether it is met."""
    rows = []
    for row in card.rows:
        for target in row.goals:
            goal = target.goal
            rows.append(
                {
                    "goal": goal,
                    "metric": row.metric,
                    "target": format_value(goal.metric_key, goal.target, goal.value_unit),
                    "person_target": (
                        format_value(goal.metric_key, target.person_target, goal.value_unit)
                        if target.person_target is not None
                        else ""
                    ),
                    "own": format_value(goal.metric_key, target.own, goal.value_unit),
                    "own_sample": target.own_sample,
                    "enough": target.enough_data,
                    "met": target.met,
                }
            )
    return rows


def scorecard_rows(card: Scorecard) -> list[dict[str, Any]]:
    """The scorecard's metrics as a page shows them."""
    out = []
    for row in card.rows:
        change = comparison(row.metric, row.current.value, row.previous.value)
        out.append(
            {
                "key": row.metric.key,
                "name": row.metric.name,
                "description": row.metric.description,
                "value": display(row.metric, row.current.value),
                "sample": row.current.sample,
                "previous": display(row.metric, row.previous.value),
                "change": change["text"],
                "tone": change["tone"],
                "team": display(row.metric, row.team),
                "targets": [
                    {
                        "goal": t.goal,
                        "target": format_value(t.goal.metric_key, t.goal.target, t.goal.value_unit),
                    }
                    for t in row.goals
                ],
            }
        )
    return out


@org_view(Role.VIEWER)
def scorecards(request: OrgRequest) -> HttpResponse:
    """Every agent's scorecard in short (managers; others as the settings allow). An agent
    lands on their own scorecard."""
    org = request.org
    membership = request.membership
    settings = scorecard_selectors.coaching_settings_for(org)
    own = scorecard_selectors.agent_of(organisation=org, user=request.user)
    may_list = scorecard_selectors.may_list_scorecards(membership, settings)
    if own is not None and membership.role == Role.AGENT and "all" not in request.GET:
        return redirect("coaching:scorecard", org_slug=org.slug, agent_id=own.pk)
    context: dict[str, Any] = {"nav": "team", "may_list": may_list, "own": own}
    if may_list:
        scope = _scope(request)
        cards = scorecard_selectors.scorecards(
            organisation=org,
            date_from=scope.date_from,
            date_to=scope.date_to,
            details=False,
            person_targets=False,  # the list shows no personal targets
        )
        columns = [metric(key) for key in LIST_KEYS]
        context.update(
            scope=scope,
            columns=columns,
            cards=[
                {
                    "agent": card.agent,
                    "cells": [
                        {
                            "value": display(entry, card.row(entry.key).current.value),
                            "sample": card.row(entry.key).current.sample,
                        }
                        for entry in columns
                    ],
                }
                for card in cards
            ],
        )
    return render(request, "coaching/scorecards.html", context)


@org_view(Role.VIEWER)
def scorecard(request: OrgRequest, agent_id: int) -> HttpResponse:
    """One agent's scorecard of a period."""
    org = request.org
    agent = Agent.objects.filter(organisation=org, pk=agent_id).select_related("team").first()
    if agent is None:
        raise Http404
    settings = scorecard_selectors.coaching_settings_for(org)
    if not scorecard_selectors.may_see_scorecard(request.membership, agent, settings):
        raise PermissionDenied
    scope = _scope(request)
    card = scorecard_selectors.scorecard(
        organisation=org,
        agent=agent,
        date_from=scope.date_from,
        date_to=scope.date_to,
        previous=scope.previous,
    )
    context = {
        "nav": "team",
        "scope": scope,
        "card": card,
        "rows": scorecard_rows(card),
        "targets": _goal_target_rows(card),
        "is_own": agent.user_id == request.user.pk,
        "may_list": scorecard_selectors.may_list_scorecards(request.membership, settings),
        "may_recognise": request.membership.allows(Role.AGENT) and agent.user_id != request.user.pk,
    }
    return render(request, "coaching/scorecard.html", context)


def rankable_metrics() -> list[Any]:
    return [m for m in CATALOGUE if rankable_kind(m) is not None]


@org_view(Role.VIEWER)
def ranking(request: OrgRequest) -> HttpResponse:
    """The agents ranked fairly for one metric and period (default: the last complete month)."""
    org = request.org
    settings = scorecard_selectors.coaching_settings_for(org)
    if not scorecard_selectors.may_see_ranking(request.membership, settings):
        raise PermissionDenied
    choices = rankable_metrics()
    key = request.GET.get("metric") or DEFAULT_RANKING_METRIC
    if key not in {m.key for m in choices}:
        messages.error(
            request,
            _("%(value)s cannot be ranked; showing %(metric)s.")
            % {"value": key, "metric": metric(DEFAULT_RANKING_METRIC).name},
        )
        key = DEFAULT_RANKING_METRIC
    scope = _scope(request, default_period="last_month")
    result = agents_ranking(
        organisation=org, date_from=scope.date_from, date_to=scope.date_to, key=key
    )
    entry = result.metric

    def shown(value: float | None) -> str:
        return display(entry, value)

    ranked = [r for r in result.entries if r.rank is not None]
    unranked = [r for r in result.entries if r.rank is None]
    context = {
        "nav": "team",
        "scope": scope,
        "choices": choices,
        "chosen": entry,
        "kind": result.kind,
        "ranked": [{"entry": r, "value": shown(r.value), "bound": shown(r.bound)} for r in ranked],
        "unranked": [{"entry": r, "value": shown(r.value)} for r in unranked],
        "public": settings.public_rankings,
    }
    return render(request, "coaching/ranking.html", context)


@org_view(Role.MANAGER)
def coaching_settings(request: OrgRequest) -> HttpResponse:
    """Who sees scorecards and rankings (managers and owners change it)."""
    org = request.org
    current = scorecard_selectors.coaching_settings_for(org)
    form = CoachingSettingsForm(instance=current)
    if request.method == "POST":
        form = CoachingSettingsForm(request.POST, instance=current)
        if form.is_valid():
            recognition_services.coaching_settings_update(
                organisation=org, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("The scorecard settings were saved."))
            return redirect("coaching:settings", org_slug=org.slug)
    return render(request, "coaching/settings.html", {"nav": "team", "form": form})
