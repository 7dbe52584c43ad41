"""The metric catalogue and KPIs through the API."""

import datetime as dt
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goaldesk.api.metrics import _requested_language
from goaldesk.metrics.selectors import kpis_breakdown, kpis_for_period

BASE = "/api/v1/orgs/tehran/metrics"

#: The metric keys of METRICS.md, in its order (typed out from the document).
METRICS_MD_KEYS = [
    "contacts", "contacts_per_open_day", "customers_helped_per_day", "first_response_seconds",
    "first_response_business_seconds", "resolution_seconds", "resolution_business_seconds",
    "success_rate", "fcr_rate", "csat_pct", "csat_avg", "nps", "ces_avg", "recovery_rate",
    "returning_customer_rate", "service_level", "abandon_rate", "asa_seconds", "aht_seconds",
    "time_to_arrive_seconds", "time_to_fix_seconds", "review_rating_avg", "review_count",
    "qa_score", "survey_response_rate", "faq_visits", "faq_helpful_rate", "self_service_rate", "deflection_rate",
]  # fmt: skip


@pytest.fixture
def data(api):
    records = [
        {"external_id": "K-1", "channel": "phone", "created_at": "2026-03-02T09:00:00",
         "resolved_at": "2026-03-02T09:10:00", "csat": 5, "wait_seconds": 10, "team": "Phones"},
        {"external_id": "K-2", "channel": "phone", "created_at": "2026-03-02T10:00:00",
         "resolved_at": "2026-03-02T10:30:00", "csat": 3, "wait_seconds": 40, "team": "Phones"},
        {"external_id": "K-3", "channel": "email", "created_at": "2026-03-03T10:00:00",
         "status": "open", "csat": 4},
        {"external_id": "K-4", "channel": "email", "created_at": "2026-03-09T10:00:00"},
    ]  # fmt: skip
    assert (
        api.post("/api/v1/orgs/tehran/interactions/bulk", {"records": records}).json()["created"]
        == 4
    )


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@pytest.mark.django_db
class TestKpis:
    def test_values_worked_out_by_hand(self, api, data):
        response = api.get(f"{BASE}/kpis", {"from": "2026-03-02", "to": "2026-03-08"})
        assert response.status_code == 200
        body = response.json()
        assert body["from"] == "2026-03-02" and body["to"] == "2026-03-08"
        kpis = body["kpis"]
        assert list(kpis) == METRICS_MD_KEYS
        assert kpis["contacts"] == 3  # K-4 is after the period
        assert kpis["csat_avg"] == pytest.approx(4.0)  # (5 + 3 + 4) / 3
        assert kpis["csat_pct"] == pytest.approx(200 / 3)  # 5 and 4 of three answers
        assert kpis["resolution_seconds"]["mean"] == pytest.approx(1200)  # (600 + 1800) / 2
        assert kpis["service_level"] == pytest.approx(50.0)  # 10 s ≤ 20 s, 40 s > 20 s
        assert kpis["nps"] is None  # no data is null, never 0

    def test_matches_the_selector(self, api, data, org):
        for params in ({}, {"channel": "phone"}, {"team": "Phones"}):
            response = api.get(f"{BASE}/kpis", {"from": "2026-03-01", "to": "2026-03-31", **params})
            expected = kpis_for_period(
                organisation=org,
                date_from=dt.date(2026, 3, 1),
                date_to=dt.date(2026, 3, 31),
                filters=params or None,
            )
            assert response.json()["kpis"] == as_json(expected)
            assert response.json()["filters"] == params

    def test_breakdown_by_channel(self, api, data, org):
        response = api.get(
            f"{BASE}/kpis", {"from": "2026-03-01", "to": "2026-03-31", "by": "channel"}
        )
        rows = response.json()["rows"]
        assert {r["group"]: r["contacts"] for r in rows} == {"phone": 2, "email": 2}
        expected = kpis_breakdown(
            organisation=org,
            date_from=dt.date(2026, 3, 1),
            date_to=dt.date(2026, 3, 31),
            by="channel",
        )
        assert rows == as_json(expected)

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"to": "2026-03-31"}, "from"),
            ({"from": "2026-03-01"}, "to"),
            ({"from": "2026-02-30", "to": "2026-03-31"}, "from"),
            ({"from": "2026-03-01", "to": "31.03.2026"}, "to"),
            ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
            ({"from": "2026-03-01", "to": "2026-03-31", "by": "weather"}, "by"),
            ({"from": "2026-03-01", "to": "2026-03-31", "channel": "pigeon"}, "channel"),
            ({"from": "2026-03-01", "to": "2026-03-31", "team": "Nobody"}, "team"),
        ],
    )
    def test_bad_parameters_name_the_field(self, api, data, params, field):
        response = api.get(f"{BASE}/kpis", params)
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert detail[0]["field"] == field
        assert detail[0]["message"]

    def test_persian_digits_in_dates(self, api, data):
        response = api.get(f"{BASE}/kpis", {"from": "۲۰۲۶-۰۳-۰۲", "to": "٢٠٢٦-٠٣-٠٨"})
        assert response.json()["kpis"]["contacts"] == 3


