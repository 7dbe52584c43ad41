"""The dashboard (KPI cards, charts, the metric table, breakdowns as HTML and CSV) and the
drill-down list of the interactions behind any number."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Organisation, Role
from goaldesk.core.csv_safe import csv_writer
from goaldesk.core.display import duration, ldate, lnum, percent
from goaldesk.customers.selectors import segment_choices
from goaldesk.interactions.exporting import XLSX_MAX_ROWS, csv_chunks, interactions_xlsx
from goaldesk.interactions.models import Channel, Interaction, Status
from goaldesk.interactions.selectors import (
    FILTER_NAMES,
    SEARCH_MAX_CHARS,
    category_label,
    category_names,
    interactions_matching,
)
from goaldesk.metrics.catalogue import CATALOGUE, KEYS, Metric, metric
from goaldesk.metrics.review_views import reviews_link
from goaldesk.metrics.scope import PERIODS, Scope, scope_from_query
from goaldesk.metrics.selectors import (
    GROUPINGS,
    interactions_drilldown,
    kpis_breakdown,
    kpis_for_period,
    kpis_for_periods,
)
from goaldesk.team.models import Agent, Team

#: The metrics shown as cards, in order.
CARD_KEYS = (
    "contacts",
    "customers_helped_per_day",
    "first_response_seconds",
    "resolution_seconds",
    "csat_pct",
    "fcr_rate",
    "service_level",
    "nps",
)
#: Columns of the breakdown tables on the page (the CSV has every metric).
BREAKDOWN_COLUMNS = (
    "contacts",
    "first_response_seconds",
    "resolution_seconds",
    "csat_pct",
    "fcr_rate",
    "success_rate",
    "service_level",
    "aht_seconds",
)
BREAKDOWN_TABS = (
    ("channel", gettext_lazy("By channel")),
    ("agent", gettext_lazy("By agent")),
    ("team", gettext_lazy("By team")),
    ("category", gettext_lazy("By category")),
    ("day", gettext_lazy("By day")),
)


def display(entry: Metric, value: Any) -> str:
    """A metric value for a reader (durations show their median)."""
    if isinstance(value, dict):
        value = value.get("median")
    if value is None:
        return "—"
    if entry.unit == "seconds":
        return duration(value)
    if entry.unit == "count":
        return lnum(value)
    if entry.unit == "percent":
        return percent(value, 1)
    return lnum(value, 2 if entry.unit == "score" and entry.key != "nps" else 1)


def _precise_duration(seconds: float) -> str:
    """A duration to the second under an hour ("1 min 25 s"), else as `duration` writes it."""
    total = round(float(seconds))
    if total >= 3600:
        return duration(seconds)
    minutes, secs = divmod(total, 60)
    if not minutes:
        return duration(seconds)
    return _("%(m)s min %(s)s s") % {"m": lnum(minutes), "s": lnum(secs)}


def display_pair(entry: Metric, current: Any, previous: Any) -> tuple[str, str]:
    """The current and the previous value for a reader; two durations that differ but would
    read the same ("1 min" and "1 min") are written to the second so the change can be seen."""
    now, before = display(entry, current), display(entry, previous)
    now_value, before_value = _headline(current), _headline(previous)
    if (
        entry.unit == "seconds"
        and now == before
        and now_value is not None
        and before_value is not None
        and round(now_value) != round(before_value)
    ):
        return _precise_duration(now_value), _precise_duration(before_value)
    return now, before


def _headline(value: Any) -> float | None:
    if isinstance(value, dict):
        return value.get("median")
    return value


def comparison(entry: Metric, current: Any, previous: Any) -> dict[str, str]:
    """The change against the previous period: text and tone ("good", "bad" or "")."""
    now, before = _headline(current), _headline(previous)
    if now is None or before is None:
        return {"text": "", "tone": ""}
    difference = now - before
    if entry.unit == "percent" or entry.key == "nps":
        # A percentage's or the NPS's change is in points (NPS is a difference of percentages).
        # the sign is part of the number, so that it stays in front in right-to-left text
        text = _("%(sign)s%(value)s pts") % {"sign": "", "value": lnum(difference, 1, plus=True)}
    elif before:
        text = percent(100 * difference / abs(before), 0, plus=True)
    else:
        text = ""
    tone = ""
    if difference and entry.better:
        tone = "good" if (difference > 0) == (entry.better == "higher") else "bad"
    return {"text": text, "tone": tone}


def drilldown_url(
    organisation: Organisation, scope: Scope, key: str | None = None, **narrow: Any
) -> str | None:
    """The interactions list behind a number (None for review metrics)."""
    if key and metric(key).source != "interactions":
        return None
    base = reverse("metrics:interactions", args=[organisation.slug])
    return f"{base}?{scope.query(metric=key, **narrow)}"


def _category_choices(names: dict[str, str], chosen: str | None) -> list[tuple[str, str]]:
    """The category filter's options: (key, name) by name, with the chosen key even when it
    names no category (a link may carry any key)."""
    options = dict(names)
    if chosen and chosen not in options:
        options[chosen] = category_label(names, chosen)
    return sorted(options.items(), key=lambda item: (item[1].casefold(), item[0]))


def _group_narrowing(by: str, group: Any) -> dict[str, Any] | None:
    """The extra filter that selects one breakdown group's interactions (None: not possible)."""
    if group in (None, ""):
        return None
    if by == "day":
        return {"from": group.isoformat(), "to": group.isoformat()}
    return {by: group}


