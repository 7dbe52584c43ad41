"""The import pages: upload → mapping → dry run or import → progress → result (managers, owners)."""

import datetime as dt
import io
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.core.csv_safe import csv_writer
from goaldesk.core.display import CALENDAR_LABELS, digits, input_date
from goaldesk.core.parsing import (
    DATE_ORDERS,
    ArgumentProblem,
    DateOrderProblem,
    check_date_format,
    order_label,
)
from goaldesk.core.views import job_progress_response, job_retry_response
from goaldesk.interactions.importing import (
    LOCAL_CALENDARS,
    guess_file_date_order,
    import_job_create,
    import_job_fail,
    import_job_preview,
    import_job_repeat,
    import_job_sample,
    import_job_start,
    import_jobs_recent,
    import_rejected_rows_csv,
    job_calendar,
    job_columns,
    job_date_writing,
    job_fixed_fields,
    job_people,
    job_transforms,
    job_unknown_values,
)
from goaldesk.interactions.mapping import (
    PRESETS,
    ImportFileError,
    kind_fields,
    kind_required,
    load_preset,
)
from goaldesk.interactions.models import Channel, ImportJob, ValueMapping
from goaldesk.interactions.records import (
    CANONICAL_FIELDS,
    CHANNELS,
    OUTCOMES,
    REQUIRED_FIELDS,
    SENTIMENTS,
    STATUSES,
)
from goaldesk.interactions.reduction import mapping_with_choices, shape_final_activities
from goaldesk.interactions.value_mappings import (
    REJECT,
    VOCABULARIES,
    ValueMappingError,
    organisation_value_map,
    unknown_values,
    value_mapping_delete,
    value_mapping_set,
    value_mappings_of,
)
from goaldesk.team.models import Agent, Team

REJECTIONS_PER_PAGE = 50

#: What each canonical field holds, shown on the mapping page.
FIELD_HELP = {
    "external_id": gettext_lazy("The source system's id; importing it again updates the row."),
    "channel": gettext_lazy("phone, email, chat, social, walk_in, web or field"),
    "created_at": gettext_lazy("When the customer reached out or arrived"),
    "customer_id": gettext_lazy("Stable customer key (empty for anonymous walk-ins)"),
    "agent": gettext_lazy("Agent key (e-mail or code)"),
    "team": gettext_lazy("Team name"),
    "category": gettext_lazy("The situation type (returns, billing, repair, …)"),
    "first_response_at": gettext_lazy("First reply by a person"),
    "resolved_at": gettext_lazy("When it was resolved"),
    "status": gettext_lazy("resolved, unresolved, abandoned or open"),
    "outcome": gettext_lazy("success or failure"),
    "wait_seconds": gettext_lazy("Queue wait before a person answered, in seconds"),
    "handle_seconds": gettext_lazy("Talk or handle time, in seconds"),
    "csat": gettext_lazy("Satisfaction answer, 1–5"),
    "nps": gettext_lazy("Recommendation answer, 0–10"),
    "ces": gettext_lazy("Effort answer, 1–7 (lower is better)"),
    "sentiment_start": gettext_lazy("Mood on arrival: negative, neutral or positive"),
    "sentiment_end": gettext_lazy("Mood on leaving: negative, neutral or positive"),
    "arrived_at": gettext_lazy("Field service: technician on site"),
    "fixed_at": gettext_lazy("Field service: fault repaired"),
    "source": gettext_lazy("Where the review was posted"),
    "date": gettext_lazy("The review's date"),
    "rating": gettext_lazy("Stars, 1–5"),
    "text": gettext_lazy("The review's text"),
    "author": gettext_lazy("Who wrote it"),
}

