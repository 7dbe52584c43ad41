"""`goaldesk team scorecard` and the /team API routes."""

import json

import pytest

from goaldesk.accounts.models import Role
from goaldesk.cli import main
from goaldesk.coaching.models import CoachingSettings
from tests.api.conftest import ApiClient, make_token

PERIOD = ["--from", "2026-03-01", "--to", "2026-03-07"]


def test_the_scorecard_as_json(desk_goals, capsys):
    assert main(["team", "scorecard", "ana", "--org", "desk", *PERIOD, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["agent"], out["team"], out["previous_from"]) == ("ana", "North", "2026-02-22")
    csat = next(m for m in out["metrics"] if m["key"] == "csat_pct")
    assert (csat["value"], csat["sample"], csat["previous"], csat["team_value"]) == (
        83.3333,
        12,
        50.0,
        70.0,
    )
    assert csat["change"] == 33.3333
    goals = {g["title"]: g for g in csat["goals"]}
    assert goals["CSAT for all"]["person_target"] == 85.0
    assert goals["CSAT for all"]["met"] is False
    assert goals["North CSAT"]["met"] is True


def test_the_scorecard_as_a_table_with_persian_digits_in_the_dates(desk, capsys):
    assert (
        main(
            [
                "team",
                "scorecard",
                "ana",
                "--org",
                "desk",
                "--from",
                "۲۰۲۶-۰۳-۰۱",
                "--to",
                "2026-03-07",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "CSAT" in out and "83.3 %" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--org", "desk", *PERIOD], "No agent “nobody”"),
        (["ana", "--org", "nowhere", *PERIOD], "no organisation “nowhere”"),
        (["ana", "--org", "desk", "--from", "2026-03-07", "--to", "2026-03-01"], "is before"),
        (["ana", "--org", "desk", "--from", "yesterday", "--to", "2026-03-01"], "not a date"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(desk, capsys, args, message):
    assert main(["team", "scorecard", *args]) == 2
    assert message in capsys.readouterr().err


BASE = "/api/v1/orgs/desk/team"
QUERY = {"from": "2026-03-01", "to": "2026-03-07"}


def test_the_api_scorecard_follows_the_roles_and_settings(desk):
    manager = ApiClient(make_token(desk.org, Role.MANAGER))
    answer = manager.get(f"{BASE}/scorecards/ana", QUERY)
    assert answer.status_code == 200
    assert answer.json()["metrics"][0] == {
        "key": "contacts",
        "value": 12,
        "sample": 12,
        "previous": 4,
        "previous_sample": 4,
        "change": 8.0,
        "team_value": 20,
        "goals": [],
    }
    viewer = ApiClient(make_token(desk.org, Role.VIEWER))
    assert viewer.get(f"{BASE}/scorecards/ana", QUERY).status_code == 403
    assert manager.get(f"{BASE}/scorecards/nobody", QUERY).status_code == 404
    assert (
        manager.get(f"{BASE}/scorecards/ana", {"from": "x", "to": "2026-03-07"}).status_code == 422
    )
    session = ApiClient()
    session.client.force_login(desk.ana_user)
    assert session.get(f"{BASE}/scorecards/ana", QUERY).status_code == 200
    assert session.get(f"{BASE}/scorecards/ben", QUERY).status_code == 403
    # An agent token is nobody's own: Cleo has no login, yet her card stays closed to it.
    agent_token = ApiClient(make_token(desk.org, Role.AGENT))
    assert agent_token.get(f"{BASE}/scorecards/cleo", QUERY).status_code == 403


def test_the_api_ranking(desk):
    viewer = ApiClient(make_token(desk.org, Role.VIEWER))
    answer = viewer.get(f"{BASE}/ranking", {"metric": "csat_pct", **QUERY})
    assert answer.status_code == 200
    entries = answer.json()["entries"]
    assert [(e["agent"], e["rank"], e["sample"]) for e in entries] == [
        ("ana", 1, 12),
        ("ben", None, 8),
        ("cleo", None, 0),
    ]
    assert entries[0]["bound"] == pytest.approx(55.197, abs=0.001)
    assert viewer.get(f"{BASE}/ranking", {"metric": "contacts", **QUERY}).status_code == 422
    CoachingSettings.objects.create(organisation=desk.org, public_rankings=False)
    assert viewer.get(f"{BASE}/ranking", {"metric": "csat_pct", **QUERY}).status_code == 403
    manager = ApiClient(make_token(desk.org, Role.MANAGER))
    assert manager.get(f"{BASE}/ranking", {"metric": "csat_pct", **QUERY}).status_code == 200
