"""Writes of interactions, agents, teams and reviews.

Every write of an interaction goes through `InteractionWriter` (`interactions_upsert`,
`interaction_create`, the import, the API, the quick log, the demo), which also fills the
derived columns (`local_date`, `is_live`, first response / resolution / field times in calendar
and business seconds) so the metric queries are plain aggregates. `next_contact_at` (the
created_at of the same customer's next interaction in the same category) depends on other rows:
after each batch one set-based UPDATE refreshes it for every (customer_id, category) the batch
wrote or moved away from.

Within one call, several records with the same external_id are applied in order: the last one
wins, and each earlier occurrence counts as an update of the row it created (as if the records
had been sent one after another).
"""

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from goaldesk.accounts.models import Organisation
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.customers.services import customers_ensure
from goaldesk.engine.business_hours import BusinessCalendar
from goaldesk.engine.canonical import CANONICAL_FIELDS
from goaldesk.engine.names import fold_name
from goaldesk.interactions.exporting import canonical_row
from goaldesk.interactions.models import (
    LIVE_CHANNELS,
    Category,
    ImportJob,
    Interaction,
    InteractionChange,
    InteractionNote,
    Review,
)
from goaldesk.interactions.records import InteractionData, ReviewData, parse_interaction
from goaldesk.team.models import Agent, Team
from goaldesk.team.selectors import agent_index, team_index

#: Rows per INSERT/UPDATE statement (SQLite allows 32,766 parameters; 36 columns × 500 fits).
WRITE_BATCH_SIZE = 500

#: The columns an upsert writes (everything but the primary key and organisation).
DATA_FIELDS = (
    "external_id",
    "channel",
    "created_at",
    "customer_id",
    "agent_id",
    "team_id",
    "category",
    "first_response_at",
    "resolved_at",
    "status",
    "outcome",
    "wait_seconds",
    "handle_seconds",
    "csat",
    "nps",
    "ces",
    "sentiment_start",
    "sentiment_end",
    "arrived_at",
    "fixed_at",
)
DERIVED_FIELDS = (
    "local_date",
    "is_live",
    "first_response_seconds",
    "first_response_business_seconds",
    "resolution_seconds",
    "resolution_business_seconds",
    "time_to_arrive_seconds",
    "time_to_fix_seconds",
)
#: Positions in a prepared row (organisation_id first, then DATA_FIELDS, …).
_EXTERNAL_ID, _CUSTOMER, _AGENT, _TEAM, _CATEGORY = 1, 4, 5, 6, 7
#: Where a prepared row holds the agent's value and the team's name (the import counts them).
AGENT_SLOT, TEAM_SLOT = _AGENT, _TEAM
#: external_ids per lookup query (well inside every database's parameter limit).
EXISTING_CHUNK = 2000
#: (customer_id, category) keys per next_contact_at refresh statement (two parameters each;
#: an import batch of 2,000 rows needs one statement).
REFRESH_CHUNK = 5000
_LIVE = frozenset(str(channel) for channel in LIVE_CHANNELS)


@dataclass
class UpsertResult:
    created: int
    updated: int


class DerivedColumns:
    """Computes the derived columns of interactions for one organisation's time zone and hours."""

    def __init__(self, *, organisation: Organisation, calendar: BusinessCalendar | None = None):
        self.tz = organisation.tzinfo
        self.calendar = calendar if calendar is not None else business_calendar_for(organisation)
        # With no opening hours at all the organisation is always open (see BusinessCalendar):
        # business seconds then equal calendar seconds and the calendar need not be asked.
        self.always_open = not any(self.calendar.spans.values())

    def business_seconds(self, start: dt.datetime, end: dt.datetime, seconds: float) -> float:
        if self.always_open:
            return max(seconds, 0.0)
        return self.calendar.business_seconds(start, end)

    def compute(
        self,
        *,
        channel: str,
        created_at: dt.datetime,
        first_response_at: dt.datetime | None,
        wait_seconds: float | None,
        status: str,
        resolved_at: dt.datetime | None,
        arrived_at: dt.datetime | None,
        fixed_at: dt.datetime | None,
    ) -> tuple:
        """The values of DERIVED_FIELDS, in order."""
        first: float | None
        first_business: float | None
        resolution: float | None
        resolution_business: float | None
        if first_response_at is not None:
            first = (first_response_at - created_at).total_seconds()
            first_business = self.business_seconds(created_at, first_response_at, first)
        elif wait_seconds is not None:
            first = wait_seconds
            first_business = self.business_seconds(
                created_at, created_at + dt.timedelta(seconds=wait_seconds), first
            )
        else:
            first = first_business = None
        if status == "resolved" and resolved_at is not None:
            resolution = (resolved_at - created_at).total_seconds()
            resolution_business = self.business_seconds(created_at, resolved_at, resolution)
        else:
            resolution = resolution_business = None
        return (
            created_at.astimezone(self.tz).date(),
            channel in _LIVE,
            first,
            first_business,
            resolution,
            resolution_business,
            (arrived_at - created_at).total_seconds() if arrived_at is not None else None,
            (fixed_at - created_at).total_seconds() if fixed_at is not None else None,
        )


