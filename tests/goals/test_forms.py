"""The goal form's typed values, which the live SMART check reads before the form is valid."""

import datetime as dt

from goaldesk.goals.forms import GoalForm


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
