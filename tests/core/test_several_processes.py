"""Several app servers and several workers on one database (docs/deploy.md): each import runs
once, the workers build the day summaries, and every server and the command line give the same
figures — the interactions' figures — before the summaries are built and after."""

import json
import math
import subprocess
import sys
import time
import urllib.request

from tests.core.test_worker_crash import SCENARIO, job_row, site, wait_for, write_calls  # noqa: F401
from tests.test_cli_serve import _answers, _free_port

ROWS = 300
GOALDESK = (sys.executable, "-m", "goaldesk")
PERIOD = ("--from", "2026-01-01", "--to", "2026-01-31")


def same(a, b) -> bool:
    """Equal, numbers to the six significant digits the command line prints."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6)
    return a == b


def differences(answers: list[dict]) -> dict:
    """The keys whose value is not the same in every answer, with each answer's."""
    return {
        key: [answer.get(key) for answer in answers]
        for key in answers[0]
        if not all(same(answer.get(key), answers[0][key]) for answer in answers)
    }


def test_two_servers_and_two_workers_give_one_set_of_figures(site, tmp_path):  # noqa: F811
    files = [write_calls(tmp_path / f"calls-{n}.csv", ROWS, prefix=f"P{n}-") for n in range(3)]
    queued = site.queue_imports(*files)
    workers = [site.start_worker("worker-a"), site.start_worker("worker-b")]

    def all_done() -> bool:
        return all(job_row(site, job)[0] in ("done", "failed") for job in queued["jobs"])

    wait_for(all_done, timeout=90, site=site, what="every import to finish", step=0.2)
    for job in queued["jobs"]:
        assert job_row(site, job) == ("done", ROWS, ROWS, 0, 0, ROWS), site.logs()

    token = json.loads(
        subprocess.run(
            [sys.executable, str(SCENARIO), "--token"],
            env=site.env,
            capture_output=True,
            check=True,
            timeout=60,
        )
        .stdout.decode()
        .splitlines()[-1]
    )["token"]
    ports = [_free_port(), _free_port()]
    for n, port in enumerate(ports):
        log = (site.data_dir / f"serve-{n}.log").open("wb")
        site.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "goaldesk", "serve", "--port", str(port), "--workers", "2"],
                env=site.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        log.close()
    deadline = time.monotonic() + 60
    assert all(_answers(port, deadline) for port in ports), site.logs()

    def figures() -> list[dict]:
        """The period's figures from each server (twice, so each gunicorn worker may answer)
        and from the command line."""
        found = []
        for port in ports * 2:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/orgs/crash/metrics/kpis"
                "?from=2026-01-01&to=2026-01-31",
                headers={"Authorization": f"Bearer {token}"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                found.append(json.loads(response.read())["kpis"])
        command = subprocess.run(
            [*GOALDESK, "kpis", "--org", "crash", *PERIOD, "--json"],
            env=site.env,
            capture_output=True,
            check=True,
            timeout=60,
        )
        found.append(json.loads(command.stdout)["kpis"])
        return found

    def built() -> bool:
        return all(
            done == version
            for done, version in site.query(
                "SELECT built_version, version FROM metrics_daystamp WHERE organisation_id = %s",
                queued["organisation"],
            )
        )

    # Whether or not the workers have built the day yet, every process says what the rows say:
    # 900 calls, handled in 60 + n % 300 seconds (n = 0…299 in each file): 209.5 s on average.
    for answers in (
        figures(),
        (wait_for(built, timeout=30, site=site, what="the summaries") and figures()),
    ):
        assert not differences(answers)
        assert answers[0]["contacts"] == 3 * ROWS
        assert answers[0]["aht_seconds"] == 209.5

    # A fourth import: at once the same new figures everywhere.
    (job,) = site.queue_imports(write_calls(tmp_path / "more.csv", ROWS, prefix="Q-"))["jobs"]
    wait_for(lambda: job_row(site, job)[0] == "done", timeout=60, site=site, what="the import")
    answers = figures()
    assert not differences(answers)
    assert answers[0]["contacts"] == 4 * ROWS
    assert all(process.poll() is None for process in workers), site.logs()
