"""Writes of shift scheduling: profiles, rules, solving jobs, manual edits, publishing, swaps.

The solver and the rule checks are the engine's (`goaldesk.engine.rostering`); this module
turns the database into engine input and the engine's shifts back into rows.
"""

import datetime as dt
import logging
import time
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Membership, Organisation
from goaldesk.core.display import digits, ldate, lnum
from goaldesk.core.jobs import (
    job_heartbeat,
    job_mark_done,
    job_mark_failed,
    job_mark_progress,
    job_mark_running,
)
from goaldesk.engine.rostering import Requirement, SolveProgress, solve_schedule
from goaldesk.engine.rostering.problem import break_offsets, break_rule_for
from goaldesk.goals.alerts import managers_of
from goaldesk.notifications.services import notify
from goaldesk.scheduling.models import (
    AgentAbsence,
    AgentProfile,
    Schedule,
    ScheduledShift,
    SchedulingRules,
    ShiftSwap,
    StaffingAlert,
)
from goaldesk.scheduling.selectors import (
    engine_agents,
    engine_rules,
    schedule_evaluate,
    schedule_requirements,
    shift_to_engine,
    skill_label,
    violation_text,
)
from goaldesk.team.models import Agent
from goaldesk.team.services import agent_channels_languages_set

logger = logging.getLogger(__name__)

#: Kept from before the split: changing it would void every calendar address given out.
FEED_SALT = "goaldesk.workforce.calendar-feed"
MAX_TIME_LIMIT_SECONDS = 600


class ScheduleError(ValueError):
    """A change that cannot be made, with a message for the person who asked for it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- profiles and rules -------------------------------------------------------------------------


@transaction.atomic
def agent_profile_save(
    *, agent: Agent, values: dict[str, Any], changed_by: Any = None
) -> AgentProfile:
    """Create or update an agent's work profile from cleaned form values. "channels" and
    "languages", when given, go to team's skills (a newly ticked one at level Proficient, each
    change in the agent's skill history)."""
    values = dict(values)
    channels, languages = values.pop("channels", None), values.pop("languages", None)
    if channels is not None or languages is not None:
        agent_channels_languages_set(
            agent=agent, channels=channels, languages=languages, changed_by=changed_by
        )
    profile, _created = AgentProfile.objects.get_or_create(agent=agent)
    for name, value in values.items():
        setattr(profile, name, value)
    if profile.min_hours_per_week > profile.max_hours_per_week:
        raise ScheduleError(_("The minimum hours a week are more than the maximum."))
    profile.save()
    return profile


@transaction.atomic
def agent_absence_add(
    *, agent: Agent, kind: str, start: dt.datetime, end: dt.datetime, note: str = ""
) -> AgentAbsence:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("Absences need aware datetimes.")
    if end <= start:
        raise ScheduleError(_("The absence must end after it starts."))
    return AgentAbsence.objects.create(agent=agent, kind=kind, start=start, end=end, note=note)


@transaction.atomic
def agent_absence_delete(*, absence: AgentAbsence) -> None:
    absence.delete()


@transaction.atomic
def scheduling_rules_save(*, organisation: Organisation, values: dict[str, Any]) -> SchedulingRules:
    rules, _created = SchedulingRules.objects.get_or_create(organisation=organisation)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()
    return rules


@transaction.atomic
def calendar_feed_revoke(*, agent: Agent) -> AgentProfile:
    """Invalidate every calendar-feed address given out for `agent` so far."""
    profile, _created = AgentProfile.objects.get_or_create(agent=agent)
    profile.feed_version += 1
    profile.save(update_fields=["feed_version"])
    return profile


def calendar_feed_token(*, agent: Agent) -> str:
    """The signed, unguessable token of the agent's current calendar-feed address."""
    profile, _created = AgentProfile.objects.get_or_create(agent=agent)
    return signing.dumps([agent.pk, profile.feed_version], salt=FEED_SALT)


