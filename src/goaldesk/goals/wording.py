"""The engine's codes as translated sentences, with values written for the reader.

The engine (SMART check, levels, progress) returns codes and parameters; every sentence a
person reads is here, one msgid per code with %(name)s placeholders.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext_lazy

from goaldesk.core.display import ldate, lnum, percent
from goaldesk.interactions.models import channel_label
from goaldesk.interactions.selectors import category_label
from goaldesk.metrics.catalogue import metric

from .models import UNIT_SECONDS, ValueUnit

LETTER_NAMES = {
    "S": gettext_lazy("Specific"),
    "M": gettext_lazy("Measurable"),
    "A": gettext_lazy("Achievable"),
    "R": gettext_lazy("Relevant"),
    "T": gettext_lazy("Time-bound"),
}

# The stored keys stay as they are; the fourth is shown as "Beyond expectations" because
# "Exceeds expectations" reads as higher than "Exceptional" although it is the top level.
LEVEL_NAMES = {
    "unsatisfactory": gettext_lazy("Unsatisfactory"),
    "meets_expectations": gettext_lazy("Meets expectations"),
    "exceptional": gettext_lazy("Exceptional"),
    "exceeds_expectations": gettext_lazy("Beyond expectations"),
}

LEVEL_DESCRIPTIONS = {
    "unsatisfactory": gettext_lazy("Customers' expectations are not met."),
    "meets_expectations": gettext_lazy(
        "Needs are met without lasting complaints: the minimum to keep going, not enough to "
        "hold customers a competitor serves better."
    ),
    "exceptional": gettext_lazy(
        "Going further: customers come back, unhappy ones are won back, loyalty grows."
    ),
    "exceeds_expectations": gettext_lazy(
        "Outstanding service in every interaction and on every channel."
    ),
}

STATUS_NAMES = {
    "not_started": gettext_lazy("Not started"),
    "no_data": gettext_lazy("No data yet"),
    "no_baseline": gettext_lazy("No baseline"),
    "on_track": gettext_lazy("On track"),
    "behind": gettext_lazy("Behind"),
    "at_risk": gettext_lazy("At risk"),
    "achieved": gettext_lazy("Achieved"),
    "missed": gettext_lazy("Missed"),
}
STATUS_TONE = {
    "on_track": "good",
    "achieved": "good",
    "behind": "warn",
    "at_risk": "bad",
    "missed": "bad",
}

CRITERION_NAMES = {
    "csat_channel_gap": gettext_lazy("CSAT gap between channels"),
    "fcr_channel_gap": gettext_lazy("First-contact resolution gap between channels"),
}

BETTER_WORDS = {
    "higher": pgettext_lazy("better direction", "higher"),
    "lower": pgettext_lazy("better direction", "lower"),
}

SCOPE_WORDS = {
    "channel": gettext_lazy("channel"),
    "team": gettext_lazy("team"),
    "agent": gettext_lazy("agent"),
    "category": gettext_lazy("category"),
    "segment": gettext_lazy("customer segment"),
}

SMART_SENTENCES: dict[str, Any] = {
    "specific": gettext_lazy(
        "One metric, a clear scope (%(scope)s) and a number to reach: %(target)s."
    ),
    "metric_missing": gettext_lazy(
        "Choose the metric this goal will move — “better service” can't be measured."
    ),
    "metric_without_direction": gettext_lazy(
        "%(metric)s has no better direction; choose a metric where higher or lower is clearly "
        "better."
    ),
    "scope_missing": gettext_lazy(
        "Say where the goal applies: a channel, team, agent or category, or the whole organisation."
    ),
    "scope_unknown_dimension": gettext_lazy(
        "“%(dimension)s” is not a scope GoalDesk knows; use one of: %(allowed)s."
    ),
    "scope_value_missing": gettext_lazy("The scope “%(dimension)s” is chosen but has no value."),
    "target_missing": gettext_lazy("Give the number the goal should reach."),
    "target_not_numeric": gettext_lazy("The target “%(target)s” is not a number."),
    "target_equals_baseline": gettext_lazy(
        "The target equals the current value (%(baseline)s); nothing would change."
    ),
    "target_wrong_direction": gettext_lazy(
        "The target %(target)s is worse than the current %(baseline)s for a metric where "
        "%(better)s is better."
    ),
    "baseline_sample_enough": ngettext_lazy(
        "The baseline %(baseline)s rests on %(sample_size)s observation (at least %(minimum)s "
        "needed).",
        "The baseline %(baseline)s rests on %(sample_size)s observations (at least %(minimum)s "
        "needed).",
        "count",
    ),
    "baseline_no_data": gettext_lazy(
        "There is no data for %(metric)s in the baseline period, so progress could not be "
        "measured against it."
    ),
    "baseline_sample_too_small": ngettext_lazy(
        "The baseline rests on only %(sample_size)s observation; at least %(minimum)s are "
        "needed for a reliable value.",
        "The baseline rests on only %(sample_size)s observations; at least %(minimum)s are "
        "needed for a reliable value.",
        "count",
    ),
    "change_within_history": ngettext_lazy(
        "The change asked for (%(asked_change)s) is within the best change seen over "
        "%(span_days)s day (%(best_change)s, %(best_from)s–%(best_to)s).",
        "The change asked for (%(asked_change)s) is within the best change seen over "
        "%(span_days)s days (%(best_change)s, %(best_from)s–%(best_to)s).",
        "count",
    ),
    "change_exceeds_history": ngettext_lazy(
        "The goal asks for %(asked_change)s in %(span_days)s day; the best ever over a span "
        "this long was %(best_change)s (%(best_from)s–%(best_to)s).",
        "The goal asks for %(asked_change)s in %(span_days)s days; the best ever over a span "
        "this long was %(best_change)s (%(best_from)s–%(best_to)s).",
        "count",
    ),
    "history_too_short": gettext_lazy(
        "There is not enough history to compare a %(span_days)s-day change with."
    ),
    "change_not_comparable": gettext_lazy(
        "Realism can't be checked until the metric, baseline and target are all set."
    ),
    "change_needs_period": gettext_lazy(
        "Realism can't be checked until the start and deadline are set."
    ),
    "target_within_capacity": gettext_lazy(
        "The target %(target)s is within what the current staffing can deliver (%(capacity)s)."
    ),
    "target_exceeds_capacity": gettext_lazy(
        "The target %(target)s is beyond what the current staffing can deliver (%(capacity)s)."
    ),
    "team_believes_goal": ngettext_lazy(
        "The team rates this goal reachable: %(average)s from %(votes)s vote.",
        "The team rates this goal reachable: %(average)s from %(votes)s votes.",
        "count",
    ),
    "team_doubts_goal": ngettext_lazy(
        "The team doubts this goal: the average rating is %(average)s from %(votes)s vote "
        "(below %(low_below)s).",
        "The team doubts this goal: the average rating is %(average)s from %(votes)s votes "
        "(below %(low_below)s).",
        "count",
    ),
    "team_confidence_after_saving": gettext_lazy(
        "Once the goal is saved, the team is asked how confident they are that it can be reached."
    ),
    "team_confidence_too_few_votes": ngettext_lazy(
        "Only %(votes)s team vote so far; the team's view counts from %(minimum)s.",
        "Only %(votes)s team votes so far; the team's view counts from %(minimum)s.",
        "count",
    ),
    "linked_to_business_goal": gettext_lazy("Serves the business goal “%(business_goal)s”."),
    "business_goal_missing": gettext_lazy("Link the goal to a business goal."),
    "reason_missing": gettext_lazy("Say why this goal serves that business goal."),
    "time_bound": ngettext_lazy(
        "Runs %(days)s days, %(start)s–%(deadline)s, with %(milestones)s milestone.",
        "Runs %(days)s days, %(start)s–%(deadline)s, with %(milestones)s milestones.",
        "count",
    ),
    "start_missing": gettext_lazy("Set a start date."),
    "deadline_missing": gettext_lazy("Set a deadline."),
    "deadline_not_after_start": gettext_lazy(
        "The deadline %(deadline)s must come after the start %(start)s."
    ),
    "milestones_needed": ngettext_lazy(
        "The goal runs %(days)s day; add milestones to any goal longer than %(max_days)s days.",
        "The goal runs %(days)s days; add milestones to any goal longer than %(max_days)s days.",
        "count",
    ),
    "milestone_outside_period": gettext_lazy(
        "The milestone on %(date)s lies outside %(start)s–%(deadline)s."
    ),
    "milestone_dates_repeat": gettext_lazy("Two milestones share the date %(date)s."),
    "milestones_not_monotone": gettext_lazy(
        "The milestone on %(date)s (%(value)s) goes backwards from %(previous)s."
    ),
    "milestone_beyond_target": gettext_lazy(
        "The milestone on %(date)s (%(value)s) is already past the target %(target)s."
    ),
}

#: The parameter that chooses the plural form of a sentence with a count in it (its template is
#: an `ngettext_lazy` that reads the count from the key "count").
SMART_COUNTS = {
    "baseline_sample_enough": "sample_size",
    "baseline_sample_too_small": "sample_size",
    "change_within_history": "span_days",
    "change_exceeds_history": "span_days",
    "team_believes_goal": "votes",
    "team_doubts_goal": "votes",
    "team_confidence_too_few_votes": "votes",
    "time_bound": "milestones",
    "milestones_needed": "days",
}

LEVEL_SENTENCES: dict[str, Any] = {
    "criterion_holds_level_down": gettext_lazy(
        "%(metric)s is %(value)s; %(next_level)s needs %(needed)s."
    ),
    "criterion_not_judged": gettext_lazy("%(metric)s was not judged: no data."),
    "all_criteria_met": gettext_lazy("Every criterion meets the highest level."),
    "next_level_lacks_data": gettext_lazy(
        "Nothing measured yet shows whether %(next_level)s is reached."
    ),
    "no_data": gettext_lazy("No data in this period to judge the level of service."),
    "too_little_data": gettext_lazy(
        "The data available (%(metrics)s) is not enough to judge a level."
    ),
    "threshold_order": gettext_lazy(
        "The bar for %(level)s (%(value)s) is easier than the bar for %(lower_level)s "
        "(%(lower_value)s)."
    ),
    "threshold_out_of_range": gettext_lazy(
        "The bar for %(level)s (%(value)s) must be between 0 and 100."
    ),
}


def metric_name(key: str | None) -> str:
    if not key:
        return ""
    if key in CRITERION_NAMES:
        return str(CRITERION_NAMES[key])
    try:
        return str(metric(key).name)
    except KeyError:
        return key


def unit_suffix(metric_key: str, value_unit: str = ValueUnit.HOURS) -> str:
    """The unit a goal's numbers are typed in, for labels ("%", "days" …)."""
    entry = metric(metric_key)
    if entry.unit == "percent":
        return "%"
    if entry.unit == "seconds":
        return str(ValueUnit(value_unit).label)
    if entry.unit == "per_day":
        return _("a day")
    return ""


