"""A Persian manager imports a day-first export with a channel GoalDesk does not know: the column
page guesses the order, lists the value, the manager maps it once, and the worker imports every
row; the next import of another file uses the saved mapping. The job runs in a real worker."""

import pytest

from tests.browser.conftest import shot, sign_in, upload_csv, wait_until_imported

pytestmark = pytest.mark.browser

# 29/02 can only be day-first; "Self service" is no channel of GoalDesk's.
DAY_FIRST = (
    "external_id,channel,created_at\n"
    "S-1,Self service,29/02/2016 09:00\n"
    "S-2,Self service,01/03/2016 10:00\n"
    "S-3,phone,02/03/2016 11:00\n"
)


def test_day_first_file_with_an_unknown_channel(live_server, desk, uploads, worker, new_page):
    from goaldesk.interactions.models import Interaction, ValueMapping

    desk.language = "fa"
    desk.save()
    page = new_page(locale="fa-IR")
    sign_in(page, live_server)
    upload_csv(page, "servicedesk.csv", DAY_FIRST)
    assert page.locator("#date_order").input_value() == "dmy"
    values = page.locator("#values")
    assert values.locator("bdi", has_text="Self service").count() == 1
    shot(page, "import-values-mapping-fa")
    values.locator("select").select_option("web")
    with page.expect_navigation():
        page.click("button[name=action][value=import]")
    wait_until_imported(page)
    shot(page, "import-values-result-fa")
    assert Interaction.objects.filter(channel="web").count() == 2
    assert Interaction.objects.count() == 3
    assert ValueMapping.objects.get().source == "self service"

    # Another file, month-first this time: the saved mapping applies, nothing to choose.
    upload_csv(
        page, "again.csv", "external_id,channel,created_at\nM-1,SELF SERVICE,02/29/2016 09:00\n"
    )
    assert page.locator("#values").count() == 0
    assert page.locator("#date_order").input_value() == "mdy"
    with page.expect_navigation():
        page.click("button[name=action][value=import]")
    wait_until_imported(page)
    assert Interaction.objects.get(external_id="M-1").channel == "web"

    page.goto(f"{live_server.url}/o/tehran/import/values/")
    shot(page, "import-values-page-fa")
    assert page.locator("bdi", has_text="self service").count() == 1
