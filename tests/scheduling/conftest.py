"""Scheduling uses the forecasting fixtures: jobs run at once, an organisation with demand."""

from tests.forecasting.conftest import _immediate_tasks, make_run, planned_org

__all__ = ["_immediate_tasks", "make_run", "planned_org"]