#: One example interaction, the row of the template files, in the canonical machine format:
#: times in the organisation's zone without an offset, numbers with Latin digits.
TEMPLATE_ROW: dict[str, str | int] = {
    "external_id": "T-1001",
    "channel": "field",
    "created_at": "2026-11-30 10:00",
    "customer_id": "C-42",
    "agent": "sara@example.com",
    "team": "Support",
    "category": "repair",
    "first_response_at": "2026-11-30 10:02",
    "resolved_at": "2026-11-30 13:45",
    "status": "resolved",
    "outcome": "success",
    "wait_seconds": 95,
    "handle_seconds": 480,
    "csat": 5,
    "nps": 9,
    "ces": 2,
    "sentiment_start": "negative",
    "sentiment_end": "positive",
    "arrived_at": "2026-11-30 13:00",
    "fixed_at": "2026-11-30 13:40",
}


def _example_for_reader(name: str) -> str:
    """The example of column `name` as the reader would type it: a date and time in their
    calendar and digits, a number in their digits, text as it is."""
    value = TEMPLATE_ROW[name]
    if name.endswith("_at"):
        date_text, time_text = str(value).split(" ")
        return f"{input_date(dt.date.fromisoformat(date_text))} {digits(time_text)}"
    return digits(value) if isinstance(value, int) else str(value)


#: The values a file writes in a column with a fixed set of them (the file's codes).
_FILE_VALUES = {
    "channel": CHANNELS,
    "status": STATUSES,
    "outcome": OUTCOMES,
    "sentiment_start": SENTIMENTS,
    "sentiment_end": SENTIMENTS,
}


def _column_help(name: str) -> SafeString:
    """A column's description for the page: in the reader's digits, the values a file writes
    marked as codes (they stay as they are in every language)."""
    text = str(conditional_escape(digits(str(FIELD_HELP[name]))))
    values = _FILE_VALUES.get(name)
    if values:
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, values)) + r")(?![\w-])")
        text = pattern.sub(r"<code>\1</code>", text)
    return mark_safe(text)  # noqa: S308 - escaped above; only <code> added


def _canonical_columns() -> list[dict[str, object]]:
    """Each canonical interaction column: name, whether required, description, example."""
    return [
        {
            "name": name,
            "required": name in REQUIRED_FIELDS,
            "help": _column_help(name),
            "example": _example_for_reader(name),
        }
        for name in CANONICAL_FIELDS
    ]


#: The customer file's columns (every other column becomes an attribute, see records.py).
CUSTOMER_FIELD_HELP = {
    "customer_id": gettext_lazy(
        "The customer key the interactions carry in customer_id (required)."
    ),
    "name": gettext_lazy("The customer's name."),
    "email": gettext_lazy("The customer's e-mail address."),
    "phone": gettext_lazy("The customer's phone number."),
    "language": gettext_lazy("The language the customer speaks, e.g. fa or en."),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=ImportJob.Kind.choices,
        initial=ImportJob.Kind.INTERACTIONS,
    )
    preset = forms.ChoiceField(
        label=gettext_lazy("Columns as exported by"),
        required=False,
        choices=[("", gettext_lazy("Guess from the column names"))]
        + [(name, preset.label) for name, preset in PRESETS.items()],
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_too_large_message())
        return upload


def _too_large_message() -> str:
    return _(
        "The file is larger than %(limit)s MB, the most this page accepts. Split it into "
        "smaller files, or import it with the command line (goaldesk import)."
    ) % {"limit": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)}


def _job(request: OrgRequest, job_id: int) -> ImportJob:
    """The job, only when it belongs to the request's organisation (else 404)."""
    return get_object_or_404(
        ImportJob.objects.select_related("organisation", "created_by"),
        pk=job_id,
        organisation=request.org,
    )


@org_view(Role.MANAGER)
def import_start(request: OrgRequest) -> HttpResponse:
    """Upload a file (and see the recent imports).

    The request only stores the file and reads its header and first rows; the job counts
    and checks the rest in the background.
    """
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") else None
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                organisation=request.org,
                upload=form.cleaned_data["file"],
                created_by=request.user,
                preset=load_preset(form.cleaned_data["preset"] or None),
                kind=form.cleaned_data["kind"],
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            return redirect("imports:mapping", org_slug=request.org.slug, job_id=job.pk)
    jobs = import_jobs_recent(organisation=request.org)
    return render(
        request,
        "interactions/import_start.html",
        {
            "nav": "import",
            "form": form,
            "jobs": jobs,
            "columns": _canonical_columns(),
            "sources": _sources(),
        },
    )