#: Rows a writer inserts before it first refreshes the table's statistics (then at each doubling).
ANALYZE_AFTER_ROWS = 1_000


class InteractionWriter:
    """Upserts batches of records for one organisation, keeping its derived-column calculator.

    The import runner keeps one writer for a whole file; `interactions_upsert` makes one per call.
    """

    def __init__(
        self,
        *,
        organisation: Organisation,
        calendar: BusinessCalendar | None = None,
        team_map: Mapping[str, int] | None = None,
    ):
        self.organisation = organisation
        #: folded team name → the team an import was told to use for it
        self.team_map = dict(team_map or {})
        #: folded spelling → agent / team id, read when first needed
        self._agents: dict[str, int] | None = None
        self._teams: dict[str, int] | None = None
        self._agent_keys: dict[str, int] = {}
        self.derived = DerivedColumns(organisation=organisation, calendar=calendar)
        self.sql = _InteractionSQL.get()
        self.inserted = 0
        self.analyze_at = ANALYZE_AFTER_ROWS
        #: category keys known to exist, so a long import asks once per new key
        self.categories: set[str] = set()
        #: customer keys known to have a customer record (one INSERT per batch for new ones)
        self.customers: set[str] = set()

    def existing_ids(self, external_ids: Iterable[str]) -> dict[str, int]:
        """external_id → primary key of those that exist already (one query per 2,000 ids)."""
        found = self.sql.existing(self.organisation.pk, list(external_ids))
        return {external_id: row[0] for external_id, row in found.items()}

    def agent_lookup(self, value: str) -> int | None:
        """The id of the agent `value` names (key, name or other spelling, compared folded:
        see engine/names.py and team.selectors.agent_index), or None for a new agent."""
        if self._agents is None:
            self._agents = agent_index(organisation=self.organisation)
            # An exact key wins (two old agents may differ only in case).
            self._agent_keys = dict(
                Agent.objects.filter(organisation=self.organisation).values_list("key", "pk")
            )
        exact = self._agent_keys.get(value)
        return exact if exact is not None else self._agents.get(fold_name(value))

    def team_lookup(self, name: str) -> int | None:
        """The id of the team `name` names (the import's chosen team first, then the name
        compared folded), or None for a new team."""
        if self._teams is None:
            self._teams = {**team_index(organisation=self.organisation), **self.team_map}
        return self._teams.get(fold_name(name))

    def agent_ids(self, wanted: dict[str, str]) -> dict[str, int]:
        """Agent value → primary key, creating missing agents (wanted: value → first team
        name). A value is matched by key, name or other spelling, folded; values that fold
        the same make one new agent, keyed by the first of them."""
        if not wanted:
            return {}
        org = self.organisation
        found: dict[str, int] = {}
        new: dict[str, str] = {}  # folded → the value that becomes the new agent's key
        for value in wanted:
            agent_id = self.agent_lookup(value)
            if agent_id is not None:
                found[value] = agent_id
            else:
                new.setdefault(fold_name(value), value)
        if new:
            team_ids = self.team_ids({wanted[key] for key in new.values() if wanted[key]})
            Agent.objects.bulk_create(
                [
                    Agent(organisation=org, key=key, team_id=team_ids.get(wanted[key]))
                    for key in new.values()
                ],
                ignore_conflicts=True,
            )
            created = Agent.objects.filter(organisation=org, key__in=list(new.values()))
            agents = cast(dict[str, int], self._agents)
            for key, pk in created.values_list("key", "pk"):
                agents[fold_name(key)] = pk
            for value in wanted:
                if value not in found:
                    found[value] = agents[fold_name(value)]
        return found

    def team_ids(self, names: set[str]) -> dict[str, int]:
        """Team name → primary key, creating missing teams (names compared folded; names that
        fold the same make one new team, named as the first of them)."""
        if not names:
            return {}
        org = self.organisation
        found: dict[str, int] = {}
        new: dict[str, str] = {}
        for name in sorted(names):
            team_id = self.team_lookup(name)
            if team_id is not None:
                found[name] = team_id
            else:
                new.setdefault(fold_name(name), name)
        if new:
            Team.objects.bulk_create(
                [Team(organisation=org, name=name) for name in new.values()],
                ignore_conflicts=True,
            )
            created = Team.objects.filter(organisation=org, name__in=list(new.values()))
            teams = cast(dict[str, int], self._teams)
            for name, pk in created.values_list("name", "pk"):
                teams[fold_name(name)] = pk
            for name in names:
                if name not in found:
                    found[name] = teams[fold_name(name)]
        return found

    def prepare(self, r: InteractionData) -> list:
        """One record as a row of values for INSERT_COLUMNS, derived columns included.

        Pure computation (no queries): the import runs it while the previous batch is being
        written. The agent and team slots still hold the key and name; `write_prepared`
        swaps in their ids.
        """
        sql = self.sql
        stamp = sql.adapt_datetime
        created_at = r.created_at
        first_response_at = r.first_response_at
        resolved_at = r.resolved_at
        arrived_at = r.arrived_at
        fixed_at = r.fixed_at
        derived = self.derived.compute(
            channel=r.channel,
            created_at=created_at,
            first_response_at=first_response_at,
            wait_seconds=r.wait_seconds,
            status=r.status,
            resolved_at=resolved_at,
            arrived_at=arrived_at,
            fixed_at=fixed_at,
        )
        return [
            self.organisation.pk,
            r.external_id,
            r.channel,
            stamp(created_at),
            r.customer_id,
            r.agent,
            r.team,
            r.category,
            stamp(first_response_at) if first_response_at is not None else None,
            stamp(resolved_at) if resolved_at is not None else None,
            r.status,
            r.outcome,
            r.wait_seconds,
            r.handle_seconds,
            r.csat,
            r.nps,
            r.ces,
            r.sentiment_start,
            r.sentiment_end,
            stamp(arrived_at) if arrived_at is not None else None,
            stamp(fixed_at) if fixed_at is not None else None,
            sql.adapt_date(derived[0]),
            *derived[1:],
            None,  # imported_by_id
            None,  # updated_at
        ]

    def write(
        self, records: Sequence[InteractionData], *, import_job: ImportJob | None = None
    ) -> UpsertResult:
        """Insert or update `records` (the caller provides the transaction)."""
        return self.write_prepared([self.prepare(r) for r in records], import_job=import_job)

    def write_prepared(
        self, rows: Sequence[list], *, import_job: ImportJob | None = None
    ) -> UpsertResult:
        """Insert or update rows made by `prepare` (the caller provides the transaction)."""
        latest: dict[str, list] = {}
        for row in rows:
            latest[row[_EXTERNAL_ID]] = row
        repeated = len(rows) - len(latest)
        # external_id → (pk, customer_id, category) as stored before this batch.
        existing = self.sql.existing(self.organisation.pk, list(latest))
        wanted_agents: dict[str, str] = {}
        teams: set[str] = set()
        for row in latest.values():
            agent, team = row[_AGENT], row[_TEAM]
            if agent and agent not in wanted_agents:
                wanted_agents[agent] = team
            if team:
                teams.add(team)
        agent_ids = self.agent_ids(wanted_agents)
        team_ids = self.team_ids(teams)
        new_categories = {row[_CATEGORY] for row in latest.values()} - self.categories - {""}
        if new_categories:
            categories_ensure(organisation=self.organisation, keys=new_categories)
            self.categories |= new_categories
        new_customers = {row[_CUSTOMER] for row in latest.values()} - self.customers - {""}
        if new_customers:
            customers_ensure(organisation=self.organisation, keys=new_customers)
            self.customers |= new_customers

        now = self.sql.adapt_datetime(timezone.now())
        job_id = import_job.pk if import_job is not None else None
        new: list[list] = []
        changed: list[list] = []
        # The (customer_id, category) whose next_contact_at may change: every key written,
        # and the old key of a row that moved to another customer or category.
        keys: set[tuple[str, str]] = set()
        for external_id, row in latest.items():
            row[_AGENT] = agent_ids.get(row[_AGENT]) if row[_AGENT] else None
            row[_TEAM] = team_ids.get(row[_TEAM]) if row[_TEAM] else None
            row[-2] = job_id
            row[-1] = now
            if row[_CUSTOMER]:
                keys.add((row[_CUSTOMER], row[_CATEGORY]))
            before = existing.get(external_id)
            if before is None:
                new.append(row)
            else:
                changed.append([*row, before[0]])
                if before[1]:
                    keys.add((before[1], before[2]))
        self.sql.insert(new)
        self.sql.update(changed)
        self.inserted += len(new)
        if self.inserted >= self.analyze_at:
            # PostgreSQL plans from table statistics. After a bulk load into a (nearly) empty
            # table they still say "empty", and the next_contact refresh below then scans the
            # table once per row (minutes for a few thousand rows). ANALYZE samples the table:
            # cheap, and done at each doubling of what this writer added.
            self.sql.analyze()
            self.analyze_at = 2 * self.inserted
        self.sql.refresh_next_contact(self.organisation.pk, keys)
        return UpsertResult(created=len(new), updated=len(changed) + repeated)


