"""Every metric of the catalogue, computed by the database for a period, a scope and a grouping.

The definitions are METRICS.md's (docs/metrics.md states them for users). Counts, sums and
means are SQL aggregates over one scan of the period's interactions; a duration metric's
mean, median and p90 come from its values, fetched once, with the engine's statistics;
first-contact resolution compares each interaction's stored `next_contact_at` (the same
customer's next interaction in the same category, kept by interactions.services) with its
created_at, so it is one more conditional count in the same scan (bench/kpis.py compares it
with a window function and a correlated EXISTS, which find the later contacts at query time).
"""

import datetime as dt
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from django.db import connection, connections
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.interactions.models import Channel, Interaction, Review
from goaldesk.metrics.catalogue import CATALOGUE, KEYS, metric
from goaldesk.team.models import Agent, Team

#: A customer who comes back about the same category within this many hours was not helped
#: on first contact.
FCR_WINDOW_HOURS = 168
#: How repeat contacts are found: "column" (the stored next_contact_at: a plain aggregate),
#: "window" (one window function over the period; only when no channel, team or agent filter
#: is set), "exists" (a correlated EXISTS per candidate on the (organisation, customer,
#: category, created_at) index), or "auto": the column.
FCR_STRATEGY = "auto"
#: Run a period's aggregate queries and its duration fetch on two connections at once.
PARALLEL = True
FILTER_NAMES = ("channel", "team", "agent", "category")
GROUPINGS = ("channel", "agent", "team", "category", "day")
DURATION_KEYS = tuple(m.key for m in CATALOGUE if m.is_duration)
REVIEW_KEYS = tuple(m.key for m in CATALOGUE if m.source == "reviews")

_GROUP_FIELD = {
    "channel": "channel",
    "agent": "agent_id",
    "team": "team_id",
    "category": "category",
    "day": "local_date",
}


A = TypeVar("A")
B = TypeVar("B")


class FilterError(ValueError):
    """A filter value that names nothing in the organisation (message is translated)."""


# --- scope --------------------------------------------------------------------------------


def resolve_filters(*, organisation: Organisation, filters: Mapping[str, Any] | None) -> Q:
    """The filters (channel, team name or id, agent key or id, category) as one Q.

    Raises FilterError naming the filter and the value when a channel, team or agent is unknown.
    """
    q = Q()
    for name, raw in (filters or {}).items():
        if raw in (None, ""):
            continue
        if name not in FILTER_NAMES:
            raise FilterError(_("Unknown filter “%(name)s”.") % {"name": name})
        value = str(raw).strip()
        if name == "channel":
            if value not in Channel.values:
                raise FilterError(
                    _("Unknown channel “%(value)s”; use one of: %(choices)s.")
                    % {"value": value, "choices": ", ".join(Channel.values)}
                )
            q &= Q(channel=value)
        elif name == "category":
            q &= Q(category=value)
        else:
            model, key_field = (Team, "name") if name == "team" else (Agent, "key")
            match = Q(**{key_field: value})
            if value.isdigit():
                match |= Q(pk=int(value))
            ids = list(
                model.objects.filter(match, organisation=organisation).values_list("pk", flat=True)
            )
            if not ids:
                message = (
                    _("No team “%(value)s” in this organisation.")
                    if name == "team"
                    else _("No agent “%(value)s” in this organisation.")
                )
                raise FilterError(message % {"value": value})
            q &= Q(**{f"{name}_id__in": ids})
    return q


def interactions_in_period(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, Any] | None = None,
) -> QuerySet[Interaction]:
    """The organisation's interactions whose day (local_date) is in [date_from, date_to]."""
    return Interaction.objects.filter(
        resolve_filters(organisation=organisation, filters=filters),
        organisation=organisation,
        local_date__range=(date_from, date_to),
    )


# --- SQL helpers --------------------------------------------------------------------------


class PlusHours(Func):
    """A datetime expression shifted by a fixed number of hours, on SQLite and PostgreSQL."""

    output_field = DateTimeField()

    def __init__(self, expression: Any, hours: int) -> None:
        super().__init__(expression)
        self.hours = int(hours)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC, so text comparison orders it.
        # SQLite's date functions round to milliseconds: shift the whole seconds and keep the
        # stored fraction as it is, so the result has the same shape and is exact.
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return sqlite_plus_hours(sql, self.hours), [*params, *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"(%(expressions)s + interval '{self.hours} hours')",
            **extra,
        )


