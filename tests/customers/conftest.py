"""A small desk with customers: ann and bob (gold), cy (silver), and a contact without a key."""

import datetime as dt

import pytest

from goaldesk.customers.services import CustomerData, customers_upsert
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interactions_upsert

NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=dt.UTC)


def write(org, *rows):
    interactions_upsert(
        organisation=org,
        records=[
            InteractionData(
                external_id=f"X{n}",
                channel=row.get("channel", "email"),
                created_at=row["at"],
                customer_id=row.get("customer", ""),
                category=row.get("category", "billing"),
                status="resolved",
                resolved_at=row["at"] + dt.timedelta(hours=1),
                agent=row.get("agent", "ana"),
                csat=row.get("csat"),
            )
            for n, row in enumerate(rows)
        ],
    )


@pytest.fixture
def desk(org):
    # ann (gold): 3 contacts, last CSAT 2; bob (gold): 1 contact CSAT 5; cy (silver): 2
    # contacts 2 days apart in one category (came back), CSAT 4 then none; one without a key.
    write(
        org,
        {"at": at(2), "customer": "ann", "csat": 4},
        {"at": at(10), "customer": "ann", "csat": 5, "category": "repair"},
        {"at": at(20), "customer": "ann", "csat": 2},
        {"at": at(5), "customer": "bob", "csat": 5, "channel": "phone", "agent": "ben"},
        {"at": at(12), "customer": "cy", "csat": 4},
        {"at": at(14), "customer": "cy"},
        {"at": at(15), "csat": 1},
    )
    customers_upsert(
        organisation=org,
        records=[
            CustomerData(key="ann", name="Ann", attributes={"tier": "gold", "city": "Shiraz"}),
            CustomerData(key="bob", attributes={"tier": "Gold"}),
            CustomerData(key="cy", attributes={"tier": "silver"}, language="fa"),
        ],
    )
    return org
