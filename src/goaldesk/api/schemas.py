"""Request and response shapes of the API (they are also the OpenAPI schema at /api/docs)."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, StrictFloat, StrictInt, StrictStr, WithJsonSchema

#: A value as JSON carries it: text, a number, or null (= the field is empty).
Scalar = StrictStr | StrictInt | StrictFloat | None
#: A value that must be given: text or a number.
Required = StrictStr | StrictInt | StrictFloat

#: How a date is read (core/parsing.py), for the descriptions of date and timestamp fields.
_DATE_RULE = (
    "year-month-day with -, / or . between (month and day with or without a leading zero; "
    "Latin, Persian or Arabic-Indic digits); a year before 1700 is Jalali, or Hijri (Umm "
    "al-Qura) when the caller's calendar is Hijri (a token's organisation's, a member's own): "
    "1405/09/09 is 2026-11-30 in Jalali, 1448/06/22 is 2026-12-02 in Hijri; dates lie in "
    "1900–2100"
)
_TIMESTAMP = (
    "ISO 8601 (2026-11-30T10:00:00+03:30), or a date and then the time after a space "
    "(1405/09/09 10:00); without an offset it is read in the organisation's time zone. The "
    "date: " + _DATE_RULE
)

#: Text that holds a date, YYYY-MM-DD (Persian and Arabic-Indic digits are read too): the
#: schema says "format: date" so that it states what the API checks.
DateText = Annotated[
    StrictStr,
    WithJsonSchema({"type": "string", "format": "date", "description": f"a date: {_DATE_RULE}"}),
]
#: An optional date: a date, or empty or null (= not given).
OptionalDateText = Annotated[
    StrictStr | None,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "maxLength": 0},
                {"type": "null"},
            ],
            "description": f"a date, or empty or null (not given): {_DATE_RULE}",
        }
    ),
]


class BodyIn(BaseModel):
    """A request body: a JSON object with exactly the documented fields.

    A plain pydantic model, not ninja's Schema: Schema also reads attributes of arbitrary
    objects, which let a JSON array through as a body with every field at its default.
    """

    model_config = ConfigDict(extra="forbid")


class InteractionIn(BodyIn):
    """One interaction with the canonical field names of the import (docs/metrics.md).

    Values are validated exactly as an imported row is. Posting an `external_id` that exists
    already updates that interaction (every field is replaced).
    """

    external_id: Required = Field(..., description="the source system's id")
    channel: Required = Field(..., description="phone, email, chat, social, walk_in, web or field")
    created_at: Required = Field(..., description=f"when the customer reached out; {_TIMESTAMP}")
    customer_id: Scalar = None
    agent: Scalar = Field(None, description="agent key (e-mail or code); new agents are created")
    team: Scalar = Field(None, description="team name; new teams are created")
    category: Scalar = None
    first_response_at: Scalar = Field(None, description=_TIMESTAMP)
    resolved_at: Scalar = Field(None, description=_TIMESTAMP)
    status: Scalar = Field(
        None,
        description="resolved, unresolved, abandoned or open (default: resolved if resolved_at else open)",
    )
    outcome: Scalar = Field(None, description="success or failure")
    wait_seconds: Scalar = None
    handle_seconds: Scalar = None
    csat: Scalar = Field(None, description="1–5")
    nps: Scalar = Field(None, description="0–10")
    ces: Scalar = Field(None, description="1–7")
    sentiment_start: Scalar = Field(None, description="negative, neutral or positive")
    sentiment_end: Scalar = Field(None, description="negative, neutral or positive")
    arrived_at: Scalar = Field(None, description=_TIMESTAMP)
    fixed_at: Scalar = Field(None, description=_TIMESTAMP)


class BulkIn(BaseModel):
    # Records are checked one by one, so that one bad record does not sink the others: a record
    # that is not an InteractionIn object is reported in the result's `errors`, not refused
    # with the request. So the schema accepts any item and says what a good one is.
    records: list[Any] = Field(
        ...,
        description="up to 5,000 interactions, each an object shaped as InteractionIn",
        json_schema_extra={
            "items": {
                "description": "an interaction shaped as InteractionIn; a record that is not "
                "is reported in `errors` with its index and not written"
            }
        },
    )


class InteractionOut(Schema):
    """An interaction; timestamps in ISO 8601 with the organisation's UTC offset."""

    external_id: str
    channel: str
    created_at: dt.datetime
    customer_id: str
    agent: str
    team: str
    category: str
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    status: str
    outcome: str
    wait_seconds: float | None
    handle_seconds: float | None
    csat: int | None
    nps: int | None
    ces: int | None
    sentiment_start: str
    sentiment_end: str
    arrived_at: dt.datetime | None
    fixed_at: dt.datetime | None
    updated_at: dt.datetime


class InteractionPage(Schema):
    count: int = Field(..., description="how many interactions match the filters in all")
    next_cursor: str | None = Field(
        None, description="pass as `cursor` to get the next page; null on the last page"
    )
    items: list[InteractionOut]


class FieldError(Schema):
    field: str
    message: str


class ItemError(Schema):
    index: int = Field(..., description="position of the record in `records`, from 0")
    field: str
    message: str


class ErrorList(Schema):
    detail: list[FieldError]


class Message(Schema):
    detail: str


class BulkResult(Schema):
    created: int
    updated: int
    rejected: int
    errors: list[ItemError]


class MetricOut(Schema):
    key: str
    name: str
    unit: str
    better: str | None
    description: str
    aggregates: list[str]


class KpisOut(Schema):
    date_from: dt.date = Field(..., alias="from")
    date_to: dt.date = Field(..., alias="to")
    by: str | None = None
    filters: dict[str, str]
    kpis: dict[str, Any] | None = Field(None, description="metric key → value (when no `by`)")
    rows: list[dict[str, Any]] | None = Field(
        None, description="one entry per group (when `by` is given)"
    )
