"""The planning pages: forecast, peaks, staffing with what-if, who may change what."""

import pytest
from django.urls import reverse

from goaldesk.forecasting.models import RequirementInterval, StaffingInputs
from goaldesk.forecasting.selectors import forecast_run_latest


@pytest.fixture
def planned(planned_org, make_run):
    make_run(organisation=planned_org, interval_minutes=30, horizon_days=14)
    return planned_org


@pytest.mark.django_db
class TestPages:
    def test_forecast_page_shows_methods_and_chart_data(self, planned, client_as):
        body = (
            client_as("viewer")
            .get(reverse("forecasting:home", args=[planned.slug]))
            .content.decode()
        )
        assert "Seasonal naive" in body and "WAPE" in body and "MASE" in body
        assert 'id="forecast-data"' in body
        assert "Run a new forecast" not in body  # viewers read only

    def test_forecast_accuracy_terms_are_explained_on_the_page(self, planned, client_as):
        body = (
            client_as("viewer")
            .get(reverse("forecasting:home", args=[planned.slug]))
            .content.decode()
        )
        # Visible without hovering: a disclosure with both terms spelled out.
        assert "<summary>What WAPE and MASE mean</summary>" in body
        assert "<dd>Weighted absolute percentage error: total forecast error over total" in body
        assert "<dd>Mean absolute scaled error: below 1 beats repeating last week." in body
        assert '<abbr title="Weighted absolute percentage error' in body

    def test_managers_see_the_forecast_form(self, planned, client_as):
        body = (
            client_as("manager")
            .get(reverse("forecasting:home", args=[planned.slug]))
            .content.decode()
        )
        assert "Run a new forecast" in body

    def test_peaks_page_in_persian_starts_the_week_on_saturday(self, planned, client_as):
        client = client_as("viewer")
        client.cookies["django_language"] = "fa"
        body = client.get(reverse("forecasting:peaks", args=[planned.slug])).content.decode()
        assert 'dir="rtl"' in body
        heat = body[body.index('class="heatmap"') : body.index("</table>", body.index("heatmap"))]
        # Friday is the weekend: the first row is Saturday (شنبه), Friday (جمعه) last.
        rows = heat.split("<tr")[2:]
        assert "شنبه" in rows[0] and "یکشنبه" not in rows[0]
        assert "جمعه" in rows[-1]

    def test_staffing_page_peak_hand_worked(self, planned, client_as):
        body = (
            client_as("viewer")
            .get(reverse("forecasting:staffing", args=[planned.slug]))
            .content.decode()
        )
        # 6 calls/30 min at 180 s, 80 % in 20 s: 2 agents at the peak (see test_forecast_run).
        assert 'data-testid="peak">2<' in body

    def test_what_if_moves_the_requirement_without_saving(self, planned, client_as):
        url = reverse("forecasting:staffing_preview", args=[planned.slug])
        params = {
            "channel": "phone", "target_sl": "80", "target_seconds": "20", "shrinkage": "30",
            "max_occupancy": "85", "concurrency": "1", "response_hours": "4",
        }  # fmt: skip
        client = client_as("viewer")
        base = client.get(url, {**params, "aht_seconds": ""}).content.decode()
        assert 'data-testid="peak">2<' in base
        # AHT 900 s: A = 6·900/1800 = 3 Erlangs. 4 agents: C = 0.509, SL = 1 − C·e^(−20/900) =
        # 50.2 %; 5 agents: C = 0.236, SL = 1 − 0.236·e^(−40/900) = 77.4 %; 6 agents:
        # C = 0.099, SL = 90.7 % — 6 agents.
        longer = client.get(url, {**params, "aht_seconds": "۹۰۰"}).content.decode()
        assert 'data-testid="peak">6<' in longer
        assert not StaffingInputs.objects.exists()

    def test_what_if_with_a_bad_value_says_which(self, planned, client_as):
        url = reverse("forecasting:staffing_preview", args=[planned.slug])
        body = (
            client_as("viewer").get(url, {"channel": "phone", "target_sl": "abc"}).content.decode()
        )
        assert (
            "Service-level target (%): Enter a number." in body and 'data-testid="peak">2<' in body
        )

    def test_saving_inputs_updates_the_plan(self, planned, client_as):
        run = forecast_run_latest(organisation=planned)
        before = max(RequirementInterval.objects.filter(run=run).values_list("agents", flat=True))
        assert before == 2
        response = client_as("manager").post(
            reverse("forecasting:staffing", args=[planned.slug]),
            {
                "channel": "phone", "target_sl": "80", "target_seconds": "20", "aht_seconds": "900",
                "shrinkage": "0", "max_occupancy": "100", "concurrency": "1", "response_hours": "4",
            },
        )  # fmt: skip
        assert response.status_code == 302
        saved = StaffingInputs.objects.get(organisation=planned, channel="phone")
        assert saved.aht_seconds == 900
        after = RequirementInterval.objects.filter(run=run)
        assert max(r.agents for r in after) == 6
        assert max(r.agents_with_shrinkage for r in after) == 6

    def test_agents_cannot_save_inputs(self, planned, client_as):
        response = client_as("agent").post(
            reverse("forecasting:staffing", args=[planned.slug]), {"channel": "phone"}
        )
        assert response.status_code == 403
        assert not StaffingInputs.objects.exists()
