"""The date box's month grid in a Persian (Jalali) and an Arabic (Hijri) organisation: the
calendar's months, the organisation's first day of the week, the page's digits and direction,
the keyboard, and a picked day the server reads back as the same day."""

import datetime as dt

import pytest

from goaldesk.accounts.models import Organisation
from goaldesk.engine import HIJRI, HIJRI_RANGE, JALALI, to_calendar
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def _settle(org: Organisation, **settings: object) -> None:
    for name, value in settings.items():
        setattr(org, name, value)
    org.save()


def test_persian_reader_picks_a_jalali_day_with_the_keyboard(live_server, desk, new_page):
    _settle(desk, language="fa", calendar="jalali", week_start=6)
    page = new_page(locale="fa-IR")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/goals/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator('input[type="date"]').count() == 0
    box = page.locator("#id_deadline")
    box.fill("۱۴۰۵/۰۹/۱۱")
    toggle = page.locator("#id_deadline ~ .datepicker-toggle")
    toggle.click()
    dialog = page.locator(".datepicker-pop[role=dialog]")
    assert dialog.is_visible()
    assert dialog.locator(".dp-title").inner_text() == "آذر ۱۴۰۵"
    # Saturday first (ش), Friday last (ج).
    heads = dialog.locator("thead th span[aria-hidden]").all_inner_texts()
    assert heads == ["ش", "ی", "د", "س", "چ", "پ", "ج"]
    # 1 Azar 1405 is Sunday 22 November 2026: the second column of the first row; 11 Azar,
    # Wednesday 2 December, the fifth column of the second row, focused and selected.
    rows = dialog.locator("tbody tr")
    assert rows.nth(0).locator("td").nth(1).inner_text() == "۱"
    focused = page.locator(":focus")
    assert focused.inner_text() == "۱۱"
    assert focused.get_attribute("aria-selected") == "true"
    assert focused.get_attribute("aria-label") == "۱۱ آذر ۱۴۰۵"
    assert rows.nth(1).locator("td").nth(4).inner_text() == "۱۱"
    # The grid runs right to left: the 12th sits to the left of the 11th.
    eleventh = rows.nth(1).locator("td").nth(4).bounding_box()
    twelfth = rows.nth(1).locator("td").nth(5).bounding_box()
    assert twelfth["x"] < eleventh["x"]
    shot(page, "datepicker-fa-open", full_page=False)

    page.keyboard.press("ArrowLeft")  # right to left: the next day, 12 Azar
    assert page.locator(":focus").inner_text() == "۱۲"
    page.keyboard.press("ArrowDown")  # a week later: 19 Azar
    page.keyboard.press("PageDown")  # a month later: 19 Dey
    assert dialog.locator(".dp-title").inner_text() == "دی ۱۴۰۵"
    page.keyboard.press("ArrowRight")  # the day before: 18 Dey
    assert page.locator(":focus").get_attribute("aria-label") == "۱۸ دی ۱۴۰۵"
    page.keyboard.press("Enter")
    assert not dialog.is_visible()
    assert box.input_value() == "۱۴۰۵/۱۰/۱۸"

    # Escape closes the grid and gives the focus back to its button.
    toggle.click()
    assert dialog.is_visible()
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('datepicker-toggle')")

    # The quick choices: the end of this Jalali month, as the server worked it out.
    preset = page.locator(".date-preset").first
    preset.click()
    assert box.input_value() == preset.get_attribute("data-value")
    assert box.input_value().endswith(("/۲۹", "/۳۰", "/۳۱"))
    shot(page, "datepicker-fa-goal-form")

    # A picked day in a filter is read back by the server as that day.
    page.goto(f"{live_server.url}/o/tehran/")
    page.locator("#f-from ~ .datepicker-toggle").click()
    page.locator("#f-from").fill("۱۴۰۵/۰۹/۰۱")
    page.locator("#f-from ~ .datepicker-toggle").click()  # closes
    page.locator("#f-from ~ .datepicker-toggle").click()  # opens on 1 Azar
    assert page.locator(":focus").inner_text() == "۱"
    page.keyboard.press("Enter")
    page.locator("#f-to").fill("۱۴۰۵/۰۹/۰۹")
    page.locator("#f-to").dispatch_event("change")
    with page.expect_navigation():
        page.locator(".dash-filters button[type=submit]").click()
    assert page.locator("#f-from").input_value() == "۱۴۰۵/۰۹/۰۱"
    assert page.locator("#f-to").input_value() == "۱۴۰۵/۰۹/۰۹"
    assert "period=custom" in page.url
    shot(page, "datepicker-fa-dashboard", full_page=False)


