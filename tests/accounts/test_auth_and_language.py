"""Sign in, sign out, change password, the language switcher, right-to-left, the profile page."""

import pytest
from django.test import Client
from django.urls import reverse

from goaldesk.accounts.models import Profile, Role
from tests.conftest import PASSWORD


def test_sign_in_then_sign_out(member, org):
    member(Role.OWNER)
    client = Client()
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200 and 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post(
        reverse("accounts:login"), {"username": "owner-user", "password": PASSWORD}
    )
    assert response.status_code == 302
    settings_url = reverse("accounts:settings", args=[org.slug])
    assert client.get(settings_url).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(settings_url).status_code == 302


def test_wrong_password_is_refused(member):
    member(Role.OWNER)
    response = Client().post(
        reverse("accounts:login"), {"username": "owner-user", "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_sign_in_goes_back_to_the_page_asked_for(member, org):
    member(Role.OWNER)
    settings_url = reverse("accounts:settings", args=[org.slug])
    response = Client().post(
        reverse("accounts:login") + f"?next={settings_url}",
        {"username": "owner-user", "password": PASSWORD, "next": settings_url},
    )
    assert response["Location"] == settings_url


def test_change_password(member):
    user = member(Role.AGENT)
    client = Client()
    client.force_login(user)
    url = reverse("accounts:password_change")
    bad = client.post(
        url,
        {
            "old_password": "not it",
            "new_password1": "ripe mango on tuesday",
            "new_password2": "ripe mango on tuesday",
        },
    )
    assert bad.context["form"].errors["old_password"]
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "ripe mango on tuesday",
            "new_password2": "ripe mango on tuesday",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ripe mango on tuesday")
    # Still signed in after the change.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_language_switcher_sets_the_cookie_and_persian_is_right_to_left(client_as, org):
    client = client_as(Role.OWNER)
    url = reverse("accounts:settings", args=[org.slug])
    assert 'dir="ltr"' in client.get(url).content.decode()
    response = client.post(reverse("accounts:language"), {"language": "fa", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies["django_language"].value == "fa"
    page = client.get(url).content.decode()
    assert '<html lang="fa" dir="rtl">' in page
    assert Profile.objects.get(user__username="owner-user").language == "fa"


def test_language_switcher_refuses_foreign_next_urls(db):
    response = Client().post(
        reverse("accounts:language"), {"language": "ar", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:home")
    assert response.cookies["django_language"].value == "ar"


def test_arabic_pages_are_right_to_left(client_as, org):
    client = client_as(Role.OWNER)
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("accounts:settings_general", args=[org.slug])).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_organisation_language_applies_without_a_cookie(client_as, org):
    org.language = "fa"
    org.save()
    page = client_as(Role.OWNER).get(reverse("accounts:settings", args=[org.slug])).content.decode()
    assert 'dir="rtl"' in page


def test_profile_saves_language_and_calendar(client_as, org):
    client = client_as(Role.VIEWER)
    response = client.post(reverse("accounts:profile"), {"language": "de", "calendar": "jalali"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "de"
    profile = Profile.objects.get(user__username="viewer-user")
    assert (profile.language, profile.calendar) == ("de", "jalali")


def test_profile_as_the_organisation_clears_the_language_cookie(client_as, org):
    client = client_as(Role.VIEWER)
    client.cookies["django_language"] = "de"
    response = client.post(reverse("accounts:profile"), {"language": "", "calendar": ""})
    assert response.cookies["django_language"].value == ""  # deleted
    profile = Profile.objects.get(user__username="viewer-user")
    assert (profile.language, profile.calendar) == ("", "")


def test_profile_refuses_unknown_language(client_as):
    response = client_as(Role.VIEWER).post(
        reverse("accounts:profile"), {"language": "xx", "calendar": ""}
    )
    assert response.context["form"].errors["language"]


def test_profile_needs_sign_in(db):
    response = Client().get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("calendar", ["jalali", "gregorian"])
def test_own_calendar_wins_over_the_organisations(client_as, org, calendar):
    import datetime as dt

    from goaldesk.accounts.models import Holiday

    Holiday.objects.create(organisation=org, date=dt.date(2026, 11, 23), name="Day")
    org.calendar = "gregorian" if calendar == "jalali" else "jalali"
    org.save()
    client = client_as(Role.OWNER)
    client.post(reverse("accounts:profile"), {"language": "en", "calendar": calendar})
    page = client.get(reverse("accounts:settings_holidays", args=[org.slug])).content.decode()
    expected = "1405/09/02" if calendar == "jalali" else "2026-11-23"
    assert f"<td>{expected}</td>" in page
