"""Reads of the team pulse: who is asked, the open round, each round's results (only in
aggregate, only from `PULSE_MIN_ANSWERS` answers, only once the round has closed) and the
trend beside the goals' confidence votes."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q, QuerySet

from goaldesk.accounts.models import Organisation, Role
from goaldesk.goals.models import Confidence

from .models.pulse import (
    PULSE_MIN_ANSWERS,
    PulseQuestion,
    PulseReceipt,
    PulseRound,
    PulseSettings,
    PulseTally,
)


def pulse_settings_for(organisation: Organisation) -> PulseSettings:
    """The organisation's pulse settings (unsaved defaults, pulse off, when never set)."""
    found = PulseSettings.objects.filter(organisation=organisation).first()
    return found or PulseSettings(organisation=organisation)


def people_asked(*, organisation: Organisation) -> QuerySet[Any]:
    """Who the pulse asks: active members with the agent role, and active members of any role
    linked to an active agent record of the organisation (a manager who takes calls)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__organisation=organisation)
        .filter(
            Q(memberships__role=Role.AGENT)
            | Q(agent_records__organisation=organisation, agent_records__active=True)
        )
        .distinct()
        .order_by("pk")
    )


def is_asked(*, organisation: Organisation, user: Any) -> bool:
    return people_asked(organisation=organisation).filter(pk=user.pk).exists()


def round_open(*, organisation: Organisation, today: dt.date) -> PulseRound | None:
    """The round open on `today`, if any."""
    return (
        PulseRound.objects.filter(
            organisation=organisation, opens_on__lte=today, closes_on__gte=today
        )
        .order_by("-opens_on")
        .first()
    )


def has_answered(*, pulse_round: PulseRound, user: Any) -> bool:
    return PulseReceipt.objects.filter(round=pulse_round, user=user).exists()


@dataclass
class RoundResult:
    """One round as the results page shows it. The figures are None unless `shown`."""

    round: PulseRound
    answers: int
    is_open: bool
    shown: bool
    workload: float | None = None
    fairness: float | None = None
    #: % promoters (9–10) minus % detractors (0–6), from −100 to 100.
    enps: float | None = None
    #: value → count per question (only when shown).
    counts: dict[str, dict[int, int]] = field(default_factory=dict)
    #: Mean confidence vote (1–5) on the goals running during the round, and how many votes.
    confidence: float | None = None
    confidence_votes: int = 0

    @property
    def missing(self) -> int:
        """How many more answers the round would need to be shown."""
        return max(PULSE_MIN_ANSWERS - self.answers, 0)


def _mean(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    return sum(v * n for v, n in counts.items()) / total if total else None


def enps_of(counts: dict[int, int]) -> float | None:
    """eNPS of 0–10 answers: % of 9–10 minus % of 0–6 (None without answers)."""
    total = sum(counts.values())
    if not total:
        return None
    promoters = sum(n for v, n in counts.items() if v >= 9)
    detractors = sum(n for v, n in counts.items() if v <= 6)
    return 100 * (promoters - detractors) / total


def round_results(
    rounds: list[PulseRound], *, today: dt.date, with_confidence: bool = True
) -> list[RoundResult]:
    """The results of `rounds` in their order. A round's figures are read only when it has
    closed (so nobody learns one person's answer from the change one answer makes) and has at
    least `PULSE_MIN_ANSWERS` answers."""
    shown_ids = [r.pk for r in rounds if r.answers >= PULSE_MIN_ANSWERS and r.closes_on < today]
    counts: dict[int, dict[str, dict[int, int]]] = {pk: {} for pk in shown_ids}
    for tally in PulseTally.objects.filter(round_id__in=shown_ids, count__gt=0):
        counts[tally.round_id].setdefault(tally.question, {})[tally.value] = tally.count
    results = []
    for pulse_round in rounds:
        shown = pulse_round.pk in counts
        result = RoundResult(
            round=pulse_round,
            answers=pulse_round.answers,
            is_open=pulse_round.is_open_on(today),
            shown=shown,
        )
        if shown:
            by_question = counts[pulse_round.pk]
            result.counts = by_question
            result.workload = _mean(by_question.get(PulseQuestion.WORKLOAD, {}))
            result.fairness = _mean(by_question.get(PulseQuestion.FAIRNESS, {}))
            result.enps = enps_of(by_question.get(PulseQuestion.RECOMMEND, {}))
        if with_confidence:
            result.confidence, result.confidence_votes = confidence_during(pulse_round)
        results.append(result)
    return results


def confidence_during(pulse_round: PulseRound) -> tuple[float | None, int]:
    """(mean vote, votes) of the team's confidence in the goals running during the round, as
    cast by its last day. A vote is stored once per person and goal (a new vote replaces it),
    so a vote changed later counts from the day of its change."""
    organisation = pulse_round.organisation
    end = dt.datetime.combine(
        pulse_round.closes_on + dt.timedelta(days=1), dt.time(), tzinfo=organisation.tzinfo
    )
    row = Confidence.objects.filter(
        goal__organisation=organisation,
        goal__start__lte=pulse_round.closes_on,
        goal__deadline__gte=pulse_round.opens_on,
        updated_at__lt=end,
    ).aggregate(mean=Avg("rating"), votes=Count("pk"))
    return row["mean"], row["votes"]


def pulse_trend(*, organisation: Organisation, today: dt.date, last: int = 8) -> list[RoundResult]:
    """The last `last` rounds that opened by `today`, oldest first, with their results."""
    rounds = list(
        PulseRound.objects.filter(organisation=organisation, opens_on__lte=today)
        .select_related("organisation")
        .order_by("-opens_on")[:last]
    )
    rounds.reverse()
    return round_results(rounds, today=today)
