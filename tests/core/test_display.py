"""Numbers for the reader: digits, separators, minus and percent signs per language and the
organisation's choice of Arabic digits; the template filters that isolate names and codes."""

import pytest
from django.template import Context, Template
from django.utils import translation

from goaldesk.core.display import display_numbering, duration, lnum, percent

LRM, ALM, MINUS = "\u200e", "\u061c", "\u2212"


@pytest.fixture
def reader():
    """reader(language, arabic_digits=False): activate what a request of that reader would."""
    tokens = []

    def make(language: str, arabic_digits: bool = False) -> None:
        translation.activate(language)
        tokens.append(display_numbering.set("arab" if arabic_digits else "latn"))

    yield make
    for token in reversed(tokens):
        display_numbering.reset(token)


def test_english_and_german_keep_the_signs_they_always_had(reader):
    reader("en")
    assert (lnum(-1234.5, 1), percent(86), percent(-3.25, 1)) == ("-1,234.5", "86 %", "-3.2 %")
    assert lnum(3, plus=True) == "+3"
    reader("de")
    assert (lnum(-1234.5, 1), percent(86.04, 1)) == ("-1.234,5", "86,0 %")


def test_persian_numbers_have_persian_digits_a_minus_that_stays_in_front_and_the_persian_percent(
    reader,
):
    reader("fa")
    assert lnum(28) == "۲۸"
    # U+200E keeps the minus sign on the left of the number inside right-to-left text
    assert lnum(-1) == LRM + MINUS + "۱"
    assert lnum(2, plus=True) == LRM + "+۲"
    assert percent(86) == "۸۶٪"
    assert percent(-12.5, 1) == LRM + MINUS + "۱۲٫۵٪"


def test_arabic_follows_the_organisations_digits(reader):
    reader("ar", arabic_digits=True)
    assert percent(86) == "٨٦٪" + ALM
    assert lnum(1234.5, 1) == "١٬٢٣٤٫٥"  # Arabic-Indic digits take the Arabic separators
    assert lnum(-3) == ALM + "-٣"
    reader("ar", arabic_digits=False)
    assert percent(86) == "86" + LRM + "%" + LRM
    assert lnum(-3) == LRM + "-3"


def test_rounding_to_zero_is_no_negative_number_and_none_is_a_dash(reader):
    reader("fa")
    assert lnum(-0.01, 1) == "۰٫۰"
    assert lnum(0, plus=True) == "۰"
    assert (lnum(None), percent(None)) == ("—", "—")


def test_filters_isolate_names_and_codes_inside_translated_sentences(reader):
    reader("fa")
    html = Template(
        "{% load goaldesk %}{{ title|bdi }} {{ name|code }} {{ share|percent }} {{ change|signed }}"
    ).render(
        Context({"title": "Raise <CSAT> to 86 %", "name": "agent-7", "share": 86, "change": -2})
    )
    assert html == (
        '<bdi>Raise &lt;CSAT&gt; to 86 %</bdi> <span class="code">agent-7</span> ۸۶٪ '
        + LRM
        + MINUS
        + "۲"
    )


def test_quoted_values_in_a_message_are_isolated_and_escaped():
    from goaldesk.core.templatetags.goaldesk import quotes_isolated

    persian = "«yesterday morning» تاریخ نیست؛ یکی از «phone»، «<b>» را به کار ببرید."
    assert quotes_isolated(persian) == (
        "«<bdi>yesterday morning</bdi>» تاریخ نیست؛ یکی از «<bdi>phone</bdi>»، "
        "«<bdi>&lt;b&gt;</bdi>» را به کار ببرید."
    )
    assert quotes_isolated("„12/31“ ist kein Datum.") == "„<bdi>12/31</bdi>“ ist kein Datum."
    assert quotes_isolated("no quotes & all") == "no quotes &amp; all"


def test_whole_hours_read_without_zero_minutes(reader):
    reader("fa")
    assert duration(3 * 3600) == "۳ ساعت"
    assert duration(3 * 3600 + 5 * 60) == "۳ ساعت و ۰۵ دقیقه"
    reader("de")
    assert (duration(7200), duration(45)) == ("2 Std.", "45 Sek.")


@pytest.mark.parametrize(
    ("language", "arabic_digits", "start", "end"),
    [
        ("en", False, "09:00", "10:00"),
        ("fa", False, "۰۹:۰۰", "۱۰:۰۰"),
        ("ar", True, "٠٩:٠٠", "١٠:٠٠"),
        ("ar", False, "09:00", "10:00"),
    ],
)
def test_an_hour_reads_as_the_span_it_stands_for(reader, language, arabic_digits, start, end):
    from goaldesk.core.display import hour_span

    reader(language, arabic_digits)
    text = hour_span(9)
    # The start first, then the end, in the reader's digits (the words between are translated).
    assert start in text and end in text and text.index(start) < text.index(end)
    assert hour_span(None) == ""


@pytest.mark.parametrize("language", ["en", "de", "fa", "ar"])
def test_numbers_read_as_djangos_own_formatting_writes_them(reader, language):
    """lnum groups plain numbers itself (faster); Django's number_format, after the same
    rounding, is the independent reference for every language's separators."""
    import random

    from django.utils import formats

    from goaldesk.engine import localize_digits

    reader(language)
    rng = random.Random(7)
    values = [0, 7, -7, 999, 1000, -1000, 10**15 + 1, 0.0, -0.04, 2.675, 1e-7, 1e20]
    values += [rng.randint(-(10**9), 10**9) for _ in range(300)]
    values += [rng.uniform(-1e7, 1e7) for _ in range(300)]
    values += [round(rng.uniform(-50, 50), rng.randint(0, 4)) for _ in range(300)]
    for value in values:
        for decimals in (0, 1, 2):
            rounded = round(value, decimals) if isinstance(value, float) else value
            text = formats.number_format(
                rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True
            )
            expected = localize_digits(text.lstrip("-"), language)
            if text.startswith("-") and any(c in "123456789" for c in text):
                expected = {"en": "-", "de": "-", "fa": LRM + MINUS, "ar": LRM + "-"}[
                    language
                ] + expected
            assert lnum(value, decimals) == expected, (value, decimals)
