"""A database of the last release keeps every row and link when it migrates to this layout.

Teams and agents moved from `interactions` to `team`; the workforce models split into
`forecasting` and `scheduling`. The test migrates the test database back to the last release's
migrations, fills it through that release's models (the historical models of its migration
state), migrates forward and reads everything back through today's models.
"""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from goaldesk.accounts.models import Organisation
from goaldesk.forecasting.models import ForecastInterval, ForecastRun, RequirementInterval
from goaldesk.goals.models import Goal
from goaldesk.interactions.models import Category, Interaction
from goaldesk.scheduling.models import (
    AgentAbsence,
    AgentProfile,
    Schedule,
    ScheduledShift,
    ShiftSwap,
)
from goaldesk.team.models import Agent, Team

#: The leaf migrations of the last release (before the renovation).
LAST_RELEASE = [
    ("accounts", "0001_initial"),
    ("interactions", "0003_organisation_index"),
    ("goals", "0001_initial"),
    ("workforce", "0002_scheduling"),
]
#: Apps that did not exist in the last release: all their migrations are unapplied.
NEW_APPS = [("team", None), ("forecasting", None), ("scheduling", None)]

UTC = dt.UTC
MONDAY = dt.datetime(2026, 11, 2, 9, tzinfo=UTC)


def _fill_last_release(apps) -> dict[str, object]:
    """Rows of every moved model, written through the last release's models."""
    user = apps.get_model("auth", "User").objects.create(username="old-manager")
    org = apps.get_model("accounts", "Organisation").objects.create(
        name="Old desk", slug="old-desk", timezone="Asia/Tehran", language="fa"
    )
    team_model = apps.get_model("interactions", "Team")
    agent_model = apps.get_model("interactions", "Agent")
    front = team_model.objects.create(organisation=org, name="Front")
    back = team_model.objects.create(organisation=org, name="Back")
    sara = agent_model.objects.create(
        organisation=org, key="sara", name="Sara", team=front, user=user
    )
    omid = agent_model.objects.create(organisation=org, key="omid", name="Omid", team=back)
    interaction = apps.get_model("interactions", "Interaction")
    for i in range(30):
        agent = sara if i % 3 else omid
        interaction.objects.create(
            organisation=org,
            external_id=f"T-{i}",
            channel="phone",
            created_at=MONDAY + dt.timedelta(hours=i),
            local_date=(MONDAY + dt.timedelta(hours=i)).date(),
            status="resolved",
            agent=agent,
            team=agent.team,
            category=("delivery", "product_question", "")[i % 3],
        )
    apps.get_model("goals", "Goal").objects.create(
        organisation=org,
        title="Answer faster",
        metric_key="first_response_seconds",
        baseline_from=dt.date(2026, 10, 1),
        baseline_to=dt.date(2026, 10, 31),
        target=600,
        start=dt.date(2026, 11, 1),
        deadline=dt.date(2027, 1, 31),
        scope={"team": str(front.pk)},
    )
    run = apps.get_model("workforce", "ForecastRun").objects.create(
        organisation=org, created_by=user, state="done", horizon_days=7
    )
    for i in range(4):
        start = MONDAY + dt.timedelta(minutes=30 * i)
        apps.get_model("workforce", "ForecastInterval").objects.create(
            run=run, channel="phone", start=start, forecast=10 + i, lower=8 + i, upper=12 + i
        )
        apps.get_model("workforce", "RequirementInterval").objects.create(
            run=run,
            channel="phone",
            start=start,
            volume=10 + i,
            agents=2 + i,
            agents_with_shrinkage=3 + i,
            service_level=0.8,
            asa_seconds=15.0,
            occupancy=0.7,
            p_wait=0.3,
            model="erlang_c",
        )
    apps.get_model("workforce", "AgentProfile").objects.create(agent=sara, channels=["phone"])
    apps.get_model("workforce", "AgentAbsence").objects.create(
        agent=omid, start=MONDAY + dt.timedelta(days=2), end=MONDAY + dt.timedelta(days=3)
    )
    schedule = apps.get_model("workforce", "Schedule").objects.create(
        organisation=org, week_start=MONDAY.date(), state="done", created_by=user
    )
    shift_model = apps.get_model("workforce", "ScheduledShift")
    shifts = [
        shift_model.objects.create(
            schedule=schedule,
            agent=agent,
            start=MONDAY + dt.timedelta(days=day),
            end=MONDAY + dt.timedelta(days=day, hours=8),
        )
        for day in range(3)
        for agent in (sara, omid)
    ]
    apps.get_model("workforce", "ShiftSwap").objects.create(
        shift=shifts[0], offered_by=sara, taken_by=omid
    )
    return {"org": org.pk, "front": front.pk, "back": back.pk, "sara": sara.pk, "omid": omid.pk}


@pytest.mark.django_db(transaction=True)
def test_the_last_release_keeps_every_row_and_link_after_migrating():
    executor = MigrationExecutor(connection)
    executor.migrate(LAST_RELEASE + NEW_APPS)
    executor.loader.build_graph()
    old_apps = executor.loader.project_state(LAST_RELEASE).apps
    ids = _fill_last_release(old_apps)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    org = Organisation.objects.get(pk=ids["org"])
    front, back = Team.objects.get(pk=ids["front"]), Team.objects.get(pk=ids["back"])
    sara, omid = Agent.objects.get(pk=ids["sara"]), Agent.objects.get(pk=ids["omid"])
    assert (front.name, back.name, sara.team, omid.team) == ("Front", "Back", front, back)
    assert sara.user.username == "old-manager"
    # 30 calls: every third (i = 0, 3, …, 27) was Omid's, the other 20 Sara's.
    assert Interaction.objects.filter(organisation=org).count() == 30
    assert Interaction.objects.filter(agent=sara, team=front).count() == 20
    assert Interaction.objects.filter(agent=omid, team=back).count() == 10
    assert list(front.interactions.values_list("agent__key", flat=True).distinct()) == ["sara"]
    # Each category key in use became a category of its organisation, named from the key.
    categories = Category.objects.filter(organisation=org).order_by("key")
    assert [(c.key, c.names, c.name_in("en")) for c in categories] == [
        ("delivery", {}, "Delivery"),
        ("product_question", {}, "Product question"),
    ]
    goal = Goal.objects.get(organisation=org)
    assert (goal.title, goal.scope) == ("Answer faster", {"team": str(front.pk)})

    run = ForecastRun.objects.get(organisation=org)
    assert run.intervals.count() == 4 and run.requirements.count() == 4
    assert sorted(RequirementInterval.objects.values_list("agents", flat=True)) == [2, 3, 4, 5]
    assert ForecastInterval.objects.filter(run=run, forecast=13).count() == 1
    assert AgentProfile.objects.filter(agent=sara).exists()
    assert [s.skill.scheduling_code for s in sara.skill_levels.select_related("skill")] == ["phone"]
    assert AgentAbsence.objects.get().agent == omid

    schedule = Schedule.objects.get(organisation=org)
    assert schedule.shifts.count() == 6
    assert ScheduledShift.objects.filter(agent=sara).count() == 3
    assert sara.scheduled_shifts.filter(schedule=schedule).count() == 3
    swap = ShiftSwap.objects.get()
    assert (swap.shift.agent, swap.offered_by, swap.taken_by) == (sara, sara, omid)

    # The moved models still accept new rows (sequences carried on with the tables).
    assert Agent.objects.create(organisation=org, key="new").pk > ids["omid"]
    assert Team.objects.create(organisation=org, name="Night").pk > ids["back"]