class DayNumber(Func):
    """A date column as its proleptic Gregorian ordinal (Python's date.toordinal()), a plain
    integer on every database: reading it is cheaper than reading a date."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday('0001-01-01') is 1721425.5, the ordinal 1.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 1721424.5 AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((%(expressions)s - DATE '0001-01-01') + 1)", **extra
        )


def sqlite_plus_hours(sql: str, hours: int) -> str:
    """SQL text (for SQLite) of the stored datetime `sql` shifted by whole `hours`, exactly.

    The % signs are doubled: Django's SQLite cursor treats the SQL as a %-format string.
    """
    return (
        f"(strftime('%%Y-%%m-%%d %%H:%%M:%%S', substr({sql}, 1, 19), '+{int(hours)} hours')"
        f" || substr({sql}, 20))"
    )


def _fetch(queryset: QuerySet) -> list[tuple]:
    """Rows of a values_list queryset through the raw cursor (no per-row ORM overhead)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """first() and second() at the same time: second in a thread with its own database
    connection (SQLite and psycopg let other threads run while the database works), so two
    scans of a period use both cores. Inside a transaction another connection would not see
    its rows, so there (and with PARALLEL off) they run one after the other."""
    if not PARALLEL or connection.in_atomic_block:
        return first(), second()
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = second()
        except BaseException as error:  # handed to the calling thread
            box["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="kpis")
    thread.start()
    try:
        value = first()
    finally:
        thread.join()
    if "error" in box:
        raise box["error"]
    return value, box["value"]


def _ratio(numerator: float | None, denominator: float | None, scale: float = 1.0) -> float | None:
    if not denominator or numerator is None:
        return None
    return scale * numerator / denominator


def _later_contact() -> Exists:
    """Whether the same customer came back about the same category within the FCR window."""
    return Exists(
        Interaction.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            customer_id=OuterRef("customer_id"),
            category=OuterRef("category"),
            created_at__gt=OuterRef("created_at"),
            created_at__lte=PlusHours(OuterRef("created_at"), FCR_WINDOW_HOURS),
        )
    )


def _fcr_counts_window(
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    *,
    category: str | None = None,
    group_field: str | None = None,
) -> dict[Any, tuple[int, int]]:
    """{group: (candidates, repeated)} for first-contact resolution in one pass.

    A window function gives every interaction with a customer the first strictly later
    contact of the same customer and category (the minimum created_at over the rows after it,
    its ties excluded), over the period and the eight days after it (168 h plus any time-zone
    offset stays within 8 local days). Only a category filter can be applied here, since a
    channel, team or agent filter must not hide the later contacts; `group_field` groups by a
    column (None: one group, keyed None).
    """
    table = Interaction._meta.db_table
    if connection.vendor == "sqlite":
        limit = sqlite_plus_hours("created_at", FCR_WINDOW_HOURS)
    else:
        limit = "created_at + interval '168 hours'"
    group = f"{group_field}" if group_field else "NULL"
    params: list[Any] = [organisation.pk, date_from, date_to + dt.timedelta(days=8)]
    outer_params: list[Any] = [date_from, date_to]
    category_sql = ""
    if category is not None:
        category_sql = " AND category = %s"
        outer_params.append(category)
    sql = f"""
        SELECT g, COUNT(*), SUM(CASE WHEN next_at <= {limit} THEN 1 ELSE 0 END)
        FROM (
            SELECT {group} AS g, local_date, status, category, created_at,
                   MIN(created_at) OVER (
                       PARTITION BY customer_id, category ORDER BY created_at
                       RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE GROUP
                   ) AS next_at
            FROM {table}
            WHERE organisation_id = %s AND customer_id <> '' AND local_date BETWEEN %s AND %s
        ) AS w
        WHERE status = 'resolved' AND local_date BETWEEN %s AND %s{category_sql}
        GROUP BY g
    """  # noqa: S608 - table and column names are ours, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params + outer_params)
        return {g: (n, repeated or 0) for g, n, repeated in cursor.fetchall()}


