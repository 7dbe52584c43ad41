"""The writes that move a background job along: running, progress, done, failed.

Each writes only the columns it names, with an UPDATE of the job's row (never a whole `save()`),
so a job's progress may be written from another thread or connection meanwhile without being
overwritten; the same values are set on the instance. Outside a transaction the polling
progress bar sees each write at once.
"""

from typing import Any

from django.utils import timezone

from goaldesk.core.models import BackgroundJob, JobState


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
    _job_write(job, {"state": JobState.RUNNING, "error": "", "started_at": started_at, **fields})


def job_mark_progress(*, job: BackgroundJob, **fields: Any) -> None:
    """Write `job`'s progress `fields` (its counters, its step's label, …)."""
    _job_write(job, fields)


def job_mark_done(*, job: BackgroundJob, **fields: Any) -> None:
    """Mark `job` done now, with its final `fields` (results, exact totals) written alongside."""
    _job_write(job, {"state": JobState.DONE, "finished_at": timezone.now(), **fields})


def job_mark_failed(*, job: BackgroundJob, error: str) -> None:
    """Mark `job` failed now with `error`, the message its progress partial shows."""
    _job_write(job, {"state": JobState.FAILED, "error": error, "finished_at": timezone.now()})
