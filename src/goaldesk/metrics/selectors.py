"""Every metric of the catalogue, computed by the database for a period, a scope and a grouping.

The definitions are METRICS.md's (docs/metrics.md states them for users); how each metric is
computed is its catalogue entry's, and this module runs the entries generically: the SQL
aggregates of every `Sums` metric in one scan of the period's interactions (grouped by day,
so several periods take one scan), the values of every `Durations` column in one fetch
(mean, median and p90 by engine.stats), one query for returning customers and one for
reviews. First-contact resolution is one of the aggregates: it compares each interaction's
stored `next_contact_at` (kept by interactions.services) with its created_at; bench/kpis.py
compares that with finding the later contacts at query time.
"""

import datetime as dt
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from django.conf import settings
from django.db import connection, connections
from django.db.models import (
    Aggregate,
    Case,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    When,
)
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.core.memo import SizedMemo
from goaldesk.engine.stats import Summary, summary_of_array
from goaldesk.interactions.models import Channel, Interaction, Review
from goaldesk.interactions.selectors import (
    category_label,
    category_names,
    resolve_filters,
)
from goaldesk.metrics.catalogue import (
    CATALOGUE,
    CONTACTS,
    KEYS,
    CustomersOnTwoDays,
    Durations,
    Metric,
    Provided,
    Ratio,
    Reviews,
    Sums,
    metric,
    ratio,
)
from goaldesk.metrics.providers import provided
from goaldesk.metrics.sql import DayNumber
from goaldesk.metrics.summaries import (
    CHANNEL_CONTACTS,
    DURATION_COLUMNS,
    DayRow,
    SummaryState,
    aggregates_of,
    as_date,
    day_rows,
    grouped_sums,
    summary_scope,
    summary_state,
)
from goaldesk.team.models import Agent, Team

#: Run a period's aggregate queries and its duration fetch on two connections at once.
PARALLEL = True
#: Figures computed from built day summaries, kept in this process under the days' build
#: tokens (metrics/summaries.py `summary_state`): asked again, they need no reading.
MEMO = SizedMemo(settings.SUMMARY_MEMO_BYTES)
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
T = TypeVar("T")


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


