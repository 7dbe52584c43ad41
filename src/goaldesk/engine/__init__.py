"""The pure engine: business hours, summary statistics, calendars, SMART and level rules, goal
progress, Erlang staffing and demand forecasting.

Takes plain data and returns plain data; never imports Django (a test enforces it).
"""

from goaldesk.engine.business_hours import BusinessCalendar
from goaldesk.engine.calendars import GREGORIAN, JALALI, format_date, from_jalali, to_jalali
from goaldesk.engine.digits import localize_digits, normalize_digits
from goaldesk.engine.erlang import (
    IntervalRequirements,
    QueueMetrics,
    StaffingResult,
    check_staffing_inputs,
    deferred_agents,
    deferred_requirements,
    erlang_a,
    erlang_b,
    erlang_c,
    offered_load,
    required_agents,
    requirements_for_intervals,
    with_shrinkage,
)
from goaldesk.engine.errors import InputError
from goaldesk.engine.forecast import (
    BacktestResult,
    DemandHistory,
    Forecast,
    Forecaster,
    ForecastPoint,
    RobustSeasonalModel,
    SeasonalNaive,
    WeekdayIntervalMean,
    backtest,
    compare_methods,
    default_forecasters,
    mase,
    select_best,
    wape,
    weekly_origins,
)
from goaldesk.engine.levels import LEVELS, LevelThresholds, LevelVerdict, judge_level
from goaldesk.engine.progress import ProgressReport, goal_progress, planned_path
from goaldesk.engine.smart import GoalDraft, SmartReport, SmartThresholds, check_smart
from goaldesk.engine.stats import (
    Summary,
    mean,
    median,
    nearest_rank,
    p90,
    percentile_nearest_rank,
    summary,
)

__all__ = [
    "GREGORIAN",
    "JALALI",
    "LEVELS",
    "BacktestResult",
    "BusinessCalendar",
    "DemandHistory",
    "Forecast",
    "ForecastPoint",
    "Forecaster",
    "GoalDraft",
    "InputError",
    "IntervalRequirements",
    "LevelThresholds",
    "LevelVerdict",
    "ProgressReport",
    "QueueMetrics",
    "RobustSeasonalModel",
    "SeasonalNaive",
    "SmartReport",
    "SmartThresholds",
    "StaffingResult",
    "Summary",
    "WeekdayIntervalMean",
    "backtest",
    "check_smart",
    "check_staffing_inputs",
    "compare_methods",
    "default_forecasters",
    "deferred_agents",
    "deferred_requirements",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "format_date",
    "from_jalali",
    "goal_progress",
    "judge_level",
    "localize_digits",
    "mase",
    "mean",
    "median",
    "nearest_rank",
    "normalize_digits",
    "offered_load",
    "p90",
    "percentile_nearest_rank",
    "planned_path",
    "required_agents",
    "requirements_for_intervals",
    "select_best",
    "summary",
    "to_jalali",
    "wape",
    "weekly_origins",
    "with_shrinkage",
]
