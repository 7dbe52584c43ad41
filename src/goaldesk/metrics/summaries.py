"""Agent day summaries: build them from the interactions, and read a period's figures by agent
and team from them (metrics/models.py says how the database keeps them honest).

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import Aggregate, Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import Channel, Interaction
from goaldesk.interactions.selectors import resolve_filters
from goaldesk.metrics.catalogue import CATALOGUE, Durations, Sums
from goaldesk.metrics.models import AgentDaySummary, DayStamp
from goaldesk.metrics.sql import DayNumber

#: Bumped when what a summary row holds changes, so that every day is built again.
SUMMARY_FORMAT = 1
#: The duration columns a summary keeps, in the order of its rows' values.
DURATION_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(m.computed.column for m in CATALOGUE if isinstance(m.computed, Durations))
)
#: Days built in one pass (one read of their interactions, one transaction, which on SQLite
#: holds the write lock: about a second for a week of a million-a-year desk).
BUILD_CHUNK_DAYS = 7
#: How often the worker's clock builds the days that changed.
BUILD_EVERY_SECONDS = 5


def aggregates_of(organisation: Organisation) -> dict[str, Aggregate]:
    """Every count and sum aggregate of the catalogue for `organisation`, by name (sorted)."""
    wanted: dict[str, Aggregate] = {}
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
    marked = 0
    try:
        with transaction.atomic():
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
            with connection.cursor() as cursor:
                cursor.executemany(insert, summaries)
            for day, version in stamps:
                marked += DayStamp.objects.filter(
                    organisation_id=organisation.pk, day=day, version=version
                ).update(built_version=version, built_with=built_with)
    except IntegrityError:  # another worker built the same days at the same moment
        return 0
    return marked


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
        DayStamp.objects.filter(organisation_id__in=gone).delete()
    built = 0
    for organisation in Organisation.objects.filter(pk__in=stamped & known).order_by("pk"):
        built += summaries_build(organisation)
    return built


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