def test_arabic_reader_sees_hijri_months(live_server, desk, new_page):
    _settle(desk, language="ar", calendar="hijri", week_start=7, arabic_indic_digits=True)
    page = new_page(locale="ar-SA")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/interactions/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#i-from").fill("1448/6/22")
    page.locator("#i-from ~ .datepicker-toggle").click()
    dialog = page.locator(".datepicker-pop[role=dialog]")
    assert dialog.locator(".dp-title").inner_text() == "جمادى الآخرة ١٤٤٨"
    assert dialog.locator("thead th").first.get_attribute("abbr") == "الأحد"  # Sunday first
    # 1 Jumada al-Akhirah 1448 is Wednesday 11 November 2026: the fourth column (Sunday first).
    first_row = dialog.locator("tbody tr").first.locator("td")
    assert first_row.nth(3).inner_text() == "١"
    assert page.locator(":focus").get_attribute("aria-label") == "٢٢ جمادى الآخرة ١٤٤٨ هـ"
    page.keyboard.press("PageUp")  # Jumada al-Ula
    assert dialog.locator(".dp-title").inner_text() == "جمادى الأولى ١٤٤٨"
    page.keyboard.press("PageDown")
    page.keyboard.press("PageDown")  # Rajab; it starts the day after the 29th of Jumada II
    assert dialog.locator(".dp-title").inner_text() == "رجب ١٤٤٨"
    shot(page, "datepicker-ar-open", full_page=False)
    dialog.locator("td[data-day]", has_text="١٠").first.click()  # 10 Rajab
    assert page.locator("#i-from").input_value() == "١٤٤٨/٠٧/١٠"
    # The server reads it back (and writes the day it read into the box again).
    assert page.locator("#i-period").input_value() == "custom"  # a picked day: a custom period
    page.locator("#i-to").fill("١٤٤٨/٠٧/١٠")
    with page.expect_navigation():
        page.locator("form[aria-label] button[type=submit]").click()
    assert page.locator("#i-from").input_value() == "١٤٤٨/٠٧/١٠"
    assert "period=custom" in page.url
    shot(page, "datepicker-ar-interactions", full_page=False)


def test_the_scripts_calendars_agree_with_the_servers(live_server, desk, new_page):
    page = new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/o/tehran/interactions/")
    # Every 97th day from 1900 to 2100 (and every day of the early Umm al-Qura years, whose
    # months of 28 and 31 days are the likeliest to go wrong), both ways, in both calendars.
    first, last = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
    days = [first + dt.timedelta(days=n) for n in range(0, (last - first).days + 1, 97)]
    days += [HIJRI_RANGE[0] + dt.timedelta(days=n) for n in range(0, 366 * 22)]
    for calendar in (JALALI, HIJRI):
        wanted = [d for d in days if calendar == JALALI or HIJRI_RANGE[0] <= d <= HIJRI_RANGE[1]]
        script = page.evaluate(
            "([name, days]) => days.map((iso) => window.GoalDeskDatepicker.toCalendar(name, iso))",
            [calendar, [d.isoformat() for d in wanted]],
        )
        assert [tuple(ymd) for ymd in script] == [to_calendar(d, calendar) for d in wanted]
        back = page.evaluate(
            "([name, dates]) => dates.map(([y, m, d]) => "
            "window.GoalDeskDatepicker.fromCalendar(name, y, m, d))",
            [calendar, [to_calendar(d, calendar) for d in wanted[::50]]],
        )
        assert back == [d.isoformat() for d in wanted[::50]]
