"""Business-hours arithmetic: opening spans per weekday, holidays, weekends, time zones, DST.

INTERFACE (implementation in progress): other modules code against these signatures.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BusinessCalendar:
    """When an organisation is open.

    `spans` maps an ISO weekday (1 = Monday … 7 = Sunday) to its opening spans in local wall
    time, e.g. {1: [(time(9), time(13)), (time(14), time(18))]}. `weekend` lists ISO weekdays
    that are closed whatever `spans` says; `holidays` are closed dates. With no spans at all the
    organisation counts as always open (every day is an open day; business seconds equal
    calendar seconds).
    """

    timezone: str
    spans: Mapping[int, Sequence[tuple[dt.time, dt.time]]] = field(default_factory=dict)
    weekend: frozenset[int] = frozenset()
    holidays: frozenset[dt.date] = frozenset()

    def is_open_day(self, day: dt.date) -> bool:
        """Whether `day` has business hours and is neither a weekend day nor a holiday."""
        raise NotImplementedError

    def open_days(self, first: dt.date, last: dt.date) -> int:
        """Number of open days from `first` to `last`, both included."""
        raise NotImplementedError

    def business_seconds(self, start: dt.datetime, end: dt.datetime) -> float:
        """Seconds between two aware datetimes that fall inside business hours (0 if end ≤ start)."""
        raise NotImplementedError