@pytest.mark.django_db
class TestPeriodBounds:
    """A period longer than the settings allow, or outside 1900–2100, is refused fast."""

    def test_by_day_over_400_days_is_422_saying_the_limit(self, viewer_api, data):
        # 2025-02-01 .. 2026-03-07 is 400 days (365 + 35); one more day is refused.
        allowed = viewer_api.get(
            f"{BASE}/kpis", {"from": "2025-02-01", "to": "2026-03-07", "by": "day"}
        )
        assert allowed.status_code == 200
        assert len(allowed.json()["rows"]) == 400
        refused = viewer_api.get(
            f"{BASE}/kpis", {"from": "2025-01-31", "to": "2026-03-07", "by": "day"}
        )
        assert refused.status_code == 422
        [problem] = refused.json()["detail"]
        assert problem["field"] == "to"
        assert "401 days" in problem["message"] and "400 days" in problem["message"]

    def test_totals_over_five_years_are_422_saying_the_limit(self, viewer_api, data):
        # 2021-03-08 .. 2026-03-08 is 1,827 days (five years with the leap days of 2024 and
        # the 8th counted twice); by channel the limit is the same as without `by`.
        for by in ("", "channel"):
            params = {"to": "2026-03-08", "by": by}
            ok = viewer_api.get(f"{BASE}/kpis", {"from": "2021-03-08", **params})
            assert ok.status_code == 200
            refused = viewer_api.get(f"{BASE}/kpis", {"from": "2021-03-07", **params})
            assert refused.status_code == 422
            assert "1827 days" in refused.json()["detail"][0]["message"]

    def test_the_limits_are_settings(self, viewer_api, data, settings):
        settings.GOALDESK_MAX_DAYS_BY_DAY = 7
        params = {"from": "2026-03-01", "to": "2026-03-08", "by": "day"}
        response = viewer_api.get(f"{BASE}/kpis", params)
        assert response.status_code == 422
        assert "at most 7 days" in response.json()["detail"][0]["message"]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"from": "0001-01-01", "to": "2026-12-31", "by": "day"}, "from"),
            ({"from": "1899-12-31", "to": "1900-01-31"}, "from"),
            ({"from": "2026-01-01", "to": "9999-12-31"}, "to"),
            ({"from": "2026-01-01", "to": "2101-01-01"}, "to"),
        ],
    )
    def test_days_outside_1900_to_2100_are_422(self, viewer_api, data, params, field):
        response = viewer_api.get(f"{BASE}/kpis", params)
        assert response.status_code == 422
        [problem] = response.json()["detail"]
        assert problem["field"] == field
        assert "1900-01-01" in problem["message"] and "2100-12-31" in problem["message"]

    def test_a_long_period_is_refused_before_any_metric_query(self, viewer_api, data):
        def queries(params):
            with CaptureQueriesContext(connection) as captured:
                response = viewer_api.get(f"{BASE}/kpis", params)
            assert response.status_code == 422
            return len(captured)

        # A period that ends before it starts is refused after reading only the token and the
        # organisation; a too long one must cost no more. (The first call also notes the
        # token's use, so it is left out of the count.)
        queries({"from": "2026-03-02", "to": "2026-03-01"})
        backwards = queries({"from": "2026-03-02", "to": "2026-03-01", "by": "day"})
        assert backwards <= 2
        assert queries({"from": "1901-01-01", "to": "2100-12-31", "by": "day"}) == backwards
        assert queries({"from": "1901-01-01", "to": "2100-12-31"}) == backwards


@pytest.mark.django_db
class TestCatalogue:
    def test_every_metric_with_its_reading(self, viewer_api):
        response = viewer_api.get(BASE)
        assert response.status_code == 200
        metrics = {m["key"]: m for m in response.json()}
        assert list(metrics) == METRICS_MD_KEYS
        assert metrics["csat_pct"]["unit"] == "percent"
        assert metrics["csat_pct"]["better"] == "higher"
        assert metrics["ces_avg"]["better"] == "lower"
        assert metrics["contacts"]["better"] is None
        assert metrics["resolution_seconds"]["aggregates"] == ["mean", "median", "p90"]
        assert all(m["name"] and m["description"] for m in metrics.values())

    def test_requires_a_token(self, org):
        from django.test import Client

        assert Client().get(BASE).status_code == 401

    @pytest.mark.parametrize(
        ("header", "language"),
        [
            ("fa-IR,fa;q=0.9,en;q=0.5", "fa"),
            ("xx-YY, de;q=0.7", "de"),
            ("ar-AE", "ar"),
        ],
    )
    def test_accept_language_chooses_the_language(self, rf, header, language):
        request = rf.get("/", headers={"Accept-Language": header})
        assert _requested_language(request) == language
