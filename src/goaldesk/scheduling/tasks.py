"""Background jobs of scheduling (run by `goaldesk worker`)."""

from django_tasks import task

from goaldesk.core.jobs import job_task_register
from goaldesk.scheduling.models import Schedule


@task()
def schedule_solve_task(schedule_id: int) -> dict[str, object]:
    """Solve schedule `schedule_id` within its time limit (progress written as it improves)."""
    from goaldesk.scheduling.services import schedule_solve

    schedule = schedule_solve(schedule_id)
    return {"state": schedule.state, "status": schedule.status, "gap": schedule.gap}


job_task_register(model=Schedule, task=schedule_solve_task)
