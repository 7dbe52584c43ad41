"""Day summaries: build them from the interactions, and read a period's figures from them
(metrics/models.py says how the database keeps them honest): by agent and team for scorecards
(AgentDaySummary), and for everyone or one channel, agent, team or category for the dashboard,
goals, levels, the API and the CLI (DaySummary, read by metrics.selectors).

One summary row per organisation, day, agent and team holds the catalogue's count and sum
aggregates of that day's interactions (they add up over days, agents and teams) and the
duration values themselves (exact medians and p90 need every value: they are concatenated,
not added). A period reads the rows of its built days and the interactions of the days that
changed since, so what it returns is exactly what the interactions say now.

The worker builds the days that changed every few seconds (`summaries_build_due`, registered
in metrics/apps.py); `goaldesk manage summaries_rebuild` builds every day again.
"""

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import (
    Aggregate,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from goaldesk.accounts.models import Organisation
from goaldesk.core.jobs import stale_after_seconds
from goaldesk.core.models import JobState
from goaldesk.interactions.models import Channel, ImportJob, Interaction
from goaldesk.interactions.selectors import filter_ids, resolve_filters
from goaldesk.metrics.catalogue import CATALOGUE, Durations, Sums
from goaldesk.metrics.models import AgentDaySummary, DayStamp, DaySummary
from goaldesk.metrics.sql import DayNumber

#: Bumped when what a summary row holds changes, so that every day is built again.
SUMMARY_FORMAT = 3
#: The duration columns a summary keeps, in the order of its rows' values.
DURATION_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(m.computed.column for m in CATALOGUE if isinstance(m.computed, Durations))
)
#: Days built in one pass (one read of their interactions, one transaction, which on SQLite
#: holds the write lock: about a second for a week of a million-a-year desk).
BUILD_CHUNK_DAYS = 7
#: How often the worker's clock builds the days that changed.
BUILD_EVERY_SECONDS = 5
#: On PostgreSQL, how long a build waits for a lock before it gives up (its days stay due).
LOCK_TIMEOUT_MS = 500


#: Each channel's contacts (the dashboard's chart of contacts by channel reads them per day).
CHANNEL_CONTACTS: dict[str, Aggregate] = {
    f"channel:{c}": Count("pk", filter=Q(channel=c)) for c in Channel.values
}
#: The dimensions a DaySummary is kept for ("": every interaction), with their column.
DIMENSIONS: dict[str, str | None] = {
    "": None,
    "channel": "channel",
    "agent": "agent_id",
    "team": "team_id",
    "category": "category",
}


def aggregates_of(organisation: Organisation) -> dict[str, Aggregate]:
    """Every count and sum aggregate of the catalogue for `organisation`, and each channel's
    contacts, by name (sorted)."""
    wanted: dict[str, Aggregate] = dict(CHANNEL_CONTACTS)
    for entry in CATALOGUE:
        if isinstance(entry.computed, Sums):
            wanted.update(entry.computed.aggregates_for(organisation))
    return dict(sorted(wanted.items()))


