"""A Persian reader in the browser: chart axes written in Persian digits, and the back arrow
turned to point along the right-to-left reading direction."""

import datetime as dt
import zoneinfo

import pytest

from tests.browser.conftest import shot, sign_in
from tests.factories import InteractionFactory

pytestmark = pytest.mark.browser

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹")


def test_persian_charts_and_arrows(live_server, desk, new_page):
    desk.language = "fa"
    desk.save()
    for n in range(6):
        created = dt.datetime(2026, 11, 20 + n % 3, 10, n, tzinfo=TEHRAN)
        InteractionFactory(
            organisation=desk,
            external_id=f"TK-{n}",
            channel="phone",
            created_at=created,
            local_date=created.date(),
            status="resolved",
            csat=3 + n % 3,
        )
    page = new_page()
    sign_in(page, live_server)

    page.goto(f"{live_server.url}/o/tehran/?from=2026-11-20&to=2026-11-23")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-contacts')")
    ticks = page.evaluate(
        """() => { const chart = Chart.getChart('chart-contacts');
                   return [chart.options.locale, chart.scales.y.ticks.map(t => t.label)]; }"""
    )
    locale, labels = ticks
    assert locale == "fa"
    assert labels and all(set(label) <= PERSIAN_DIGITS | {"٬", "٫"} for label in labels), labels
    assert "۰" in labels  # Chart.js would write an axis's zero as a Latin "0" by itself
    shot(page, "fa-dashboard-charts")

    page.goto(f"{live_server.url}/o/tehran/interactions/?from=2026-11-20&to=2026-11-23")
    with page.expect_navigation():
        page.locator("tbody a", has_text="TK-0").click()
    arrow = page.locator("main p a .flip")
    assert arrow.inner_text() == "←"
    # turned round: the arrow is drawn pointing right, towards the start of a Persian line
    transform = arrow.evaluate("(el) => getComputedStyle(el).transform")
    assert transform == "matrix(-1, 0, 0, 1, 0, 0)"
    shot(page, "fa-interaction-back-link")
