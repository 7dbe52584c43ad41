"""Background jobs of the interactions app (run by `goaldesk worker`)."""

from django_tasks import task

from goaldesk.interactions.importing import import_run


@task()
def import_job_task(job_id: int) -> dict[str, int]:
    """Run (or resume) import job `job_id`; return its counts."""
    job = import_run(job_id)
    return {
        "rows": job.rows_done,
        "accepted": job.accepted,
        "updated": job.updated,
        "rejected": job.rejected,
    }
