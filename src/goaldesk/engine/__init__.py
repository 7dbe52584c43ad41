"""The pure engine: business hours, metric maths, calendars.

Takes plain data and returns plain data; never imports Django (a test enforces it).
"""

from goaldesk.engine.business_hours import BusinessCalendar
from goaldesk.engine.calendars import GREGORIAN, JALALI, format_date, from_jalali, to_jalali
from goaldesk.engine.digits import localize_digits, normalize_digits
from goaldesk.engine.metrics import (
    METRIC_KEYS,
    SUMMARY_METRICS,
    MetricRecord,
    compute_metrics,
    make_record,
)
from goaldesk.engine.stats import Summary, mean, median, p90, summary

__all__ = [
    "GREGORIAN",
    "JALALI",
    "METRIC_KEYS",
    "SUMMARY_METRICS",
    "BusinessCalendar",
    "MetricRecord",
    "Summary",
    "compute_metrics",
    "format_date",
    "from_jalali",
    "localize_digits",
    "make_record",
    "mean",
    "median",
    "normalize_digits",
    "p90",
    "summary",
    "to_jalali",
]
