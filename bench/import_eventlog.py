"""Benchmark: import a large event log (one row per event) through the `eventlog` preset.

    .venv/bin/python bench/import_eventlog.py                  # 1,000,000 generated rows, SQLite
    .venv/bin/python bench/import_eventlog.py --rows 200000
    .venv/bin/python bench/import_eventlog.py --file ../shared/data/helpdesk_eventlog/helpdesk.csv
    .venv/bin/python bench/import_eventlog.py --database-url postgres://postgres@127.0.0.1:54330/gd_ev

The generated file (`CaseID,ActivityID,CompleteTimestamp`) has about one case per four rows
(250,000 cases for a million rows), and the rows of a case are spread over the whole file
(each row picks its case at random), so the import cannot rely on a case's rows being
together: it stages the cases in the database (interactions/reduction.py). The file is written
by a child process, so its memory does not count. Prints {"rows", "cases", "seconds",
"rows_per_second", "rows_seconds" (phase 1: rows → staged cases), "cases_seconds" (phase 2:
cases → interactions), "peak_rss_mb" (this process's peak resident memory), "rss_before_mb"
(after Django and the migrations, before the import), "cpu_seconds", "load_average", ...}.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Activity codes as in the helpdesk log; 6 closes a case.
ACTIVITIES = ("1", "8", "6", "9", "1", "8", "2", "3")


def generate(path: Path, rows: int, seed: int = 20) -> None:
    """A deterministic event log of `rows` events; case c's events lie within 10 days after
    its own start, and its rows anywhere in the file. Needs no memory per case."""
    rng = random.Random(seed)
    cases = max(1, rows // 4)
    start = dt.datetime(2010, 1, 1, tzinfo=dt.UTC)
    span = 3 * 365 * 86400
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("CaseID", "ActivityID", "CompleteTimestamp"))
        for _ in range(rows):
            case = rng.randrange(cases)
            base = (case * 7919 * 104729) % span
            moment = start + dt.timedelta(seconds=base + rng.randrange(10 * 86400))
            writer.writerow(
                (case + 1, rng.choice(ACTIVITIES), moment.strftime("%Y-%m-%d %H:%M:%S"))
            )


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


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
    parser.add_argument("--file", help="an event log to import instead of generated rows")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--data-dir", help="data directory (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--generate-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        generate(Path(args.generate_only), args.rows)
        return 0

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="gd-bench-eventlog-"))
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
        path = data_dir / f"eventlog-{args.rows}.csv"
        started = time.perf_counter()
        command = [sys.executable, __file__, "--rows", str(args.rows), "--generate-only", str(path)]
        subprocess.run(command, check=True)  # noqa: S603 (our own script)
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
    org = Organisation.objects.create(name="Bench", slug="bench", timezone="UTC")
    preset = load_preset("eventlog")
    headers, _ = sample_rows(path, count=1)
    job = ImportJob.objects.create(
        organisation=org,
        original_name=path.name,
        mapping=mapping_for_job(guess_mapping(headers, preset), preset=preset, headers=headers),
    )
    rss_before = _current_rss_mb()
    phase_started: dict[str, float] = {}

    def progress(current: ImportJob) -> None:
        if current.reducing_phase() is not None:
            phase_started.setdefault("cases", time.perf_counter())

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    job = import_run(job.pk, source=path, progress=progress)
    ended = time.perf_counter()
    seconds = ended - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = usage.ru_utime + usage.ru_stime - cpu_before
    # The first cases batch ends at its first progress call: count that batch in phase 2 by
    # estimating from the rest (good enough with many batches; exact phase 1 needs no guess).
    cases_started = phase_started.get("cases", ended)
    counts = job.shaped_counts() or {}
    result = {
        "rows": job.rows_done,
        "cases": counts.get("cases"),
        "seconds": round(seconds, 2),
        "rows_per_second": round(job.rows_done / seconds) if seconds else None,
        "rows_seconds_upto_first_cases_batch": round(cases_started - started, 2),
        "cases_seconds_after_first_batch": round(ended - cases_started, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_before_mb": round(rss_before, 1),
        "cpu_seconds": round(cpu_seconds, 2),
        "accepted": job.accepted,
        "updated": job.updated,
        "rejected": job.rejected,
        "database": "postgresql" if args.database_url else "sqlite",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "file_mb": round(path.stat().st_size / 2**20, 1),
    }
    print(json.dumps(result))
    if not args.keep and not args.data_dir:
        from django.db import connection

        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
