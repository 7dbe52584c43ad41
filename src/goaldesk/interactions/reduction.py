"""Files that are not one row per interaction: event logs and message threads.

An event log has one row per event of a case (a ticket's "opened", "assigned", "closed"…); a
message thread one row per message of a conversation. Both become one interaction per case or
conversation, inside the streaming import, with its guarantees (importing.py): batches, a
resume without duplicates after a crash, per-row rejections, bounded memory.

Two phases, both shown on the progress bar:

1. *Rows* (`rows_done` of `rows_total`). Each row is read and checked (case id, time, the
   shape's columns; a bad one is rejected with its row number and column) and merged into the
   staging table `ImportCase`, keyed by (job, case), by idempotent upserts (INSERT … ON
   CONFLICT DO UPDATE with MIN/MAX/latest-row rules, on SQLite and PostgreSQL alike), in the
   transaction that advances `rows_done`. Rows of one case may be anywhere in the file; only
   one batch's cases are ever held in memory.
2. *Cases* (`_cases_done` of `_cases_total` in the job's mapping, `_phase` = "cases"). The
   staged cases are read in primary-key order, BATCH_SIZE at a time, turned into interactions
   by `parse_interaction` and written by the import's `InteractionWriter` (a dry run only
   counts what would be created or updated); the cursor (`_cases_after`) advances in the
   batch's transaction. A case the checks refuse is rejected under the row its other fields
   came from. The staged cases are removed at the end.

What a row does is said by the job's `_shape` (made by `shape_for_job` from the preset's
`shape_options`):

- `columns`: role → header of the shape's own columns (activity, parent message, author…);
- `opens`: a condition (below) a row meets to open its case: its time is a candidate for
  created_at (the earliest wins) and, per `fields_from`, its other mapped fields may be the
  case's (missing: every row opens);
- `responds`: a row that meets it is a reply: its time (the `response_time` role's column,
  else the time column) is a candidate for first_response_at (the earliest wins) and the
  `responder` role's value becomes the agent; `response_case` names the role holding the case
  it answers (a Twitter reply names its parent tweet), else its own case column;
- `resolves`: a row that meets it resolves its case: resolved_at = the latest such time; with
  no `resolves` rule a mapped resolved_at column is read on opening rows (latest wins);
- `resolved_needs_status`: the resolution counts only when the case's status is resolved;
- the case's other fields (customer, agent, team, category, channel, status…) come from its
  last opening row in the file (for an event log or a conversation: its last row, as the last
  row wins in a table; for Twitter: the opening tweet);
- `first_label`: the category is the first of comma-separated labels;

A condition is {role: accepted values}, every role must match: values are compared trimmed
and case-insensitively; "" accepts an empty value, "?" any non-empty one, "~text" a value
containing text. A row that neither opens, replies nor resolves is absorbed (counted in
`_absorbed`); a case that was never opened (replies to a tweet not in the file) makes no
interaction (counted in `_unopened`).

The job's fixed values (`_transforms["fixed"]`: `Preset.fixed`, `--channel` or the mapping
page) give a field the file has no column for (an event log's channel). Values are translated
as in a table (the organisation's value mappings, the preset's values, its empty texts); times
are read as every import reads them, in the job's date order or format.
"""

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any, cast

from django.db import connection, transaction
from django.utils.translation import gettext as _

from goaldesk.core.tabular import Source, open_table
from goaldesk.interactions.mapping import ImportFileError, Preset, check_mapping, normalize_header
from goaldesk.interactions.models import ImportCase, ImportJob, ImportRejection
from goaldesk.interactions.records import (
    CHANNELS,
    RecordError,
    check_width,
    parse_interaction,
    parse_timestamp,
)
from goaldesk.interactions.services import InteractionWriter
from goaldesk.interactions.value_mappings import REJECT

ProgressCallback = Callable[[ImportJob], None]

#: Fields whose value in an interaction comes from the staged times, not from a row.
TIME_FIELDS = ("created_at", "first_response_at", "resolved_at")
#: Keys of the job's mapping this module writes (cleared when a dry run starts again).
STATE_KEYS = ("_phase", "_cases_done", "_cases_total", "_cases_after", "_absorbed", "_unopened")

#: The staged columns phase 2 reads.
CASE_COLUMNS = (
    "pk",
    "case_key",
    "opened_at",
    "responded_at",
    "responder",
    "resolved_at",
    "fields",
    "fields_row",
    "last_row",
)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_WHOLE_FLOAT = re.compile(r"^\d+\.0+$")


