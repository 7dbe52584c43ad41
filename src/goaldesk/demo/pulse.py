"""The team pulse of a demo organisation: switched on (a round every week, open three days),
eight weekly rounds behind it and the current one open.

The story the numbers tell: a calm start; then a busy week three weeks ago (a promotion and
short-staffed evenings) when the workload is rated far too high, the schedule felt less fair
and fewer would recommend working here; then recovery. Five weeks ago few answered (a holiday
week): three answers, so that round shows the threshold at work. The current round has a few
answers, shown only after it closes.

The demo's few confidence votes (demo/goals.py) are all cast the day it is built; they are
dated back over the past rounds here, one every two weeks, as if the team had voted then, so
the confidence line beside the pulse moves as votes come in.

The demo's agents mostly have no login, so their answers are counted without receipts
(`pulse_answers_record`) and each round's "asked" is the organisation's active agents.
Deterministic: seeded per organisation.
"""

import datetime as dt
import random
from statistics import NormalDist

from goaldesk.accounts.models import Organisation
from goaldesk.coaching.models.pulse import PULSE_MIN_ANSWERS, PulseQuestion
from goaldesk.coaching.pulse_services import (
    pulse_answers_record,
    pulse_round_create,
    pulse_settings_save,
)
from goaldesk.goals.models import Confidence
from goaldesk.team.models import Agent

OPEN_DAYS = 3
#: weeks ago → (answers, mean workload 1–5, mean fairness 1–5, mean recommend 0–10); 0 is the
#: current round.
ROUNDS = {
    8: (9, 3.0, 3.8, 8.4),
    7: (10, 3.1, 3.7, 8.5),
    6: (8, 3.2, 3.7, 8.3),
    5: (3, 3.0, 3.6, 8.3),  # a holiday week: too few to show
    4: (11, 3.5, 3.4, 7.9),
    3: (12, 4.4, 2.7, 6.6),  # the busy week
    2: (10, 3.8, 3.2, 7.4),
    1: (9, 3.3, 3.6, 8.2),
    0: (4, 3.2, 3.7, 8.3),
}


def _answers(
    rng: random.Random, count: int, workload: float, fairness: float, recommend: float
) -> list[dict[str, int]]:
    """`count` answers spread around the means like a normal distribution (evenly spaced
    quantiles, so a round's mean stays near its story whatever the seed), shuffled."""
    quantiles = [NormalDist().inv_cdf((i + 0.5) / count) for i in range(count)]

    def spread(mean: float, deviation: float, low: int, high: int) -> list[int]:
        values = [min(max(round(mean + deviation * z), low), high) for z in quantiles]
        rng.shuffle(values)
        return values

    columns = zip(
        spread(workload, 0.7, 1, 5),
        spread(fairness, 0.8, 1, 5),
        spread(recommend, 1.3, 0, 10),
        strict=True,
    )
    return [
        {
            PulseQuestion.WORKLOAD: w,
            PulseQuestion.FAIRNESS: f,
            PulseQuestion.RECOMMEND: r,
        }
        for w, f, r in columns
    ]


def pulse_demo_build(*, organisation: Organisation, today: dt.date, seed: int = 18) -> int:
    """The pulse of a demo organisation (see the module). Returns the number of rounds."""
    pulse_settings_save(organisation=organisation, enabled=True, every_weeks=1, open_days=OPEN_DAYS)
    rng = random.Random(f"{seed}-{organisation.slug}")
    team_size = Agent.objects.filter(organisation=organisation, active=True).count()
    for weeks_ago, (answers, workload, fairness, recommend) in sorted(ROUNDS.items(), reverse=True):
        # The current round opened yesterday, so it is open today and tomorrow.
        opens_on = today - dt.timedelta(weeks=weeks_ago, days=1)
        pulse_round, _created = pulse_round_create(
            organisation=organisation,
            opens_on=opens_on,
            open_days=OPEN_DAYS,
            asked=team_size,
            tell=weeks_ago == 0,  # the people with a login are told of the open round
        )
        # A smaller team answers in proportion (the threshold and open rounds as they are).
        count = answers
        if answers >= PULSE_MIN_ANSWERS:
            count = max(round(answers * team_size / 16), PULSE_MIN_ANSWERS)
        count = min(count, team_size)
        pulse_answers_record(
            pulse_round=pulse_round,
            answers=_answers(rng, count, workload, fairness, recommend),
        )
    _votes_date_back(organisation, today)
    return len(ROUNDS)


def _votes_date_back(organisation: Organisation, today: dt.date) -> None:
    votes = Confidence.objects.filter(goal__organisation=organisation).select_related("goal")
    for index, vote in enumerate(votes.order_by("-pk")):
        day = max(today - dt.timedelta(weeks=2 + 2 * index, days=2), vote.goal.start)
        moment = dt.datetime.combine(day, dt.time(11), tzinfo=organisation.tzinfo)
        Confidence.objects.filter(pk=vote.pk).update(updated_at=moment)
