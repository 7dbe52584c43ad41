"""Benchmark: every dashboard metric for a 90-day period over N interactions (default 1,000,000).

    .venv/bin/python bench/kpis.py                           # SQLite in var/bench (built once)
    .venv/bin/python bench/kpis.py --cache-dir /tmp/gd-bench --rows 20000 --repeat 1
    .venv/bin/python bench/kpis.py --database-url postgres://postgres@127.0.0.1:54330/gd_bench

Builds a deterministic organisation of N interactions over six months (or reuses it: the
SQLite file in --cache-dir, or the organisation "bench" in the PostgreSQL database, which
must exist; either is migrated first; building 1,000,000 rows takes a few minutes), then times,
warm (the median of --repeat runs after one untimed run; the day summaries built first, as
the worker would have; the figures a process keeps from earlier requests emptied before
each run, except for "page_seconds", which is what a viewer gets when the figures were asked
for before, beside "page_seconds_first_view"): each metric on its own, `kpis_for_period` for all of them, each
breakdown, the daily trend, the dashboard's figures (two periods and the trend), and the
dashboard page, its goals panel, each breakdown tab and the drill-down list as a signed-in
viewer gets them; the three ways of finding first-contact resolution (the stored
next_contact_at column the product uses, and this script's window function and correlated
EXISTS); and the same definitions
computed by a straightforward pandas script on the same rows (read into a DataFrame once,
computation timed; --no-pandas skips it). Prints JSON: seconds per metric, the pandas
seconds and the ratio, whether they agree, and the machine's load average.
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import sys
import time
import zoneinfo
from pathlib import Path

ORG_SLUG = "bench"
FIRST_DAY = dt.date(2025, 9, 1)
DAYS = 181  # six months
PERIOD_DAYS = 90
TZ = "Europe/Berlin"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cache-dir", default=os.environ.get("GOALDESK_BENCH_DIR", "var/bench"))
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in the cache dir)")
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed runs per item (the median is kept)"
    )
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only the dashboard's figures, breakdowns, trend and pages (e.g. at 10,000,000 rows)",
    )
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> str:
    cache = Path(args.cache_dir).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    os.environ["GOALDESK_DATA_DIR"] = str(cache)
    url = args.database_url or f"sqlite:///{cache / f'kpis-{args.rows}.sqlite3'}"
    os.environ["GOALDESK_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goaldesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


# --- data ---------------------------------------------------------------------------------

CHANNELS = (
    ("phone", 40),
    ("email", 25),
    ("chat", 15),
    ("walk_in", 8),
    ("web", 6),
    ("social", 4),
    ("field", 2),
)
CATEGORIES = ("billing", "returns", "repair", "delivery", "account", "warranty", "complaint", "")
LIVE = {"phone", "chat", "walk_in"}


def build(rows: int, seed: int) -> float:
    """Create the organisation and its interactions unless they exist; returns seconds spent."""
    from django.db import transaction

    from goaldesk.accounts.models import Organisation
    from goaldesk.interactions.models import Interaction, Review
    from goaldesk.interactions.services import interactions_refresh_next_contact
    from goaldesk.team.models import Agent, Team

    org = Organisation.objects.filter(slug=ORG_SLUG).first()
    if org is not None and Interaction.objects.filter(organisation=org).count() == rows:
        return 0.0
    started = time.perf_counter()
    if org is not None:
        org.delete()
    org = Organisation.objects.create(name="Benchmark", slug=ORG_SLUG, timezone=TZ)
    tz = zoneinfo.ZoneInfo(TZ)
    teams = [Team.objects.create(organisation=org, name=f"Team {i}") for i in range(4)]
    agents = [
        Agent.objects.create(
            organisation=org, key=f"agent{i}", name=f"Agent {i}", team=teams[i % 4]
        )
        for i in range(40)
    ]
    rng = random.Random(seed)
    channels = [c for c, w in CHANNELS for _ in range(w)]
    customers = max(1, rows // 4)
    per_day = rows / DAYS
    batch: list[Interaction] = []

    def flush() -> None:
        Interaction.objects.bulk_create(batch, batch_size=900)
        batch.clear()

    with transaction.atomic():
        for n in range(rows):
            day = FIRST_DAY + dt.timedelta(days=min(DAYS - 1, int(n / per_day)))
            created = dt.datetime.combine(day, dt.time(8), tzinfo=tz) + dt.timedelta(
                seconds=rng.randrange(12 * 3600)
            )
            channel = rng.choice(channels)
            live = channel in LIVE
            status = rng.choices(
                ("resolved", "unresolved", "abandoned", "open"), (75, 10, 8 if live else 0, 7)
            )[0]
            agent = rng.choice(agents) if status != "abandoned" else None
            wait = round(rng.expovariate(1 / 25), 1) if live else None
            first = None if live or rng.random() < 0.1 else rng.expovariate(1 / 3600)
            first_response = first if first is not None else wait
            resolution = rng.expovariate(1 / 14400) if status == "resolved" else None
            arrive = rng.expovariate(1 / 7200) if channel == "field" else None
            csat = rng.choice((1, 2, 3, 4, 4, 5, 5, 5)) if rng.random() < 0.3 else None
            batch.append(
                Interaction(
                    organisation=org,
                    external_id=f"B{n}",
                    channel=channel,
                    created_at=created.astimezone(dt.UTC),
                    customer_id=f"c{rng.randrange(customers)}" if rng.random() < 0.85 else "",
                    agent=agent,
                    team=agent.team if agent else None,
                    category=rng.choice(CATEGORIES),
                    status=status,
                    outcome=rng.choice(("success", "success", "failure", "")),
                    wait_seconds=wait,
                    handle_seconds=rng.uniform(60, 900) if status != "abandoned" else None,
                    csat=csat,
                    nps=rng.randrange(11) if rng.random() < 0.15 else None,
                    ces=rng.randrange(1, 8) if rng.random() < 0.1 else None,
                    sentiment_start=rng.choice(("negative", "neutral", "positive", "", "")),
                    sentiment_end=rng.choice(("negative", "neutral", "positive", "")),
                    local_date=day,
                    is_live=live,
                    first_response_at=(created + dt.timedelta(seconds=first)) if first else None,
                    resolved_at=(created + dt.timedelta(seconds=resolution))
                    if resolution
                    else None,
                    first_response_seconds=first_response,
                    first_response_business_seconds=(
                        None if first_response is None else first_response * 0.6
                    ),
                    resolution_seconds=resolution,
                    resolution_business_seconds=None if resolution is None else resolution * 0.5,
                    time_to_arrive_seconds=arrive,
                    time_to_fix_seconds=None if arrive is None else arrive + rng.uniform(600, 7200),
                )
            )
            if len(batch) >= 9000:
                flush()
        flush()
        # The rows were bulk-created around the services: fill next_contact_at as they do.
        interactions_refresh_next_contact(organisation=org)
        Review.objects.bulk_create(
            Review(
                organisation=org,
                external_id=f"R{i}",
                source="maps",
                date=FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS)),
                rating=rng.randrange(1, 6),
            )
            for i in range(max(10, rows // 500))
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def goals_ensure(org, date_from: dt.date, date_to: dt.date) -> None:
    """Three goals on the dashboard's goals panel (everyone, one channel, one team), as a
    desk that tracks its service would have."""
    from goaldesk.goals.models import Goal, GoalType
    from goaldesk.team.models import Team

    if Goal.objects.filter(organisation=org).exists():
        return
    team = Team.objects.filter(organisation=org).order_by("pk").first()
    for title, key, goal_type, scope, baseline, target in (
        ("CSAT to 75 %", "csat_pct", GoalType.SATISFACTION, {}, 70.0, 75.0),
        (
            "Calls answered in time",
            "service_level",
            GoalType.RESPONSIVENESS,
            {"channel": "phone"},
            60.0,
            80.0,
        ),
        (
            "Faster resolution",
            "resolution_seconds",
            GoalType.RESOLUTION,
            {"team": team.name},
            14400.0,
            10800.0,
        ),
    ):
        Goal.objects.create(
            organisation=org,
            title=title,
            goal_type=goal_type,
            metric_key=key,
            scope=scope,
            baseline_from=date_from - dt.timedelta(days=28),
            baseline_to=date_from - dt.timedelta(days=1),
            baseline_value=baseline,
            baseline_sample=1000,
            target=target,
            start=date_from,
            deadline=date_to + dt.timedelta(days=60),
        )


# --- timing -------------------------------------------------------------------------------


def best_of(repeat: int, function, before=None):
    """The median seconds of `repeat` timed runs of function() after one untimed (warm) run,
    and its result; before() (untimed) before each run."""
    function()  # warm
    times = []
    result = None
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def page_timings(
    org, date_from, date_to, repeat: int, first_view: bool = False
) -> dict[str, float]:
    """Seconds (best of `repeat`, warm) to answer, as a signed-in viewer gets them: the
    dashboard page for the period, the goals panel and each breakdown tab it loads (HTML
    fragments), the drill-down list of the period's interactions and of one metric's, and
    "page_total": the page, its goals panel and its first tab. With `first_view`, each as the
    first request after a change: without the figures a process keeps from earlier requests
    (metrics.selectors.MEMO, emptied before each)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from goaldesk.accounts.models import Membership, Role
    from goaldesk.metrics.selectors import MEMO

    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": Role.VIEWER})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    query = f"?from={date_from.isoformat()}&to={date_to.isoformat()}"
    pages = {
        "dashboard": reverse("metrics:dashboard", args=[org.slug]) + query,
        "goals_panel": reverse("goals:dashboard_panel", args=[org.slug]) + query,
        **{
            f"breakdown_{by}": reverse("metrics:breakdown", args=[org.slug, by]) + query
            for by in ("channel", "agent", "team", "category", "day")
        },
        "drilldown": reverse("metrics:interactions", args=[org.slug]) + query,
        "drilldown_csat": reverse("metrics:interactions", args=[org.slug])
        + query
        + "&metric=csat_pct",
    }

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    before = MEMO.clear if first_view else None
    seconds = {
        name: round(best_of(repeat, lambda u=url: get(u), before)[0], 4)
        for name, url in pages.items()
    }
    seconds["page_total"] = round(
        seconds["dashboard"] + seconds["goals_panel"] + seconds["breakdown_channel"], 4
    )
    return seconds