#: How a preset's dates are written, for the import page (examples are the file's text).
DATE_ORDER_HELP = {
    "dmy": gettext_lazy("Dates day first, for example {example}."),
    "mdy": gettext_lazy("Dates month first, for example {example}."),
    "ymd": gettext_lazy("Dates year first, for example {example}."),
}
DATE_ORDER_EXAMPLES = {
    "dmy": "29/2/2016 01:16",
    "mdy": "2/29/2016 1:16 AM",
    "ymd": "2016/2/29 01:16",
}


def _sources() -> list[dict[str, object]]:
    """Every preset for the import page: its name, label, the header of a typical file (so
    a user recognises theirs), how its dates are written and where its columns come from."""
    sources = []
    for name, preset in PRESETS.items():
        header = list(preset.sample_header) or [
            h for candidates in preset.columns.values() for h in candidates[:1]
        ]
        order = preset.date_order
        sources.append(
            {
                "name": name,
                "label": preset.label,
                "header": ",".join(header),
                "dates": format_html(
                    conditional_escape(DATE_ORDER_HELP[order]),
                    example=format_html("<code>{}</code>", DATE_ORDER_EXAMPLES[order]),
                )
                if order in DATE_ORDER_HELP
                else "",
                "header_row": preset.layout.header_row,
                "source_document": preset.source_document,
            }
        )
    return sources


