"""A Persian reader: the language switcher turns the page right-to-left, and with the
organisation's calendar set to Jalali the interactions list shows Jalali dates in Persian digits."""

import datetime as dt
import zoneinfo

import pytest

from tests.browser.conftest import shot, sign_in
from tests.factories import InteractionFactory

pytestmark = pytest.mark.browser

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def test_persian_rtl_and_jalali_dates(live_server, desk, new_page):
    # 2026-11-23 10:30 in Tehran. Worked out by hand: 1 Farvardin 1405 = 2026-03-21 (Nowruz);
    # six 31-day months and two 30-day months later (246 days) comes 1 Azar = 2026-11-22,
    # so 2026-11-23 = 2 Azar 1405 = 1405/09/02.
    created = dt.datetime(2026, 11, 23, 10, 30, tzinfo=TEHRAN)
    InteractionFactory(
        organisation=desk,
        external_id="TK-1",
        channel="phone",
        created_at=created,
        local_date=created.date(),
        status="open",
    )
    page = new_page()
    sign_in(page, live_server)
    assert page.locator("html").get_attribute("dir") == "ltr"

    with page.expect_navigation():
        page.select_option("#lang-select", "fa")
    html = page.locator("html")
    assert html.get_attribute("lang") == "fa"
    assert html.get_attribute("dir") == "rtl"
    # The layout really mirrors: the brand sits at the right edge, the user menu at the left.
    brand = page.locator("header .brand").bounding_box()
    user_menu = page.locator("header .topbar-end").bounding_box()
    assert brand["x"] > user_menu["x"]

    page.goto(f"{live_server.url}/o/tehran/settings/general/")
    page.select_option("#id_calendar", "jalali")
    with page.expect_navigation():
        page.click("form:has(#id_calendar) button[type=submit]")
    assert page.locator(".messages .msg-success").is_visible()
    shot(page, "fa-settings")

    page.goto(f"{live_server.url}/o/tehran/interactions/?from=2026-11-23&to=2026-11-23")
    assert page.locator("html").get_attribute("dir") == "rtl"
    row = page.locator("tbody tr", has_text="TK-1")
    assert row.count() == 1
    created_cell = row.locator("td").first.inner_text()
    assert "۱۴۰۵/۰۹/۰۲" in created_cell
    assert "۱۰:۳۰" in created_cell  # Tehran time, Persian digits
    shot(page, "fa-interactions")