def fingerprint(aggregates: Mapping[str, Aggregate]) -> str:
    """What the summaries of an organisation were built with: the format, the aggregates (an
    organisation's settings change some, e.g. the answer target) and the duration columns."""
    text = repr((SUMMARY_FORMAT, sorted(aggregates.items()), DURATION_COLUMNS))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def _bucket(periods: Sequence[tuple[dt.date, dt.date]], field: str) -> Case:
    """Which of `periods` a row's day (`field`) falls in (its index; -1: none)."""
    return Case(
        *(When(**{f"{field}__range": period}, then=Value(i)) for i, period in enumerate(periods)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def _fetch(queryset: Any) -> list[tuple]:
    """The rows of a values_list queryset through the raw cursor; on PostgreSQL in binary,
    so that the summaries' bytes come as they are, not as hexadecimal text."""
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        # Django's cursors bind on the client, which cannot ask for binary results.
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, binary=True)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_float_table(rows: list[tuple], width: int) -> np.ndarray:
    """Rows of numbers (None → NaN) as a float array of `width` columns."""
    return np.array(rows, dtype=float).reshape(len(rows), width)  # numpy reads None as NaN


# --- building -------------------------------------------------------------------------------


Group = tuple[dt.date, int, int, str]  # day, agent (0: none), team (0: none), channel ("": all)


#: Channels as numbers in the builder's arrays (0: every channel).
_CHANNELS: tuple[str, ...] = ("", *Channel.values)


def _channel_number() -> Case:
    return Case(
        *(When(channel=c, then=Value(i)) for i, c in enumerate(_CHANNELS) if c),
        default=Value(0),
        output_field=IntegerField(),
    )


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end indices of the runs of equal rows in `keys` (sorted)."""
    if not len(keys):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    changes = np.flatnonzero(np.any(keys[1:] != keys[:-1], axis=1)) + 1
    starts = np.r_[0, changes]
    return starts, np.r_[changes, len(keys)]


def _sorted_table(rows: list[tuple], width: int) -> np.ndarray:
    """Rows (day number, agent, team, channel number, values… — None/-1 as given) as a float
    array sorted by their first four columns."""
    table = _as_float_table(rows, width)
    order = np.lexsort((table[:, 3], table[:, 2], table[:, 1], table[:, 0]))
    return table[order]


def _day_rows(
    organisation: Organisation, days: Sequence[dt.date], aggregates: Mapping[str, Aggregate]
) -> list[tuple[Group, np.ndarray, np.ndarray]]:
    """(day, agent, team, channel), sums and duration rows of the interactions of `days`, per
    channel and for every channel ("")."""
    qs = Interaction.objects.filter(organisation=organisation, local_date__in=list(days)).order_by()
    names = list(aggregates)
    keys = (
        DayNumber("local_date"),
        Coalesce("agent_id", 0),
        Coalesce("team_id", 0),
        _channel_number(),
    )
    grouped = (
        qs.values("local_date", "agent_id", "team_id", "channel")
        .annotate(**aggregates)
        .values_list(*keys, *names)
    )
    sums = _sorted_table(_fetch(grouped), 4 + len(names))
    present = Q()
    for column in DURATION_COLUMNS:
        present |= Q(**{f"{column}__isnull": False})
    columns = (Coalesce(c, Value(-1.0), output_field=FloatField()) for c in DURATION_COLUMNS)
    durations = _sorted_table(
        _fetch(qs.filter(present).values_list(*keys, *columns)), 4 + len(DURATION_COLUMNS)
    )
    values = durations[:, 4:]
    values[values < 0] = np.nan  # no duration is negative: -1 stood for none
    out: list[tuple[Group, np.ndarray, np.ndarray]] = []
    for width in (4, 3):  # per channel, then every channel (its rows are runs too)
        where = {
            tuple(durations[start, :width]): (start, end)
            for start, end in zip(*_runs(durations[:, :width]), strict=True)
        }
        starts, _ends = _runs(sums[:, :width])
        # Added up per group; NaN (a sum of nothing) only where every row had nothing.
        known = ~np.isnan(sums[:, 4:])
        added = np.add.reduceat(np.where(known, sums[:, 4:], 0.0), starts, axis=0)
        totals = np.where(np.add.reduceat(known, starts, axis=0) > 0, added, np.nan)
        for i, start in enumerate(starts):
            key = tuple(sums[start, :width])
            first, last = where.get(key, (0, 0))
            day = dt.date.fromordinal(int(key[0]))
            channel = _CHANNELS[int(key[3])] if width == 4 else ""
            group = (day, int(key[1]), int(key[2]), channel)
            out.append((group, totals[i], np.ascontiguousarray(values[first:last])))
    return out


def _days_build(
    organisation: Organisation,
    days: Sequence[dt.date],
    aggregates: Mapping[str, Aggregate],
    built_with: str,
) -> int:
    """Build the summaries of `days`, in one transaction: read each day's stamp, then its
    interactions, write the summaries and mark the day built at the version read. On SQLite
    the transaction holds the write lock from the start (transaction_mode IMMEDIATE), so no
    write falls in between; on PostgreSQL one may, and then the version has moved on and the
    day stays due. Returns the number of days marked built."""
    adapt = connection.ops.adapt_datefield_value
    table = AgentDaySummary._meta.db_table
    insert = (
        f"INSERT INTO {table} (organisation_id, day, agent_id, team_id, channel, sums, "  # noqa: S608 - our own names
        "durations) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    insert_dimensions = (
        f"INSERT INTO {DaySummary._meta.db_table} (organisation_id, day, dimension, group_key, "  # noqa: S608 - our own names
        "sums, durations, customers) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    marked = 0
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A build never holds up another transaction for long: a lock it cannot get
                # within half a second (a writer's, a schema change's, a deletion's) ends it,
                # before PostgreSQL would look for a deadlock and perhaps pick the other side,
                # and its days stay due for the next round.
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'")
            stamps = list(
                DayStamp.objects.filter(organisation_id=organisation.pk, day__in=days).values_list(
                    "day", "version"
                )
            )
            summaries = [
                (
                    organisation.pk,
                    adapt(day),
                    agent,
                    team,
                    channel,
                    sums.tobytes(),
                    values.tobytes(),
                )
                for (day, agent, team, channel), sums, values in _day_rows(
                    organisation, days, aggregates
                )
            ]
            # The rows for every channel first, so that they lie together on disk: a period
            # without a channel filter reads only those.
            summaries.sort(key=lambda row: (row[4] != "", row[1]))
            AgentDaySummary.objects.filter(organisation_id=organisation.pk, day__in=days).delete()
            DaySummary.objects.filter(organisation_id=organisation.pk, day__in=days).delete()
            interactions = Interaction.objects.filter(
                organisation=organisation, local_date__in=list(days)
            )
            dimension_rows = [
                (organisation.pk, adapt(row.day), dimension, row.key, *row.as_bytes())
                for dimension, rows in day_rows_of(interactions, aggregates, DIMENSIONS).items()
                for row in rows
            ]
            with connection.cursor() as cursor:
                cursor.executemany(insert, summaries)
                cursor.executemany(insert_dimensions, dimension_rows)
            for day, version in _free(organisation, stamps):
                marked += DayStamp.objects.filter(
                    organisation_id=organisation.pk, day=day, version=version
                ).update(built_version=version, built_with=built_with, built_token=uuid.uuid4().hex)
    except IntegrityError:  # another worker built the same days at the same moment
        return 0
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
            raise
        return 0
    return marked


def _free(
    organisation: Organisation, stamps: list[tuple[dt.date, int]]
) -> list[tuple[dt.date, int]]:
    """The (day, version) of `stamps` the build may mark, locked for it. On PostgreSQL a stamp
    that a writer's open transaction has bumped is left due rather than waited for: the writer
    may next bump a stamp this build holds (an import's batch stamps its days, then the days its
    next-contact refresh touched), and each would wait for the other (a deadlock, which fails
    the import). On SQLite the build holds the only write lock already."""
    if not connection.features.has_select_for_update_skip_locked:
        return stamps
    free = set(
        DayStamp.objects.filter(organisation_id=organisation.pk, day__in=[d for d, _v in stamps])
        .order_by("day")
        .select_for_update(skip_locked=True)
        .values_list("day", flat=True)
    )
    return [(day, version) for day, version in stamps if day in free]


def summaries_build(
    organisation: Organisation,
    *,
    everything: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Build the organisation's days that changed since their summaries were built (with
    `everything`, every day). `progress(done, total)` after each chunk of days. Returns the
    number of days built."""
    aggregates = aggregates_of(organisation)
    built_with = fingerprint(aggregates)
    stamps = DayStamp.objects.filter(organisation_id=organisation.pk)
    if not everything:
        stamps = stamps.exclude(built_version=F("version"), built_with=built_with)
    due = list(stamps.order_by("day").values_list("day", flat=True))
    built = 0
    for start in range(0, len(due), BUILD_CHUNK_DAYS):
        built += _days_build(
            organisation, due[start : start + BUILD_CHUNK_DAYS], aggregates, built_with
        )
        if progress is not None:
            progress(min(start + BUILD_CHUNK_DAYS, len(due)), len(due))
    return built


def summaries_build_due() -> int:
    """The worker's job: build the changed days of every organisation, and drop the stamps
    and summaries of organisations that are gone. Returns the number of days built."""
    known = set(Organisation.objects.values_list("pk", flat=True))
    stamped = set(DayStamp.objects.values_list("organisation_id", flat=True).distinct())
    gone = stamped - known
    if gone:
        AgentDaySummary.objects.filter(organisation_id__in=gone).delete()
        DaySummary.objects.filter(organisation_id__in=gone).delete()
        DayStamp.objects.filter(organisation_id__in=gone).delete()
    built = 0
    importing = _importing()
    for organisation in Organisation.objects.filter(pk__in=stamped & known).order_by("pk"):
        if organisation.pk not in importing:
            built += summaries_build(organisation)
    return built


def _importing() -> set[int]:
    """The organisations an interaction import is writing to now (running, its heartbeat
    fresh): their days are built when it ends. Each of its batches changes the days again (a
    file of a year changes every day of the year), so building them meanwhile would read the
    organisation's interactions over and over, on the cores the import and the pages need;
    until they are built the figures read those days from the interactions, as exact."""
    fresh = timezone.now() - dt.timedelta(seconds=stale_after_seconds())
    return set(
        ImportJob.objects.filter(
            state=JobState.RUNNING,
            kind=ImportJob.Kind.INTERACTIONS,
            dry_run=False,
            heartbeat_at__gte=fresh,
        ).values_list("organisation_id", flat=True)
    )


# --- one day of everyone, or of one channel, agent, team or category -------------------------


@dataclass
class DayRow:
    """One day's interactions of one dimension's key (a DaySummary, or the same computed from
    the interactions): the aggregates of `aggregates_of` in their order (NaN: a sum of
    nothing), each duration column's values (sorted) and the distinct customers."""

    day: dt.date
    key: str
    sums: np.ndarray
    durations: list[np.ndarray]
    customers: np.ndarray

    def as_bytes(self) -> tuple[bytes, bytes, bytes]:
        """sums, durations and customers as a DaySummary stores them."""
        counts = np.array([len(v) for v in self.durations], dtype=np.int64)
        return (
            self.sums.astype(float).tobytes(),
            counts.tobytes() + b"".join(v.tobytes() for v in self.durations),
            self.customers.tobytes(),
        )

    @classmethod
    def from_bytes(
        cls, day: dt.date, key: str, sums: bytes, durations: bytes | None, customers: bytes | None
    ) -> "DayRow":
        values: list[np.ndarray] = []
        if durations is not None:
            width = len(DURATION_COLUMNS)
            flat = np.frombuffer(durations, dtype=float, offset=8 * width)
            end = 0
            for count in np.frombuffer(durations, dtype=np.int64, count=width).tolist():
                values.append(flat[end : end + count])
                end += count
        return cls(
            day=day,
            key=key,
            sums=np.frombuffer(sums, dtype=float),
            durations=values,
            customers=np.frombuffer(customers or b"", dtype=np.int64),
        )


def customer_codes(keys: Sequence[str]) -> np.ndarray:
    """Customers' keys as int64 fingerprints (the first 8 bytes of their BLAKE2b hash; two
    keys share one with a chance of 1 in 10¹⁹), 0 for no customer."""
    out = np.zeros(len(keys), dtype=np.int64)
    for i, key in enumerate(keys):
        if key:
            digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
            out[i] = int.from_bytes(digest, "little", signed=True)
    return out


def _key_text(value: Any) -> str:
    """A dimension's value as a DaySummary's key: an id as text, "" for none."""
    return "" if value is None else str(value)


def day_rows_of(
    interactions: QuerySet[Interaction],
    aggregates: Mapping[str, Aggregate],
    dimensions: Iterable[str],
) -> dict[str, list[DayRow]]:
    """The DayRows of `interactions` (one organisation's) for each of `dimensions`, per day
    and key: what DaySummary keeps, computed from the interactions themselves."""
    dimensions = list(dimensions)
    fields = [field for d in dimensions if (field := DIMENSIONS[d])]
    qs = interactions.order_by()
    columns = [Coalesce(c, Value(-1.0), output_field=FloatField()) for c in DURATION_COLUMNS]
    found = _fetch(qs.values_list(DayNumber("local_date"), "customer_id", *fields, *columns))
    width = 2 + len(fields)
    day_numbers = np.array([r[0] for r in found], dtype=np.int64)
    customers = customer_codes([r[1] for r in found])
    values = _as_float_table([r[width:] for r in found], len(DURATION_COLUMNS))
    values[values < 0] = np.nan  # no duration is negative: -1 stood for none
    names = list(aggregates)
    out: dict[str, list[DayRow]] = {}
    for dimension in dimensions:
        field = DIMENSIONS[dimension]
        if field is None:
            keys = np.zeros(len(found), dtype=np.int64)
            labels = [""]
            grouped = qs.values("local_date").annotate(**aggregates)
        else:
            at = 2 + fields.index(field)
            found_labels, inverse = np.unique(
                np.array([_key_text(r[at]) for r in found], dtype=object), return_inverse=True
            )
            keys = inverse.astype(np.int64).reshape(-1)
            labels = [str(label) for label in found_labels]
            grouped = qs.values("local_date", field).annotate(**aggregates)
        order = np.lexsort((keys, day_numbers))
        runs: dict[tuple[int, str], np.ndarray] = {}
        for start, end in zip(*_runs(np.c_[day_numbers[order], keys[order]]), strict=True):
            rows = order[start:end]
            runs[(int(day_numbers[rows[0]]), labels[int(keys[rows[0]])])] = rows
        dimension_out: list[DayRow] = []
        for group in grouped:
            day = as_date(group["local_date"])
            key = _key_text(group[field]) if field else ""
            rows = runs[(day.toordinal(), key)]
            chosen = values[rows]
            dimension_out.append(
                DayRow(
                    day=day,
                    key=key,
                    sums=np.array([group[n] for n in names], dtype=float),
                    durations=[np.sort(v[~np.isnan(v)]) for v in chosen.T],
                    customers=np.setdiff1d(np.unique(customers[rows]), [0]),
                )
            )
        out[dimension] = dimension_out
    return out


def summary_scope(
    *, organisation: Organisation, filters: Mapping[str, Any] | None
) -> tuple[str, str] | None:
    """The day summaries that hold exactly the interactions `filters` choose, as (dimension,
    key): ("", "") for no filter, e.g. ("channel", "phone") for one; None when none does (two
    filters, a segment, an agent key that names two agents). FilterError for an unknown one."""
    wanted = {name: str(v).strip() for name, v in (filters or {}).items() if v not in (None, "")}
    resolve_filters(organisation=organisation, filters=wanted)
    if not wanted:
        return ("", "")
    if len(wanted) > 1:
        return None
    ((name, value),) = wanted.items()
    if name in ("channel", "category"):
        return (name, value)
    if name in ("agent", "team"):
        ids = filter_ids(organisation=organisation, name=name, value=value)
        return (name, str(ids[0])) if len(ids) == 1 else None
    return None


@dataclass(frozen=True)
class SummaryState:
    """Which days of a range are read from their interactions (`stale`: changed since their
    summaries were built, or built with other aggregates), and, when none is, `built`: a
    fingerprint of every day's build token, which changes whenever any day is built again
    or a day is added, so that figures computed from these summaries can be kept under it."""

    stale: list[dt.date]
    built: str | None


def summary_state(
    *, organisation: Organisation, date_from: dt.date, date_to: dt.date
) -> SummaryState:
    """The SummaryState of the organisation's days date_from..date_to."""
    built_with = fingerprint(aggregates_of(organisation))
    stamps = sorted(
        DayStamp.objects.filter(
            organisation_id=organisation.pk, day__range=(date_from, date_to)
        ).values_list("day", "built_version", "version", "built_with", "built_token")
    )
    stale = [
        day for day, built, version, used, _t in stamps if built != version or used != built_with
    ]
    if stale:
        return SummaryState(stale=stale, built=None)
    text = repr((built_with, [token for _d, _b, _v, _u, token in stamps]))
    return SummaryState(
        stale=[], built=hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
    )


def day_rows(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    dimension: str,
    key: str | None = None,
    durations: bool = True,
    customers: bool = True,
    both: Callable[[Callable[[], Any], Callable[[], Any]], tuple[Any, Any]] | None = None,
    state: "SummaryState | None" = None,
) -> tuple[list[str], list[DayRow]]:
    """The names of the sums and the DayRows of the days date_from..date_to for `dimension`
    (its `key`, or every key), in order of day: the built days from DaySummary, the others
    computed from their interactions, so they say what the interactions say now. Without
    `durations` or `customers` their values are left empty (and not read). `both(first,
    second)` runs two reads (e.g. at once, as metrics.selectors does); `state`: the days'
    summary_state, when the caller has read it."""
    aggregates = aggregates_of(organisation)
    if state is None:
        state = summary_state(organisation=organisation, date_from=date_from, date_to=date_to)
    stale = state.stale
    wanted = [
        "sums",
        "durations" if durations else Value(None, output_field=FloatField()),
        "customers" if customers else Value(None, output_field=FloatField()),
    ]

    def summarised(first: dt.date, last: dt.date) -> list[DayRow]:
        qs = DaySummary.objects.filter(
            organisation_id=organisation.pk, dimension=dimension, day__range=(first, last)
        ).exclude(day__in=stale)
        if key is not None:
            qs = qs.filter(group_key=key)
        return [
            DayRow.from_bytes(
                as_date(day),
                group_key,
                bytes(sums),
                None if values is None else bytes(values),
                None if found is None else bytes(found),
            )
            for day, group_key, sums, values, found in _fetch(
                qs.order_by().values_list("day", "group_key", *wanted)
            )
        ]

    def computed() -> list[DayRow]:
        raw = Interaction.objects.filter(organisation=organisation, local_date__in=stale)
        field = DIMENSIONS[dimension]
        if key is not None and field is not None:
            if dimension in ("agent", "team"):
                raw = raw.filter(**({field: int(key)} if key else {f"{field}__isnull": True}))
            else:
                raw = raw.filter(**{field: key})
        return day_rows_of(raw, aggregates, [dimension])[dimension]

    run = both or (lambda first, second: (first(), second()))
    if stale:
        # the built days and the others at once
        found, more = run(lambda: summarised(date_from, date_to), computed)
    elif not durations:
        found, more = summarised(date_from, date_to), []
    else:
        # the two halves of the days' values at once (the database reads and sends one,
        # this process unpacks the other)
        middle = date_from + (date_to - date_from) // 2
        found, more = run(
            lambda: summarised(date_from, middle),
            lambda: summarised(middle + dt.timedelta(days=1), date_to),
        )
    rows = found + more
    rows.sort(key=lambda row: row.day)
    return list(aggregates), rows


def as_date(value: Any) -> dt.date:
    """A date as the database gives it (a date, or ISO text) as a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# --- reading --------------------------------------------------------------------------------


@dataclass
class AgentTables:
    """A period's interactions by agent and team, as two float tables whose first three
    columns are the agent (0: none), the team (0: none) and the period's index:
    `sums` one row per (agent, team, period) with the aggregates `names` (NaN: a sum of
    nothing; rows may repeat a group, to be added up); `durations` one row per interaction
    with a duration, with the values of `columns` (NaN: none)."""

    names: list[str]
    sums: np.ndarray
    columns: list[str]
    durations: np.ndarray


def agent_tables(
    *,
    organisation: Organisation,
    periods: Sequence[tuple[dt.date, dt.date]],
    aggregates: Mapping[str, Aggregate],
    duration_columns: Sequence[str],
    filters: Mapping[str, Any] | None = None,
    rows: Q | None = None,
    both: Callable[[Callable[[], Any], Callable[[], Any]], tuple[Any, Any]] | None = None,
) -> AgentTables:
    """The tables of `periods` (which must not overlap): the built days from their summaries,
    the other days from their interactions. `aggregates` must be among the catalogue's;
    `filters` as metrics.selectors reads them (the summaries know no category, so with one
    every day is read from the interactions); `rows`: a condition on agent_id and
    team_id; `both(first, second)` runs the two reads
    (e.g. at once, as metrics.selectors does)."""
    names = list(aggregates)
    first = min(a for a, _b in periods)
    last = max(b for _a, b in periods)
    all_aggregates = aggregates_of(organisation)
    built_with = fingerprint(all_aggregates)
    stamps = list(
        DayStamp.objects.filter(
            organisation_id=organisation.pk, day__range=(first, last)
        ).values_list("day", "built_version", "version", "built_with")
    )
    wanted = {name: v for name, v in (filters or {}).items() if v not in (None, "")}
    chosen = resolve_filters(organisation=organisation, filters=wanted)  # FilterError if unknown
    # The summaries know each channel, agent and team, not categories or customers (segments).
    served = not {"category", "segment"} & set(wanted)
    stale = [
        day
        for day, built, version, used in stamps
        if not served or built != version or used != built_with
    ]
    sum_index = [list(all_aggregates).index(n) for n in names]
    column_index = [DURATION_COLUMNS.index(c) for c in duration_columns]

    def from_summaries() -> tuple[np.ndarray, np.ndarray]:
        if not served:
            return np.empty((0, 3 + len(names))), np.empty((0, 3 + len(duration_columns)))
        qs = AgentDaySummary.objects.filter(
            chosen, organisation_id=organisation.pk, day__range=(first, last)
        ).exclude(day__in=stale)
        if "channel" not in wanted:
            qs = qs.filter(channel="")
        if rows is not None:
            qs = qs.filter(rows)
        found = _fetch(
            qs.order_by().values_list(
                "agent_id", "team_id", _bucket(periods, "day"), "sums", "durations"
            )
        )
        keys = np.array([r[:3] for r in found], dtype=float).reshape(len(found), 3)
        width = len(all_aggregates)
        sums = np.frombuffer(b"".join(bytes(r[3]) for r in found), dtype=float).reshape(
            len(found), width
        )[:, sum_index]
        full = len(DURATION_COLUMNS) * 8
        counts = np.array([len(r[4]) // full for r in found], dtype=np.int64)
        values = np.frombuffer(b"".join(bytes(r[4]) for r in found), dtype=float).reshape(
            int(counts.sum()), len(DURATION_COLUMNS)
        )[:, column_index]
        durations = np.hstack([np.repeat(keys, counts, axis=0), values])
        return np.hstack([keys, sums]), durations

    def from_interactions() -> tuple[np.ndarray, np.ndarray]:
        if not stale:
            return np.empty((0, 3 + len(names))), np.empty((0, 3 + len(duration_columns)))
        qs = Interaction.objects.filter(
            chosen, organisation=organisation, local_date__in=stale
        ).order_by()
        if rows is not None:
            qs = qs.filter(rows)
        bucket = _bucket(periods, "local_date")
        sum_rows = [
            (r["agent_id"] or 0, r["team_id"] or 0, r["bucket"], *(r[n] for n in names))
            for r in (
                qs.annotate(bucket=bucket)
                .values("agent_id", "team_id", "bucket")
                .annotate(**{n: aggregates[n] for n in names})
                if names
                else []
            )
        ]
        present = Q()
        for column in duration_columns:
            present |= Q(**{f"{column}__isnull": False})
        duration_rows = (
            _fetch(
                qs.filter(present).values_list(
                    Coalesce("agent_id", 0),
                    Coalesce("team_id", 0),
                    bucket,
                    *(
                        Coalesce(c, Value(-1.0), output_field=FloatField())
                        for c in duration_columns
                    ),
                )
            )
            if duration_columns
            else []
        )
        width = 3 + len(duration_columns)
        table = np.fromiter(
            chain.from_iterable(duration_rows), dtype=float, count=len(duration_rows) * width
        ).reshape(len(duration_rows), width)
        values = table[:, 3:]
        values[values < 0] = np.nan  # no duration is negative: -1 stood for none
        return _as_float_table(sum_rows, 3 + len(names)), table

    run = both or (lambda a, b: (a(), b()))
    (summary_sums, summary_durations), (raw_sums, raw_durations) = run(
        from_summaries, from_interactions
    )
    return AgentTables(
        names=names,
        sums=np.vstack([summary_sums, raw_sums]),
        columns=list(duration_columns),
        durations=np.vstack([summary_durations, raw_durations]),
    )


def grouped_sums(
    table: np.ndarray, codes: np.ndarray, names: Sequence[str]
) -> dict[int, dict[str, Any]]:
    """Rows of aggregates (`table`, one column per name) added up by `codes`: code → {name:
    total}, None where every row had nothing; whole numbers come back as int."""
    if not len(codes):
        return {}
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    values = table[order]
    known = ~np.isnan(values)
    totals = np.add.reduceat(np.where(known, values, 0.0), starts, axis=0)
    present = np.add.reduceat(known, starts, axis=0)
    out: dict[int, dict[str, Any]] = {}
    for i, code in enumerate(sorted_codes[starts]):
        out[int(code)] = {
            name: None
            if not present[i, j]
            else int(totals[i, j])
            if float(totals[i, j]).is_integer()
            else float(totals[i, j])
            for j, name in enumerate(names)
        }
    return out


def groups_of(codes: np.ndarray, keep: np.ndarray) -> Iterable[tuple[int, np.ndarray]]:
    """(code, indices of its rows) for every code among the rows `keep` selects."""
    chosen = np.flatnonzero(keep)
    if not chosen.size:
        return
    order = chosen[np.argsort(codes[chosen], kind="stable")]
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    for start, end in zip(starts, [*starts[1:], len(order)], strict=True):
        yield int(sorted_codes[start]), order[start:end]
