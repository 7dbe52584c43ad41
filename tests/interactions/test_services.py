"""interactions_upsert and friends: rows, derived columns, agents and teams, reviews."""

import datetime as dt

import pytest

from goaldesk.accounts.models import BusinessHours
from goaldesk.interactions.models import Interaction, Review
from goaldesk.interactions.records import InteractionData, ReviewData
from goaldesk.interactions.services import (
    interaction_create,
    interactions_recompute_derived,
    interactions_upsert,
    reviews_upsert,
)
from goaldesk.team.models import Agent, Team

UTC = dt.UTC
TEHRAN_OFFSET = dt.timedelta(hours=3, minutes=30)


def tehran(*args: int) -> dt.datetime:
    """A Tehran wall time as an aware UTC datetime (Tehran is UTC+03:30 all year)."""
    return dt.datetime(*args, tzinfo=UTC) - TEHRAN_OFFSET


def record(external_id: str = "T-1", **values) -> InteractionData:
    values.setdefault("channel", "email")
    values.setdefault("created_at", tehran(2026, 3, 2, 9, 0))
    return InteractionData(external_id=external_id, **values)


@pytest.fixture
def monday_hours(org):
    """Open on Mondays 09:00–17:00 only (2026-03-02 is a Monday)."""
    BusinessHours.objects.create(organisation=org, weekday=1, opens=dt.time(9), closes=dt.time(17))
    return org


def test_insert_then_update_by_external_id(org):
    result = interactions_upsert(organisation=org, records=[record("A"), record("B")])
    assert (result.created, result.updated) == (2, 0)
    result = interactions_upsert(
        organisation=org, records=[record("B", channel="chat"), record("C")]
    )
    assert (result.created, result.updated) == (1, 1)
    assert Interaction.objects.filter(organisation=org).count() == 3
    assert Interaction.objects.get(organisation=org, external_id="B").channel == "chat"


def test_same_external_id_twice_last_wins(org):
    result = interactions_upsert(
        organisation=org, records=[record("A", csat=1), record("A", csat=5)]
    )
    assert (result.created, result.updated) == (1, 1)
    assert Interaction.objects.get(organisation=org, external_id="A").csat == 5


def test_values_round_trip_through_the_orm(org):
    created = dt.datetime(2026, 3, 2, 5, 30, 1, 250000, tzinfo=UTC)
    interactions_upsert(
        organisation=org,
        records=[
            record(
                "A", channel="phone", created_at=created, customer_id="C-1", category="billing",
                status="resolved", resolved_at=created + dt.timedelta(minutes=10),
                outcome="success", wait_seconds=12.5, handle_seconds=300.0, csat=4, nps=9, ces=2,
                sentiment_start="negative", sentiment_end="positive",
            )
        ],
    )  # fmt: skip
    row = Interaction.objects.get(organisation=org, external_id="A")
    assert row.created_at == created
    assert row.resolved_at == created + dt.timedelta(minutes=10)
    assert (row.customer_id, row.category, row.status, row.outcome) == (
        "C-1", "billing", "resolved", "success",
    )  # fmt: skip
    assert (row.wait_seconds, row.handle_seconds, row.csat, row.nps, row.ces) == (
        12.5, 300.0, 4, 9, 2,
    )  # fmt: skip
    assert (row.sentiment_start, row.sentiment_end) == ("negative", "positive")
    assert row.updated_at is not None
    # Date-range queries on the stored values work (SQLite compares the stored text).
    assert Interaction.objects.filter(created_at__gte=created).count() == 1
    assert Interaction.objects.filter(created_at__gt=created).count() == 0


def test_agents_and_teams_are_created_once(org):
    interactions_upsert(
        organisation=org,
        records=[
            record("A", agent="sara@example.com", team="Desk"),
            record("B", agent="sara@example.com", team="Desk"),
            record("C", agent="omid", team=""),
        ],
    )
    interactions_upsert(organisation=org, records=[record("D", agent="omid", team="Phones")])
    assert sorted(Agent.objects.filter(organisation=org).values_list("key", flat=True)) == [
        "omid",
        "sara@example.com",
    ]
    assert sorted(Team.objects.filter(organisation=org).values_list("name", flat=True)) == [
        "Desk",
        "Phones",
    ]
    sara = Agent.objects.get(organisation=org, key="sara@example.com")
    assert sara.team.name == "Desk"
    d = Interaction.objects.get(organisation=org, external_id="D")
    assert d.agent.key == "omid" and d.team.name == "Phones"


def test_agents_are_per_organisation(org, other_org):
    interactions_upsert(organisation=org, records=[record("A", agent="sara")])
    interactions_upsert(organisation=other_org, records=[record("A", agent="sara")])
    assert Agent.objects.filter(key="sara").count() == 2
    assert Interaction.objects.filter(external_id="A").count() == 2