@org_view(Role.VIEWER)
def dashboard(request: OrgRequest) -> HttpResponse:
    organisation = request.org
    # The cards' trend runs day by day, so the period is held to the by-day limit.
    scope = scope_from_query(request.GET, organisation, by_day=True)
    for problem in scope.problems:
        messages.error(request, problem)
    previous_from, previous_to = scope.previous
    # The period, the one before and the cards' daily trend from one pass over their days.
    figures = kpis_for_periods(
        organisation=organisation,
        periods=[(scope.date_from, scope.date_to), (previous_from, previous_to)],
        filters=scope.filters,
        trend_keys=CARD_KEYS,
    )
    current, previous = figures.periods
    trend = figures.trend or {}

    rows = []
    for entry in CATALOGUE:
        value = current[entry.key]
        shown = display_pair(entry, value, previous[entry.key])
        rows.append(
            {
                "metric": entry,
                "value": value,
                "display": shown[0],
                "previous": shown[1],
                "change": comparison(entry, value, previous[entry.key]),
                "aggregates": (
                    [(name, duration(value[name])) for name in entry.aggregates]
                    if isinstance(value, dict)
                    else []
                ),
                "href": drilldown_url(organisation, scope, entry.key),
            }
        )
    by_key = {row["metric"].key: row for row in rows}
    cards = [by_key[key] for key in CARD_KEYS]

    minutes = [
        [None if v is None else round(v / 60, 2) for v in trend["series"][key]]
        for key in ("first_response_seconds", "resolution_seconds")
    ]
    channel_names = dict(Channel.choices)
    chart_data = {
        "rtl": bool(get_language_bidi()),
        "days": [ldate(day) for day in trend["days"]],
        "channels": [
            {"label": str(channel_names[c]), "data": data}
            for c, data in trend["contacts_by_channel"].items()
        ],
        "firstResponse": minutes[0],
        "resolution": minutes[1],
        "csat": trend["series"]["csat_pct"],
        "sparks": {key: trend["series"][key] for key in CARD_KEYS},
        "text": {
            "firstResponse": _("First response, median (minutes)"),
            "resolution": _("Resolution, median (minutes)"),
            "csat": _("CSAT (%)"),
        },
    }
    context = {
        "nav": "dashboard",
        "scope": scope,
        "periods": PERIODS,
        "previous_from": previous_from,
        "previous_to": previous_to,
        "cards": cards,
        "rows": rows,
        "chart_data": chart_data,
        "tabs": BREAKDOWN_TABS,
        "channels": Channel.choices,
        "teams": Team.objects.filter(organisation=organisation).order_by("name"),
        "agents": Agent.objects.filter(organisation=organisation).order_by("name", "key"),
        "categories": _category_choices(
            category_names(organisation=organisation), scope.filters.get("category")
        ),
        "segments": segment_choices(organisation=organisation),
        "interactions_url": drilldown_url(organisation, scope),
        "reviews_link": reviews_link(organisation, scope, current["review_count"]),
    }
    return render(request, "metrics/dashboard.html", context)


def _csv_cells(value: Any, entry: Metric) -> list[Any]:
    if entry.is_duration:
        if value is None:
            return [""] * (len(entry.aggregates) + 1)
        return [_csv_number(value[name]) for name in entry.aggregates] + [value["count"]]
    return [_csv_number(value)]


def _csv_number(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.1f}"
    return value