def shape_for_job(preset: Preset, headers: Sequence[str]) -> dict[str, Any] | None:
    """What the job's mapping stores under `_shape` for a preset of an event log or thread
    (its roles resolved to the file's headers), or None for a table."""
    if preset.shape == "table":
        return None
    options = dict(preset.shape_options)
    by_name: dict[str, str] = {}
    for header in headers:
        by_name.setdefault(normalize_header(header), header)
    columns: dict[str, str] = {}
    for role, candidates in (options.pop("columns", None) or {}).items():
        for candidate in candidates:
            found = by_name.get(normalize_header(candidate))
            if found is not None:
                columns[role] = found
                break
    shape: dict[str, Any] = {"kind": preset.shape, "columns": columns}
    for key, value in options.items():
        if key in ("opens", "responds", "resolves"):
            value = {
                role: [str(v).strip().lower() for v in accepted] for role, accepted in value.items()
            }
        shape[key] = value
    return shape


def shape_final_activities(shape: Mapping[str, Any]) -> list[str]:
    """The activities that resolve a case of an event log (lower case)."""
    return list((shape.get("resolves") or {}).get("activity") or [])


def shape_with_final_activities(shape: Mapping[str, Any], activities: Sequence[str]) -> dict:
    """`shape` resolving its cases with `activities` (an event log's final activities)."""
    chosen = [a.strip().lower() for a in activities if a.strip()]
    return {**shape, "resolves": {**(shape.get("resolves") or {}), "activity": chosen}}


def shape_missing_columns(shape: Mapping[str, Any]) -> list[str]:
    """The roles of the shape's conditions that no column of the file holds."""
    needed: set[str] = set()
    for key in ("opens", "responds", "resolves"):
        needed |= set((shape.get(key) or {}).keys())
    for key in ("response_case", "responder", "response_time"):
        if shape.get(key):
            needed.add(shape[key])
    return sorted(needed - set(shape.get("columns") or {}))


def check_shape(job: ImportJob, headers: Sequence[str]) -> None:
    """Raise ImportFileError when the file lacks a column the shape needs."""
    mapping = job.mapping or {}
    shape = mapping.get("_shape") or {}
    columns = {k: v for k, v in mapping.items() if not k.startswith("_") and v}
    check_mapping(columns, headers, kind=job.kind, fixed=_fixed_values(mapping))
    missing = shape_missing_columns(shape)
    absent = sorted(h for h in (shape.get("columns") or {}).values() if h not in headers)
    if missing or absent:
        raise ImportFileError(
            _("The file has no column for: %(roles)s. Its columns: %(headers)s.")
            % {"roles": ", ".join(missing + absent), "headers": ", ".join(headers)}
        )


def _fixed_values(mapping: Mapping[str, Any]) -> dict[str, str]:
    """{field: value} for the fields the file has no column for (`Preset.fixed`, `--channel`)."""
    return dict((mapping.get("_transforms") or {}).get("fixed") or {})


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _key(value: object) -> str:
    """A case or message id as text: `3.0` (a spreadsheet's or pandas' number) is `3`."""
    text = _text(value)
    if _WHOLE_FLOAT.match(text):
        text = text.split(".", 1)[0]
    return text


def _matches(condition: Mapping[str, Sequence[str]], roles: Mapping[str, str]) -> bool:
    for role, accepted in condition.items():
        value = roles.get(role, "")
        for wanted in accepted:
            if wanted == "?":
                if value:
                    break
            elif wanted.startswith("~") and len(wanted) > 1:
                if wanted[1:] in value:
                    break
            elif value == wanted:
                break
        else:
            return False
    return True


def micros(moment: dt.datetime) -> int:
    """Microseconds since 1970-01-01 UTC."""
    return (moment - _EPOCH) // _MICROSECOND


def from_micros(value: int | None) -> dt.datetime | None:
    return None if value is None else _EPOCH + dt.timedelta(microseconds=value)