def test_local_date_in_organisation_time_zone(org):
    # 22:00 UTC on 1 March is 01:30 on 2 March in Tehran.
    interactions_upsert(
        organisation=org, records=[record("A", created_at=dt.datetime(2026, 3, 1, 22, tzinfo=UTC))]
    )
    assert Interaction.objects.get(external_id="A").local_date == dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("channel", "live"),
    [("phone", True), ("chat", True), ("walk_in", True), ("email", False), ("web", False),
     ("social", False), ("field", False)],
)  # fmt: skip
def test_is_live(org, channel, live):
    interactions_upsert(organisation=org, records=[record("A", channel=channel)])
    assert Interaction.objects.get(external_id="A").is_live is live


def test_first_response_and_resolution_without_business_hours(org):
    created = tehran(2026, 3, 2, 9, 0)
    interactions_upsert(
        organisation=org,
        records=[
            record(
                "A", created_at=created, first_response_at=created + dt.timedelta(minutes=30),
                wait_seconds=5, status="resolved", resolved_at=created + dt.timedelta(hours=2),
            ),
            record("B", created_at=created, channel="phone", wait_seconds=45),
            record("C", created_at=created),
            record("D", created_at=created, status="unresolved",
                   resolved_at=created + dt.timedelta(hours=1)),
        ],
    )  # fmt: skip
    a, b, c, d = (Interaction.objects.get(external_id=x) for x in "ABCD")
    # The first response time wins over wait_seconds when both are there.
    assert (a.first_response_seconds, a.first_response_business_seconds) == (1800.0, 1800.0)
    assert (a.resolution_seconds, a.resolution_business_seconds) == (7200.0, 7200.0)
    assert (b.first_response_seconds, b.first_response_business_seconds) == (45.0, 45.0)
    assert c.first_response_seconds is None and c.first_response_business_seconds is None
    assert c.resolution_seconds is None
    # Resolution counts only for status resolved.
    assert d.resolution_seconds is None and d.resolution_business_seconds is None


def test_business_seconds_use_opening_hours(monday_hours):
    org = monday_hours
    interactions_upsert(
        organisation=org,
        records=[
            # Monday 16:00 → Tuesday 10:00: 18 h on the clock, 1 h inside Monday 09–17.
            record(
                "A", created_at=tehran(2026, 3, 2, 16, 0),
                first_response_at=tehran(2026, 3, 3, 10, 0),
                status="resolved", resolved_at=tehran(2026, 3, 9, 10, 0),
            ),
            # Only a queue wait: 60 s from Monday 16:59:30, of which 30 s before closing.
            record("B", channel="phone", created_at=tehran(2026, 3, 2, 16, 59, 30),
                   wait_seconds=60),
        ],
    )  # fmt: skip
    a = Interaction.objects.get(external_id="A")
    assert a.first_response_seconds == 18 * 3600
    assert a.first_response_business_seconds == 3600
    # To the next Monday 10:00: 1 h on 2 March + 1 h on 9 March.
    assert a.resolution_seconds == (7 * 24 - 6) * 3600
    assert a.resolution_business_seconds == 2 * 3600
    b = Interaction.objects.get(external_id="B")
    assert b.first_response_seconds == 60
    assert b.first_response_business_seconds == 30


def test_field_times(org):
    created = tehran(2026, 3, 2, 9, 0)
    interactions_upsert(
        organisation=org,
        records=[
            record(
                "F", channel="field", created_at=created,
                arrived_at=created + dt.timedelta(hours=3),
                fixed_at=created + dt.timedelta(hours=4, minutes=30),
            )
        ],
    )  # fmt: skip
    f = Interaction.objects.get(external_id="F")
    assert (f.time_to_arrive_seconds, f.time_to_fix_seconds) == (3 * 3600, 4.5 * 3600)


def test_recompute_after_time_zone_and_hours_change(org):
    interactions_upsert(
        organisation=org,
        records=[
            record(
                f"R{n}", created_at=dt.datetime(2026, 3, 1, 22, tzinfo=UTC),
                first_response_at=dt.datetime(2026, 3, 2, 8, tzinfo=UTC),
            )
            for n in range(5)
        ],
    )  # fmt: skip
    assert set(Interaction.objects.values_list("local_date", flat=True)) == {dt.date(2026, 3, 2)}
    org.timezone = "UTC"
    org.save()
    # Sunday 1 March is now closed; Monday opens at 07:00 UTC.
    BusinessHours.objects.create(organisation=org, weekday=1, opens=dt.time(7), closes=dt.time(17))
    assert interactions_recompute_derived(organisation=org, batch_size=2) == 5
    rows = Interaction.objects.filter(organisation=org)
    assert set(rows.values_list("local_date", flat=True)) == {dt.date(2026, 3, 1)}
    assert set(rows.values_list("first_response_business_seconds", flat=True)) == {3600.0}
    assert set(rows.values_list("first_response_seconds", flat=True)) == {36000.0}


def test_interaction_create_returns_the_row(org):
    created = interaction_create(organisation=org, data=record("W-1", channel="walk_in"))
    assert isinstance(created, Interaction) and created.pk
    assert created.organisation == org and created.is_live


