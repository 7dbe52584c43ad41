"""The business-hours editor: several spans a day, overlaps and order refused with a clear message."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import BusinessHours, Role


def _formset(*rows, initial=0):
    """POST data for the hours formset; each row is (weekday, opens, closes[, delete])."""
    data = {
        "hours-TOTAL_FORMS": str(len(rows)),
        "hours-INITIAL_FORMS": str(initial),
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data[f"hours-{i}-weekday"] = str(row[0])
        data[f"hours-{i}-opens"] = row[1]
        data[f"hours-{i}-closes"] = row[2]
        if len(row) > 3 and row[3]:
            data[f"hours-{i}-DELETE"] = "on"
    return data


@pytest.fixture
def url(org):
    return reverse("accounts:settings_hours", args=[org.slug])


def _saved(org):
    return list(
        BusinessHours.objects.filter(organisation=org)
        .order_by("weekday", "opens")
        .values_list("weekday", "opens", "closes")
    )


def test_two_spans_on_one_day_and_blank_rows_ignored(client_as, org, url):
    response = client_as(Role.OWNER).post(
        url,
        _formset((1, "09:00", "13:00"), (1, "14:00", "18:00"), (6, "10:00", "00:00"), ("", "", "")),
    )
    assert response.status_code == 302
    assert _saved(org) == [
        (1, dt.time(9), dt.time(13)),
        (1, dt.time(14), dt.time(18)),
        (6, dt.time(10), dt.time(0)),
    ]


def test_persian_digits_in_times(client_as, org, url):
    client_as(Role.OWNER).post(url, _formset((3, "۰۹:۳۰", "۱۷:۴۵"), (4, "٠٨:٠٠", "١٢:٠٠")))
    assert _saved(org) == [(3, dt.time(9, 30), dt.time(17, 45)), (4, dt.time(8), dt.time(12))]


def test_overlapping_spans_name_the_weekday_and_both_spans(client_as, org, url):
    response = client_as(Role.OWNER).post(
        url, _formset((3, "09:00", "13:00"), (3, "12:00", "18:00"), (4, "12:00", "18:00"))
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors["closes"] == [
        "Wednesday: the span 12:00–18:00 overlaps the span 09:00–13:00."
    ]
    assert not formset.forms[0].errors and not formset.forms[2].errors
    page = response.content.decode()
    assert "Some opening spans need fixing" in page
    assert 'value="12:00"' in page  # what was typed stays in the form
    assert _saved(org) == []


def test_touching_spans_are_fine(client_as, org, url):
    client_as(Role.OWNER).post(url, _formset((2, "09:00", "13:00"), (2, "13:00", "18:00")))
    assert len(_saved(org)) == 2


def test_closing_before_opening_is_refused(client_as, org, url):
    response = client_as(Role.OWNER).post(url, _formset((5, "18:00", "09:00")))
    errors = response.context["formset"].forms[0].errors["closes"]
    assert errors[0].startswith("Friday 18:00–09:00: the closing time must be after the opening")
    assert _saved(org) == []


@pytest.mark.parametrize("bad", ["9", "25:00", "nine", "09:75"])
def test_unreadable_time_is_refused_next_to_the_field(client_as, url, bad):
    response = client_as(Role.OWNER).post(url, _formset((1, bad, "17:00")))
    assert response.context["formset"].forms[0].errors["opens"] == [
        "Enter a time as HH:MM, for example 09:00 or 17:30."
    ]


def test_deleting_a_span(client_as, org, url):
    client = client_as(Role.OWNER)
    client.post(url, _formset((1, "09:00", "13:00"), (1, "14:00", "18:00")))
    client.post(url, _formset((1, "09:00", "13:00"), (1, "14:00", "18:00", True), initial=2))
    assert _saved(org) == [(1, dt.time(9), dt.time(13))]


def test_existing_spans_are_shown_in_the_editor(client_as, org, url):
    BusinessHours.objects.create(organisation=org, weekday=2, opens=dt.time(8), closes=dt.time(16))
    page = client_as(Role.OWNER).get(url).content.decode()
    assert 'value="08:00"' in page and 'value="16:00"' in page


def test_manager_reads_the_hours(client_as, org, url):
    BusinessHours.objects.create(organisation=org, weekday=2, opens=dt.time(8), closes=dt.time(16))
    page = client_as(Role.MANAGER).get(url).content.decode()
    assert "Tuesday" in page and "08:00" in page and '<form method="post" novalidate' not in page


def test_changing_hours_recomputes_once_and_unchanged_hours_do_not(
    client_as, url, recompute_calls, django_capture_on_commit_callbacks
):
    client = client_as(Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _formset((1, "09:00", "17:00")))
    assert recompute_calls == ["tehran"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _formset((1, "09:00", "17:00")))
    assert recompute_calls == ["tehran"]
