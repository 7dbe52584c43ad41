"""/api/v1/orgs/{slug}/interactions: write one or many, list with filters, read one."""

import zoneinfo
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import register_converter
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from goaldesk.api.auth import organisation_for
from goaldesk.api.errors import FieldChecks, FieldInvalid, unknown_field_message
from goaldesk.api.params import (
    decode_cursor,
    encode_cursor,
    parse_count,
    parse_date,
    parse_timestamp,
)
from goaldesk.api.schemas import (
    BulkIn,
    BulkResult,
    ErrorList,
    InteractionIn,
    InteractionOut,
    InteractionPage,
    Message,
    OptionalDateText,
)
from goaldesk.api.selectors import (
    InteractionFilters,
    interaction_as_dict,
    interaction_by_external_id,
    interactions_page,
)
from goaldesk.interactions.models import Channel
from goaldesk.interactions.models import Status as InteractionStatus
from goaldesk.interactions.records import (
    CANONICAL_FIELDS,
    InteractionData,
    RecordError,
    parse_interaction,
)
from goaldesk.interactions.services import interactions_upsert

router = Router(tags=["interactions"])


class AnyTextConverter:
    """Like Django's `path` converter, but also matches line breaks.

    An `external_id` may hold any character; with `path` an id with a line break matched
    no route and got Django's HTML 404 instead of the API's JSON one.
    """

    regex = "(?s:.+)"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnyTextConverter, "anytext")

#: The most records one bulk request may carry.
BULK_LIMIT = 5000
PAGE_DEFAULT, PAGE_MAX = 100, 1000

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}


def record_problems(
    item: object, *, tz: zoneinfo.ZoneInfo
) -> tuple[InteractionData | None, list[FieldInvalid]]:
    """Validate one JSON record as an imported row is validated.

    Returns the record, or None and every bad field found: a record is read again without
    each bad field until it passes, so one answer names them all (a required field that is
    bad ends the search, as the record cannot be read without it).
    """
    if not isinstance(item, Mapping):
        return None, [FieldInvalid("", _("Each record must be a JSON object of canonical fields."))]
    problems: list[FieldInvalid] = []
    raw: dict[str, object] = {}
    for key, value in item.items():
        if key not in CANONICAL_FIELDS:
            problems.append(FieldInvalid(str(key), unknown_field_message(str(key))))
        elif value is None:
            continue  # null = empty, as an empty cell in a file
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            problems.append(FieldInvalid(key, _("Expected text, a number or null.")))
        else:
            raw[key] = value
    while True:
        try:
            data = parse_interaction(raw, tz=tz)
        except RecordError as error:
            if any(p.field == error.column for p in problems):
                break  # a required field already reported as bad
            problems.append(FieldInvalid(error.column, error.reason))
            if error.column not in raw:
                break
            del raw[error.column]
            continue
        return (None, problems) if problems else (data, [])
    return None, problems


def record_from_json(item: object, *, tz: zoneinfo.ZoneInfo) -> InteractionData:
    """Validate one JSON record; raise FieldInvalid (one bad field) or FieldsInvalid (several)."""
    data, problems = record_problems(item, tz=tz)
    if data is None:
        checks = FieldChecks()
        for problem in problems:
            checks.add(problem)
        checks.done()
    assert data is not None  # noqa: S101 - done() raised otherwise
    return data


@router.post(
    "/v1/orgs/{slug}/interactions",
    response={200: InteractionOut, 201: InteractionOut, **_ERRORS},
    summary="Create or update one interaction",
)
def interaction_post(request: HttpRequest, slug: str, payload: InteractionIn):
    """Create an interaction (201), or update the one with the same `external_id` (200)."""
    organisation = organisation_for(request, slug, write=True)
    data = record_from_json(payload.model_dump(exclude_unset=True), tz=organisation.tzinfo)
    result = interactions_upsert(organisation=organisation, records=[data])
    interaction = interaction_by_external_id(
        organisation=organisation, external_id=data.external_id
    )
    assert interaction is not None  # noqa: S101 - just written in this request
    return Status(
        201 if result.created else 200, interaction_as_dict(interaction, tz=organisation.tzinfo)
    )


@router.post(
    "/v1/orgs/{slug}/interactions/bulk",
    response={200: BulkResult, **_ERRORS},
    summary="Create or update many interactions",
)
def interactions_bulk(request: HttpRequest, slug: str, payload: BulkIn):
    """Write up to 5,000 records at once.

    Valid records are written (new `external_id`s created, known ones updated); each invalid
    one is reported with its index in `records`, the field and the reason, and is not written.
    As in an import, when one `external_id` appears twice the later record wins (and counts
    as an update).
    """
    organisation = organisation_for(request, slug, write=True)
    if len(payload.records) > BULK_LIMIT:
        raise FieldInvalid(
            "records",
            _("%(count)s records were sent; one request takes at most %(limit)s. Split them up.")
            % {"count": len(payload.records), "limit": BULK_LIMIT},
        )
    valid: list[InteractionData] = []
    errors: list[dict[str, Any]] = []
    for index, item in enumerate(payload.records):
        data, problems = record_problems(item, tz=organisation.tzinfo)
        if data is None:
            errors.extend(
                {"index": index, "field": p.field, "message": p.message} for p in problems
            )
            continue
        valid.append(data)
    created = updated = 0
    if valid:
        result = interactions_upsert(organisation=organisation, records=valid)
        created, updated = result.created, result.updated
    rejected = len(payload.records) - len(valid)
    return {"created": created, "updated": updated, "rejected": rejected, "errors": errors}


