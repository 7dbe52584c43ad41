"""Benchmark: N signed-in clients at once on the dashboard, its tabs, the drill-down and the API.

    .venv/bin/python bench/load.py                               # 20 clients, 60 s, SQLite
    .venv/bin/python bench/load.py --clients 20 --seconds 60 --import-rows 200000
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:54329/gd_bench

Uses bench/kpis.py's organisation of --rows interactions (built, and its day summaries built,
when missing), starts `goaldesk serve` (gunicorn, --server-workers processes) and one
`goaldesk worker` on 127.0.0.1 against it, signs --clients viewers in (one session each) and
gives the API a viewer token; then each client, for --seconds, asks in turn (in its own
shuffled order) for the dashboard page, its goals panel, the breakdown tabs, the drill-down
list and the API's figures (a period, a breakdown), for the bench period, for everyone, one
channel and one agent (see `requests_for`). With --import-rows, an import of that many rows (bench/import.py's file) runs through
`goaldesk import` while the clients ask. Prints JSON: requests, errors, p50/p95/p99 and max
seconds overall and per kind of request, requests per second, the import's rows per second,
and the machine's load. Only 127.0.0.1 is ever asked; the servers stop at the end.
"""

import argparse
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

import kpis  # noqa: E402 - the organisation bench/kpis.py builds


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cache-dir", default=os.environ.get("GOALDESK_BENCH_DIR", "var/bench"))
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in the cache dir)")
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument(
        "--import-rows", type=int, default=0, help="import this many rows meanwhile"
    )
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], percent: float) -> float | None:
    """Nearest-rank percentile (as GoalDesk's p90)."""
    from goaldesk.engine.stats import percentile_nearest_rank

    return percentile_nearest_rank(values, percent)


def figures(times: list[float]) -> dict[str, float | int | None]:
    return {
        "requests": len(times),
        "p50": round(percentile(times, 50) or 0, 4) if times else None,
        "p95": round(percentile(times, 95) or 0, 4) if times else None,
        "p99": round(percentile(times, 99) or 0, 4) if times else None,
        "max": round(max(times), 4) if times else None,
        "mean": round(statistics.fmean(times), 4) if times else None,
    }


