"""The workforce API: forecasts, requirements, peaks and the staffing calculator."""

import pytest

from goaldesk.accounts.models import Role
from tests.api.conftest import ApiClient, make_token

BASE = "/api/v1/orgs/tehran/workforce"


@pytest.fixture
def manager_api(planned_org):
    return ApiClient(make_token(planned_org, Role.MANAGER))


@pytest.fixture
def viewer_api(planned_org):
    return ApiClient(make_token(planned_org, Role.VIEWER))


@pytest.mark.django_db
class TestWorkforceApi:
    def test_start_and_read_a_forecast(
        self, manager_api, viewer_api, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            started = manager_api.post(
                f"{BASE}/forecasts", {"interval_minutes": 30, "horizon_days": 7}
            )
        assert started.status_code == 202
        run_id = started.json()["id"]
        run = viewer_api.get(f"{BASE}/forecasts/{run_id}").json()
        assert run["state"] == "done" and run["percent"] == 100
        assert run["channels"][0]["method"] == "seasonal_naive"
        latest = viewer_api.get(f"{BASE}/forecast", {"channel": "phone"}).json()
        nine = [i for i in latest["intervals"] if i["start"].endswith("T09:00:00+03:30")]
        assert nine and all(i["forecast"] == pytest.approx(6) for i in nine)
        requirements = viewer_api.get(f"{BASE}/requirements").json()
        first = next(i for i in requirements["intervals"] if i["start"].endswith("T09:00:00+03:30"))
        assert (first["agents"], first["agents_with_shrinkage"]) == (2, 3)
        assert first["service_level"] == pytest.approx(0.8815, abs=1e-4)  # see test_forecast_run

    def test_viewers_cannot_start_forecasts(self, viewer_api):
        response = viewer_api.post(f"{BASE}/forecasts", {"interval_minutes": 30})
        assert response.status_code == 403

    def test_bad_interval_names_the_field(self, manager_api):
        response = manager_api.post(f"{BASE}/forecasts", {"interval_minutes": 20})
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "interval_minutes"

    def test_no_forecast_yet(self, viewer_api):
        assert viewer_api.get(f"{BASE}/forecast").json() == {"run": None, "intervals": []}

    def test_staffing_calculator(self, viewer_api):
        body = viewer_api.get(
            f"{BASE}/staffing", {"volume": 100, "aht_seconds": 180, "interval_minutes": 30}
        ).json()
        assert body["agents"] == 14
        assert body["service_level"] == pytest.approx(0.8884, abs=5e-5)

    def test_staffing_calculator_rejects_a_percentage(self, viewer_api):
        response = viewer_api.get(
            f"{BASE}/staffing", {"volume": 100, "aht_seconds": 180, "target_sl": 80}
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["field"] == "target_sl"
        assert response.json()["detail"][0]["message"] == (
            "target_sl must be a fraction between 0 and 1 (e.g. 0.8 for 80%), got 80.0."
        )

    @pytest.mark.parametrize(
        ("params", "field", "message"),
        [
            ({"aht_seconds": 0}, "aht_seconds", "aht_seconds must be a positive number of seconds, got 0.0."),
            ({"volume": -1}, "volume", "volume must be zero or more, got -1.0."),
            ({"patience_seconds": 60, "concurrency": 2}, "patience_seconds",
             "patience_seconds (Erlang A) and concurrency cannot be combined."),
        ],
    )  # fmt: skip
    def test_staffing_calculator_names_each_bad_field(self, viewer_api, params, field, message):
        query = {"volume": 100, "aht_seconds": 180} | params
        response = viewer_api.get(f"{BASE}/staffing", query)
        assert response.status_code == 422
        assert response.json()["detail"][0] == {"field": field, "message": message}

    def test_peaks(self, viewer_api):
        body = viewer_api.get(f"{BASE}/peaks").json()
        assert body["weekday_order"][0] == 6  # Saturday: the Tehran week
        hour9 = body["heatmap"][0][9]
        assert hour9 == pytest.approx(6)  # 6 calls 09:00–10:00 on every open Saturday
        assert any(s["holiday"] for s in body["special_days"])

    def test_another_organisations_token_gets_404(self, other_org):
        outsider = ApiClient(make_token(other_org, Role.OWNER))
        assert outsider.get(f"{BASE}/forecast").status_code == 404
