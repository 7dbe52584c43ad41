"""The period and filters of a page or an API call, read from its query string.

The dashboard, the drill-down list, the goals panel and the breakdowns share one reading, so a
link keeps its meaning from page to page.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.core.parsing import ArgumentProblem, parse_day
from goaldesk.metrics.selectors import FILTER_NAMES, FilterError, resolve_filters

PERIODS = (
    ("today", gettext_lazy("Today")),
    ("7", gettext_lazy("Last 7 days")),
    ("30", gettext_lazy("Last 30 days")),
    ("90", gettext_lazy("Last 90 days")),
    ("month", gettext_lazy("This month")),
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

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def previous(self) -> tuple[dt.date, dt.date]:
        """The period of the same length just before this one."""
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


def scope_from_query(query: QueryDict, organisation: Organisation) -> Scope:
    """The period (preset or from/to, in any digits, Jalali when the year is before 1700) and
    the filters of a request; unusable values are reported in `problems` and left out."""
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
        except ArgumentProblem as problem:
            problems.append(str(problem))
            period = DEFAULT_PERIOD
    if period == "month":
        date_from = today.replace(day=1)
    elif period in ("7", "30", "90"):
        date_from = today - dt.timedelta(days=int(period) - 1)
    filters = {name: query.get(name, "").strip() for name in FILTER_NAMES}
    filters = {k: v for k, v in filters.items() if v}
    try:
        resolve_filters(organisation=organisation, filters=filters)
    except FilterError as problem:
        problems.append(str(problem))
        filters = {}
    return Scope(period, date_from, date_to, filters, problems)