@router.get(
    "/v1/orgs/{slug}/interactions",
    response={200: InteractionPage, **_ERRORS},
    summary="List interactions",
)
def interactions_list(
    request: HttpRequest,
    slug: str,
    date_from: OptionalDateText = Query(None, alias="from"),  # noqa: B008 - ninja reads the alias from it
    date_to: OptionalDateText = Query(None, alias="to"),  # noqa: B008 - ninja reads the alias from it
    channel: str = "",
    agent: str = "",
    team: str = "",
    category: str = "",
    status: str = "",
    updated_since: str | None = None,
    limit: str | None = None,
    offset: str | None = None,
    cursor: str | None = None,
):
    """Interactions oldest first (by `created_at`), filtered, one page at a time.

    `from`/`to` (YYYY-MM-DD, both included) select by the organisation's local day
    of `created_at`; `agent` is the agent key, `team` the team name; `updated_since` (ISO 8601)
    gives what changed since a previous sync. Page with `limit` (1–1000, default 100) and either
    `offset` or `cursor` (the `next_cursor` of the previous page; stable while data is added).
    """
    organisation = organisation_for(request, slug)
    tz = organisation.tzinfo
    checks = FieldChecks()
    filters = InteractionFilters(
        date_from=checks.take(parse_date, date_from, "from"),
        date_to=checks.take(parse_date, date_to, "to"),
        channel=channel.strip(),
        agent=agent.strip(),
        team=team.strip(),
        category=category.strip(),
        status=status.strip(),
        updated_since=checks.take(parse_timestamp, updated_since, "updated_since", tz=tz),
    )
    for name, value, allowed in (
        ("channel", filters.channel, Channel.values),
        ("status", filters.status, InteractionStatus.values),
    ):
        if value and value not in allowed:
            checks.add(
                FieldInvalid(
                    name,
                    _("“%(value)s” is not allowed here; use one of: %(choices)s.")
                    % {"value": value, "choices": ", ".join(allowed)},
                )
            )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        checks.add(FieldInvalid("to", _("The end date is before the start date.")))
    page_size = checks.take(
        parse_count, limit, "limit", default=PAGE_DEFAULT, minimum=1, maximum=PAGE_MAX
    )
    skip = checks.take(parse_count, offset, "offset", default=0, minimum=0, maximum=10**9)
    after = None
    if cursor:
        if skip:
            checks.add(FieldInvalid("offset", _("Use either offset or cursor, not both.")))
        else:
            after = checks.take(decode_cursor, cursor)
    checks.done()
    assert page_size is not None and skip is not None  # noqa: S101 - checks.done() raised
    count, rows, more = interactions_page(
        organisation=organisation, filters=filters, limit=page_size, offset=skip, after=after
    )
    return {
        "count": count,
        "next_cursor": encode_cursor(rows[-1].created_at, rows[-1].pk) if more else None,
        "items": [interaction_as_dict(row, tz=tz) for row in rows],
    }


def _one(request: HttpRequest, slug: str, external_id: str):
    organisation = organisation_for(request, slug)
    interaction = interaction_by_external_id(organisation=organisation, external_id=external_id)
    if interaction is None:
        return Status(
            404,
            {
                "detail": _("There is no interaction with the external_id “%(id)s”.")
                % {"id": external_id}
            },
        )
    return interaction_as_dict(interaction, tz=organisation.tzinfo)


@router.get(
    "/v1/orgs/{slug}/interactions/bulk",
    response={200: InteractionOut, **_ERRORS},
    summary="Read the interaction whose external_id is “bulk”",
)
def interaction_named_bulk(request: HttpRequest, slug: str):
    """The interaction whose `external_id` is “bulk”: the bulk route's path shadows it in
    “Read one interaction”, so it has this route of its own."""
    return _one(request, slug, "bulk")


@router.get(
    "/v1/orgs/{slug}/interactions/{anytext:external_id}",
    response={200: InteractionOut, **_ERRORS},
    summary="Read one interaction",
)
def interaction_detail(request: HttpRequest, slug: str, external_id: str):
    """The interaction with this `external_id` (URL-encode it when it holds special characters)."""
    return _one(request, slug, external_id)
