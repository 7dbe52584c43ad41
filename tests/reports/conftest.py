import datetime as dt

import pytest

from goaldesk.accounts.models import Membership, Role
from tests.factories import OrganisationFactory, UserFactory
from tests.metrics.conftest import at, make_interaction

#: A Wednesday; the last complete Monday week before it is 2–8 March 2026.
TODAY = dt.date(2026, 3, 11)
WEEK = (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
WEEK_BEFORE = (dt.date(2026, 2, 23), dt.date(2026, 3, 1))


@pytest.fixture
def desk(db):
    """A UTC organisation with a manager (weekly digest by default) and interactions in the
    last complete week (5 contacts, 3 CSAT answers 4, 5, 2) and the one before (2 contacts)."""
    organisation = OrganisationFactory(name="Harbour Desk", slug="harbour", timezone="UTC")
    for n, csat in enumerate([4, 5, 2, None, None]):
        created = at(f"2026-03-0{3 + n}", "10:00")
        make_interaction(
            organisation,
            external_id=f"W{n}",
            channel="phone",
            created_at=created,
            wait_seconds=60 * (n + 1),
            csat=csat,
            resolved_at=created + dt.timedelta(minutes=30),
        )
    for n in range(2):
        make_interaction(
            organisation, external_id=f"B{n}", channel="email", created_at=at("2026-02-24", "09:00")
        )
    return organisation


@pytest.fixture
def person(desk):
    """person(name, role, language="", calendar="") → a member of `desk` with an address."""
    from goaldesk.accounts.models import Profile

    def make(name: str, role: str = Role.MANAGER, language: str = "", calendar: str = ""):
        user = UserFactory(username=name, email=f"{name}@example.com")
        Membership.objects.create(user=user, organisation=desk, role=role)
        if language or calendar:
            Profile.objects.update_or_create(
                user=user, defaults={"language": language, "calendar": calendar}
            )
        return user

    return make
