"""The Today page in a browser: the chart draws under the Content-Security-Policy and is drawn
again when htmx swaps in the refreshed day."""

import datetime as dt

import pytest

from goaldesk.accounts.models import today_in
from goaldesk.forecasting.models import ForecastInterval, ForecastRun
from tests.browser.conftest import shot, sign_in
from tests.browser.test_csp import _violations, _watched_page
from tests.scheduling.test_today import add_calls

pytestmark = pytest.mark.browser


def test_the_day_is_charted_and_refreshed(live_server, desk, new_page):
    org = desk  # no business hours: open every hour of every day
    tz = org.tzinfo
    day = today_in(org)
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
    run = ForecastRun.objects.create(
        organisation=org,
        state=ForecastRun.State.DONE,
        finished_at=midnight,
        interval_minutes=60,
        horizon_days=1,
        first_day=day,
        channels=[{"channel": "phone", "method": "weekday_mean", "aht_seconds": 180.0}],
    )
    ForecastInterval.objects.bulk_create(
        ForecastInterval(
            run=run,
            channel="phone",
            start=midnight + dt.timedelta(hours=h),
            forecast=4.0,
            lower=1.0,
            upper=7.0,
        )
        for h in range(24)
    )
    add_calls(org, [midnight + dt.timedelta(minutes=10)] * 3)
    page, console = _watched_page(new_page)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/{org.slug}/today/")
    page.wait_for_function("window.Chart && Chart.getChart(document.getElementById('chart-today'))")
    assert (
        page.evaluate("Chart.getChart(document.getElementById('chart-today')).data.datasets.length")
        == 3
    )
    assert page.locator("[data-testid=contacts-so-far]").inner_text() == "3"
    # The poll: htmx fetches the same URL and the chart is drawn again on the new canvas.
    page.evaluate("document.getElementById('chart-today').dataset.old = 'yes'")
    page.evaluate(
        "htmx.ajax('GET', location.pathname + location.search, {target: '#today', swap: 'innerHTML'})"
    )
    page.wait_for_function(
        "document.getElementById('chart-today') && "
        "!document.getElementById('chart-today').dataset.old && "
        "Chart.getChart(document.getElementById('chart-today'))"
    )
    assert page.locator("h1").count() == 1
    shot(page, "today")
    assert _violations(page, console) == []
