"""Sending the digests (once per person, organisation and period) and the other periodic
checks the worker's clock runs."""

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goaldesk.accounts.mail import absolute, localised_email
from goaldesk.accounts.models import Organisation, today_in
from goaldesk.core.display import duration, ldate, lnum
from goaldesk.goals.alerts import goal_alerts_check, level_alert_check
from goaldesk.goals.services import goals_close_due
from goaldesk.goals.wording import LEVEL_NAMES, STATUS_NAMES, format_value
from goaldesk.metrics.catalogue import metric
from goaldesk.metrics.views import comparison, display_pair
from goaldesk.notifications.kinds import DIGEST
from goaldesk.notifications.models import DigestFrequency
from goaldesk.reports.models import DigestDelivery, PeriodicRun
from goaldesk.reports.selectors import (
    DigestData,
    DueDigest,
    digest_data,
    digests_due,
    level_rank,
    page_urls,
    sees_staffing,
)
from goaldesk.scheduling.selectors import skill_label
from goaldesk.scheduling.services import staffing_shortfall_check

logger = logging.getLogger("goaldesk.reports")


@dataclass(frozen=True)
class DigestOutcome:
    """What happened to one due digest: "sent", "would send" (dry run), "taken" (another
    process sent it) or "failed"."""

    organisation: str
    user_id: int
    email: str
    frequency: str
    period_start: dt.date
    period_end: dt.date
    result: str


# --- the e-mail --------------------------------------------------------------------------------


def _period_text(data: DigestData) -> str:
    if data.period_start == data.period_end:
        return ldate(data.period_start)
    return _("%(first)s – %(last)s") % {
        "first": ldate(data.period_start),
        "last": ldate(data.period_end),
    }


def _figure_rows(data: DigestData) -> list[dict[str, str]]:
    rows = []
    too_little = _("too little data to judge")
    for figure in data.figures:
        entry = metric(figure.key)
        now, before = display_pair(entry, figure.value, figure.previous)
        change = comparison(entry, figure.value, figure.previous)
        if not figure.enough:
            now, change = too_little, {"text": "", "tone": ""}
        if not figure.enough_before:
            before, change = too_little, {"text": "", "tone": ""}
        rows.append(
            {
                "name": str(entry.name),
                "value": now,
                "previous": before,
                "change": change["text"],
                "tone": change["tone"],
            }
        )
    return rows


def _goal_rows(data: DigestData, urls: dict[str, str]) -> list[dict[str, str]]:
    from django.urls import reverse

    rows = []
    for state in data.goals:
        goal = state.goal
        rows.append(
            {
                "title": goal.title,
                "status": str(STATUS_NAMES.get(state.status, state.status)),
                "current": format_value(goal.metric_key, state.current, goal.value_unit),
                "target": format_value(goal.metric_key, goal.target, goal.value_unit),
                "projection": format_value(goal.metric_key, state.projection, goal.value_unit),
                "deadline": ldate(goal.deadline),
                "url": absolute(reverse("goals:detail", args=[data.organisation.slug, goal.pk])),
            }
        )
    return rows


def _level(data: DigestData) -> dict[str, str]:
    now, before = level_rank(data.level), level_rank(data.level_before)
    if now is None or before is None:
        moved = ""
    elif now > before:
        moved = "up"
    elif now < before:
        moved = "down"
    else:
        moved = "same"
    return {
        "name": str(LEVEL_NAMES[data.level]) if data.level else "",
        "before": str(LEVEL_NAMES[data.level_before]) if data.level_before else "",
        "moved": moved,
    }


def _shortfall_rows(data: DigestData) -> list[dict[str, str]]:
    return [
        {
            "day": ldate(day),
            "skill": str(skill_label(skill)),
            "intervals": lnum(intervals),
            "short": lnum(short),
            "hours": duration(agent_hours * 3600),
        }
        for day, skill, intervals, short, agent_hours in data.shortfalls
    ]


def _subject(data: DigestData) -> Callable[[], str]:
    def subject() -> str:
        titles: dict[str, str] = {
            DigestFrequency.DAILY: _("GoalDesk daily digest: %(organisation)s, %(period)s"),
            DigestFrequency.WEEKLY: _("GoalDesk weekly digest: %(organisation)s, %(period)s"),
            DigestFrequency.MONTHLY: _("GoalDesk monthly digest: %(organisation)s, %(period)s"),
        }
        return titles[data.frequency] % {
            "organisation": data.organisation.name,
            "period": _period_text(data),
        }

    return subject


def _urls(data: DigestData) -> dict[str, str]:
    """The digest's page links, made once per digest data (they are the same for all)."""
    if data.urls is None:
        data.urls = {
            key: absolute(path) for key, path in page_urls(data.organisation, data).items()
        }
    return data.urls


