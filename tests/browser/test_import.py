"""A manager imports a CSV through the browser: upload → columns → import → progress → result,
and the dashboard for the file's days counts the accepted rows. The job runs in a real
`goaldesk worker` process."""

import pytest

from tests.browser.conftest import shot, sign_in, upload_csv, wait_until_imported, worker_log

pytestmark = pytest.mark.browser

HEADER = "external_id,channel,created_at,customer_id,agent,category,resolved_at,status,outcome,csat"
# 20 data rows over 2–6 November 2026 (Tehran time, no offset: read in the organisation's zone).
# Row 7 has a channel that does not exist and row 15 a CSAT of 9 (the scale is 1–5); the other
# 18 rows are good. Row 11 writes its CSAT in Persian digits, which is allowed.
ROWS = [
    "T-01,phone,2026-11-02 09:05,C1,ali@desk.ir,billing,2026-11-02 09:20,resolved,success,5",
    "T-02,email,2026-11-02 10:10,C2,ali@desk.ir,returns,2026-11-02 15:00,resolved,success,4",
    "T-03,chat,2026-11-02 11:30,C3,sara@desk.ir,billing,,open,,",
    "T-04,walk_in,2026-11-02 12:45,,sara@desk.ir,repair,2026-11-02 13:05,resolved,failure,2",
    "T-05,phone,2026-11-03 09:00,C4,ali@desk.ir,billing,2026-11-03 09:12,resolved,success,5",
    "T-06,email,2026-11-03 10:00,C1,ali@desk.ir,returns,2026-11-04 10:00,resolved,success,3",
    "T-07,fax,2026-11-03 11:00,C5,sara@desk.ir,billing,2026-11-03 11:30,resolved,success,4",
    "T-08,chat,2026-11-03 12:00,C6,sara@desk.ir,repair,,open,,",
    "T-09,phone,2026-11-04 09:15,C7,ali@desk.ir,billing,2026-11-04 09:40,resolved,success,4",
    "T-10,web,2026-11-04 10:20,C8,ali@desk.ir,returns,2026-11-04 18:00,resolved,failure,1",
    "T-11,walk_in,2026-11-04 11:25,,sara@desk.ir,repair,2026-11-04 11:50,resolved,success,۵",
    "T-12,email,2026-11-04 12:30,C2,sara@desk.ir,billing,,unresolved,failure,2",
    "T-13,phone,2026-11-05 09:05,C9,ali@desk.ir,billing,2026-11-05 09:10,resolved,success,5",
    "T-14,chat,2026-11-05 10:10,C10,ali@desk.ir,returns,2026-11-05 10:40,resolved,success,4",
    "T-15,phone,2026-11-05 11:15,C11,sara@desk.ir,billing,2026-11-05 11:30,resolved,success,9",
    "T-16,social,2026-11-05 12:20,C12,sara@desk.ir,repair,,open,,",
    "T-17,phone,2026-11-06 09:00,C13,ali@desk.ir,billing,2026-11-06 09:08,resolved,success,5",
    "T-18,email,2026-11-06 10:00,C14,ali@desk.ir,returns,2026-11-06 16:00,resolved,success,4",
    "T-19,field,2026-11-06 11:00,C15,sara@desk.ir,repair,2026-11-06 15:00,resolved,success,5",
    "T-20,walk_in,2026-11-06 12:00,,sara@desk.ir,billing,2026-11-06 12:10,resolved,success,4",
]
GOOD_ROWS = 18  # 20 rows minus rows 7 and 15
COLUMNS_IN_FILE = HEADER.split(",")


def dashboard_figure(page, key: str) -> str:
    """The 'this period' value of one metric in the dashboard's table of every metric."""
    return page.locator(f"#metric-{key} td.num").first.inner_text().strip()


def contacts_on_dashboard(page, live_server) -> str:
    page.goto(f"{live_server.url}/o/tehran/?from=2026-11-02&to=2026-11-06")
    return dashboard_figure(page, "contacts")


