"""The demo's pulse: shown rounds with a believable trend, one below the threshold, one open."""

import datetime as dt

from goaldesk.accounts.models import Role
from goaldesk.coaching.models import PulseRound
from goaldesk.coaching.pulse_selectors import pulse_trend
from goaldesk.demo.pulse import pulse_demo_build
from goaldesk.notifications.models import Notification
from tests.factories import AgentFactory, MembershipFactory, UserFactory


def test_the_demo_pulse_tells_its_story(org):
    for _ in range(15):
        AgentFactory(organisation=org)
    agent_user = UserFactory(username="demo-like-agent")
    MembershipFactory(user=agent_user, organisation=org, role=Role.AGENT)
    AgentFactory(organisation=org, user=agent_user)
    today = dt.date(2026, 3, 12)

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
    # Only the open round is told, to the one person with a login who is asked.
    assert list(Notification.objects.values_list("recipient", flat=True)) == [agent_user.pk]
    # Built again on the same day (a second worker, a rerun): nothing doubles.
    before = list(PulseRound.objects.values_list("opens_on", "answers"))
    assert len(before) == 9
