"""The forecast job: progress, chosen methods, closed intervals, holidays, the saved plan."""

import datetime as dt

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Holiday, today_in
from goaldesk.forecasting.models import ForecastInterval, ForecastRun, RequirementInterval
from goaldesk.forecasting.selectors import forecast_run_latest, requirement_for_week
from goaldesk.forecasting.services import forecast_run_create, forecast_run_execute


@pytest.mark.django_db
class TestForecastRun:
    def test_job_runs_to_done_with_every_method_scored(self, planned_org, make_run):
        run = make_run(organisation=planned_org, interval_minutes=30, horizon_days=14)
        run.refresh_from_db()  # ran at commit (immediate backend)
        assert run.state == ForecastRun.State.DONE, run.error
        # One channel: 3 methods + 1 forecast step, plus the requirement.
        assert run.steps_total == 5 and run.steps_done == 5 and run.percent == 100
        (summary,) = run.channels
        assert summary["channel"] == "phone"
        assert [m["method"] for m in summary["methods"]] == [
            "seasonal_naive",
            "weekday_mean",
            "robust_seasonal",
        ]
        # The demand is the same every open day: every method forecasts it exactly.
        assert all(m["wape"] == 0 for m in summary["methods"])
        assert summary["method"] == "seasonal_naive"  # ties go to the simplest
        assert summary["aht_seconds"] == 180
        assert run.first_day == today_in(planned_org)

    def test_forecast_values_closed_hours_and_holidays(self, planned_org, make_run):
        today = today_in(planned_org)
        future_holiday = today + dt.timedelta(days=(6 - today.isoweekday()) % 7 or 7)  # a Saturday
        Holiday.objects.create(organisation=planned_org, date=future_holiday, name="Future")
        make_run(organisation=planned_org, interval_minutes=30, horizon_days=14)
        run = forecast_run_latest(organisation=planned_org)
        tz = planned_org.tzinfo
        rows = {
            (r.start.astimezone(tz).date(), r.start.astimezone(tz).strftime("%H:%M")): r.forecast
            for r in ForecastInterval.objects.filter(run=run)
        }
        for offset in range(14):
            day = today + dt.timedelta(days=offset)
            if day.isoweekday() == 5 or day == future_holiday:
                assert not any(k[0] == day for k in rows), day  # closed: nothing forecast
            else:
                assert rows[(day, "09:00")] == pytest.approx(6)
                assert rows[(day, "10:00")] == pytest.approx(3)
                assert rows[(day, "16:30")] == pytest.approx(1)
                assert (day, "12:00") not in rows  # open but never busy: 0
                assert (day, "17:00") not in rows  # closed

    def test_requirement_is_saved_and_readable_per_week(self, planned_org, make_run):
        make_run(organisation=planned_org, interval_minutes=30, horizon_days=14)
        run = forecast_run_latest(organisation=planned_org)
        week = requirement_for_week(organisation=planned_org, week_start=run.first_day)
        assert week, "a requirement for the first week"
        starts = [start for start, _channel, _agents in week]
        assert starts == sorted(starts)
        assert all(start.tzinfo is not None for start in starts)
        first_09 = next(item for item in week if item[0].strftime("%H:%M") == "09:00")
        # 6 calls in 30 min at 180 s: 0.6 Erlangs. Erlang C, 80% in 20 s: 2 agents
        # (1 agent: P(wait) 0.6, SL = 1 - 0.6·e^(-0.4·20/180) = 42.6%; 2 agents: C = 0.1385, SL = 1 - 0.1385·e^(-1.4·20/180) = 88.1%).
        # With the default 30% shrinkage: ceil(2 / 0.7) = 3 people to schedule.
        assert first_09[1:] == ("phone", 3)
        net = requirement_for_week(
            organisation=planned_org, week_start=run.first_day, with_shrinkage=False
        )
        assert next(i for i in net if i[0] == first_09[0])[2] == 2

    def test_a_newer_run_replaces_the_plan(self, planned_org, make_run):
        first = make_run(organisation=planned_org, interval_minutes=30, horizon_days=7)
        second = make_run(organisation=planned_org, interval_minutes=60, horizon_days=7)
        assert forecast_run_latest(organisation=planned_org).pk == second.pk
        assert not ForecastInterval.objects.filter(run=first).exists()
        assert not RequirementInterval.objects.filter(run=first).exists()
        assert ForecastInterval.objects.filter(run=second).exists()

    def test_no_history_fails_with_a_reason(self, org, make_run):
        run = make_run(organisation=org, interval_minutes=30, horizon_days=7)
        run.refresh_from_db()
        assert run.state == ForecastRun.State.FAILED
        assert "no interactions" in run.error

    def test_progress_page_polls_until_done(self, planned_org, client_as, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        client = client_as("viewer")
        run = forecast_run_create(organisation=planned_org, interval_minutes=30, horizon_days=7)
        url = reverse("forecasting:run_progress", args=[planned_org.slug, run.pk])
        waiting = client.get(url, headers={"HX-Request": "true"})
        body = waiting.content.decode()
        assert 'hx-trigger="every 1s"' in body and "Waiting for a worker" in body
        assert "HX-Refresh" not in waiting
        forecast_run_execute(run.pk)
        done = client.get(url, headers={"HX-Request": "true"})
        assert done["HX-Refresh"] == "true"
        assert 'aria-valuenow="100"' in done.content.decode()
        page = client.get(reverse("forecasting:run", args=[planned_org.slug, run.pk]))
        assert "Seasonal naive" in page.content.decode()

    def test_progress_moves_while_running(self, planned_org, settings, monkeypatch):
        """Each method's backtest advances the progress visibly (written outside the job's
        transaction)."""
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        from goaldesk.forecasting import services

        seen = []
        original = services._progress

        def spy(run, done, label):
            original(run, done, label)
            seen.append(ForecastRun.objects.get(pk=run.pk).steps_done)

        monkeypatch.setattr(services, "_progress", spy)
        run = forecast_run_create(organisation=planned_org, interval_minutes=30, horizon_days=7)
        forecast_run_execute(run.pk)
        assert seen == sorted(seen) and seen[-1] == 4 and len(set(seen)) == 5

    def test_managers_start_forecasts_from_the_page(
        self, planned_org, client_as, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_as("manager").post(
                reverse("forecasting:forecast_start", args=[planned_org.slug]),
                {"interval_minutes": "30", "horizon_days": "۱۴"},  # Persian digits
            )
        run = ForecastRun.objects.get()
        assert response.status_code == 302 and str(run.pk) in response["Location"]
        assert run.horizon_days == 14 and run.state == ForecastRun.State.DONE

    def test_a_horizon_beyond_eight_weeks_is_refused(self, planned_org, client_as):
        client = client_as("manager")
        response = client.post(
            reverse("forecasting:forecast_start", args=[planned_org.slug]),
            {"interval_minutes": "30", "horizon_days": "57"},
            follow=True,
        )
        assert not ForecastRun.objects.exists()
        assert "Days ahead" in response.content.decode()