def test_import_csv_with_two_bad_rows(live_server, desk, uploads, worker, new_page):
    assert len(ROWS) == 20
    page = new_page()
    sign_in(page, live_server)
    before = contacts_on_dashboard(page, live_server)
    assert before in {"0", "—"}

    page.click("nav.mainnav >> text=Import")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "november.csv",
                "mimeType": "text/csv",
                "buffer": ("\n".join([HEADER, *ROWS]) + "\n").encode(),
            }
        ],
    )
    with page.expect_navigation():
        page.click("button:has-text('Upload and choose columns')")

    # Canonical headers: every column of the file is already chosen for its field.
    for column in COLUMNS_IN_FILE:
        assert page.locator(f"#map_{column}").input_value() == column, column
    assert page.locator("#map_wait_seconds").input_value() == ""  # not in the file
    shot(page, "import-mapping")

    with page.expect_navigation():
        page.click("button[name=action][value=import]")
    progress = page.get_by_role("progressbar")
    assert progress.is_visible()

    # The worker picks the job up; htmx polls the bar and reloads the page when it is done.
    try:
        page.get_by_role("heading", name="Rejected rows").wait_for(timeout=20_000)
    except Exception as error:
        raise AssertionError(f"import did not finish; worker log:\n{worker_log()}") from error
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    shot(page, "import-result")

    rejected = page.locator("table:has(th:text('Reason')) tbody tr")
    assert rejected.count() == 2
    first, second = (rejected.nth(i).locator("td") for i in range(2))
    assert first.nth(0).inner_text() == "7"
    assert first.nth(1).inner_text() == "channel"
    assert "fax" in first.nth(2).inner_text()
    assert second.nth(0).inner_text() == "15"
    assert second.nth(1).inner_text() == "csat"
    assert "9" in second.nth(2).inner_text()

    after = contacts_on_dashboard(page, live_server)
    assert after == str(GOOD_ROWS)
    # Worked out from ROWS by hand: the 15 CSAT answers of the good rows sum to 58
    # (58 / 15 = 3.8667), and of the 13 customers with an id only C1 and C2 came back on
    # another day (2 / 13 = 15.38 %).
    assert dashboard_figure(page, "csat_avg") == "3.87"
    assert dashboard_figure(page, "returning_customer_rate") == "15.4 %"
    shot(page, "import-dashboard")


def test_persian_manager_imports_local_date_spellings(live_server, desk, uploads, worker, new_page):
    """Dates as Iranian and Saudi systems write them, read by the worker process in the
    calendar chosen on the column page; a bad one is explained in Persian digits.

    By hand: 1 Azar 1405 = 22 Nov 2026, so 1405/09/09 = 30 Nov 2026; in Umm al-Qura
    1 Jumada II 1448 = 11 Nov 2026, so 1448/06/22 = 2 Dec 2026.
    """
    from goaldesk.interactions.models import Interaction

    desk.language, desk.calendar = "fa", "jalali"
    desk.save()
    page = new_page(locale="fa-IR")
    sign_in(page, live_server)

    jalali = (
        "external_id,channel,created_at\n"
        "J-1,phone,۱۴۰۵/۰۹/۰۹ ۱۰:۰۰\nJ-2,phone,1405/09/09 10:00\n"
        "J-3,phone,۱۴۰۵/۹/۹ ۱۰:۰۰\nJ-4,phone,1405.09.09 10:00\nJ-5,phone,1405/13/09 10:00\n"
    )
    upload_csv(page, "jalali.csv", jalali)
    assert page.locator("input[name=calendar][value=jalali]").is_checked()
    shot(page, "import-calendar-mapping-fa")
    with page.expect_navigation():
        page.click("button[name=action][value=import]")
    wait_until_imported(page)
    reason = page.locator("table").last.locator("tbody tr td").nth(2).inner_text()
    assert "۱۴۰۵/۰۹/۰۲" in reason and "۲۰۲۶-۱۱-۲۳" in reason  # the spellings, Persian digits
    shot(page, "import-calendar-result-fa")
    moments = {
        i.created_at.isoformat() for i in Interaction.objects.filter(external_id__startswith="J")
    }
    assert moments == {"2026-11-30T06:30:00+00:00"}  # 10:00 in Tehran (+03:30)

    upload_csv(page, "hijri.csv", "external_id,channel,created_at\nH-1,chat,1448/06/22 09:00\n")
    page.check("input[name=calendar][value=hijri]")
    with page.expect_navigation():
        page.click("button[name=action][value=dry_run]")
    wait_until_imported(page)
    with page.expect_navigation():
        page.click("form[action$='/import/'] button[type=submit]")
    wait_until_imported(page)
    assert Interaction.objects.get(external_id="H-1").created_at.isoformat() == (
        "2026-12-02T05:30:00+00:00"  # 09:00 in Tehran
    )
