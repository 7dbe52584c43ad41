"""Benchmark: import a large canonical interactions CSV; print JSON figures.

    .venv/bin/python bench/import.py                      # 1,000,000 generated rows, SQLite
    .venv/bin/python bench/import.py --rows 200000
    .venv/bin/python bench/import.py --file interactions.csv
    .venv/bin/python bench/import.py --database-url postgres://postgres@127.0.0.1:54330/gd_bench

Each run uses a fresh data directory (a temporary one unless --data-dir is given), so SQLite
starts empty; with --database-url the database is created when missing and its
organisation "bench" is emptied first (use a fresh database name for a clean run). Prints
{"rows", "seconds", "rows_per_second", "peak_rss_mb", "cpu_seconds", "rows_per_cpu_second",
"load_average", ...}: `seconds` covers the whole import (counting rows, parsing, writing;
generating the CSV is not timed), `peak_rss_mb` the process's peak resident memory;
`cpu_seconds` is this process's (on SQLite that includes the database's work, on PostgreSQL
not), which depends much less than wall time on what else the machine is running. With
--floor, also "sql_floor_rows_per_second": the database inserting the same rows by itself
(see `sql_floor`), the ceiling for any import of them on this machine.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from goaldesk.engine.canonical import CANONICAL_FIELDS

CHANNELS = ("phone", "email", "chat", "social", "walk_in", "web", "field")
HEADER = list(CANONICAL_FIELDS)


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A deterministic canonical CSV of `rows` interactions over about a year."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    span = 365 * 86400
    categories = ("billing", "returns", "repair", "delivery", "account", "other")
    teams = ("Front desk", "Phones", "E-mail", "Field")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            created = start + dt.timedelta(seconds=rng.randrange(span))
            channel = CHANNELS[n % len(CHANNELS)]
            live = channel in ("phone", "chat", "walk_in")
            wait = rng.randrange(0, 300) if live else ""
            first = "" if live else (created + dt.timedelta(minutes=rng.randrange(1, 600)))
            resolved = created + dt.timedelta(minutes=rng.randrange(2, 3000))
            status = rng.choice(("resolved", "resolved", "resolved", "unresolved", "abandoned"))
            field = channel == "field"
            arrived = created + dt.timedelta(hours=rng.randrange(1, 48)) if field else ""
            fixed = arrived + dt.timedelta(minutes=rng.randrange(10, 240)) if field else ""
            writer.writerow(
                (
                    f"B-{n}",
                    channel,
                    created.isoformat(timespec="seconds"),
                    f"C-{rng.randrange(rows // 3 + 1)}",
                    f"agent{rng.randrange(40)}@example.com",
                    teams[n % len(teams)],
                    rng.choice(categories),
                    first.isoformat(timespec="seconds") if first else "",
                    resolved.isoformat(timespec="seconds") if status == "resolved" else "",
                    status,
                    rng.choice(("success", "failure", "")),
                    wait,
                    rng.randrange(30, 1200),
                    rng.choice(("", "", "1", "2", "3", "4", "5", "5")),
                    rng.choice(("", "", "", "7", "9", "10", "3")),
                    rng.choice(("", "", "", "2", "5")),
                    rng.choice(("", "negative", "neutral", "positive")),
                    rng.choice(("", "negative", "neutral", "positive")),
                    arrived.isoformat(timespec="seconds") if arrived else "",
                    fixed.isoformat(timespec="seconds") if fixed else "",
                )
            )


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sql_floor(organisation_id: int, *, batch: int) -> int:
    """Rows per second at which the database alone inserts the imported rows again, in
    batches of `batch` rows per transaction (INSERT … SELECT into an empty copy of the table
    with the same indexes and, on SQLite, the same day-stamp trigger): no Python per row, so
    no import of these rows can be faster on this machine."""
    from django.db import connection, transaction

    table = "interactions_interaction"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA temp_store = MEMORY")  # as the import's connection
            cursor.execute(
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            schema = cursor.fetchall()
            for kind, sql in sorted(schema, key=lambda item: item[0] != "table"):
                sql = sql.replace(f'"{table}"', '"bench_floor"').replace(table, "bench_floor")
                if kind != "table":  # indexes and triggers need names of their own
                    sql = sql.replace('INDEX "', 'INDEX "floor_').replace(
                        "TRIGGER ", "TRIGGER floor_", 1
                    )
                cursor.execute(sql)
        else:
            cursor.execute(f"CREATE TABLE bench_floor (LIKE {table} INCLUDING ALL)")
        cursor.execute(
            "SELECT id FROM interactions_interaction WHERE organisation_id = %s ORDER BY id",
            [organisation_id],
        )
        ids = [row[0] for row in cursor.fetchall()]
        started = time.perf_counter()
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            with transaction.atomic():
                cursor.execute(
                    "INSERT INTO bench_floor SELECT * FROM interactions_interaction"
                    " WHERE id BETWEEN %s AND %s",
                    [chunk[0], chunk[-1]],
                )
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor")
    return round(len(ids) / seconds) if seconds else 0


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", help="a canonical CSV to import instead of generated rows")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--data-dir", help="data directory (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time the database inserting the same rows by itself (see sql_floor)",
    )
    args = parser.parse_args()

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="gd-bench-import-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["GOALDESK_DATA_DIR"] = str(data_dir)
    if args.database_url:
        os.environ["GOALDESK_DATABASE_URL"] = args.database_url
        _ensure_postgres_database(args.database_url)
    else:
        os.environ.pop("GOALDESK_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goaldesk.settings")

    if args.file:
        path = Path(args.file)
    else:
        path = data_dir / f"interactions-{args.rows}.csv"
        started = time.perf_counter()
        generate(path, args.rows)
        print(
            f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )

    import django

    django.setup()
    from django.core.management import call_command

    from goaldesk.accounts.models import Organisation
    from goaldesk.core.tabular import sample_rows
    from goaldesk.interactions.importing import import_run, mapping_for_job
    from goaldesk.interactions.mapping import guess_mapping, load_preset
    from goaldesk.interactions.models import ImportJob

    call_command("migrate", interactive=False, verbosity=0)
    Organisation.objects.filter(slug="bench").delete()
    org = Organisation.objects.create(name="Bench", slug="bench", timezone="Asia/Tehran")
    preset = load_preset("canonical")
    headers, _ = sample_rows(path, count=1)
    job = ImportJob.objects.create(
        organisation=org,
        original_name=path.name,
        mapping=mapping_for_job(guess_mapping(headers, preset), preset=preset, headers=headers),
    )

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    job = import_run(job.pk, source=path)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = usage.ru_utime + usage.ru_stime - cpu_before
    result = {
        "rows": job.rows_done,
        "seconds": round(seconds, 2),
        "rows_per_second": round(job.rows_done / seconds) if seconds else None,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        # On a shared machine wall time depends on the neighbours; CPU time much less.
        "cpu_seconds": round(cpu_seconds, 2),
        "rows_per_cpu_second": round(job.rows_done / cpu_seconds) if cpu_seconds else None,
        "accepted": job.accepted,
        "updated": job.updated,
        "rejected": job.rejected,
        "database": "postgresql" if args.database_url else "sqlite",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "file_mb": round(path.stat().st_size / 2**20, 1),
    }
    if args.floor:
        result["sql_floor_rows_per_second"] = sql_floor(org.pk, batch=5000)
    print(json.dumps(result))
    if not args.keep and not args.data_dir:
        from django.db import connection

        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
