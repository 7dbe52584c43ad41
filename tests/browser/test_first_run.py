"""The first run in Persian: an empty installation leads to the set-up page, which is filled in
right to left with Persian digits, and lands the new owner on the organisation's import page."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from goaldesk.accounts.models import BusinessHours, Membership, Organisation, Role
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "blue-harbour-lantern-42"


def test_first_run_in_persian_lands_on_the_new_organisation(
    live_server, transactional_db, new_page
):
    page = new_page()
    page.goto(f"{live_server.url}/o/anything/")
    assert page.url == f"{live_server.url}/setup/"  # every page of an empty installation

    with page.expect_navigation():
        page.select_option("#lang-select", "fa")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("fa", "rtl")
    assert page.locator("label[for=id_owner-username]").inner_text().startswith("نام کاربری")
    # The form starts from a working week: Monday to Friday 09:00–17:00.
    assert page.input_value("#id_hours-0-opens") == "09:00"

    page.fill("#id_owner-username", "maryam")
    page.fill("#id_owner-email", "maryam@example.org")
    page.fill("#id_owner-password1", PASSWORD)
    page.fill("#id_owner-password2", PASSWORD)
    page.fill("#id_org-name", "Shiraz Service Centre")
    assert page.input_value("#id_org-slug") == "shiraz-service-centre"  # made from the name
    page.fill("#id_org-slug", "shiraz")  # … until one is typed by hand
    page.fill("#id_org-name", "مرکز خدمات شیراز")
    assert page.input_value("#id_org-slug") == "shiraz"
    page.select_option("#id_org-timezone", "Asia/Tehran")
    page.select_option("#id_org-language", "fa")
    page.select_option("#id_org-calendar", "jalali")
    page.select_option("#id_org-week_start", "6")
    for day, checked in ((5, True), (6, False), (7, False)):
        page.locator(f"input[name=org-weekend_days][value='{day}']").set_checked(checked)
    page.fill("#id_hours-0-opens", "۰۸:۳۰")  # Monday opens at 08:30, typed in Persian digits
    page.locator("#id_hours-4-DELETE").check()  # Friday is the weekend: no span
    page.select_option("#id_hours-5-weekday", "6")  # Saturday morning, in an empty row
    page.fill("#id_hours-5-opens", "۰۹:۰۰")
    page.fill("#id_hours-5-closes", "۱۳:۰۰")
    shot(page, "first-run-fa")
    with page.expect_navigation():
        page.click("main button[type=submit]")

    assert page.url == f"{live_server.url}/o/shiraz/import/"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("header details.menu summary bdi").inner_text() == "مرکز خدمات شیراز"
    assert page.locator("header .code").inner_text() == "maryam"  # signed in
    org = Organisation.objects.get()
    assert (org.slug, org.timezone, org.language, org.calendar) == (
        "shiraz",
        "Asia/Tehran",
        "fa",
        "jalali",
    )
    assert (org.week_start, org.weekend_days) == (6, [5])
    spans = list(
        BusinessHours.objects.filter(organisation=org).values_list("weekday", "opens", "closes")
    )
    assert spans == [
        (1, dt.time(8, 30), dt.time(17)),
        (2, dt.time(9), dt.time(17)),
        (3, dt.time(9), dt.time(17)),
        (4, dt.time(9), dt.time(17)),
        (6, dt.time(9), dt.time(13)),
    ]
    owner = Membership.objects.get(organisation=org)
    assert (owner.user.username, owner.role) == ("maryam", Role.OWNER)
    shot(page, "first-run-fa-landed")

    # The set-up is gone for good, even for a fresh visitor.
    other = new_page()
    assert other.goto(f"{live_server.url}/setup/").status == 404
    other.goto(f"{live_server.url}/")
    assert other.url.startswith(f"{live_server.url}/signin/")
    assert get_user_model().objects.count() == 1


def test_a_signed_in_owner_creates_another_organisation_from_the_menu(live_server, desk, new_page):
    page = new_page()
    sign_in(page, live_server)
    page.click("header details.menu summary:has-text('Tehran Desk')")
    with page.expect_navigation():
        page.click("header details.menu a:has-text('New organisation')")
    assert page.url == f"{live_server.url}/account/organisations/new/"
    page.fill("#id_org-name", "Berlin Support")
    assert page.input_value("#id_org-slug") == "berlin-support"
    page.select_option("#id_org-timezone", "Europe/Berlin")
    page.select_option("#id_org-language", "de")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == f"{live_server.url}/o/berlin-support/import/"
    new = Organisation.objects.get(slug="berlin-support")
    assert Membership.objects.get(organisation=new).user.username == "maryam"
    assert Membership.objects.get(organisation=new).role == Role.OWNER
    # Both organisations are in the menu now.
    page.click("header details.menu summary:has-text('Berlin Support')")
    assert page.locator("header details.menu a:has-text('Tehran Desk')").is_visible()