# --- first-contact resolution found at query time -----------------------------------------
# The product reads the stored next_contact_at (one more count in the scan the other metrics
# make); these two find the later contacts when asked, to compare with it.


def fcr_by_window(org, date_from, date_to):
    """fcr_rate with one window function: every interaction with a customer gets the first
    strictly later contact of the same customer and category (the minimum created_at over the
    rows after it, its ties excluded), over the period and the eight days after it (168 h
    plus any time-zone offset stays within 8 local days)."""
    from django.db import connection

    from goaldesk.interactions.models import Interaction
    from goaldesk.metrics.catalogue import FCR_WINDOW_HOURS, ratio
    from goaldesk.metrics.sql import sqlite_plus_hours

    table = Interaction._meta.db_table
    if connection.vendor == "sqlite":
        limit = sqlite_plus_hours("created_at", FCR_WINDOW_HOURS)
    else:
        limit = f"created_at + interval '{FCR_WINDOW_HOURS} hours'"
    sql = f"""
        SELECT COUNT(*), SUM(CASE WHEN next_at <= {limit} THEN 1 ELSE 0 END)
        FROM (
            SELECT local_date, status, created_at,
                   MIN(created_at) OVER (
                       PARTITION BY customer_id, category ORDER BY created_at
                       RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE GROUP
                   ) AS next_at
            FROM {table}
            WHERE organisation_id = %s AND customer_id <> '' AND local_date BETWEEN %s AND %s
        ) AS w
        WHERE status = 'resolved' AND local_date BETWEEN %s AND %s
    """  # noqa: S608 - table and column names are ours, values are parameters
    params = [org.pk, date_from, date_to + dt.timedelta(days=8), date_from, date_to]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        n, repeated = cursor.fetchone()
    return ratio(n - (repeated or 0), n, 100)


