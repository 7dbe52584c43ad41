"""`goaldesk` on a database that was never migrated: a message that says what to run, exit 2."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import goaldesk

SRC = str(Path(goaldesk.__file__).resolve().parents[1])


def goaldesk_command(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GOALDESK_", "DJANGO_"))
    }
    env.update(GOALDESK_DATA_DIR=str(data_dir), PYTHONPATH=SRC)
    return subprocess.run(
        [sys.executable, "-m", "goaldesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["kpis", "--org", "desk", "--from", "2026-03-01", "--to", "2026-03-31"],
        ["org", "create", "Desk", "--timezone", "UTC", "--language", "en"],
        ["goals", "list", "--org", "desk"],
        ["worker", "--batch"],
    ],
)
def test_a_command_on_an_empty_database_says_to_migrate(tmp_path, args):
    result = goaldesk_command(tmp_path, *args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    database = tmp_path / "goaldesk.sqlite3"
    assert result.stderr == (
        f"error: the database {database} is not set up or not up to date. Run “goaldesk migrate” "
        "first (with the same GOALDESK_DATA_DIR and GOALDESK_DATABASE_URL).\n"
    )


def test_after_migrate_the_command_runs(tmp_path):
    assert goaldesk_command(tmp_path, "migrate").returncode == 0
    result = goaldesk_command(
        tmp_path, "org", "create", "Desk", "--timezone", "UTC", "--language", "en"
    )
    assert result.returncode == 0, result.stderr
    assert "Desk" in result.stdout


def test_file_commands_need_no_database(tmp_path):
    history = tmp_path / "history.csv"
    rows = [f"2026-03-{day:02d}T09:00:00Z,{day % 7 + 3}" for day in range(1, 29)]
    history.write_text("timestamp,volume\n" + "\n".join(rows) + "\n")
    result = goaldesk_command(
        tmp_path / "data",
        "forecast", "--history", str(history), "--interval-minutes", "60", "--horizon-days", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("timestamp,forecast,lower,upper\n")