def _fetch(queryset: QuerySet) -> list[tuple]:
    """Rows of a values_list queryset through the raw cursor (no per-row ORM overhead)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _memory_sqlite() -> bool:
    """Whether the database is SQLite in memory (the tests'): its connections share one cache
    and lock each other's tables, so a second one reading could stop the first from writing."""
    return connection.vendor == "sqlite" and bool(connection.is_in_memory_db())  # type: ignore[attr-defined]  # SQLite's wrapper has it


def both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """first() and second() at the same time: second in a thread with its own database
    connection (SQLite and psycopg let other threads run while the database works), so two
    scans of a period use both cores. Inside a transaction another connection would not see
    its rows, so there (and with PARALLEL off, and on SQLite in memory) they run one after
    the other."""
    if not PARALLEL or connection.in_atomic_block or _memory_sqlite():
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


def _entries(keys: Iterable[str]) -> list[Metric]:
    return [metric(key) for key in keys]


def _aggregates(entries: Iterable[Metric], organisation: Organisation) -> dict[str, Aggregate]:
    """The SQL aggregates (name → expression) of the `Sums` metrics among `entries`.

    Every one is a count or a sum, so the rows of several days (or groups) add up. Metrics
    share an aggregate by giving the same expression the same name; a name given to two
    different expressions is a mistake in the catalogue and raises ValueError.
    """
    wanted: dict[str, Aggregate] = {}
    for entry in entries:
        if isinstance(entry.computed, Sums):
            for name, expression in entry.computed.aggregates_for(organisation).items():
                if wanted.setdefault(name, expression) != expression:
                    raise ValueError(f"{entry.key}: another metric's aggregate is named {name!r}")
    return wanted


def _sums_values(
    entries: Iterable[Metric], row: Mapping[str, Any], *, open_days: int | None
) -> dict[str, Any]:
    """The values of the `Sums` metrics among `entries` from one row of added-up aggregates."""
    return {
        entry.key: entry.computed.figure.value(row, open_days)
        for entry in entries
        if isinstance(entry.computed, Sums)
    }


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
    """The values of duration columns by group (a day, a channel, …) as float arrays, each
    column's in order of its groups' positions, so that a group's values, or a run of
    groups', are one slice. The statistics of a slice are computed once."""

    def __init__(self, columns: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]]) -> None:
        # columns: metric key → (the groups' positions, sorted and distinct; where each
        # group's values start; the values, none NaN)
        self.columns = dict(columns)
        self._found: dict[tuple[str, int, int], Summary] = {}

    @classmethod
    def of_rows(
        cls, rows: list[tuple], keys: Sequence[str], order: dict[Any, int] | None
    ) -> "_Durations":
        """From rows (group, *values of keys; None: no value); `order`: group value → its sort
        position (new groups are added in the order met), or None when the group is its own
        position (a day number)."""
        table = np.empty((len(rows), len(keys) + 1))
        if rows:
            if order is None:
                table = np.array(rows, dtype=float)  # None becomes NaN
            else:
                table[:, 0] = [order.setdefault(row[0], len(order)) for row in rows]
                table[:, 1:] = np.array([row[1:] for row in rows], dtype=float)
        codes = table[:, 0].astype(np.int64)
        sort = np.argsort(codes, kind="stable")
        codes = codes[sort]
        columns = {}
        for i, key in enumerate(keys, start=1):
            values = table[sort, i]
            known = ~np.isnan(values)
            positions, starts = np.unique(codes[known], return_index=True)
            columns[key] = (positions, starts, values[known])
        return cls(columns)

    @classmethod
    def of_groups(
        cls, groups: Sequence[tuple[int, Sequence[np.ndarray]]], keys: Mapping[str, int]
    ) -> "_Durations":
        """From (group position, values of every duration column of the summaries) in order
        of position; `keys`: metric key → the index of its column."""
        positions = np.array([position for position, _values in groups], dtype=np.int64)
        columns = {}
        for key, index in keys.items():
            parts = [values[index] for _position, values in groups]
            starts = np.cumsum([0, *(len(part) for part in parts)])[:-1].astype(np.int64)
            columns[key] = (positions, starts, np.concatenate(parts) if parts else np.empty(0))
        return cls(columns)

    def summary(self, key: str, first: int | None, last: int | None) -> Summary:
        """The statistics of `key` over the groups whose sort positions are first..last."""
        if first is None or last is None:
            return summary_of_array(np.empty(0))
        found = self._found.get((key, first, last))
        if found is None:
            positions, starts, values = self.columns[key]
            lo = int(np.searchsorted(positions, first, side="left"))
            hi = int(np.searchsorted(positions, last, side="right"))
            begin = int(starts[lo]) if lo < len(starts) else len(values)
            end = int(starts[hi]) if hi < len(starts) else len(values)
            found = self._found[(key, first, last)] = summary_of_array(values[begin:end])
        return found.copy()  # callers may change theirs

    @property
    def nbytes(self) -> int:
        return sum(sum(part.nbytes for part in column) for column in self.columns.values())


class _GroupFigures:
    """The statistics of each group's duration values alone, without the values: all that a
    breakdown asks of them, in a few bytes where the values take megabytes, so that the memo
    keeps many breakdowns (`_kept`). Same answers as the `_Durations` they come from, for one
    group at a time."""

    def __init__(self, durations: _Durations) -> None:
        self._found = {
            (key, position): durations.summary(key, position, position)
            for key, (positions, _starts, _values) in durations.columns.items()
            for position in positions.tolist()
        }

    def summary(self, key: str, first: int | None, last: int | None) -> Summary:
        if first != last:
            raise ValueError("a breakdown's figures hold one group at a time")
        found = self._found.get((key, first))
        return found.copy() if found is not None else summary_of_array(np.empty(0))

    @property
    def nbytes(self) -> int:
        return 400 * len(self._found)


def _durations(
    qs: QuerySet[Interaction],
    entries: Sequence[Metric],
    group_field: str,
    order: dict[Any, int] | None = None,
) -> _Durations:
    """The duration columns of `entries` in `qs` (rows with at least one), by `group_field`,
    summarised by metric key; without `order` the group is the day, sorted by its number
    (see DayNumber)."""
    columns = [_column(entry) for entry in entries]
    present = Q()
    for column in columns:
        present |= Q(**{f"{column}__isnull": False})
    qs = qs.filter(present).order_by()
    if order is None:
        qs = qs.annotate(day_number=DayNumber(group_field))
        group_field = "day_number"
    rows = _fetch(qs.values_list(group_field, *columns))
    return _Durations.of_rows(rows, [entry.key for entry in entries], order)


