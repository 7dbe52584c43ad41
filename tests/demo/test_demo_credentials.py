"""What `goaldesk demo` prints about its API token is true: whose it is, what it may do."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from goaldesk.cli import main
from goaldesk.demo.build import DEMO_PASSWORD, demo_build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """The demo keeps its API token in the data directory: use a fresh one per test."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_the_printed_token_does_what_the_demo_says_and_its_owner_sees_it(capsys):
    demo_build(seed=3, size=40)
    assert main(["demo", "--no-serve", "--seed", "3", "--port", "8123"]) == 0
    printed = capsys.readouterr().out
    raw = re.search(r"API token: (gd_\S+)", printed).group(1)
    assert (
        "It belongs to the organisation demo and acts as a manager there: it reads and writes "
        "that organisation's data through the API (/api/v1/orgs/demo/…)."
    ) in printed
    assert "demo (owner of demo) created it and sees it under Settings → API tokens" in printed

    api = Client(headers={"authorization": f"Bearer {raw}"})
    listed = api.get("/api/v1/orgs/demo/interactions", {"limit": "5"})
    assert listed.status_code == 200 and len(listed.json()["items"]) == 5
    kpis = api.get("/api/v1/orgs/demo/metrics/kpis", {"from": "2025-01-01", "to": "2025-01-31"})
    assert kpis.status_code == 200
    assert api.get("/api/v1/orgs/demo/goals").status_code == 200
    written = api.post(
        "/api/v1/orgs/demo/interactions",
        {"external_id": "PRINTED-1", "channel": "phone", "created_at": "2026-03-02T09:00:00"},
        content_type="application/json",
    )
    assert written.status_code == 201  # a manager's token writes
    assert api.get("/api/v1/orgs/demo-fa/interactions").status_code == 404  # one organisation

    # The user it names sees it on the tokens page; the manager does not reach that page.
    owner = Client()
    owner.post(reverse("accounts:login"), {"username": "demo", "password": DEMO_PASSWORD})
    tokens_page = owner.get(reverse("accounts:tokens", args=["demo"]))
    assert tokens_page.status_code == 200
    assert f"{raw[:10]}…" in tokens_page.content.decode()
    manager = Client()
    manager.post(reverse("accounts:login"), {"username": "demo-manager", "password": DEMO_PASSWORD})
    assert manager.get(reverse("accounts:tokens", args=["demo"])).status_code == 403


def test_the_demos_e_mail_links_lead_to_its_own_server():
    from goaldesk.demo.commands import _base_url

    assert _base_url("127.0.0.1", 8742) == "http://127.0.0.1:8742"
    assert _base_url("0.0.0.0", 9000) == "http://127.0.0.1:9000"  # noqa: S104
    assert _base_url("::1", 8000) == "http://[::1]:8000"
