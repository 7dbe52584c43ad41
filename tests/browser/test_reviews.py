"""A manager follows the dashboard's review count to the reviews, filters them by rating, and a
Persian reader sees them right to left without sideways scrolling."""

import datetime as dt

import pytest

from goaldesk.interactions.models import Review
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def _reviews(org):
    text = "The refund took three weeks, and nobody called back although I asked twice. " * 3
    rows = [
        ("g1", "2026-03-01", 5, "Google", "Quick and kind", "Sara"),
        ("g2", "2026-03-02", 4, "Google", "", ""),
        ("t1", "2026-03-02", 2, "Trustpilot", text, "Ali"),
        ("t2", "2026-03-03", 1, "Trustpilot", "بسیار کند بود", "مریم"),
    ]
    for external_id, day, rating, source, body, author in rows:
        Review.objects.create(
            organisation=org,
            external_id=external_id,
            date=dt.date.fromisoformat(day),
            rating=rating,
            source=source,
            text=body,
            author=author,
        )


def test_from_the_dashboard_to_the_reviews_filtered_by_rating(live_server, desk, new_page):
    _reviews(desk)
    page = new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/{desk.slug}/?from=2026-03-01&to=2026-03-04")
    link = page.locator("#reviews-link")
    assert link.inner_text().startswith("4 reviews")
    with page.expect_navigation():
        link.click()
    assert page.locator("tbody tr").count() == 4
    assert "Average rating: 3.00 of 5." in page.locator("#reviews-summary").inner_text()
    page.select_option("#r-rating", "2")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert page.locator("tbody tr").count() == 1
    assert "2 of 5" in page.locator("tbody tr").inner_text()
    shot(page, "reviews-filtered")


def test_a_persian_reader_reads_the_reviews_right_to_left(live_server, desk, new_page):
    desk.language = "fa"
    desk.calendar = "jalali"
    desk.save()
    _reviews(desk)
    for width, height in ((1280, 900), (390, 844)):
        page = new_page(locale="fa-IR", viewport=(width, height))
        sign_in(page, live_server)
        page.goto(f"{live_server.url}/o/{desk.slug}/reviews/?from=2026-03-01&to=2026-03-04")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert "۴" in page.locator("#reviews-summary").inner_text()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{width} px: {overflow} px sideways"
        shot(page, f"reviews-fa-{width}")
