"""Dates with a year before 1700 through the API: read in the caller's calendar (a token's
organisation's; a member's own), in bodies and in query strings.

Dates worked out by hand (see tests/interactions/test_import_calendars.py): Jalali 1405/09/09 =
30 Nov 2026 (1 Azar 1405 = 22 Nov 2026); Hijri 1448/06/22 = 2 Dec 2026 (1 Jumada II 1448 =
11 Nov 2026 in Umm al-Qura).
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from goaldesk.accounts.models import Profile, Role
from goaldesk.core.parsing import local_calendar
from goaldesk.engine import JALALI
from goaldesk.interactions.models import Interaction
from tests.api.conftest import BASE, ApiClient, make_token
from tests.factories import OrganisationFactory

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))
RIYADH = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture(autouse=True)
def _calendar_restored():
    """Requests set the reading calendar of this thread; later tests start from Jalali."""
    token = local_calendar.set(JALALI)
    yield
    local_calendar.reset(token)


@pytest.fixture
def riyadh(db):
    return OrganisationFactory(
        name="Riyadh Care", slug="riyadh", timezone="Asia/Riyadh", language="ar", calendar="hijri"
    )


def post(api, slug, external_id, created_at):
    return api.post(
        f"{BASE}/{slug}/interactions",
        {"external_id": external_id, "channel": "chat", "created_at": created_at},
    )


def created(org, external_id):
    return Interaction.objects.get(organisation=org, external_id=external_id).created_at


@pytest.mark.django_db
def test_a_jalali_organisations_token_writes_jalali_dates(api, org):
    for n, spelling in enumerate(("۱۴۰۵/۰۹/۰۹ ۱۰:۰۰", "1405/09/09 10:00", "۱۴۰۵/۹/۹ ۱۰:۰۰")):
        response = post(api, org.slug, f"J-{n}", spelling)
        assert response.status_code == 201, response.json()
        assert response.json()["created_at"] == "2026-11-30T10:00:00+03:30"
    assert created(org, "J-0") == dt.datetime(2026, 11, 30, 10, 0, tzinfo=TEHRAN)


@pytest.mark.django_db
def test_a_hijri_organisations_token_writes_hijri_dates_and_filters_by_them(riyadh, org):
    api = ApiClient(make_token(riyadh, Role.MANAGER))
    response = post(api, riyadh.slug, "H-1", "1448/06/22 09:00")
    assert response.status_code == 201, response.json()
    assert response.json()["created_at"] == "2026-12-02T09:00:00+03:00"

    listed = api.get(
        f"{BASE}/{riyadh.slug}/interactions", {"from": "1448/6/22", "to": "1448-06-22"}
    )
    assert listed.status_code == 200
    assert [row["external_id"] for row in listed.json()["items"]] == ["H-1"]
    assert (
        api.get(f"{BASE}/{riyadh.slug}/interactions", {"from": "1448/06/23"}).json()["items"] == []
    )

    # The next request, by a Jalali organisation's token, reads its own calendar again.
    jalali = ApiClient(make_token(org, Role.MANAGER))
    assert post(jalali, org.slug, "J-1", "1448/06/22 09:00").json()["created_at"] == (
        "2069-09-12T09:00:00+03:30"
    )


@pytest.mark.django_db
def test_a_member_reads_in_their_own_calendar(client_as, org):
    client = client_as(Role.MANAGER)
    user = get_user_model().objects.get(username="manager-user")
    Profile.objects.update_or_create(user=user, defaults={"calendar": "hijri"})
    api = ApiClient(client=client)
    response = post(api, org.slug, "M-1", "1448/06/22 09:00")
    assert response.status_code == 201, response.json()
    assert created(org, "M-1") == dt.datetime(2026, 12, 2, 9, 0, tzinfo=TEHRAN)


@pytest.mark.django_db
def test_an_unreadable_date_names_the_accepted_spellings(api, org):
    response = post(api, org.slug, "X-1", "1405/13/09 10:00")
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["field"] == "created_at"
    assert "“1405/13/09 10:00” is not a date and time." in problem["message"]
    assert "2026-11-23" in problem["message"] and "1405/09/02" in problem["message"]

    bad_query = api.get(f"{BASE}/{org.slug}/interactions", {"from": "1405/13/01"})
    assert bad_query.status_code == 422
    [problem] = bad_query.json()["detail"]
    assert problem["field"] == "from" and "1405/09/02" in problem["message"]
