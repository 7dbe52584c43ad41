"""The demo's pulse: shown rounds with a believable trend, one below the threshold, one open."""

import datetime as dt

from goaldesk.accounts.models import Role
from goaldesk.coaching.models import PulseRound
from goaldesk.coaching.pulse_selectors import pulse_trend
from goaldesk.demo.pulse import pulse_demo_build
from goaldesk.goals.models import Confidence
from goaldesk.notifications.models import Notification
from tests.factories import AgentFactory, MembershipFactory, UserFactory
from tests.goals.factories import goal_make


def test_the_demo_pulse_tells_its_story(org):
    for _ in range(15):
        AgentFactory(organisation=org)
    agent_user = UserFactory(username="demo-like-agent")
    MembershipFactory(user=agent_user, organisation=org, role=Role.AGENT)
    AgentFactory(organisation=org, user=agent_user)
    today = dt.date(2026, 3, 12)
    goal = goal_make(
        org, start=today - dt.timedelta(days=60), deadline=today + dt.timedelta(days=9)
    )
    for rating in (2, 4):  # cast now; the demo dates them back 30 and 16 days
        Confidence.objects.create(goal=goal, user=UserFactory(), rating=rating)

    assert pulse_demo_build(organisation=org, today=today) == 9
    results = pulse_trend(organisation=org, today=today, last=9)
    assert [r.round.asked for r in results] == [16] * 9
    *past, current = results
    assert current.is_open and not current.shown and current.answers == 4
    hidden = [r for r in past if not r.shown]
    assert [(r.round.opens_on, r.answers) for r in hidden] == [(dt.date(2026, 2, 4), 3)]
    shown = [r for r in past if r.shown]
    assert all(6 <= r.answers <= 12 for r in shown)
    busy = max(shown, key=lambda r: r.workload)
    assert busy.round.opens_on == dt.date(2026, 2, 18)  # three weeks before the current round
    assert busy.enps == min(r.enps for r in shown)
    # The confidence line moves as the dated-back votes come in: none, then 2, then (2 + 4) / 2.
    assert [r.confidence for r in past] == [None, None, None, None, 2.0, 2.0, 3.0, 3.0]
    # Only the open round is told, to the one person with a login who is asked.
    assert list(Notification.objects.values_list("recipient", flat=True)) == [agent_user.pk]
    # Built again on the same day (a second worker, a rerun): nothing doubles.
    before = list(PulseRound.objects.values_list("opens_on", "answers"))
    assert len(before) == 9
