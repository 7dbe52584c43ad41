"""`goaldesk digests send` and the worker's clock: each digest goes out once, whoever runs."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from goaldesk.accounts.models import Role
from goaldesk.cli import main
from goaldesk.reports.models import DigestDelivery
from tests.test_cli_database import SRC, goaldesk_command


@pytest.mark.django_db
def test_the_cli_sends_once_and_lists_on_dry_run(desk, person, mailoutbox, capsys):
    person("mona", Role.MANAGER)
    person("olga", Role.OWNER)
    person("vera", Role.VIEWER)  # no digest by default
    assert main(["digests", "send", "--org", "harbour", "--dry-run", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["counts"]["would send"] == 2
    assert sorted(d["email"] for d in listed["digests"]) == [
        "mona@example.com",
        "olga@example.com",
    ]
    assert mailoutbox == [] and not DigestDelivery.objects.exists()

    assert main(["digests", "send", "--org", "harbour", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["counts"]["sent"] == 2
    assert "sent: harbour weekly" in captured.err  # progress on standard error
    assert len(mailoutbox) == 2

    assert main(["digests", "send"]) == 0
    assert capsys.readouterr().out.startswith("0 digest(s) sent")
    assert len(mailoutbox) == 2
    assert DigestDelivery.objects.count() == 2


@pytest.mark.django_db
def test_an_unknown_organisation_is_exit_code_2(desk, capsys):
    assert main(["digests", "send", "--org", "nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err


#: An organisation with RECIPIENTS managers (weekly digests by default) and some interactions.
SEED = """
import datetime as dt, os
os.environ["DJANGO_SETTINGS_MODULE"] = "goaldesk.settings"
import django
django.setup()
from django.contrib.auth import get_user_model
from django.utils import timezone
from goaldesk.accounts.models import Membership, Organisation
from goaldesk.interactions.models import Interaction
org = Organisation.objects.create(name="Race Desk", slug="race", timezone="UTC")
for n in range(int(os.environ["RECIPIENTS"])):
    user = get_user_model().objects.create(username=f"m{n}", email=f"m{n}@example.com")
    Membership.objects.create(user=user, organisation=org, role="manager")
now = timezone.now()
Interaction.objects.bulk_create(
    Interaction(organisation=org, external_id=f"T{n}", channel="email", status="open",
                created_at=now - dt.timedelta(days=n % 20), local_date=(now - dt.timedelta(days=n % 20)).date())
    for n in range(400)
)
"""

RECIPIENTS = 6


def _env(data_dir: Path, mail_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOALDESK_", "DJANGO_"))}
    env.update(
        GOALDESK_DATA_DIR=str(data_dir),
        PYTHONPATH=SRC,
        GOALDESK_EMAIL_URL=f"file://{mail_dir}",
        RECIPIENTS=str(RECIPIENTS),
    )
    return env


def test_two_workers_and_the_cli_send_one_digest_per_recipient(tmp_path):
    mail_dir = tmp_path / "mail"
    assert goaldesk_command(tmp_path, "migrate").returncode == 0
    env = _env(tmp_path, mail_dir)
    subprocess.run([sys.executable, "-c", SEED], env=env, check=True, timeout=120)
    goaldesk = [sys.executable, "-m", "goaldesk"]
    workers = [
        subprocess.Popen(
            [*goaldesk, "worker"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    try:
        cli = subprocess.run(
            [*goaldesk, "digests", "send", "--json"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert cli.returncode == 0, cli.stderr
        by_cli = json.loads(cli.stdout)["counts"]
        # Wait until every digest is out (the workers' clocks run at start-up).
        deadline = time.monotonic() + 120
        while len(list(mail_dir.glob("*.eml"))) < RECIPIENTS:
            assert time.monotonic() < deadline, "the digests were not all sent"
            time.sleep(0.5)
        time.sleep(3)  # a second copy, if any, would be written by now
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    files = list(mail_dir.glob("*.eml"))
    recipients = sorted(
        next(line for line in f.read_text().splitlines() if line.startswith("To: ")) for f in files
    )
    assert recipients == sorted(f"To: m{n}@example.com" for n in range(RECIPIENTS))
    assert by_cli["failed"] == 0 and by_cli["sent"] <= RECIPIENTS