class _RowReader:
    """Reads one row of an event log or thread: which case it belongs to and what it says."""

    def __init__(self, job: ImportJob, headers: Sequence[str]) -> None:
        mapping = job.mapping or {}
        self.shape: dict[str, Any] = mapping.get("_shape") or {}
        self.tz = job.organisation.tzinfo
        index = {header: i for i, header in enumerate(headers)}
        self.width = len(headers)
        self.headers = list(headers)
        columns = {k: v for k, v in mapping.items() if not k.startswith("_") and v}
        self.columns = columns
        self.case_at = index[columns["external_id"]]
        self.time_at = index[columns["created_at"]]
        self.resolved_at_column = (
            index.get(columns.get("resolved_at", "")) if not self.shape.get("resolves") else None
        )
        self.roles = {role: index[h] for role, h in self.shape["columns"].items() if h in index}
        self.role_headers = dict(self.shape["columns"])
        self.fields = [(f, index[h]) for f, h in columns.items() if f not in TIME_FIELDS]
        transforms = mapping.get("_transforms") or {}
        # The organisation's saved value mappings, then the preset's table (which wins), and
        # the texts meaning "no value": as RowConverter reads a table's rows.
        self.values: dict[str, dict[str, str]] = {}
        for table in (mapping.get("_value_map") or {}, transforms.get("values") or {}):
            for f, m in table.items():
                self.values.setdefault(f, {}).update(
                    {str(k).strip().lower(): v for k, v in m.items()}
                )
        self.empty = frozenset(str(v).strip().lower() for v in transforms.get("empty_values") or ())
        self.opens = self.shape.get("opens")
        self.responds = self.shape.get("responds")
        self.resolves = self.shape.get("resolves")
        self.response_case = self.shape.get("response_case")
        self.responder = self.shape.get("responder")
        self.response_time = self.shape.get("response_time")

    def header_of(self, column: str) -> str:
        return self.columns.get(column) or self.role_headers.get(column) or column

    def time(self, column: str, value: object) -> int | None:
        """The value as microseconds since 1970 (None when empty); RecordError if unreadable.
        Read as every import reads dates: within `job_reading`, in the job's date order or
        format (Twitter's `Tue Oct 31 22:10:47 +0000 2017`, Chatwoot's epoch seconds)."""
        if isinstance(value, str) and value.strip().lower() in self.empty:
            return None
        moment = parse_timestamp(column, value, self.tz)
        return None if moment is None else micros(moment)

    def read(self, number: int, values: Sequence[Any], staged: "_Staged") -> bool:
        """Merge the row into `staged`; False when the row opens, answers and resolves
        nothing (absorbed). RecordError when a value is unusable."""
        check_width(values, self.width)
        roles = {
            role: _text(values[i]).lower() if i < len(values) else ""
            for role, i in self.roles.items()
        }
        opens = self.opens is None or _matches(self.opens, roles)
        responds = self.responds is not None and _matches(self.responds, roles)
        resolves = self.resolves is not None and _matches(self.resolves, roles)
        if not (opens or responds or resolves):
            return False
        case = _key(values[self.case_at])
        if not case and (opens or resolves or not self.response_case):
            raise RecordError("external_id", _("This value is required and is empty."))
        if len(case) > 200:
            raise RecordError(
                "external_id",
                _("“%(value)s…” is too long (%(length)s characters; at most %(limit)s).")
                % {"value": case[:20], "length": len(case), "limit": 200},
            )
        moment = self.time("created_at", values[self.time_at])
        if moment is None and (opens or resolves):
            raise RecordError("created_at", _("This value is required and is empty."))
        # Everything is read before anything is staged: a rejected row leaves no trace.
        adds: list[tuple[str, dict[str, Any]]] = []
        if opens:
            fields: dict[str, str] = {}
            for field_name, i in self.fields:
                value = _text(values[i]) if i < len(values) else ""
                if value.lower() in self.empty:
                    value = ""
                translation = self.values.get(field_name)
                if translation is not None and value.lower() in translation:
                    if translation[value.lower()] == REJECT:
                        raise RecordError(
                            field_name,
                            _(
                                "“%(value)s” is mapped to “reject the row” (the saved value "
                                "mappings, on the import page)."
                            )
                            % {"value": value},
                        )
                    value = translation[value.lower()]
                fields[field_name] = value
            resolved = None
            if self.resolved_at_column is not None:
                resolved = self.time("resolved_at", values[self.resolved_at_column])
            adds.append((case, {"opened": moment, "resolved": resolved, "fields": fields}))
        if resolves:
            adds.append((case, {"resolved": moment}))
        if responds:
            target = case
            if self.response_case:
                target = _key(values[self.roles[self.response_case]])
            if not target:
                raise RecordError(
                    self.response_case or "external_id", _("This value is required and is empty.")
                )
            when = moment
            if self.response_time:
                when = self.time(self.response_time, values[self.roles[self.response_time]])
            if when is not None:
                responder = ""
                if self.responder:
                    responder = _text(values[self.roles[self.responder]])[:150]
                adds.append((target, {"responded": when, "responder": responder}))
        for target_case, values_of in adds:
            staged.add(target_case, number, **values_of)
        return True


