"""A manager finds a customer's interactions, opens one, corrects a field and sees the change
in its history, then downloads the search's result as CSV."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest

from goaldesk.engine.canonical import CANONICAL_FIELDS
from goaldesk.interactions.models import Interaction
from goaldesk.interactions.records import InteractionData
from goaldesk.interactions.services import interactions_upsert
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def _record(external_id: str, customer: str, day: int, csat: int) -> InteractionData:
    created = dt.datetime(2026, 11, day, 10, 0, tzinfo=TEHRAN)
    return InteractionData(
        external_id=external_id,
        channel="phone",
        created_at=created,
        customer_id=customer,
        category="billing",
        status="resolved",
        resolved_at=created + dt.timedelta(minutes=12),
        csat=csat,
    )


def test_search_open_edit_and_download(live_server, desk, new_page, tmp_path):
    interactions_upsert(
        organisation=desk,
        records=[
            _record("N-1", "Nasrin.K", 2, 3),
            _record("N-2", "nasrin.k", 9, 4),
            _record("O-1", "Omid", 3, 5),
            _record("O-2", "Omid", 10, 2),
        ],
    )
    page = new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/interactions/?from=2026-11-01&to=2026-11-30")
    assert page.locator("main table tbody tr").count() == 4

    page.fill("#i-q", "NASRIN")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    ids = page.locator("main table tbody tr td:nth-child(2)").all_inner_texts()
    assert sorted(ids) == ["N-1", "N-2"]
    shot(page, "interactions-search")
    search_url = page.url

    with page.expect_navigation():
        page.get_by_role("link", name="N-1", exact=True).click()
    assert "Interaction N-1" in page.locator("h1").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Edit", exact=True).click()
    page.fill("#id_csat", "5")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert page.locator(".messages .msg-success").inner_text() == "The interaction was saved."
    history = page.locator("#history tbody tr")
    assert history.count() == 1
    cells = history.first.locator("td").all_inner_texts()
    assert cells[1:] == ["maryam", "CSAT (1–5)", "3", "5"]
    shot(page, "interaction-history")
    assert Interaction.objects.get(organisation=desk, external_id="N-1").csat == 5

    page.goto(search_url)
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download as CSV").click()
    download = waiting.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert download.suggested_filename == "tehran-interactions-2026-11-01-2026-11-30.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == list(CANONICAL_FIELDS)
    assert sorted((row["external_id"], row["customer_id"], row["csat"]) for row in rows) == [
        ("N-1", "Nasrin.K", "5"),
        ("N-2", "nasrin.k", "4"),
    ]