def test_upsert_queries_do_not_grow_with_rows(org, django_assert_max_num_queries):
    records = [record(f"Q{n}", agent=f"agent{n % 7}", team=f"team{n % 3}") for n in range(300)]
    with django_assert_max_num_queries(15):
        interactions_upsert(organisation=org, records=records)
    assert Interaction.objects.filter(organisation=org).count() == 300


def test_reviews_upsert(org):
    result = reviews_upsert(
        organisation=org,
        records=[
            ReviewData(external_id="G1", date=dt.date(2026, 3, 2), rating=5, source="Google"),
            ReviewData(external_id="G2", date=dt.date(2026, 3, 3), rating=2),
        ],
    )
    assert (result.created, result.updated) == (2, 0)
    result = reviews_upsert(
        organisation=org, records=[ReviewData(external_id="G2", date=dt.date(2026, 3, 3), rating=4)]
    )
    assert (result.created, result.updated) == (0, 1)
    assert Review.objects.get(organisation=org, external_id="G2").rating == 4
    assert Review.objects.filter(organisation=org).count() == 2


# --- next_contact_at: the same customer's next interaction in the same category -----------


def next_contacts(org) -> dict[str, dt.datetime | None]:
    return dict(
        Interaction.objects.filter(organisation=org).values_list("external_id", "next_contact_at")
    )


def test_next_contact_is_the_first_strictly_later_one_of_the_same_customer_and_category(org):
    t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    hour = dt.timedelta(hours=1)
    interactions_upsert(
        organisation=org,
        records=[
            record("A", customer_id="k", category="billing", created_at=t),
            # B and C at the same moment: neither is the other's next contact.
            record("B", customer_id="k", category="billing", created_at=t + hour),
            record("C", customer_id="k", category="billing", created_at=t + hour, channel="phone"),
            record("D", customer_id="k", category="billing", created_at=t + 400 * hour),
            record("E", customer_id="k", category="repair", created_at=t + 2 * hour),
            record("F", customer_id="m", category="billing", created_at=t + 3 * hour),
            record("G", customer_id="", category="billing", created_at=t + 4 * hour),
        ],
    )
    assert next_contacts(org) == {
        "A": t + hour,
        "B": t + 400 * hour,
        "C": t + 400 * hour,
        "D": None,
        "E": None,
        "F": None,
        "G": None,  # no customer: never a first-contact candidate
    }


def test_next_contact_follows_later_batches_and_moves(org, other_org):
    t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    day = dt.timedelta(days=1)
    interactions_upsert(
        organisation=org,
        records=[
            record("A", customer_id="k", created_at=t),
            record("B", customer_id="k", created_at=t + 5 * day),
        ],
    )
    # Another organisation's customer with the same key changes nothing here.
    interactions_upsert(
        organisation=other_org, records=[record("Z", customer_id="k", created_at=t + day)]
    )
    assert next_contacts(org) == {"A": t + 5 * day, "B": None}
    # A later batch puts a contact between them.
    interactions_upsert(
        organisation=org, records=[record("C", customer_id="k", created_at=t + day)]
    )
    assert next_contacts(org) == {"A": t + day, "B": None, "C": t + 5 * day}
    # Re-importing C for another customer takes it out of k's sequence; C's own value follows.
    interactions_upsert(
        organisation=org, records=[record("C", customer_id="m", created_at=t + day)]
    )
    assert next_contacts(org) == {"A": t + 5 * day, "B": None, "C": None}
    # Moving B earlier than A reverses their order.
    interactions_upsert(
        organisation=org, records=[record("B", customer_id="k", created_at=t - day)]
    )
    assert next_contacts(org) == {"A": None, "B": t, "C": None}
    # A row that loses its customer keeps no next contact.
    interactions_upsert(organisation=org, records=[record("B", customer_id="", created_at=t - day)])
    interactions_upsert(organisation=org, records=[record("D", customer_id="", created_at=t)])
    assert next_contacts(org) == {"A": None, "B": None, "C": None, "D": None}
    assert next_contacts(other_org) == {"Z": None}


def test_interaction_create_sets_the_earlier_contacts_next_contact(org):
    t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    interaction_create(
        organisation=org, data=record("A", customer_id="k", category="x", created_at=t)
    )
    later = t + dt.timedelta(hours=2)
    interaction_create(
        organisation=org,
        data=record("W", channel="walk_in", customer_id="k", category="x", created_at=later),
    )
    assert next_contacts(org) == {"A": later, "W": None}


def test_recompute_derived_repairs_next_contact(org):
    t = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    interactions_upsert(
        organisation=org,
        records=[
            record("A", customer_id="k", created_at=t),
            record("B", customer_id="k", created_at=t + dt.timedelta(hours=3)),
        ],
    )
    Interaction.objects.filter(organisation=org).update(next_contact_at=None)  # bulk-loaded
    interactions_recompute_derived(organisation=org)
    assert next_contacts(org) == {"A": t + dt.timedelta(hours=3), "B": None}