def _fcr_strategy(filters: Mapping[str, Any] | None, strategy: str) -> str:
    """The strategy to use: "window" only when at most a category filter is set."""
    strategy = strategy or FCR_STRATEGY
    if strategy == "auto":
        # bench/kpis.py at 1M rows: the stored column makes fcr_rate a count in the scan the
        # other metrics make anyway; the window (1.2–1.5 s) and EXISTS (0.7–1.9 s) search
        # the later contacts at query time.
        strategy = "column"
    narrowed = {k for k, v in (filters or {}).items() if v not in (None, "")}
    if strategy == "window" and not narrowed <= {"category"}:
        # A channel, team or agent filter would hide later contacts from the window.
        return "exists"
    return strategy


# --- which aggregates each metric needs ---------------------------------------------------


def _aggregates(
    keys: Iterable[str], *, answer_target_seconds: float, fcr_column: bool = True
) -> dict[str, Any]:
    """SQL aggregates (name → expression) for the scalar parts of `keys` (fcr_rate too when
    `fcr_column`: from the stored next_contact_at).

    Every one is a count or a sum, so the rows of several days (or groups) add up: a mean is
    a sum and a count.
    """
    resolved = Q(status="resolved")
    negative = Q(sentiment_start="negative")
    live = Q(is_live=True)
    answered = live & ~Q(status="abandoned")
    wanted: dict[str, Any] = {}
    for key in keys:
        if key in ("contacts", "contacts_per_open_day"):
            wanted["contacts"] = Count("pk")
        elif key == "customers_helped_per_day":
            wanted["resolved"] = Count("pk", filter=resolved)
        elif key == "success_rate":
            wanted["success"] = Count("pk", filter=Q(outcome="success"))
            wanted["outcome_known"] = Count("pk", filter=Q(outcome__in=("success", "failure")))
        elif key in ("csat_pct", "csat_avg"):
            wanted["csat_n"] = Count("csat")
            wanted["csat_good"] = Count("pk", filter=Q(csat__gte=4))
            wanted["csat_sum"] = Sum("csat")
        elif key == "nps":
            wanted["nps_n"] = Count("nps")
            wanted["nps_promoters"] = Count("pk", filter=Q(nps__gte=9))
            wanted["nps_detractors"] = Count("pk", filter=Q(nps__lte=6))
        elif key == "ces_avg":
            wanted["ces_n"] = Count("ces")
            wanted["ces_sum"] = Sum("ces")
        elif key == "recovery_rate":
            wanted["negative"] = Count("pk", filter=negative)
            wanted["recovered"] = Count(
                "pk",
                filter=negative
                & (Q(sentiment_end="positive") | (Q(sentiment_end="") & Q(csat__gte=4))),
            )
        elif key in ("service_level", "abandon_rate"):
            wanted["live"] = Count("pk", filter=live)
            wanted["live_in_time"] = Count(
                "pk", filter=answered & Q(wait_seconds__lte=answer_target_seconds)
            )
            wanted["live_abandoned"] = Count("pk", filter=live & Q(status="abandoned"))
        elif key == "asa_seconds":
            wanted["asa_n"] = Count("wait_seconds", filter=answered)
            wanted["asa_sum"] = Sum("wait_seconds", filter=answered)
        elif key == "aht_seconds":
            wanted["aht_n"] = Count("handle_seconds")
            wanted["aht_sum"] = Sum("handle_seconds")
        elif key == "fcr_rate" and fcr_column:
            candidate = resolved & ~Q(customer_id="")
            wanted["fcr_n"] = Count("pk", filter=candidate)
            wanted["fcr_repeated"] = Count(
                "pk",
                filter=candidate
                & Q(next_contact_at__lte=PlusHours(F("created_at"), FCR_WINDOW_HOURS)),
            )
    return wanted


#: The mean metrics: key → (sum, count) aggregate names.
_MEANS = {
    "csat_avg": ("csat_sum", "csat_n"),
    "ces_avg": ("ces_sum", "ces_n"),
    "asa_seconds": ("asa_sum", "asa_n"),
    "aht_seconds": ("aht_sum", "aht_n"),
}