@org_view(Role.MANAGER)
def import_template_csv(request: OrgRequest) -> HttpResponse:
    """A CSV with the canonical interaction columns and one example row (UTF-8, comma)."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(CANONICAL_FIELDS)
    writer.writerow([TEMPLATE_ROW[name] for name in CANONICAL_FIELDS])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="interactions-template.csv"'
    return response


@org_view(Role.MANAGER)
def import_template_xlsx(request: OrgRequest) -> HttpResponse:
    """An Excel workbook with the canonical interaction columns and one example row."""
    from openpyxl import Workbook  # imported here: only this download needs it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("interactions")
    sheet.append(list(CANONICAL_FIELDS))
    sheet.append([TEMPLATE_ROW[name] for name in CANONICAL_FIELDS])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="interactions-template.xlsx"'
    return response


#: What the value selects send for "leave empty" (a saved mapping's target is then "").
FORM_EMPTY = "!empty"


def _value_rows(unknown: dict[str, dict[str, int]]) -> list[dict[str, object]]:
    """The unknown values of a file or a dry run, for the page: one row per value with its
    vocabulary, count and what it can be mapped to; the form names are value_<n>/source_<n>."""
    labels = dict(ValueMapping.Field.choices)
    rows: list[dict[str, object]] = []
    for vocabulary in VOCABULARIES:
        for value, count in sorted((unknown.get(vocabulary) or {}).items()):
            rows.append(
                {
                    "index": len(rows),
                    "vocabulary": vocabulary,
                    "label": labels[vocabulary],
                    "value": value,
                    "rows": count,
                    "choices": _target_choices(vocabulary),
                }
            )
    return rows


def _target_choices(vocabulary: str) -> list[tuple[str, str]]:
    return [
        *((value, value) for value in VOCABULARIES[vocabulary]),
        (FORM_EMPTY, _("leave empty")),
        (REJECT, _("reject the row")),
    ]


def _save_value_choices(request: OrgRequest) -> tuple[str, set[tuple[str, str]]]:
    """Save what the manager mapped each listed unknown value to (the form's value_<n>, with
    value_field_<n> and value_source_<n> naming the value; an unchosen one stays unmapped).
    Returns the message of a choice that cannot be saved ("" when all were) and the
    (vocabulary, value) pairs the form listed."""
    listed: set[tuple[str, str]] = set()
    labels = dict(ValueMapping.Field.choices)
    problem = ""
    for key in request.POST:
        if not key.startswith("value_field_"):
            continue
        index = key.removeprefix("value_field_")
        vocabulary = request.POST.get(key, "")
        source = request.POST.get(f"value_source_{index}", "")
        listed.add((vocabulary, source))
        target = request.POST.get(f"value_{index}", "")
        if not target or problem:
            continue
        try:
            value_mapping_set(
                organisation=request.org,
                field=vocabulary,
                source=source,
                target="" if target == FORM_EMPTY else target,
                user=request.user,
            )
        except ValueMappingError as error:
            problem = f"{labels.get(vocabulary, vocabulary)} “{source}”: {error}"
    return problem, listed


def _dates_choice(
    request: OrgRequest, job: ImportJob, rows: list[dict], chosen: dict[str, str]
) -> tuple[str, str, str]:
    """(order, format, problem) the manager chose for the file's dates that are not ISO
    8601; with neither chosen, the order guessed from the file's first rows, or the problem
    saying why it cannot be guessed (then nothing starts)."""
    order = request.POST.get("date_order", "")
    order = order if order in DATE_ORDERS else ""
    try:
        date_format = check_date_format(request.POST.get("date_format", ""))
    except ArgumentProblem as problem:
        return order, request.POST.get("date_format", ""), str(problem)
    if order or date_format:
        return order, date_format, ""
    try:
        return guess_file_date_order(rows, chosen, kind=job.kind), "", ""
    except DateOrderProblem as problem:
        return "", "", str(problem)


def _dates_initial(job: ImportJob, rows: list[dict], chosen: dict[str, str]) -> tuple[str, str]:
    """(order, note) the date choice starts with: the preset's or the guessed order; the note
    says why the manager must choose (an ambiguous or conflicting file), else ""."""
    order, date_format = job_date_writing(job)
    if order or date_format:
        return order, ""
    try:
        return guess_file_date_order(rows, chosen, kind=job.kind), ""
    except DateOrderProblem as problem:
        return "", str(problem)


@org_view(Role.MANAGER)
def import_mapping(request: OrgRequest, job_id: int) -> HttpResponse:
    """Choose the file's column for each canonical field, how its dates are written and what
    its unknown values mean, then dry-run or import."""
    job = _job(request, job_id)
    if job.state != ImportJob.State.PENDING or job.rows_done:
        return redirect("imports:job", org_slug=request.org.slug, job_id=job.pk)
    try:
        start = import_job_preview(job=job, count=3)
    except (ImportFileError, OSError, ValueError) as error:
        message = getattr(error, "message", str(error))
        import_job_fail(job=job, error=message)
        messages.error(request, message)
        return redirect("imports:start", org_slug=request.org.slug)
    headers, samples = start.headers, start.rows
    first_rows = import_job_sample(job=job) or samples
    fields = kind_fields(job.kind)
    required = kind_required(job.kind)
    chosen = job_columns(job)
    calendar = job_calendar(job)
    problem_text = ""
    #: an event log or message thread (interactions/reduction.py), else None
    shape = (job.mapping or {}).get("_shape")
    date_order, date_note = _dates_initial(job, first_rows, chosen)
    date_format = job_date_writing(job)[1]

    def unknown_now(columns: dict[str, str]) -> list[dict[str, object]]:
        if job.kind != ImportJob.Kind.INTERACTIONS:
            return []
        return _value_rows(
            unknown_values(
                first_rows,
                columns,
                transforms=job_transforms(job),
                value_map=organisation_value_map(request.org),
            )
        )

    if request.method == "POST":
        chosen = {f: request.POST.get(f"map_{f}", "") for f in fields}
        chosen = {f: h for f, h in chosen.items() if h}
        if request.POST.get("calendar") in LOCAL_CALENDARS:
            calendar = request.POST["calendar"]
        problem_text, listed = _save_value_choices(request)
        unlisted = [
            row for row in unknown_now(chosen) if (row["vocabulary"], row["value"]) not in listed
        ]
        # A dry run counts them in the whole file and lists them for mapping afterwards.
        if unlisted and not problem_text and request.POST.get("action") != "dry_run":
            problem_text = _(
                "The columns you chose write values GoalDesk does not know (listed below). Say "
                "what each means, or leave it unmapped to reject its rows, then submit again."
            )
        date_order, date_format, date_problem = _dates_choice(request, job, first_rows, chosen)
        problem_text = problem_text or date_problem
        if date_problem:
            date_note = date_problem
        if not problem_text:
            try:
                if shape is not None:
                    finals = request.POST.get("final_activities", "")
                    job.mapping = mapping_with_choices(
                        job.mapping or {},
                        channel=request.POST.get("fixed_channel") or None,
                        final_activities=finals.split(",") if shape["kind"] == "eventlog" else None,
                    )
                import_job_start(
                    job=job,
                    columns=chosen,
                    dry_run=request.POST.get("action") == "dry_run",
                    calendar=calendar,
                    date_order=date_order,
                    date_format=date_format,
                )
            except ImportFileError as problem:
                problem_text = problem.message
            else:
                return redirect("imports:job", org_slug=request.org.slug, job_id=job.pk)
    fixed = job_fixed_fields(job)
    rows = [
        {
            "field": f,
            "required": f in required and f not in fixed,
            "help": CUSTOMER_FIELD_HELP.get(f, "")
            if job.kind == ImportJob.Kind.CUSTOMERS
            else FIELD_HELP.get(f, ""),
            "chosen": chosen.get(f, ""),
            "samples": [_display(s.get(chosen[f])) for s in samples] if chosen.get(f) else [],
        }
        for f in fields
    ]
    preview = [[_display(s.get(h)) for h in headers] for s in samples]
    return render(
        request,
        "interactions/import_mapping.html",
        {
            "nav": "import",
            "job": job,
            "rows": rows,
            "headers": headers,
            "preview": preview,
            "error": problem_text,
            "preset": (job.mapping or {}).get("_preset", ""),
            "calendars": [(c, CALENDAR_LABELS[c]) for c in LOCAL_CALENDARS],
            "calendar": calendar,
            "shape": shape_context(job.mapping or {}),
            "date_orders": [(o, order_label(o)) for o in DATE_ORDERS],
            "date_order": date_order,
            "date_format": date_format,
            "date_note": date_note,
            "has_dates": job.kind != ImportJob.Kind.CUSTOMERS,
            "unknown_values": unknown_now(chosen),
            "rows_read": len(first_rows),
        },
    )


def _display(value: object) -> str:
    if value is None:
        return ""
    # A date or a time reads as its ISO form already (only datetime.isoformat takes `sep`).
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)


@org_view(Role.MANAGER)
def import_job(request: OrgRequest, job_id: int) -> HttpResponse:
    """Progress while the job runs; counts and rejected rows when it is done."""
    job = _job(request, job_id)
    page = Paginator(job.rejections.order_by("row_number"), REJECTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "interactions/import_job.html",
        {
            "nav": "import",
            "job": job,
            "page": page,
            "calendar_label": CALENDAR_LABELS[job_calendar(job)],
            "unknown_values": _value_rows(job_unknown_values(job)),
            "value_map_used": _value_map_rows(job),
            "dates_read": _dates_read(job),
            **_people_context(job),
        },
    )


def _dates_read(job: ImportJob) -> str:
    """How the job reads dates that are not ISO 8601, for its page ("" when only ISO)."""
    order, date_format = job_date_writing(job)
    if date_format:
        return date_format
    return str(order_label(order)) if order else ""


def _value_map_rows(job: ImportJob) -> list[dict[str, str]]:
    """The saved value mappings the job applies (one row per vocabulary and value)."""
    labels = dict(ValueMapping.Field.choices)
    seen: set[tuple[str, str]] = set()
    rows: list[dict[str, str]] = []
    for field_name, table in ((job.mapping or {}).get("_value_map") or {}).items():
        vocabulary = "sentiment" if field_name.startswith("sentiment") else field_name
        for source, target in sorted(table.items()):
            if (vocabulary, source) in seen or vocabulary not in labels:
                continue
            seen.add((vocabulary, source))
            rows.append(
                {"label": str(labels[vocabulary]), "source": source, "target": _target_text(target)}
            )
    return rows


def _target_text(target: str) -> str:
    if target == REJECT:
        return _("reject the row")
    return target or _("leave empty")


def _people_context(job: ImportJob) -> dict[str, object]:
    """The agents and teams the job's file names, for the job page: the new ones (each with
    its index in the job's list, the form's field suffix) and the ones matched to an existing
    agent or team under another spelling, with the organisation's agents and teams to map to."""
    if job.kind != ImportJob.Kind.INTERACTIONS:
        return {}
    people = job_people(job)
    agents = {a.pk: a for a in Agent.objects.filter(organisation=job.organisation)}
    teams = {t.pk: t for t in Team.objects.filter(organisation=job.organisation)}

    def split(items: list[dict], known: dict, own_name: str) -> tuple[list, list]:
        new, matched = [], []
        for index, item in enumerate(items):
            if item["match"] is None:
                new.append({**item, "index": index})
                continue
            existing = known.get(item["match"])
            if existing is not None and item["value"] != getattr(existing, own_name):
                matched.append({**item, "existing": existing})
        return new, matched

    new_agents, matched_agents = split(people["agents"], agents, "key")
    new_teams, matched_teams = split(people["teams"], teams, "name")
    return {
        "new_agents": new_agents,
        "matched_agents": matched_agents,
        "agents_unlisted": people["agents_unlisted"],
        "new_teams": new_teams,
        "matched_teams": matched_teams,
        "teams_unlisted": people["teams_unlisted"],
        "agent_choices": sorted(agents.values(), key=lambda a: (a.name or a.key).casefold()),
        "team_choices": sorted(teams.values(), key=lambda t: t.name.casefold()),
    }


