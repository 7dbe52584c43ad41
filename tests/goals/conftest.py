"""Goals fixtures: a UTC organisation that is always open, so per-day metrics divide by
calendar days and a day's interactions are that date's."""

import pytest

from tests.factories import OrganisationFactory


@pytest.fixture
def shop(db):
    return OrganisationFactory(name="Shop", slug="shop", timezone="UTC")