def _scalar_values(
    keys: Iterable[str], row: Mapping[str, Any], *, open_days: int | None
) -> dict[str, Any]:
    """Metric values from one row of aggregates (see `_aggregates`)."""
    out: dict[str, Any] = {}
    for key in keys:
        if key == "contacts":
            out[key] = row["contacts"] or 0
        elif key == "contacts_per_open_day":
            out[key] = _ratio(row["contacts"] or 0, open_days)
        elif key == "customers_helped_per_day":
            out[key] = _ratio(row["resolved"] or 0, open_days)
        elif key == "success_rate":
            out[key] = _ratio(row["success"], row["outcome_known"], 100)
        elif key == "csat_pct":
            out[key] = _ratio(row["csat_good"], row["csat_n"], 100)
        elif key in _MEANS:
            total, count = _MEANS[key]
            out[key] = _ratio(row[total], row[count])
        elif key == "nps":
            n = row["nps_n"]
            out[key] = _ratio((row["nps_promoters"] or 0) - (row["nps_detractors"] or 0), n, 100)
        elif key == "recovery_rate":
            out[key] = _ratio(row["recovered"], row["negative"], 100)
        elif key == "service_level":
            out[key] = _ratio(row["live_in_time"], row["live"], 100)
        elif key == "abandon_rate":
            out[key] = _ratio(row["live_abandoned"], row["live"], 100)
        elif key == "fcr_rate" and "fcr_n" in row:
            n = row["fcr_n"] or 0
            out[key] = _ratio(n - (row["fcr_repeated"] or 0), n, 100)
    return out


def _added(rows: Sequence[Mapping[str, Any]], names: Iterable[str]) -> dict[str, Any]:
    """Rows of aggregates added up (a name none of them has a value for stays None)."""
    out: dict[str, Any] = {}
    for name in names:
        values = [row[name] for row in rows if row.get(name) is not None]
        if not values:
            out[name] = None
        elif all(isinstance(v, int) for v in values):
            out[name] = sum(values)
        else:
            out[name] = math.fsum(values)
    return out


# --- duration values ------------------------------------------------------------------------


class _Durations:
    """The values of duration columns, read in one fetch and sorted by a group (a day, a channel,
    …), as float arrays: each group's values, or a run of groups', are one slice."""

    def __init__(
        self, rows: list[tuple], keys: Sequence[str], order: dict[Any, int] | None
    ) -> None:
        # rows: (group, *values of keys); order: group value → its sort position (new groups
        # are added in the order met), or None when the group is its own position (a day
        # number).
        self.keys = list(keys)
        table = np.empty((len(rows), len(keys) + 1))
        if rows:
            if order is None:
                table = np.array(rows, dtype=float)  # None becomes NaN
            else:
                table[:, 0] = [order.setdefault(row[0], len(order)) for row in rows]
                table[:, 1:] = np.array([row[1:] for row in rows], dtype=float)
        codes = table[:, 0].astype(np.int64)
        sort = np.argsort(codes, kind="stable")
        self.codes = codes[sort]
        self.values = {key: table[sort, i] for i, key in enumerate(keys, start=1)}

    def summary(self, key: str, first: int | None, last: int | None) -> dict[str, Any]:
        """The statistics of `key` over the groups whose sort positions are first..last."""
        if first is None or last is None:
            return _summary(np.empty(0))
        lo = int(np.searchsorted(self.codes, first, side="left"))
        hi = int(np.searchsorted(self.codes, last, side="right"))
        values = self.values[key][lo:hi]
        return _summary(values[~np.isnan(values)])


def _durations(
    qs: QuerySet[Interaction],
    keys: Sequence[str],
    group_field: str,
    order: dict[Any, int] | None = None,
) -> _Durations:
    """The duration columns `keys` of `qs` (rows with at least one), by `group_field`; without
    `order` the group is the day, sorted by its number (see DayNumber)."""
    present = Q()
    for key in keys:
        present |= Q(**{f"{key}__isnull": False})
    qs = qs.filter(present).order_by()
    if order is None:
        qs = qs.annotate(day_number=DayNumber(group_field))
        group_field = "day_number"
    return _Durations(_fetch(qs.values_list(group_field, *keys)), keys, order)


def _summary(values: np.ndarray) -> dict[str, Any]:
    """{"mean", "median", "p90", "count"} by engine.stats' definitions (the mean of the two
    middle values for an even count, the nearest-rank p90); None for no values, count 0.

    np.partition finds the three order statistics without sorting everything."""
    n = int(values.size)
    if not n:
        return {"mean": None, "median": None, "p90": None, "count": 0}
    low, high = (n - 1) // 2, n // 2
    rank = max(math.ceil(round(90 * n / 100, 9)), 1)  # as engine.stats.percentile_nearest_rank
    part = np.partition(values, sorted({low, high, rank - 1}))
    median = float(part[high]) if n % 2 else (float(part[low]) + float(part[high])) / 2
    return {
        "mean": math.fsum(values.tolist()) / n,
        "median": median,
        "p90": float(part[rank - 1]),
        "count": n,
    }