class _Staged:
    """One batch's cases, merged in memory before they are merged into the staging table."""

    def __init__(self) -> None:
        #: case → [opened, responded, responder, resolved, fields, fields_row, last_row]
        self.cases: dict[str, list[Any]] = {}

    def add(
        self,
        case: str,
        number: int,
        *,
        opened: int | None = None,
        responded: int | None = None,
        responder: str = "",
        resolved: int | None = None,
        fields: dict[str, str] | None = None,
    ) -> None:
        item = self.cases.get(case)
        if item is None:
            item = self.cases[case] = [None, None, "", None, "", None, 0]
        if opened is not None and (item[0] is None or opened < item[0]):
            item[0] = opened
        if responded is not None and (item[1] is None or responded < item[1]):
            item[1], item[2] = responded, responder
        if resolved is not None and (item[3] is None or resolved > item[3]):
            item[3] = resolved
        if fields is not None and (item[5] is None or number > item[5]):
            item[4], item[5] = fields, number  # made JSON text once, when staged
        if number > item[6]:
            item[6] = number


#: Cases per INSERT statement (9 values each: within SQLite's and PostgreSQL's limits).
UPSERT_CHUNK = 1000


def _upsert_sql(rows: int = 1) -> str:
    table = connection.ops.quote_name(ImportCase._meta.db_table)
    t = table

    def earliest(column: str) -> str:
        return (
            f"CASE WHEN excluded.{column} IS NOT NULL AND ({t}.{column} IS NULL "
            f"OR excluded.{column} < {t}.{column}) THEN excluded.{column} ELSE {t}.{column} END"
        )

    def latest(column: str) -> str:
        return (
            f"CASE WHEN excluded.{column} IS NOT NULL AND ({t}.{column} IS NULL "
            f"OR excluded.{column} > {t}.{column}) THEN excluded.{column} ELSE {t}.{column} END"
        )

    responder = (
        f"CASE WHEN excluded.responded_at IS NOT NULL AND ({t}.responded_at IS NULL "
        f"OR excluded.responded_at < {t}.responded_at) THEN excluded.responder "
        f"ELSE {t}.responder END"
    )
    fields = (
        f"CASE WHEN excluded.fields_row IS NOT NULL AND ({t}.fields_row IS NULL "
        f"OR excluded.fields_row > {t}.fields_row) THEN excluded.fields ELSE {t}.fields END"
    )
    # Table and column names come from the model, never from input.
    return (
        f"INSERT INTO {table} (job_id, case_key, opened_at, responded_at, responder, "  # noqa: S608
        "resolved_at, fields, fields_row, last_row) VALUES "
        + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * rows)
        + " "
        "ON CONFLICT (job_id, case_key) DO UPDATE SET "
        f"opened_at = {earliest('opened_at')}, "
        f"responder = {responder}, "
        f"responded_at = {earliest('responded_at')}, "
        f"resolved_at = {latest('resolved_at')}, "
        f"fields = {fields}, "
        f"fields_row = {latest('fields_row')}, "
        f"last_row = {latest('last_row')}"
    )


def _stage(job_id: int, staged: _Staged) -> None:
    if not staged.cases:
        return
    params = [
        (job_id, case, o, r, who, res, json.dumps(f, ensure_ascii=False) if f else "", row, last)
        for case, (o, r, who, res, f, row, last) in staged.cases.items()
    ]
    # Several cases per statement (one round trip each on PostgreSQL); a batch names each
    # case once, as PostgreSQL requires of one INSERT … ON CONFLICT.
    with connection.cursor() as cursor:
        for start in range(0, len(params), UPSERT_CHUNK):
            chunk = params[start : start + UPSERT_CHUNK]
            cursor.execute(_upsert_sql(len(chunk)), [value for row in chunk for value in row])


def _save_job(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        rows_done=job.rows_done,
        accepted=job.accepted,
        updated=job.updated,
        rejected=job.rejected,
        rejection_summary=job.rejection_summary,
        mapping=job.mapping,
    )


