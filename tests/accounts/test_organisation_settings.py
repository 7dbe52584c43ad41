"""The general settings page: owner edits, validation, digits, recomputation of derived columns."""

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role


def _form(**changes):
    data = {
        "name": "Tehran Desk",
        "timezone": "Asia/Tehran",
        "language": "fa",
        "calendar": "jalali",
        "weekend_days": ["5"],
        "week_start": "6",
        "answer_target_seconds": "20",
    }
    data.update(changes)
    return data


@pytest.fixture
def url(org):
    return reverse("accounts:settings_general", args=[org.slug])


def test_owner_saves_every_setting(client_as, org, url, recompute_calls):
    response = client_as(Role.OWNER).post(
        url,
        _form(
            name="Dubai Mall Desk",
            timezone="Asia/Dubai",
            language="ar",
            calendar="hijri",
            weekend_days=["5", "6"],
            week_start="7",
            arabic_indic_digits="on",
            answer_target_seconds="30",
        ),
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.timezone, org.language, org.calendar) == (
        "Dubai Mall Desk",
        "Asia/Dubai",
        "ar",
        "hijri",
    )
    assert org.weekend_days == [5, 6]
    assert org.week_start == 7  # Sunday
    assert org.arabic_indic_digits is True
    assert org.answer_target_seconds == 30


def test_persian_and_arabic_indic_digits_in_the_answer_target(client_as, org, url):
    client = client_as(Role.OWNER)
    client.post(url, _form(answer_target_seconds="۴۵"))
    org.refresh_from_db()
    assert org.answer_target_seconds == 45
    client.post(url, _form(answer_target_seconds="٢٥"))
    org.refresh_from_db()
    assert org.answer_target_seconds == 25


def test_unknown_time_zone_is_refused_next_to_the_field_and_input_kept(client_as, org, url):
    response = client_as(Role.OWNER).post(url, _form(timezone="Mars/Olympus", name="Renamed desk"))
    assert response.status_code == 200
    assert response.context["form"].errors["timezone"] == [
        "“Mars/Olympus” is not a known time zone. Pick one from the list, for example "
        "Asia/Tehran or Europe/Berlin."
    ]
    assert 'value="Renamed desk"' in response.content.decode()
    org.refresh_from_db()
    assert (org.timezone, org.name) == ("Asia/Tehran", "Tehran Desk")


@pytest.mark.parametrize("bad", ["0", "abc", "-5", "99999"])
def test_bad_answer_target_is_refused(client_as, org, url, bad):
    response = client_as(Role.OWNER).post(url, _form(answer_target_seconds=bad))
    assert response.status_code == 200
    assert response.context["form"].errors["answer_target_seconds"]
    org.refresh_from_db()
    assert org.answer_target_seconds == 20


def test_weekday_names_are_shown_in_the_readers_language(client_as, url):
    client = client_as(Role.OWNER)
    client.cookies["django_language"] = "de"
    page = client.get(url).content.decode()
    assert "Freitag" in page and "Sonntag" in page


def test_manager_sees_the_settings_read_only(client_as, org, url):
    manager = client_as(Role.MANAGER)
    page = manager.get(url).content.decode()
    assert "disabled" in page
    assert "Only an owner can change these settings." in page
    assert manager.post(url, _form(name="X")).status_code == 403


def test_changing_time_zone_or_weekend_recomputes_derived_columns(
    client_as, org, url, recompute_calls, django_capture_on_commit_callbacks
):
    client = client_as(Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(name="Only the name changes", weekend_days=[]))
    # The factory's organisation has no weekend: only the name changed.
    assert recompute_calls == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(timezone="Europe/Berlin", weekend_days=[]))
    assert recompute_calls == ["tehran"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form(timezone="Europe/Berlin", weekend_days=["6", "7"]))
    assert recompute_calls == ["tehran", "tehran"]


def test_answer_target_box_accepts_any_digits_in_the_browser(client_as, url):
    """A type=number box would silently drop '۴۵'; the field must be a plain text box."""
    page = client_as(Role.OWNER).get(url).content.decode()
    assert 'type="text" name="answer_target_seconds" value="20" inputmode="numeric"' in page
