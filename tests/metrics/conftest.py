"""Interactions with their derived columns, built the way METRICS.md defines them.

The organisation in these tests has no business hours (always open), so business seconds
equal calendar seconds unless a test sets them.
"""

import datetime as dt
import zoneinfo

import pytest

from goaldesk.interactions.models import Interaction
from tests.factories import InteractionFactory, OrganisationFactory

LIVE = {"phone", "chat", "walk_in"}


def at(day: str, hhmm: str = "09:00", tz: str = "UTC") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=zoneinfo.ZoneInfo(tz))


def make_interaction(organisation, **fields):
    """An interaction row with local_date, is_live and the derived durations filled in."""
    created = fields["created_at"]
    tz = zoneinfo.ZoneInfo(organisation.timezone)
    fields.setdefault("local_date", created.astimezone(tz).date())
    channel = fields.setdefault("channel", "email")
    fields.setdefault("is_live", channel in LIVE)
    if "status" not in fields:
        fields["status"] = "resolved" if fields.get("resolved_at") else "open"

    def span(name):
        moment = fields.get(name)
        return (moment - created).total_seconds() if moment else None

    first = span("first_response_at")
    if first is None:
        first = fields.get("wait_seconds")
    fields.setdefault("first_response_seconds", first)
    fields.setdefault("first_response_business_seconds", first)
    resolution = span("resolved_at") if fields["status"] == "resolved" else None
    fields.setdefault("resolution_seconds", resolution)
    fields.setdefault("resolution_business_seconds", resolution)
    fields.setdefault("time_to_arrive_seconds", span("arrived_at"))
    fields.setdefault("time_to_fix_seconds", span("fixed_at"))
    row = InteractionFactory(organisation=organisation, **fields)
    if row.customer_id:
        _set_next_contacts(organisation, row.customer_id, row.category)
    return row


def _set_next_contacts(organisation, customer_id, category):
    """next_contact_at of every row of this customer and category, worked out here in Python:
    the earliest created_at of the same customer and category that is strictly later."""
    same = list(
        Interaction.objects.filter(
            organisation=organisation, customer_id=customer_id, category=category
        )
    )
    for row in same:
        later = [other.created_at for other in same if other.created_at > row.created_at]
        row.next_contact_at = min(later, default=None)
        row.save(update_fields=["next_contact_at"])


@pytest.fixture
def desk(db):
    return OrganisationFactory(name="Desk", slug="desk", timezone="UTC")
