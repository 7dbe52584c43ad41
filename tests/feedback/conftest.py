import datetime as dt

import pytest

from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interaction_create

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def interaction(
    org,
    external_id,
    *,
    day="2026-03-02",
    channel="email",
    status="resolved",
    customer="",
    agent="",
    csat=None,
):
    """An interaction written through interactions.services (derived columns right)."""
    created = dt.datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=dt.UTC)
    return interaction_create(
        organisation=org,
        data=InteractionData(
            external_id=external_id,
            channel=channel,
            created_at=created,
            customer_id=customer,
            agent=agent,
            status=status,
            resolved_at=created + dt.timedelta(hours=1) if status == "resolved" else None,
            csat=csat,
        ),
    )


@pytest.fixture
def desk(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Desk", slug="desk", timezone="UTC")
