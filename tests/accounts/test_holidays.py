"""Holidays: typed in Jalali or ISO with any digits, shown in the reader's calendar."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Holiday, Role

# Worked out by hand: 1 Farvardin 1405 is 2026-03-21 (the equinox falls after noon in Tehran
# on 20 March); months 1–6 have 31 days and 7–8 have 30, so 1 Azar (month 9) is 246 days
# later, 2026-11-22, and 2 Azar 1405 is 2026-11-23.
AZAR_2_1405 = dt.date(2026, 11, 23)


@pytest.fixture
def url(org):
    return reverse("accounts:settings_holidays", args=[org.slug])


@pytest.fixture
def jalali_org(org):
    org.calendar = "jalali"
    org.save()
    return org


@pytest.mark.parametrize(
    "typed", ["1405/09/02", "۱۴۰۵/۰۹/۰۲", "١٤٠٥-٠٩-٠٢", "1405/9/2", "2026-11-23"]
)
def test_jalali_or_iso_date_with_any_digits(client_as, jalali_org, url, typed):
    response = client_as(Role.OWNER).post(url, {"date": typed, "name": "Test day"})
    assert response.status_code == 302
    assert list(Holiday.objects.values_list("date", "name")) == [(AZAR_2_1405, "Test day")]


def test_gregorian_organisation_accepts_iso_dates(client_as, org, url):
    client_as(Role.OWNER).post(url, {"date": "2026-12-25", "name": "Christmas"})
    assert list(Holiday.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 25)]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1405/12/31", "1405/12/31 is not a date in the Jalali calendar."),  # 1405 is not leap
        ("2026-02-30", "2026-02-30 is not a date."),
        (
            "next friday",
            "next friday is not a date. Write a date as year/month/day with “-”, “/” or “.” "
            "between, for example 2026-11-23, or 1405/09/02 in the Jalali (Solar Hijri) "
            "calendar (a year before 1700 is read in that calendar).",
        ),
    ],
)
def test_bad_dates_are_refused_next_to_the_field(client_as, jalali_org, url, typed, message):
    response = client_as(Role.OWNER).post(url, {"date": typed, "name": "Kept"})
    assert response.context["form"].errors["date"] == [message]
    assert 'value="Kept"' in response.content.decode()
    assert not Holiday.objects.exists()


def test_the_same_day_twice_is_refused(client_as, org, url):
    client = client_as(Role.OWNER)
    client.post(url, {"date": "2026-11-23", "name": "A"})
    response = client.post(url, {"date": "1405/09/02", "name": "B"})
    assert response.context["form"].errors["date"] == ["2026-11-23 is already a holiday."]
    assert Holiday.objects.count() == 1


def test_jalali_organisation_sees_jalali_dates_through_ldate(client_as, jalali_org, url):
    Holiday.objects.create(organisation=jalali_org, date=AZAR_2_1405, name="Test day")
    client = client_as(Role.OWNER)
    client.cookies["django_language"] = "en"
    assert "1405/09/02" in client.get(url).content.decode()
    client.cookies["django_language"] = "fa"
    assert "۱۴۰۵/۰۹/۰۲" in client.get(url).content.decode()


def test_gregorian_organisation_sees_gregorian_dates(client_as, org, url):
    Holiday.objects.create(organisation=org, date=AZAR_2_1405, name="Test day")
    page = client_as(Role.OWNER).get(url).content.decode()
    assert "1405" not in page
    assert "2026" in page


def test_delete_a_holiday(client_as, org, url, recompute_calls, django_capture_on_commit_callbacks):
    holiday = Holiday.objects.create(organisation=org, date=AZAR_2_1405, name="Test day")
    client = client_as(Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:holiday_delete", args=[org.slug, holiday.pk]))
    assert not Holiday.objects.exists()
    assert recompute_calls == ["tehran"]


def test_adding_a_holiday_recomputes(
    client_as, url, recompute_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(Role.OWNER).post(url, {"date": "2026-11-23"})
    assert recompute_calls == ["tehran"]


def test_manager_cannot_delete_a_holiday(client_as, org):
    holiday = Holiday.objects.create(organisation=org, date=AZAR_2_1405)
    url = reverse("accounts:holiday_delete", args=[org.slug, holiday.pk])
    assert client_as(Role.MANAGER).post(url).status_code == 403
    assert Holiday.objects.exists()