@org_view(Role.VIEWER)
def breakdown(request: OrgRequest, by: str) -> HttpResponse:
    """One breakdown as an HTML fragment (for the dashboard's tabs) or, with ?format=csv, a file."""
    if by not in GROUPINGS:
        raise Http404
    organisation = request.org
    scope = scope_from_query(request.GET, organisation, by_day=by == "day")
    as_csv = request.GET.get("format") == "csv"
    if as_csv and scope.problems:
        # A file of another period than the one asked for would mislead; say why instead.
        return HttpResponseBadRequest(
            "\n".join(scope.problems) + "\n", content_type="text/plain; charset=utf-8"
        )
    groups = kpis_breakdown(
        organisation=organisation,
        date_from=scope.date_from,
        date_to=scope.date_to,
        by=by,
        filters=scope.filters,
        keys=None if as_csv else BREAKDOWN_COLUMNS,  # the page shows these; the file has all
    )
    if as_csv:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{organisation.slug}-{by}-{scope.date_from}-{scope.date_to}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv_writer(response)
        header = ["group", "label"]
        for entry in CATALOGUE:
            if entry.is_duration:
                header += [f"{entry.key}_{name}" for name in entry.aggregates]
                header.append(f"{entry.key}_count")
            else:
                header.append(entry.key)
        writer.writerow(header)
        for group in groups:
            group_value = group["group"]
            # The group as data (a key, an ISO date) and as its reader says it: a day in their
            # calendar and digits.
            cells: list[Any] = (
                [group_value.isoformat(), ldate(group_value)]
                if isinstance(group_value, dt.date)
                else [group_value, group["label"]]
            )
            for entry in CATALOGUE:
                cells += _csv_cells(group[entry.key], entry)
            writer.writerow(cells)
        return response

    columns = [metric(key) for key in BREAKDOWN_COLUMNS]
    # (drilldown_url's link, made here with one reverse() for the hundreds of cells)
    base = reverse("metrics:interactions", args=[organisation.slug])
    linked = {entry.key: entry.source == "interactions" for entry in columns}
    table = []
    for group in groups:
        narrow = _group_narrowing(by, group["group"])
        # The group's own query once; each cell adds its metric (a plain key) at the end, as
        # `scope.query(metric=…)` would.
        narrowed = _narrowed(scope, narrow).query() if narrow is not None else None
        label = ldate(group["group"]) if by == "day" else group["label"]
        cells = []
        for entry in columns:
            href = None
            if narrowed is not None and linked[entry.key]:
                href = f"{base}?{narrowed}&metric={entry.key}"
            cells.append({"display": display(entry, group[entry.key]), "href": href})
        table.append({"label": label, "cells": cells})
    context = {
        "by": by,
        "problems": scope.problems,
        "columns": columns,
        "table": table,
        "csv_url": reverse("metrics:breakdown", args=[organisation.slug, by])
        + f"?{scope.query(format='csv')}",
    }
    return render(request, "metrics/_breakdown.html", context)


def _narrowed(scope: Scope, narrow: dict[str, Any]) -> Scope:
    """The scope of one breakdown group: the same filters plus the group's own."""
    date_from = dt.date.fromisoformat(narrow["from"]) if "from" in narrow else scope.date_from
    date_to = dt.date.fromisoformat(narrow["to"]) if "to" in narrow else scope.date_to
    filters = dict(scope.filters)
    filters.update({k: str(v) for k, v in narrow.items() if k in FILTER_NAMES})
    return Scope("custom", date_from, date_to, filters)


@dataclass
class _ListQuery:
    """The list's reading of a request; unusable values are in `problems` and left out."""

    scope: Scope
    status: str
    metric_key: str
    search: str
    interactions: QuerySet[Interaction]
    problems: list[str]


def _interaction_query(request: OrgRequest) -> _ListQuery:
    """The period, filters, status, metric and search text of the list (or its download), and
    the interactions they select, newest first."""
    organisation = request.org
    scope = scope_from_query(request.GET, organisation)
    problems = list(scope.problems)
    metric_key = request.GET.get("metric", "")
    if metric_key and metric_key not in KEYS:
        problems.append(
            _("Unknown metric “%(key)s”; showing every interaction.") % {"key": metric_key}
        )
        metric_key = ""
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    search = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_CHARS]
    interactions = interactions_drilldown(
        organisation=organisation,
        date_from=scope.date_from,
        date_to=scope.date_to,
        filters=scope.filters,
        status=status,
        metric_key=metric_key,
    )
    if search:
        categories = category_names(organisation=organisation)
        interactions = interactions_matching(interactions, text=search, categories=categories)
    return _ListQuery(scope, status, metric_key, search, interactions, problems)


