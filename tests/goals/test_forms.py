"""The goal form's typed values, which the live SMART check reads before the form is valid."""

import datetime as dt

import pytest

from goaldesk.engine import GoalDraft, check_smart
from goaldesk.goals.forms import GoalForm
from goaldesk.goals.presets import PRESETS_BY_KEY, preset_values


def test_an_unbound_form_gives_its_initial_values_typed(shop):
    form = GoalForm(
        initial={
            "metric_key": "resolution_seconds",
            "value_unit": "hours",
            "target": "۱۲٫۵",  # 12.5 in Persian digits with the Persian decimal separator
            "baseline_from": "2026-03-01",
            "baseline_to": "not a date",
        },
        organisation=shop,
    )
    values = form.values_for_check()
    assert values["target"] == 12.5
    assert values["baseline_from"] == dt.date(2026, 3, 1)
    assert values["baseline_to"] is None  # does not clean: left out of the check
    assert values["title"] is None
    assert form.typed_value_unit() == "hours"
    draft = form.draft()
    assert draft.metric_key == "resolution_seconds"
    assert draft.target == 12.5 * 3600  # hours typed, seconds measured
    assert not form.is_bound  # reading the values did not bind the form


def test_a_bound_form_gives_what_cleaned_even_when_invalid(shop):
    form = GoalForm(
        {"metric_key": "csat_pct", "value_unit": "days", "target": "85,5", "start": "2026-02-30"},
        organisation=shop,
    )
    values = form.values_for_check()
    assert not form.is_valid()
    assert values["target"] == 85.5
    assert "start" not in values  # 30 February does not clean
    assert form.typed_value_unit() == "days"
    assert form.draft().target == 85.5  # a percentage is not converted


def test_a_template_asks_no_more_than_history_achieved():
    start = dt.date(2026, 3, 1)
    csat = PRESETS_BY_KEY["positive_feeling"]  # +5 points of CSAT over 90 days
    # The best 90-day rise in the past year was 2 % of the earlier value: from 80 %, 81.6 %.
    capped = preset_values(csat, start=start, baseline=80.0, best_change=0.02, better="higher")
    assert capped["target"] == pytest.approx(81.6)
    assert capped["milestones"] == [(start + dt.timedelta(days=45), pytest.approx(80.8))]
    # History that shows more than the template asks leaves it at +5 points.
    assert preset_values(csat, start=start, baseline=80.0, best_change=0.1)["target"] == 85.0
    # A fifth faster arrival (lower is better) after 25 % at best stays a fifth (8 h from 10 h);
    # after 10 % at best it is 9 h.
    arrive = PRESETS_BY_KEY["field_arrive"]
    hours = 3600.0
    kept = preset_values(arrive, start=start, baseline=10 * hours, best_change=0.25, better="lower")
    assert kept["target"] == pytest.approx(8 * hours)
    cut = preset_values(arrive, start=start, baseline=10 * hours, best_change=0.1, better="lower")
    assert cut["target"] == pytest.approx(9 * hours)
    # The capped CSAT target passes the Achievable history check with a 2 % rise in history.
    history = [(start - dt.timedelta(days=190), 75.0), (start - dt.timedelta(days=100), 76.5)]
    report = check_smart(
        GoalDraft(
            metric_key="csat_pct",
            metric_unit="percent",
            better="higher",
            baseline=80.0,
            baseline_sample=500,
            target=capped["target"],
            start=start,
            deadline=capped["deadline"],
            history=history,
        )
    )
    assert "change_within_history" in [c.code for c in report.checks if c.letter == "A"]


def test_a_fixed_target_asks_no_more_than_history_and_keeps_its_milestone_ahead():
    start = dt.date(2026, 3, 1)
    desk = PRESETS_BY_KEY["desk_customers"]  # 50 a day in 90 days, 30 a day on day 30
    month = start + dt.timedelta(days=30)
    # Without history to compare with, the template's own numbers: 20 → 30 → 50.
    kept = preset_values(desk, start=start, baseline=20.0)
    assert (kept["target"], kept["milestones"], kept["capped"]) == (50.0, [(month, 30.0)], False)
    # At best a 50 % rise over 90 days: from 20, 30 a day; the milestone "30" would be the
    # target itself, so it is the plan's value on day 30: 20 + 30/90 × (30 − 20) = 23.33.
    capped = preset_values(desk, start=start, baseline=20.0, best_change=0.5, better="higher")
    assert capped["capped"] and capped["target"] == pytest.approx(30.0)
    assert capped["milestones"] == [(month, pytest.approx(23.333, abs=1e-3))]
    # A desk already helping 30.1 a day: 30.1 + 1/3 × (50 − 30.1) = 36.73, not "30".
    ahead = preset_values(desk, start=start, baseline=30.1)
    assert ahead["milestones"] == [(month, pytest.approx(36.733, abs=1e-3))]
    # Returns in a week (lower is better) from 14 days, when 25 % faster is the best seen:
    # 10.5 days, half-way 12.25 days.
    day = 86_400.0
    returns = PRESETS_BY_KEY["returns_week"]
    cut = preset_values(returns, start=start, baseline=14 * day, best_change=0.25, better="lower")
    assert cut["target"] == pytest.approx(10.5 * day)
    assert cut["milestones"] == [(start + dt.timedelta(days=45), pytest.approx(12.25 * day))]
