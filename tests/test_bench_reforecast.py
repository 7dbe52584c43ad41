"""The re-forecast benchmark on a tiny series whose answer is known: days that differ only in
their level are forecast exactly once the morning's level is known."""

import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np

from goaldesk.engine.forecast import DemandHistory

_PATH = Path(__file__).resolve().parent.parent / "bench" / "reforecast.py"
_SPEC = importlib.util.spec_from_file_location("bench_reforecast", _PATH)
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


def test_a_level_shift_is_removed_by_rescaling_and_not_by_the_morning_forecast():
    first = dt.date(2003, 3, 3)  # a Monday
    days = 7 * 12
    rng = np.random.default_rng(1)
    levels = rng.choice([0.8, 1.25], size=days)
    volumes = np.full((days, 48), np.nan)
    for d in range(days):
        if (first + dt.timedelta(days=d)).weekday() < 5:
            volumes[d] = 0.0
            volumes[d, 14:42] = 100 * levels[d]  # 07:00–21:00, flat
    history = DemandHistory(first_day=first, interval_minutes=30, volumes=volumes)
    mondays = [first + dt.timedelta(weeks=10), first + dt.timedelta(weeks=11)]
    report = bench.evaluate(history, mondays, max_factor=2.0)
    assert report["days"] == 10
    noon = report["by_hour"]["12:00"]
    assert noon["wape_morning_mean"] > 0.1
    assert noon["wape_rescaled_mean"] == 0.0
    assert noon["share_of_days_rescaled_better"] == 1.0
