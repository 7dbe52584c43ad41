"""Reads of forecasting that need no database: a requirement grouped into local days."""

import datetime as dt
import zoneinfo

import numpy as np

from goaldesk.engine import IntervalRequirements
from goaldesk.forecasting.selectors import requirement_days

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _requirements(agents, gross, service_level):
    n = len(agents)
    return IntervalRequirements(
        agents=np.array(agents, dtype=np.int64),
        agents_with_shrinkage=np.array(gross, dtype=np.int64),
        offered_load=np.zeros(n),
        service_level=np.array(service_level),
        asa_seconds=np.full(n, 7.5),
        occupancy=np.full(n, 0.5),
        p_wait=np.full(n, 0.25),
        p_abandon=None,
    )


def _starts():
    # Two local days; 23:30 on the 4th is still the 4th in Berlin (22:30 UTC).
    return [
        dt.datetime(2024, 3, 4, 8, 0, tzinfo=BERLIN),
        dt.datetime(2024, 3, 4, 8, 30, tzinfo=BERLIN),
        dt.datetime(2024, 3, 4, 9, 0, tzinfo=BERLIN),
        dt.datetime(2024, 3, 4, 22, 30, tzinfo=dt.UTC),
        dt.datetime(2024, 3, 5, 8, 0, tzinfo=BERLIN),
    ]


def test_each_day_has_its_first_busiest_interval_hours_and_lowest_service_level():
    days = requirement_days(
        starts=_starts(),
        volumes=[0.0, 4.0, 6.0, 0.0, 0.0],
        requirements=_requirements([0, 2, 2, 0, 0], [0, 3, 4, 0, 0], [1.0, 0.85, 0.8, 1.0, 1.0]),
        interval_minutes=30,
        tz=BERLIN,
        deferred=False,
    )
    assert [d.day for d in days] == [dt.date(2024, 3, 4), dt.date(2024, 3, 5)]
    monday, tuesday = days
    assert monday.volume == 10.0
    # 08:30 and 09:00 both need 2 agents: the earlier one is the peak, with its own 3 gross.
    assert monday.peak is not None
    assert monday.peak.start == dt.datetime(2024, 3, 4, 8, 30, tzinfo=BERLIN)
    assert (monday.peak.agents, monday.peak.agents_with_shrinkage) == (2, 3)
    assert [s.start.hour for s in monday.slots] == [8, 9]  # only intervals with demand
    assert monday.agent_hours == 2.0  # (2 + 2) agents × half an hour
    assert monday.agent_hours_with_shrinkage == 3.5  # (3 + 4) × half an hour
    assert monday.min_service_level_pct == 80.0
    assert monday.slots[0].occupancy_pct == 50.0 and monday.slots[0].p_wait_pct == 25.0
    assert tuesday.peak is None and tuesday.slots == []
    assert (tuesday.volume, tuesday.agent_hours, tuesday.min_service_level_pct) == (0.0, 0.0, None)


def test_deferred_work_has_no_service_level():
    days = requirement_days(
        starts=_starts()[:3],
        volumes=[0.0, 4.0, 6.0],
        requirements=_requirements([1, 2, 2], [1, 3, 4], [0.0, 0.0, 0.0]),
        interval_minutes=60,
        tz=BERLIN,
        deferred=True,
    )
    (monday,) = days
    # An interval with agents but no demand is still shown, and it counts in the hours.
    assert [s.start.minute for s in monday.slots] == [0, 30, 0]
    assert monday.agent_hours == 5.0
    assert monday.min_service_level_pct is None
