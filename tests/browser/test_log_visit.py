"""The walk-in desk on a phone: a visit is logged in a few taps, nothing scrolls sideways."""

import time

import pytest

from goaldesk.interactions.models import Interaction
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser

PHONE = (375, 740)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_log_a_visit_on_a_phone(live_server, desk, new_page):
    page = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/log/")
    assert no_horizontal_scroll(page)
    shot(page, "log-visit-phone")

    started = time.monotonic()
    page.locator("label", has_text="Repair").tap()
    page.locator("label", has_text="Solved").first.tap()
    page.locator("fieldset:has(input[name=csat]) label", has_text="5").tap()
    assert page.locator("input[name=category][value=repair]").is_checked()
    assert page.locator("input[name=outcome][value=success]").is_checked()
    assert page.locator("input[name=csat][value='5']").is_checked()
    shot(page, "log-visit-tapped", full_page=False)
    with page.expect_navigation():
        page.get_by_role("button", name="Save visit").tap()
    elapsed = time.monotonic() - started  # includes two screenshots' worth of slack

    assert page.locator(".messages .msg-success").inner_text() == (
        "Visit saved. Ready for the next visitor."
    )
    assert elapsed < 10, f"four taps took {elapsed:.1f} s"
    assert "1 visit today" in page.locator("#visits-today").inner_text()
    assert no_horizontal_scroll(page)
    shot(page, "log-visit-saved")

    visit = Interaction.objects.get(organisation=desk)
    assert (visit.channel, visit.category, visit.outcome, visit.csat) == (
        "walk_in",
        "repair",
        "success",
        5,
    )
