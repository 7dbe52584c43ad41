"""`goaldesk manage calendar_data [--check]`

Writes `static/goaldesk/calendar-data.js`, the month tables the date picker draws Jalali and
Hijri months with, from the server's calendar engine (see `goaldesk.core.calendar_data`). Run it
after updating `hijridate` or `jdatetime`; `--check` only reports whether the file is current.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from goaldesk.core.calendar_data import DATA_FILE, calendar_data_script


class Command(BaseCommand):
    help = "Write the date picker's month tables from the calendar engine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="fail when the file differs; write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = calendar_data_script()
        current = DATA_FILE.read_text(encoding="utf-8") if DATA_FILE.exists() else None
        if options["check"]:
            if current != text:
                raise CommandError(
                    f"{DATA_FILE} is out of date: run `goaldesk manage calendar_data`."
                )
            self.stdout.write(f"{DATA_FILE} is up to date.")
            return
        DATA_FILE.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {DATA_FILE}.")