def sessions(org, clients: int) -> tuple[list[str], str]:
    """Session keys of `clients` signed-in viewers, and a viewer API token."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from goaldesk.accounts.models import Membership, Role
    from goaldesk.accounts.services import api_token_create

    keys = []
    for n in range(clients):
        user, _ = get_user_model().objects.get_or_create(username=f"load-viewer-{n}")
        Membership.objects.get_or_create(
            user=user, organisation=org, defaults={"role": Role.VIEWER}
        )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # (the first is axes)
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    _token, raw = api_token_create(
        organisation=org, name="load benchmark", role="viewer", created_by=None
    )
    return keys, raw


def requests_for(org_slug: str, date_from: dt.date, date_to: dt.date, agent: str):
    """(kind, path, uses the API) a client asks for, in turn: the dashboard, its goals panel,
    the drill-down and the API's figures for everyone, one channel and one agent; each
    breakdown tab for everyone and the by-day tab in each filter (a tab of one grouping inside
    a filter of another, e.g. channels of one agent, reads the interactions: see README)."""
    period = f"from={date_from.isoformat()}&to={date_to.isoformat()}"
    base = f"/o/{org_slug}"
    api = f"/api/v1/orgs/{org_slug}/metrics/kpis?{period}"
    out = []
    for extra in ("", "&channel=phone", f"&agent={agent}"):
        out += [
            ("dashboard", f"{base}/?{period}{extra}", False),
            ("goals_panel", f"{base}/goals/panel/?{period}{extra}", False),
            ("breakdown", f"{base}/breakdown/day/?{period}{extra}", False),
            ("drilldown", f"{base}/interactions/?{period}{extra}", False),
            ("api_kpis", f"{api}{extra}", True),
            ("api_breakdown", f"{api}&by=day{extra}", True),
        ]
    for by in ("channel", "agent", "team", "category"):
        out.append(("breakdown", f"{base}/breakdown/{by}/?{period}", False))
    out.append(("api_breakdown", f"{api}&by=channel", True))
    return out


def client(
    base: str, session: str, token: str, plan, until: float, seed: int, results: list
) -> None:
    rng = random.Random(seed)
    plan = list(plan)
    rng.shuffle(plan)
    i = 0
    while time.monotonic() < until:
        kind, path, api = plan[i % len(plan)]
        i += 1
        headers = (
            {"Authorization": f"Bearer {token}"} if api else {"Cookie": f"sessionid={session}"}
        )
        request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - 127.0.0.1
        started = time.perf_counter()
        status = 0
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = -1
        results.append((kind, time.perf_counter() - started, status))


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit("goaldesk serve stopped")
        try:
            with urllib.request.urlopen(base + "/", timeout=5):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise SystemExit("goaldesk serve did not answer")


def main() -> int:
    args = parse_args()
    url = kpis.setup_django(args)
    kpis.build(args.rows, args.seed)

    from django.db import connection

    from goaldesk.accounts.models import Organisation
    from goaldesk.metrics.summaries import summaries_build
    from goaldesk.team.models import Agent

    org = Organisation.objects.get(slug=kpis.ORG_SLUG)
    summaries_build(org)
    date_to = kpis.FIRST_DAY + dt.timedelta(days=kpis.DAYS - 1)
    date_from = date_to - dt.timedelta(days=kpis.PERIOD_DAYS - 1)
    kpis.goals_ensure(org, date_from, date_to)
    keys, token = sessions(org, args.clients)
    agent = Agent.objects.filter(organisation=org).order_by("pk").first().key
    if args.import_rows:
        import_organisation(present=True)
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "GOALDESK_DATABASE_URL": url}
    logs = Path(tempfile.mkdtemp(prefix="gd-load-"))
    goaldesk = [sys.executable, "-m", "goaldesk"]
    started: list[subprocess.Popen] = []

    def start(name: str, command: list[str]) -> subprocess.Popen:
        log = (logs / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        started.append(process)
        return process

    try:
        server = start(
            "serve",
            [*goaldesk, "serve", "--port", str(port), "--workers", str(args.server_workers)],
        )
        start("worker", [*goaldesk, "worker"])
        wait_until_up(base, server)
        plan = requests_for(org.slug, date_from, date_to, agent)
        results: list[tuple[str, float, int]] = []
        job_id = queue_import(args, logs) if args.import_rows else None
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=client,
                args=(base, keys[n], token, plan, until, args.seed + n, results),
            )
            for n in range(args.clients)
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        imported = None
        if job_id is not None:
            from goaldesk.interactions.models import ImportJob

            while ImportJob.objects.get(pk=job_id).state not in ("done", "failed"):
                time.sleep(1)
            imported = import_report(job_id)
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    if args.import_rows:
        import_organisation(present=False)
    times = [seconds for _kind, seconds, _status in results]
    errors = [(kind, status) for kind, _seconds, status in results if status != 200]
    by_kind = {}
    for kind in dict.fromkeys(kind for kind, _s, _st in results):
        by_kind[kind] = figures([s for k, s, _st in results if k == kind])
    report = {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "database": "postgresql" if args.database_url else "sqlite",
        "rows": args.rows,
        "clients": args.clients,
        "server_workers": args.server_workers,
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(results) / elapsed, 1) if elapsed else None,
        "errors": len(errors),
        "error_statuses": sorted({status for _kind, status in errors}),
        **figures(times),
        "by_kind": by_kind,
        "import": imported,
        "logs": str(logs),
    }
    print(json.dumps(report, indent=2))
    return 0


#: The organisation the import during the load writes to (emptied before and after), so that
#: the bench organisation stays as bench/kpis.py built it.
IMPORT_ORG = "bench-import"


def import_organisation(present: bool) -> None:
    """Create the import's organisation afresh (present) or remove it."""
    from goaldesk.accounts.models import Organisation

    Organisation.objects.filter(slug=IMPORT_ORG).delete()
    if present:
        Organisation.objects.create(name="Bench import", slug=IMPORT_ORG, timezone=kpis.TZ)


def queue_import(args: argparse.Namespace, logs: Path) -> int:
    """Queue a web import of bench/import.py's generated file, as the import page does (the
    worker runs it); returns the job's id."""
    from importlib import import_module

    from django.core.files import File

    from goaldesk.accounts.models import Organisation
    from goaldesk.interactions.importing import import_job_create, import_job_start, job_columns

    generated = import_module("import")  # bench/import.py
    path = logs / f"interactions-{args.import_rows}.csv"
    generated.generate(path, args.import_rows)
    with path.open("rb") as handle:
        job = import_job_create(
            organisation=Organisation.objects.get(slug=IMPORT_ORG),
            upload=File(handle, name=path.name),
        )
    import_job_start(job=job, columns=job_columns(job), dry_run=False)
    return job.pk


def import_report(job_id: int) -> dict:
    from goaldesk.interactions.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    seconds = (job.finished_at - job.started_at).total_seconds() if job.finished_at else None
    return {
        "rows": job.rows_done,
        "state": job.state,
        "seconds": round(seconds, 1) if seconds else None,
        "rows_per_second": round(job.rows_done / seconds) if seconds else None,
    }


if __name__ == "__main__":
    sys.exit(main())
