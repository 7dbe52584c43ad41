"""Benchmark: forecast accuracy on a real call-centre series and fit+predict time.

Reads the bank's five-minute call counts (Weinberg, Brown & Stroud 2007; weekdays 07:00–21:05,
March–October 2003), adds them up to 30-minute intervals and backtests every GoalDesk method
with a rolling origin over the last 8 Mondays, one week ahead each. US bank holidays in the
period (26 May, 4 July, 1 September) are passed as holidays; other absent days are missing.
statsforecast's MSTL (daily and weekly seasonality on the open intervals) is the outside
reference; statsforecast pulls in numba, so it is optional: imported when installed here,
otherwise run in --ref-python (default $GOALDESK_BENCH_PYTHON or /tmp/bench-venv/bin/python),
otherwise skipped. Prints JSON.

    python bench/forecast.py [--data PATH]
"""

import argparse
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from goaldesk.engine.forecast import (
    DemandHistory,
    RobustSeasonalModel,
    SeasonalNaive,
    WeekdayIntervalMean,
    backtest,
    select_best,
    wape,
    weekly_origins,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "bank_calls_2003" / "bank_calls.csv"
HOLIDAYS = frozenset({dt.date(2003, 5, 26), dt.date(2003, 7, 4), dt.date(2003, 9, 1)})
INTERVAL_MINUTES = 30

# Run inside the reference interpreter: {"series": [[...], ...], "season": [..], "h": n}.
MSTL_SCRIPT = r"""
import json, sys, time
import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import MSTL
job = json.load(sys.stdin)
out, seconds = [], []
for values in job["series"]:
    frame = pd.DataFrame({"unique_id": "bank", "ds": np.arange(len(values)), "y": values})
    start = time.perf_counter()
    model = StatsForecast(models=[MSTL(season_length=job["season"])], freq=1, n_jobs=1)
    forecast = model.forecast(df=frame, h=job["h"])
    seconds.append(time.perf_counter() - start)
    out.append(forecast["MSTL"].tolist())
import statsforecast
print(json.dumps({"forecasts": out, "seconds": seconds, "version": statsforecast.__version__}))
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--weeks", type=int, default=8, help="backtest origins (Mondays)")
    parser.add_argument("--repeat", type=int, default=3, help="timed fit+predict runs")
    parser.add_argument(
        "--ref-python",
        default=os.environ.get(
            "GOALDESK_BENCH_PYTHON",
            "/tmp/bench-venv/bin/python",  # noqa: S108 - a developer's side venv, only read
        ),
    )
    parser.add_argument("--no-mstl", action="store_true")
    return parser.parse_args()


def load(path: str) -> DemandHistory:
    stamps: list[dt.datetime] = []
    volumes: list[float] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            # The timestamps are the bank's local wall clock written with a Z; keep them as is.
            moment = dt.datetime.fromisoformat(row["DateTime"].replace("Z", "+00:00"))
            stamps.append(moment)
            volumes.append(float(row["Calls"]))
    return DemandHistory.from_points(
        stamps, volumes, interval_minutes=INTERVAL_MINUTES, timezone="UTC", holidays=HOLIDAYS
    )


def open_slots(history: DemandHistory) -> np.ndarray:
    """Intervals of the day that are ever open on weekdays (07:00–21:00 here)."""
    seen = np.nan_to_num(history.volumes[history.weekdays < 5]) > 0
    return np.flatnonzero(seen.any(axis=0))


def mstl_series(history: DemandHistory, origin: dt.date, slots: np.ndarray) -> list[float]:
    """Open intervals of the weekdays before `origin`, with holidays and missing days filled by
    the same day one week earlier (MSTL needs a gap-free series)."""
    past = history.before(origin)
    values = np.where(past.learnable, past.volumes, np.nan)[:, slots]
    rows = []
    for day in range(past.days):
        if past.weekdays[day] >= 5:
            continue
        row = values[day].copy()
        if np.isnan(row).any() and len(rows) >= 5:
            row = np.where(np.isnan(row), rows[-5], row)
        rows.append(row)
    start = next(i for i, r in enumerate(rows) if not np.isnan(r).any())
    return np.concatenate(rows[start:]).tolist()


def run_mstl(args: argparse.Namespace, history: DemandHistory, origins: list[dt.date]) -> dict:
    if args.no_mstl:
        return {"skipped": "--no-mstl"}
    slots = open_slots(history)
    per_day = len(slots)
    job = {
        "series": [mstl_series(history, origin, slots) for origin in origins],
        "season": [per_day, per_day * 5],
        "h": per_day * 5,
    }
    try:
        import statsforecast  # noqa: F401

        python = sys.executable
    except ImportError:
        python = args.ref_python
        if not Path(python).exists():
            return {"skipped": f"statsforecast not installed here and {python} does not exist"}
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [python, "-c", MSTL_SCRIPT],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return {"skipped": f"MSTL run failed: {result.stderr.strip()[-300:]}"}
    reference = json.loads(result.stdout)
    actual_all, forecast_all, per_origin = [], [], []
    for origin, values in zip(origins, reference["forecasts"], strict=True):
        actual, mask = history.rows_for(origin, 7)
        predicted = np.zeros_like(actual)
        weekdays = [(origin + dt.timedelta(days=d)).weekday() for d in range(7)]
        week = np.asarray(values).reshape(5, per_day)
        for d, weekday in enumerate(weekdays):
            if weekday < 5:
                predicted[d, slots] = np.clip(week[weekday], 0, None)
        actual_all.append(actual[mask])
        forecast_all.append(predicted[mask])
        per_origin.append(wape(actual[mask], predicted[mask]))
    a = np.concatenate(actual_all)
    f = np.concatenate(forecast_all)
    return {
        "version": reference["version"],
        "wape": round(wape(a, f), 4),
        "wape_by_origin": [round(w, 4) for w in per_origin],
        "fit_predict_seconds_mean": round(float(np.mean(reference["seconds"])), 3),
    }


def main() -> None:
    args = parse_args()
    history = load(args.data)
    origins = weekly_origins(history, weeks=args.weeks)
    methods = {
        "seasonal_naive": SeasonalNaive,
        "weekday_mean": WeekdayIntervalMean,
        "weekday_median": lambda: WeekdayIntervalMean(statistic="median"),
        "weekday_trimmed": lambda: WeekdayIntervalMean(statistic="trimmed"),
        "robust_seasonal": RobustSeasonalModel,
    }
    results = {}
    for name, factory in methods.items():
        start = time.perf_counter()
        result = backtest(factory, history, origins=origins, horizon_days=7)
        results[name] = {
            "wape": round(result.wape, 4),
            "mase": round(result.mase, 4),
            "wape_by_origin": [round(w, 4) for w in result.wape_by_origin],
            "backtest_seconds": round(time.perf_counter() - start, 3),
        }
    # The product's competition: the three default methods; the best WAPE wins.
    competing = [
        backtest(f, history, origins=origins, horizon_days=7)
        for f in (SeasonalNaive, WeekdayIntervalMean, RobustSeasonalModel)
    ]
    chosen = select_best(competing)

    fit_times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        RobustSeasonalModel().fit(history).predict(56)
        fit_times.append(time.perf_counter() - start)

    mstl = run_mstl(args, history, origins)
    naive = results["seasonal_naive"]["wape"]
    chosen_wape = round(chosen.wape, 4)
    targets = {
        "at_least_10pct_below_seasonal_naive": chosen_wape <= 0.9 * naive,
        "improvement_over_seasonal_naive_pct": round(100 * (1 - chosen_wape / naive), 1),
        "no_worse_than_weekday_mean": chosen_wape <= results["weekday_mean"]["wape"],
        "no_worse_than_mstl": (chosen_wape <= mstl["wape"]) if "wape" in mstl else None,
        "fit_predict_under_5s": max(fit_times) < 5,
    }
    report = {
        "data": str(args.data),
        "days": history.days,
        "interval_minutes": INTERVAL_MINUTES,
        "origins": [o.isoformat() for o in origins],
        "methods": results,
        "mstl": mstl,
        "chosen": chosen.method,
        "chosen_wape": chosen_wape,
        "fit_predict_seconds_one_channel_year": round(max(fit_times), 3),
        "targets": targets,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
