"""`goaldesk worker`: django-tasks-db's worker, made to outlive database errors and lost jobs.

- A database error while the worker looks for, claims or finishes a task ("database is locked"
  on SQLite, a dropped PostgreSQL connection) is logged in one line; the worker waits (1 s,
  doubling up to 30 s) and goes on. django-tasks-db's own loop lets such an error end the
  process, and then no background job runs until someone restarts it.
- While a task runs a job (an import, a forecast, a schedule), its heartbeat is written every
  few seconds (`goaldesk.core.jobs.job_heartbeat`).
- A second thread looks every few seconds for jobs whose process was lost: a task left
  RUNNING by a dead worker (django-tasks-db only ever takes READY tasks, so nobody would run
  it again) whose job has no recent heartbeat is marked failed and its job queued again; an
  import resumes after its last committed batch. A running job that no task holds (a killed
  command-line import) is marked failed, so its page offers "retry".

Two workers never run one task twice: django-tasks-db claims a task under a row lock
(SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite), and a lost
task is re-queued under the same lock, only while it is still RUNNING.

A third thread is the clock (`goaldesk.core.periodic`): the periodic work apps register (the
digests, closing goals past their deadline, alerts) runs by itself, so `goaldesk worker` is all
a deployment needs. Not with `batch`, which only empties the queue.
"""

import contextlib
import datetime as dt
import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from goaldesk.core.jobs import (
    JOB_TASKS,
    job_fail_if_stale,
    job_heartbeat,
    job_is_stale,
    job_requeue,
    stale_after_seconds,
)
from goaldesk.core.models import BackgroundJob, JobState
from goaldesk.core.periodic import clock_forever

logger = logging.getLogger("goaldesk.worker")

#: The longest wait between two tries after a database error.
MAX_BACKOFF_SECONDS = 30.0


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped while running it (the job is queued again)."""


def _job_tasks() -> dict[str, type[BackgroundJob]]:
    """{task path: job model} of every registered job task."""
    return {task.module_path: model for model, task in JOB_TASKS.items()}


def _job_id(row: DBTaskResult) -> Any:
    """The job id a task was queued with (its first argument, or its only keyword argument)."""
    args = (row.args_kwargs or {}).get("args") or []
    kwargs = (row.args_kwargs or {}).get("kwargs") or {}
    if args:
        return args[0]
    if len(kwargs) == 1:
        return next(iter(kwargs.values()))
    return None


def job_in_queue(job: BackgroundJob) -> bool:
    """True when a task of the queue (waiting or running) is there to run `job`."""
    paths = [path for path, model in _job_tasks().items() if model is type(job)]
    if not paths:
        return False
    rows = DBTaskResult.objects.filter(
        task_path__in=paths, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).only("args_kwargs")
    return any(_job_id(row) == job.pk for row in rows)


def jobs_recover(
    *, now: dt.datetime | None = None, running_here: str | None = None
) -> tuple[int, int]:
    """Queue again the jobs whose worker was lost; fail running jobs that no task holds.

    `running_here`: the id of the task the asking worker runs at the moment, which is not lost
    whatever its heartbeat (a long write may have held it up). Returns (jobs queued again,
    jobs marked failed).
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=stale_after_seconds())
    paths = _job_tasks()
    requeued = failed = 0
    # A task claimed less than the threshold ago cannot have a stale heartbeat yet.
    lost = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, task_path__in=list(paths), started_at__lt=cutoff
    )
    for row in lost:
        model = paths[row.task_path]
        with transaction.atomic():
            # Under the row's lock, and only while it is still RUNNING: of two workers
            # looking at once, one re-queues and the other finds nothing.
            locked = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=row.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if locked is None or str(locked.pk) == running_here:
                continue
            job = model._default_manager.filter(pk=_job_id(locked)).first()
            if job is not None and job.heartbeat_at is not None and job.heartbeat_at >= cutoff:
                continue  # its worker is alive: the task started long ago and still beats
            locked.set_failed(WorkerLost("The worker running this task stopped."))
            if job is not None and not job.finished:
                job_requeue(job=job)
                requeued += 1
                logger.warning("Queued %s %s again: its worker stopped.", model.__name__, job.pk)
    for model in set(paths.values()):
        for job in model._default_manager.filter(state=JobState.RUNNING):
            if job_is_stale(job, now=now) and job_fail_if_stale(job=job):
                failed += 1
                logger.warning("Marked %s %s failed: its process stopped.", model.__name__, job.pk)
    return requeued, failed


class GoalDeskWorker(Worker):
    """django-tasks-db's worker with retries on database errors and job heartbeats."""

    #: The first wait after a database error (doubled on each error in a row).
    backoff_seconds = 1.0
    #: The id of the task being run, if any (read by the recovery thread).
    running_task_id: str | None = None

    def run(self) -> None:
        delay = self.backoff_seconds
        while True:
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                # One line, not a traceback: the error is expected to pass.
                first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
                logger.warning(
                    "Database error (%s: %s); trying again in %.0f s.",
                    type(error).__name__,
                    first_line,
                    delay,
                )
                close_old_connections()  # drops a connection that no longer works
                time.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)
                self.startup_delay = False
                if not self.running:
                    return

    def run_task(self, db_task_result: DBTaskResult) -> None:
        model = _job_tasks().get(db_task_result.task_path)
        job_id = _job_id(db_task_result)
        self.running_task_id = str(db_task_result.pk)
        try:
            if model is None or job_id is None:
                super().run_task(db_task_result)
                return
            with job_heartbeat(model=model, pk=job_id):
                super().run_task(db_task_result)
        finally:
            self.running_task_id = None


def _close_connections() -> None:
    for connection in connections.all():
        with contextlib.suppress(DatabaseError):
            connection.close()


def _recover_forever(stop: threading.Event, worker: GoalDeskWorker) -> None:
    """The worker's second thread: `jobs_recover` every heartbeat interval until `stop`."""
    try:
        while not stop.is_set():
            try:
                jobs_recover(running_here=worker.running_task_id)
            except DatabaseError as error:
                logger.warning("Could not look for lost jobs (%s); trying again.", error)
                _close_connections()
            stop.wait(stale_after_seconds() / 6)
    finally:
        _close_connections()


def worker_run(*, batch: bool = False, interval: float = 1.0) -> None:
    """Run jobs until stopped (with `batch`, until the queue is empty), at the CPU priority
    GOALDESK_WORKER_NICE lowers it to: on a machine that also serves pages, an import or a
    forecast takes the time people leave free."""
    if settings.WORKER_NICE:
        os.nice(settings.WORKER_NICE)
    autodiscover_modules("tasks")  # registers every app's job tasks
    worker = GoalDeskWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    stop = threading.Event()
    recovery = threading.Thread(
        target=_recover_forever, args=(stop, worker), name="jobs-recover", daemon=True
    )
    recovery.start()
    if not batch:
        clock = threading.Thread(
            target=clock_forever, args=(stop,), name="periodic-clock", daemon=True
        )
        clock.start()
    worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()
