"""`demo_build` and the `goaldesk demo-data` / `goaldesk demo --no-serve` commands."""

import csv
import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from goaldesk.accounts.models import ApiToken, Membership, Organisation, hash_token
from goaldesk.cli import main
from goaldesk.demo.build import DEMO_CATEGORY_NAMES, DEMO_PASSWORD, demo_build
from goaldesk.interactions.models import Interaction, Review
from goaldesk.interactions.records import CANONICAL_FIELDS, parse_interaction
from goaldesk.interactions.selectors import category_names
from goaldesk.team.models import Agent, Team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """The demo keeps its API token in the data directory: use a fresh one per test."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def roles_of(username):
    return dict(
        Membership.objects.filter(user__username=username).values_list("organisation__slug", "role")
    )


def test_demo_build_creates_both_organisations_users_and_data():
    summary = demo_build(seed=3, size=300)

    assert summary["built"] is True
    demo = Organisation.objects.get(slug="demo")
    persian = Organisation.objects.get(slug="demo-fa")
    assert (demo.timezone, demo.language, demo.calendar) == ("Asia/Dubai", "en", "gregorian")
    assert (persian.timezone, persian.language, persian.calendar) == ("Asia/Tehran", "fa", "jalali")
    assert persian.weekend_days == [5]
    assert Interaction.objects.filter(organisation=demo).count() == 300
    assert Interaction.objects.filter(organisation=persian).count() == 50
    assert Review.objects.filter(organisation=demo).exists()

    # Every category used is a category; the demo's own are named in each language.
    with translation.override("fa"):
        names = category_names(organisation=persian)
    assert set(names) == set(
        Interaction.objects.filter(organisation=persian)
        .exclude(category="")
        .values_list("category", flat=True)
    )
    own = {key: fa["fa"] for key, fa in DEMO_CATEGORY_NAMES.items() if key in names}
    assert own and all(names[key] == name for key, name in own.items())
    assert all("_" not in name for name in names.values())

    # Settings: Friday has a midday break; a couple of holidays in the half year.
    friday = list(demo.business_hours.filter(weekday=5).values_list("opens", "closes"))
    assert friday == [(dt.time(9), dt.time(12)), (dt.time(14, 30), dt.time(18))]
    assert demo.holidays.count() >= 2

    # Teams and named agents; the agent user is an agent.
    assert Team.objects.filter(organisation=demo).count() == 3
    assert 13 <= Agent.objects.filter(organisation=demo).count() <= 16
    assert Agent.objects.get(organisation=demo, user__username="demo-agent").name == "Aisha Rahman"

    # One user per role, all with the printed password; the owner is in both organisations.
    assert roles_of("demo") == {"demo": "owner", "demo-fa": "owner"}
    assert roles_of("demo-manager") == {"demo": "manager"}
    assert roles_of("demo-agent") == {"demo": "agent"}
    assert roles_of("demo-viewer") == {"demo": "viewer"}
    for user in summary["users"]:
        assert get_user_model().objects.get(username=user["username"]).check_password(DEMO_PASSWORD)
        assert user["password"] == DEMO_PASSWORD

    # The printed token works for the demo organisation.
    token = summary["api_token"]
    assert ApiToken.objects.get(token_hash=hash_token(token)).organisation == demo


def test_the_owner_can_sign_in_and_open_both_organisations():
    demo_build(seed=3, size=60)
    client = Client()
    # Through the sign-in page: the sign-in throttle counts per request and address.
    signed_in = client.post("/signin/", {"username": "demo", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/o/demo/").status_code == 200
    persian = client.get("/o/demo-fa/")
    assert persian.status_code == 200
    assert 'dir="rtl"' in persian.content.decode()


def test_demo_build_twice_changes_nothing_and_reset_rebuilds():
    first = demo_build(seed=3, size=200)
    counts = (
        Organisation.objects.count(), get_user_model().objects.count(),
        Membership.objects.count(), Interaction.objects.count(), Agent.objects.count(),
        ApiToken.objects.count(),
    )  # fmt: skip

    second = demo_build(seed=3, size=200)
    assert second["built"] is False
    assert second["api_token"] == first["api_token"]
    assert counts == (
        Organisation.objects.count(), get_user_model().objects.count(),
        Membership.objects.count(), Interaction.objects.count(), Agent.objects.count(),
        ApiToken.objects.count(),
    )  # fmt: skip

    third = demo_build(seed=3, size=120, reset=True)
    assert third["built"] is True
    assert Interaction.objects.filter(organisation__slug="demo").count() == 120
    assert Organisation.objects.filter(slug__startswith="demo").count() == 2
    assert third["api_token"] != first["api_token"]
    assert not ApiToken.objects.filter(token_hash=hash_token(first["api_token"])).exists()


def test_a_half_built_demo_is_rebuilt():
    demo_build(seed=3, size=50)
    ApiToken.objects.filter(organisation__slug="demo").delete()  # as if the build was cut short
    again = demo_build(seed=3, size=50)
    assert again["built"] is True
    assert Interaction.objects.filter(organisation__slug="demo").count() == 50


def test_demo_data_writes_exactly_size_valid_canonical_rows(tmp_path, capsys):
    out = tmp_path / "demo.csv"
    assert main(["demo-data", "--size", "500", "--seed", "5", "--out", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 500
    assert tuple(rows[0]) == CANONICAL_FIELDS
    tz = zoneinfo.ZoneInfo("Asia/Dubai")
    for row in rows:
        parsed = parse_interaction(row, tz=tz)
        assert row["created_at"].endswith("+04:00")
        assert parsed.created_at.tzinfo is not None
    assert "500" in capsys.readouterr().err


def test_demo_data_reports_an_unwritable_file(tmp_path, capsys):
    target = tmp_path / "missing-dir" / "demo.csv"
    assert main(["demo-data", "--size", "5", "--out", str(target)]) == 2
    assert str(target) in capsys.readouterr().err


def test_demo_no_serve_prints_how_to_sign_in(capsys):
    args = ["demo", "--no-serve", "--seed", "3", "--port", "8123"]
    # The natural volume would take seconds here; the command builds the full demo, so
    # build a small one first and check that the command leaves it alone and prints it.
    demo_build(seed=3, size=40)
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "http://127.0.0.1:8123/signin/" in printed
    for username in ("demo", "demo-manager", "demo-agent", "demo-viewer"):
        assert f"  {username} " in printed
    assert DEMO_PASSWORD in printed
    assert "gd_" in printed