def digest_email(*, user: Any, role: str, data: DigestData) -> EmailMultiAlternatives:
    """The digest of `data` for `user` (with `role` in the organisation), in their language,
    calendar and digits: the figures, goals and level for every role, staffing for managers
    and owners."""
    urls = _urls(data)
    staffing = sees_staffing(role)
    return localised_email(
        user=user,
        organisation=data.organisation,
        subject=_subject(data),
        template="reports/email/digest",
        context={
            "period": lambda: _period_text(data),
            "figures": lambda: _figure_rows(data),
            "goals": lambda: _goal_rows(data, urls),
            "level": lambda: _level(data),
            "staffing": staffing,
            "staffing_known": data.staffing_known,
            "shortfalls": (lambda: _shortfall_rows(data)) if staffing else [],
            "urls": urls,
        },
        unsubscribe_kind=DIGEST,
    )


# --- sending -----------------------------------------------------------------------------------


def _claim(due: DueDigest) -> DigestDelivery | None:
    """Write the digest's row (its idempotency key) in its own transaction; None when
    another process wrote it first."""
    try:
        with transaction.atomic():
            return DigestDelivery.objects.create(
                user=due.membership.user,
                organisation=due.membership.organisation,
                frequency=due.frequency,
                period_start=due.period_start,
                period_end=due.period_end,
            )
    except IntegrityError:
        return None


def digests_send(
    *,
    organisation: Organisation | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[DigestOutcome], None] | None = None,
) -> list[DigestOutcome]:
    """Send every digest due for its last complete period and not sent yet (of `organisation`,
    or of every organisation). Each is claimed by writing its DigestDelivery row first, so of
    several processes running at once exactly one sends it; a failed send removes the row so
    a later run tries again. With `dry_run`, only lists them. Returns one outcome per digest."""
    organisations = [organisation] if organisation else list(Organisation.objects.order_by("slug"))
    outcomes: list[DigestOutcome] = []
    connection = None if dry_run else get_connection()
    try:
        for org in organisations:
            due_list = digests_due(organisation=org, today=today or today_in(org))
            cache: dict[tuple[str, dt.date], DigestData] = {}
            for due in due_list:
                user = due.membership.user
                outcome = DigestOutcome(
                    organisation=org.slug,
                    user_id=user.pk,
                    email=user.email,
                    frequency=due.frequency,
                    period_start=due.period_start,
                    period_end=due.period_end,
                    result="would send",
                )
                if not dry_run:
                    outcome = _send_one(due, org, cache, connection, now, outcome)
                outcomes.append(outcome)
                if progress is not None:
                    progress(outcome)
    finally:
        if connection is not None:
            connection.close()
    return outcomes


def _send_one(
    due: DueDigest,
    organisation: Organisation,
    cache: dict[tuple[str, dt.date], DigestData],
    connection: Any,
    now: dt.datetime | None,
    outcome: DigestOutcome,
) -> DigestOutcome:
    from dataclasses import replace

    delivery = _claim(due)
    if delivery is None:
        return replace(outcome, result="taken")
    try:
        key = (due.frequency, due.period_start)
        if key not in cache:
            cache[key] = digest_data(
                organisation=organisation,
                frequency=due.frequency,
                period_start=due.period_start,
                period_end=due.period_end,
                now=now,
            )
        message = digest_email(user=due.membership.user, role=due.membership.role, data=cache[key])
        connection.send_messages([message])
    except Exception:
        # Not sent: free the key so that the next run tries again.
        DigestDelivery.objects.filter(pk=delivery.pk).delete()
        logger.exception("The digest to user %s could not be sent.", due.membership.user_id)
        return replace(outcome, result="failed")
    return replace(outcome, result="sent")


# --- the clock's jobs --------------------------------------------------------------------------


def digests_send_due() -> int:
    """The clock's digest job: send what is due. Returns the number sent."""
    return sum(1 for outcome in digests_send() if outcome.result == "sent")


def periodic_slot_claim(*, name: str, every_seconds: float, now: float | None = None) -> bool:
    """Claim the current time slot of the job `name` (slots of `every_seconds`): True for the
    one process that writes its PeriodicRun row first, False for every other."""
    moment = time.time() if now is None else now
    slot = int(moment // every_seconds)
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name, slot=slot)
    except IntegrityError:
        return False
    return True


def goals_close_all() -> int:
    """Close every organisation's goals past their deadline (the old goals digest's first
    step), once per slot whatever the number of workers. Returns how many were closed."""
    from goaldesk.reports.apps import CHECKS_EVERY_SECONDS

    if not periodic_slot_claim(name="goals-close-due", every_seconds=CHECKS_EVERY_SECONDS):
        return 0
    return sum(goals_close_due(organisation=org) for org in Organisation.objects.all())


def alerts_run() -> None:
    """The periodic alert checks, once per slot whatever the number of workers: goals newly
    behind or projected to miss, the level of service changed, the coming week's staffing
    short. Each check tells people only of what changed since it last told them."""
    from goaldesk.reports.apps import CHECKS_EVERY_SECONDS

    if not periodic_slot_claim(name="alerts", every_seconds=CHECKS_EVERY_SECONDS):
        return
    now = timezone.now()
    for organisation in Organisation.objects.all():
        today = today_in(organisation)
        try:
            goal_alerts_check(organisation=organisation, today=today)
            level_alert_check(organisation=organisation, today=today)
            staffing_shortfall_check(organisation=organisation, now=now)
        except Exception:
            # One organisation's failure must not stop the others' alerts; it is logged.
            logger.exception("alert checks failed for %s", organisation.slug)