def fcr_by_exists(org, date_from, date_to):
    """fcr_rate with a correlated EXISTS per candidate on the (organisation, customer,
    category, created_at) index."""
    from django.db.models import Count, Exists, OuterRef, Q

    from goaldesk.interactions.models import Interaction
    from goaldesk.metrics.catalogue import FCR_WINDOW_HOURS, ratio
    from goaldesk.metrics.selectors import interactions_in_period
    from goaldesk.metrics.sql import PlusHours

    later = Exists(
        Interaction.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            customer_id=OuterRef("customer_id"),
            category=OuterRef("category"),
            created_at__gt=OuterRef("created_at"),
            created_at__lte=PlusHours(OuterRef("created_at"), FCR_WINDOW_HOURS),
        )
    )
    row = (
        interactions_in_period(organisation=org, date_from=date_from, date_to=date_to)
        .filter(status="resolved")
        .exclude(customer_id="")
        .order_by()
        .aggregate(n=Count("pk"), repeated=Count("pk", filter=Q(later)))
    )
    return ratio(row["n"] - row["repeated"], row["n"], 100)


# --- pandas -------------------------------------------------------------------------------


def load_frame(org):
    import pandas as pd
    from django.db import connection

    sql = (
        "SELECT channel, created_at, customer_id, agent_id, team_id, category, status, outcome, "
        "wait_seconds, handle_seconds, csat, nps, ces, sentiment_start, sentiment_end, local_date, "
        "is_live, first_response_seconds, first_response_business_seconds, resolution_seconds, "
        "resolution_business_seconds, time_to_arrive_seconds, time_to_fix_seconds "
        "FROM interactions_interaction WHERE organisation_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org.pk])
        columns = [c[0] for c in cursor.description]
        frame = pd.DataFrame(cursor.fetchall(), columns=columns)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, format="mixed")
    frame["local_date"] = pd.to_datetime(frame["local_date"]).dt.date
    frame["is_live"] = frame["is_live"].astype(bool)
    for column in ("csat", "nps", "ces", "wait_seconds", "handle_seconds"):
        frame[column] = pd.to_numeric(frame[column])
    reviews_sql = "SELECT date, rating FROM interactions_review WHERE organisation_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(reviews_sql, [org.pk])
        reviews = pd.DataFrame(cursor.fetchall(), columns=["date", "rating"])
    reviews["date"] = pd.to_datetime(reviews["date"]).dt.date
    return frame, reviews


