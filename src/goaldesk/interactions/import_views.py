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
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role
from goaldesk.core.csv_safe import csv_writer
from goaldesk.core.display import CALENDAR_LABELS, digits, input_date
from goaldesk.core.views import job_progress_response, job_retry_response
from goaldesk.interactions.importing import (
    LOCAL_CALENDARS,
    import_job_create,
    import_job_fail,
    import_job_preview,
    import_job_repeat,
    import_job_start,
    import_jobs_recent,
    import_rejected_rows_csv,
    job_calendar,
    job_columns,
    job_people,
)
from goaldesk.interactions.mapping import (
    PRESETS,
    ImportFileError,
    kind_fields,
    kind_required,
    load_preset,
)
from goaldesk.interactions.models import Channel, ImportJob
from goaldesk.interactions.records import (
    CANONICAL_FIELDS,
    CHANNELS,
    OUTCOMES,
    REQUIRED_FIELDS,
    SENTIMENTS,
    STATUSES,
)
from goaldesk.interactions.reduction import mapping_with_choices, shape_final_activities
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
        {"nav": "import", "form": form, "jobs": jobs, "columns": _canonical_columns()},
    )


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


@org_view(Role.MANAGER)
def import_mapping(request: OrgRequest, job_id: int) -> HttpResponse:
    """Choose the file's column for each canonical field, then dry-run or import."""
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
    fields = kind_fields(job.kind)
    required = kind_required(job.kind)
    chosen = job_columns(job)
    calendar = job_calendar(job)
    problem_text = ""
    #: an event log or message thread (interactions/reduction.py), else None
    shape = (job.mapping or {}).get("_shape")
    if request.method == "POST":
        chosen = {f: request.POST.get(f"map_{f}", "") for f in fields}
        chosen = {f: h for f, h in chosen.items() if h}
        if request.POST.get("calendar") in LOCAL_CALENDARS:
            calendar = request.POST["calendar"]
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
            )
        except ImportFileError as problem:
            problem_text = problem.message
        else:
            return redirect("imports:job", org_slug=request.org.slug, job_id=job.pk)
    fixed = (job.mapping or {}).get("_fixed") or {}
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
            **_people_context(job),
        },
    )


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
        "channel": (mapping.get("_fixed") or {}).get("channel", ""),
        "final_activities": ", ".join(shape_final_activities(shape)),
    }
