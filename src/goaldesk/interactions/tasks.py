"""Background jobs of the interactions app (run by `goaldesk worker`)."""

from typing import Any

from django.db import transaction
from django_tasks import task

from goaldesk.core.jobs import job_task_register
from goaldesk.interactions.importing import import_run
from goaldesk.interactions.models import ImportJob


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


job_task_register(model=ImportJob, task=import_job_task)


@task()
def interactions_recompute_derived_task(organisation_id: int) -> int:
    """Recompute an organisation's derived columns after its time zone or hours changed."""
    from goaldesk.accounts.models import Organisation
    from goaldesk.interactions.services import interactions_recompute_derived

    organisation = Organisation.objects.get(pk=organisation_id)
    return interactions_recompute_derived(organisation=organisation)


def derived_recompute_later(*, organisation: Any, **_: Any) -> None:
    """After the current transaction commits, queue the recomputation of derived columns."""
    transaction.on_commit(
        lambda: interactions_recompute_derived_task.enqueue(organisation_id=organisation.pk)
    )
