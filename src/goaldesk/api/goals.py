"""/api/v1/orgs/{slug}/goals, objectives, progress and the service level.

Goals are created and updated through the same services as the web form, with the same
validation: a field that cannot be used answers 422 naming it; SMART warnings answer 422 on
`confirm_warnings` (one entry per warning, worded) until the request confirms them. Values are
in the metric's units (seconds for times, % for rates).

Who may write: manager and owner tokens or sessions write goals and objectives. A signed-in
agent may tick their own objectives and rate a goal's confidence; viewers only read.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.api.auth import caller_of, organisation_for
from goaldesk.api.errors import FieldChecks, FieldInvalid, saved_or_422
from goaldesk.api.params import parse_date
from goaldesk.api.schemas import BodyIn, DateText, ErrorList, Message, OptionalDateText
from goaldesk.goals import selectors, services
from goaldesk.goals.commands import goal_payload, level_payload
from goaldesk.goals.models import BusinessGoal, Goal, Objective
from goaldesk.goals.wording import smart_sentence
from goaldesk.interactions.selectors import FilterError, resolve_filters
from goaldesk.metrics.scope import span_problem

router = Router(tags=["goals"])

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}


class MilestoneIn(BodyIn):
    date: DateText
    value: StrictFloat


class GoalIn(BodyIn):
    """A goal. On update (PATCH) every field is optional; leave out what does not change."""

    title: StrictStr | None = None
    type: StrictStr | None = Field(
        None, description="satisfaction, productivity, recovery, …, custom"
    )
    metric: StrictStr | None = Field(None, description="a catalogue key with a better direction")
    statistic: StrictStr | None = Field(None, description="time metrics: median, mean or p90")
    value_unit: StrictStr | None = Field(None, description="how the UI shows times: seconds … days")
    scope: dict[str, StrictStr] | None = Field(
        None,
        description="channel, team, agent, category, segment (a customer segment's name); {} = the whole organisation",
    )
    baseline_from: OptionalDateText = None
    baseline_to: OptionalDateText = None
    target: StrictFloat | None = Field(
        None, description="in the metric's units (seconds for times)"
    )
    start: OptionalDateText = None
    deadline: OptionalDateText = None
    milestones: list[MilestoneIn] | None = None
    tracking_window_days: StrictInt | None = None
    business_goal: StrictInt | StrictStr | None = Field(None, description="id or title")
    reason: StrictStr | None = None
    owner: StrictStr | None = Field(None, description="user name of a member")
    confirm_warnings: StrictBool = False
    revision_reason: StrictStr | None = Field(
        None, description="needed when target, deadline, milestones or scope change"
    )


class GoalCreateIn(GoalIn):
    """A new goal: what it measures, from which baseline, to which target, by when, and why."""

    title: StrictStr = Field(..., min_length=1)
    metric: StrictStr = Field(
        ..., min_length=1, description="a catalogue key with a better direction"
    )
    baseline_from: DateText
    baseline_to: DateText
    target: StrictFloat = Field(..., description="in the metric's units (seconds for times)")
    start: DateText
    deadline: DateText
    business_goal: StrictInt | StrictStr = Field(..., description="id or title")
    reason: StrictStr = Field(..., min_length=1)


class ObjectiveIn(BodyIn):
    title: StrictStr | None = None
    owner: StrictStr | None = None
    due: OptionalDateText = None
    notes: StrictStr | None = None
    done: StrictBool | None = None


class ConfidenceIn(BodyIn):
    rating: StrictInt = Field(..., description="1–5")
    comment: StrictStr = ""


def _membership(request: HttpRequest, organisation: Organisation) -> Membership | None:
    caller = caller_of(request)
    if caller.user is None:
        return None
    return Membership.objects.filter(organisation=organisation, user=caller.user).first()


def _goal(organisation: Organisation, goal_id: int) -> Goal:
    goal = selectors.goal_get(organisation=organisation, goal_id=goal_id)
    if goal is None:
        raise HttpError(404, _("There is no goal %(id)s here.") % {"id": goal_id})
    return goal


def _required_date(value: str | None, name: str) -> dt.date:
    day = parse_date(value, name, required=True)
    assert day is not None  # noqa: S101 - required=True
    return day


def _member(organisation: Organisation, username: str | None, field: str) -> Any:
    if not username:
        return None
    user = (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, username=username)
        .first()
    )
    if user is None:
        raise FieldInvalid(
            field, _("“%(name)s” is not a member of this organisation.") % {"name": username}
        )
    return user


def _business_goal(organisation: Organisation, value: int | str | None) -> BusinessGoal | None:
    if value in (None, ""):
        return None
    qs = BusinessGoal.objects.filter(organisation=organisation)
    found = (
        qs.filter(pk=value).first() if isinstance(value, int) else qs.filter(title=value).first()
    )
    if found is None:
        raise FieldInvalid(
            "business_goal", _("No business goal “%(value)s” here.") % {"value": value}
        )
    return found


def _data(organisation: Organisation, payload: GoalIn, goal: Goal | None) -> services.GoalData:
    """GoalData from the payload, falling back to the goal's current values on update."""
    given = payload.model_dump(exclude_unset=True)

    def pick(name: str, current: Any) -> Any:
        return given[name] if name in given and given[name] is not None else current

    def pick_date(name: str, current: dt.date | None) -> dt.date:
        if given.get(name):
            return _required_date(given[name], name)
        if current is None:  # a new goal: its required fields are checked before this runs
            raise FieldInvalid(name, _("This field is required."))
        return current

    checks = FieldChecks()
    if goal is None:
        for name in (
            "title",
            "metric",
            "baseline_from",
            "baseline_to",
            "target",
            "start",
            "deadline",
            "business_goal",
            "reason",
        ):
            if given.get(name) in (None, ""):
                checks.add(FieldInvalid(name, _("This field is required.")))
    dates: dict[str, dt.date] = {}
    for name in ("baseline_from", "baseline_to", "start", "deadline"):
        if not checks.failed(name):
            day = checks.take(pick_date, name, getattr(goal, name) if goal else None)
            if day is not None:
                dates[name] = day
    milestones = (
        checks.take(
            lambda: [
                (_required_date(m["date"], "milestones"), float(m["value"]))
                for m in given["milestones"]
            ]
        )
        if given.get("milestones") is not None
        else ([(m.date, m.value) for m in goal.milestones.all()] if goal else [])
    )
    business_goal = (
        checks.take(_business_goal, organisation, given["business_goal"])
        if given.get("business_goal") not in (None, "")
        else (goal.business_goal if goal else None)
    )
    owner = (
        checks.take(_member, organisation, given["owner"], "owner")
        if "owner" in given
        else (goal.owner if goal else None)
    )
    checks.done()
    return services.GoalData(
        title=pick("title", goal.title if goal else ""),
        goal_type=pick("type", goal.goal_type if goal else "custom"),
        metric_key=pick("metric", goal.metric_key if goal else ""),
        statistic=pick("statistic", goal.statistic if goal else "median"),
        value_unit=pick("value_unit", goal.value_unit if goal else "hours"),
        scope=pick("scope", goal.scope if goal else {}),
        baseline_from=dates["baseline_from"],
        baseline_to=dates["baseline_to"],
        target=float(pick("target", goal.target if goal else 0.0)),
        start=dates["start"],
        deadline=dates["deadline"],
        milestones=milestones or [],
        tracking_window_days=pick("tracking_window_days", goal.tracking_window_days if goal else 7),
        business_goal=business_goal,
        reason=pick("reason", goal.reason if goal else ""),
        owner=owner,
    )