class _Rejections:
    """The rejections of one batch, kept and counted as importing.py's batches do."""

    def __init__(self, job: ImportJob, headers: Sequence[str], header_of: Callable[[str], str]):
        from goaldesk.interactions.importing import _KeptRejections

        self.job = job
        self.headers = headers
        self.header_of = header_of
        self.kept = _KeptRejections(job)
        self.clear()

    def clear(self) -> None:
        self.reasons: dict[tuple[str, str], int] = {}
        self.count = 0
        self.rows: list[ImportRejection] = []

    def add(self, number: int, raw: dict[str, Any], error: RecordError) -> None:
        from goaldesk.interactions.importing import _storable

        column = self.header_of(error.column) if error.column else ""
        key = column, reason = _storable(column[:100]), _storable(str(error.reason))
        self.reasons[key] = self.reasons.get(key, 0) + 1
        self.count += 1
        if self.kept.take():
            self.rows.append(
                ImportRejection(
                    job_id=self.job.pk, row_number=number, column=column, reason=reason, raw=raw
                )
            )

    def write(self) -> None:
        from goaldesk.interactions.importing import rejection_summary_add

        job = self.job
        if self.rows:
            ImportRejection.objects.bulk_create(self.rows, batch_size=500)
        job.rejected += self.count
        if self.reasons:
            job.rejection_summary = rejection_summary_add(job.rejection_summary or [], self.reasons)
        self.clear()


def run_shaped(
    job: ImportJob, *, source: Source, progress: ProgressCallback | None, batch_size: int
) -> None:
    """Run (or resume) an event-log or thread import; the job is marked running already."""
    from goaldesk.interactions.importing import _tune_connection, job_layout, no_data_error

    _tune_connection()
    if (job.mapping or {}).get("_phase") != "cases":
        with open_table(source, layout=job_layout(job)) as table:
            check_shape(job, table.headers)
            headers = table.headers
            seen = _stage_rows(job, table, progress=progress, batch_size=batch_size)
        if not seen:
            raise no_data_error()
        mapping = dict(job.mapping or {})
        mapping.update(
            _phase="cases",
            _cases_done=0,
            _cases_after=0,
            _cases_total=ImportCase.objects.filter(job=job).count(),
            _unopened=0,
        )
        job.mapping = mapping
        ImportJob.objects.filter(pk=job.pk).update(mapping=mapping)
    else:
        headers = (job.mapping or {}).get("_headers") or []
    _reduce_cases(job, headers, progress=progress, batch_size=batch_size)
    ImportCase.objects.filter(job=job).delete()


def _stage_rows(
    job: ImportJob, table: Any, *, progress: ProgressCallback | None, batch_size: int
) -> int:
    from goaldesk.interactions.importing import _raw_row, _unexpected

    reader = _RowReader(job, table.headers)
    rejections = _Rejections(job, table.headers, reader.header_of)
    rows = table.rows()
    for _row in zip(range(job.rows_done), rows, strict=False):
        pass  # staged by an earlier run
    seen = job.rows_done

    def commit(staged: _Staged, size: int, absorbed: int) -> None:
        with transaction.atomic():
            _stage(job.pk, staged)
            rejections.write()
            job.rows_done += size
            mapping = dict(job.mapping or {})
            mapping["_absorbed"] = int(mapping.get("_absorbed") or 0) + absorbed
            job.mapping = mapping
            _save_job(job)
        if progress is not None:
            progress(job)

    staged = _Staged()
    size = absorbed = 0
    try:
        for number, values in rows:
            seen += 1
            size += 1
            try:
                if not reader.read(number, values, staged):
                    absorbed += 1
            except RecordError as error:
                rejections.add(number, _raw_row(table.headers, values), error)
            except Exception as error:  # a value no check foresaw: its row only
                rejections.add(number, _raw_row(table.headers, values), _unexpected(error))
            if size >= batch_size:
                commit(staged, size, absorbed)
                staged = _Staged()
                size = absorbed = 0
    except ImportFileError:
        if size:
            commit(staged, size, absorbed)
        raise
    if size:
        commit(staged, size, absorbed)
    return seen


