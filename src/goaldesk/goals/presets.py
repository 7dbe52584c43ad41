"""Goal templates from the seed articles' examples: one click fills the goal form.

Targets are absolute ("50 customers a day") or relative to the baseline measured when the
form opens ("+5 points", "20 % faster"); milestones the same way. Either way a template asks
for no more than the best change the metric achieved over as long a span (`preset_values`), so
that its goal passes its own Achievable check unless the data rules any rise out.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import BusinessGoalKind, GoalType

#: The goal type a goal on a metric has when it is made from a step towards a level (the
#: metrics the level criteria measure); any other metric is a custom goal.
METRIC_GOAL_TYPES: dict[str, str] = {
    "csat_pct": GoalType.SATISFACTION,
    "service_level": GoalType.RESPONSIVENESS,
    "abandon_rate": GoalType.RESPONSIVENESS,
    "returning_customer_rate": GoalType.LOYALTY,
    "recovery_rate": GoalType.RECOVERY,
    "fcr_rate": GoalType.RESOLUTION,
}


@dataclass(frozen=True)
class Preset:
    key: str
    title: Promise
    summary: Promise
    goal_type: str
    metric_key: str
    scope: dict[str, str]
    business_kind: str
    reason: Promise
    days: int
    #: ("absolute", value) | ("delta", change in metric units) | ("factor", × baseline)
    target: tuple[str, float]
    #: (day offset from start, ("absolute"|"fraction", value)); fraction of the way to target.
    milestones: tuple[tuple[int, tuple[str, float]], ...] = ()
    statistic: str = "median"
    value_unit: str = "hours"
    window_days: int = 7
    objectives: tuple[Promise, ...] = field(default_factory=tuple)


PRESETS: tuple[Preset, ...] = (
    Preset(
        key="desk_customers",
        title=_("Help 50 customers a day at the service desk"),
        summary=_("About 20 customers a day now, 30 a day next month, 50 a day eventually."),
        goal_type=GoalType.PRODUCTIVITY,
        metric_key="customers_helped_per_day",
        scope={"channel": "walk_in"},
        business_kind=BusinessGoalKind.INCREASE_REVENUE,
        reason=_("Every customer helped at the desk is a sale kept or won."),
        # The seed's story: 20 a day now, 30 next month, 50 in three months. 90 days, as the
        # other templates, so that half a year of data holds spans as long to check the target
        # against (the demo has 182 days: a 180-day goal could never be checked).
        days=90,
        target=("absolute", 50),
        milestones=((30, ("absolute", 30)),),
        objectives=(
            _("One employee walks the floor and brings customers who need help to the desk."),
            _("An extra employee at the desk processes returns."),
        ),
    ),
    Preset(
        key="returns_week",
        title=_("Returned items back on the shelves within a week"),
        summary=_("Returns are resolved in two to three weeks today; bring it down to one."),
        goal_type=GoalType.RESOLUTION,
        metric_key="resolution_seconds",
        scope={"category": "returns"},
        business_kind=BusinessGoalKind.REDUCE_COSTS,
        reason=_("Items waiting in the back room cannot be sold and tie up money."),
        days=90,
        target=("absolute", 7 * 86400),
        milestones=((45, ("fraction", 0.5)),),
        value_unit="days",
        window_days=14,
        objectives=(_("An extra employee at the desk processes returns."),),
    ),
    Preset(
        key="field_arrive",
        title=_("Field technicians reach the customer sooner"),
        summary=_("Cut the time from a repair request to the technician on site by a fifth."),
        goal_type=GoalType.FIELD_SERVICE,
        metric_key="time_to_arrive_seconds",
        scope={"channel": "field"},
        business_kind=BusinessGoalKind.CUSTOMER_EXPERIENCE,
        reason=_("A customer waiting at home for a technician judges us by the wait."),
        days=90,
        target=("factor", 0.8),
        milestones=((45, ("fraction", 0.5)),),
        value_unit="hours",
        window_days=14,
    ),
    Preset(
        key="field_fix",
        title=_("Field repairs finished sooner"),
        summary=_("Cut the time from a repair request to the fault being fixed by a fifth."),
        goal_type=GoalType.FIELD_SERVICE,
        metric_key="time_to_fix_seconds",
        scope={"channel": "field"},
        business_kind=BusinessGoalKind.CUSTOMER_EXPERIENCE,
        reason=_("An appliance that works again is what the customer paid for."),
        days=90,
        target=("factor", 0.8),
        milestones=((45, ("fraction", 0.5)),),
        value_unit="hours",
        window_days=14,
    ),
    Preset(
        key="positive_feeling",
        title=_("More customers leave with a positive feeling"),
        summary=_("Five more points of satisfied customers (CSAT)."),
        goal_type=GoalType.SATISFACTION,
        metric_key="csat_pct",
        scope={},
        business_kind=BusinessGoalKind.STRENGTHEN_BRAND,
        reason=_("Satisfied customers speak well of us and come back."),
        days=90,
        target=("delta", 5),
        milestones=((45, ("fraction", 0.5)),),
        window_days=14,
    ),
    Preset(
        key="recovery",
        title=_("Win back unhappy customers"),
        summary=_("Ten more points of customers who arrive upset and leave content."),
        goal_type=GoalType.RECOVERY,
        metric_key="recovery_rate",
        scope={},
        business_kind=BusinessGoalKind.CUSTOMER_EXPERIENCE,
        reason=_("A problem solved well makes a customer more loyal than no problem at all."),
        days=90,
        target=("delta", 10),
        milestones=((45, ("fraction", 0.5)),),
        window_days=14,
    ),
    Preset(
        key="returning",
        title=_("More returning customers"),
        summary=_("Five more points of customers who come back."),
        goal_type=GoalType.LOYALTY,
        metric_key="returning_customer_rate",
        scope={},
        business_kind=BusinessGoalKind.GROW_STEADILY,
        reason=_("Keeping a customer costs less than winning a new one."),
        days=90,
        target=("delta", 5),
        milestones=((45, ("fraction", 0.5)),),
        window_days=28,
    ),
    Preset(
        key="ratings",
        title=_("Better online ratings"),
        summary=_("Raise the average review rating by three tenths of a star."),
        goal_type=GoalType.RATINGS,
        metric_key="review_rating_avg",
        scope={},
        business_kind=BusinessGoalKind.STRENGTHEN_BRAND,
        reason=_("New customers read our reviews before they choose us."),
        days=90,
        target=("delta", 0.3),
        milestones=((45, ("fraction", 0.5)),),
        window_days=28,
    ),
)

PRESETS_BY_KEY = {p.key: p for p in PRESETS}


def preset_target(preset: Preset, baseline: float | None) -> float | None:
    kind, amount = preset.target
    if kind == "absolute":
        return float(amount)
    if baseline is None:
        return None
    if kind == "delta":
        return baseline + amount
    return baseline * amount


def preset_values(
    preset: Preset,
    *,
    start: dt.date,
    baseline: float | None,
    best_change: float | None = None,
    better: str = "higher",
) -> dict[str, Any]:
    """Target, deadline and milestones of a preset for a goal starting on `start`.

    `best_change` is the best change the metric achieved over a span as long as the goal
    (a fraction of the earlier value when the baseline is not 0, else in metric units); the
    target, absolute ("50 a day") or relative to the baseline ("+5 points"), asks for no more
    than that, so the template passes its own Achievable check. Without such history the
    template's own target stands.
    """
    target = preset_target(preset, baseline)
    capped = False
    if baseline is not None and target is not None and best_change is not None and best_change > 0:
        step = best_change * abs(baseline) if baseline else best_change
        sign = 1 if better == "higher" else -1
        asked = sign * (target - baseline)
        if asked > step:
            target = baseline + sign * step
            capped = True
    milestones = []
    for offset, (kind, amount) in preset.milestones:
        if kind == "absolute":
            fixed = float(amount)
            value: float | None = fixed
            if (
                baseline is not None
                and target is not None
                and not min(baseline, target) < fixed < max(baseline, target)
            ):
                # Already passed (a desk helping 30 a day has no milestone "30 a day") or past
                # a target brought back to history: the plan's value on that day instead, on
                # the straight line from the baseline to the target.
                value = baseline + offset / preset.days * (target - baseline)
        elif baseline is not None and target is not None:
            value = baseline + amount * (target - baseline)
        else:
            value = None
        if value is not None:
            milestones.append((start + dt.timedelta(days=offset), value))
    return {
        "target": target,
        "deadline": start + dt.timedelta(days=preset.days),
        "milestones": milestones,
        #: True when the target was brought back to the best change history shows.
        "capped": capped,
    }