def _save(call: Any) -> Any:
    """Run a service call; turn its errors into 422 bodies naming the field, and unconfirmed
    SMART warnings into a 422 listing them."""
    try:
        return saved_or_422(call)
    except services.SmartWarningsUnconfirmed as unconfirmed:
        return Status(422, {"detail": _warning_detail(unconfirmed.result)})


def _warning_detail(result: selectors.SmartResult) -> list[dict[str, str]]:
    return [
        {
            "field": "confirm_warnings",
            "message": f"{check.letter}: "
            + smart_sentence(check.code, check.params, metric_key=None, value_unit="hours"),
        }
        for check in result.report.warnings
    ]


@router.get(
    "/v1/orgs/{slug}/goals", response={200: list[dict[str, Any]], **_ERRORS}, summary="Goals"
)
def goals_list(request: HttpRequest, slug: str, outcome: str = ""):
    """Every goal with its status and progress (`outcome`: active, achieved, missed, no_data)."""
    organisation = organisation_for(request, slug)
    services.goals_close_due(organisation=organisation)
    qs = selectors.goal_queryset(organisation=organisation)
    if outcome:
        qs = qs.filter(outcome=outcome)
    return [goal_payload(goal, full=False) for goal in qs]


@router.post(
    "/v1/orgs/{slug}/goals", response={201: dict[str, Any], **_ERRORS}, summary="Create a goal"
)
def goal_create(request: HttpRequest, slug: str, payload: GoalCreateIn):
    """Create a goal; its baseline is measured from the baseline period now."""
    organisation = organisation_for(request, slug, write=True)
    data = _data(organisation, payload, None)
    caller = caller_of(request)
    result = _save(
        lambda: services.goal_create(
            organisation=organisation,
            data=data,
            user=caller.user,
            confirm_warnings=payload.confirm_warnings,
        )
    )
    if isinstance(result, Status):
        return result
    return Status(201, goal_payload(_goal(organisation, result.pk), full=True))