def _column(entry: Metric) -> str:
    assert isinstance(entry.computed, Durations)  # noqa: S101 - callers pass duration metrics
    return entry.computed.column


def _check_keys(keys: Sequence[str] | None) -> tuple[str, ...]:
    if keys is None:
        return KEYS
    for key in keys:
        metric(key)  # raises KeyError for an unknown key
    return tuple(k for k in KEYS if k in keys)


def _is_filtered(filters: Mapping[str, Any] | None) -> bool:
    return any(v not in (None, "") for v in (filters or {}).values())


# --- periods --------------------------------------------------------------------------------


def kpis_for_period(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, Any] | None = None,
    keys: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Every metric (or those in `keys`) for the days date_from..date_to, both included.

    Returns {key: value} in catalogue order. Rates are percentages (0–100), times are seconds,
    `*_per_day` are per open day; duration metrics are {"mean", "median", "p90", "count"}.
    A metric with no data is None (a duration metric's statistics are None, its count 0);
    the counts `contacts` and `review_count` are 0. Review metrics are None when a filter is
    set (reviews have no channel, team, agent or category).
    """
    return kpis_for_periods(
        organisation=organisation,
        periods=[(date_from, date_to)],
        filters=filters,
        keys=keys,
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
) -> PeriodsResult:
    """The metrics of several periods (the dashboard's current and previous one) and, with
    `trend_keys`, the daily series of the first, from one pass over the days they span.

    The counts and sums behind every `Sums` metric are aggregated per day in one GROUP BY
    (they add up to any period's), the duration values are fetched once and sorted by day
    (a period's are a slice), returning customers take one query for all periods, reviews
    one small query each. Each period's values are those `kpis_for_period` gives.
    """
    keys = _check_keys(keys)
    trend = _check_keys(trend_keys) if trend_keys is not None else ()
    entries = _entries(keys)
    needed = _entries(k for k in KEYS if k in keys or k in trend)
    first = min(a for a, _b in periods)
    last = max(b for _a, b in periods)
    qs = interactions_in_period(
        organisation=organisation, date_from=first, date_to=last, filters=filters
    ).order_by()
    aggregates = _aggregates(needed, organisation)
    if trend:
        aggregates.update(CHANNEL_CONTACTS)
    duration_entries = [entry for entry in needed if entry.is_duration]
    customer_days = any(isinstance(entry.computed, CustomersOnTwoDays) for entry in entries)
    scope = _summary_scope(organisation, filters, aggregates, duration_entries)

    def read_durations() -> _Durations | None:
        if not duration_entries:
            return None
        return _durations(qs, duration_entries, "local_date")

    def read_aggregates() -> tuple[dict[dt.date, dict[str, Any]], list[float | None]]:
        daily: dict[dt.date, dict[str, Any]] = {}
        if aggregates:
            for row in qs.values("local_date").annotate(**aggregates):
                daily[as_date(row.pop("local_date"))] = row
        returning: list[float | None] = []
        if customer_days:
            returning = _returning_rates(qs, periods)
        return daily, returning

    if scope is not None:
        kept = tuple(aggregates)
        daily, durations, returning = _kept(
            organisation,
            (first, last),
            (
                "periods",
                scope,
                tuple(periods),
                kept,
                tuple(e.key for e in duration_entries),
                customer_days,
            ),
            lambda state: _periods_from_summaries(
                organisation, scope, periods, kept, duration_entries, customer_days, state
            ),
        )
    else:
        durations, (daily, returning) = both(read_durations, read_aggregates)

    calendar = None
    if any(entry.uses_open_days for entry in needed):
        calendar = business_calendar_for(organisation)

    review_entries = [entry for entry in entries if isinstance(entry.computed, Reviews)]
    filtered = _is_filtered(filters)
    from_providers = {
        entry.key: provided(entry.key, organisation=organisation, periods=periods, filters=filters)
        for entry in entries
        if isinstance(entry.computed, Provided)
    }
    results: list[dict[str, Any]] = []
    for i, (date_from, date_to) in enumerate(periods):
        row = _added([r for d, r in daily.items() if date_from <= d <= date_to], aggregates)
        open_days = calendar.open_days(date_from, date_to) if calendar is not None else None
        result = _sums_values(entries, row, open_days=open_days)
        for entry in entries:
            if isinstance(entry.computed, Durations) and durations is not None:
                result[entry.key] = durations.summary(
                    entry.key, date_from.toordinal(), date_to.toordinal()
                )
            elif isinstance(entry.computed, CustomersOnTwoDays):
                result[entry.key] = returning[i]
            elif isinstance(entry.computed, Provided):
                result[entry.key] = from_providers[entry.key][i].value
        if review_entries:
            if filtered:
                result.update(dict.fromkeys((entry.key for entry in review_entries), None))
            else:
                result.update(
                    Review.objects.filter(
                        organisation=organisation, date__range=(date_from, date_to)
                    ).aggregate(**_review_aggregates(review_entries))
                )
        results.append(result)

    trend_out = None
    if trend:
        trend_out = _trend(periods[0], _entries(trend), daily, aggregates, durations, calendar)
    return PeriodsResult(
        periods=[{key: result.get(key) for key in keys} for result in results], trend=trend_out
    )


def _summary_scope(
    organisation: Organisation,
    filters: Mapping[str, Any] | None,
    aggregates: Iterable[str],
    duration_entries: Iterable[Metric],
) -> tuple[str, str] | None:
    """The day summaries (dimension, key) that hold the interactions `filters` choose, when
    they also hold the aggregates and duration columns asked for; None: read the interactions."""
    scope = summary_scope(organisation=organisation, filters=filters)
    if scope is None:
        return None
    if not set(aggregates) <= set(aggregates_of(organisation)):
        return None
    if any(_column(entry) not in DURATION_COLUMNS for entry in duration_entries):
        return None
    return scope


def _kept(
    organisation: Organisation,
    days: tuple[dt.date, dt.date],
    key: tuple,
    compute: Callable[[SummaryState], T],
) -> T:
    """compute(state of the days) for figures read from the day summaries of `days`, kept in
    this process under `key` and the build tokens of the days while none has changed since
    (and not kept while some day is read from its interactions)."""
    state = summary_state(organisation=organisation, date_from=days[0], date_to=days[1])
    if state.built is None:
        return compute(state)
    return MEMO.get_or_compute(
        (*key, organisation.pk, state.built), lambda: compute(state), _memo_size
    )


def _memo_size(found: tuple) -> int:
    """About how many bytes a kept result holds (its duration values, and some)."""
    return 4096 + sum(part.nbytes for part in found if isinstance(part, _Durations | _GroupFigures))


def _periods_from_summaries(
    organisation: Organisation,
    scope: tuple[str, str],
    periods: Sequence[tuple[dt.date, dt.date]],
    aggregates: Iterable[str],
    duration_entries: Sequence[Metric],
    customer_days: bool,
    state: SummaryState,
) -> tuple[dict[dt.date, dict[str, Any]], "_Durations | None", Sequence[float | None]]:
    """What kpis_for_periods reads from the interactions (the aggregates per day, the duration
    values by day, each period's returning customers), from the day summaries of `scope`."""
    names, rows = day_rows(
        organisation=organisation,
        date_from=min(a for a, _b in periods),
        date_to=max(b for _a, b in periods),
        dimension=scope[0],
        key=scope[1],
        durations=bool(duration_entries),
        customers=customer_days,
        both=both,
        state=state,
    )
    by_day = _sums_by(rows, [row.day.toordinal() for row in rows], names, aggregates)
    daily = {dt.date.fromordinal(day): sums for day, sums in by_day.items()}
    durations = None
    if duration_entries:
        durations = _Durations.of_groups(
            [(row.day.toordinal(), row.durations) for row in rows],
            _summary_columns(duration_entries),
        )
    returning: Sequence[float | None] = []
    if customer_days:
        # Counting customers sorts every day's customers of a period: numpy does it without
        # the interpreter lock, so it runs beside the rest of the request.
        def count() -> list[float | None]:
            out = []
            for a, b in periods:
                parts = [row.customers for row in rows if a <= row.day <= b]
                customers, twice = _returning(parts)
                out.append(ratio(twice, customers, 100))
            return out

        returning = _Later(count)
    return daily, durations, returning


class _Later(Sequence):
    """A list computed in a thread of its own, waited for when first read (work that needs
    no database: the thread holds no connection)."""

    def __init__(self, compute: Callable[[], list]) -> None:
        self._box: dict[str, Any] = {}

        def run() -> None:
            try:
                self._box["value"] = compute()
            except BaseException as error:  # handed to the reading thread
                self._box["error"] = error

        self._thread = threading.Thread(target=run, name="kpis-later")
        self._thread.start()

    def _value(self) -> list:
        self._thread.join()
        if "error" in self._box:
            raise self._box["error"]
        return self._box["value"]

    def __getitem__(self, index: Any) -> Any:
        return self._value()[index]

    def __len__(self) -> int:
        return len(self._value())


def _sums_by(
    rows: Sequence[DayRow], codes: Sequence[int], names: Sequence[str], wanted: Iterable[str]
) -> dict[int, dict[str, Any]]:
    """The `wanted` sums of day summaries (whose sums are `names`) added up by `codes` (one per
    row), as the SQL aggregates give them: None for a sum of nothing, whole numbers as int."""
    wanted = list(wanted)
    if not rows:
        return {}
    table = np.vstack([row.sums for row in rows])[:, [names.index(name) for name in wanted]]
    return grouped_sums(table, np.array(codes, dtype=np.int64), wanted)


def _summary_columns(entries: Iterable[Metric]) -> dict[str, int]:
    """Duration metric key → the index of its column in the day summaries."""
    return {entry.key: DURATION_COLUMNS.index(_column(entry)) for entry in entries}


def _returning(parts: Sequence[np.ndarray]) -> tuple[int, int]:
    """How many customers some days have (`parts`: each day's distinct customers), and how
    many of them were seen on two or more of those days."""
    found = np.sort(np.concatenate(parts) if parts else np.empty(0, np.int64), kind="stable")
    if not found.size:
        return 0, 0
    # (a stable sort of integers is a radix sort: three times faster than np.unique's)
    changes = found[1:] != found[:-1]  # where a customer's run ends
    # a run of two or more starts where a value repeats right after a run began
    starts = np.r_[True, changes[:-1]]
    return 1 + int(changes.sum()), int((~changes & starts).sum())


def _review_aggregates(entries: Iterable[Metric]) -> dict[str, Aggregate]:
    """The aggregates of the review metrics among `entries`, by metric key."""
    return {
        entry.key: entry.computed.aggregate
        for entry in entries
        if isinstance(entry.computed, Reviews)
    }


def _returning_rates(
    qs: QuerySet[Interaction], periods: Sequence[tuple[dt.date, dt.date]]
) -> list[float | None]:
    """The share of returning customers (CustomersOnTwoDays) of each period, from one GROUP
    BY customer over all of them: per customer, the first and last day with a contact inside
    each period."""
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
    return [ratio(row[2 * i + 1], row[2 * i], 100) for i in range(len(periods))]


def _trend(
    period: tuple[dt.date, dt.date],
    entries: Sequence[Metric],
    daily: Mapping[dt.date, Mapping[str, Any]],
    aggregates: Iterable[str],
    durations: "_Durations | None",
    calendar: Any,
) -> dict[str, Any]:
    """kpis_trend's answer from the daily rows and duration values of kpis_for_periods: a
    `Sums` metric's value and a duration metric's median per day (None for the others)."""
    days = _days(*period)
    names = [f"channel:{c}" for c in Channel.values]
    empty = _added([], aggregates)
    by_channel: dict[str, list[int]] = {}
    series: dict[str, list[Any]] = {entry.key: [] for entry in entries}
    for day in days:
        row = daily.get(day, empty)
        for name in names:
            if row.get(name):
                by_channel.setdefault(name.split(":", 1)[1], [0] * len(days))[
                    (day - period[0]).days
                ] = row[name]
        open_days = (1 if calendar.is_open_day(day) else 0) if calendar is not None else None
        values = _sums_values(entries, row, open_days=open_days)
        for entry in entries:
            if entry.is_duration:
                ordinal = day.toordinal()
                median = None
                if durations is not None:
                    median = durations.summary(entry.key, ordinal, ordinal)["median"]
                series[entry.key].append(median)
            else:
                series[entry.key].append(values.get(entry.key))
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
        categories = category_names(organisation=organisation)
        return {g: category_label(categories, g) or _("(no category)") for g in groups}
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
    with_samples: bool = False,
) -> list[dict[str, Any]]:
    """The metrics per channel, agent, team, category or day: [{"group", "label", key: value}].
    With `with_samples`, each group also has "samples": {key: how many interactions the value
    rests on} for the metrics that are a share or a mean of some interactions (its
    denominator: CSAT answers, resolved cases of known customers …).

    Grouped with GROUP BY (one query per kind of computation, not one per group). `group` is
    the channel code, agent id, team id, category text or date; `label` is what a reader sees.
    Days list every day of the period (in order); other groupings only groups with contacts,
    most contacts first. Per-day rates of open days use 1 open day or none.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    keys = _check_keys(keys)
    entries = _entries(keys)
    group_field = _GROUP_FIELD[by]
    qs = interactions_in_period(
        organisation=organisation, date_from=date_from, date_to=date_to, filters=filters
    ).order_by()
    per_group: dict[Any, dict[str, Any]] = defaultdict(dict)
    # (the calendar only when a metric counts open days: two queries less per request)
    calendar = (
        business_calendar_for(organisation)
        if any(entry.uses_open_days for entry in entries)
        else None
    )
    period_open_days = calendar.open_days(date_from, date_to) if calendar is not None else None

    # The groups are ordered by their number of contacts, whichever metrics are asked for.
    aggregates = {**_aggregates(entries, organisation), **CONTACTS}
    duration_entries = [entry for entry in entries if entry.is_duration]
    customer_days = [e for e in entries if isinstance(e.computed, CustomersOnTwoDays)]
    # Each group's sort position among the duration values: a day's number, another group's
    # place in the order met.
    order: dict[Any, int] | None = None if by == "day" else {}

    def read_durations() -> _Durations | None:
        if not duration_entries:
            return None
        return _durations(qs, duration_entries, group_field, order)

    def read_aggregates() -> tuple[list[dict[str, Any]], list[tuple]]:
        rows = list(qs.values(group_field).annotate(**aggregates))
        returning = _returning_by_group(qs, group_field) if customer_days else []
        return rows, returning

    scope = _summary_scope(organisation, filters, aggregates, duration_entries)
    duration_values: _Durations | _GroupFigures | None
    if scope is not None and (by == "day" or scope[0] in ("", by)):
        kept = tuple(aggregates)
        period = (date_from, date_to)
        keys_kept = tuple(e.key for e in duration_entries)
        rows, duration_values, returning, order = _kept(
            organisation,
            period,
            ("breakdown", scope, by, period, kept, keys_kept, bool(customer_days)),
            lambda state: _breakdown_from_summaries(
                organisation,
                scope,
                by,
                period,
                kept,
                duration_entries,
                bool(customer_days),
                state,
            ),
        )
    else:
        duration_values, (rows, returning) = both(read_durations, read_aggregates)
    contacts: dict[Any, int] = {}
    sums_of: dict[Any, Mapping[str, Any]] = {}
    for row in rows:
        group = row[group_field]
        sums_of[group] = row
        open_days = period_open_days
        if by == "day" and calendar is not None:
            open_days = 1 if calendar.is_open_day(group) else 0
        contacts[group] = row["contacts"]
        per_group[group].update(_sums_values(entries, row, open_days=open_days))
    if duration_values is not None:
        for group in per_group:
            position = group.toordinal() if order is None else order.get(group)
            for entry in duration_entries:
                per_group[group][entry.key] = duration_values.summary(entry.key, position, position)
    for group, customers, returning_customers in returning:
        if by == "day":
            group = as_date(group)
        for entry in customer_days:
            per_group[group][entry.key] = ratio(returning_customers, customers, 100)

    # Reviews have no channel, team, agent or category: only days (unfiltered) have them.
    reviews_apply = by == "day" and not _is_filtered(filters)
    review_entries = [entry for entry in entries if isinstance(entry.computed, Reviews)]
    reviews: dict[Any, dict[str, Any]] = {}
    if reviews_apply and review_entries:
        for row in (
            Review.objects.filter(organisation=organisation, date__range=(date_from, date_to))
            .values("date")
            .annotate(**_review_aggregates(review_entries))
            .order_by()
        ):
            reviews[row["date"]] = row

    provided_entries = [entry for entry in entries if isinstance(entry.computed, Provided)]
    by_day_provided: dict[str, dict[dt.date, Any]] = {}
    if by == "day" and provided_entries:
        days = _days(date_from, date_to)
        for entry in provided_entries:
            found = provided(
                entry.key,
                organisation=organisation,
                periods=[(day, day) for day in days],
                filters=filters,
            )
            by_day_provided[entry.key] = {d: v.value for d, v in zip(days, found, strict=True)}

    if by == "day":
        groups = _days(date_from, date_to)
        for day in groups:
            if day not in per_group:
                open_days = None if calendar is None else int(calendar.is_open_day(day))
                per_group[day].update(_sums_values(entries, {}, open_days=open_days))
    else:
        groups = sorted(per_group, key=lambda g: (-contacts[g], str(g)))

    labels = _labels(organisation, by, groups)
    out = []
    for group in groups:
        values = per_group[group]
        item: dict[str, Any] = {"group": group, "label": labels[group]}
        for entry in entries:
            computed = entry.computed
            if isinstance(computed, Reviews):
                day_reviews = reviews.get(group, {})
                item[entry.key] = (
                    day_reviews.get(entry.key, computed.empty) if reviews_apply else None
                )
            elif isinstance(computed, Provided):
                # Provided metrics break down by day only (their data has no other groups
                # that metrics knows of).
                item[entry.key] = by_day_provided.get(entry.key, {}).get(group)
            elif isinstance(computed, Durations):
                item[entry.key] = values.get(entry.key) or summary_of_array(np.empty(0))
            else:
                item[entry.key] = values.get(entry.key)
        if with_samples:
            group_sums = sums_of.get(group, {})
            item["samples"] = {
                entry.key: group_sums.get(entry.computed.figure.denominator) or 0
                for entry in entries
                if isinstance(entry.computed, Sums) and isinstance(entry.computed.figure, Ratio)
            }
        out.append(item)
    return out


def _breakdown_from_summaries(
    organisation: Organisation,
    scope: tuple[str, str],
    by: str,
    period: tuple[dt.date, dt.date],
    aggregates: Iterable[str],
    duration_entries: Sequence[Metric],
    customer_days: bool,
    state: SummaryState,
) -> tuple[list[dict[str, Any]], "_GroupFigures | None", list[tuple], dict[Any, int] | None]:
    """What kpis_breakdown reads from the interactions (the aggregates per group, the duration
    statistics of each group, each group's customers and returning customers, the groups' positions
    among the duration values), from the day summaries of the grouping's dimension (by day:
    of the filter's)."""
    dimension, key = (scope[0], scope[1]) if by == "day" or scope[0] == by else (by, None)
    order: dict[Any, int] | None = None if by == "day" else {}
    names, found = day_rows(
        organisation=organisation,
        date_from=period[0],
        date_to=period[1],
        dimension=dimension,
        key=key,
        durations=bool(duration_entries),
        customers=customer_days,
        both=both,
        state=state,
    )
    by_group: dict[Any, list[DayRow]] = defaultdict(list)
    for row in found:
        by_group[row.day if by == "day" else _group_of(by, row.key)].append(row)
    groups = list(by_group)
    number = {group: i for i, group in enumerate(groups)}
    sums = _sums_by(
        found,
        [number[row.day if by == "day" else _group_of(by, row.key)] for row in found],
        names,
        aggregates,
    )
    field = _GROUP_FIELD[by]
    rows = [{field: group, **sums[number[group]]} for group in groups]
    durations = None
    if duration_entries:
        columns = len(DURATION_COLUMNS)
        groups = sorted(
            (
                group.toordinal() if order is None else order.setdefault(group, len(order)),
                [np.concatenate([row.durations[i] for row in day_rows_]) for i in range(columns)],
            )
            for group, day_rows_ in by_group.items()
        )
        durations = _GroupFigures(_Durations.of_groups(groups, _summary_columns(duration_entries)))
    returning: list[tuple] = []
    if customer_days:
        for group, day_rows_ in by_group.items():
            customers, twice = _returning([row.customers for row in day_rows_])
            if customers:
                returning.append((group, customers, twice))
    return rows, durations, returning, order


def _group_of(by: str, key: str) -> Any:
    """A day summary's key as the breakdown's group: an agent's or team's id (None: none)."""
    if by in ("agent", "team"):
        return int(key) if key else None
    return key


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
    # Newest first. An interaction's day is the date of its created_at in the organisation's
    # time zone, so ordering by the day first changes nothing, and lets the database walk its
    # (organisation, day) index instead of sorting the whole period for a page of 50.
    return qs.select_related("agent", "team").order_by("-local_date", "-created_at", "-pk")
