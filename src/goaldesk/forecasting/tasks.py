"""Background jobs of forecasting (run by `goaldesk worker`)."""

from django_tasks import task

from goaldesk.core.jobs import job_task_register
from goaldesk.forecasting.models import ForecastRun


@task()
def forecast_run_task(run_id: int) -> dict[str, object]:
    """Run forecast `run_id` (backtest, forecast and requirement of every channel)."""
    from goaldesk.forecasting.services import forecast_run_execute

    run = forecast_run_execute(run_id)
    return {"state": run.state, "channels": [c["channel"] for c in run.channels]}


job_task_register(model=ForecastRun, task=forecast_run_task)
