"""Benchmark: the scorecards of 200 agents over 90 days on N interactions (default 1,000,000).

    .venv/bin/python bench/scorecards.py                      # SQLite in var/bench (built once)
    .venv/bin/python bench/scorecards.py --cache-dir /tmp/gd-bench --rows 20000 --repeat 3

Builds (or reuses) bench/kpis.py's deterministic organisation, then spreads its interactions
over --agents agents in four teams (once; the agent of row i is agent i mod N) and adds three
active CSAT and first-response goals, one with a target for each agent. Times, warm (one
untimed run, then --repeat timed runs; the median is reported): `scorecards` for every agent
with their objectives, badges and recognitions (what the list and the CLI build on), the list
page as a manager gets it, and one agent's scorecard page. Target: under 1 s for all agents.
Prints JSON with the machine's load average before and after.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kpis

TARGET_SECONDS = 1.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--cache-dir", default=os.environ.get("GOALDESK_BENCH_DIR", "var/bench"))
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite in the cache dir)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per item (median kept)")
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


def spread_agents(org, count: int) -> float:
    """Give the organisation `count` agents in four teams and spread the interactions that
    have an agent over them (row id mod count). Returns seconds spent (0 when already done)."""
    from django.db import connection, transaction

    from goaldesk.interactions.models import Interaction
    from goaldesk.team.models import Agent, Team

    agents = list(Agent.objects.filter(organisation=org).order_by("pk"))
    if len(agents) >= count:
        return 0.0
    started = time.perf_counter()
    teams = list(Team.objects.filter(organisation=org).order_by("pk"))
    with transaction.atomic():
        for i in range(len(agents), count):
            agents.append(
                Agent.objects.create(
                    organisation=org, key=f"agent{i}", name=f"Agent {i}", team=teams[i % len(teams)]
                )
            )
        agents = agents[:count]
        agent_case = " ".join(f"WHEN {i} THEN {a.pk}" for i, a in enumerate(agents))
        team_case = " ".join(f"WHEN {i} THEN {a.team_id}" for i, a in enumerate(agents))
        table = Interaction._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET agent_id = CASE (id %% {count}) {agent_case} END, "  # noqa: S608 - our own numbers
                f"team_id = CASE (id %% {count}) {team_case} END "
                "WHERE organisation_id = %s AND agent_id IS NOT NULL",
                [org.pk],
            )
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def add_goals(org, today: dt.date) -> None:
    from goaldesk.goals.models import BusinessGoal, Goal

    if Goal.objects.filter(organisation=org, title__startswith="Bench ").exists():
        return
    business = BusinessGoal.objects.get_or_create(
        organisation=org, title="Bench business goal", defaults={"kind": "own"}
    )[0]
    common = {
        "organisation": org,
        "baseline_from": today - dt.timedelta(days=120),
        "baseline_to": today - dt.timedelta(days=91),
        "start": today - dt.timedelta(days=90),
        "deadline": today + dt.timedelta(days=60),
        "business_goal": business,
        "reason": "bench",
    }
    Goal.objects.create(
        title="Bench CSAT", metric_key="csat_pct", scope={}, target=70, person_target=65, **common
    )
    Goal.objects.create(
        title="Bench CSAT team 0",
        metric_key="csat_pct",
        scope={"team": "Team 0"},
        target=72,
        **common,
    )
    Goal.objects.create(
        title="Bench first response",
        metric_key="first_response_seconds",
        scope={"channel": "email"},
        target=1800,
        person_target=2400,
        **common,
    )


def timed(repeat: int, function) -> dict:
    function()  # warm
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return {"median": round(statistics.median(runs), 3), "runs": [round(r, 3) for r in runs]}


def main() -> int:
    args = parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    url = kpis.setup_django(args)
    build_seconds = kpis.build(args.rows, args.seed)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from goaldesk.accounts.models import Membership, Organisation, Role
    from goaldesk.coaching.scorecard_selectors import scorecard, scorecards
    from goaldesk.interactions.models import Interaction
    from goaldesk.metrics.summaries import summaries_build
    from goaldesk.team.models import Agent

    org = Organisation.objects.get(slug=kpis.ORG_SLUG)
    spread_seconds = spread_agents(org, args.agents)
    last = kpis.FIRST_DAY + dt.timedelta(days=kpis.DAYS - 1)
    first = last - dt.timedelta(days=kpis.PERIOD_DAYS - 1)
    add_goals(org, last)
    # What the worker does after an import: build the days that changed (all of them here,
    # the first time, or after the agents were spread).
    started = time.perf_counter()
    summary_days = summaries_build(org)
    summary_seconds = time.perf_counter() - started
    user, _created = get_user_model().objects.get_or_create(username="bench-manager")
    Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": Role.MANAGER})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    one = Agent.objects.filter(organisation=org).order_by("pk").first()
    query = {"from": first.isoformat(), "to": last.isoformat()}

    def all_cards():
        return scorecards(organisation=org, date_from=first, date_to=last)

    def list_page():
        response = client.get(f"/o/{org.slug}/team/scorecards/", query)
        assert response.status_code == 200, response.status_code  # noqa: S101

    def one_page():
        response = client.get(f"/o/{org.slug}/team/scorecards/{one.pk}/", query)
        assert response.status_code == 200, response.status_code  # noqa: S101

    cards = all_cards()
    results = {
        "scorecards_all_agents": timed(args.repeat, all_cards),
        "scorecards_list_page": timed(args.repeat, list_page),
        "scorecard_one_agent": timed(
            args.repeat,
            lambda: scorecard(organisation=org, agent=one, date_from=first, date_to=last),
        ),
        "scorecard_one_agent_page": timed(args.repeat, one_page),
    }
    rows_in_period = Interaction.objects.filter(
        organisation=org, local_date__range=(first, last)
    ).count()
    print(
        json.dumps(
            {
                "database": url.split("://")[0],
                "rows": args.rows,
                "rows_in_period": rows_in_period,
                "agents": len(cards),
                "period": [first.isoformat(), last.isoformat()],
                "build_seconds": round(build_seconds, 1),
                "spread_seconds": round(spread_seconds, 1),
                "summaries_built": {"days": summary_days, "seconds": round(summary_seconds, 1)},
                "seconds": results,
                "target_seconds": TARGET_SECONDS,
                "under_target": results["scorecards_all_agents"]["median"] < TARGET_SECONDS,
                "load_average_before": load_before,
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
                "cpus": os.cpu_count(),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