def _duration(values: list[float]) -> dict[str, Any]:
    """_summary of a list."""
    return _summary(np.array(values, dtype=float))


def _check_keys(keys: Sequence[str] | None) -> tuple[str, ...]:
    if keys is None:
        return KEYS
    for key in keys:
        metric(key)  # raises KeyError for an unknown key
    return tuple(k for k in KEYS if k in keys)


# --- periods --------------------------------------------------------------------------------


def kpis_for_period(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, Any] | None = None,
    keys: Sequence[str] | None = None,
    fcr_strategy: str = "",
) -> dict[str, Any]:
    """Every metric (or those in `keys`) for the days date_from..date_to, both included.

    Returns {key: value} in catalogue order. Rates are percentages (0–100), times are seconds,
    `*_per_day` are per open day; duration metrics are {"mean", "median", "p90", "count"}.
    A metric with no data is None (a duration metric's statistics are None, its count 0);
    the counts `contacts` and `review_count` are 0. Review metrics are None when a filter is set (reviews have
    no channel, team, agent or category).
    """
    return kpis_for_periods(
        organisation=organisation,
        periods=[(date_from, date_to)],
        filters=filters,
        keys=keys,
        fcr_strategy=fcr_strategy,
    ).periods[0]


@dataclass
class PeriodsResult:
    """What `kpis_for_periods` returns: one {key: value} per period, and the daily trend of the
    first period when asked for (as `kpis_trend` returns it)."""

    periods: list[dict[str, Any]]
    trend: dict[str, Any] | None = None


def kpis_for_periods(
    *,
    organisation: Organisation,
    periods: Sequence[tuple[dt.date, dt.date]],
    filters: Mapping[str, Any] | None = None,
    keys: Sequence[str] | None = None,
    trend_keys: Sequence[str] | None = None,
    fcr_strategy: str = "",
) -> PeriodsResult:
    """The metrics of several periods (the dashboard's current and previous one) and, with
    `trend_keys`, the daily series of the first, from one pass over the days they span.

    The counts and sums behind every scalar metric are aggregated per day in one GROUP BY
    (they add up to any period's), the duration values are fetched once and sorted by day
    (a period's are a slice), returning customers take one query for all periods, reviews
    one small query each. Each period's values are those `kpis_for_period` gives.
    """
    keys = _check_keys(keys)
    trend = _check_keys(trend_keys) if trend_keys is not None else ()
    first = min(a for a, _b in periods)
    last = max(b for _a, b in periods)
    qs = interactions_in_period(
        organisation=organisation, date_from=first, date_to=last, filters=filters
    ).order_by()
    strategy = _fcr_strategy(filters, fcr_strategy)
    aggregates = _aggregates(
        (*keys, *trend),
        answer_target_seconds=organisation.answer_target_seconds,
        fcr_column=strategy == "column",
    )
    if trend:
        aggregates.update(
            {f"channel:{c}": Count("pk", filter=Q(channel=c)) for c in Channel.values}
        )
    duration_keys = [k for k in DURATION_KEYS if k in keys or k in trend]

    def read_durations() -> _Durations | None:
        return _durations(qs, duration_keys, "local_date") if duration_keys else None

    def read_aggregates() -> tuple[dict[dt.date, dict[str, Any]], list[float | None]]:
        daily: dict[dt.date, dict[str, Any]] = {}
        if aggregates:
            for row in qs.values("local_date").annotate(**aggregates):
                daily[_as_date(row.pop("local_date"))] = row
        returning: list[float | None] = []
        if "returning_customer_rate" in keys:
            returning = _returning_rates(qs, periods)
        return daily, returning

    durations, (daily, returning) = _both(read_durations, read_aggregates)

    calendar = None
    if {"contacts_per_open_day", "customers_helped_per_day"} & {*keys, *trend}:
        calendar = business_calendar_for(organisation)

    filtered = any(v not in (None, "") for v in (filters or {}).values())
    results: list[dict[str, Any]] = []
    for date_from, date_to in periods:
        result: dict[str, Any] = {}
        row = _added([r for d, r in daily.items() if date_from <= d <= date_to], aggregates)
        open_days = calendar.open_days(date_from, date_to) if calendar is not None else None
        result.update(_scalar_values(keys, row, open_days=open_days))
        if durations is not None:
            for key in duration_keys:
                if key in keys:
                    result[key] = durations.summary(key, date_from.toordinal(), date_to.toordinal())
        if "fcr_rate" in keys and strategy != "column":
            result["fcr_rate"] = _fcr_other(
                organisation, date_from, date_to, filters=filters, strategy=strategy
            )
        if set(REVIEW_KEYS) & set(keys):
            if filtered:
                reviews: dict[str, Any] = {"n": None, "avg": None}
            else:
                reviews = Review.objects.filter(
                    organisation=organisation, date__range=(date_from, date_to)
                ).aggregate(n=Count("pk"), avg=Avg("rating"))
            result["review_rating_avg"] = reviews["avg"]
            result["review_count"] = reviews["n"]
        results.append(result)

    for result, rate in zip(results, returning, strict=False):
        result["returning_customer_rate"] = rate

    trend_out = None
    if trend:
        trend_out = _trend(periods[0], trend, daily, aggregates, durations, calendar)
    return PeriodsResult(
        periods=[{key: result.get(key) for key in keys} for result in results], trend=trend_out
    )


