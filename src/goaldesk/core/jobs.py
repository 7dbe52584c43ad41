"""The writes that move a background job along: running, progress, done, failed.

Each writes only the columns it names, with an UPDATE of the job's row (never a whole `save()`),
so a job's progress may be written from another thread or connection meanwhile without being
overwritten; the same values are set on the instance. Outside a transaction the polling
progress bar sees each write at once.
"""

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy

from goaldesk.core.models import BackgroundJob, JobState

logger = logging.getLogger(__name__)

#: Sent when a job ends, done or failed (`failed`), with the `job` itself (`sender`: its
#: model). Apps above listen (notifications tells the person who started it); core knows none.
job_ended = Signal()


def _job_write(job: BackgroundJob, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    type(job)._default_manager.filter(pk=job.pk).update(**fields)


def job_mark_running(*, job: BackgroundJob, resume: bool = False, **fields: Any) -> None:
    """Mark `job` running from now, its error cleared, with `fields` written alongside.

    `resume` keeps the time it first started (an import continues after its last batch).
    """
    now = timezone.now()
    started_at = (job.started_at or now) if resume else now
    _job_write(
        job,
        {
            "state": JobState.RUNNING,
            "error": "",
            "started_at": started_at,
            "heartbeat_at": now,
            **fields,
        },
    )


def job_mark_progress(*, job: BackgroundJob, **fields: Any) -> None:
    """Write `job`'s progress `fields` (its counters, its step's label, …) and its heartbeat."""
    _job_write(job, {"heartbeat_at": timezone.now(), **fields})


def job_mark_done(*, job: BackgroundJob, **fields: Any) -> None:
    """Mark `job` done now, with its final `fields` (results, exact totals) written alongside."""
    _job_write(job, {"state": JobState.DONE, "finished_at": timezone.now(), **fields})
    job_ended.send(sender=type(job), job=job, failed=False)


def job_mark_failed(*, job: BackgroundJob, error: str) -> None:
    """Mark `job` failed now with `error`, the message its progress partial shows."""
    _job_write(job, {"state": JobState.FAILED, "error": error, "finished_at": timezone.now()})
    job_ended.send(sender=type(job), job=job, failed=True)


# --- heartbeats, stale jobs and retries -----------------------------------------------------
#
# A job being run writes `heartbeat_at` every few seconds (`job_heartbeat`, from a thread of
# the process that runs it: `goaldesk worker` for every queued job, the command line for its
# import). A running job whose heartbeat is older than `stale_after_seconds()` has lost that
# process (killed, out of memory, machine restarted): a live worker queues it again
# (`goaldesk.core.worker`), or, when no task of the queue runs it (a command-line import), it is
# marked failed so that its page offers "retry" instead of showing "running" for ever.

#: The error a job shows when the process that ran it stopped.
JOB_LOST_MESSAGE = gettext_lazy("The process that ran this job stopped. Retry to resume it.")


#: Each job model → the task that runs it (given the job's id), registered by the apps' tasks.
JOB_TASKS: dict[type[BackgroundJob], Any] = {}


def job_task_register(*, model: type[BackgroundJob], task: Any) -> None:
    """Say that `task(job_id)` runs jobs of `model` (for retries and for re-queueing)."""
    JOB_TASKS[model] = task


def stale_after_seconds() -> float:
    """How long a running job may go without a heartbeat before it counts as lost.

    GOALDESK_JOB_STALE_SECONDS (default 60 s); heartbeats come six times as often.
    """
    return max(float(settings.GOALDESK_JOB_STALE_SECONDS), 0.5)


def heartbeat_seconds() -> float:
    """How often a running job's heartbeat is written."""
    return stale_after_seconds() / 6


def job_beat(*, model: type[BackgroundJob], pk: Any) -> None:
    """Write the heartbeat of job `pk` of `model` now."""
    model._default_manager.filter(pk=pk).update(heartbeat_at=timezone.now())


_beating: set[tuple[type[BackgroundJob], Any]] = set()
_beating_lock = threading.Lock()


@contextmanager
def job_heartbeat(*, model: type[BackgroundJob], pk: Any) -> Iterator[None]:
    """Write job `pk`'s heartbeat now and then every `heartbeat_seconds()` until the block ends.

    A second thread does the writing, on its own connection; a database error there (a lock
    held a long time) is logged and the next beat tried. Nested use for the same job (the
    worker beats for every task; an import beats for itself) starts no second thread.
    """
    # Inside a transaction (a caller's atomic block, a test) the job's rows are not committed,
    # so another connection could neither see nor write them: it would only wait on the lock.
    if connection.in_atomic_block:
        yield
        return
    key = (model, pk)
    with _beating_lock:
        nested = key in _beating
        _beating.add(key)
    if nested:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while True:
                try:
                    job_beat(model=model, pk=pk)
                except DatabaseError as error:
                    logger.warning("Could not write the heartbeat of %s %s: %s", model, pk, error)
                if stop.wait(heartbeat_seconds()):
                    return
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"heartbeat-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        with _beating_lock:
            _beating.discard(key)


def job_is_stale(job: BackgroundJob, *, now: dt.datetime | None = None) -> bool:
    """True when `job` is running but its last heartbeat (or its start) is too old."""
    if job.state != JobState.RUNNING:
        return False
    last = job.heartbeat_at or job.started_at or job.created_at
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=stale_after_seconds())
    return last is None or last < cutoff


def job_is_lost(job: BackgroundJob) -> bool:
    """True when `job` is stale (see `job_is_stale`) and no worker will resume it: the queue
    does not hold it. Reads only."""
    if not job_is_stale(job):
        return False
    from goaldesk.core.worker import job_in_queue

    return not job_in_queue(job)


def job_fail_if_stale(*, job: BackgroundJob) -> bool:
    """Mark `job` failed when it is running without a heartbeat and no worker will resume it.

    Returns True when it was marked failed. A job that the queue still holds (a worker will
    pick it up, or re-queue it) is left alone.
    """
    if not job_is_stale(job):
        return False
    from goaldesk.core.worker import job_in_queue

    if job_in_queue(job):
        return False
    cutoff = timezone.now() - dt.timedelta(seconds=stale_after_seconds())
    changed = (
        type(job)
        ._default_manager.filter(pk=job.pk, state=JobState.RUNNING)
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))
        .update(state=JobState.FAILED, error=str(JOB_LOST_MESSAGE), finished_at=timezone.now())
    )
    if changed:
        job.refresh_from_db()
        job_ended.send(sender=type(job), job=job, failed=True)
    return bool(changed)


def job_can_retry(job: BackgroundJob) -> bool:
    """True when `job` failed or was lost and a task is registered to run it again."""
    return type(job) in JOB_TASKS and job.stopped


def job_requeue(*, job: BackgroundJob) -> None:
    """Queue `job` again: pending, its error cleared, its task enqueued in the same transaction.

    What was done before stays: an import resumes after its last committed batch.
    """
    task = JOB_TASKS[type(job)]
    with transaction.atomic():
        _job_write(
            job, {"state": JobState.PENDING, "error": "", "finished_at": None, "heartbeat_at": None}
        )
        task.enqueue(job.pk)
