"""Benchmark: how much re-forecasting the rest of the day from the morning's level helps.

Reads the bank's five-minute call counts (Weinberg, Brown & Stroud 2007: a North American
commercial bank, weekdays 07:00–21:05, March–October 2003), adds them up to 30-minute intervals
and, for each test week, forecasts it as the product does: on the Monday, the three default
methods are backtested over the 8 Mondays before (one week ahead each), the best WAPE is refit on
the 26 weeks before and forecasts the week. Then, for each test day and each re-forecast hour h,
it compares on the intervals from h to closing (the rest of the day):

  (a) the morning's forecast, untouched;
  (b) the rest rescaled by actual ÷ forecast of the intervals before h
      (`engine.forecast.reforecast_rest_of_day`, without a guard, factor capped at --max-factor);
  (c) "guarded": (b) only where the product's guard lets it (REFORECAST_MIN_OPEN_MINUTES open
      minutes and REFORECAST_MIN_CONTACTS contacts forecast so far), else (a).

WAPE = Σ|actual − forecast| / Σ actual over the rest of the day. Prints, per h, the median and
mean WAPE of (a) and (b) and the mean of (c) over the days, the share of days where (b) is better, and the number of
days. `--thin` repeats everything on binomially thinned counts (each call kept with that
probability, fixed seed), which stands for a smaller centre: it shows from how many contacts so
far the morning's level is worth trusting. Prints JSON.

    python bench/reforecast.py [--data PATH] [--weeks 20] [--thin 1,0.1,0.02]
"""