def pandas_metrics(frame, reviews, date_from, date_to, open_days, target):
    """Each metric's definition written directly in pandas: {key: function() → value}."""
    import numpy as np
    import pandas as pd

    def period():
        return frame[(frame["local_date"] >= date_from) & (frame["local_date"] <= date_to)]

    def pct(num, den):
        return None if not den else 100.0 * num / den

    def duration(column):
        def compute():
            values = np.sort(period()[column].dropna().to_numpy())
            n = len(values)
            if not n:
                return None
            median = (values[(n - 1) // 2] + values[n // 2]) / 2
            return {
                "mean": float(values.mean()),
                "median": float(median),
                "p90": float(values[math.ceil(round(0.9 * n, 9)) - 1]),
                "count": n,
            }

        return compute

    def fcr():
        cut = frame[
            (frame["customer_id"] != "")
            & (frame["local_date"] >= date_from)
            & (frame["local_date"] <= date_to + dt.timedelta(days=8))
        ]
        distinct = (
            cut[["customer_id", "category", "created_at"]]
            .drop_duplicates()
            .sort_values(["customer_id", "category", "created_at"])
        )
        distinct["next_at"] = distinct.groupby(["customer_id", "category"])["created_at"].shift(-1)
        p = period()
        base = p[(p["status"] == "resolved") & (p["customer_id"] != "")]
        merged = base.merge(distinct, on=["customer_id", "category", "created_at"], how="left")
        repeated = (
            merged["next_at"].notna()
            & (merged["next_at"] <= merged["created_at"] + pd.Timedelta(hours=168))
        ).sum()
        return pct(len(merged) - repeated, len(merged))

    def returning():
        p = period()
        days = p[p["customer_id"] != ""].groupby("customer_id")["local_date"].nunique()
        return pct(int((days >= 2).sum()), len(days))

    def live_stats():
        p = period()
        live = p[p["is_live"]]
        answered = live[live["status"] != "abandoned"]
        return live, answered

    def period_reviews():
        return reviews[(reviews["date"] >= date_from) & (reviews["date"] <= date_to)]

    def mean_or_none(series):
        series = series.dropna()
        return float(series.mean()) if len(series) else None

    return {
        "contacts": lambda: len(period()),
        "contacts_per_open_day": lambda: len(period()) / open_days,
        "customers_helped_per_day": lambda: (
            int((period()["status"] == "resolved").sum()) / open_days
        ),
        "first_response_seconds": duration("first_response_seconds"),
        "first_response_business_seconds": duration("first_response_business_seconds"),
        "resolution_seconds": duration("resolution_seconds"),
        "resolution_business_seconds": duration("resolution_business_seconds"),
        "success_rate": lambda: (
            lambda o: pct((o == "success").sum(), o.isin(["success", "failure"]).sum())
        )(period()["outcome"]),
        "fcr_rate": fcr,
        "csat_pct": lambda: (lambda c: pct((c >= 4).sum(), len(c)))(period()["csat"].dropna()),
        "csat_avg": lambda: mean_or_none(period()["csat"]),
        "nps": lambda: (lambda s: pct((s >= 9).sum() - (s <= 6).sum(), len(s)))(
            period()["nps"].dropna()
        ),
        "ces_avg": lambda: mean_or_none(period()["ces"]),
        "recovery_rate": lambda: (
            lambda neg: pct(
                (
                    (neg["sentiment_end"] == "positive")
                    | ((neg["sentiment_end"] == "") & (neg["csat"] >= 4))
                ).sum(),
                len(neg),
            )
        )(period()[period()["sentiment_start"] == "negative"]),
        "returning_customer_rate": returning,
        "service_level": lambda: (
            lambda la: pct((la[1]["wait_seconds"] <= target).sum(), len(la[0]))
        )(live_stats()),
        "abandon_rate": lambda: (lambda la: pct(len(la[0]) - len(la[1]), len(la[0])))(live_stats()),
        "asa_seconds": lambda: mean_or_none(live_stats()[1]["wait_seconds"]),
        "aht_seconds": lambda: mean_or_none(period()["handle_seconds"]),
        "time_to_arrive_seconds": duration("time_to_arrive_seconds"),
        "time_to_fix_seconds": duration("time_to_fix_seconds"),
        "review_rating_avg": lambda: mean_or_none(period_reviews()["rating"].astype(float)),
        "review_count": lambda: len(period_reviews()),
    }


def agree(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return all(agree(a[k], b[k]) for k in a)
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)


def main() -> int:
    args = parse_args()
    url = setup_django(args)
    build_seconds = build(args.rows, args.seed)

    from goaldesk.accounts.models import Organisation
    from goaldesk.metrics.summaries import summaries_build

    # What the worker does after an import: the day summaries of the days that changed.
    started = time.perf_counter()
    summaries_build(Organisation.objects.get(slug=ORG_SLUG))
    summaries_seconds = time.perf_counter() - started

    from django.db import connection

    from goaldesk.accounts.models import Organisation
    from goaldesk.accounts.selectors import business_calendar_for
    from goaldesk.metrics.catalogue import KEYS
    from goaldesk.metrics.selectors import (
        GROUPINGS,
        MEMO,
        interactions_in_period,
        kpis_breakdown,
        kpis_for_period,
        kpis_for_periods,
        kpis_trend,
    )
    from goaldesk.metrics.views import CARD_KEYS

    org = Organisation.objects.get(slug=ORG_SLUG)
    date_to = FIRST_DAY + dt.timedelta(days=DAYS - 1)
    date_from = date_to - dt.timedelta(days=PERIOD_DAYS - 1)
    scope = {"organisation": org, "date_from": date_from, "date_to": date_to}
    period_rows = interactions_in_period(**scope).count()

    metrics: dict[str, dict] = {}
    db_values = {}
    for key in () if args.pages_only else KEYS:
        seconds, value = best_of(
            args.repeat, lambda k=key: kpis_for_period(**scope, keys=[k]), MEMO.clear
        )
        metrics[key] = {"db_seconds": round(seconds, 4)}
        db_values[key] = value[key]
    whole, _ = best_of(args.repeat, lambda: kpis_for_period(**scope), MEMO.clear)
    breakdowns = {}
    for by in GROUPINGS:
        seconds, _ = best_of(args.repeat, lambda b=by: kpis_breakdown(**scope, by=b), MEMO.clear)
        breakdowns[by] = round(seconds, 4)
    trend, _ = best_of(args.repeat, lambda: kpis_trend(**scope), MEMO.clear)
    # What the dashboard page computes: the period, the one before and the cards' trend.
    previous = (date_from - dt.timedelta(days=PERIOD_DAYS), date_from - dt.timedelta(days=1))
    both_periods, _ = best_of(
        args.repeat,
        lambda: kpis_for_periods(
            organisation=org,
            periods=[(date_from, date_to), previous],
            trend_keys=CARD_KEYS,
        ),
        MEMO.clear,
    )
    goals_ensure(org, date_from, date_to)
    pages = page_timings(org, date_from, date_to, args.repeat)
    first_views = page_timings(org, date_from, date_to, args.repeat, first_view=True)
    strategies = {}
    ways = {
        "column": lambda: kpis_for_period(**scope, keys=["fcr_rate"])["fcr_rate"],
        "window": lambda: fcr_by_window(org, date_from, date_to),
        "exists": lambda: fcr_by_exists(org, date_from, date_to),
    }
    for strategy, compute in {} if args.pages_only else ways.items():
        seconds, value = best_of(args.repeat, compute)
        strategies[strategy] = {"seconds": round(seconds, 4), "value": value}

    pandas_report = {}
    if not args.no_pandas and not args.pages_only:
        started = time.perf_counter()
        frame, reviews = load_frame(org)
        load_seconds = time.perf_counter() - started
        open_days = business_calendar_for(org).open_days(date_from, date_to)
        computations = pandas_metrics(
            frame, reviews, date_from, date_to, open_days, org.answer_target_seconds
        )
        for key, compute in computations.items():
            seconds, value = best_of(args.repeat, compute)
            metrics[key]["pandas_seconds"] = round(seconds, 4)
            metrics[key]["ratio_db_to_pandas"] = round(metrics[key]["db_seconds"] / seconds, 2)
            metrics[key]["agrees_with_pandas"] = agree(db_values[key], value)
        pandas_report = {
            "load_seconds": round(load_seconds, 2),
            "all_metrics_seconds": round(sum(m["pandas_seconds"] for m in metrics.values()), 4),
        }

    report = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "database": connection.vendor,
        "database_url": url.split("@")[-1] if "@" in url else url,
        "rows": args.rows,
        "period": [date_from.isoformat(), date_to.isoformat()],
        "period_rows": period_rows,
        "build_seconds": round(build_seconds, 1),
        "summaries_build_seconds": round(summaries_seconds, 1),
        "repeat": args.repeat,
        "metrics": metrics,
        "kpis_for_period_seconds": round(whole, 4),
        "breakdown_seconds": breakdowns,
        "trend_seconds": round(trend, 4),
        "dashboard_figures_seconds": round(both_periods, 4),
        "page_seconds": pages,
        "page_seconds_first_view": first_views,
        "fcr_strategies": strategies,
        "slowest_metric": max(metrics, key=lambda k: metrics[k]["db_seconds"], default=None),
        "pandas": pandas_report,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