@org_view(Role.VIEWER)
def interaction_list(request: OrgRequest) -> HttpResponse:
    """The organisation's interactions for a period, filters and search text (customer,
    external id, category or a note), optionally those behind one metric (?metric=csat_pct),
    50 to a page. Dashboard numbers link here; the list downloads as CSV or XLSX."""
    organisation = request.org
    found = _interaction_query(request)
    for problem in found.problems:
        messages.error(request, problem)
    scope, status, metric_key, search = found.scope, found.status, found.metric_key, found.search
    paginator = Paginator(found.interactions, 50)
    if not (search or status or metric_key or found.problems):
        # All the period's interactions in the scope: as many as its contacts, which the day
        # summaries know without counting the rows.
        paginator.count = kpis_for_period(
            organisation=organisation,
            date_from=scope.date_from,
            date_to=scope.date_to,
            filters=scope.filters,
            keys=("contacts",),
        )["contacts"]
    page = paginator.get_page(request.GET.get("page"))
    categories = category_names(organisation=organisation)
    page.object_list = list(page.object_list)
    for interaction in page.object_list:
        # What the list shows in the category column (the name for the reader, never the key).
        name = category_label(categories, interaction.category)
        interaction.category_name = name  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    export_query = scope.query(status=status, metric=metric_key, q=search)
    context = {
        "nav": "interactions",
        "scope": scope,
        "page": page,
        "periods": PERIODS,
        "status": status,
        "statuses": Status.choices,
        "channels": Channel.choices,
        "teams": Team.objects.filter(organisation=organisation).order_by("name"),
        "agents": Agent.objects.filter(organisation=organisation).order_by("name", "key"),
        "categories": _category_choices(categories, scope.filters.get("category")),
        "segments": segment_choices(organisation=organisation),
        "metrics": [m for m in CATALOGUE if m.source == "interactions"],
        "metric_key": metric_key,
        "search": search,
        "page_query": query.urlencode(),
        "csv_url": reverse("metrics:interactions_csv", args=[organisation.slug])
        + f"?{export_query}",
        "xlsx_url": reverse("metrics:interactions_xlsx", args=[organisation.slug])
        + f"?{export_query}",
    }
    return render(request, "metrics/interactions.html", context)


def _export_refused(problems: list[str]) -> HttpResponse:
    """A file of other interactions than those asked for would mislead: say why instead."""
    return HttpResponseBadRequest(
        "\n".join(problems) + "\n", content_type="text/plain; charset=utf-8"
    )


def _export_name(organisation: Organisation, scope: Scope, extension: str) -> str:
    return f"{organisation.slug}-interactions-{scope.date_from}-{scope.date_to}.{extension}"


@org_view(Role.VIEWER)
def interaction_list_csv(request: OrgRequest) -> HttpResponseBase:
    """The list's interactions (same period, filters and search, every page) as a CSV file
    with the canonical columns, streamed: any length holds a worker only while it is sent."""
    found = _interaction_query(request)
    if found.problems:
        return _export_refused(found.problems)
    response = StreamingHttpResponse(
        csv_chunks(found.interactions, tz=request.org.tzinfo),
        content_type="text/csv; charset=utf-8",
    )
    name = _export_name(request.org, found.scope, "csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@org_view(Role.VIEWER)
def interaction_list_xlsx(request: OrgRequest) -> HttpResponseBase:
    """The list's interactions as an XLSX workbook with the canonical columns; more than
    XLSX_MAX_ROWS are refused with a message (the CSV has no limit)."""
    found = _interaction_query(request)
    if found.problems:
        return _export_refused(found.problems)
    interactions = found.interactions
    count = interactions.count()
    if count > XLSX_MAX_ROWS:
        messages.error(
            request,
            _(
                "%(count)s interactions are too many for one XLSX file (at most %(limit)s): "
                "choose a shorter period or more filters, or download the CSV."
            )
            % {"count": lnum(count), "limit": lnum(XLSX_MAX_ROWS)},
        )
        return redirect(
            reverse("metrics:interactions", args=[request.org.slug]) + f"?{request.GET.urlencode()}"
        )
    response = HttpResponse(
        interactions_xlsx(interactions, tz=request.org.tzinfo),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = _export_name(request.org, found.scope, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
