"""The REST API and the `goaldesk level` / `goaldesk goals` commands."""

import datetime as dt
import json

import pytest
from django.test import Client

from goaldesk import cli
from goaldesk.accounts.models import Role, today_in
from goaldesk.goals.models import Goal, Objective
from tests.api.conftest import BASE, ApiClient, make_token
from tests.factories import MembershipFactory, UserFactory
from tests.goals.factories import business_goal_make, goal_make, objective_make, resolved_visits


@pytest.fixture
def desk(org):
    today = today_in(org)
    for back in range(1, 29):
        resolved_visits(org, today - dt.timedelta(days=back), 20)
    business_goal_make(org, "Increase revenue")
    return org


def _body(org, **changes):
    today = today_in(org)
    body = {
        "title": "Desk: 22 a day",
        "type": "productivity",
        "metric": "customers_helped_per_day",
        "scope": {"channel": "walk_in"},
        "baseline_from": (today - dt.timedelta(days=28)).isoformat(),
        "baseline_to": (today - dt.timedelta(days=1)).isoformat(),
        "target": 22,
        "start": today.isoformat(),
        "deadline": (today + dt.timedelta(days=28)).isoformat(),
        "business_goal": "Increase revenue",
        "reason": "More sales.",
        "confirm_warnings": True,
    }
    body.update(changes)
    return body


def _patch(api, path, body):
    return api.client.patch(
        path, json.dumps(body), content_type="application/json", headers=api.headers
    )


def test_create_read_and_update_a_goal_through_the_api(desk):
    api = ApiClient(make_token(desk, Role.MANAGER))
    created = api.post(f"{BASE}/{desk.slug}/goals", _body(desk))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["baseline"] == pytest.approx(20.0)
    assert data["baseline_sample"] == 28
    assert data["smart"]["letters"]["R"]["status"] == "pass"

    goal_id = data["id"]
    missing_reason = _patch(api, f"{BASE}/{desk.slug}/goals/{goal_id}", {"target": 24})
    assert missing_reason.status_code == 422
    assert missing_reason.json()["detail"][0]["field"] == "revision_reason"
    changed = _patch(
        api,
        f"{BASE}/{desk.slug}/goals/{goal_id}",
        {"target": 24, "revision_reason": "Two more staff.", "confirm_warnings": True},
    )
    assert changed.status_code == 200
    assert changed.json()["target"] == 24
    assert changed.json()["revisions"][0]["changes"] == {"target": [22.0, 24.0]}

    progress = api.get(f"{BASE}/{desk.slug}/goals/{goal_id}/progress")
    assert progress.status_code == 200
    assert progress.json()["status"] == "not_started" or progress.json()["report"] is not None


def test_the_api_validates_as_the_form_does(desk):
    api = ApiClient(make_token(desk, Role.MANAGER))
    no_reason = api.post(f"{BASE}/{desk.slug}/goals", _body(desk, reason=""))
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"][0]["field"] == "reason"
    bad_scope = api.post(f"{BASE}/{desk.slug}/goals", _body(desk, scope={"channel": "fax"}))
    assert bad_scope.status_code == 422
    assert bad_scope.json()["detail"][0]["field"] == "scope"
    unconfirmed = api.post(
        f"{BASE}/{desk.slug}/goals", _body(desk, target=60, confirm_warnings=False)
    )
    assert unconfirmed.status_code == 422
    fields = {d["field"] for d in unconfirmed.json()["detail"]}
    assert fields == {"confirm_warnings"}
    assert not Goal.objects.exists()
    viewer = ApiClient(make_token(desk, Role.VIEWER))
    assert viewer.post(f"{BASE}/{desk.slug}/goals", _body(desk)).status_code == 403


def test_objectives_through_the_api_and_agents_ticking_their_own(org):
    goal = goal_make(org)
    api = ApiClient(make_token(org, Role.MANAGER))
    agent = UserFactory(username="aisha")
    MembershipFactory(user=agent, organisation=org, role=Role.AGENT)
    created = api.post(
        f"{BASE}/{org.slug}/goals/{goal.pk}/objectives",
        {"title": "Walk the floor", "owner": "aisha", "due": "2030-01-05"},
    )
    assert created.status_code == 201
    objective_id = created.json()["id"]
    other = objective_make(goal, title="Returns desk")

    session = Client()
    session.force_login(agent)
    as_agent = ApiClient(client=session)
    ok = _patch(as_agent, f"{BASE}/{org.slug}/objectives/{objective_id}", {"done": True})
    assert ok.status_code == 200 and ok.json()["done"] is True
    assert (
        _patch(as_agent, f"{BASE}/{org.slug}/objectives/{other.pk}", {"done": True}).status_code
        == 403
    )
    renamed = _patch(as_agent, f"{BASE}/{org.slug}/objectives/{objective_id}", {"title": "x"})
    assert renamed.status_code == 403
    assert Objective.objects.get(pk=objective_id).title == "Walk the floor"
    rated = as_agent.post(f"{BASE}/{org.slug}/goals/{goal.pk}/confidence", {"rating": 4})
    assert rated.json() == {"average": 4.0, "votes": 1}


