"""The pure engine: business hours, metric maths, calendars.

Takes plain data and returns plain data; never imports Django (a test enforces it).
"""

from goaldesk.engine.calendars import GREGORIAN, JALALI, format_date, from_jalali, to_jalali
from goaldesk.engine.digits import localize_digits, normalize_digits

__all__ = [
    "GREGORIAN",
    "JALALI",
    "format_date",
    "from_jalali",
    "localize_digits",
    "normalize_digits",
    "to_jalali",
]
