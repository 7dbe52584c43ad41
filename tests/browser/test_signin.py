"""A manager signs in with a real password, lands on the dashboard and signs out."""

import pytest

from tests.browser.conftest import PASSWORD, shot, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_lands_on_dashboard_then_sign_out(live_server, desk, new_page):
    page = new_page()
    page.goto(f"{live_server.url}/o/tehran/")
    assert page.url.startswith(f"{live_server.url}/signin/")  # anonymous visitors sign in first

    sign_in(page, live_server, password="wrong password")
    assert page.url.startswith(f"{live_server.url}/signin/")
    assert page.locator(".errorlist").is_visible()

    sign_in(page, live_server, password=PASSWORD)
    assert page.url == f"{live_server.url}/o/tehran/"
    assert page.locator("nav.mainnav a[aria-current=page]").inner_text() == "Dashboard"
    # The stylesheet was served: the top bar is laid out as a flex row, not as bare links.
    assert page.locator("header.topbar").evaluate("e => getComputedStyle(e).display") == "flex"
    shot(page, "signin-dashboard")

    page.click("details.menu summary:has-text('maryam')")
    with page.expect_navigation():
        page.click("button:has-text('Sign out')")
    assert page.url.startswith(f"{live_server.url}/signin/")
    page.goto(f"{live_server.url}/o/tehran/")
    assert page.url.startswith(f"{live_server.url}/signin/")  # the session is really gone