class _InteractionSQL:
    """Plain INSERT/UPDATE statements for interaction rows.

    The ORM's bulk_create spends most of an import preparing each value of each model
    instance; for a million rows the import writes tuples directly instead (executemany on
    SQLite, COPY on PostgreSQL), with values adapted exactly as Django adapts them, so the ORM
    reads them back unchanged.
    """

    _cache: dict[str, "_InteractionSQL"] = {}

    def __init__(self) -> None:
        meta = Interaction._meta
        quote = connection.ops.quote_name
        self.vendor = connection.vendor
        self.table = quote(meta.db_table)
        written = [*DATA_FIELDS, *DERIVED_FIELDS, "imported_by_id", "updated_at"]
        columns = [quote(_column(name)) for name in written]
        self.insert_columns = [quote(_column("organisation")), *columns]
        # Table and column names come from the model, never from input.
        self.insert_sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            self.table, ", ".join(self.insert_columns), ", ".join(["%s"] * len(self.insert_columns))
        )
        next_contact = quote(_column("next_contact_at"))
        # An updated row's next_contact_at is recomputed with its key's (see write_prepared);
        # emptied here so that a row which lost its customer keeps no stale value.
        self.update_sql = "UPDATE {} SET {}, {} = NULL WHERE {} = %s".format(  # noqa: S608
            self.table,
            ", ".join(f"{c} = %s" for c in self.insert_columns),
            next_contact,
            quote(meta.pk.column),
        )
        organisation, customer, category, created = (
            quote(_column(name))
            for name in ("organisation", "customer_id", "category", "created_at")
        )
        # The first strictly later created_at of the same organisation, customer and category:
        # one seek on the (organisation, customer_id, category, created_at) index per row.
        # Outer columns are named with the table, the inner ones with the alias.
        # Rows whose value stays (most of them) are not written again.
        table = self.table
        following = (
            f"(SELECT MIN(later.{created}) FROM {table} AS later"  # noqa: S608 - model names
            f" WHERE later.{organisation} = {table}.{organisation}"
            f" AND later.{customer} = {table}.{customer}"
            f" AND later.{category} = {table}.{category}"
            f" AND later.{created} > {table}.{created})"
        )
        differs = "IS NOT" if self.vendor == "sqlite" else "IS DISTINCT FROM"
        self.refresh_sql = (
            f"UPDATE {table} SET {next_contact} = {following}"  # noqa: S608 - model names
            f" WHERE {organisation} = %s AND {customer} <> ''"
            f" AND {next_contact} {differs} {following}"
        )
        # As a subquery of a VALUES list (not `IN (VALUES …)`), SQLite seeks each key in the
        # index instead of scanning the organisation's rows; PostgreSQL joins it the same way.
        self.refresh_keys_sql = (
            f"{self.refresh_sql} AND ({customer}, {category}) IN"  # noqa: S608 - model names
            " (SELECT keys.column1, keys.column2 FROM (VALUES {}) AS keys)"
        )
        self.update_derived_sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
            self.table,
            ", ".join(f"{quote(_column(name))} = %s" for name in DERIVED_FIELDS),
            quote(meta.pk.column),
        )
        self.existing_sql = "SELECT {}, {}, {}, {} FROM {} WHERE {} = %s AND {} IN ({{}})".format(  # noqa: S608
            quote(_column("external_id")), quote(meta.pk.column), quote(_column("customer_id")),
            quote(_column("category")), self.table,
            quote(_column("organisation")), quote(_column("external_id")),
        )  # fmt: skip
        if self.vendor == "sqlite":
            utc = dt.UTC

            def adapt_datetime(value: dt.datetime) -> str:
                return str(value.astimezone(utc).replace(tzinfo=None))

            self.adapt_datetime: Callable[[dt.datetime], Any] = adapt_datetime
            self.adapt_date: Callable[[dt.date], Any] = str
        else:
            self.adapt_datetime = self.adapt_date = _identity

    @classmethod
    def get(cls) -> "_InteractionSQL":
        key = connection.alias + connection.vendor
        if key not in cls._cache:
            cls._cache[key] = cls()
        return cls._cache[key]

    def existing(
        self, organisation_id: int, external_ids: list[str]
    ) -> dict[str, tuple[int, str, str]]:
        """external_id → (pk, customer_id, category) of the rows that exist already."""
        found: dict[str, tuple[int, str, str]] = {}
        with connection.cursor() as cursor:
            for start in range(0, len(external_ids), EXISTING_CHUNK):
                chunk = external_ids[start : start + EXISTING_CHUNK]
                cursor.execute(
                    self.existing_sql.format(", ".join(["%s"] * len(chunk))),
                    [organisation_id, *chunk],
                )
                for external_id, pk, customer_id, category in cursor.fetchall():
                    found[external_id] = (pk, customer_id, category)
        return found

    def refresh_next_contact(
        self, organisation_id: int, keys: Iterable[tuple[str, str]] | None
    ) -> None:
        """Recompute next_contact_at of every row with one of `keys` (customer_id, category);
        keys None: of every row of the organisation."""
        with connection.cursor() as cursor:
            if keys is None:
                cursor.execute(self.refresh_sql, [organisation_id])
                return
            pending = sorted(keys)
            for start in range(0, len(pending), REFRESH_CHUNK):
                chunk = pending[start : start + REFRESH_CHUNK]
                params: list[Any] = [organisation_id]
                for customer_id, category in chunk:
                    params += (customer_id, category)
                cursor.execute(
                    self.refresh_keys_sql.format(", ".join(["(%s, %s)"] * len(chunk))), params
                )

    def insert(self, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                copy_sql = "COPY {} ({}) FROM STDIN".format(
                    self.table, ", ".join(self.insert_columns)
                )
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.insert_sql, rows)

    def analyze(self) -> None:
        """Refresh the table's planner statistics (PostgreSQL; SQLite plans without them)."""
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {self.table}")

    def update_derived(self, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.update_derived_sql, rows)

    def update(self, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.update_sql, rows)


