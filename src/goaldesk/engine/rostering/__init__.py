"""Shift scheduling: plain-data model, CP-SAT solver and an independent evaluator."""

from goaldesk.engine.rostering.evaluate import evaluate_schedule
from goaldesk.engine.rostering.model import (
    Absence,
    Agent,
    BreakRule,
    IntervalCoverage,
    ObjectiveWeights,
    PreferenceCheck,
    Requirement,
    Rules,
    RuleViolation,
    ScheduleEvaluation,
    ScheduleResult,
    Shift,
    Shortfall,
    SolveProgress,
    day_part,
    requirements_from_curves,
)
from goaldesk.engine.rostering.solve import solve_schedule

__all__ = [
    "Absence",
    "Agent",
    "BreakRule",
    "IntervalCoverage",
    "ObjectiveWeights",
    "PreferenceCheck",
    "Requirement",
    "RuleViolation",
    "Rules",
    "ScheduleEvaluation",
    "ScheduleResult",
    "Shift",
    "Shortfall",
    "SolveProgress",
    "day_part",
    "evaluate_schedule",
    "requirements_from_curves",
    "solve_schedule",
]
