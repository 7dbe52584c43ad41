"""The worker and lost jobs (issue 14, findings 1 and 5), in this process.

- `goaldesk worker` outlives database errors ("database is locked", a dropped connection).
- A task left RUNNING by a dead worker is queued again once its job's heartbeat is old; a
  running job that no task holds (a killed command-line import) is marked failed.
- The pages offer "Retry" for a failed job; a retried import resumes after its last batch.

The same with real worker processes and kill -9: test_worker_crash.py.
"""

import csv
import datetime as dt
import logging
from pathlib import Path

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from goaldesk.accounts.models import Role
from goaldesk.core.jobs import job_heartbeat, stale_after_seconds
from goaldesk.core.worker import GoalDeskWorker, jobs_recover
from goaldesk.forecasting.models import ForecastRun
from goaldesk.interactions.importing import import_run, mapping_for_job
from goaldesk.interactions.mapping import Preset
from goaldesk.interactions.models import ImportJob, Interaction
from goaldesk.interactions.tasks import import_job_task
from goaldesk.scheduling.models import Schedule

IMPORT_TASK = "goaldesk.interactions.tasks.import_job_task"
LONG_AGO = dt.timedelta(minutes=10)


@task()
def double(number: int) -> int:
    return 2 * number


def worker() -> GoalDeskWorker:
    found = GoalDeskWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    found.backoff_seconds = 0.01
    return found


# --- database errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    ["database is locked", "server closed the connection unexpectedly"],
)
def test_a_worker_waits_out_a_database_error_and_goes_on(
    transactional_db, monkeypatch, caplog, message
):
    """The error comes where django-tasks-db does not catch it: opening the claim's transaction."""
    result = double.enqueue(21)
    real = db_worker.exclusive_transaction
    failures = [2]

    def flaky(using=None):
        if failures[0]:
            failures[0] -= 1
            raise OperationalError(message)
        return real(using)

    monkeypatch.setattr(db_worker, "exclusive_transaction", flaky)
    with caplog.at_level(logging.WARNING, logger="goaldesk.worker"):
        worker().run()

    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value) == ("SUCCESSFUL", 42)
    warnings = [r.getMessage() for r in caplog.records if r.name == "goaldesk.worker"]
    assert len(warnings) == 2
    assert all(message in line and "\n" not in line for line in warnings)


# --- lost jobs -------------------------------------------------------------------------------


def import_job(org, **fields) -> ImportJob:
    return ImportJob.objects.create(organisation=org, original_name="calls.csv", **fields)


def claimed_task(job: ImportJob, *, started: dt.datetime, worker_id: str = "gone") -> str:
    """A task for `job` claimed by `worker_id` at `started` and never finished."""
    result = import_job_task.enqueue(job.pk)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", started_at=started, worker_ids=[worker_id]
    )
    return result.id


def tasks_of(job) -> list[str]:
    return sorted(
        row.status
        for row in DBTaskResult.objects.filter(task_path=IMPORT_TASK)
        if row.args_kwargs["args"] == [job.pk]
    )


def test_a_task_whose_worker_died_is_queued_again(org):
    now = timezone.now()
    job = import_job(org, state="running", rows_done=5000, heartbeat_at=now - LONG_AGO)
    lost = claimed_task(job, started=now - LONG_AGO)

    assert jobs_recover(now=now) == (1, 0)

    assert DBTaskResult.objects.get(pk=lost).status == "FAILED"
    assert tasks_of(job) == ["FAILED", "READY"]
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.error) == ("pending", 5000, "")


def test_a_job_whose_worker_died_before_its_first_heartbeat_is_queued_again(org):
    now = timezone.now()
    job = import_job(org)  # pending: the worker claimed its task, then died at once
    claimed_task(job, started=now - LONG_AGO)
    assert jobs_recover(now=now) == (1, 0)
    assert tasks_of(job) == ["FAILED", "READY"]


def test_a_job_that_beats_is_left_alone(org):
    now = timezone.now()
    job = import_job(org, state="running", heartbeat_at=now - dt.timedelta(seconds=5))
    claimed_task(job, started=now - LONG_AGO)  # a long import, still alive
    assert jobs_recover(now=now) == (0, 0)
    assert tasks_of(job) == ["RUNNING"]


def test_a_worker_never_takes_the_task_it_runs_for_lost(org):
    now = timezone.now()
    job = import_job(org, state="running", heartbeat_at=now - LONG_AGO)
    mine = claimed_task(job, started=now - LONG_AGO, worker_id="me")
    assert jobs_recover(now=now, running_here=str(mine)) == (0, 0)
    assert jobs_recover(now=now, running_here="another task") == (1, 0)


