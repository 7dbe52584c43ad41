"""A metric an app above metrics provides (surveys, the FAQ) reaches the dashboard's figures,
the breakdown by day and a goal's sample through metrics.selectors."""

import dataclasses
import datetime as dt

import pytest

from goaldesk.goals.selectors import metric_sample
from goaldesk.metrics import catalogue, selectors
from goaldesk.metrics.catalogue import Metric, Provided
from goaldesk.metrics.providers import _PROVIDERS, ProvidedValue, register

D1, D2 = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


@pytest.fixture
def answered(monkeypatch):
    """A provided metric "answered_pct": 100 × (day of month) / 40, sample = day of month;
    nothing with a channel filter."""
    entry = Metric("answered_pct", "Answered", "percent", "higher", "test", Provided())
    monkeypatch.setattr(catalogue, "CATALOGUE", (*catalogue.CATALOGUE, entry))
    monkeypatch.setattr(catalogue, "KEYS", (*catalogue.KEYS, entry.key))
    monkeypatch.setattr(selectors, "KEYS", (*selectors.KEYS, entry.key))
    monkeypatch.setitem(catalogue._BY_KEY, entry.key, entry)

    def provider(*, organisation, periods, filters):
        if "channel" in filters:
            return [ProvidedValue(None, 0) for _p in periods]
        return [
            ProvidedValue(100 * (b.day - a.day + 1) / 40, b.day - a.day + 1) for a, b in periods
        ]

    register(entry.key, provider)
    yield entry
    _PROVIDERS.pop(entry.key)


def test_the_provider_gives_the_figure_of_each_period_and_day(desk, answered):
    both = selectors.kpis_for_period(organisation=desk, date_from=D1, date_to=D2)
    assert both["answered_pct"] == 5.0  # 2 days → 100 × 2 / 40
    phone = selectors.kpis_for_period(
        organisation=desk, date_from=D1, date_to=D2, filters={"channel": "phone"}
    )
    assert phone["answered_pct"] is None
    days = selectors.kpis_breakdown(organisation=desk, date_from=D1, date_to=D2, by="day")
    assert [row["answered_pct"] for row in days] == [2.5, 2.5]
    channels = selectors.kpis_breakdown(organisation=desk, date_from=D1, date_to=D2, by="channel")
    assert all(row["answered_pct"] is None for row in channels)
    assert (
        metric_sample(organisation=desk, metric_key="answered_pct", date_from=D1, date_to=D2) == 2
    )


def test_a_metric_without_a_provider_has_no_value(desk, answered):
    _PROVIDERS.pop("answered_pct")
    register("other", lambda **_kw: [])
    assert (
        selectors.kpis_for_period(organisation=desk, date_from=D1, date_to=D2)["answered_pct"]
        is None
    )
    _PROVIDERS.pop("other")
    register("answered_pct", lambda **_kw: [ProvidedValue(1, 1)])  # restored for the fixture


def test_provided_entries_are_marked_so(answered):
    assert answered.source == "provided"
    assert dataclasses.is_dataclass(answered.computed)
