"""The month tables `static/goaldesk/datepicker.js` draws Jalali and Hijri months with.

The script runs in the browser, so it cannot ask `engine.calendars`; it reads these tables
instead, generated from the engine so that its months are exactly the server's: the length of
every month of the supported years and the Gregorian day each table starts on. Gregorian months
the browser works out itself.

`calendar_data_script()` is the file's text; `goaldesk manage calendar_data` writes it, and a
test fails when the committed file differs (after a `hijridate` update, for instance).
"""

import datetime as dt
import json
from pathlib import Path

from goaldesk.engine import HIJRI, JALALI, from_calendar, month_length

#: The years the tables cover: every Jalali year that touches 1900–2100 (the days GoalDesk
#: accepts, `core.parsing.EARLIEST_DAY`..`LATEST_DAY`), and the Umm al-Qura tables' years.
YEARS = {JALALI: (1278, 1479), HIJRI: (1343, 1500)}

#: Where the generated file lives.
DATA_FILE = Path(__file__).resolve().parent.parent / "static" / "goaldesk" / "calendar-data.js"


def month_table(calendar: str) -> dict[str, object]:
    """{"firstYear", "lastYear", "firstDay" (the Gregorian ISO date of month 1 day 1 of the
    first year), "lengths" (one character per month, its length minus 28: '1' is 29 days,
    '2' is 30, '3' is 31)} for `calendar`."""
    first, last = YEARS[calendar]
    lengths = "".join(
        str(month_length(calendar, year, month) - 28)
        for year in range(first, last + 1)
        for month in range(1, 13)
    )
    start: dt.date = from_calendar(calendar, first, 1, 1)
    return {"firstYear": first, "lastYear": last, "firstDay": start.isoformat(), "lengths": lengths}


def calendar_data_script() -> str:
    """The text of `calendar-data.js`: the tables of `month_table` as `window.GoalDeskCalendars`."""
    tables = {calendar: month_table(calendar) for calendar in (JALALI, HIJRI)}
    body = ",\n".join(
        f"  {json.dumps(calendar)}: {json.dumps(table, separators=(',', ':'))}"
        for calendar, table in tables.items()
    )
    return (
        "// Month lengths of the Jalali and Hijri (Umm al-Qura) calendars for datepicker.js.\n"
        "// Generated from goaldesk.engine.calendars by `goaldesk manage calendar_data`;\n"
        "// do not edit (a test compares this file with the generator's output).\n"
        f"window.GoalDeskCalendars = {{\n{body}\n}};\n"
    )
