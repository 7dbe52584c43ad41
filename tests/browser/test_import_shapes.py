"""A manager imports an event log through the browser (the `eventlog` preset): the column page
explains the reduction and offers the channel and the final activities; the worker turns 14 event
rows into 4 interactions. Shown in English, Persian and Arabic (right to left)."""

from pathlib import Path

import pytest

from tests.browser.conftest import shot, sign_in, wait_until_imported

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parents[1] / "interactions" / "samples" / "eventlog.csv"


@pytest.mark.parametrize("language", ["en", "fa", "ar"])
def test_event_log_through_the_pages(live_server, desk, uploads, worker, new_page, language):
    from goaldesk.interactions.models import Interaction

    desk.language = language
    desk.save()
    page = new_page(locale={"en": "en-GB", "fa": "fa-IR", "ar": "ar-SA"}[language])
    sign_in(page, live_server)
    page.click("nav.mainnav a[href$='/import/']")
    page.select_option("select[name=preset]", "eventlog")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "log.csv", "mimeType": "text/csv", "buffer": SAMPLE.read_bytes()}],
    )
    with page.expect_navigation():
        page.click("main form[enctype] button[type=submit]")
    assert page.locator("#map_external_id").input_value() == "CaseID"
    assert page.locator("#final_activities").input_value() == "6, closed"
    if language != "en":
        assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("#fixed_channel", "email")
    shot(page, f"import-eventlog-mapping-{language}")
    with page.expect_navigation():
        page.click("button[name=action][value=import]")
    wait_until_imported(page, timeout=60_000)
    shot(page, f"import-eventlog-result-{language}")
    found = Interaction.objects.filter(organisation=desk)
    assert found.count() == 4
    assert set(found.values_list("channel", flat=True)) == {"email"}