def _column(name: str) -> str:
    field = Interaction._meta.get_field(name)
    if not isinstance(field, Field):  # a reverse relation or a generic key: no column of its own
        raise TypeError(f"Interaction.{name} is not a column.")
    return str(field.column)


def _identity(value: Any) -> Any:
    return value


def categories_ensure(*, organisation: Organisation, keys: Iterable[str]) -> int:
    """Create a category for each of `keys` the organisation does not have yet (named from its
    key until a person names it); returns how many were new. The caller provides the
    transaction when it needs one."""
    wanted = {key for key in keys if key}
    if not wanted:
        return 0
    existing = set(
        Category.objects.filter(organisation=organisation, key__in=wanted).values_list(
            "key", flat=True
        )
    )
    missing = sorted(wanted - existing)
    Category.objects.bulk_create(
        [Category(organisation=organisation, key=key) for key in missing], ignore_conflicts=True
    )
    return len(missing)


def category_names_save(*, organisation: Organisation, names: dict[int, dict[str, str]]) -> int:
    """Set the names of the organisation's categories ({category id: {language: name}}; an
    empty name removes that language's name). Returns how many categories changed; ids of
    other organisations are ignored."""
    changed = 0
    with transaction.atomic():
        for category in Category.objects.select_for_update().filter(
            organisation=organisation, pk__in=list(names)
        ):
            wanted = {lang: name.strip() for lang, name in names[category.pk].items()}
            wanted = {lang: name for lang, name in wanted.items() if name}
            if wanted != (category.names or {}):
                category.names = wanted
                category.save(update_fields=["names"])
                changed += 1
    return changed


