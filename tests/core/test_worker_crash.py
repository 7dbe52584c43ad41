"""Crash tests with real `goaldesk worker` processes (issue 14, finding 5).

- A worker is killed with SIGKILL in the middle of a web import; another worker is started:
  the lost task is queued again and the import resumes after its last committed batch. Every
  row of the file is there once, and the job counts each row once (a row imported twice would
  count as an update).
- Two workers on one PostgreSQL queue take a batch of imports: each job is claimed by exactly
  one worker, once.

Everything a user would run runs in subprocesses (the upload page's services, the workers) on a
database they share with this test: PostgreSQL's test database (its rows committed by
`transactional_db`), or for SQLite a file copied from the migrated test database.
"""

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

ROWS = 20_000
SCENARIO = Path(__file__).with_name("worker_scenario.py")
#: A short threshold, so that the lost job is taken up again within seconds.
STALE_SECONDS = "3"


def _postgres_url(conn: dict[str, Any]) -> str:
    user = conn.get("USER") or ""
    password = f":{conn['PASSWORD']}" if conn.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{conn['PORT']}" if conn.get("PORT") else ""
    return f"postgres://{auth}{conn.get('HOST') or 'localhost'}{port}/{conn['NAME']}"


@dataclass
class Site:
    """A data directory and a database shared by this test and its subprocesses."""

    data_dir: Path
    url: str
    vendor: str
    processes: list[subprocess.Popen[bytes]]

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "GOALDESK_DATABASE_URL": self.url,
            "GOALDESK_DATA_DIR": str(self.data_dir),
            "GOALDESK_SECRET_KEY": settings.SECRET_KEY,
            "GOALDESK_JOB_STALE_SECONDS": STALE_SECONDS,
            "DJANGO_SETTINGS_MODULE": "goaldesk.settings",
            "PYTHONPATH": os.pathsep.join(
                [str(Path(__file__).parents[2] / "src"), os.environ.get("PYTHONPATH", "")]
            ),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        return env

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of `sql` (with %s placeholders) read on a connection of its own."""
        if self.vendor == "sqlite":
            db = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=20)
            try:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                db.close()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as db:
            return db.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def queue_imports(self, *csv_paths: Path) -> dict[str, Any]:
        """Queue one web import of each file; {"organisation": id, "jobs": [id, …]}."""
        done = subprocess.run(
            [sys.executable, str(SCENARIO), *map(str, csv_paths)],
            env=self.env,
            capture_output=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr.decode(errors="replace")
        return json.loads(done.stdout.decode().strip().splitlines()[-1])

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        log = (self.data_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "goaldesk", "worker"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.data_dir.glob("*.log"))
        )


@pytest.fixture
def site(tmp_path, transactional_db) -> Iterator[Site]:
    """Rows are committed (subprocesses see them) and flushed after the test."""
    conn = connections["default"]
    if conn.vendor == "postgresql":
        url, vendor = _postgres_url(conn.settings_dict), "postgresql"
    elif conn.vendor == "sqlite":
        # The test database may live in memory: a copy in a file, migrated and empty.
        path = tmp_path / "goaldesk.sqlite3"
        conn.ensure_connection()
        target = sqlite3.connect(path)
        conn.connection.backup(target)
        target.close()
        url, vendor = f"sqlite:///{path}", "sqlite"
    else:
        pytest.skip(f"No crash test for {conn.vendor}")
    found = Site(data_dir=tmp_path, url=url, vendor=vendor, processes=[])
    yield found
    for process in found.processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def write_calls(path: Path, rows: int, *, prefix: str = "T") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "channel", "created_at", "handle_seconds"])
        for n in range(rows):
            day, second = divmod(n, 40_000)
            writer.writerow(
                [
                    f"{prefix}{n:06d}",
                    "phone",
                    f"2026-01-{day + 1:02d}T{second % 86_400 // 3600:02d}:"
                    f"{second % 3600 // 60:02d}:{second % 60:02d}+00:00",
                    60 + n % 300,
                ]
            )
    return path


def wait_for(condition, *, timeout: float, site: Site, what: str, step: float = 0.05) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"Timed out waiting for {what}.\n{site.logs()}")


def job_row(site: Site, job_id: int) -> tuple[str, int, int, int, int, int | None]:
    (row,) = site.query(
        "SELECT state, rows_done, accepted, updated, rejected, rows_total "
        "FROM interactions_importjob WHERE id = %s",
        job_id,
    )
    return row


def test_a_web_import_whose_worker_is_killed_resumes_in_another_worker(site, tmp_path):
    """kill -9 of the worker between two batches of a 20,000-row import: all rows, none twice."""
    calls = write_calls(tmp_path / "calls.csv", ROWS)
    queued = site.queue_imports(calls)
    (job_id,) = queued["jobs"]
    first = site.start_worker("worker-1")

    def half_way() -> bool:
        _state, done, *_rest = job_row(site, job_id)
        return 0 < done < ROWS

    wait_for(half_way, timeout=30, site=site, what="the first committed batch")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    state, done_at_kill, *_rest = job_row(site, job_id)
    assert state == "running"
    assert 0 < done_at_kill < ROWS
    print(f"killed the worker at {done_at_kill} of {ROWS} rows")

    site.start_worker("worker-2")
    wait_for(
        lambda: job_row(site, job_id)[0] in ("done", "failed"),
        timeout=40,
        site=site,
        what="the import to finish in the second worker",
        step=0.2,
    )

    assert job_row(site, job_id) == ("done", ROWS, ROWS, 0, 0, ROWS), site.logs()
    ((count, distinct),) = site.query(
        "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM interactions_interaction "
        "WHERE organisation_id = %s",
        queued["organisation"],
    )
    assert (count, distinct) == (ROWS, ROWS)

    # The lost task is recorded as failed, and exactly one more ran the job to its end (the
    # worker records the task's end just after the job's own).
    def statuses() -> list[str]:
        return sorted(
            status
            for (status,) in site.query(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
                "goaldesk.interactions.tasks.import_job_task",
            )
        )

    wait_for(lambda: "RUNNING" not in statuses(), timeout=30, site=site, what="the task's end")
    assert statuses() == ["FAILED", "SUCCESSFUL"]
    assert "Queued ImportJob" in site.logs()


def test_two_workers_on_one_postgresql_queue_run_each_job_once(site, tmp_path):
    if site.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL (set GOALDESK_DATABASE_URL=postgres://…): SQLite lets one "
            "writer in at a time, so two workers cannot race for a task there."
        )
    jobs, rows = 16, 300
    files = [write_calls(tmp_path / f"calls-{n}.csv", rows, prefix=f"J{n}-") for n in range(jobs)]
    queued = site.queue_imports(*files)
    workers = [site.start_worker("worker-a"), site.start_worker("worker-b")]

    def all_done() -> bool:
        states = [job_row(site, job_id)[0] for job_id in queued["jobs"]]
        return all(state in ("done", "failed") for state in states)

    wait_for(all_done, timeout=60, site=site, what="every job to finish", step=0.2)
    assert all(process.poll() is None for process in workers), site.logs()

    tasks = site.query(
        "SELECT args_kwargs, status, worker_ids FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = %s",
        "goaldesk.interactions.tasks.import_job_task",
    )
    claims: dict[int, list[list[str]]] = {}
    for args_kwargs, status, worker_ids in tasks:
        assert status == "SUCCESSFUL"
        claims.setdefault(args_kwargs["args"][0], []).append(worker_ids)
    # One task per job, claimed by one worker once.
    assert sorted(claims) == sorted(queued["jobs"])
    assert all(len(runs) == 1 and len(runs[0]) == 1 for runs in claims.values()), claims
    for job_id in queued["jobs"]:
        assert job_row(site, job_id) == ("done", rows, rows, 0, 0, rows)
    ((count,),) = site.query(
        "SELECT COUNT(*) FROM interactions_interaction WHERE organisation_id = %s",
        queued["organisation"],
    )
    assert count == jobs * rows
    used = {worker for runs in claims.values() for worker in runs[0]}
    print(f"jobs per worker: { {w: sum(r[0] == [w] for r in claims.values()) for w in used} }")
