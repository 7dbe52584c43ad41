"""Three calendars — Gregorian, Jalali (Solar Hijri) and Hijri (Umm al-Qura) — converted both ways.

Every date GoalDesk shows or reads in a calendar other than the Gregorian goes through here:
`to_calendar` and `from_calendar` convert a day, `month_length` and `month_bounds` walk months,
`month_names` names them, `format_date` writes a day for a reader.

Jalali dates come from `jdatetime` (the arithmetic calendar Iran's official one agrees with
between 1178 and 1633 SH). Hijri dates come from `hijridate`, which carries the Umm al-Qura
tables of Saudi Arabia; they cover 1343-01-01 to 1500-12-30 AH (1924-08-01 to 2077-11-16), and
`HIJRI_RANGE` says so: outside it a day has no Hijri date here.
"""

import datetime as dt

import jdatetime
from hijridate import Gregorian, Hijri

from goaldesk.engine.digits import localize_digits

GREGORIAN = "gregorian"
JALALI = "jalali"
HIJRI = "hijri"
CALENDARS = (GREGORIAN, JALALI, HIJRI)

#: The first and last Gregorian day with an Umm al-Qura date.
HIJRI_RANGE = (dt.date(1924, 8, 1), dt.date(2077, 11, 16))

_MONTHS = {
    JALALI: {
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
        "ar": (
            "فروردين",
            "أرديبهشت",
            "خرداد",
            "تير",
            "مرداد",
            "شهريور",
            "مهر",
            "آبان",
            "آذر",
            "دي",
            "بهمن",
            "إسفند",
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
    },
    HIJRI: {
        "ar": (
            "محرم",
            "صفر",
            "ربيع الأول",
            "ربيع الآخر",
            "جمادى الأولى",
            "جمادى الآخرة",
            "رجب",
            "شعبان",
            "رمضان",
            "شوال",
            "ذو القعدة",
            "ذو الحجة",
        ),
        "fa": (
            "محرم",
            "صفر",
            "ربیع‌الاول",
            "ربیع‌الثانی",
            "جمادی‌الاول",
            "جمادی‌الثانی",
            "رجب",
            "شعبان",
            "رمضان",
            "شوال",
            "ذیقعده",
            "ذیحجه",
        ),
        "en": (
            "Muharram",
            "Safar",
            "Rabi al-Awwal",
            "Rabi al-Thani",
            "Jumada al-Ula",
            "Jumada al-Akhirah",
            "Rajab",
            "Shaban",
            "Ramadan",
            "Shawwal",
            "Dhu al-Qadah",
            "Dhu al-Hijjah",
        ),
    },
    GREGORIAN: {
        "en": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        "de": (
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ),
        "fa": (
            "ژانویه",
            "فوریه",
            "مارس",
            "آوریل",
            "مه",
            "ژوئن",
            "ژوئیه",
            "اوت",
            "سپتامبر",
            "اکتبر",
            "نوامبر",
            "دسامبر",
        ),
        "ar": (
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ),
    },
}
# German readers of the Jalali and Hijri calendars read the English transliterations.
_MONTHS[JALALI]["de"] = _MONTHS[JALALI]["en"]
_MONTHS[HIJRI]["de"] = _MONTHS[HIJRI]["en"]


def month_names(calendar: str, language: str) -> tuple[str, ...]:
    """The twelve month names of `calendar` in `language` (English when there are none)."""
    names = _MONTHS[calendar]
    return names.get(language[:2], names["en"])


def to_calendar(day: dt.date, calendar: str) -> tuple[int, int, int]:
    """(year, month, day) of `day` in `calendar`.

    Raises ValueError for a Hijri date outside HIJRI_RANGE.
    """
    if calendar == JALALI:
        j = jdatetime.date.fromgregorian(date=day)
        return j.year, j.month, j.day
    if calendar == HIJRI:
        if not HIJRI_RANGE[0] <= day <= HIJRI_RANGE[1]:
            raise ValueError(f"{day} has no Umm al-Qura date")
        h = Gregorian(day.year, day.month, day.day).to_hijri()
        return h.year, h.month, h.day
    return day.year, day.month, day.day


def from_calendar(calendar: str, year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of (year, month, day) in `calendar`.

    Raises ValueError when that calendar has no such day (or, for Hijri, none in its tables).
    """
    if calendar == JALALI:
        try:
            return jdatetime.date(year, month, day).togregorian()
        except (ValueError, TypeError, OverflowError) as error:
            raise ValueError(str(error)) from None
    if calendar == HIJRI:
        try:
            return dt.date(*Hijri(year, month, day).to_gregorian().datetuple())
        except (ValueError, OverflowError) as error:
            raise ValueError(str(error)) from None
    return dt.date(year, month, day)


def month_length(calendar: str, year: int, month: int) -> int:
    """How many days month `month` of `year` has in `calendar`."""
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    if calendar == GREGORIAN:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return (following - dt.timedelta(days=1)).day
    if calendar == JALALI:
        if month <= 6:
            return 31
        if month <= 11:
            return 30
        return 30 if jdatetime.date(year, 1, 1).isleap() else 29
    try:
        return Hijri(year, month, 1).month_length()
    except (ValueError, OverflowError) as error:
        raise ValueError(str(error)) from None


def month_bounds(day: dt.date, calendar: str) -> tuple[dt.date, dt.date]:
    """The first and last Gregorian day of the `calendar` month that contains `day`."""
    year, month, _ = to_calendar(day, calendar)
    first = from_calendar(calendar, year, month, 1)
    return first, first + dt.timedelta(days=month_length(calendar, year, month) - 1)


def add_months(day: dt.date, months: int, calendar: str) -> dt.date:
    """The first day of the `calendar` month `months` after (or before) the one holding `day`."""
    year, month, _ = to_calendar(day, calendar)
    index = year * 12 + (month - 1) + months
    return from_calendar(calendar, index // 12, index % 12 + 1, 1)


def format_date(day: dt.date, *, calendar: str, language: str, long: bool = False) -> str:
    """`day` written for a reader of `language` (a language code, or a BCP 47 tag whose
    ``-u-nu-`` extension chooses the digits, see `localize_digits`).

    Jalali and Hijri dates read 1405/09/02 (or '2 Azar 1405' when `long`; a Hijri one ends in
    'AH' for readers other than Arabic and Persian ones). Gregorian dates, and Hijri ones outside
    HIJRI_RANGE, are returned in ISO form: the web layer writes Gregorian dates with Django's
    locale formats.
    """
    if calendar == HIJRI and not HIJRI_RANGE[0] <= day <= HIJRI_RANGE[1]:
        calendar = GREGORIAN
    if calendar in (JALALI, HIJRI):
        y, m, d = to_calendar(day, calendar)
        if long:
            text = f"{d} {month_names(calendar, language)[m - 1]} {y}"
            if calendar == HIJRI:
                text += " هـ" if language[:2] in ("ar", "fa") else " AH"
        else:
            text = f"{y:04d}/{m:02d}/{d:02d}"
    else:
        text = day.isoformat()
    return localize_digits(text, language)


# --- the names the first wave used; kept because they read well where only Jalali is meant ---


def to_jalali(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) of `day` in the Jalali calendar."""
    return to_calendar(day, JALALI)


def from_jalali(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Jalali (year, month, day)."""
    return from_calendar(JALALI, year, month, day)
