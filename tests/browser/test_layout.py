"""Layout at a laptop's and a phone's size: every breakdown column and every heatmap hour can be
reached, the phone's header leaves the screen to the page."""

import datetime as dt
import zoneinfo

import pytest

from goaldesk.interactions.models import Interaction
from tests.browser.conftest import shot, sign_in
from tests.factories import InteractionFactory

pytestmark = pytest.mark.browser

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")

# Whether the element's right end (left end in right-to-left) lies inside the viewport, or
# inside a scroll container that can be scrolled to it.
REACHABLE = """(el) => {
  let box = el.parentElement;
  while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
  if (box && box !== document.body && box !== document.documentElement
      && box.scrollWidth > box.clientWidth) {
    box.scrollLeft = document.dir === 'rtl' ? -box.scrollWidth : box.scrollWidth;
  }
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 1;
}"""


def _contacts(desk):
    # 25 contacts in every hour of three days, so that every heatmap cell of those weekdays
    # holds a two-digit average with a decimal ("12.5"), the widest a busy desk shows.
    rows = []
    for n in range(72 * 25):
        created = dt.datetime(2026, 11, 20 + n // (24 * 25), n // 25 % 24, n % 25, tzinfo=TEHRAN)
        rows.append(
            InteractionFactory.build(
                organisation=desk, external_id=f"TK-{n}", channel="phone", created_at=created,
                local_date=created.date(), status="resolved", csat=3 + n % 3, wait_seconds=30,
            )
        )  # fmt: skip
    Interaction.objects.bulk_create(rows)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_every_breakdown_column_and_heatmap_hour_is_reachable_at_1366(
    live_server, desk, new_page, language
):
    desk.language = language
    desk.save()
    _contacts(desk)
    page = new_page(viewport=(1366, 768))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/?from=2026-11-20&to=2026-11-23")
    page.locator("#breakdown-panel table").wait_for()
    last = page.locator("#breakdown-panel thead th").last
    assert last.evaluate(REACHABLE)
    shot(page, f"layout-dashboard-1366-{language}")
    page.goto(f"{live_server.url}/o/tehran/planning/peaks/")
    hours = page.locator("table.heatmap thead th")
    assert hours.count() == 25  # the weekday column, then 0–23
    # All 24 hours fit in the card: nothing to scroll to.
    assert page.locator("table.heatmap").evaluate(
        "(t) => t.parentElement.scrollWidth <= t.parentElement.clientWidth"
    )
    assert hours.last.evaluate(REACHABLE)
    shot(page, f"layout-peaks-1366-{language}")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_phone_header_takes_under_a_fifth_of_the_screen(live_server, desk, new_page, language):
    desk.language = language
    desk.save()
    page = new_page(viewport=(390, 844))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/")
    height = page.locator("header.topbar").bounding_box()["height"]
    shot(page, f"layout-phone-{language}", full_page=False)
    assert height < 0.2 * 844
    # Every navigation link is still there to tap (scrolled to when needed).
    links = page.locator("nav.mainnav a")
    assert links.count() >= 6
    assert links.last.evaluate(REACHABLE)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_import_page_lists_the_columns_on_a_phone(live_server, desk, new_page, language):
    desk.language = language
    desk.save()
    page = new_page(viewport=(390, 844))
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/import/")
    assert page.locator("table.import-columns tbody tr").count() == 20
    assert page.locator("a[href$='/import/template.xlsx']").is_visible()
    # The page itself does not scroll sideways; only a wide table would, inside its card.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"layout-import-phone-{language}")