import argparse
import csv
import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from goaldesk.engine.forecast import (
    REFORECAST_MAX_FACTOR,
    REFORECAST_MIN_CONTACTS,
    REFORECAST_MIN_OPEN_MINUTES,
    DemandHistory,
    Forecaster,
    backtest,
    default_forecasters,
    reforecast_rest_of_day,
    select_best,
    wape,
    weekly_origins,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "bank_calls_2003" / "bank_calls.csv"
HOLIDAYS = frozenset({dt.date(2003, 5, 26), dt.date(2003, 7, 4), dt.date(2003, 9, 1)})
INTERVAL_MINUTES = 30
HISTORY_WEEKS = 26  # the product's default history for a forecast
BACKTEST_WEEKS = 8  # as forecasting.services
HOURS = (9, 10, 11, 12, 13, 14, 15, 16)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--weeks", type=int, default=20, help="test weeks, the last of the data")
    parser.add_argument("--max-factor", type=float, default=REFORECAST_MAX_FACTOR)
    parser.add_argument(
        "--thin",
        default="1,0.1,0.02",
        help="comma-separated keep probabilities (1 = the real counts)",
    )
    parser.add_argument("--seed", type=int, default=2003)
    return parser.parse_args()


def load(path: str) -> tuple[list[dt.datetime], list[float]]:
    stamps: list[dt.datetime] = []
    volumes: list[float] = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            # The timestamps are the bank's local wall clock written with a Z; keep them as is.
            stamps.append(dt.datetime.fromisoformat(row["DateTime"].replace("Z", "+00:00")))
            volumes.append(float(row["Calls"]))
    return stamps, volumes


def history_of(stamps: list[dt.datetime], volumes: list[float]) -> DemandHistory:
    return DemandHistory.from_points(
        stamps, volumes, interval_minutes=INTERVAL_MINUTES, timezone="UTC", holidays=HOLIDAYS
    )


def trimmed(history: DemandHistory, day: dt.date) -> DemandHistory:
    """The `HISTORY_WEEKS` weeks before `day`."""
    past = history.before(day)
    first = max(past.first_day, day - dt.timedelta(weeks=HISTORY_WEEKS))
    skip = (first - past.first_day).days
    return DemandHistory(
        first_day=first,
        interval_minutes=past.interval_minutes,
        volumes=past.volumes[skip:],
        holidays=past.holidays,
        timezone=past.timezone,
    )


def week_forecast(history: DemandHistory, monday: dt.date) -> tuple[np.ndarray, str]:
    """The product's forecast of the 7 days from `monday` (best of the default methods)."""
    past = trimmed(history, monday)
    origins = weekly_origins(past, weeks=BACKTEST_WEEKS)
    factories: list[Callable[[], Forecaster]] = default_forecasters()
    results = [backtest(f, past, origins=origins, horizon_days=7) for f in factories]
    chosen = factories[results.index(select_best(results))]
    model = chosen().fit(past)
    return model.predict(7).point, model.name


def evaluate(history: DemandHistory, mondays: list[dt.date], max_factor: float) -> dict:
    per_hour: dict[int, dict[str, list[float]]] = {
        h: {"morning": [], "rescaled": [], "guarded": [], "forecast_so_far": [], "factor": []}
        for h in HOURS
    }
    methods: dict[str, int] = {}
    days = 0
    for monday in mondays:
        point, method = week_forecast(history, monday)
        methods[method] = methods.get(method, 0) + 1
        actual, learnable = history.rows_for(monday, 7)
        for d in range(7):
            if not learnable[d].any() or point[d].sum() <= 0:
                continue  # weekend, holiday or a day without data
            open_slots = learnable[d]
            days += 1
            for h in HOURS:
                elapsed = h * 60 // INTERVAL_MINUTES
                rest = np.zeros_like(open_slots)
                rest[elapsed:] = True
                rest &= open_slots
                morning = point[d]
                result = reforecast_rest_of_day(
                    morning,
                    np.nan_to_num(actual[d]),
                    elapsed_intervals=elapsed,
                    min_forecast_so_far=0.0,
                    max_factor=max_factor,
                )
                guarded = reforecast_rest_of_day(
                    morning,
                    np.nan_to_num(actual[d]),
                    elapsed_intervals=elapsed,
                    min_open_intervals=REFORECAST_MIN_OPEN_MINUTES // INTERVAL_MINUTES,
                    min_forecast_so_far=REFORECAST_MIN_CONTACTS,
                    max_factor=max_factor,
                )
                bucket = per_hour[h]
                bucket["guarded"].append(wape(actual[d][rest], guarded.forecast[rest]))
                bucket["morning"].append(wape(actual[d][rest], morning[rest]))
                bucket["rescaled"].append(wape(actual[d][rest], result.forecast[rest]))
                bucket["forecast_so_far"].append(float(morning[:elapsed].sum()))
                bucket["factor"].append(result.factor)
    out: dict = {"days": days, "methods_chosen_by_week": methods, "by_hour": {}}
    for h, bucket in per_hour.items():
        morning = np.asarray(bucket["morning"])
        rescaled = np.asarray(bucket["rescaled"])
        guarded = np.asarray(bucket["guarded"])
        out["by_hour"][f"{h:02d}:00"] = {
            "wape_morning_median": round(float(np.median(morning)), 4),
            "wape_rescaled_median": round(float(np.median(rescaled)), 4),
            "wape_morning_mean": round(float(morning.mean()), 4),
            "wape_rescaled_mean": round(float(rescaled.mean()), 4),
            "wape_guarded_mean": round(float(guarded.mean()), 4),
            "share_of_days_rescaled_better": round(float((rescaled < morning).mean()), 3),
            "forecast_so_far_median": round(statistics.median(bucket["forecast_so_far"]), 1),
            "factor_median": round(statistics.median(bucket["factor"]), 3),
            "factor_range": [round(min(bucket["factor"]), 3), round(max(bucket["factor"]), 3)],
        }
    return out


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    stamps, volumes = load(args.data)
    full = history_of(stamps, volumes)
    last_monday = full.last_day - dt.timedelta(days=full.last_day.weekday())
    if full.last_day.weekday() < 4:  # the last week is incomplete: leave it out
        last_monday -= dt.timedelta(weeks=1)
    mondays = [last_monday - dt.timedelta(weeks=w) for w in range(args.weeks - 1, -1, -1)]
    rng = np.random.default_rng(args.seed)
    report: dict = {
        "data": str(args.data),
        "interval_minutes": INTERVAL_MINUTES,
        "test_weeks": [mondays[0].isoformat(), mondays[-1].isoformat()],
        "max_factor": args.max_factor,
        "runs": {},
    }
    for keep in (float(p) for p in args.thin.split(",")):
        counts = volumes if keep >= 1 else rng.binomial(np.asarray(volumes, int), keep).tolist()
        history = history_of(stamps, [float(v) for v in counts])
        report["runs"][f"keep_{keep:g}"] = evaluate(history, mondays, args.max_factor)
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
