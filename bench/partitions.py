"""Benchmark: what monthly partitioning of interactions would change on PostgreSQL; print JSON.

    .venv/bin/python bench/partitions.py --database-url postgres://postgres@127.0.0.1:54330/gd_bench

Run it on a database bench/kpis.py filled (`bench/multiply.py` makes its organisation ten
times larger). It copies the organisation's interactions into two scratch tables with the
product's indexes: one plain, as the product keeps them, and one partitioned by month of
`local_date` (PostgreSQL's declarative partitioning). It then times, on each (median of
--repeat warm runs), the reads the product makes of raw interactions: a period's figures
under two filters (the dashboard's fallback when the day summaries cannot answer), the count
and first page of a drill-down, one day's rows (what the worker reads to build a day's
summaries), and a year-long report; and retention: removing the oldest month (DELETE on
the plain table, DETACH and DROP of its partition on the other). Both tables are dropped at
the end; the product's own tables are only read.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time

import psycopg

# The product's indexes on interactions (interactions/models.py), named for the scratch table.
INDEXES = (
    "(organisation_id, local_date)",
    "(organisation_id, customer_id, category, created_at)",
    "(agent_id)",
    "(team_id)",
    "(imported_by_id)",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--organisation", default="bench", help="slug (default: bench)")
    parser.add_argument("--repeat", type=int, default=5)
    return parser.parse_args()


def timed(conn: psycopg.Connection, sql: str, params: tuple, repeat: int) -> dict:
    conn.execute(sql, params).fetchall()  # warm
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = conn.execute(sql, params).fetchall()
        runs.append(time.perf_counter() - started)
    return {"seconds": round(statistics.median(runs), 4), "rows": len(rows)}


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s to `last`'s."""
    found, day = [], first.replace(day=1)
    while day <= last:
        found.append(day)
        day = next_month(day)
    return found


def build(conn: psycopg.Connection, org: int, first: dt.date, last: dt.date) -> dict:
    """Create and fill bench_plain and bench_monthly; return the seconds each took."""
    seconds = {}
    conn.execute("DROP TABLE IF EXISTS bench_plain, bench_monthly CASCADE")
    conn.execute("CREATE TABLE bench_plain (LIKE interactions_interaction INCLUDING DEFAULTS)")
    conn.execute(
        "CREATE TABLE bench_monthly (LIKE interactions_interaction INCLUDING DEFAULTS)"
        " PARTITION BY RANGE (local_date)"
    )
    for month in months(first, last):
        following = next_month(month)
        conn.execute(
            f"CREATE TABLE bench_monthly_{month:%Y_%m} PARTITION OF bench_monthly"
            f" FOR VALUES FROM ('{month}') TO ('{following}')"
        )
    for table in ("bench_plain", "bench_monthly"):
        started = time.perf_counter()
        conn.execute(
            f"INSERT INTO {table} SELECT * FROM interactions_interaction"  # noqa: S608
            " WHERE organisation_id = %s",
            (org,),
        )
        conn.execute(f"ALTER TABLE {table} ADD PRIMARY KEY (id, local_date)")
        # A unique key of a partitioned table must hold the partition key: (organisation,
        # external_id) alone can only be unique per month there.
        conn.execute(f"CREATE UNIQUE INDEX ON {table} (organisation_id, external_id, local_date)")
        for columns in INDEXES:
            conn.execute(f"CREATE INDEX ON {table} {columns}")
        conn.execute(f"ANALYZE {table}")
        seconds[table] = round(time.perf_counter() - started, 1)
    return seconds


