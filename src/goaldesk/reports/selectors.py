"""What a digest says: its period, the figures with their change, the goals, the service level
and the coming week's staffing, read once per organisation and period (`digest_data`) and
written for each reader (`digest_context`)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.engine.calendars import month_bounds
from goaldesk.engine.smart import SmartThresholds
from goaldesk.goals.selectors import (
    active_goals,
    level_for_period,
    metric_sample,
    progress_for,
)
from goaldesk.metrics.catalogue import metric
from goaldesk.metrics.selectors import kpis_for_periods
from goaldesk.metrics.views import CARD_KEYS
from goaldesk.notifications.models import DigestFrequency, DigestSetting
from goaldesk.notifications.selectors import digest_default_for
from goaldesk.reports.models import DigestDelivery
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.selectors import schedule_evaluate

#: The figures of a digest: the dashboard's cards, in their order.
DIGEST_KEYS = CARD_KEYS
#: Units whose value is an estimate from a sample (answers, timed contacts): below the
#: minimum sample (the SMART check's, `SmartThresholds.min_sample`) a digest says "too little
#: data to judge". Counts and per-day rates are exact and always shown.
SAMPLED_UNITS = ("percent", "score", "seconds")
#: Roles that see the coming week's staffing (they plan it).
STAFFING_ROLES = (Role.MANAGER, Role.OWNER)
#: Days ahead the staffing shortfall looks at.
STAFFING_DAYS = 7


# --- who gets what -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDigest:
    """A digest that should be sent and has not been."""

    membership: Membership
    frequency: str
    period_start: dt.date
    period_end: dt.date


def period_bounds(
    frequency: str, organisation: Organisation, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The last complete period before `today` (a day in the organisation's time zone): the
    day before, the last whole week by the organisation's first weekday, or the last whole
    month of its calendar (a Jalali or Hijri month where it uses one). Returns (first, last)."""
    if frequency == DigestFrequency.DAILY:
        day = today - dt.timedelta(days=1)
        return day, day
    if frequency == DigestFrequency.WEEKLY:
        this_week = today - dt.timedelta(days=(today.isoweekday() - organisation.week_start) % 7)
        return this_week - dt.timedelta(days=7), this_week - dt.timedelta(days=1)
    if frequency == DigestFrequency.MONTHLY:
        this_month, _last = month_bounds(today, organisation.calendar)
        last = this_month - dt.timedelta(days=1)
        return month_bounds(last, organisation.calendar)[0], last
    raise ValueError(f"no period for the frequency {frequency!r}")


def period_before(
    frequency: str, organisation: Organisation, first: dt.date
) -> tuple[dt.date, dt.date]:
    """The period of the same kind just before the one starting on `first`."""
    return period_bounds(frequency, organisation, first)


