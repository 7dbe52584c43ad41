"""Background jobs: how far they are, how they move from state to state, and the progress bar
each job's page polls (one partial for imports, forecasts and schedules)."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from goaldesk.accounts.models import Role
from goaldesk.core.jobs import job_mark_done, job_mark_failed, job_mark_progress, job_mark_running
from goaldesk.core.models import JobState
from goaldesk.forecasting.models import ForecastRun
from goaldesk.interactions.models import ImportJob
from goaldesk.scheduling.models import Schedule

WEEK = dt.date(2026, 3, 7)


def import_job(org, **fields):
    return ImportJob.objects.create(organisation=org, original_name="calls.csv", **fields)


def forecast(org, **fields):
    return ForecastRun.objects.create(organisation=org, **fields)


def schedule(org, **fields):
    return Schedule.objects.create(organisation=org, week_start=WEEK, **fields)


# --- percent --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "done", "total", "percent"),
    [
        ("running", 50, 200, 25),
        ("running", 1, 3, 33),  # 33.3 rounds down
        ("running", 2, 3, 67),  # 66.7 rounds up
        ("running", 250, 200, 100),  # the estimate was short: never past 100
        ("running", 40, None, 0),  # not counted yet
        ("done", 0, None, 100),  # an empty file is done at once
        ("failed", 3, 12, 25),  # a failed import shows how far it came
    ],
)
def test_an_import_is_as_far_as_its_rows(org, state, done, total, percent):
    job = import_job(org, state=state, rows_done=done, rows_total=total)
    assert job.percent == percent


@pytest.mark.parametrize(
    ("state", "done", "total", "percent"),
    [("pending", 0, 0, 0), ("running", 4, 13, 31), ("done", 13, 13, 100), ("done", 0, 0, 100)],
)
def test_a_forecast_is_as_far_as_its_steps(org, state, done, total, percent):
    run = forecast(org, state=state, steps_done=done, steps_total=total)
    assert run.percent == percent


def test_a_schedule_is_as_far_as_the_solver_time_it_used(org):
    solving = schedule(org, state="running", time_limit_seconds=30, elapsed_seconds=12.0)
    assert solving.percent == 40  # 12 of 30 s, no start time to count from
    # The solver reports only when it improves; the clock since it started counts too.
    solving.started_at = timezone.now() - dt.timedelta(seconds=21)
    assert solving.percent == 70
    # It stops at the limit, but the bar waits at 99 until the job says it is finished.
    solving.started_at = timezone.now() - dt.timedelta(seconds=45)
    assert solving.percent == 99
    for state in ("done", "failed"):
        solving.state = state
        assert solving.percent == 100 and solving.finished


def test_pending_and_running_jobs_are_not_finished(org):
    for state, finished in [
        ("pending", False),
        ("running", False),
        ("done", True),
        ("failed", True),
    ]:
        assert import_job(org, state=state).finished is finished
        assert forecast(org, state=state).finished is finished


def test_states_are_stored_as_before_and_a_running_schedule_reads_solving(org):
    assert [s.value for s in JobState] == ["pending", "running", "done", "failed"]
    assert ImportJob.State is ForecastRun.State is JobState
    assert [s.value for s in Schedule.State] == ["pending", "running", "done", "failed"]
    assert import_job(org, state="running").get_state_display() == "Running"
    assert schedule(org, state="running").get_state_display() == "Solving"
    assert schedule(org).get_state_display() == "Waiting"


# --- moving from state to state ---------------------------------------------------------------


def test_a_job_runs_then_finishes(org):
    job = import_job(org, error="an earlier failure")
    job_mark_running(job=job, rows_total=10)
    stored = ImportJob.objects.get(pk=job.pk)
    for seen in (job, stored):  # the instance and the row agree
        assert (seen.state, seen.error, seen.rows_total) == ("running", "", 10)
        assert seen.started_at is not None and seen.finished_at is None
    job_mark_done(job=job, rows_total=8)
    stored = ImportJob.objects.get(pk=job.pk)
    for seen in (job, stored):
        assert (seen.state, seen.rows_total) == ("done", 8)
        assert seen.finished_at >= seen.started_at


def test_a_failed_job_keeps_its_message(org):
    run = forecast(org)
    job_mark_running(job=run)
    job_mark_failed(job=run, error="There is no demand history to forecast from.")
    stored = ForecastRun.objects.get(pk=run.pk)
    assert stored.state == "failed" and stored.finished
    assert stored.error == "There is no demand history to forecast from."
    assert stored.finished_at is not None


def test_a_resumed_job_keeps_its_first_start_and_a_restarted_one_does_not(org):
    first = timezone.now() - dt.timedelta(hours=1)
    job = import_job(org, state="running", started_at=first)
    job_mark_running(job=job, resume=True)
    assert ImportJob.objects.get(pk=job.pk).started_at == first
    job_mark_running(job=job)
    assert ImportJob.objects.get(pk=job.pk).started_at > first


def test_progress_writes_only_the_columns_it_names(org):
    """Another connection may have written other columns of the job meanwhile (the solver's
    progress while the job fails, an import's counters): they are not written back stale."""
    job = schedule(org, state="running", time_limit_seconds=30)
    Schedule.objects.filter(pk=job.pk).update(solutions=3, best_objective=17.5)
    job_mark_progress(job=job, elapsed_seconds=4.5)
    job_mark_failed(job=job, error="stopped")
    stored = Schedule.objects.get(pk=job.pk)
    assert (stored.solutions, stored.best_objective, stored.elapsed_seconds) == (3, 17.5, 4.5)
    assert (stored.state, stored.error) == ("failed", "stopped")


# --- the progress bar as a user sees it --------------------------------------------------------


def poll(client, url):
    """What htmx receives polling `url`: (text with spaces collapsed, the response)."""
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return " ".join(response.content.decode().split()), response


def test_the_import_bar(org, client_as):
    client = client_as(Role.MANAGER)
    job = import_job(org)
    url = reverse("imports:progress", args=[org.slug, job.pk])

    text, response = poll(client, url)
    assert '<div id="import-progress" hx-get="/o/tehran/import/' in text
    assert f'hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML"' in text
    assert 'aria-valuenow="0" aria-label="Import progress"' in text
    assert "Waiting for a worker to start…" in text and "HX-Refresh" not in response

    ImportJob.objects.filter(pk=job.pk).update(
        state="running", rows_total=12345, rows_done=2345, accepted=2000, updated=5, rejected=3
    )
    text, response = poll(client, url)
    assert 'aria-valuenow="19"' in text and 'style="inline-size: 19%"' in text  # 2345/12345
    assert "2,345 of about 12,345 rows" in text
    assert '<dd class="value">2,000</dd>' in text and '<dd class="value bad">3</dd>' in text
    assert "HX-Refresh" not in response

    ImportJob.objects.filter(pk=job.pk).update(state="done", rows_total=2345)
    text, response = poll(client, url)
    assert "Finished: 2,345 rows." in text and 'aria-valuenow="100"' in text
    assert "hx-get" not in text and response["HX-Refresh"] == "true"  # the page shows the result

    ImportJob.objects.filter(pk=job.pk).update(state="failed", error="The file is empty.")
    text, _response = poll(client, url)
    assert '<span class="bad">The import stopped: The file is empty.</span>' in text


def test_the_forecast_bar(org, client_as):
    client = client_as(Role.VIEWER)
    run = forecast(org, state="running", steps_total=13, steps_done=4, step_label="phone ETS")
    url = reverse("forecasting:run_progress", args=[org.slug, run.pk])

    text, response = poll(client, url)
    assert f'<div id="run-progress" hx-get="{url}" hx-trigger="every 1s"' in text
    assert 'aria-valuenow="31" aria-label="Forecast progress"' in text  # 4/13
    assert 'Step 4 of 13 <small class="muted"><bdi>phone ETS</bdi></small>' in text
    assert "HX-Refresh" not in response

    ForecastRun.objects.filter(pk=run.pk).update(state="done", steps_done=13)
    text, response = poll(client, url)
    assert "<p> Finished. </p>" in text and response["HX-Refresh"] == "true"
    # A plain request (no htmx) is not told to reload.
    assert "HX-Refresh" not in client.get(url)

    ForecastRun.objects.filter(pk=run.pk).update(state="failed", error="No history.")
    text, _response = poll(client, url)
    assert "The forecast stopped: No history." in text


def test_the_schedule_bar(org, client_as):
    client = client_as(Role.VIEWER)
    job = schedule(org, state="running", time_limit_seconds=30, elapsed_seconds=12.0)
    url = reverse("scheduling:schedule_progress", args=[org.slug, job.pk])

    text, _response = poll(client, url)
    assert f'<div id="schedule-progress" hx-get="{url}"' in text
    assert 'aria-valuenow="40" aria-label="Solver progress"' in text
    assert "Solving: 12 of at most 30 seconds. No schedule found yet." in text

    Schedule.objects.filter(pk=job.pk).update(
        best_objective=1520.0, best_bound=1498.0, solutions=3, elapsed_seconds=18.0
    )
    text, _response = poll(client, url)
    assert "Solving: 18 of at most 30 seconds." in text
    assert (
        '<span data-best-objective="1520.0">Best objective so far: 1,520 '
        "(proven bound 1,498, 3 schedules found).</span>"
    ) in text

    Schedule.objects.filter(pk=job.pk).update(state="failed", error="No active agents.")
    text, response = poll(client, url)
    assert "The solver stopped: No active agents." in text
    assert 'aria-valuenow="100"' in text and response["HX-Refresh"] == "true"


def test_each_job_page_shows_its_bar(org, client_as):
    client = client_as(Role.MANAGER)
    job = import_job(org, state="running", rows_total=10, rows_done=5)
    run = forecast(org, state="running", steps_total=4, steps_done=1)
    plan = schedule(org)
    pages = [
        (reverse("imports:job", args=[org.slug, job.pk]), "import-progress", "5 of about 10 rows"),
        (reverse("forecasting:run", args=[org.slug, run.pk]), "run-progress", "Step 1 of 4"),
        (reverse("forecasting:home", args=[org.slug]), "run-progress", "Step 1 of 4"),
        (
            reverse("scheduling:schedule_detail", args=[org.slug, plan.pk]),
            "schedule-progress",
            "Waiting for a worker to start…",
        ),
    ]
    for url, dom_id, words in pages:
        text = " ".join(client.get(url).content.decode().split())
        assert f'<div id="{dom_id}" hx-get=' in text and words in text, url


def test_the_bar_speaks_the_readers_language(org):
    run = forecast(org, state="running", steps_total=13, steps_done=4, step_label="chat")
    with translation.override("de"):
        html = render_to_string("core/_job_progress.html", {"job": run})
    assert "Schritt 4 von 13" in html and 'aria-label="Prognosefortschritt"' in html
