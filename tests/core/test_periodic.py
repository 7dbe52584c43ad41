"""The worker's clock: each registered job runs at start-up, then every `every_seconds`; one
job's failure does not stop the others."""

import pytest

from goaldesk.core import periodic


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr(periodic, "_JOBS", {})
    return periodic


def test_jobs_run_at_once_then_when_due(jobs):
    calls = []
    jobs.register("often", 10, lambda: calls.append("often"))
    jobs.register("rarely", 100, lambda: calls.append("rarely"))
    last: dict[str, float] = {}
    assert jobs.periodic_run_due(last, now=1000.0) == ["often", "rarely"]
    assert jobs.periodic_run_due(last, now=1005.0) == []
    assert jobs.periodic_run_due(last, now=1010.0) == ["often"]
    assert jobs.periodic_run_due(last, now=1100.0) == ["often", "rarely"]
    assert calls == ["often", "rarely", "often", "often", "rarely"]


def test_a_failing_job_is_logged_and_the_others_run(jobs, caplog):
    calls = []

    def broken():
        raise RuntimeError("boom")

    jobs.register("a-broken", 10, broken)
    jobs.register("b-fine", 10, lambda: calls.append("fine"))
    assert jobs.periodic_run_due({}, now=0.0) == ["a-broken", "b-fine"]
    assert calls == ["fine"]
    assert "a-broken failed" in caplog.text


def test_reports_registers_the_digests_and_the_checks():
    names = {job.name for job in periodic.registered()}
    assert {"digests", "goals-close-due", "alerts"} <= names
    every = {job.name: job.every_seconds for job in periodic.registered()}
    assert every["digests"] == 15 * 60
