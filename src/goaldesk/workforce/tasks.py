"""Background jobs of workforce planning (run by `goaldesk worker`)."""

from django_tasks import task


@task()
def forecast_run_task(run_id: int) -> dict[str, object]:
    """Run forecast `run_id` (backtest, forecast and requirement of every channel)."""
    from goaldesk.workforce.services import forecast_run_execute

    run = forecast_run_execute(run_id)
    return {"state": run.state, "channels": [c["channel"] for c in run.channels]}


@task()
def schedule_solve_task(schedule_id: int) -> dict[str, object]:
    """Solve schedule `schedule_id` within its time limit (progress written as it improves)."""
    from goaldesk.workforce.schedule_services import schedule_solve

    schedule = schedule_solve(schedule_id)
    return {"state": schedule.state, "status": schedule.status, "gap": schedule.gap}