def interactions_upsert(
    *,
    organisation: Organisation,
    records: Sequence[InteractionData],
    import_job: ImportJob | None = None,
    calendar: BusinessCalendar | None = None,
) -> UpsertResult:
    """Insert or update (by external_id) `records` in one transaction, with derived columns.

    Agents (by key, name or other spelling) and teams (by name), compared folded (see
    engine/names.py), are created when new. Returns how
    many rows were new and how many existed already (a record repeated within `records` counts
    as an update; the last one wins). `calendar` saves reading the business hours again when
    the caller has them.
    """
    with transaction.atomic():
        return InteractionWriter(organisation=organisation, calendar=calendar).write(
            records, import_job=import_job
        )


def interaction_create(*, organisation: Organisation, data: InteractionData) -> Interaction:
    """Write one interaction (the quick "log a visit" form, the API) and return it.

    An existing interaction with the same external_id is updated instead.
    """
    interactions_upsert(organisation=organisation, records=[data])
    return Interaction.objects.get(organisation=organisation, external_id=data.external_id)


def interactions_refresh_next_contact(*, organisation: Organisation) -> None:
    """Recompute next_contact_at of all the organisation's interactions (one UPDATE; for rows
    written around `InteractionWriter`, e.g. bulk-loaded test or benchmark data)."""
    with transaction.atomic():
        _InteractionSQL.get().refresh_next_contact(organisation.pk, None)