def _fcr_other(
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    *,
    filters: Mapping[str, Any] | None,
    strategy: str,
) -> float | None:
    """fcr_rate found at query time ("window" or "exists"; bench/kpis.py compares them)."""
    if strategy == "window":
        counts = _fcr_counts_window(
            organisation, date_from, date_to, category=(filters or {}).get("category") or None
        )
        n, repeated = counts.get(None, (0, 0))
    else:
        row = (
            interactions_in_period(
                organisation=organisation, date_from=date_from, date_to=date_to, filters=filters
            )
            .filter(status="resolved")
            .exclude(customer_id="")
            .order_by()
            .aggregate(n=Count("pk"), repeated=Count("pk", filter=Q(_later_contact())))
        )
        n, repeated = row["n"], row["repeated"]
    return _ratio(n - repeated, n, 100)


def _returning_rates(
    qs: QuerySet[Interaction], periods: Sequence[tuple[dt.date, dt.date]]
) -> list[float | None]:
    """returning_customer_rate of each period, from one GROUP BY customer over all of them:
    per customer, the first and last day with a contact inside each period."""
    spans: dict[str, Any] = {}
    for i, (date_from, date_to) in enumerate(periods):
        day: Any = F("local_date")
        if len(periods) > 1:
            day = Case(When(local_date__range=(date_from, date_to), then=F("local_date")))
        spans[f"d{i}_first"] = Min(day)
        spans[f"d{i}_last"] = Max(day)
    inner = qs.exclude(customer_id="").values("customer_id").annotate(**spans)
    sql, params = inner.values_list(*spans).query.sql_with_params()
    columns = ", ".join(
        f"COUNT(d{i}_first), SUM(CASE WHEN d{i}_first < d{i}_last THEN 1 ELSE 0 END)"
        for i in range(len(periods))
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM ({sql}) AS customer_days", params)  # noqa: S608 - our own ORM SQL
        row = cursor.fetchone()
    return [_ratio(row[2 * i + 1], row[2 * i], 100) for i in range(len(periods))]


def _trend(
    period: tuple[dt.date, dt.date],
    keys: Sequence[str],
    daily: Mapping[dt.date, Mapping[str, Any]],
    aggregates: Iterable[str],
    durations: "_Durations | None",
    calendar: Any,
) -> dict[str, Any]:
    """kpis_trend's answer from the daily rows and duration values of kpis_for_periods."""
    days = _days(*period)
    names = [f"channel:{c}" for c in Channel.values]
    empty = _added([], aggregates)
    by_channel: dict[str, list[int]] = {}
    series: dict[str, list[Any]] = {key: [] for key in keys}
    for day in days:
        row = daily.get(day, empty)
        for name in names:
            if row.get(name):
                by_channel.setdefault(name.split(":", 1)[1], [0] * len(days))[
                    (day - period[0]).days
                ] = row[name]
        open_days = (1 if calendar.is_open_day(day) else 0) if calendar is not None else None
        values = _scalar_values(keys, row, open_days=open_days)
        for key in keys:
            if key in DURATION_KEYS:
                ordinal = day.toordinal()
                median = None
                if durations is not None:
                    median = durations.summary(key, ordinal, ordinal)["median"]
                series[key].append(median)
            else:
                series[key].append(values.get(key))
    ordered = {c: by_channel[c] for c in Channel.values if c in by_channel}
    return {"days": days, "contacts_by_channel": ordered, "series": series}


# --- breakdowns ---------------------------------------------------------------------------


def _labels(organisation: Organisation, by: str, groups: Iterable[Any]) -> dict[Any, str]:
    groups = list(groups)
    names: dict[Any, str]
    if by == "channel":
        names = {value: str(label) for value, label in Channel.choices}
        return {g: names.get(g, g) for g in groups}
    if by == "agent":
        agents = Agent.objects.filter(organisation=organisation, pk__in=[g for g in groups if g])
        names = {a.pk: str(a) for a in agents}
        return {g: names.get(g, _("(no agent)")) if g else _("(no agent)") for g in groups}
    if by == "team":
        names = dict(
            Team.objects.filter(
                organisation=organisation, pk__in=[g for g in groups if g]
            ).values_list("pk", "name")
        )
        return {g: names.get(g, _("(no team)")) if g else _("(no team)") for g in groups}
    if by == "category":
        return {g: g or _("(no category)") for g in groups}
    return {g: g.isoformat() for g in groups}


def _days(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    return [date_from + dt.timedelta(days=i) for i in range((date_to - date_from).days + 1)]


def kpis_breakdown(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    by: str,
    filters: Mapping[str, Any] | None = None,
    keys: Sequence[str] | None = None,
    fcr_strategy: str = "",
) -> list[dict[str, Any]]:
    """The metrics per channel, agent, team, category or day: [{"group", "label", key: value}].

    Grouped with GROUP BY (one query per kind of aggregate, not one per group). `group` is the
    channel code, agent id, team id, category text or date; `label` is what a reader sees.
    Days list every day of the period (in order); other groupings only groups with contacts,
    most contacts first. Per-day rates of open days use 1 open day or none.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    keys = _check_keys(keys)
    group_field = _GROUP_FIELD[by]
    qs = interactions_in_period(
        organisation=organisation, date_from=date_from, date_to=date_to, filters=filters
    ).order_by()
    per_group: dict[Any, dict[str, Any]] = defaultdict(dict)
    calendar = business_calendar_for(organisation)
    period_open_days = (
        calendar.open_days(date_from, date_to)
        if {"contacts_per_open_day", "customers_helped_per_day"} & set(keys)
        else None
    )

    fcr_strategy = _fcr_strategy(filters, fcr_strategy)
    aggregates = _aggregates(
        keys,
        answer_target_seconds=organisation.answer_target_seconds,
        fcr_column=fcr_strategy == "column",
    )
    aggregates.setdefault("contacts", Count("pk"))
    durations = [key for key in DURATION_KEYS if key in keys]
    # Each group's sort position among the duration values: a day's number, another group's
    # place in the order met.
    order: dict[Any, int] | None = None if by == "day" else {}

    def read_durations() -> _Durations | None:
        return _durations(qs, durations, group_field, order) if durations else None

    def read_aggregates() -> tuple[list[dict[str, Any]], list[tuple]]:
        rows = list(qs.values(group_field).annotate(**aggregates))
        returning = []
        if "returning_customer_rate" in keys:
            returning = _returning_by_group(qs, group_field)
        return rows, returning

    duration_values, (rows, returning) = _both(read_durations, read_aggregates)
    for row in rows:
        group = row[group_field]
        open_days = period_open_days
        if by == "day" and open_days is not None:
            open_days = 1 if calendar.is_open_day(group) else 0
        per_group[group]["__contacts"] = row["contacts"]
        per_group[group].update(_scalar_values(keys, row, open_days=open_days))
    if duration_values is not None:
        for group in per_group:
            position = group.toordinal() if order is None else order.get(group)
            for key in durations:
                per_group[group][key] = duration_values.summary(key, position, position)
    for group, customers, returning_customers in returning:
        if by == "day":
            group = _as_date(group)
        per_group[group]["returning_customer_rate"] = _ratio(returning_customers, customers, 100)

    if "fcr_rate" in keys and fcr_strategy != "column":
        if fcr_strategy == "window":
            counts = _fcr_counts_window(
                organisation,
                date_from,
                date_to,
                category=(filters or {}).get("category") or None,
                group_field=group_field,
            )
            fcr_rows = [
                {group_field: _as_date(g) if by == "day" else g, "n": n, "repeated": r}
                for g, (n, r) in counts.items()
            ]
        else:
            fcr_rows = list(
                qs.filter(status="resolved")
                .exclude(customer_id="")
                .values(group_field)
                .annotate(n=Count("pk"), repeated=Count("pk", filter=Q(_later_contact())))
            )
        for row in fcr_rows:
            per_group[row[group_field]]["fcr_rate"] = _ratio(
                row["n"] - row["repeated"], row["n"], 100
            )

    filtered = any(v not in (None, "") for v in (filters or {}).values())
    reviews: dict[Any, dict[str, Any]] = {}
    if by == "day" and set(REVIEW_KEYS) & set(keys) and not filtered:
        for row in (
            Review.objects.filter(organisation=organisation, date__range=(date_from, date_to))
            .values("date")
            .annotate(n=Count("pk"), avg=Avg("rating"))
            .order_by()
        ):
            reviews[row["date"]] = row

    if by == "day":
        groups = _days(date_from, date_to)
        for day in groups:
            if day not in per_group:
                open_days = 1 if calendar.is_open_day(day) else 0
                per_group[day].update(
                    _scalar_values(keys, _empty_row(keys, organisation), open_days=open_days)
                )
                per_group[day]["__contacts"] = 0
    else:
        groups = sorted(per_group, key=lambda g: (-per_group[g]["__contacts"], str(g)))

    # Reviews have no channel, team, agent or category: only days (unfiltered) have them.
    reviews_apply = by == "day" and not filtered
    labels = _labels(organisation, by, groups)
    out = []
    for group in groups:
        values = per_group[group]
        entry: dict[str, Any] = {"group": group, "label": labels[group]}
        for key in keys:
            if key == "review_count":
                entry[key] = reviews.get(group, {}).get("n", 0) if reviews_apply else None
            elif key == "review_rating_avg":
                entry[key] = reviews.get(group, {}).get("avg") if reviews_apply else None
            elif key in DURATION_KEYS:
                entry[key] = values.get(key) or _duration([])
            else:
                entry[key] = values.get(key)
        out.append(entry)
    return out


def _returning_by_group(qs: QuerySet[Interaction], group_field: str) -> list[tuple]:
    """[(group, customers, returning customers)]: per group, the customers with a contact and
    those with contacts on two or more days."""
    inner = (
        qs.exclude(customer_id="")
        .annotate(g=F(group_field))
        .values("g", "customer_id")
        .annotate(d0=Min("local_date"), d1=Max("local_date"))
        .values_list("g", "d0", "d1")
    )
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g, COUNT(*), SUM(CASE WHEN d0 < d1 THEN 1 ELSE 0 END) "  # noqa: S608 - our own ORM SQL
            f"FROM ({sql}) AS customer_days GROUP BY g",
            params,
        )
        return cursor.fetchall()


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _empty_row(keys: Iterable[str], organisation: Organisation) -> dict[str, Any]:
    return dict.fromkeys(
        _aggregates(keys, answer_target_seconds=organisation.answer_target_seconds), None
    ) | {"contacts": 0}


# --- daily series -------------------------------------------------------------------------


def kpis_trend(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, Any] | None = None,
    keys: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Daily series for charts and sparklines.

    Returns {"days": [date, …], "contacts_by_channel": {channel: [count per day]},
    "series": {key: [value per day]}} where a duration metric's series is its daily median.
    """
    trend = kpis_for_periods(
        organisation=organisation,
        periods=[(date_from, date_to)],
        filters=filters,
        keys=(),
        trend_keys=(
            keys
            if keys is not None
            else ("contacts", "first_response_seconds", "resolution_seconds", "csat_pct")
        ),
    ).trend
    return trend or {}


# --- the interactions behind a number -----------------------------------------------------


def interactions_drilldown(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, Any] | None = None,
    status: str = "",
    metric_key: str = "",
) -> QuerySet[Interaction]:
    """The interactions of a period and scope that a metric is computed from, newest first.

    `metric_key` narrows to the metric's own interactions (e.g. "csat_pct": those with a CSAT
    answer); an unknown key raises KeyError.
    """
    qs = interactions_in_period(
        organisation=organisation, date_from=date_from, date_to=date_to, filters=filters
    )
    if status:
        qs = qs.filter(status=status)
    if metric_key:
        qs = qs.filter(metric(metric_key).drilldown_q())
    return qs.select_related("agent", "team").order_by("-created_at", "-pk")
