"""The demo's customers: every record filled, three segments with persona cards, a goal for
the gold customers beside the demo's goals, the same every time."""

import datetime as dt

import pytest

from goaldesk.customers.models import Customer, Segment
from goaldesk.demo.customers import customers_demo_build
from goaldesk.feedback.models import Persona
from goaldesk.goals.models import Goal
from tests.customers.conftest import desk  # noqa: F401 - the small desk
from tests.goals.factories import goal_make

pytestmark = pytest.mark.django_db


def test_customers_segments_and_personas_are_filled_the_same_every_time(desk):  # noqa: F811
    goal_make(desk)  # a goal of the demo to stand beside
    today = dt.date(2026, 4, 20)  # the desk's contacts are in March: a baseline to measure
    assert customers_demo_build(organisation=desk, today=today, seed=3) == 3
    first = {c.key: (c.name, c.attributes) for c in Customer.objects.filter(organisation=desk)}
    assert all(
        name and attributes["tier"] and attributes["city"] for name, attributes in first.values()
    )
    segments = list(Segment.objects.filter(organisation=desk).order_by("name"))
    assert [s.name for s in segments] == ["Frequent callers", "Gold tier", "Unhappy last time"]
    assert Persona.objects.filter(segment__in=segments).count() == 3
    gold_goal = Goal.objects.filter(organisation=desk, scope={"segment": "Gold tier"})
    golds = Customer.objects.filter(organisation=desk, attributes__tier="gold")
    assert gold_goal.count() == (1 if golds.exists() else 0)
