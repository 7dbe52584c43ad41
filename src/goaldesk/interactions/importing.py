"""Bringing files in: reading CSV/XLSX as a stream, mapping their columns, running import jobs.

Reading. `open_table` (core/tabular.py, shared with the history upload and the scheduling files)
reads CSV (UTF-8, with or without a byte-order mark; the delimiter — comma, semicolon or tab — is
taken from the header line) or XLSX (the first sheet). Rows are numbered from 1 = the first data
row after the header; completely empty rows are skipped (they keep their number, so numbers
match the file). A row with more values than the header has columns is rejected rather than cut.

Mapping. A mapping is {canonical field: file header}; the presets and the guessing are in
`interactions/mapping.py`.

Uploading. `import_job_create` stores the file and reads only its header and first rows
(`preview_table`: a bounded number of rows, never a whole XLSX sheet), outside any transaction;
a file with no data row is refused. Counting and checking the rows is the job's work.

Running. `import_run(job_id)` estimates the file's rows (for the progress bar), then reads it in
batches of BATCH_SIZE rows. Each batch is one transaction that writes its interactions, its
rejected rows and the job's counters (rows_done, accepted, updated, rejected, the summary): a
job stopped half-way resumes after the last committed batch with no duplicates and no half
batch. A bad value — or anything else a row raises while it is read and checked — rejects its
row only; a row the reader cannot read at all (a field over the CSV limit, damaged XML) fails
the job after the rows before it are written. The first IMPORT_REJECTIONS_STORED rejected rows
are stored with their values (each cut to RAW_VALUE_CHARS characters); every rejection is
counted in the job's `rejection_summary` by column and reason. The same external_id twice in
one file: the last row wins and each later occurrence counts as an update (exactly as importing
the rows one after another would). A dry run checks every row and counts what would be created
or updated, records the rejections, and writes no interaction (an interrupted dry run starts
again from the top).

Files. An uploaded file is removed when its import is done, or at once when it cannot be read;
a dry run keeps it for the import that may follow and a failed job for a retry, until
IMPORT_FILE_RETENTION_HOURS after they ended (`import_files_expire`, run at each upload and
after each import).

Dates. A job reads dates that are not ISO 8601 as its mapping says (`_transforms`
"date_order" and "date_format", from the preset or chosen on the mapping page; see
core/parsing.py `reading_dates`), wherever it runs. A year before 1700 is a year of the calendar chosen on the mapping page (`_calendar`:
Jalali or Hijri, by default the organisation's: Hijri when it shows Hijri dates, else Jalali);
Jalali and Hijri years overlap (1405 is both), so the file's numbers cannot tell them apart.
The job reads its file in that calendar and writes its rejections in the language of the person
who uploaded it (`_language`), wherever it runs: the worker, a retry, the command line.

The job's `mapping` JSON holds {canonical field: header} and, under keys starting with "_",
the preset's name, its options (`_transforms`: value translations, minutes after created, date
order and format, texts meaning empty, fixed values), the file's header row, the calendar years before 1700
are read in, the language of its messages and where the table lies in the file (`_layout`:
the header's row and whether a blank row ends the data, `core.tabular.TableLayout`).
"""

import contextlib
import dataclasses
import datetime as dt
import io
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from goaldesk.core.csv_safe import csv_writer
from goaldesk.core.display import display_numbering
from goaldesk.core.jobs import job_heartbeat, job_mark_done, job_mark_failed, job_mark_running
from goaldesk.core.parsing import (
    DATE_ORDERS,
    DateOrderProblem,
    guess_date_order,
    local_calendar_of,
    order_label,
    reading_calendar,
    reading_dates,
)
from goaldesk.core.tabular import (
    PREVIEW_MAX_ROWS,
    Source,
    TableLayout,
    TablePreview,
    estimate_rows,
    open_table,
    preview_table,
)
from goaldesk.customers.models import Customer
from goaldesk.customers.services import customers_upsert
from goaldesk.engine import HIJRI, JALALI
from goaldesk.engine.names import fold_name
from goaldesk.interactions.mapping import (
    ImportFileError,
    Preset,
    check_mapping,
    guess_mapping,
)
from goaldesk.interactions.models import ImportJob, ImportRejection, Review
from goaldesk.interactions.records import (
    InteractionData,
    RecordError,
    ReviewData,
    check_width,
    parse_customer,
    parse_interaction,
    parse_number,
    parse_review,
    parse_timestamp,
)
from goaldesk.interactions.reduction import STATE_KEYS as SHAPE_STATE
from goaldesk.interactions.reduction import run_shaped, shape_for_job
from goaldesk.interactions.services import (
    AGENT_SLOT,
    TEAM_SLOT,
    InteractionWriter,
    reviews_upsert,
)
from goaldesk.interactions.value_mappings import (
    FIELD_VOCABULARY,
    REJECT,
    SOURCE_CHARS,
    UNKNOWN_LISTED,
    VOCABULARIES,
    is_canonical,
    organisation_value_map,
)
from goaldesk.team.models import Agent, Team
from goaldesk.team.services import agent_alias_add

#: Rows per committed batch.
BATCH_SIZE = 5000
#: Write batches in a second thread while the next one is read (see _Committer.start).
PIPELINE = True

ProgressCallback = Callable[[ImportJob], None]


def job_columns(job: ImportJob) -> dict[str, str]:
    """The job's {canonical field: header}, without its stored options."""
    return {k: v for k, v in (job.mapping or {}).items() if not k.startswith("_") and v}


