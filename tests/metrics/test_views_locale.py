"""The dashboard and the interactions list for Persian and Arabic readers: the locale's digits,
minus and percent signs in figures and charts, names isolated, codes left-to-right, arrows that
turn in right-to-left pages."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse

import goaldesk
from goaldesk.accounts.models import Role
from goaldesk.interactions.models import Interaction
from tests.factories import AgentFactory
from tests.metrics.conftest import at, make_interaction

pytestmark = pytest.mark.django_db

LRM, ALM, MINUS = "\u200e", "\u061c", "\u2212"


@pytest.fixture
def filled(org):
    """Three phone contacts on 3 March 2026 (CSAT 3, 4, 5), one e-mail on 4 March (CSAT 1)."""
    agent = AgentFactory(organisation=org, key="a-17", name="Sara Ahmadi")
    for n in range(3):
        t = at("2026-03-03", f"1{n}:00", "Asia/Tehran")
        make_interaction(
            org,
            external_id=f"P{n}",
            channel="phone",
            created_at=t,
            csat=n + 3,
            agent=agent,
            resolved_at=t + dt.timedelta(minutes=10),
        )
    make_interaction(
        org,
        external_id="E1",
        channel="email",
        created_at=at("2026-03-04", "09:00", "Asia/Tehran"),
        category="billing",
        csat=1,
    )
    return org


def _rows(response):
    return {row["metric"].key: row for row in response.context["rows"]}


def test_a_fall_on_a_persian_dashboard_reads_minus_then_the_number(client_as, filled):
    filled.language = "fa"
    filled.save()
    dashboard = reverse("metrics:dashboard", args=[filled.slug])
    response = client_as(Role.VIEWER).get(dashboard, {"from": "2026-03-04", "to": "2026-03-04"})
    rows = _rows(response)
    # contacts: 1 on 4 March against 3 the day before, (1 - 3) / 3 = -67 %
    assert rows["contacts"]["change"]["text"] == LRM + MINUS + "۶۷٪"
    # CSAT: 0 % against 66.7 %, a fall of 66.7 percentage points
    assert rows["csat_pct"]["change"]["text"].startswith(LRM + MINUS + "۶۶٫۷")
    html = response.content.decode()
    assert LRM + MINUS + "۶۷٪" in html
    assert "67-" not in html and "۶۷-" not in html
    # the charts format their axes and tooltips with the same locale
    assert 'data-number-locale="fa"' in html


def test_arabic_indic_digits_and_the_arabic_percent_sign_where_the_organisation_chooses_them(
    client_as, filled
):
    filled.language = "ar"
    filled.arabic_indic_digits = True
    filled.save()
    dashboard = reverse("metrics:dashboard", args=[filled.slug])
    client = client_as(Role.VIEWER)
    response = client.get(dashboard, {"from": "2026-03-03", "to": "2026-03-04"})
    rows = _rows(response)
    assert rows["csat_pct"]["display"] == "٥٠٫٠٪" + ALM  # 4 and 5 of 3, 4, 5, 1: 50 %
    assert rows["contacts"]["display"] == "٤"
    html = response.content.decode()
    assert 'data-number-locale="ar-u-nu-arab"' in html
    filled.arabic_indic_digits = False
    filled.save()
    response = client.get(dashboard, {"from": "2026-03-03", "to": "2026-03-04"})
    assert _rows(response)["csat_pct"]["display"] == "50.0" + LRM + "%" + LRM
    assert 'data-number-locale="ar-u-nu-latn"' in response.content.decode()


def test_the_interactions_list_isolates_names_and_keeps_ids_left_to_right(client_as, filled):
    filled.language = "fa"
    filled.save()
    listing = reverse("metrics:interactions", args=[filled.slug])
    html = (
        client_as(Role.VIEWER)
        .get(listing, {"from": "2026-03-01", "to": "2026-03-31"})
        .content.decode()
    )
    assert "<td><bdi>Sara Ahmadi</bdi></td>" in html
    assert "<td><bdi>صورت‌حساب</bdi></td>" in html  # the category "billing", by its Persian name
    assert re.search(r'<a href="[^"]+" class="code">P0</a>', html)


def test_the_back_link_arrow_turns_in_right_to_left_pages(client_as, filled):
    filled.language = "fa"
    filled.save()
    interaction = Interaction.objects.get(organisation=filled, external_id="E1")
    page = client_as(Role.VIEWER).get(
        reverse("interactions:detail", args=[filled.slug, interaction.pk])
    )
    html = page.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert '<span class="flip" aria-hidden="true">←</span>' in html
    assert '<span class="code">E1</span>' in html  # the ID in the title stays left-to-right
    # the rule that turns it: a transform needs a box, so the span is an inline block
    css = (Path(goaldesk.__file__).parent / "static" / "goaldesk" / "app.css").read_text()
    assert ".flip { display: inline-block; }" in css
    assert "[dir=rtl] .flip { transform: scaleX(-1); }" in css