def test_a_killed_command_line_import_is_marked_failed(org):
    now = timezone.now()
    killed = import_job(org, state="running", rows_done=10_000, heartbeat_at=now - LONG_AGO)
    waiting = import_job(org)  # uploaded, its columns not chosen yet: no task, not lost
    assert jobs_recover(now=now) == (0, 1)
    killed.refresh_from_db()
    assert killed.state == "failed"
    assert killed.error == "The process that ran this job stopped. Retry to resume it."
    assert killed.rows_done == 10_000
    waiting.refresh_from_db()
    assert waiting.state == "pending"


def test_a_running_import_writes_its_heartbeat(transactional_db, org):
    job = import_job(org, state="running")
    with job_heartbeat(model=ImportJob, pk=job.pk):
        pass
    job.refresh_from_db()
    assert job.heartbeat_at is not None
    assert timezone.now() - job.heartbeat_at < dt.timedelta(seconds=stale_after_seconds())


# --- the pages -------------------------------------------------------------------------------


def write_calls(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "channel", "created_at"])
        for n in range(rows):
            writer.writerow([f"C{n}", "phone", f"2026-03-02 09:{n:02d}"])
    return path


def cli_job(org, path: Path) -> ImportJob:
    """A job as `goaldesk import` makes it: no stored file, the file's absolute path."""
    return ImportJob.objects.create(
        organisation=org,
        original_name=str(path.resolve()),
        mapping=mapping_for_job(
            {"external_id": "external_id", "channel": "channel", "created_at": "created_at"},
            preset=Preset(name="", label=""),
            headers=["external_id", "channel", "created_at"],
        ),
    )


def test_a_killed_import_shows_retry_and_resumes_after_its_last_batch(
    org, client_as, tmp_path, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = write_calls(tmp_path / "calls.csv", 12)
    job = cli_job(org, path)

    def killed(job):
        if job.rows_done == 5:
            raise KeyboardInterrupt  # the command was stopped after its first batch

    with pytest.raises(KeyboardInterrupt):
        import_run(job.pk, source=path, progress=killed, batch_size=5)
    # As a killed process leaves it: running, its heartbeat long gone.
    ImportJob.objects.filter(pk=job.pk).update(
        state="running", error="", finished_at=None, heartbeat_at=timezone.now() - LONG_AGO
    )
    client = client_as(Role.MANAGER)
    progress = client.get(
        reverse("imports:progress", args=[org.slug, job.pk]), headers={"HX-Request": "true"}
    )
    assert "The process that ran this job stopped." in progress.content.decode()
    assert "hx-get" not in progress.content.decode()  # it stops polling…
    assert progress["HX-Refresh"] == "true"  # …and reloads the page, which offers Retry
    page = client.get(reverse("imports:job", args=[org.slug, job.pk])).content.decode()
    retry = reverse("imports:retry", args=[org.slug, job.pk])
    assert f'action="{retry}"' in page
    job.refresh_from_db()
    assert job.state == "running"  # looking at it (GET) wrote nothing

    response = client.post(retry)

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.accepted, job.updated) == ("done", 12, 12, 0)
    assert Interaction.objects.filter(organisation=org).count() == 12


def test_only_a_failed_job_is_retried(org, client_as):
    job = import_job(org, state="done")
    response = client_as(Role.MANAGER).post(reverse("imports:retry", args=[org.slug, job.pk]))
    assert response.status_code == 302
    assert not DBTaskResult.objects.filter(task_path=IMPORT_TASK).exists()
    job.refresh_from_db()
    assert job.state == "done"


@pytest.mark.parametrize(
    ("model", "page", "retry", "task_path"),
    [
        (
            ForecastRun,
            "forecasting:run",
            "forecasting:run_retry",
            "goaldesk.forecasting.tasks.forecast_run_task",
        ),
        (
            Schedule,
            "scheduling:schedule_detail",
            "scheduling:schedule_retry",
            "goaldesk.scheduling.tasks.schedule_solve_task",
        ),
    ],
)
def test_a_failed_forecast_or_schedule_can_be_retried(
    org, client_as, model, page, retry, task_path
):
    fields = {"week_start": dt.date(2026, 3, 2)} if model is Schedule else {}
    job = model.objects.create(organisation=org, state="failed", error="boom", **fields)
    retry_url = reverse(retry, args=[org.slug, job.pk])
    viewer_page = client_as(Role.VIEWER).get(reverse(page, args=[org.slug, job.pk]))
    assert retry_url not in viewer_page.content.decode()
    manager = client_as(Role.MANAGER)
    assert retry_url in manager.get(reverse(page, args=[org.slug, job.pk])).content.decode()

    manager.post(retry_url)

    job.refresh_from_db()
    assert (job.state, job.error) == ("pending", "")
    (queued,) = DBTaskResult.objects.filter(task_path=task_path)
    assert (queued.status, queued.args_kwargs["args"]) == ("READY", [job.pk])