def case_record_raw(case: Any, shape: Mapping[str, Any], fixed: Mapping[str, str]) -> dict:
    """The values `parse_interaction` reads for a staged case."""
    raw: dict[str, Any] = json.loads(case.fields) if case.fields else {}
    raw["external_id"] = case.case_key
    raw["created_at"] = from_micros(case.opened_at)
    raw["first_response_at"] = from_micros(case.responded_at)
    raw["resolved_at"] = from_micros(case.resolved_at)
    if shape.get("responder") and case.responded_at is not None:
        raw["agent"] = case.responder
    for field_name, value in fixed.items():
        if not _text(raw.get(field_name)):
            raw[field_name] = value
    if shape.get("first_label") and raw.get("category"):
        raw["category"] = str(raw["category"]).split(",")[0].strip()
    if shape.get("resolved_needs_status"):
        status = _text(raw.get("status")).lower()
        if status and status != "resolved":
            raw["resolved_at"] = None
    return raw


def _reduce_cases(
    job: ImportJob, headers: Sequence[str], *, progress: ProgressCallback | None, batch_size: int
) -> None:
    from goaldesk.interactions.importing import _People

    mapping = job.mapping or {}
    shape = mapping.get("_shape") or {}
    fixed = _fixed_values(mapping)
    columns = {k: v for k, v in mapping.items() if not k.startswith("_") and v}

    def header_of(column: str) -> str:
        return columns.get(column) or column

    writer = InteractionWriter(
        organisation=job.organisation, team_map=mapping.get("_team_map") or {}
    )
    people = _People(job)
    rejections = _Rejections(job, headers, header_of)
    tz = job.organisation.tzinfo
    while True:
        after = int((job.mapping or {}).get("_cases_after") or 0)
        cases = [
            SimpleNamespace(**dict(zip(CASE_COLUMNS, values, strict=True)))
            for values in ImportCase.objects.filter(job=job, pk__gt=after)
            .order_by("pk")
            .values_list(*CASE_COLUMNS)[:batch_size]
        ]
        if not cases:
            break
        rows: list[list] = []
        unopened = 0
        for case in cases:
            if case.opened_at is None:
                unopened += 1
                continue
            raw = case_record_raw(case, shape, fixed)
            try:
                rows.append(writer.prepare(parse_interaction(raw, tz=tz)))
            except RecordError as error:
                shown = {header_of(f): _shown(v) for f, v in raw.items() if v not in (None, "")}
                rejections.add(case.fields_row or case.last_row, shown, error)
        with transaction.atomic():
            people.count(rows, writer)
            job.mapping = people.store(dict(job.mapping or {}))
            if job.dry_run:
                existing = writer.existing_ids([row[1] for row in rows])
                created = sum(1 for row in rows if row[1] not in existing)
                updated = len(rows) - created
            else:
                result = writer.write_prepared(rows, import_job=job)
                created, updated = result.created, result.updated
            job.accepted += created
            job.updated += updated
            rejections.write()
            state = cast(dict[str, Any], job.mapping)
            state["_cases_after"] = cases[-1].pk
            state["_cases_done"] = int(state.get("_cases_done") or 0) + len(cases)
            state["_unopened"] = int(state.get("_unopened") or 0) + unopened
            _save_job(job)
        if progress is not None:
            progress(job)


def _shown(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def mapping_with_choices(
    mapping: Mapping[str, Any],
    *,
    channel: str | None = None,
    final_activities: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The job's mapping with the user's choices: the channel of every interaction of a file
    that has no channel column (the fixed values), the activities that resolve an event log's case.
    Raises ImportFileError for a channel GoalDesk does not know or final activities given for
    a file that is not an event log."""
    result = dict(mapping)
    if channel:
        value = channel.strip().lower().replace("-", "_").replace(" ", "_")
        if value not in CHANNELS:
            raise ImportFileError(
                _("“%(value)s” is not a channel; write one of: %(choices)s.")
                % {"value": channel, "choices": ", ".join(CHANNELS)}
            )
        transforms = dict(result.get("_transforms") or {})
        transforms["fixed"] = {**(transforms.get("fixed") or {}), "channel": value}
        result["_transforms"] = transforms
    if final_activities is not None:
        shape = result.get("_shape") or {}
        if shape.get("kind") != "eventlog":
            raise ImportFileError(
                _("Final activities apply to an event log only (the eventlog preset).")
            )
        chosen = [a for a in final_activities if a.strip()]
        if not chosen:
            raise ImportFileError(_("Name at least one activity that resolves a case."))
        result["_shape"] = shape_with_final_activities(shape, chosen)
    return result
