"""/api/v1/orgs/{slug}/team: an agent's scorecard and the fair ranking of agents.

Who may read follows the organisation's scorecard settings, as on the pages: manager and owner
tokens or sessions read every scorecard; a signed-in agent their own (and their colleagues'
when the setting allows); viewers only when the setting allows. The ranking answers every
caller while rankings are public, else managers and owners only.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from goaldesk.accounts.models import Membership, Organisation
from goaldesk.api.auth import caller_of, organisation_for
from goaldesk.api.errors import FieldChecks, FieldInvalid
from goaldesk.api.params import parse_date
from goaldesk.api.schemas import DateText, ErrorList, Message
from goaldesk.coaching.commands import scorecard_payload
from goaldesk.coaching.scorecard_selectors import (
    coaching_settings_for,
    may_see_ranking,
    may_see_scorecard,
    scorecard,
)
from goaldesk.core.commands import finite
from goaldesk.metrics.catalogue import CATALOGUE
from goaldesk.metrics.ranking import agents_ranking, rankable_kind
from goaldesk.metrics.scope import span_problem
from goaldesk.team.models import Agent

router = Router(tags=["team"])

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}


def _membership(request: HttpRequest, organisation: Organisation) -> Membership:
    """The caller as a member: a token's role (no person), or the signed-in member."""
    caller = caller_of(request)
    if caller.token is not None:
        return Membership(organisation=organisation, role=caller.token.role)
    found = Membership.objects.filter(organisation=organisation, user=caller.user).first()
    if found is None:  # organisation_for found it a moment ago
        raise HttpError(404, _("There is no organisation “%(slug)s” for you.") % {"slug": ""})
    return found


def _period(checks: FieldChecks, date_from: str, date_to: str) -> tuple[dt.date, dt.date]:
    start = checks.take(parse_date, date_from, "from", required=True)
    end = checks.take(parse_date, date_to, "to", required=True)
    if start is not None and end is not None:
        if end < start:
            checks.add(FieldInvalid("to", _("The end date is before the start date.")))
        else:
            too_long = span_problem(start, end, by_day=False)
            if too_long:
                checks.add(FieldInvalid("to", too_long))
    # None only with a problem noted, and checks.done() raises before the dates are used.
    return start, end  # type: ignore[return-value]


@router.get(
    "/v1/orgs/{slug}/team/scorecards/{agent}",
    response={200: dict[str, Any], **_ERRORS},
    summary="An agent's scorecard",
)
def agent_scorecard(
    request: HttpRequest,
    slug: str,
    agent: str,
    date_from: DateText = Query(..., alias="from"),  # noqa: B008 - ninja reads the alias from it
    date_to: DateText = Query(..., alias="to"),  # noqa: B008 - ninja reads the alias from it
):
    """The scorecard of the agent with key `agent` for the days `from`..`to` (both included):
    per metric its value (a time's median, in seconds; rates in %), sample size, the previous
    period's value and the change, the team's value and the goals it feeds (targets, the
    target for each agent and the agent's own value against it); the agent's objectives and
    badges."""
    organisation = organisation_for(request, slug)
    checks = FieldChecks()
    start, end = _period(checks, date_from, date_to)
    checks.done()
    found = (
        Agent.objects.filter(organisation=organisation, key=agent)
        .select_related("team", "user")
        .first()
    )
    if found is None:
        raise HttpError(404, _("No agent “%(value)s” in this organisation.") % {"value": agent})
    settings = coaching_settings_for(organisation)
    if not may_see_scorecard(_membership(request, organisation), found, settings):
        raise HttpError(403, _("Your role may not see this agent's scorecard."))
    card = scorecard(organisation=organisation, agent=found, date_from=start, date_to=end)
    return scorecard_payload(card)


@router.get(
    "/v1/orgs/{slug}/team/ranking",
    response={200: dict[str, Any], **_ERRORS},
    summary="The agents ranked fairly for one metric",
)
def ranking(
    request: HttpRequest,
    slug: str,
    metric: str,
    date_from: DateText = Query(..., alias="from"),  # noqa: B008 - ninja reads the alias from it
    date_to: DateText = Query(..., alias="to"),  # noqa: B008 - ninja reads the alias from it
):
    """The agents ranked for `metric` over `from`..`to`: a share by the lower bound of its
    Wilson interval, a mean by its Bayesian average; agents with fewer than 10 observations
    have `rank` null ("not enough data"). `value` and `bound` are in the metric's unit."""
    organisation = organisation_for(request, slug)
    checks = FieldChecks()
    start, end = _period(checks, date_from, date_to)
    rankable = [m.key for m in CATALOGUE if rankable_kind(m) is not None]
    if metric not in rankable:
        checks.add(
            FieldInvalid(
                "metric",
                _("%(metric)s cannot be ranked; use one of: %(keys)s.")
                % {"metric": metric, "keys": ", ".join(rankable)},
            )
        )
    checks.done()
    settings = coaching_settings_for(organisation)
    if not may_see_ranking(_membership(request, organisation), settings):
        raise HttpError(403, _("Rankings are visible to managers and owners only."))
    result = agents_ranking(organisation=organisation, date_from=start, date_to=end, key=metric)
    return {
        "metric": metric,
        "kind": result.kind,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "entries": [
            {
                "agent": r.key,
                "name": r.name,
                "rank": r.rank,
                "value": finite(r.value),
                "bound": finite(r.bound),
                "sample": r.sample,
            }
            for r in result.entries
        ],
    }