def calendar_feed_agent(*, agent_id: int, token: str) -> Agent | None:
    """The agent whose calendar feed `token` opens, or None if the address is no longer valid.

    A feed is valid only while its token is the agent's current one, the agent is active and the
    agent is linked to an active user who is still a member of the agent's organisation: a feed
    must not outlive the person's access to the organisation.
    """
    try:
        signed_agent, version = signing.loads(token, salt=FEED_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if signed_agent != agent_id:
        return None
    agent = (
        Agent.objects.select_related("organisation", "work_profile", "user")
        .filter(pk=agent_id, active=True, user__is_active=True)
        .first()
    )
    profile = getattr(agent, "work_profile", None) if agent else None
    if agent is None or profile is None or profile.feed_version != version:
        return None
    is_member = Membership.objects.filter(
        user=agent.user, organisation_id=agent.organisation_id
    ).exists()
    if not is_member:
        return None
    return agent


# --- telling the people concerned ---------------------------------------------------------------


def _agent_users(organisation: Organisation, agent_ids: Any) -> list[Any]:
    """The users linked to the agents `agent_ids` who are still members of the organisation
    (an agent without a login, or who left, is told nothing)."""
    ids = [pk for pk in agent_ids if pk is not None]
    if not ids:
        return []
    return list(
        get_user_model()
        .objects.filter(
            agent_records__pk__in=ids,
            agent_records__organisation=organisation,
            memberships__organisation=organisation,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _local_day(moment: dt.datetime, organisation: Organisation) -> str:
    """The organisation's local date of `moment`, as an ISO string (a notification's param)."""
    return moment.astimezone(organisation.tzinfo).date().isoformat()


def _my_shifts_url(organisation: Organisation) -> str:
    return reverse("scheduling:my_shifts", args=[organisation.slug])


def _shift_changed(schedule: Schedule, changes: Sequence[tuple[int | None, dt.datetime]]) -> None:
    """Tell each agent of `changes` ((agent id, start of the shift as it was or is now), …) that
    their published shift changed; nothing while the schedule is not published."""
    if schedule.published_at is None:
        return
    organisation = schedule.organisation
    for agent_id, start in changes:
        notify(
            kind="shifts_changed",
            recipients=_agent_users(organisation, [agent_id]),
            organisation=organisation,
            params={"day": _local_day(start, organisation)},
            url=_my_shifts_url(organisation),
        )


# --- building a schedule ------------------------------------------------------------------------


def _week_rows(
    rows: Sequence[tuple[dt.datetime, str, int]],
) -> list[list[Any]]:
    return [[start.isoformat(), skill, int(n)] for start, skill, n in rows if n > 0]


def schedule_create(
    *,
    organisation: Organisation,
    week_start: dt.date,
    time_limit_seconds: int = 30,
    requirement: Sequence[Requirement] | None = None,
    created_by: Any = None,
    run_now: bool = False,
) -> Schedule:
    """Queue the solving of a week's schedule.

    The requirement is the latest forecast's staffing requirement for the week, or
    `requirement` (an uploaded file). `run_now` solves in this process instead of queueing.
    """
    from goaldesk.forecasting.selectors import forecast_run_latest, requirement_for_week
    from goaldesk.scheduling.tasks import schedule_solve_task

    if not 1 <= time_limit_seconds <= MAX_TIME_LIMIT_SECONDS:
        raise ScheduleError(
            _("The time limit must be between 1 and %(max)s seconds.")
            % {"max": digits(MAX_TIME_LIMIT_SECONDS)}
        )
    if requirement is not None:
        tz = organisation.tzinfo
        first = dt.datetime.combine(week_start, dt.time(0), tzinfo=tz)
        last = dt.datetime.combine(week_start + dt.timedelta(days=7), dt.time(0), tzinfo=tz)
        inside = [r for r in requirement if first <= r.start < last]
        if not inside:
            raise ScheduleError(
                _("The requirement file has no intervals in the week starting %(day)s.")
                % {"day": ldate(week_start)}
            )
        interval = inside[0].interval_minutes
        rows = [
            [r.start.astimezone(tz).isoformat(), skill, int(n)]
            for r in inside
            for skill, n in r.required.items()
            if n > 0
        ]
        source = Schedule.Source.UPLOAD
    else:
        run = forecast_run_latest(organisation=organisation)
        if run is None:
            raise ScheduleError(
                _(
                    "There is no staffing requirement yet: run a forecast first, or upload a requirement file."
                )
            )
        interval = run.interval_minutes
        rows = _week_rows(requirement_for_week(organisation=organisation, week_start=week_start))
        if not rows:
            raise ScheduleError(
                _("The latest forecast needs no agents in the week starting %(day)s.")
                % {"day": ldate(week_start)}
            )
        source = Schedule.Source.FORECAST
    with transaction.atomic():
        schedule = Schedule.objects.create(
            organisation=organisation,
            week_start=week_start,
            source=source,
            interval_minutes=interval,
            requirement=rows,
            time_limit_seconds=time_limit_seconds,
            created_by=created_by,
        )
        schedule_id = schedule.pk
        if not run_now:
            transaction.on_commit(lambda: schedule_solve_task.enqueue(schedule_id))
    if run_now:
        # No worker beats for a schedule solved here: without a heartbeat it would be taken
        # for lost (goaldesk.core.worker) while the solver still works.
        with job_heartbeat(model=Schedule, pk=schedule_id):
            schedule = schedule_solve(schedule_id)
    return schedule


def schedule_solve(schedule_id: int) -> Schedule:
    """Solve a queued schedule, writing progress as the solver improves, then its shifts."""
    schedule = Schedule.objects.select_related("organisation").get(pk=schedule_id)
    if schedule.finished:
        return schedule
    job_mark_running(job=schedule)
    organisation = schedule.organisation
    last_write = [0.0]

    def progress(p: SolveProgress) -> None:
        now = time.monotonic()
        if now - last_write[0] < 0.25:
            return
        last_write[0] = now
        job_mark_progress(
            job=schedule,
            solutions=p.solutions,
            best_objective=p.objective,
            best_bound=p.best_bound,
            elapsed_seconds=p.wall_seconds,
        )

    try:
        requirements = schedule_requirements(schedule)
        agents, _records = engine_agents(organisation=organisation, week_start=schedule.week_start)
        if not agents:
            raise ScheduleError(_("The organisation has no active agents to schedule."))
        rules = engine_rules(organisation=organisation)
        result = solve_schedule(
            requirements,
            agents,
            rules,
            time_limit_seconds=schedule.time_limit_seconds,
            progress=progress,
        )
    except Exception as error:
        logger.exception("Schedule %s failed", schedule.pk)
        if isinstance(error, ScheduleError):
            message = error.message
        elif isinstance(error, ValueError):
            message = _("The rules do not fit the requirement: %(reason)s") % {"reason": error}
        else:
            message = _("An unexpected error stopped the solver.")
        job_mark_failed(job=schedule, error=message)
        return schedule
    by_id = {str(a.pk): a for a in Agent.objects.filter(organisation=organisation)}
    with transaction.atomic():
        ScheduledShift.objects.filter(schedule=schedule).delete()
        ScheduledShift.objects.bulk_create(
            ScheduledShift(
                schedule=schedule,
                agent=by_id[s.agent_id],
                start=s.start,
                end=s.end,
                break_start=s.breaks[0][0] if s.breaks else None,
                break_end=s.breaks[0][1] if s.breaks else None,
            )
            for s in result.shifts
        )
        job_mark_done(
            job=schedule,
            status=result.status,
            best_objective=result.objective,
            best_bound=result.best_bound,
            gap=result.gap,
            elapsed_seconds=result.wall_seconds,
            infeasibility=list(result.infeasibility),
        )
    return schedule


# --- manual edits -------------------------------------------------------------------------------


def _place_break(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> tuple[Any, Any]:
    """The break a shift of this length needs, in the middle of its window (or none)."""
    rules = engine_rules(organisation=schedule.organisation)
    minutes = round((end - start).total_seconds() / 60)
    rule = break_rule_for(minutes, rules)
    if rule is None:
        return None, None
    offsets = break_offsets(minutes, rule, schedule.interval_minutes)
    if not offsets:
        return None, None
    offset = offsets[len(offsets) // 2]
    brk = start + dt.timedelta(minutes=offset * schedule.interval_minutes)
    return brk, brk + dt.timedelta(minutes=rule.length_minutes)


def _check_times(schedule: Schedule, start: dt.datetime, minutes: int) -> dt.datetime:
    if timezone.is_naive(start):
        raise ValueError("Shift starts must be aware datetimes.")
    if minutes <= 0 or minutes > 24 * 60:
        raise ScheduleError(_("A shift lasts between a minute and a day."))
    if minutes % schedule.interval_minutes:
        raise ScheduleError(
            _("The shift length must be a multiple of %(n)s minutes.")
            % {"n": lnum(schedule.interval_minutes)}
        )
    tz = schedule.organisation.tzinfo
    day = start.astimezone(tz).date()
    if not schedule.week_start <= day < schedule.week_start + dt.timedelta(days=7):
        raise ScheduleError(_("The shift must start inside the schedule's week."))
    return start + dt.timedelta(minutes=minutes)


def _touch(schedule: Schedule) -> None:
    Schedule.objects.filter(pk=schedule.pk).update(edited_at=timezone.now())


@transaction.atomic
def shift_add(
    *, schedule: Schedule, agent: Agent, start: dt.datetime, minutes: int
) -> ScheduledShift:
    if agent.organisation_id != schedule.organisation_id:
        raise ValueError("The agent belongs to another organisation.")
    end = _check_times(schedule, start, minutes)
    brk_start, brk_end = _place_break(schedule, start, end)
    shift = ScheduledShift.objects.create(
        schedule=schedule,
        agent=agent,
        start=start,
        end=end,
        break_start=brk_start,
        break_end=brk_end,
        edited=True,
    )
    _touch(schedule)
    _shift_changed(schedule, [(agent.pk, start)])
    return shift


@transaction.atomic
def shift_move(
    *, shift: ScheduledShift, start: dt.datetime, minutes: int, agent: Agent | None = None
) -> ScheduledShift:
    """Move a shift to another start and length (and agent); its break is placed again."""
    schedule = shift.schedule
    end = _check_times(schedule, start, minutes)
    before = (shift.agent_id, shift.start)
    if agent is not None:
        if agent.organisation_id != schedule.organisation_id:
            raise ValueError("The agent belongs to another organisation.")
        shift.agent = agent
    shift.start, shift.end = start, end
    shift.break_start, shift.break_end = _place_break(schedule, start, end)
    shift.edited = True
    shift.save()
    _touch(schedule)
    # The agent who had it is told about the day it was on; a new agent about the day it is on.
    changed = [before] if before[0] == shift.agent_id else [before, (shift.agent_id, shift.start)]
    _shift_changed(schedule, changed)
    return shift


@transaction.atomic
def shift_remove(*, shift: ScheduledShift) -> None:
    schedule = shift.schedule
    removed = (shift.agent_id, shift.start)
    shift.delete()
    _touch(schedule)
    _shift_changed(schedule, [removed])


@transaction.atomic
def schedule_publish(*, schedule: Schedule) -> Schedule:
    """Publish the schedule: its agents see it; another published schedule of the week is withdrawn.

    Each agent with shifts in it, or in the schedule of the week it replaces, is told once
    (`shifts_published`); then the coming week's staffing is checked
    (`staffing_shortfall_check`)."""
    if schedule.state != Schedule.State.DONE:
        raise ScheduleError(_("Only a finished schedule can be published."))
    organisation = schedule.organisation
    replaced = Schedule.objects.filter(
        organisation=organisation, week_start=schedule.week_start, published_at__isnull=False
    ).exclude(pk=schedule.pk)
    agent_ids = set(
        ScheduledShift.objects.filter(schedule__in=[schedule, *replaced]).values_list(
            "agent_id", flat=True
        )
    )
    was_published = schedule.published_at is not None
    replaced.update(published_at=None)
    schedule.published_at = timezone.now()
    schedule.save(update_fields=["published_at"])
    if not was_published:
        notify(
            kind="shifts_published",
            recipients=_agent_users(organisation, agent_ids),
            organisation=organisation,
            params={"week": schedule.week_start.isoformat()},
            url=_my_shifts_url(organisation),
        )
    staffing_shortfall_check(organisation=organisation, now=timezone.now())
    return schedule


@transaction.atomic
def schedule_unpublish(*, schedule: Schedule) -> Schedule:
    schedule.published_at = None
    schedule.save(update_fields=["published_at"])
    return schedule


# --- swaps --------------------------------------------------------------------------------------


def _demanded_skills(schedule: Schedule) -> set[str]:
    return {skill for _start, skill, _n in schedule.requirement}


def swap_check(*, shift: ScheduledShift, taker: Agent) -> list[str]:
    """Why `taker` may not work `shift` (translated; empty: they may).

    Qualified: the taker has every demanded skill the shift's agent has. Rules: the schedule
    with the shift given to the taker, checked by the engine; only rules the change breaks
    for the taker count.
    """
    return _swap_problems(shift=shift, takers=[taker])[taker.pk]


def _swap_problems(*, shift: ScheduledShift, takers: Sequence[Agent]) -> dict[int, list[str]]:
    """`swap_check` for each of `takers` (by agent id), the schedule evaluated once as it is."""
    schedule = shift.schedule
    agents, records = engine_agents(
        organisation=schedule.organisation, week_start=schedule.week_start
    )
    by_id = {a.id: a for a in agents}
    offered = by_id.get(str(shift.agent_id))
    shifts = list(schedule.shifts.all())
    before = None
    problems: dict[int, list[str]] = {}
    for taker in takers:
        taking = by_id.get(str(taker.pk))
        if taking is None:
            problems[taker.pk] = [_("%(name)s is not an active agent.") % {"name": taker}]
            continue
        needed = (offered.skills if offered else frozenset()) & _demanded_skills(schedule)
        missing = sorted(needed - taking.skills)
        if missing:
            problems[taker.pk] = [
                _("%(name)s lacks the skills this shift needs: %(skills)s.")
                % {"name": taker, "skills": ", ".join(skill_label(skill) for skill in missing)}
            ]
            continue
        if before is None:
            before = schedule_evaluate(schedule, shifts=shifts, agents=agents, records=records)
        moved = [
            shift_to_engine(s, agent_id=str(taker.pk) if s.pk == shift.pk else None) for s in shifts
        ]
        after = schedule_evaluate(
            schedule, shifts=shifts, agents=agents, records=records, engine_shifts=moved
        )
        known = {(v.code, v.agent_id, v.at) for v in before.evaluation.violations}
        problems[taker.pk] = [
            violation_text(v, records=records, organisation=schedule.organisation)
            for v in after.evaluation.violations
            if v.agent_id == str(taker.pk) and (v.code, v.agent_id, v.at) not in known
        ]
    return problems


def swap_takers(*, shift: ScheduledShift) -> list[Agent]:
    """The colleagues who could take `shift` now (`swap_check` finds nothing against them) and
    can be told so: active agents of the organisation, other than the shift's, linked to a
    user who is a member."""
    organisation = shift.schedule.organisation
    candidates = list(
        Agent.objects.filter(
            organisation=organisation,
            active=True,
            user__is_active=True,
            user__memberships__organisation=organisation,
        )
        .exclude(pk=shift.agent_id)
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    problems = _swap_problems(shift=shift, takers=candidates)
    return [agent for agent in candidates if not problems[agent.pk]]


def _swap_notify(swap: ShiftSwap, kind: str, agents: Sequence[Agent | None], **params: Any) -> None:
    organisation = swap.shift.schedule.organisation
    notify(
        kind=kind,
        recipients=_agent_users(organisation, [a.pk for a in agents if a is not None]),
        organisation=organisation,
        params={"day": _local_day(swap.shift.start, organisation), **params},
        url=_my_shifts_url(organisation),
    )


@transaction.atomic
def swap_offer(*, shift: ScheduledShift, agent: Agent) -> ShiftSwap:
    if shift.agent_id != agent.pk:
        raise ScheduleError(_("Only the agent on a shift can offer it."))
    if shift.schedule.published_at is None:
        raise ScheduleError(_("Only shifts of a published schedule can be offered."))
    if shift.start <= timezone.now():
        raise ScheduleError(_("The shift has already started."))
    if shift.swaps.filter(state__in=[ShiftSwap.State.OFFERED, ShiftSwap.State.TAKEN]).exists():
        raise ScheduleError(_("This shift is already offered."))
    swap = ShiftSwap.objects.create(shift=shift, offered_by=agent)
    # Offered to anyone: told are the colleagues who could take it as the schedule stands.
    _swap_notify(swap, "swap_offered", swap_takers(shift=shift), name=str(agent))
    return swap


@transaction.atomic
def swap_withdraw(*, swap: ShiftSwap, agent: Agent) -> ShiftSwap:
    if swap.offered_by_id != agent.pk or swap.state not in (
        ShiftSwap.State.OFFERED,
        ShiftSwap.State.TAKEN,
    ):
        raise ScheduleError(_("This offer cannot be withdrawn."))
    swap.state = ShiftSwap.State.WITHDRAWN
    swap.save(update_fields=["state"])
    return swap


@transaction.atomic
def swap_take(*, swap: ShiftSwap, agent: Agent) -> ShiftSwap:
    """A colleague takes an offered shift; the rules are checked now and again at approval."""
    if swap.state != ShiftSwap.State.OFFERED:
        raise ScheduleError(_("This shift is no longer on offer."))
    if agent.pk == swap.offered_by_id:
        raise ScheduleError(_("You cannot take your own shift."))
    problems = swap_check(shift=swap.shift, taker=agent)
    if problems:
        raise ScheduleError(_("You cannot take this shift: %(why)s") % {"why": " ".join(problems)})
    swap.taken_by = agent
    swap.state = ShiftSwap.State.TAKEN
    swap.save(update_fields=["taken_by", "state"])
    _swap_notify(swap, "swap_taken", [swap.offered_by], name=str(agent))
    return swap


@transaction.atomic
def swap_decide(*, swap: ShiftSwap, approve: bool, decided_by: Any, reason: str = "") -> ShiftSwap:
    """A manager approves (the shift changes hands if no rule breaks) or rejects the swap."""
    if swap.state != ShiftSwap.State.TAKEN or swap.taken_by is None:
        raise ScheduleError(_("This swap is not waiting for approval."))
    swap.decided_by = decided_by
    swap.decided_at = timezone.now()
    if approve:
        problems = swap_check(shift=swap.shift, taker=swap.taken_by)
        if problems:
            swap.state = ShiftSwap.State.REJECTED
            swap.reason = " ".join(problems)
        else:
            shift = swap.shift
            shift.agent = swap.taken_by
            shift.edited = True
            shift.save(update_fields=["agent", "edited"])
            _touch(shift.schedule)
            swap.state = ShiftSwap.State.APPROVED
    else:
        swap.state = ShiftSwap.State.REJECTED
        swap.reason = reason or _("Rejected by a manager.")
    swap.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    approved = swap.state == ShiftSwap.State.APPROVED
    _swap_notify(
        swap, "swap_approved" if approved else "swap_declined", [swap.offered_by, swap.taken_by]
    )
    return swap


# --- the coming week's staffing -----------------------------------------------------------------

#: How far ahead the staffing check looks: the rest of today and this many days after it.
STAFFING_DAYS_AHEAD = 6


@transaction.atomic
def staffing_shortfall_check(*, organisation: Organisation, now: dt.datetime) -> int:
    """Tell the managers and owners (`staffing_short`) when the published schedules leave an
    interval from `now` to the end of the organisation's sixth day after today short of its
    requirement (coverage as the schedule page evaluates it), and that interval was not short at
    the previous check. Returns how many intervals are newly short (0: nobody was told).

    The short intervals are stored (`StaffingAlert`), so running it again tells nothing new; an
    interval short, then covered, then short again is told again. The window ends at local
    midnight, so it grows by a whole day once a day rather than interval by interval."""
    tz = organisation.tzinfo
    today = now.astimezone(tz).date()
    end = dt.datetime.combine(
        today + dt.timedelta(days=STAFFING_DAYS_AHEAD + 1), dt.time(0), tzinfo=tz
    )
    short: dict[str, tuple[dt.datetime, Schedule]] = {}
    published = (
        Schedule.objects.filter(
            organisation=organisation,
            published_at__isnull=False,
            week_start__gt=today - dt.timedelta(days=7),
            week_start__lt=end.date(),
        )
        .select_related("organisation")
        .order_by("week_start")
    )
    for schedule in published:
        state = schedule_evaluate(schedule)
        for shortfall in state.evaluation.shortfalls:
            if now <= shortfall.start + dt.timedelta(minutes=schedule.interval_minutes) and (
                shortfall.start < end
            ):
                key = f"{shortfall.start.astimezone(dt.UTC).isoformat()} {shortfall.skill}"
                short[key] = (shortfall.start, schedule)
    alert, _created = StaffingAlert.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    new = sorted((short[key] for key in set(short) - set(alert.intervals)), key=lambda s: s[0])
    alert.intervals = sorted(short)
    alert.checked_at = now
    alert.save(update_fields=["intervals", "checked_at"])
    if new:
        first, schedule = new[0]
        notify(
            kind="staffing_short",
            recipients=managers_of(organisation),
            organisation=organisation,
            params={"start": first.astimezone(tz).isoformat(), "intervals": len(new)},
            url=reverse("scheduling:schedule_detail", args=[organisation.slug, schedule.pk]),
        )
    return len(new)