def digests_due(*, organisation: Organisation, today: dt.date | None = None) -> list[DueDigest]:
    """Every digest of the organisation due for its last complete period and not yet sent,
    to active members with an e-mail address, by person."""
    from goaldesk.accounts.models import today_in

    today = today or today_in(organisation)
    members = (
        Membership.objects.filter(organisation=organisation, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    settings = {
        s.user_id: s.frequency
        for s in DigestSetting.objects.filter(user__in=[m.user_id for m in members])
    }
    wanted: list[DueDigest] = []
    for membership in members:
        # notifications' digest_frequency_for, with the settings read above in one query.
        frequency = settings.get(membership.user_id) or digest_default_for(membership.role)
        if frequency == DigestFrequency.NONE:
            continue
        first, last = period_bounds(frequency, organisation, today)
        wanted.append(DueDigest(membership, frequency, first, last))
    if not wanted:
        return []
    # At most one period per frequency: read the organisation's rows of those periods at once.
    sent = set(
        DigestDelivery.objects.filter(
            organisation=organisation,
            period_start__in={due.period_start for due in wanted},
            frequency__in={due.frequency for due in wanted},
        ).values_list("user_id", "frequency", "period_start")
    )
    return [
        due
        for due in wanted
        if (due.membership.user_id, due.frequency, due.period_start) not in sent
    ]


# --- what a digest says -----------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    value: Any
    previous: Any
    #: False when the value rests on fewer observations than the minimum sample.
    enough: bool
    enough_before: bool


@dataclass
class GoalState:
    goal: Any
    status: str
    current: float | None
    projection: float | None


@dataclass
class DigestData:
    """An organisation's digest for one period, the same for every reader (each sees a part)."""

    organisation: Organisation
    frequency: str
    period_start: dt.date
    period_end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    figures: list[Figure]
    goals: list[GoalState]
    level: str | None
    level_before: str | None
    #: (local day, skill, intervals short, most agents short in one, agent-hours short).
    shortfalls: list[tuple[dt.date, str, int, int, float]] = field(default_factory=list)
    #: False when no published schedule covers the coming week.
    staffing_known: bool = False
    #: The pages' full addresses, made once (services._urls).
    urls: dict[str, str] | None = None


def _enough(organisation: Organisation, key: str, first: dt.date, last: dt.date) -> bool:
    entry = metric(key)
    if entry.unit not in SAMPLED_UNITS:
        return True
    minimum = SmartThresholds().min_sample(key, entry.unit)
    sample = metric_sample(organisation=organisation, metric_key=key, date_from=first, date_to=last)
    return sample >= minimum


def digest_figures(
    *,
    organisation: Organisation,
    period: tuple[dt.date, dt.date],
    previous: tuple[dt.date, dt.date],
) -> list[Figure]:
    """The dashboard's card figures of `period` and `previous`, read as the dashboard reads
    them (`kpis_for_periods`), each marked with whether its sample is big enough."""
    current, before = kpis_for_periods(
        organisation=organisation, periods=[period, previous], keys=list(DIGEST_KEYS)
    ).periods
    return [
        Figure(
            key=key,
            value=current[key],
            previous=before[key],
            enough=_enough(organisation, key, *period),
            enough_before=_enough(organisation, key, *previous),
        )
        for key in DIGEST_KEYS
    ]


def staffing_shortfalls(
    *, organisation: Organisation, now: dt.datetime | None = None
) -> tuple[bool, list[tuple[dt.date, str, int, int, float]]]:
    """The published schedules' short intervals in the next STAFFING_DAYS days, by local day
    and skill. Returns (whether a published schedule covers any of those days, the rows)."""
    now = now or timezone.now()
    tz = organisation.tzinfo
    today = now.astimezone(tz).date()
    horizon = now + dt.timedelta(days=STAFFING_DAYS)
    schedules = Schedule.objects.filter(
        organisation=organisation,
        published_at__isnull=False,
        week_start__gt=today - dt.timedelta(days=7),
        week_start__lte=today + dt.timedelta(days=STAFFING_DAYS),
    ).order_by("week_start")
    rows: dict[tuple[dt.date, str], list[Any]] = {}
    known = False
    for schedule in schedules:
        known = True
        state = schedule_evaluate(schedule)
        minutes = state.requirements[0].interval_minutes if state.requirements else 30
        for short in state.evaluation.shortfalls:
            if not now <= short.start < horizon:
                continue
            key = (short.start.astimezone(tz).date(), short.skill)
            row = rows.setdefault(key, [0, 0, 0.0])
            row[0] += 1
            row[1] = max(row[1], short.short_by)
            row[2] += short.short_by * minutes / 60
    return known, [(day, skill, *values) for (day, skill), values in sorted(rows.items())]


def digest_data(
    *,
    organisation: Organisation,
    frequency: str,
    period_start: dt.date,
    period_end: dt.date,
    now: dt.datetime | None = None,
) -> DigestData:
    """Everything a digest of this organisation and period says, read once."""
    previous = period_before(frequency, organisation, period_start)
    figures = digest_figures(
        organisation=organisation, period=(period_start, period_end), previous=previous
    )
    goals = []
    for goal in active_goals(organisation=organisation).prefetch_related("milestones"):
        progress = progress_for(goal, full=False)  # as the goals page shows it today
        report = progress.report
        goals.append(
            GoalState(
                goal=goal,
                status=progress.status,
                current=report.current_value if report else None,
                projection=report.projection if report else None,
            )
        )
    level, _measured = level_for_period(
        organisation=organisation, date_from=period_start, date_to=period_end
    )
    level_before, _measured = level_for_period(
        organisation=organisation, date_from=previous[0], date_to=previous[1]
    )
    known, shortfalls = staffing_shortfalls(organisation=organisation, now=now)
    return DigestData(
        organisation=organisation,
        frequency=frequency,
        period_start=period_start,
        period_end=period_end,
        previous_start=previous[0],
        previous_end=previous[1],
        figures=figures,
        goals=goals,
        level=level.level,
        level_before=level_before.level,
        shortfalls=shortfalls,
        staffing_known=known,
    )


def sees_staffing(role: str) -> bool:
    return role in STAFFING_ROLES


def page_urls(organisation: Organisation, data: DigestData) -> dict[str, str]:
    """Paths of the pages a digest links to (the dashboard on the digest's period)."""
    slug = organisation.slug
    query = f"?from={data.period_start.isoformat()}&to={data.period_end.isoformat()}"
    return {
        "dashboard": reverse("metrics:dashboard", args=[slug]) + query,
        "goals": reverse("goals:list", args=[slug]),
        "level": reverse("goals:level", args=[slug]) + query,
        "schedule": reverse("scheduling:schedule_home", args=[slug]),
    }


def level_rank(level: str | None) -> int | None:
    from goaldesk.goals.wording import LEVEL_NAMES

    return list(LEVEL_NAMES).index(level) if level in LEVEL_NAMES else None