def _people_choices(
    request: OrgRequest, job: ImportJob
) -> tuple[dict[str, int], dict[str, int]] | str:
    """The agents and teams the manager mapped the dry run's new ones to: ({folded spelling:
    agent id}, {folded name: team id}); an empty choice creates a new one. A choice that is
    not a number gives the message to show instead."""
    people = job_people(job)
    chosen: list[dict[str, int]] = [{}, {}]
    for slot, (kind, label) in enumerate((("agent", _("Agent")), ("team", _("Team")))):
        for index, item in enumerate(people[f"{kind}s"]):
            value = request.POST.get(f"{kind}_{index}", "").strip()
            if not value or item["match"] is not None:
                continue
            if not value.isdigit():
                return _("%(field)s for “%(value)s”: choose one from the list.") % {
                    "field": label,
                    "value": item["value"],
                }
            chosen[slot][item["folded"]] = int(value)
    return chosen[0], chosen[1]


@org_view(Role.MANAGER)
def import_progress(request: OrgRequest, job_id: int) -> HttpResponse:
    """The progress bar (polled by htmx every second until the job is finished)."""
    return job_progress_response(request, _job(request, job_id))


@org_view(Role.MANAGER)
def import_rejected_csv(request: OrgRequest, job_id: int) -> HttpResponseBase:
    """The rejected rows as CSV: the file's own columns, then row, column and reason."""
    job = _job(request, job_id)
    name = slugify(job.original_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]) or "import"
    response = StreamingHttpResponse(
        import_rejected_rows_csv(job), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-rejected.csv"'
    return response


@org_view(Role.MANAGER)
@require_POST
def import_for_real(request: OrgRequest, job_id: int) -> HttpResponse:
    """After a dry run: import the same file with the same mapping, the new agents and teams
    the manager mapped to existing ones using those."""
    job = _job(request, job_id)
    if not job.dry_run or job.state != ImportJob.State.DONE:
        messages.error(request, _("Only a finished dry run can be imported."))
        return redirect("imports:job", org_slug=request.org.slug, job_id=job.pk)
    choices = _people_choices(request, job)
    if isinstance(choices, str):
        messages.error(request, choices)
        return redirect("imports:job", org_slug=request.org.slug, job_id=job.pk)
    problem, _listed = _save_value_choices(request)
    if problem:
        messages.error(request, problem)
        return redirect("imports:job", org_slug=request.org.slug, job_id=job.pk)
    new_job = import_job_repeat(
        job=job, created_by=request.user, agents=choices[0], teams=choices[1]
    )
    return redirect("imports:job", org_slug=request.org.slug, job_id=new_job.pk)


@org_view(Role.MANAGER)
@require_POST
def import_retry(request: OrgRequest, job_id: int) -> HttpResponse:
    """Queue a failed import again: it resumes after its last committed batch."""
    job = _job(request, job_id)
    return job_retry_response(
        request, job, next_url=reverse("imports:job", args=[request.org.slug, job.pk])
    )


def shape_context(mapping: dict) -> dict[str, object] | None:
    """What the mapping page says about an event log or a message thread: how its rows become
    interactions, the channel they get and (an event log) the activities that resolve a case."""
    shape = mapping.get("_shape")
    if not shape:
        return None
    if shape.get("kind") == "eventlog":
        rule = _(
            "This file has a row per event of a case: each case becomes one interaction. It opens "
            "at the case's first event and is resolved at its last event with a final activity; "
            "a case without one stays open."
        )
    else:
        rule = _(
            "This file has a row per message: each conversation becomes one interaction, opened "
            "by its first message; the first reply of a person is its first response."
        )
    return {
        "kind": shape.get("kind"),
        "rule": rule,
        "columns": sorted((shape.get("columns") or {}).items()),
        "channels": Channel.choices,
        "channel": ((mapping.get("_transforms") or {}).get("fixed") or {}).get("channel", ""),
        "final_activities": ", ".join(shape_final_activities(shape)),
    }


@org_view(Role.MANAGER)
def import_values(request: OrgRequest) -> HttpResponse:
    """The organisation's saved value mappings: change what a value means, forget one, or add
    one (POST); every later import applies them."""
    mappings = value_mappings_of(request.org)
    problem = ""
    if request.method == "POST":
        problem = _values_post(request, mappings)
        if not problem:
            messages.success(request, _("The value mappings are saved."))
            return redirect("imports:values", org_slug=request.org.slug)
    labels = dict(ValueMapping.Field.choices)
    items = [
        {
            "mapping": m,
            "label": labels.get(m.field, m.field),
            "choices": _target_choices(m.field),
            "selected": m.target or FORM_EMPTY,
        }
        for m in mappings
    ]
    return render(
        request,
        "interactions/import_values.html",
        {
            "nav": "import",
            "items": items,
            "error": problem,
            "vocabularies": [(v, labels[v]) for v in VOCABULARIES],
            "all_targets": sorted({t for values in VOCABULARIES.values() for t in values}),
            "form_empty": FORM_EMPTY,
            "reject": REJECT,
            "posted": request.POST if request.method == "POST" else {},
        },
    )


def _values_post(request: OrgRequest, mappings: list[ValueMapping]) -> str:
    """Apply the value-mappings form: each row's new target or deletion, then the new row;
    the message of the first choice that cannot be saved, else ""."""
    labels = dict(ValueMapping.Field.choices)
    for mapping in mappings:
        if request.POST.get(f"delete_{mapping.pk}"):
            value_mapping_delete(mapping=mapping)
            continue
        target = request.POST.get(f"target_{mapping.pk}")
        if target is None:
            continue
        target = "" if target == FORM_EMPTY else target
        if target == mapping.target:
            continue
        try:
            value_mapping_set(
                organisation=request.org,
                field=mapping.field,
                source=mapping.source,
                target=target,
                user=request.user,
            )
        except ValueMappingError as problem:
            return f"{labels.get(mapping.field, mapping.field)} “{mapping.source}”: {problem}"
    source = request.POST.get("new_source", "").strip()
    if source:
        field = request.POST.get("new_field", "")
        target = request.POST.get("new_target", "")
        try:
            value_mapping_set(
                organisation=request.org,
                field=field,
                source=source,
                target="" if target == FORM_EMPTY else target,
                user=request.user,
            )
        except ValueMappingError as problem:
            return f"“{source}”: {problem}"
    return ""