@router.get("/v1/orgs/{slug}/goals/{goal_id}", response={200: dict[str, Any], **_ERRORS})
def goal_read(request: HttpRequest, slug: str, goal_id: int):
    """One goal: SMART check, progress with its daily series, objectives and revisions."""
    organisation = organisation_for(request, slug)
    goal = _goal(organisation, goal_id)
    services.goal_close(goal=goal)
    return goal_payload(goal, full=True)


@router.patch("/v1/orgs/{slug}/goals/{goal_id}", response={200: dict[str, Any], **_ERRORS})
def goal_update(request: HttpRequest, slug: str, goal_id: int, payload: GoalIn):
    """Change a goal. Target, deadline, milestones or scope changes need `revision_reason`."""
    organisation = organisation_for(request, slug, write=True)
    goal = _goal(organisation, goal_id)
    data = _data(organisation, payload, goal)
    caller = caller_of(request)
    result = _save(
        lambda: services.goal_update(
            goal=goal,
            data=data,
            user=caller.user,
            reason=payload.revision_reason or "",
            confirm_warnings=payload.confirm_warnings,
        )
    )
    if isinstance(result, Status):
        return result
    return goal_payload(_goal(organisation, goal_id), full=True)


@router.get("/v1/orgs/{slug}/goals/{goal_id}/progress", response={200: dict[str, Any], **_ERRORS})
def goal_progress(
    request: HttpRequest,
    slug: str,
    goal_id: int,
    as_of: OptionalDateText = None,
):
    """Progress on `as_of` (default today): status, current value, plan, projection, series."""
    organisation = organisation_for(request, slug)
    goal = _goal(organisation, goal_id)
    day = parse_date(as_of, "as_of")
    progress = selectors.progress_for(goal, as_of=day)
    return {
        "goal": goal.pk,
        "status": progress.status,
        "report": progress.report.as_dict() if progress.report else None,
        "series": [[d.isoformat(), v] for d, v in progress.series],
    }


def _objective_dict(objective: Objective) -> dict[str, Any]:
    return {
        "id": objective.pk,
        "goal": objective.goal_id,
        "title": objective.title,
        "owner": objective.owner.get_username() if objective.owner else None,
        "due": objective.due.isoformat() if objective.due else None,
        "done": objective.done,
        "notes": objective.notes,
    }


@router.get(
    "/v1/orgs/{slug}/goals/{goal_id}/objectives", response={200: list[dict[str, Any]], **_ERRORS}
)
def objectives_list(request: HttpRequest, slug: str, goal_id: int):
    organisation = organisation_for(request, slug)
    goal = _goal(organisation, goal_id)
    return [_objective_dict(o) for o in goal.objectives.select_related("owner")]


@router.post(
    "/v1/orgs/{slug}/goals/{goal_id}/objectives", response={201: dict[str, Any], **_ERRORS}
)
def objective_create(request: HttpRequest, slug: str, goal_id: int, payload: ObjectiveIn):
    organisation = organisation_for(request, slug, write=True)
    goal = _goal(organisation, goal_id)
    checks = FieldChecks()
    due = checks.take(parse_date, payload.due, "due")
    owner = checks.take(_member, organisation, payload.owner, "owner")
    checks.done()
    result = _save(
        lambda: services.objective_create(
            goal=goal, title=payload.title or "", owner=owner, due=due, notes=payload.notes or ""
        )
    )
    if isinstance(result, Status):
        return result
    return Status(201, _objective_dict(result))