def test_level_through_the_api_and_the_cli(org, capsys):
    today = today_in(org)
    day = today - dt.timedelta(days=2)
    resolved_visits(org, day, 36, channel="phone", csat=5, wait_seconds=10)
    resolved_visits(org, day, 4, prefix="low", channel="phone", csat=2, wait_seconds=10)
    period = {"from": (today - dt.timedelta(days=6)).isoformat(), "to": today.isoformat()}
    api = ApiClient(make_token(org, Role.VIEWER))
    body = api.get(f"{BASE}/{org.slug}/level", period).json()
    assert body["level"] == "exceptional"
    steps = {step["criterion"]: step for step in body["to_reach_next"]}
    assert steps["csat_pct"] == {
        "criterion": "csat_pct",
        "metric": "csat_pct",
        "scope": {},
        "current": 90.0,
        "needed": 92.0,
        "better": "higher",
    }
    # Service level (100 %) and abandonment (0 %) already meet the top bars.
    assert "service_level" not in steps and "abandon_rate" not in steps

    code = cli.main(
        ["level", "--org", org.slug, "--from", period["from"], "--to", period["to"], "--json"]
    )
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["level"] == "exceptional"
    assert printed["measured"]["metrics"]["csat_pct"] == pytest.approx(90.0)
    # As text: the verdict is the level of service with its place among the four, never
    # "Service level" (the answered-in-time percentage), and its reason names CSAT and its bar.
    text_args = ["level", "--org", org.slug, "--from", period["from"], "--to", period["to"]]
    assert cli.main(text_args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "Level of service: Exceptional (level 3 of 4)"
    assert "Service level:" not in "\n".join(lines)
    assert "  - CSAT is 90.0 %; Beyond expectations needs 92.0 %." in lines
    steps_from = lines.index("To reach “Beyond expectations (level 4 of 4)”")
    assert "  - CSAT (the whole organisation): from 90.0 % to 92.0 %" in lines[steps_from:]
    assert (
        cli.main(["level", "--org", "nowhere", "--from", "2026-01-01", "--to", "2026-01-02"]) == 2
    )
    assert "no organisation “nowhere”" in capsys.readouterr().err


def test_goals_list_and_show_on_the_command_line(org, capsys):
    goal = goal_make(org, title="Desk goal")
    objective_make(goal, done=True)
    objective_make(goal, title="Returns desk")
    assert cli.main(["goals", "list", "--org", org.slug, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [g["title"] for g in listed["goals"]] == ["Desk goal"]
    assert listed["goals"][0]["objectives"] == {"done": 1, "total": 2}
    assert cli.main(["goals", "show", str(goal.pk), "--org", org.slug, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["target"] == 50.0
    assert set(shown["smart"]["letters"]) == set("SMART")
    assert cli.main(["goals", "show", "9999", "--org", org.slug]) == 2


@pytest.mark.parametrize(
    ("period", "message"),
    [
        # 2021-03-07 .. 2026-03-08 is 1,828 days; the level takes at most 1,827 (five years).
        ({"from": "2021-03-07", "to": "2026-03-08"}, "at most 1827 days"),
        ({"from": "2026-01-01", "to": "9999-12-31"}, "2100-12-31"),
        ({"from": "0001-01-01", "to": "2026-01-01"}, "1900-01-01"),
    ],
)
def test_level_of_a_period_too_long_or_out_of_range_is_refused(org, capsys, period, message):
    args = ["level", "--org", org.slug, "--from", period["from"], "--to", period["to"]]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    api = ApiClient(make_token(org, Role.VIEWER))
    response = api.get(f"{BASE}/{org.slug}/level", period)
    assert response.status_code == 422
    assert message in response.json()["detail"][0]["message"]


def test_level_of_five_years_is_measured(org):
    api = ApiClient(make_token(org, Role.VIEWER))
    response = api.get(f"{BASE}/{org.slug}/level", {"from": "2021-03-08", "to": "2026-03-08"})
    assert response.status_code == 200
    assert response.json()["to"] == "2026-03-08"
