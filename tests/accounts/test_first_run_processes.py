"""The first run as the README gives it (`goaldesk migrate`, `goaldesk serve`, open the address),
and two set-ups sent at once from two processes on one database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

from tests.test_cli_database import SRC, goaldesk_command

#: One set-up in its own process; it says "waiting" once inside the set-up's transaction and
#: sleeps there for argv[2] seconds, so the other process arrives while it is still open.
SET_UP = """
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "goaldesk.settings"
import django
django.setup()
from goaldesk.accounts import services

real_validate = services.password_validation.validate_password

def slow_validate(*args, **kwargs):
    print("waiting", flush=True)
    time.sleep(float(sys.argv[2]))
    return real_validate(*args, **kwargs)

services.password_validation.validate_password = slow_validate
try:
    services.installation_set_up(
        username=sys.argv[1], password="blue-harbour-lantern-42", name=sys.argv[1],
        timezone="UTC", language="en",
    )
    print("created", flush=True)
except services.AlreadySetUp:
    print("already set up", flush=True)
"""

COUNT = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "goaldesk.settings"
import django
django.setup()
from django.contrib.auth import get_user_model
from goaldesk.accounts.models import Membership, Organisation
print(sorted(get_user_model().objects.values_list("username", flat=True)),
      Organisation.objects.count(), Membership.objects.filter(role="owner").count())
"""


def _environment(data_dir) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOALDESK_", "DJANGO_"))}
    env.update(GOALDESK_DATA_DIR=str(data_dir), PYTHONPATH=SRC)
    return env


def _python(code: str, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE, text=True
    )


def test_two_set_ups_at_once_make_one_owner(tmp_path):
    assert goaldesk_command(tmp_path, "migrate").returncode == 0
    env = _environment(tmp_path)
    first = _python(SET_UP, "first", "2", env=env)
    assert first.stdout is not None and first.stdout.readline().strip() == "waiting"
    second = _python(SET_UP, "second", "0", env=env)  # arrives while the first is under way
    first_out, _ = first.communicate(timeout=60)
    second_out, _ = second.communicate(timeout=60)
    assert first_out.strip() == "created"
    assert second_out.strip().splitlines()[-1] == "already set up"
    count = _python(COUNT, env=env).communicate(timeout=60)[0].strip()
    assert count == "['first'] 1 1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_goaldesk_serve_on_a_new_database_opens_on_the_set_up_page(tmp_path):
    assert goaldesk_command(tmp_path, "migrate").returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "goaldesk", "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=_environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    final_url, page = response.url, response.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.3)
        assert final_url == f"http://127.0.0.1:{port}/setup/"
        assert 'name="owner-password2"' in page and 'name="org-timezone"' in page
    finally:
        server.terminate()
        server.wait(timeout=20)