def interactions_recompute_derived(*, organisation: Organisation, batch_size: int = 2000) -> int:
    """Recompute every interaction's derived columns (after a time-zone or hours change).

    Works through the organisation's interactions in primary-key batches, each in its own
    transaction, then refreshes next_contact_at in one statement. Returns the number of
    interactions updated.
    """
    derived = DerivedColumns(organisation=organisation)
    inputs = (
        "pk",
        "channel",
        "created_at",
        "first_response_at",
        "wait_seconds",
        "status",
        "resolved_at",
        "arrived_at",
        "fixed_at",
    )
    last_pk = 0
    total = 0
    while True:
        rows = list(
            Interaction.objects.filter(organisation=organisation, pk__gt=last_pk)
            .order_by("pk")
            .values_list(*inputs)[:batch_size]
        )
        if not rows:
            interactions_refresh_next_contact(organisation=organisation)
            return total
        sql = _InteractionSQL.get()
        updates = []
        for pk, channel, created, first, wait, status, resolved, arrived, fixed in rows:
            values = derived.compute(
                channel=channel,
                created_at=created,
                first_response_at=first,
                wait_seconds=wait,
                status=status,
                resolved_at=resolved,
                arrived_at=arrived,
                fixed_at=fixed,
            )
            updates.append((sql.adapt_date(values[0]), *values[1:], pk))
        with transaction.atomic():
            sql.update_derived(updates)
        total += len(rows)
        last_pk = rows[-1][0]


def reviews_upsert(*, organisation: Organisation, records: Sequence[ReviewData]) -> UpsertResult:
    """Insert or update (by external_id) online reviews in one transaction.

    Returns how many were new and how many existed already (a repeated external_id counts as
    an update; the last one wins).
    """
    latest: dict[str, ReviewData] = {}
    for record in records:
        latest[record.external_id] = record
    repeated = len(records) - len(latest)
    with transaction.atomic():
        existing = dict(
            Review.objects.filter(
                organisation=organisation, external_id__in=list(latest)
            ).values_list("external_id", "pk")
        )
        objs = [
            Review(
                pk=existing.get(r.external_id),
                organisation=organisation,
                external_id=r.external_id,
                source=r.source,
                date=r.date,
                rating=r.rating,
                text=r.text,
                author=r.author,
            )
            for r in latest.values()
        ]
        new = [obj for obj in objs if obj.pk is None]
        changed = [obj for obj in objs if obj.pk is not None]
        Review.objects.bulk_create(new, batch_size=WRITE_BATCH_SIZE)
        Review.objects.bulk_update(
            changed, ["source", "date", "rating", "text", "author"], batch_size=WRITE_BATCH_SIZE
        )
    return UpsertResult(created=len(new), updated=len(changed) + repeated)


