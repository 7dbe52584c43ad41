"""The canonical interaction record: parsing and validating one row from any source.

INTERFACE (implementation in progress): import, the REST API and the quick "log a visit" form
all turn their input into `InteractionData` through `parse_interaction`, so one set of rules
and one set of error messages applies everywhere.
"""

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass

#: The canonical columns of METRICS.md, in order.
CANONICAL_FIELDS = (
    "external_id", "channel", "created_at", "customer_id", "agent", "team", "category",
    "first_response_at", "resolved_at", "status", "outcome", "wait_seconds", "handle_seconds",
    "csat", "nps", "ces", "sentiment_start", "sentiment_end", "arrived_at", "fixed_at",
)
REQUIRED_FIELDS = ("external_id", "channel", "created_at")


class RecordError(ValueError):
    """A value that cannot be accepted: which canonical column, and why (translated text)."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(f"{column}: {reason}")
        self.column = column
        self.reason = reason


@dataclass
class InteractionData:
    external_id: str
    channel: str
    created_at: dt.datetime
    customer_id: str = ""
    agent: str = ""
    team: str = ""
    category: str = ""
    first_response_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    status: str = "open"
    outcome: str = ""
    wait_seconds: float | None = None
    handle_seconds: float | None = None
    csat: int | None = None
    nps: int | None = None
    ces: int | None = None
    sentiment_start: str = ""
    sentiment_end: str = ""
    arrived_at: dt.datetime | None = None
    fixed_at: dt.datetime | None = None


def parse_interaction(raw: Mapping[str, object], *, tz: zoneinfo.ZoneInfo) -> InteractionData:
    """Validate one record keyed by canonical field names; raise RecordError on the first bad value.

    Values may be strings (from a file) or already-typed (from JSON). Persian and Arabic-Indic
    digits are accepted; timestamps without an offset are read in `tz`.
    """
    raise NotImplementedError