def format_value(metric_key: str | None, value: Any, value_unit: str = ValueUnit.HOURS) -> str:
    """A value in metric units written for the reader, with its unit."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    if not metric_key or metric_key in CRITERION_NAMES:
        return _("%(value)s points") % {"value": lnum(value, 1)}
    try:
        entry = metric(metric_key)
    except KeyError:
        return lnum(value, 1)
    if entry.unit == "percent":
        return percent(value, 1)
    if entry.unit == "seconds":
        shown = value / UNIT_SECONDS.get(value_unit, 1)
        return f"{lnum(shown, 1)} {ValueUnit(value_unit).label}"
    if entry.unit == "per_day":
        return _("%(value)s a day") % {"value": lnum(value, 1)}
    return lnum(value, 2 if entry.unit == "score" else 0)


def scope_text(
    scope: Mapping[str, Any] | None, *, categories: Mapping[str, str] | None = None
) -> str:
    """Where a goal applies, for a reader: channels and categories by their names (`categories`:
    a `category_names` map; without it a category shows its default name)."""
    if not scope:
        return _("the whole organisation")
    parts = []
    for dimension, value in scope.items():
        if dimension == "channel":
            shown = channel_label(value)
        elif dimension == "category":
            shown = category_label(categories or {}, value)
        else:
            shown = value
        parts.append(f"{SCOPE_WORDS.get(dimension, dimension)}: {shown}")
    return ", ".join(str(p) for p in parts)


def _date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return ldate(value)


def smart_sentence(
    code: str, params: Mapping[str, Any], *, metric_key: str | None, value_unit: str
) -> str:
    """One SMART check as a sentence in the reader's language."""
    template = SMART_SENTENCES.get(code)
    if template is None:
        return code
    value: Callable[[Any], str] = lambda v: format_value(metric_key, v, value_unit)  # noqa: E731
    shown: dict[str, Any] = {}
    for name, raw in params.items():
        if name in ("target", "baseline", "previous", "capacity") or (
            name == "value" and code.startswith("milestone")
        ):
            shown[name] = value(raw)
        elif name in ("date", "start", "deadline", "best_from", "best_to"):
            shown[name] = _date(raw)
        elif name in ("asked_change", "best_change"):
            if params.get("mode") == "relative":
                shown[name] = percent(100 * raw, 1)
            elif metric_key and metric(metric_key).unit == "seconds":
                shown[name] = value(raw)
            else:
                shown[name] = lnum(raw, 1)
        elif name in ("average", "low_below"):
            shown[name] = lnum(raw, 1)
        elif name == "metric":
            shown[name] = metric_name(raw)
        elif name == "better":
            shown[name] = str(BETTER_WORDS.get(raw, raw))
        elif name == "allowed":
            shown[name] = ", ".join(str(SCOPE_WORDS.get(a, a)) for a in raw)
        elif name == "dimension":
            shown[name] = str(SCOPE_WORDS.get(raw, raw))
        elif isinstance(raw, int) and not isinstance(raw, bool):
            shown[name] = lnum(raw)
        else:
            shown[name] = raw
    if code == "specific":
        shown["scope"] = scope_text(params.get("scope"))
    shown.setdefault("scope", "")
    count = params.get(SMART_COUNTS.get(code, ""))
    shown["count"] = int(count) if isinstance(count, int | float) else 0
    try:
        return str(template % shown)
    except (KeyError, TypeError, ValueError):
        return str(template) or code


