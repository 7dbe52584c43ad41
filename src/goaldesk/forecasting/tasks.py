"""Background jobs of forecasting (run by `goaldesk worker`)."""

from django_tasks import task


@task()
def forecast_run_task(run_id: int) -> dict[str, object]:
    """Run forecast `run_id` (backtest, forecast and requirement of every channel)."""
    from goaldesk.forecasting.services import forecast_run_execute

    run = forecast_run_execute(run_id)
    return {"state": run.state, "channels": [c["channel"] for c in run.channels]}
