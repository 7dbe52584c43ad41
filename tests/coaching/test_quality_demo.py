"""The demo's quality reviews on a small organisation (the full demo is built elsewhere)."""

import datetime as dt

from goaldesk.accounts.models import Role
from goaldesk.coaching.models import QualityReview, QueueItem, ReviewState, Rubric
from goaldesk.coaching.quality_selectors import calibration_for
from goaldesk.demo.quality import quality_demo_build
from goaldesk.interactions.models import Interaction
from tests.factories import AgentFactory, MembershipFactory, UserFactory


def test_the_demo_has_a_rubric_weeks_of_reviews_calibration_disputes_and_a_queue(org):
    for name, role in (("boss", Role.OWNER), ("lead", Role.MANAGER)):
        MembershipFactory(organisation=org, user=UserFactory(username=name), role=role)
    agent_user = UserFactory(username="aisha")
    MembershipFactory(organisation=org, user=agent_user, role=Role.AGENT)
    agents = [AgentFactory(organisation=org, key="aisha", user=agent_user)] + [
        AgentFactory(organisation=org, key=f"a{i}") for i in range(3)
    ]
    today = dt.date(2026, 3, 31)
    rows = []
    for day in range(42):
        date = today - dt.timedelta(days=day)
        for n, agent in enumerate(agents):
            rows.append(
                Interaction(
                    organisation=org, external_id=f"D-{day}-{n}", channel="phone", agent=agent,
                    created_at=dt.datetime.combine(date, dt.time(9), tzinfo=dt.UTC),
                    local_date=date, status="resolved", csat=1 if (day + n) % 11 == 0 else 4,
                )
            )  # fmt: skip
    Interaction.objects.bulk_create(rows)

    made = quality_demo_build(organisation=org, today=today, seed=7)
    assert Rubric.objects.get(organisation=org).versions.get().criteria.count() == 5
    # Four weeks, two per agent and week by the first reviewer, some scored twice.
    assert made == QualityReview.objects.count() > 4 * 2 * len(agents)
    assert calibration_for(organisation=org).pairs
    states = list(QualityReview.objects.values_list("state", flat=True))
    assert states.count(ReviewState.DISPUTED) == 1 and states.count(ReviewState.RESOLVED) == 1
    assert QueueItem.objects.filter(organisation=org, done_at__isnull=True).exists()
    # The same seed gives the same scores.
    first = sorted(QualityReview.objects.values_list("interaction__external_id", "score"))
    QualityReview.objects.all().delete()
    QueueItem.objects.all().delete()
    Rubric.objects.all().delete()
    quality_demo_build(organisation=org, today=today, seed=7)
    assert sorted(QualityReview.objects.values_list("interaction__external_id", "score")) == first
