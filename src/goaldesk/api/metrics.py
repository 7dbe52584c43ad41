"""/api/v1/orgs/{slug}/metrics: the catalogue and the KPIs of a period."""

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Query, Router

from goaldesk.api.auth import organisation_for
from goaldesk.api.errors import FieldChecks, FieldInvalid
from goaldesk.api.params import parse_date
from goaldesk.api.schemas import DateText, ErrorList, KpisOut, Message, MetricOut
from goaldesk.interactions.selectors import FILTER_NAMES, FilterError, resolve_filters
from goaldesk.metrics.catalogue import CATALOGUE
from goaldesk.metrics.scope import span_problem
from goaldesk.metrics.selectors import GROUPINGS, kpis_breakdown, kpis_for_period

router = Router(tags=["metrics"])

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}


def _requested_language(request: HttpRequest) -> str:
    """The first language of Accept-Language GoalDesk speaks, else the active one."""
    for code, _quality in parse_accept_lang_header(request.headers.get("accept-language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return translation.get_language() or "en"


@router.get(
    "/v1/orgs/{slug}/metrics",
    response={200: list[MetricOut], **_ERRORS},
    summary="The metric catalogue",
)
def metric_catalogue(request: HttpRequest, slug: str):
    """Every metric with its key, name and description in the language of Accept-Language.

    `unit` is count, per_day, seconds, percent or score; `better` is higher, lower or null;
    duration metrics list their `aggregates` (mean, median, p90).
    """
    organisation_for(request, slug)
    with translation.override(_requested_language(request)):
        return [
            {
                "key": m.key,
                "name": str(m.name),
                "unit": m.unit,
                "better": m.better,
                "description": str(m.description),
                "aggregates": list(m.aggregates),
            }
            for m in CATALOGUE
        ]


@router.get(
    "/v1/orgs/{slug}/metrics/kpis",
    response={200: KpisOut, **_ERRORS},
    by_alias=True,
    summary="KPIs of a period",
)
def kpis(
    request: HttpRequest,
    slug: str,
    date_from: DateText = Query(..., alias="from"),  # noqa: B008 - ninja reads the alias from it
    date_to: DateText = Query(..., alias="to"),  # noqa: B008 - ninja reads the alias from it
    by: str = "",
    channel: str = "",
    team: str = "",
    agent: str = "",
    category: str = "",
    segment: str = "",
):
    """Every metric of docs/metrics.md for the days `from`..`to` (both included, 1900–2100).

    A period may span at most 400 days with `by=day` and 1,827 days (five years) otherwise, by
    default (settings GOALDESK_MAX_DAYS_BY_DAY, GOALDESK_MAX_DAYS_TOTAL); a longer one is a 422.

    Without `by`: `kpis` maps each metric key to its value. With `by` (channel, agent, team,
    category or day): `rows` holds one entry per group with `group`, `label` and every key.
    Rates are percentages, times seconds; duration metrics are {mean, median, p90, count};
    a metric without data is null. Filter by `channel`, `team` (name), `agent` (key),
    `category` and `segment` (a customer segment's name or id: the interactions of its
    customers).
    """
    organisation = organisation_for(request, slug)
    checks = FieldChecks()
    start = checks.take(parse_date, date_from, "from", required=True)
    end = checks.take(parse_date, date_to, "to", required=True)
    if start is not None and end is not None and end < start:
        checks.add(FieldInvalid("to", _("The end date is before the start date.")))
    by = by.strip()
    if by and by not in GROUPINGS:
        checks.add(
            FieldInvalid(
                "by",
                _("“%(value)s” is not a grouping; use one of: %(choices)s.")
                % {"value": by, "choices": ", ".join(GROUPINGS)},
            )
        )
    too_long = start and end and end >= start and span_problem(start, end, by_day=by == "day")
    if too_long:
        checks.add(FieldInvalid("to", too_long))
    given = {
        "channel": channel,
        "team": team,
        "agent": agent,
        "category": category,
        "segment": segment,
    }
    filters = {name: given[name].strip() for name in FILTER_NAMES if given[name].strip()}
    for name, value in filters.items():
        try:
            resolve_filters(organisation=organisation, filters={name: value})
        except FilterError as error:
            checks.add(FieldInvalid(name, str(error)))
    checks.done()
    assert start is not None and end is not None  # noqa: S101 - checks.done() raised
    out: dict[str, Any] = {"from": start, "to": end, "by": by or None, "filters": filters}
    if by:
        out["rows"] = kpis_breakdown(
            organisation=organisation, date_from=start, date_to=end, by=by, filters=filters or None
        )
    else:
        out["kpis"] = kpis_for_period(
            organisation=organisation, date_from=start, date_to=end, filters=filters or None
        )
    return out
