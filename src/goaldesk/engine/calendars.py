"""Display dates in the Gregorian or the Jalali (Solar Hijri) calendar."""

import datetime as dt

import jdatetime

from goaldesk.engine.digits import localize_digits

GREGORIAN = "gregorian"
JALALI = "jalali"

JALALI_MONTHS = {
    "fa": (
        "فروردین",
        "اردیبهشت",
        "خرداد",
        "تیر",
        "مرداد",
        "شهریور",
        "مهر",
        "آبان",
        "آذر",
        "دی",
        "بهمن",
        "اسفند",
    ),
    "en": (
        "Farvardin",
        "Ordibehesht",
        "Khordad",
        "Tir",
        "Mordad",
        "Shahrivar",
        "Mehr",
        "Aban",
        "Azar",
        "Dey",
        "Bahman",
        "Esfand",
    ),
}


def to_jalali(day: dt.date) -> tuple[int, int, int]:
    """Return (year, month, day) of `day` in the Jalali calendar."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


def from_jalali(year: int, month: int, day: int) -> dt.date:
    """Return the Gregorian date of a Jalali (year, month, day)."""
    return jdatetime.date(year, month, day).togregorian()


def format_date(day: dt.date, *, calendar: str, language: str, long: bool = False) -> str:
    """Return `day` written for a reader: Jalali as 1405/09/02 (or '2 Azar 1405' when `long`).

    Gregorian dates are returned in ISO form (the web layer uses Django's locale formats for
    them); Persian readers get Persian digits.
    """
    if calendar == JALALI:
        y, m, d = to_jalali(day)
        if long:
            months = JALALI_MONTHS.get(language[:2], JALALI_MONTHS["en"])
            text = f"{d} {months[m - 1]} {y}"
        else:
            text = f"{y:04d}/{m:02d}/{d:02d}"
    else:
        text = day.isoformat()
    return localize_digits(text, language)
