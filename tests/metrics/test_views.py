"""The dashboard, its breakdowns (HTML and CSV), the interactions list and detail pages."""

import csv
import datetime as dt
import io
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role
from goaldesk.metrics.scope import PERIODS
from tests.factories import AgentFactory, TeamFactory
from tests.metrics.conftest import at, make_interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(org):
    """org (Asia/Tehran) with a few interactions on 3 and 4 March 2026."""
    for n in range(3):
        t = at("2026-03-03", f"1{n}:00", "Asia/Tehran")
        make_interaction(
            org,
            external_id=f"P{n}",
            channel="phone",
            created_at=t,
            wait_seconds=5 * n,
            csat=n + 3,
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


def dash(org):
    return reverse("metrics:dashboard", args=[org.slug])


def test_anonymous_is_sent_to_sign_in(client, org):
    for url in (
        dash(org),
        reverse("metrics:interactions", args=[org.slug]),
        reverse("metrics:breakdown", args=[org.slug, "channel"]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_other_organisation_gets_404(outsider_client, filled):
    interaction = filled.interactions.first()
    for url in (
        dash(filled),
        reverse("metrics:interactions", args=[filled.slug]),
        reverse("metrics:breakdown", args=[filled.slug, "agent"]),
        reverse("interactions:detail", args=[filled.slug, interaction.pk]),
    ):
        assert outsider_client.get(url).status_code == 404


def test_detail_of_another_organisations_interaction_is_404(client_as, filled, other_org):
    foreign = make_interaction(other_org, external_id="F", created_at=at("2026-03-03"))
    client = client_as(Role.VIEWER)
    assert (
        client.get(reverse("interactions:detail", args=[filled.slug, foreign.pk])).status_code
        == 404
    )
    own = filled.interactions.get(external_id="E1")
    page = client.get(reverse("interactions:detail", args=[filled.slug, own.pk]))
    assert page.status_code == 200
    assert "<bdi>Billing</bdi>" in page.content.decode()  # its category by name, not key


@pytest.mark.parametrize("period", [value for value, _ in PERIODS if value != "custom"])
def test_dashboard_renders_for_every_period(client_as, filled, period):
    response = client_as(Role.VIEWER).get(dash(filled), {"period": period})
    assert response.status_code == 200
    scope = response.context["scope"]
    days = {"today": 1, "7": 7, "30": 30, "90": 90}.get(period)
    if days:
        assert scope.days == days
    previous_from, previous_to = scope.previous
    if period in (
        "month",
        "last_month",
    ):  # compared with the month before (tests/metrics/test_scope.py)
        assert previous_to < scope.date_from
    else:
        assert previous_to == scope.date_from - dt.timedelta(days=1)
        assert (previous_to - previous_from).days + 1 == scope.days


def test_dashboard_custom_period_numbers_and_chart_data(client_as, filled):
    response = client_as(Role.VIEWER).get(dash(filled), {"from": "2026-03-03", "to": "2026-03-04"})
    assert response.status_code == 200
    rows = {row["metric"].key: row for row in response.context["rows"]}
    assert rows["contacts"]["display"] == "4"
    assert rows["csat_pct"]["display"] == "50.0 %"  # 4 and 5 of 3, 4, 5, 1
    data = json.loads(response.context["chart_data"] and json.dumps(response.context["chart_data"]))
    assert data["channels"][0]["data"] == [3, 0]  # phone on 3 March
    html = response.content.decode()
    assert 'id="dashboard-data"' in html
    assert "goaldesk/dashboard.js" in html


def test_dashboard_accepts_persian_digits_and_jalali_dates(client_as, filled):
    # ۱۴۰۴/۱۲/۱۲ is 3 March 2026.
    response = client_as(Role.VIEWER).get(dash(filled), {"from": "۱۴۰۴/۱۲/۱۲", "to": "۲۰۲۶-۰۳-۰۳"})
    assert response.context["scope"].date_from == dt.date(2026, 3, 3)
    assert response.context["rows"][0]["display"] == "3"


def test_bad_dates_are_explained(client_as, filled):
    response = client_as(Role.VIEWER).get(dash(filled), {"from": "yesterday"})
    assert response.status_code == 200
    assert "is not a date" in response.content.decode()


def test_previous_period_change_is_coloured_by_direction(client_as, filled):
    response = client_as(Role.VIEWER).get(dash(filled), {"from": "2026-03-04", "to": "2026-03-04"})
    rows = {row["metric"].key: row for row in response.context["rows"]}
    # CSAT fell from 66.7 % (3 March) to 0 % (4 March): a bad change.
    assert rows["csat_pct"]["change"]["tone"] == "bad"
    assert rows["contacts"]["change"]["tone"] == ""  # neither direction is better


def test_drilldown_links_show_the_interactions_behind_a_number(client_as, filled):
    client = client_as(Role.VIEWER)
    response = client.get(
        dash(filled), {"from": "2026-03-03", "to": "2026-03-04", "channel": "phone"}
    )
    rows = {row["metric"].key: row for row in response.context["rows"]}
    href = rows["csat_pct"]["href"]
    query = parse_qs(urlparse(href).query)
    assert query == {
        "from": ["2026-03-03"],
        "to": ["2026-03-04"],
        "channel": ["phone"],
        "metric": ["csat_pct"],
    }
    listing = client.get(href)
    assert listing.status_code == 200
    shown = {i.external_id for i in listing.context["page"].object_list}
    assert shown == {"P0", "P1", "P2"}
    assert rows["review_count"]["href"] is None


def test_interactions_list_filters_and_paginates_without_n_plus_one(
    client_as, filled, django_assert_max_num_queries
):
    team = TeamFactory(organisation=filled)
    for n in range(60):
        agent = AgentFactory(organisation=filled, team=team)
        make_interaction(
            filled,
            external_id=f"M{n}",
            created_at=at("2026-03-05", "10:00"),
            status="open",
            agent=agent,
            team=team,
        )
    client = client_as(Role.VIEWER)
    url = reverse("metrics:interactions", args=[filled.slug])
    # 50 rows with agent and team: no N+1 (the 16th query is the bell's unread count)
    # the 17th: the segment filter's options; 18–20: the count from the day summaries (their
    # stamps, the settings they were built with, the days not built yet)
    with django_assert_max_num_queries(20):
        page = client.get(url, {"from": "2026-03-01", "to": "2026-03-31"})
    assert page.context["page"].paginator.count == 64
    assert len(page.context["page"].object_list) == 50
    second = client.get(url, {"from": "2026-03-01", "to": "2026-03-31", "page": 2})
    assert len(second.context["page"].object_list) == 14
    resolved = client.get(url, {"from": "2026-03-01", "to": "2026-03-31", "status": "resolved"})
    assert resolved.context["page"].paginator.count == 3
    billing = client.get(url, {"from": "2026-03-01", "to": "2026-03-31", "category": "billing"})
    assert [i.external_id for i in billing.context["page"].object_list] == ["E1"]


def test_breakdown_fragment_and_csv(client_as, filled):
    client = client_as(Role.VIEWER)
    params = {"from": "2026-03-03", "to": "2026-03-04"}
    fragment = client.get(reverse("metrics:breakdown", args=[filled.slug, "channel"]), params)
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "Phone" in html and "E-mail" in html
    assert "channel=phone" in html  # each number links to its interactions
    response = client.get(
        reverse("metrics:breakdown", args=[filled.slug, "channel"]), params | {"format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by = {row["group"]: row for row in rows}
    assert by["phone"]["contacts"] == "3"
    assert float(by["phone"]["csat_avg"]) == pytest.approx(4.0)
    assert float(by["phone"]["first_response_seconds_median"]) == pytest.approx(5.0)
    assert by["phone"]["first_response_seconds_count"] == "3"
    assert by["email"]["first_response_seconds_mean"] == ""
    day = client.get(
        reverse("metrics:breakdown", args=[filled.slug, "day"]), params | {"format": "csv"}
    )
    assert [r["contacts"] for r in csv.DictReader(io.StringIO(day.content.decode()))] == ["3", "1"]


def test_unknown_breakdown_is_404(client_as, filled):
    assert (
        client_as().get(reverse("metrics:breakdown", args=[filled.slug, "moon"])).status_code == 404
    )


# --- periods too long or outside 1900–2100: a message and the default period ----------------


def _is_default_period(scope, org) -> bool:
    from goaldesk.accounts.models import today_in

    return scope.period == "30" and scope.days == 30 and scope.date_to == today_in(org)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_dashboard_over_400_days_says_the_limit_and_shows_the_default_period(client_as, filled):
    client = client_as(Role.VIEWER)
    # 2025-02-01 .. 2026-03-07 is 400 days: shown as asked.
    allowed = client.get(dash(filled), {"from": "2025-02-01", "to": "2026-03-07"})
    assert allowed.context["scope"].days == 400
    assert _messages(allowed) == []
    refused = client.get(dash(filled), {"from": "2025-01-31", "to": "2026-03-07"})
    assert refused.status_code == 200
    assert _is_default_period(refused.context["scope"], filled)
    [message] = _messages(refused)
    assert "401 days" in message and "at most 400 days" in message
    assert message in refused.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-01-01", "to": "9999-12-31"},
        {"from": "0001-01-01", "to": "2026-12-31"},
        {"from": "1899-12-31", "to": "1900-01-01"},
        {"from": "2101-01-01"},
    ],
)
def test_dashboard_days_outside_1900_to_2100_are_explained(client_as, filled, params):
    response = client_as(Role.VIEWER).get(dash(filled), params)
    assert response.status_code == 200
    assert _is_default_period(response.context["scope"], filled)
    [message] = _messages(response)
    assert "1900-01-01" in message and "2100-12-31" in message


def test_a_period_that_ends_before_it_starts_falls_back_entirely(client_as, filled):
    response = client_as(Role.VIEWER).get(dash(filled), {"from": "2026-03-05", "to": "2026-03-02"})
    assert _is_default_period(response.context["scope"], filled)


def test_breakdown_by_day_over_400_days_says_the_limit(client_as, filled):
    client = client_as(Role.VIEWER)
    url = reverse("metrics:breakdown", args=[filled.slug, "day"])
    params = {"from": "0001-01-01", "to": "2026-12-31"}
    fragment = client.get(url, params)
    assert fragment.status_code == 200
    assert "1900-01-01" in fragment.content.decode()  # the message, in the fragment itself
    long = client.get(url, {"from": "2025-01-31", "to": "2026-03-07"})
    assert "at most 400 days" in long.content.decode()
    csv_file = client.get(url, {"from": "2025-01-31", "to": "2026-03-07", "format": "csv"})
    assert csv_file.status_code == 400
    assert "at most 400 days" in csv_file.content.decode()


def test_breakdown_by_channel_takes_up_to_five_years(client_as, filled):
    client = client_as(Role.VIEWER)
    url = reverse("metrics:breakdown", args=[filled.slug, "channel"])
    # 2021-03-08 .. 2026-03-08 is 1,827 days; a day more is refused.
    allowed = client.get(url, {"from": "2021-03-08", "to": "2026-03-08", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(allowed.content.decode())))
    assert {row["group"]: row["contacts"] for row in rows} == {"phone": "3", "email": "1"}
    refused = client.get(url, {"from": "2021-03-07", "to": "2026-03-08"})
    assert "at most 1827 days" in refused.content.decode()


def test_interactions_list_over_five_years_says_the_limit(client_as, filled):
    url = reverse("metrics:interactions", args=[filled.slug])
    client = client_as(Role.VIEWER)
    allowed = client.get(url, {"from": "2021-03-08", "to": "2026-03-08"})
    assert allowed.context["page"].paginator.count == 4
    refused = client.get(url, {"from": "2021-03-07", "to": "2026-03-08"})
    assert _is_default_period(refused.context["scope"], filled)
    assert any("at most 1827 days" in m for m in _messages(refused))


def test_the_day_by_day_csv_names_each_day_in_the_readers_calendar(client_as, filled):
    filled.language = "fa"
    filled.calendar = "jalali"
    filled.save()
    response = client_as(Role.VIEWER).get(
        reverse("metrics:breakdown", args=[filled.slug, "day"]),
        {"from": "2026-03-03", "to": "2026-03-04", "format": "csv"},
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # 3 March 2026 is 12 Esfand 1404 (1 Farvardin 1405 is 21 March; Esfand 1404 has 29 days).
    assert [(r["group"], r["label"]) for r in rows] == [
        ("2026-03-03", "۱۴۰۴/۱۲/۱۲"),
        ("2026-03-04", "۱۴۰۴/۱۲/۱۳"),
    ]


def test_a_change_is_visible_in_the_figures_and_nps_changes_in_points(client_as, org):
    tz = org.timezone
    # 3 March: first response after 100 s (1 min 40 s); NPS answers 10, 0, 0, 0: 25 % promoters
    # − 75 % detractors = −50. 4 March: first response after 65 s (1 min 5 s), −35 %; NPS answers
    # 10, 10, 10, 0: 75 % − 25 % = +50, a rise of 100 points (not "+200 %").
    for n, score in enumerate((10, 0, 0, 0)):
        start = at("2026-03-03", f"1{n}:00", tz)
        make_interaction(
            org,
            external_id=f"A{n}",
            created_at=start,
            nps=score,
            first_response_at=start + dt.timedelta(seconds=100) if n == 0 else None,
        )
    for n, score in enumerate((10, 10, 10, 0)):
        start = at("2026-03-04", f"1{n}:00", tz)
        make_interaction(
            org,
            external_id=f"B{n}",
            created_at=start,
            nps=score,
            first_response_at=start + dt.timedelta(seconds=65) if n == 0 else None,
        )
    response = client_as(Role.VIEWER).get(dash(org), {"from": "2026-03-04", "to": "2026-03-04"})
    rows = {row["metric"].key: row for row in response.context["rows"]}
    first = rows["first_response_seconds"]
    assert (first["display"], first["previous"]) == ("1 min 5 s", "1 min 40 s")
    assert first["change"] == {"text": "-35 %", "tone": "good"}
    assert rows["nps"]["change"]["text"] == "+100.0 pts"
    html = response.content.decode()
    assert "1 min 5 s" in html and "1 min 40 s" in html and "+100.0 pts" in html
