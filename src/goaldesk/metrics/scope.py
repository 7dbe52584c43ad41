"""The period and filters of a page or an API call, read from its query string.

The dashboard, the drill-down list, the goals panel and the breakdowns share one reading, so a
link keeps its meaning from page to page. A period longer than the settings allow
(GOALDESK_MAX_DAYS_BY_DAY for anything shown day by day, GOALDESK_MAX_DAYS_TOTAL otherwise) is
refused before any query, here and in the API and the command line (`span_problem`), so no
request holds a worker for long.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.core.display import digits, display_calendar, display_week_start
from goaldesk.core.parsing import ArgumentProblem, parse_day
from goaldesk.engine import GREGORIAN, add_months, month_bounds
from goaldesk.interactions.selectors import FILTER_NAMES, FilterError, resolve_filters

PERIODS = (
    ("today", gettext_lazy("Today")),
    ("7", gettext_lazy("Last 7 days")),
    ("30", gettext_lazy("Last 30 days")),
    ("90", gettext_lazy("Last 90 days")),
    ("week", gettext_lazy("This week")),
    ("month", gettext_lazy("This month")),
    ("last_month", gettext_lazy("Last month")),
    ("custom", gettext_lazy("Custom")),
)
DEFAULT_PERIOD = "30"


@dataclass
class Scope:
    """The period and filters of a page, read from its query string."""

    period: str
    date_from: dt.date
    date_to: dt.date
    filters: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: The calendar whose months "this month" and "last month" are.
    calendar: str = GREGORIAN

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        """The period this one is compared with: for a month, the month before it up to the
        same day of the month (1–11 Azar against 1–11 Aban; the whole month when this one is
        whole or longer); otherwise the period of the same length just before this one."""
        if self.period in ("month", "last_month"):
            first = add_months(self.date_from, -1, self.calendar)
            _first, month_end = month_bounds(first, self.calendar)
            return first, min(first + dt.timedelta(days=self.days - 1), month_end)
        last = self.date_from - dt.timedelta(days=1)
        return last - dt.timedelta(days=self.days - 1), last

    def query(self, **extra: Any) -> str:
        """This scope as a query string (explicit dates, so links stay true tomorrow)."""
        params: dict[str, Any] = {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
        }
        params.update({k: v for k, v in self.filters.items() if v})
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(params)


def span_problem(date_from: dt.date, date_to: dt.date, *, by_day: bool) -> str | None:
    """The message refusing the period `date_from`..`date_to` when it is longer than a metric
    request may be (shown `by_day`, or in total); None when it is short enough."""
    limit = settings.GOALDESK_MAX_DAYS_BY_DAY if by_day else settings.GOALDESK_MAX_DAYS_TOTAL
    days = (date_to - date_from).days + 1
    if days <= limit:
        return None
    if by_day:
        message = _(
            "The period has %(days)s days; day by day GoalDesk shows at most %(limit)s days. "
            "Choose a shorter period."
        )
    else:
        message = _(
            "The period has %(days)s days; GoalDesk measures at most %(limit)s days at once. "
            "Choose a shorter period."
        )
    return message % {"days": digits(days), "limit": digits(limit)}


def scope_from_query(
    query: QueryDict, organisation: Organisation, *, by_day: bool = False
) -> Scope:
    """The period (preset or from/to, in any digits and the reader's calendar) and the filters
    of a request; unusable values are reported in `problems` and left out.

    Months are the reader's calendar's (a Jalali month for a Jalali reader), weeks start on the
    organisation's first day of the week.

    A custom period outside 1900–2100, or longer than `span_problem` allows (`by_day`: the page
    shows it day by day), is reported and replaced by the default period."""
    today = today_in(organisation)
    problems: list[str] = []
    period = query.get("period") or ("custom" if query.get("from") else DEFAULT_PERIOD)
    if period not in dict(PERIODS):
        problems.append(
            _("Unknown period “%(value)s”; showing the last 30 days.") % {"value": period}
        )
        period = DEFAULT_PERIOD
    date_from = date_to = today
    if period == "custom":
        try:
            date_from = parse_day(query.get("from") or "", option=_("From"))
            date_to = parse_day(query.get("to") or query.get("from") or "", option=_("To"))
            if date_to < date_from:
                raise ArgumentProblem(_("The end of the period is before its start."))
            too_long = span_problem(date_from, date_to, by_day=by_day)
            if too_long:
                raise ArgumentProblem(too_long)
        except ArgumentProblem as problem:
            problems.append(str(problem))
            period = DEFAULT_PERIOD
            date_from = date_to = today  # the default period, whatever was read before
    calendar = display_calendar.get()
    if period == "month":
        date_from = month_bounds(today, calendar)[0]
    elif period == "last_month":
        date_from = add_months(today, -1, calendar)
        date_to = month_bounds(date_from, calendar)[1]
    elif period == "week":
        date_from = today - dt.timedelta(days=(today.isoweekday() - display_week_start.get()) % 7)
    elif period in ("7", "30", "90"):
        date_from = today - dt.timedelta(days=int(period) - 1)
    filters = {name: query.get(name, "").strip() for name in FILTER_NAMES}
    filters = {k: v for k, v in filters.items() if v}
    try:
        resolve_filters(organisation=organisation, filters=filters)
    except FilterError as problem:
        problems.append(str(problem))
        filters = {}
    return Scope(period, date_from, date_to, filters, problems, calendar)
