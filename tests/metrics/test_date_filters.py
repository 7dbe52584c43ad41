"""Period filters take dates typed in the reader's calendar and digits, and show them so."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role


@pytest.fixture
def persian_org(org):
    org.language, org.calendar, org.week_start = "fa", "jalali", 6
    org.save()
    return org


@pytest.fixture
def arabic_org(org):
    org.language, org.calendar, org.week_start, org.arabic_indic_digits = "ar", "hijri", 7, True
    org.save()
    return org


@pytest.mark.parametrize("page", ["metrics:dashboard", "metrics:interactions", "goals:level"])
def test_a_jalali_period_typed_in_persian_digits(client_as, persian_org, page):
    # 1 Azar 1405 is 22 November 2026 (Nowruz, 21 March, + 6 × 31 + 2 × 30 days); 9 Azar the 30th.
    response = client_as(Role.OWNER).get(
        reverse(page, args=[persian_org.slug]),
        {"period": "custom", "from": "۱۴۰۵/۰۹/۰۱", "to": "1405.9.9"},
    )
    scope = response.context["scope"]
    assert (scope.date_from, scope.date_to) == (dt.date(2026, 11, 22), dt.date(2026, 11, 30))
    page_html = response.content.decode()
    assert 'value="۱۴۰۵/۰۹/۰۱"' in page_html and 'value="۱۴۰۵/۰۹/۰۹"' in page_html
    assert 'type="date"' not in page_html
    assert 'data-calendar="jalali"' in page_html and 'data-week-start="6"' in page_html


def test_a_hijri_period_typed_in_arabic_indic_digits(client_as, arabic_org):
    # 1 Jumada al-Akhirah 1448 is 11 November 2026 (tests/metrics/test_scope.py).
    response = client_as(Role.OWNER).get(
        reverse("metrics:dashboard", args=[arabic_org.slug]),
        {"period": "custom", "from": "١٤٤٨/٦/١", "to": "1448-06-10"},
    )
    scope = response.context["scope"]
    assert (scope.date_from, scope.date_to) == (dt.date(2026, 11, 11), dt.date(2026, 11, 20))
    page_html = response.content.decode()
    assert 'value="١٤٤٨/٠٦/٠١"' in page_html and 'value="١٤٤٨/٠٦/١٠"' in page_html
    assert 'data-locale="ar-u-nu-arab"' in page_html


def test_the_period_presets_are_offered(client_as, persian_org):
    client = client_as(Role.OWNER)
    for page in ("metrics:dashboard", "metrics:interactions"):
        html = client.get(reverse(page, args=[persian_org.slug])).content.decode()
        for preset in ("week", "month", "last_month"):
            assert f'value="{preset}"' in html, (page, preset)
