"""The bell in a browser: the unread count, the list, marking all read; in Persian digits."""

import pytest
from django.contrib.auth import get_user_model

from goaldesk.notifications.models import Notification
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def _two_unread(desk):
    maryam = get_user_model().objects.get(username="maryam")
    for goal in ("CSAT", "First reply"):
        Notification.objects.create(
            recipient=maryam,
            organisation=desk,
            kind="goal_achieved",
            params={"goal": goal},
            url="/o/tehran/goals/",
        )


def test_two_unread_then_all_read(live_server, desk, new_page):
    _two_unread(desk)
    page = new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/")
    bell = page.locator("header a.bell")
    assert bell.get_attribute("aria-label") == "Notifications, 2 unread"
    assert bell.inner_text().strip() == "2"

    with page.expect_navigation():
        bell.click()
    assert page.locator("main h1").inner_text() == "Notifications"
    assert page.locator("tr.unread").count() == 2
    assert "The goal “\u2068CSAT\u2069” was achieved." in page.locator("main table").inner_text()
    shot(page, "notifications-list-en")

    with page.expect_navigation():
        page.get_by_role("button", name="Mark all as read").click()
    assert page.locator("tr.unread").count() == 0
    assert page.locator("header a.bell").get_attribute("aria-label") == "Notifications"
    assert page.locator("header .bell-count").count() == 0

    # The preferences are one click away; a box turned off stays off.
    with page.expect_navigation():
        page.get_by_role("link", name="Notification preferences").click()
    box = page.get_by_label("A goal was achieved: In the app")
    assert box.is_checked()
    box.uncheck()
    shot(page, "notifications-preferences-en")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert not page.get_by_label("A goal was achieved: In the app").is_checked()
    page.goto(f"{live_server.url}/notifications/")

    # Opening one goes to its page.
    with page.expect_navigation():
        page.get_by_role("button", name="Show").first.click()
    assert page.url == f"{live_server.url}/o/tehran/goals/"


def test_the_count_is_in_persian_digits_and_the_phone_header_stays_small(
    live_server, desk, new_page
):
    desk.language = "fa"
    desk.save()
    _two_unread(desk)
    page = new_page(viewport=(390, 844))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/")
    assert page.locator("header .bell-count").inner_text() == "۲"
    assert "۲" in page.locator("header a.bell").get_attribute("aria-label")
    assert page.locator("header.topbar").bounding_box()["height"] < 0.2 * 844
    # The bell lies inside the screen, next to the user menu.
    box = page.locator("header a.bell").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    shot(page, "notifications-bell-phone-fa", full_page=False)