@router.patch(
    "/v1/orgs/{slug}/objectives/{objective_id}", response={200: dict[str, Any], **_ERRORS}
)
def objective_update(request: HttpRequest, slug: str, objective_id: int, payload: ObjectiveIn):
    """Update an objective. Agents (signed in) may only set `done` and `notes` on their own."""
    organisation = organisation_for(request, slug)
    objective = (
        Objective.objects.select_related("goal", "owner")
        .filter(goal__organisation=organisation, pk=objective_id)
        .first()
    )
    if objective is None:
        raise HttpError(404, _("There is no objective %(id)s here.") % {"id": objective_id})
    given = payload.model_dump(exclude_unset=True)
    caller = caller_of(request)
    membership = _membership(request, organisation)
    is_manager = (
        caller.token is not None and Membership(role=caller.token.role).allows(Role.MANAGER)
    ) or (membership is not None and membership.allows(Role.MANAGER))
    if not is_manager:
        own = membership is not None and services.objective_can_tick(
            objective=objective, membership=membership
        )
        if not own or set(given) - {"done", "notes"}:
            raise HttpError(
                403, _("Only managers edit objectives; agents may tick their own as done.")
            )
    if set(given) - {"done", "notes"}:
        checks = FieldChecks()
        owner = (
            checks.take(_member, organisation, given["owner"], "owner")
            if "owner" in given
            else objective.owner
        )
        due = checks.take(parse_date, given["due"], "due") if "due" in given else objective.due
        checks.done()
        result = _save(
            lambda: services.objective_update(
                objective=objective,
                title=given.get("title") or objective.title,
                owner=owner,
                due=due,
                notes=given.get("notes", objective.notes) or "",
            )
        )
        if isinstance(result, Status):
            return result
    if "done" in given and given["done"] is not None:
        services.objective_set_done(
            objective=objective, done=given["done"], user=caller.user, notes=given.get("notes")
        )
    elif "notes" in given and not (set(given) - {"done", "notes"}):
        services.objective_set_done(
            objective=objective, done=objective.done, user=caller.user, notes=given["notes"]
        )
    objective.refresh_from_db()
    return _objective_dict(objective)


@router.post(
    "/v1/orgs/{slug}/goals/{goal_id}/confidence", response={200: dict[str, Any], **_ERRORS}
)
def confidence_rate(request: HttpRequest, slug: str, goal_id: int, payload: ConfidenceIn):
    """Rate how reachable a goal is (1–5); signed-in members from agent up."""
    organisation = organisation_for(request, slug)
    goal = _goal(organisation, goal_id)
    membership = _membership(request, organisation)
    if membership is None or not membership.allows(Role.AGENT):
        raise HttpError(
            403, _("Team members (agent and above) rate goals, signed in as themselves.")
        )
    result = _save(
        lambda: services.confidence_set(
            goal=goal, user=membership.user, rating=payload.rating, comment=payload.comment
        )
    )
    if isinstance(result, Status):
        return result
    average, votes = selectors.confidence_summary(goal)
    return {"average": average, "votes": votes}


@router.get(
    "/v1/orgs/{slug}/level", response={200: dict[str, Any], **_ERRORS}, summary="Service level"
)
def level(
    request: HttpRequest,
    slug: str,
    date_from: DateText = Query(..., alias="from"),  # noqa: B008 - ninja reads the alias from it
    date_to: DateText = Query(..., alias="to"),  # noqa: B008 - ninja reads the alias from it
    segment: str = "",
):
    """The service level of the days `from`..`to`: level, criteria, reasons, the way up;
    with `segment` (a customer segment's name or id), of its customers' interactions only.

    The period may span at most 1,827 days by default (five years; GOALDESK_MAX_DAYS_TOTAL).
    """
    organisation = organisation_for(request, slug)
    checks = FieldChecks()
    start = checks.take(_required_date, date_from, "from")
    end = checks.take(_required_date, date_to, "to")
    if start is not None and end is not None and end < start:
        checks.add(FieldInvalid("to", _("The end date is before the start date.")))
    checks.done()
    assert start is not None and end is not None  # noqa: S101 - checks.done() raised
    too_long = span_problem(start, end, by_day=False)
    if too_long:
        raise FieldInvalid("to", too_long)
    filters = {"segment": segment.strip()} if segment.strip() else None
    if filters:
        try:
            resolve_filters(organisation=organisation, filters=filters)
        except FilterError as error:
            raise FieldInvalid("segment", str(error)) from error
    return level_payload(organisation, start, end, filters=filters)