def level_ranked(level: str | None) -> str:
    """A level's name with its place among the four, e.g. "Exceptional (level 3 of 4)";
    "" for no level."""
    if not level or level not in LEVEL_NAMES:
        return ""
    return _("%(name)s (level %(rank)s of %(count)s)") % {
        "name": LEVEL_NAMES[level],
        "rank": lnum(list(LEVEL_NAMES).index(level) + 1),
        "count": lnum(len(LEVEL_NAMES)),
    }


def criterion_level_text(met_level: str | None, missed_level: str | None) -> str:
    """What one criterion's value earns, for the criteria table: the level it meets with its
    rank; "Below the bar of …" when its first bar is for a higher level and it misses it (a
    CSAT gap with a bar only for the top level); "—" when it is not judged."""
    if met_level:
        return level_ranked(met_level)
    if missed_level:
        return _("Below the bar of %(level)s") % {"level": level_ranked(missed_level)}
    return "—"


def level_goal_title(
    *,
    metric_key: str,
    scope: Mapping[str, Any],
    target: float | None,
    level: str,
    categories: Mapping[str, str] | None = None,
    value_unit: str = ValueUnit.HOURS,
) -> str:
    """The title of a goal made from a step towards a level: the metric, which way it moves,
    where, the value to reach (a time in `value_unit`) and the level it leads to, e.g. "Raise
    CSAT (channel: Chat) to 92.0 % for Beyond expectations"; without a level, just the move."""
    lower = metric(metric_key).better == "lower"
    params = {
        "metric": metric_name(metric_key),
        "scope": scope_text(scope, categories=categories),
        "target": format_value(metric_key, target, value_unit),
        "level": LEVEL_NAMES.get(level, ""),
    }
    if params["level"]:
        if lower:
            return _("Lower %(metric)s (%(scope)s) to %(target)s for %(level)s") % params
        return _("Raise %(metric)s (%(scope)s) to %(target)s for %(level)s") % params
    if lower:
        return _("Lower %(metric)s (%(scope)s) to %(target)s") % params
    return _("Raise %(metric)s (%(scope)s) to %(target)s") % params


