"""A small desk worked out by hand (UTC, 1–7 March 2026 against 22–28 February).

Team North: Ana (with a login) and Ben; Cleo has no team.

    Ana, this week: 12 contacts, CSAT 5 ×10 and 2 ×2 → 10 of 12 = 83.33 %, handle time 300 s
    Ana, last week:  4 contacts, CSAT 4, 4, 1, 1        →  2 of 4 = 50 %
    Ben, this week:  8 contacts, CSAT 5 ×4 and 1 ×4     →  4 of 8 = 50 %, handle time 600 s
    Cleo, this week: 5 contacts, no CSAT
    Team North, this week: 14 good of 20 answers = 70 %
"""

import datetime as dt

import pytest

from goaldesk.accounts.models import Role
from goaldesk.interactions.models import Interaction
from tests.factories import (
    AgentFactory,
    MembershipFactory,
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)
from tests.goals.factories import goal_make

FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 3, 7)
PREVIOUS = (dt.date(2026, 2, 22), dt.date(2026, 2, 28))


def contacts(org, agent, day, answers, *, handle=None, prefix="x"):
    """One resolved e-mail per CSAT answer (None: no answer) on `day` at noon UTC."""
    Interaction.objects.bulk_create(
        Interaction(
            organisation=org,
            external_id=f"{prefix}-{agent.key}-{day.isoformat()}-{n}",
            channel="email",
            created_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
            local_date=day,
            status="resolved",
            agent=agent,
            team=agent.team,
            csat=csat,
            handle_seconds=handle,
        )
        for n, csat in enumerate(answers)
    )


class Desk:
    pass


@pytest.fixture
def desk(db):
    d = Desk()
    d.org = OrganisationFactory(name="Desk", slug="desk", timezone="UTC")
    d.north = TeamFactory(organisation=d.org, name="North")
    d.ana_user = UserFactory(username="ana")
    MembershipFactory(user=d.ana_user, organisation=d.org, role=Role.AGENT)
    d.ben_user = UserFactory(username="ben")
    MembershipFactory(user=d.ben_user, organisation=d.org, role=Role.AGENT)
    d.ana = AgentFactory(organisation=d.org, key="ana", name="Ana", team=d.north, user=d.ana_user)
    d.ben = AgentFactory(organisation=d.org, key="ben", name="Ben", team=d.north, user=d.ben_user)
    d.cleo = AgentFactory(organisation=d.org, key="cleo", name="Cleo")
    contacts(d.org, d.ana, dt.date(2026, 3, 2), [5] * 10 + [2] * 2, handle=300)
    contacts(d.org, d.ana, dt.date(2026, 2, 24), [4, 4, 1, 1], handle=300)
    contacts(d.org, d.ben, dt.date(2026, 3, 3), [5] * 4 + [1] * 4, handle=600)
    contacts(d.org, d.cleo, dt.date(2026, 3, 4), [None] * 5)
    d.manager = UserFactory(username="boss")
    MembershipFactory(user=d.manager, organisation=d.org, role=Role.MANAGER)
    d.viewer = UserFactory(username="watcher")
    MembershipFactory(user=d.viewer, organisation=d.org, role=Role.VIEWER)
    return d


@pytest.fixture
def desk_goals(desk):
    """Three active CSAT goals: the whole desk (target 80 %, each agent 85 %), team North
    (75 %, each agent 80 %) and Ben alone (90 %)."""
    desk.whole = goal_make(
        desk.org,
        title="CSAT for all",
        metric_key="csat_pct",
        scope={},
        target=80.0,
        person_target=85.0,
    )
    desk.team_goal = goal_make(
        desk.org,
        title="North CSAT",
        metric_key="csat_pct",
        scope={"team": "North"},
        target=75.0,
        person_target=80.0,
    )
    desk.ben_goal = goal_make(
        desk.org, title="Ben CSAT", metric_key="csat_pct", scope={"agent": "ben"}, target=90.0
    )
    return desk