# --- one interaction by hand: edit, note, delete ----------------------------------------------


def interaction_update(
    *, interaction: Interaction, user: Any, values: Mapping[str, object]
) -> list[InteractionChange]:
    """Change some canonical columns of one interaction (`values`: {column: new value}, as the
    edit form or a file gives them) and record each change (who, when, before → after).

    The whole record is checked by the import's rules (`parse_interaction`; RecordError names
    the column), then written through `interactions_upsert`, so the derived columns and the
    next contact of the old and new (customer, category) are recomputed. The external id is the
    record's identity and cannot change here. Returns the recorded changes (none when nothing
    differs).
    """
    organisation = interaction.organisation
    tz = organisation.tzinfo
    if "external_id" in values:
        raise ValueError("The external id of an interaction cannot be edited.")
    with transaction.atomic():
        locked = (
            # Only the interaction is locked: PostgreSQL cannot lock the nullable side of
            # the outer joins to its agent and team.
            Interaction.objects.select_for_update(of=("self",))
            .select_related("agent", "team")
            .get(pk=interaction.pk, organisation=organisation)
        )
        before = canonical_row(locked, tz)
        record = parse_interaction({**before, **values}, tz=tz)
        interactions_upsert(organisation=organisation, records=[record])
        updated = Interaction.objects.select_related("agent", "team").get(pk=locked.pk)
        after = canonical_row(updated, tz)
        changes = [
            InteractionChange(
                organisation=organisation,
                interaction=updated,
                interaction_number=updated.pk,
                external_id=updated.external_id,
                user=user,
                action=InteractionChange.Action.EDITED,
                field=name,
                before=before[name],
                after=after[name],
            )
            for name in CANONICAL_FIELDS
            if before[name] != after[name]
        ]
        InteractionChange.objects.bulk_create(changes)
    return changes


def interaction_note_add(*, interaction: Interaction, author: Any, text: str) -> InteractionNote:
    """Add a note (trimmed, not empty: ValueError) to an interaction; returns it. The note is
    its own record of who wrote what and when."""
    text = text.strip()
    if not text:
        raise ValueError("A note needs some text.")
    return InteractionNote.objects.create(interaction=interaction, author=author, text=text)


def interaction_delete(*, interaction: Interaction, user: Any) -> InteractionChange:
    """Delete one interaction (its notes with it) and return the record kept of it: who, when,
    its id and external id, and the whole canonical record as JSON in `before` (enough to
    import it again). The next contact of its (customer, category) is recomputed."""
    organisation = interaction.organisation
    with transaction.atomic():
        locked = (
            # Only the interaction is locked: PostgreSQL cannot lock the nullable side of
            # the outer joins to its agent and team.
            Interaction.objects.select_for_update(of=("self",))
            .select_related("agent", "team")
            .get(pk=interaction.pk, organisation=organisation)
        )
        record = canonical_row(locked, organisation.tzinfo)
        InteractionChange.objects.filter(interaction=locked).update(interaction=None)
        change = InteractionChange.objects.create(
            organisation=organisation,
            interaction=None,
            interaction_number=locked.pk,
            external_id=locked.external_id,
            user=user,
            action=InteractionChange.Action.DELETED,
            before=json.dumps(record, ensure_ascii=False),
        )
        key = (locked.customer_id, locked.category)
        locked.delete()
        if key[0]:
            _InteractionSQL.get().refresh_next_contact(organisation.pk, [key])
    return change


def interaction_quality_totals_set(
    *, interaction: Interaction, reviews: int, score_sum: float
) -> None:
    """Store the number of scored quality reviews of `interaction` and the sum of their scores
    (0–100 each), as coaching recomputed them from the reviews that count (never an increment,
    so a correction or a deletion cannot leave the totals drifting). `qa_score` reads them."""
    if reviews < 0 or score_sum < 0:
        raise ValueError("Quality totals cannot be negative.")
    Interaction.objects.filter(pk=interaction.pk).update(
        qa_reviews=reviews, qa_score_sum=score_sum if reviews else 0.0
    )
    interaction.qa_reviews = reviews
    interaction.qa_score_sum = score_sum if reviews else 0.0
