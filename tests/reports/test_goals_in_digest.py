"""The goals part of the digest (once the weekly goals digest) and closing goals past their
deadline, which the worker's clock now does."""

import datetime as dt

import pytest

from goaldesk.accounts.mail import absolute
from goaldesk.accounts.models import Role, today_in
from goaldesk.goals import services as goal_services
from goaldesk.goals.models import Outcome
from goaldesk.reports.models import PeriodicRun
from goaldesk.reports.services import digests_send, goals_close_all, periodic_slot_claim
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.goals.factories import business_goal_make, goal_make, resolved_visits

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    shop = OrganisationFactory(name="Shop", slug="shop", timezone="UTC")
    today = today_in(shop)
    for back in range(1, 60):
        resolved_visits(shop, today - dt.timedelta(days=back), 20)
    return shop


def test_the_digest_lists_each_goal_with_its_state_projection_and_link(shop, mailoutbox):
    today = today_in(shop)
    sara = UserFactory(username="sara", email="sara@example.com")
    MembershipFactory(user=sara, organisation=shop, role=Role.MANAGER)
    goal = goal_services.goal_create(
        organisation=shop,
        data=goal_services.GoalData(
            title="Desk: 22 a day",
            metric_key="customers_helped_per_day",
            scope={"channel": "walk_in"},
            baseline_from=today - dt.timedelta(days=35),
            baseline_to=today - dt.timedelta(days=8),
            target=22.0,
            start=today - dt.timedelta(days=7),
            deadline=today + dt.timedelta(days=28),
            business_goal=business_goal_make(shop),
            reason="Every customer helped is a sale kept.",
        ),
        confirm_warnings=True,
    )
    outcomes = digests_send(organisation=shop)
    assert [o.result for o in outcomes] == ["sent"]
    body = mailoutbox[0].body
    assert "* Desk: 22 a day: " in body
    # 20 visits a day every day: now 20 a day against the target of 22; the flat trend
    # projects 20 at the deadline.
    assert "now 20.0 a day, target 22.0 a day" in body
    assert "Projected at the deadline: 20.0 a day" in body
    assert absolute(f"/o/shop/goals/{goal.pk}/") in body


def test_the_clock_closes_goals_past_their_deadline(shop):
    today = today_in(shop)
    late = goal_make(
        shop,
        start=today - dt.timedelta(days=40),
        deadline=today - dt.timedelta(days=1),
        baseline_from=today - dt.timedelta(days=58),
        baseline_to=today - dt.timedelta(days=41),
    )
    running = goal_make(shop, title="Still running")
    assert goals_close_all() == 1
    late.refresh_from_db()
    running.refresh_from_db()
    assert late.outcome != Outcome.ACTIVE
    assert running.outcome == Outcome.ACTIVE
    # Another worker's clock in the same slot does nothing; the next slot finds nothing due.
    other = goal_make(
        shop,
        title="Late too",
        start=today - dt.timedelta(days=30),
        deadline=today - dt.timedelta(days=2),
    )
    assert goals_close_all() == 0
    other.refresh_from_db()
    assert other.outcome == Outcome.ACTIVE
    PeriodicRun.objects.all().delete()  # as if the slot had passed
    assert goals_close_all() == 1


def test_a_slot_is_claimed_once():
    assert periodic_slot_claim(name="job", every_seconds=900, now=9000.0) is True
    assert periodic_slot_claim(name="job", every_seconds=900, now=9899.0) is False
    assert periodic_slot_claim(name="other", every_seconds=900, now=9899.0) is True
    assert periodic_slot_claim(name="job", every_seconds=900, now=9900.0) is True