def level_sentence(code: str, params: Mapping[str, Any]) -> str:
    template = LEVEL_SENTENCES.get(code)
    if template is None:
        return code
    shown: dict[str, Any] = {}
    for name, raw in params.items():
        if name == "metric":
            shown[name] = metric_name(raw)
        elif name == "metrics":
            shown[name] = ", ".join(metric_name(m) for m in raw)
        elif name in ("level", "next_level", "lower_level"):
            shown[name] = str(LEVEL_NAMES.get(raw, raw))
        elif name in ("value", "needed", "lower_value"):
            shown[name] = (
                format_value(params.get("metric"), raw) if "metric" in params else lnum(raw, 1)
            )
        else:
            shown[name] = raw
    if code == "criterion_not_judged":
        template = (
            gettext_lazy("%(metric)s was not judged: fewer than two channels with enough data.")
            if params.get("why") == "fewer_than_two_channels"
            else gettext_lazy("%(metric)s was not judged: no data.")
        )
    try:
        return str(template) % shown
    except (KeyError, TypeError, ValueError):
        return str(template)


def smart_rows(report: Any, *, metric_key: str | None, value_unit: str) -> list[dict[str, Any]]:
    """Per letter: name, status and the sentences of its checks (for templates)."""
    rows = []
    for letter in ("S", "M", "A", "R", "T"):
        checks = report.for_letter(letter)
        rows.append(
            {
                "letter": letter,
                "name": LETTER_NAMES[letter],
                "status": report.letter_status(letter),
                "checks": [
                    {
                        "code": c.code,
                        "status": c.status,
                        "text": smart_sentence(
                            c.code, c.params, metric_key=metric_key, value_unit=value_unit
                        ),
                    }
                    for c in checks
                ],
            }
        )
    return rows