def mapping_for_job(
    columns: Mapping[str, str],
    *,
    preset: Preset,
    headers: Sequence[str],
    calendar: str = JALALI,
    language: str = "",
    value_map: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """What ImportJob.mapping stores: the columns plus the preset's options, the header row,
    the calendar years before 1700 are read in (`calendar`: JALALI or HIJRI), the language
    of the job's messages (empty: the default one) and the organisation's saved value
    mappings (`value_map`, see value_mappings.py)."""
    return {
        **{k: v for k, v in columns.items() if v},
        "_preset": preset.name,
        "_transforms": preset.transforms(),
        "_headers": list(headers),
        "_calendar": local_calendar_of(calendar),
        "_language": language,
        # An event log or message thread (interactions/reduction.py).
        **({"_shape": shape} if (shape := shape_for_job(preset, headers)) else {}),
        "_layout": preset.layout.as_dict(),
        "_value_map": {f: dict(m) for f, m in (value_map or {}).items()},
    }


def file_layout(source: Source, preset: Preset, *, kind: str) -> TableLayout:
    """Where the table of a file exported by `preset`'s tool lies: the preset's layout (a
    Zammad sheet: the header on row 3), or the header on the first row when that gives the
    preset more of its columns (the same sheet saved again without its title rows)."""
    if preset.layout.header_row == 1:
        return preset.layout
    first_row = dataclasses.replace(preset.layout, header_row=1)

    def columns_found(layout: TableLayout) -> int:
        try:
            headers = preview_table(source, count=1, layout=layout).headers
        except ImportFileError:
            return -1
        return len(guess_mapping(headers, preset, kind=kind))

    return first_row if columns_found(first_row) > columns_found(preset.layout) else preset.layout


def job_layout(job: ImportJob) -> TableLayout:
    """Where the job's table lies in its file (the preset's layout; a job stored before
    layouts existed: the header on the first row)."""
    return TableLayout.from_dict((job.mapping or {}).get("_layout"))


#: The calendars a year before 1700 may be read in, for the mapping page and `--calendar`.
LOCAL_CALENDARS = (JALALI, HIJRI)


def default_local_calendar(organisation: Any) -> str:
    """The calendar an import reads years before 1700 in unless told otherwise: Hijri for an
    organisation that shows Hijri dates, else Jalali."""
    return local_calendar_of(organisation.calendar)


def job_transforms(job: ImportJob) -> dict[str, Any]:
    """The preset's options the job keeps ("_transforms"; see `Preset.transforms`)."""
    return dict((job.mapping or {}).get("_transforms") or {})


def job_date_writing(job: ImportJob) -> tuple[str, str]:
    """(order, format) of the job's dates that are not ISO 8601 (see `reading_dates`)."""
    transforms = job_transforms(job)
    return str(transforms.get("date_order") or ""), str(transforms.get("date_format") or "")


def job_fixed_fields(job: ImportJob) -> list[str]:
    """The fields the job's preset fills with a fixed value (no column needed)."""
    return sorted(job_transforms(job).get("fixed") or {})


def job_calendar(job: ImportJob) -> str:
    """The calendar (JALALI or HIJRI) the job reads years before 1700 in; a job stored before
    the choice existed reads them as Jalali, as every import did then."""
    return local_calendar_of((job.mapping or {}).get("_calendar") or JALALI)


@contextlib.contextmanager
def job_reading(job: ImportJob) -> Iterator[None]:
    """Within the block, the job's file is read as its mapping says (years before 1700 in its
    calendar) and its messages are written in its language, with the organisation's digits."""
    language = (job.mapping or {}).get("_language") or get_language()
    numbering = display_numbering.set("arab" if job.organisation.arabic_indic_digits else "latn")
    try:
        with (
            reading_calendar(job_calendar(job)),
            reading_dates(*job_date_writing(job)),
            override(language),
        ):
            yield
    finally:
        display_numbering.reset(numbering)


# --- rows → records -------------------------------------------------------------------------


class RowConverter:
    """Turns one file row (values in header order) into a record, or raises RecordError."""

    def __init__(self, job: ImportJob, headers: Sequence[str]) -> None:
        self.kind = job.kind
        self.tz = job.organisation.tzinfo
        columns = job_columns(job)
        index = {header: i for i, header in enumerate(headers)}
        self.columns = columns
        self.positions = [(f, index[h]) for f, h in columns.items() if h in index]
        #: a customer file: every column no field uses is an attribute
        used = set(columns.values())
        self.attributes = [(h, i) for i, h in enumerate(headers) if h and h not in used]
        transforms = (job.mapping or {}).get("_transforms") or {}
        # The organisation's saved value mappings, then the preset's table (which wins).
        self.values: dict[str, dict[str, str]] = {}
        for table in ((job.mapping or {}).get("_value_map") or {}, transforms.get("values") or {}):
            for f, m in table.items():
                self.values.setdefault(f, {}).update(
                    {str(k).strip().lower(): v for k, v in m.items()}
                )
        #: the mapped fields with a vocabulary, whose unknown values are counted
        self.vocabulary = [
            (f, frozenset(VOCABULARIES[FIELD_VOCABULARY[f]]))
            for f in FIELD_VOCABULARY
            if f in columns
        ]
        #: {field: {value: rows}} of this batch's values no table understands
        self.unknown: dict[str, dict[str, int]] = {}
        self.minutes = tuple(transforms.get("minutes_after_created") or ())
        #: texts meaning "no value" (folded), and {field: value} for fields the file lacks
        self.empty = frozenset(str(v).strip().lower() for v in transforms.get("empty_values") or ())
        self.fixed = tuple((transforms.get("fixed") or {}).items())
        self.width = len(headers)

    def header_of(self, column: str) -> str:
        return self.columns.get(column, column)

    def convert(self, values: Sequence[Any]) -> InteractionData | ReviewData | Any:
        check_width(values, self.width)
        raw: dict[str, Any] = {f: values[i] for f, i in self.positions}
        for field_name, value in raw.items():
            if type(value) is str and "\x00" in value:
                # PostgreSQL cannot store it, and no source system means it.
                raise RecordError(
                    field_name, _("The value contains a NUL character (0x00), which is not text.")
                )
        if self.empty:
            for field_name, value in raw.items():
                if type(value) is str and value.strip().lower() in self.empty:
                    raw[field_name] = ""
        for field_name, value in self.fixed:
            if not raw.get(field_name):
                raw[field_name] = value
        for field_name, translation in self.values.items():
            value = raw.get(field_name)
            if isinstance(value, str):
                key = value.strip().lower()
                if key in translation:
                    raw[field_name] = translation[key]
                    if raw[field_name] == REJECT:
                        raise RecordError(
                            field_name,
                            _(
                                "“%(value)s” is mapped to “reject the row” (the saved value "
                                "mappings, on the import page)."
                            )
                            % {"value": value.strip()},
                        )
        for field_name in self.minutes:
            self._minutes_after_created(raw, field_name)
        if self.kind == ImportJob.Kind.REVIEWS:
            return parse_review(raw, tz=self.tz)
        if self.kind == ImportJob.Kind.CUSTOMERS:
            attributes = {h: values[i] for h, i in self.attributes if i < len(values)}
            return parse_customer(raw, attributes=attributes)
        try:
            return parse_interaction(raw, tz=self.tz)
        except RecordError:
            # A value no table understands always rejects its row: counted here, off the
            # path of the good rows (every such value of the row, not only the first).
            for field_name, known in self.vocabulary:
                value = raw.get(field_name)
                if type(value) is str and value and value not in known:
                    self._count_unknown(field_name, value)
            raise

    def _count_unknown(self, field_name: str, value: str) -> None:
        """Count `value` in `field_name` when the canonical vocabulary does not read it."""
        if is_canonical(field_name, value):
            return
        shown = value.strip()[:SOURCE_CHARS]
        counts = self.unknown.setdefault(FIELD_VOCABULARY[field_name], {})
        if shown in counts or len(counts) < UNKNOWN_LISTED:
            counts[shown] = counts.get(shown, 0) + 1

    def take_unknown(self) -> dict[str, dict[str, int]]:
        """The unknown values counted since the last call (one batch's)."""
        unknown, self.unknown = self.unknown, {}
        return unknown

    def _minutes_after_created(self, raw: dict[str, Any], field_name: str) -> None:
        value = raw.get(field_name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        minutes = parse_number(field_name, value)
        if minutes is None:
            return
        if minutes < 0:
            raise RecordError(
                field_name,
                _("“%(value)s” minutes is negative.") % {"value": value},
            )
        try:
            created = parse_timestamp("created_at", raw.get("created_at"), self.tz)
        except RecordError:
            return  # parse_interaction reports the bad created_at
        if created is not None:
            raw[field_name] = created + dt.timedelta(minutes=minutes)


#: Characters of each value a stored rejected row keeps (a runaway field can be a megabyte).
RAW_VALUE_CHARS = 1000


def _raw_row(headers: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    """A row as JSON-safe {header: text}, for the rejected-rows table and download; long
    texts are cut to RAW_VALUE_CHARS characters."""
    row: dict[str, Any] = {}
    for i, value in enumerate(values):
        key = headers[i] if i < len(headers) else f"column_{i + 1}"
        if value is None:
            row[key] = ""
        elif isinstance(value, dt.datetime | dt.date | dt.time):
            row[key] = value.isoformat()
        elif isinstance(value, int | float | bool):
            row[key] = value
        else:
            row[key] = _storable(str(value)[:RAW_VALUE_CHARS])
    return row


def _storable(text: str) -> str:
    """`text` with any NUL character (which PostgreSQL cannot store) shown as U+FFFD."""
    return text.replace("\x00", "\ufffd")


def no_data_error() -> ImportFileError:
    """The error of a file that has a header but no data row."""
    return ImportFileError(_("The file has no data rows: only a header."))


# --- jobs -----------------------------------------------------------------------------------


def _enqueue(job: ImportJob) -> None:
    from goaldesk.interactions.tasks import import_job_task

    job_id = job.pk
    transaction.on_commit(lambda: import_job_task.enqueue(job_id))


def import_job_create(
    *,
    organisation: Any,
    upload: Any,
    created_by: Any = None,
    preset: Preset | None = None,
    kind: str = ImportJob.Kind.INTERACTIONS,
) -> ImportJob:
    """Store an uploaded file as a new (pending) job with a guessed mapping.

    Reads only the file's header and first rows (`preview_table`), outside any transaction:
    a large or crafted file never holds the database while it is read; counting its rows is
    the job's work. Raises ImportFileError (and keeps nothing) when the file cannot be read
    or has no data rows.
    """
    import_files_expire()
    preset = preset or Preset(name="", label="")
    job = ImportJob(
        organisation=organisation,
        kind=kind,
        created_by=created_by,
        original_name=Path(upload.name).name[:255],
    )
    job.file.save(Path(upload.name).name, upload, save=False)
    try:
        preset = dataclasses.replace(preset, layout=file_layout(job.file.path, preset, kind=kind))
        preview = preview_table(job.file.path, layout=preset.layout)
        if preview.no_data:
            raise no_data_error()
    except ImportFileError:
        job.file.delete(save=False)
        raise
    job.mapping = mapping_for_job(
        guess_mapping(preview.headers, preset, kind=kind),
        preset=preset,
        headers=preview.headers,
        calendar=default_local_calendar(organisation),
        language=get_language() or "",
    )
    job.save()
    return job


#: Rows of a file the mapping step reads to guess the date order and find unknown values.
GUESS_ROWS = 200
#: The fields that hold a date (and time) in each kind of file.
DATE_FIELDS: dict[str, tuple[str, ...]] = {
    ImportJob.Kind.INTERACTIONS: (
        "created_at",
        "first_response_at",
        "resolved_at",
        "arrived_at",
        "fixed_at",
    ),
    ImportJob.Kind.REVIEWS: ("date",),
}


def guess_file_date_order(
    rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str], *, kind: str
) -> str:
    """The order ("dmy", "mdy", "ymd") the date columns of a file's first `rows` are written
    in, "" when ISO 8601 or year-first (no order needed). Raises DateOrderProblem when they
    cannot tell (every day at most 12: `ambiguous`) or when rows disagree, naming the column."""
    found: dict[str, str] = {}
    for field_name in DATE_FIELDS.get(kind, ()):
        header = columns.get(field_name)
        if not header:
            continue
        order = guess_date_order((row.get(header) for row in rows), column=header)
        if order:
            found.setdefault(order, header)
    if len(found) > 1:
        (first, first_column), (second, second_column) = sorted(found.items())[:2]
        raise DateOrderProblem(
            _(
                "The date columns disagree: “%(first_column)s” is written %(first)s and "
                "“%(second_column)s” %(second)s. Choose the order, or fix the file."
            )
            % {
                "first_column": first_column,
                "first": order_label(first),
                "second_column": second_column,
                "second": order_label(second),
            },
            ambiguous=False,
        )
    return next(iter(found), "")


def job_dates_options(
    job: ImportJob, *, date_order: str | None, date_format: str | None
) -> dict[str, Any]:
    """The job's `_transforms` with the date order and format chosen (None: unchanged)."""
    transforms = job_transforms(job)
    if date_order is not None:
        transforms["date_order"] = date_order if date_order in DATE_ORDERS else ""
    if date_format is not None:
        transforms["date_format"] = date_format
    return transforms


@transaction.atomic
def import_job_start(
    *,
    job: ImportJob,
    columns: Mapping[str, str],
    dry_run: bool,
    calendar: str | None = None,
    date_order: str | None = None,
    date_format: str | None = None,
) -> ImportJob:
    """Fix the job's mapping (and, when given, the calendar years before 1700 are read in:
    JALALI or HIJRI, and the order or format of its dates that are not ISO 8601) and queue it
    for the worker (after this transaction commits).

    Raises ImportFileError when the mapping misses a required field or names an absent header.
    """
    headers = (job.mapping or {}).get("_headers") or []
    check_mapping(columns, headers, kind=job.kind, fixed=job_fixed_fields(job))
    options = {k: v for k, v in (job.mapping or {}).items() if k.startswith("_")}
    options["_transforms"] = job_dates_options(job, date_order=date_order, date_format=date_format)
    if calendar is not None:
        options["_calendar"] = local_calendar_of(calendar)
    options["_value_map"] = organisation_value_map(job.organisation)
    job.mapping = {**{k: v for k, v in columns.items() if v}, **options}
    job.dry_run = dry_run
    job.state = ImportJob.State.PENDING
    job.save(update_fields=["mapping", "dry_run", "state"])
    _enqueue(job)
    return job


#: Where a job's mapping counts the values no table understood ({vocabulary: {value: rows}}).
UNKNOWN_KEY = "_unknown_values"


def job_unknown_values(job: ImportJob) -> dict[str, dict[str, int]]:
    """{vocabulary: {value: rows}} of the values the job's rows wrote that neither the
    canonical vocabulary, the preset nor the saved value mappings understand."""
    return dict((job.mapping or {}).get(UNKNOWN_KEY) or {})


#: What a job's mapping holds about the agents and teams it saw (see `_People`).
PEOPLE_KEYS = ("_agents", "_teams", "_agents_unlisted", "_teams_unlisted")


def job_people(job: ImportJob) -> dict[str, Any]:
    """The agents and teams the job's file names: {"agents": [...], "teams": [...],
    "agents_unlisted": n, "teams_unlisted": n}; each item has the folded spelling, the value
    as first seen, its rows and the id of the existing agent or team it matched (None: new)."""
    mapping = job.mapping or {}
    return {
        key.lstrip("_"): mapping.get(key) or (0 if key.endswith("unlisted") else [])
        for key in PEOPLE_KEYS
    }


@transaction.atomic
def import_job_repeat(
    *,
    job: ImportJob,
    created_by: Any = None,
    agents: Mapping[str, int] | None = None,
    teams: Mapping[str, int] | None = None,
) -> ImportJob:
    """After a dry run: a new job importing the same file with the same mapping, queued.

    `agents` and `teams` map a spelling the dry run found new (folded, as in `job_people`) to
    an existing agent or team of the organisation, which the import then uses instead of
    creating one. An agent's spelling is kept as another spelling of that agent (later imports
    find it too); a team's applies to this import. Ids of another organisation are ignored.
    """
    organisation = job.organisation
    chosen = dict(agents or {})
    found = Agent.objects.filter(organisation=organisation).in_bulk(list(chosen.values()))
    for folded, pk in chosen.items():
        if pk in found:
            agent_alias_add(organisation=organisation, agent=found[pk], text=folded)
    team_ids = set(
        Team.objects.filter(
            organisation=organisation, pk__in=list((teams or {}).values())
        ).values_list("pk", flat=True)
    )
    mapping = {
        k: v
        for k, v in (job.mapping or {}).items()
        if k not in (*PEOPLE_KEYS, UNKNOWN_KEY, *SHAPE_STATE)  # the dry run's own progress
    }
    mapping["_value_map"] = organisation_value_map(organisation)
    mapping["_team_map"] = {f: pk for f, pk in (teams or {}).items() if pk in team_ids}
    new_job = ImportJob.objects.create(
        organisation=organisation,
        kind=job.kind,
        created_by=created_by,
        file=job.file.name,
        original_name=job.original_name,
        mapping=mapping,
        dry_run=False,
    )
    _enqueue(new_job)
    return new_job


def import_job_preview(*, job: ImportJob, count: int = 3) -> TablePreview:
    """The header and first `count` rows of a job's file (see `preview_table`).

    Raises ImportFileError when the file cannot be read or is no longer kept.
    """
    source = _job_source(job)
    try:
        return preview_table(source, count=count, layout=job_layout(job))
    finally:
        if hasattr(source, "read"):
            cast(Any, source).close()


def file_rows_sample(
    source: Source, *, count: int = GUESS_ROWS, layout: TableLayout | None = None
) -> list[dict[str, Any]]:
    """Up to `count` first rows of a file as {header: value}, for guessing its date order and
    listing its unknown values; stops quietly at a row that cannot be read (the import
    reports it) and reads at most PREVIEW_MAX_ROWS rows."""
    rows: list[dict[str, Any]] = []
    with (
        contextlib.suppress(ImportFileError, OSError, ValueError),
        open_table(source, max_rows=PREVIEW_MAX_ROWS, layout=layout or TableLayout()) as table,
    ):
        for _number, row in table.dict_rows():
            rows.append(row)
            if len(rows) >= count:
                break
    return rows


def import_job_sample(*, job: ImportJob, count: int = GUESS_ROWS) -> list[dict[str, Any]]:
    """`file_rows_sample` of a job's file ([] when the file is no longer kept)."""
    try:
        source = _job_source(job)
    except ImportFileError:
        return []
    try:
        return file_rows_sample(source, count=count, layout=job_layout(job))
    finally:
        if hasattr(source, "read"):
            cast(Any, source).close()


def _job_source(job: ImportJob) -> Source:
    if not job.file:
        if Path(job.original_name).is_absolute():
            # A command-line import keeps no copy: retried from the page, the worker reads the
            # file where the command read it (`goaldesk import` stores its absolute path).
            return job.original_name
        raise ImportFileError(
            _("The uploaded file was removed after the import ended; upload it again.")
        )
    try:
        return job.file.path
    except NotImplementedError:
        return job.file.open("rb")


def import_run(
    job_id: int,
    *,
    progress: ProgressCallback | None = None,
    source: Source | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportJob:
    """Run (or resume) an import job; return it finished.

    `source` overrides the job's stored file (the command line imports a file in place).
    `progress(job)` is called after each committed batch. A row that cannot be read or
    written is rejected on its own; on an unreadable file (or one without data rows) the job
    is marked failed and ImportFileError is raised; any other error marks it failed and
    propagates. The uploaded file is removed when it can serve no more (`import_file_release`).
    """
    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    if job.state == ImportJob.State.DONE:
        return job
    opened = source is None
    try:
        if source is None:
            source = _job_source(job)
        # Heartbeats while it runs: from a killed process the job is seen as lost and resumed
        # (by a worker) or marked failed (from the command line), not "running" for ever.
        with job_heartbeat(model=ImportJob, pk=job.pk), job_reading(job):
            _run(job, source=source, progress=progress, batch_size=batch_size)
    except BaseException as error:
        message = error.message if isinstance(error, ImportFileError) else repr(error)
        job_mark_failed(job=job, error=message)
        if isinstance(error, ImportFileError):
            import_file_release(job=job)  # no retry can read it
        raise
    finally:
        if opened and hasattr(source, "read"):
            cast(Any, source).close()
    if not job.dry_run:
        import_file_release(job=job)  # a dry run keeps it for the import that may follow
    # Tidying only: on an error the next upload or import tries again.
    with contextlib.suppress(DatabaseError, OSError), transaction.atomic():
        import_files_expire()
    return job


def import_job_fail(*, job: ImportJob, error: str) -> None:
    """Mark a job whose file turned out unusable failed with `error`, its file removed."""
    job_mark_failed(job=job, error=error)
    import_file_release(job=job)


def import_file_release(*, job: ImportJob) -> None:
    """Remove the job's uploaded file unless another job still needs it (a queued or
    running import of the same file); every job that named it then names none."""
    name = job.file.name
    if not name:
        return
    waiting = ImportJob.objects.filter(
        file=name, state__in=[ImportJob.State.PENDING, ImportJob.State.RUNNING]
    ).exclude(pk=job.pk)
    if waiting.exists():
        return
    job.file.storage.delete(name)
    ImportJob.objects.filter(file=name).update(file="")
    job.file.name = ""


def import_files_expire(*, now: dt.datetime | None = None) -> int:
    """Remove the files kept for a retry or after a dry run, and of uploads never started,
    once IMPORT_FILE_RETENTION_HOURS have passed since the job ended (or was uploaded);
    return how many were removed."""
    limit = (now or timezone.now()) - dt.timedelta(hours=settings.IMPORT_FILE_RETENTION_HOURS)
    expired = ImportJob.objects.exclude(file="").filter(
        Q(state__in=[ImportJob.State.DONE, ImportJob.State.FAILED], finished_at__lt=limit)
        | Q(state=ImportJob.State.PENDING, rows_done=0, started_at=None, created_at__lt=limit)
    )
    removed = 0
    for job in expired.only("pk", "file"):
        if job.file.name:
            import_file_release(job=job)
            removed += 1
    return removed


def _run(
    job: ImportJob, *, source: Source, progress: ProgressCallback | None, batch_size: int
) -> None:
    if job.dry_run and job.rows_done:
        # A dry run keeps no interactions, so it cannot know what its earlier batches saw.
        job.rejections.all().delete()
        job.rows_done = job.accepted = job.updated = job.rejected = 0
        job.rejection_summary = []
        job.mapping = {
            k: v
            for k, v in (job.mapping or {}).items()
            if k not in (*PEOPLE_KEYS, UNKNOWN_KEY, *SHAPE_STATE)
        }
        ImportJob.objects.filter(pk=job.pk).update(mapping=job.mapping)
        job.cases.all().delete()
    if job.rows_total is None or job.rows_done == 0:
        job.rows_total = estimate_rows(source, layout=job_layout(job))  # exact when it ends
    job_mark_running(
        job=job,
        resume=True,
        rows_total=job.rows_total,
        rows_done=job.rows_done,
        accepted=job.accepted,
        updated=job.updated,
        rejected=job.rejected,
        rejection_summary=job.rejection_summary,
    )

    if (job.mapping or {}).get("_shape"):
        # An event log or message thread: one interaction per case (interactions/reduction.py).
        run_shaped(job, source=source, progress=progress, batch_size=batch_size)
        job_mark_done(job=job, rows_total=job.rows_done)
        return

    with open_table(source, layout=job_layout(job)) as table:
        check_mapping(job_columns(job), table.headers, kind=job.kind, fixed=job_fixed_fields(job))
        converter = RowConverter(job, table.headers)
        batch = _Batch(job, converter, table.headers, kept=_KeptRejections(job))
        rows = table.rows()
        for _row in zip(range(job.rows_done), rows, strict=False):
            pass  # committed by an earlier run
        convert: Callable[[Sequence[Any]], Any] = converter.convert
        if batch.writer is not None:
            # Interactions are turned into rows of values here, in the reading thread.
            parse, prepare = converter.convert, batch.writer.prepare

            def convert(values: Sequence[Any]) -> Any:
                # Only interaction jobs have a writer, so the record is an interaction.
                return prepare(cast(InteractionData, parse(values)))

        committer = _Committer.start(job, progress)
        seen_rows = job.rows_done
        try:
            try:
                for number, values in rows:
                    seen_rows += 1
                    try:
                        batch.records.append(convert(values))
                    except RecordError as error:
                        batch.reject(number, values, error)
                    except Exception as error:  # a value no check foresaw: its row only
                        batch.reject(number, values, _unexpected(error))
                    batch.size += 1
                    if batch.size >= batch_size:
                        batch.unknown = converter.take_unknown()
                        committer.submit(batch)
                        batch = batch.next()
            except ImportFileError:
                # The rows before the one that cannot be read are imported all the same.
                if batch.size:
                    batch.unknown = converter.take_unknown()
                    committer.submit(batch)
                raise
            if batch.size:
                batch.unknown = converter.take_unknown()
                committer.submit(batch)
        finally:
            committer.finish()
    if not seen_rows:
        raise no_data_error()

    job_mark_done(job=job, rows_total=job.rows_done)


def _unexpected(error: Exception) -> RecordError:
    """The rejection of a row whose reading or checking raised something unforeseen."""
    return RecordError("", _("This row cannot be imported: %(error)s") % {"error": error})


#: Distinct (column, reason) pairs a job's summary lists; later ones count as "other".
SUMMARY_REASONS = 100


class _KeptRejections:
    """How many rejected rows the job stores with their values (the first
    IMPORT_REJECTIONS_STORED); the rest are only counted in the job's summary."""

    def __init__(self, job: ImportJob) -> None:
        self.limit = settings.IMPORT_REJECTIONS_STORED
        self.stored = job.rejections.count() if job.rejected else 0

    def take(self) -> bool:
        if self.stored >= self.limit:
            return False
        self.stored += 1
        return True


def rejection_summary_add(
    summary: list[dict[str, Any]], counts: Mapping[tuple[str, str], int]
) -> list:
    """`summary` ([{column, reason, count}], most frequent first) with `counts` added; past
    SUMMARY_REASONS distinct reasons, a new one counts under its column's "other reasons"."""
    merged = {(item["column"], item["reason"]): item["count"] for item in summary}
    for (column, reason), count in counts.items():
        key = (column, reason)
        if key not in merged and len(merged) >= SUMMARY_REASONS:
            key = (column, _("other reasons"))
        merged[key] = merged.get(key, 0) + count
    ordered = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    return [{"column": c, "reason": r, "count": n} for (c, r), n in ordered]


def _tune_connection() -> None:
    """A larger page cache for this connection: a big import inserts into several indexes
    whose pages SQLite would otherwise read again and again from disk (default: 2 MB); and
    less frequent checkpoints."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")  # KiB: 128 MB
            # Its reads (the ids already there, the next contacts) go through that cache, not
            # through memory mapping, whose pages would count as the import's memory.
            cursor.execute("PRAGMA mmap_size = 0")
            # Copy the write-ahead log into the database every 20,000 pages rather than
            # every 1,000: the pages each batch touches again (the ends of the indexes) are
            # then written back once per checkpoint, not once per batch or two.
            cursor.execute("PRAGMA wal_autocheckpoint = 20000")
            # The day-stamp trigger (metrics/migrations/0001) makes each row's INSERT keep a
            # statement journal, by default a temporary file opened and removed per row: in
            # memory instead, a batch is written in about 60% of the time. (Not to be changed
            # inside a transaction: an import inside a caller's keeps the default.)
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA temp_store = MEMORY")


class _Committer:
    """Commits batches one after another, in this thread."""

    def __init__(self, job: ImportJob, progress: ProgressCallback | None) -> None:
        self.job = job
        self.progress = progress

    @staticmethod
    def start(job: ImportJob, progress: ProgressCallback | None) -> "_Committer":
        # Outside a transaction the batches are written by a second thread, on its own
        # connection, while this one reads and checks the next batch: the database does its
        # part (SQLite releases the GIL while it works) on the other core. Inside an outer
        # transaction (tests, callers' atomic blocks) another connection could not see its
        # uncommitted rows, so the batches are written here.
        if PIPELINE and not connection.in_atomic_block:
            return _ThreadedCommitter(job, progress)
        _tune_connection()
        return _Committer(job, progress)

    def commit(self, batch: "_Batch") -> None:
        _commit_batch(batch)
        if self.progress is not None:
            self.progress(self.job)

    def submit(self, batch: "_Batch") -> None:
        self.commit(batch)

    def finish(self) -> None:
        pass


class _ThreadedCommitter(_Committer):
    """Commits batches in a second thread; at most two batches wait in its queue."""

    def __init__(self, job: ImportJob, progress: ProgressCallback | None) -> None:
        super().__init__(job, progress)
        self.queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name=f"import-{job.pk}", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        try:
            _tune_connection()
            while (batch := self.queue.get()) is not None:
                if self.error is None:  # after an error, only drain the queue
                    try:
                        self.commit(batch)
                    except BaseException as error:  # handed to the reading thread
                        self.error = error
        finally:
            connection.close()

    def submit(self, batch: "_Batch") -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def finish(self) -> None:
        """Wait until every submitted batch is committed; raise the writer's error if any."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error


#: Distinct agents (and teams) a job lists by name; more are counted, not listed.
PEOPLE_LISTED = 1000
#: Distinct agent and team values whose fold a job remembers (a bound on its memory).
FOLDS_CACHED = 100_000


class _People:
    """The agents and teams an interaction import names: per folded spelling, the first
    spelling seen, its rows, and the existing agent or team it matched (None: a new one,
    created by the import). Kept in the job's mapping under "_agents" and "_teams"."""

    def __init__(self, job: ImportJob) -> None:
        mapping = job.mapping or {}
        self.lists: dict[str, dict[str, dict[str, Any]]] = {
            kind: {item["folded"]: item for item in mapping.get(f"_{kind}") or []}
            for kind in ("agents", "teams")
        }
        #: value → its fold: files repeat the same few names on every row
        self.folded: dict[str, str] = {}
        self.unlisted: dict[str, int] = {
            kind: int(mapping.get(f"_{kind}_unlisted") or 0) for kind in ("agents", "teams")
        }

    def count(self, rows: Sequence[list], writer: InteractionWriter) -> None:
        """Count the agent and team of each prepared row (before it is written)."""
        for row in rows:
            for kind, value, lookup in (
                ("agents", row[AGENT_SLOT], writer.agent_lookup),
                ("teams", row[TEAM_SLOT], writer.team_lookup),
            ):
                if not value:
                    continue
                folded = self.folded.get(value)
                if folded is None:
                    folded = fold_name(value)
                    if len(self.folded) < FOLDS_CACHED:
                        self.folded[value] = folded
                items = self.lists[kind]
                item = items.get(folded)
                if item is None:
                    if len(items) >= PEOPLE_LISTED:
                        self.unlisted[kind] += 1
                        continue
                    item = items[folded] = {
                        "folded": folded,
                        "value": value,
                        "rows": 0,
                        "match": lookup(value),
                    }
                item["rows"] += 1

    def store(self, mapping: dict[str, Any]) -> dict[str, Any]:
        """`mapping` with the lists (most rows first) written in."""
        for kind, items in self.lists.items():
            mapping[f"_{kind}"] = sorted(items.values(), key=lambda i: (-i["rows"], i["folded"]))
            mapping[f"_{kind}_unlisted"] = self.unlisted[kind]
        return mapping


class _Batch:
    """The rows of one batch: their records and rejections, and what the job has seen before."""

    def __init__(
        self,
        job: ImportJob,
        converter: RowConverter,
        headers: Sequence[str],
        writer: InteractionWriter | None = None,
        seen: set[str] | None = None,
        *,
        kept: _KeptRejections,
        people: _People | None = None,
    ) -> None:
        self.job = job
        self.kept = kept
        self.people = people or _People(job)
        #: (column, reason) → rejected rows of this batch
        self.reasons: dict[tuple[str, str], int] = {}
        self.rejected = 0
        self.converter = converter
        self.headers = headers
        self.writer = writer or (
            InteractionWriter(
                organisation=job.organisation,
                team_map=(job.mapping or {}).get("_team_map") or {},
            )
            if job.kind == ImportJob.Kind.INTERACTIONS
            else None
        )
        #: external_ids a dry run would have created in earlier batches
        self.seen: set[str] = seen if seen is not None else set()
        self.records: list[Any] = []
        self.rejections: list[ImportRejection] = []
        self.size = 0
        #: {vocabulary: {value: rows}} this batch's rows wrote and no table understood
        self.unknown: dict[str, dict[str, int]] = {}

    def next(self) -> "_Batch":
        return _Batch(
            self.job,
            self.converter,
            self.headers,
            self.writer,
            self.seen,
            kept=self.kept,
            people=self.people,
        )

    def reject(self, number: int, values: Sequence[Any], error: RecordError) -> None:
        column = self.converter.header_of(error.column) if error.column else ""
        key = column, reason = _storable(column[:100]), _storable(str(error.reason))
        self.reasons[key] = self.reasons.get(key, 0) + 1
        self.rejected += 1
        if not self.kept.take():
            return
        self.rejections.append(
            ImportRejection(
                job_id=self.job.pk,
                row_number=number,
                column=column,
                reason=reason,
                raw=_raw_row(self.headers, values),
            )
        )

    def dry_counts(self) -> tuple[int, int]:
        if self.job.kind == ImportJob.Kind.CUSTOMERS:
            ids = [r.key for r in self.records]
            existing = set(
                Customer.objects.filter(
                    organisation=self.job.organisation, key__in=ids
                ).values_list("key", flat=True)
            )
        elif self.job.kind == ImportJob.Kind.REVIEWS:
            ids = [r.external_id for r in self.records]
        else:
            ids = [row[1] for row in self.records]  # prepared rows: external_id second
        if self.job.kind == ImportJob.Kind.CUSTOMERS:
            pass
        elif self.job.kind == ImportJob.Kind.REVIEWS:
            existing = set(
                Review.objects.filter(
                    organisation=self.job.organisation, external_id__in=ids
                ).values_list("external_id", flat=True)
            )
        else:
            existing = set(cast(InteractionWriter, self.writer).existing_ids(ids))
        created = 0
        for external_id in ids:
            if external_id not in existing and external_id not in self.seen:
                self.seen.add(external_id)
                created += 1
        return created, len(ids) - created


def _unknown_add(mapping: dict[str, Any], counts: Mapping[str, Mapping[str, int]]) -> dict:
    """`mapping` with a batch's unknown values added to its count (UNKNOWN_LISTED a field)."""
    merged = {f: dict(m) for f, m in (mapping.get(UNKNOWN_KEY) or {}).items()}
    for vocabulary, values in counts.items():
        known = merged.setdefault(vocabulary, {})
        for value, rows in values.items():
            if value in known or len(known) < UNKNOWN_LISTED:
                known[value] = known.get(value, 0) + rows
    mapping[UNKNOWN_KEY] = merged
    return mapping


def _commit_batch(batch: _Batch) -> None:
    """Write one batch, its rejections and the job's counters in one transaction."""
    job = batch.job
    with transaction.atomic():
        if batch.writer is not None:
            batch.people.count(batch.records, batch.writer)
            job.mapping = batch.people.store(dict(job.mapping or {}))
        if batch.unknown:
            job.mapping = _unknown_add(dict(job.mapping or {}), batch.unknown)
        if job.dry_run:
            created, updated = batch.dry_counts()
        elif job.kind == ImportJob.Kind.REVIEWS:
            result = reviews_upsert(organisation=job.organisation, records=batch.records)
            created, updated = result.created, result.updated
        elif job.kind == ImportJob.Kind.CUSTOMERS:
            written = customers_upsert(organisation=job.organisation, records=batch.records)
            created, updated = written.created, written.updated
        else:
            writer = cast(InteractionWriter, batch.writer)
            result = writer.write_prepared(batch.records, import_job=job)
            created, updated = result.created, result.updated
        if batch.rejections:
            ImportRejection.objects.bulk_create(batch.rejections, batch_size=500)
        job.rows_done += batch.size
        job.accepted += created
        job.updated += updated
        job.rejected += batch.rejected
        if batch.reasons:
            job.rejection_summary = rejection_summary_add(
                job.rejection_summary or [], batch.reasons
            )
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=job.rows_done,
            accepted=job.accepted,
            updated=job.updated,
            rejected=job.rejected,
            rejection_summary=job.rejection_summary,
            mapping=job.mapping,
        )


# --- selectors for the pages ----------------------------------------------------------------


def import_jobs_recent(*, organisation: Any, limit: int = 20) -> list[ImportJob]:
    return list(
        ImportJob.objects.filter(organisation=organisation)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def import_rejected_rows_csv(job: ImportJob) -> Iterator[str]:
    """The rejected rows as CSV lines: the file's columns, then row, column, reason."""
    headers = list((job.mapping or {}).get("_headers") or [])
    buffer = io.StringIO()
    writer = csv_writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([*headers, "row", "column", "reason"])
    yield "\ufeff" + flush()  # a byte-order mark so spreadsheet programs read UTF-8
    for rejection in job.rejections.order_by("row_number").iterator(chunk_size=2000):
        raw = rejection.raw or {}
        writer.writerow(
            [
                *(raw.get(h, "") for h in headers),
                rejection.row_number,
                rejection.column,
                rejection.reason,
            ]
        )
        yield flush()