def queries(org: int, first: dt.date, last: dt.date, agent: int) -> dict[str, tuple[str, tuple]]:
    start = last - dt.timedelta(days=89)
    day = last - dt.timedelta(days=10)
    return {
        # The period's figures for one channel and one agent (two filters: no day summary).
        "period_two_filters": (
            "SELECT count(*), avg(handle_seconds),"
            " percentile_disc(0.5) WITHIN GROUP (ORDER BY first_response_seconds),"
            " percentile_disc(0.9) WITHIN GROUP (ORDER BY first_response_seconds),"
            " count(*) FILTER (WHERE csat >= 4)::float / nullif(count(csat), 0)"
            " FROM {t} WHERE organisation_id = %s AND local_date BETWEEN %s AND %s"
            " AND channel = 'phone' AND agent_id = %s",
            (org, start, last, agent),
        ),
        # A drill-down of one metric: its count and first page, newest first.
        "drilldown_count": (
            "SELECT count(*) FROM {t} WHERE organisation_id = %s"
            " AND local_date BETWEEN %s AND %s AND csat IS NOT NULL",
            (org, start, last),
        ),
        "drilldown_page": (
            "SELECT id, external_id, created_at, csat FROM {t} WHERE organisation_id = %s"
            " AND local_date BETWEEN %s AND %s AND csat IS NOT NULL"
            " ORDER BY local_date DESC, created_at DESC, id DESC LIMIT 50",
            (org, start, last),
        ),
        # What the worker reads to build one day's summaries.
        "one_day_rows": (
            "SELECT channel, agent_id, team_id, category, customer_id, handle_seconds,"
            " first_response_seconds, resolution_seconds, csat FROM {t}"
            " WHERE organisation_id = %s AND local_date = %s",
            (org, day),
        ),
        # A report over every day: contacts and mean handle time per month and channel.
        "all_days_report": (
            "SELECT date_trunc('month', local_date), channel, count(*), avg(handle_seconds)"
            " FROM {t} WHERE organisation_id = %s AND local_date BETWEEN %s AND %s"
            " GROUP BY 1, 2",
            (org, first, last),
        ),
    }


def retention(conn: psycopg.Connection, org: int, first: dt.date) -> dict:
    """Seconds to remove the oldest month from each table (and its rows)."""
    month = first.replace(day=1)
    following = next_month(month)
    started = time.perf_counter()
    deleted = conn.execute(
        "DELETE FROM bench_plain WHERE organisation_id = %s"
        " AND local_date >= %s AND local_date < %s",
        (org, month, following),
    ).rowcount
    plain = time.perf_counter() - started
    started = time.perf_counter()
    conn.execute(f"ALTER TABLE bench_monthly DETACH PARTITION bench_monthly_{month:%Y_%m}")
    conn.execute(f"DROP TABLE bench_monthly_{month:%Y_%m}")
    monthly = time.perf_counter() - started
    return {"rows": deleted, "plain_delete": round(plain, 2), "monthly_drop": round(monthly, 3)}


def main() -> int:
    args = parse_args()
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT id FROM accounts_organisation WHERE slug = %s", (args.organisation,)
        ).fetchone()
        if row is None:
            print(
                f"No organisation {args.organisation!r}; run bench/kpis.py first.", file=sys.stderr
            )
            return 1
        org = row[0]
        total, first, last = conn.execute(
            "SELECT count(*), min(local_date), max(local_date) FROM interactions_interaction"
            " WHERE organisation_id = %s",
            (org,),
        ).fetchone()
        agent = conn.execute(
            "SELECT agent_id FROM interactions_interaction WHERE organisation_id = %s"
            " AND agent_id IS NOT NULL LIMIT 1",
            (org,),
        ).fetchone()[0]
        print(f"copying {total:,} interactions twice…", file=sys.stderr)
        result: dict = {"rows": total, "build_seconds": build(conn, org, first, last)}
        for name, (sql, params) in queries(org, first, last, agent).items():
            result[name] = {
                table: timed(conn, sql.format(t=table), params, args.repeat)
                for table in ("bench_plain", "bench_monthly")
            }
            print(name, result[name], file=sys.stderr)
        result["retention_oldest_month"] = retention(conn, org, first)
        conn.execute("DROP TABLE IF EXISTS bench_plain, bench_monthly CASCADE")
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
