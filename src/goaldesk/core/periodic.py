"""Periodic work the worker runs by itself (`goaldesk worker`): a registry apps fill in their
`AppConfig.ready()`, and the clock that runs each job when it is due.

Several workers may run on one database; each runs the clock. A job must therefore claim its
work in the database so that it happens once whoever runs it: the digests by their idempotency
key (one row per person, organisation and period), the other checks by a row per job and time
slot (reports' `PeriodicRun`, `periodic_slot_claim`). The clock itself only keeps one worker
from running a job more often than asked.
"""

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, close_old_connections, connections

logger = logging.getLogger("goaldesk.worker")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: float
    func: Callable[[], object]


_JOBS: dict[str, PeriodicJob] = {}


def register(name: str, every_seconds: float, func: Callable[[], object]) -> None:
    """Run `func` (no arguments) about every `every_seconds` in each worker; registering a
    name again replaces it (ready() may run twice in tests)."""
    _JOBS[name] = PeriodicJob(name=name, every_seconds=float(every_seconds), func=func)


def registered() -> list[PeriodicJob]:
    """The registered jobs, by name."""
    return [_JOBS[name] for name in sorted(_JOBS)]


def periodic_run_due(last_run: dict[str, float], *, now: float | None = None) -> list[str]:
    """Run every job whose time has come (`last_run`: name → monotonic time of its last run,
    updated here). A failing job is logged and tried again at its next time. Returns the
    names run."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in registered():
        previous = last_run.get(job.name)
        if previous is not None and now - previous < job.every_seconds:
            continue
        last_run[job.name] = now
        try:
            job.func()
        except Exception:  # one job's failure must not stop the clock or the others
            logger.exception("Periodic job %s failed; it runs again at its next time.", job.name)
        ran.append(job.name)
    return ran


def clock_forever(stop: threading.Event, *, tick_seconds: float = 5.0) -> None:
    """The worker's clock thread: every `tick_seconds`, run the jobs that are due, until
    `stop`. Each job runs once at start-up, then every `every_seconds`."""
    last_run: dict[str, float] = {}
    try:
        while not stop.is_set():
            close_old_connections()  # as Django does between requests
            periodic_run_due(last_run)
            stop.wait(tick_seconds)
    finally:
        for connection in connections.all():  # this thread's own connections
            with contextlib.suppress(DatabaseError):
                connection.close()
