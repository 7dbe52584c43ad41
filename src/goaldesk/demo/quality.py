"""Quality reviews of a demo organisation: one rubric, about four weeks of reviews by the
organisation's reviewers (some interactions scored by two of them, for calibration), one
review disputed and waiting, one dispute resolved, and the queue filled for what is left.

Deterministic: every choice comes from a random generator seeded by `seed` and the
organisation's slug. Each agent has a steady "skill", so their scores differ believably.
"""

import datetime as dt
import random
from typing import Any

from goaldesk.accounts.models import Organisation
from goaldesk.coaching import quality_services as services
from goaldesk.coaching.models import QualityReview, ReviewState, RubricVersion
from goaldesk.coaching.quality_services import CriterionData, week_start_of
from goaldesk.goals.alerts import managers_of
from goaldesk.interactions.models import Interaction
from goaldesk.team.models import Agent

WEEKS = 4
#: Reviews per agent and week (by the first reviewer), and the share scored twice.
PER_AGENT_WEEK = 2
DOUBLE_SHARE = 0.25

#: (key, English label, Persian label, scale max, weight, critical, N/A allowed)
CRITERIA = (
    ("greeting", "Greeting", "خوشامدگویی", 2, 1.0, False, False),
    ("understanding", "Understood the need", "درک نیاز مشتری", 2, 1.0, False, False),
    ("solution", "Solution correct", "راه‌حل درست", 4, 2.0, True, False),
    ("tone", "Tone and courtesy", "لحن و ادب", 2, 1.0, False, False),
    ("follow_up", "Follow-up promised and noted", "پیگیری وعده‌داده‌شده", 1, 1.0, False, True),
)
COMMENTS = {
    "en": ["Clear and friendly.", "Check the account before answering.", "Good recovery.", ""],
    "fa": ["روشن و دوستانه.", "پیش از پاسخ، حساب را بررسی کنید.", "جبران خوبی بود.", ""],
}


def _rubric(organisation: Organisation, user: Any) -> RubricVersion:
    persian = organisation.language == "fa"
    rubric = services.rubric_create(
        organisation=organisation,
        name="ارزیابی کیفیت تماس‌ها" if persian else "Service quality",
        criteria=[
            CriterionData(
                key=key,
                label=fa if persian else en,
                scale_min=0,
                scale_max=high,
                weight=weight,
                critical=critical,
                not_applicable_allowed=na,
            )
            for key, en, fa, high, weight, critical, na in CRITERIA
        ],
        user=user,
    )
    return rubric.versions.get()


def _answers(rng: random.Random, skill: float) -> dict[str, tuple[int | None, str]]:
    """Points near the agent's skill (0–1) on each scale; follow-up sometimes not applicable."""
    out: dict[str, tuple[int | None, str]] = {}
    for key, _en, _fa, high, _w, critical, na in CRITERIA:
        if na and rng.random() < 0.35:
            out[key] = (None, "")
            continue
        level = min(1.0, max(0.0, rng.gauss(skill, 0.18)))
        if critical and rng.random() < 0.03:
            level = 0.0  # now and then a wrong solution: the review scores 0
        out[key] = (round(level * high), "")
    return out


def _nudged(rng: random.Random, answers: dict[str, tuple[int | None, str]]) -> dict[str, Any]:
    """A second reviewer's answers: mostly the same, one point apart here and there."""
    highs = {key: high for key, _en, _fa, high, *_ in CRITERIA}
    out = {}
    for key, (points, note) in answers.items():
        if points is not None and rng.random() < 0.3:
            points = min(highs[key], max(0, points + rng.choice((-1, 1))))
        out[key] = (points, note)
    return out


def quality_demo_build(*, organisation: Organisation, today: dt.date, seed: int = 7) -> int:
    """Build the demo's quality reviews; returns how many reviews were made."""
    reviewers = managers_of(organisation)
    if not reviewers:
        return 0
    rng = random.Random(f"{seed}:{organisation.slug}:quality")
    version = _rubric(organisation, reviewers[0])
    comments = COMMENTS["fa" if organisation.language == "fa" else "en"]
    agents = list(Agent.objects.filter(organisation=organisation).order_by("pk"))
    skill = {agent.pk: rng.uniform(0.68, 0.95) for agent in agents}
    this_week = week_start_of(organisation, today)
    made = 0
    for weeks_back in range(WEEKS, 0, -1):
        first = this_week - dt.timedelta(weeks=weeks_back)
        for agent in agents:
            ids = list(
                Interaction.objects.filter(
                    organisation=organisation,
                    agent=agent,
                    local_date__gte=first,
                    local_date__lt=first + dt.timedelta(weeks=1),
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for pk in rng.sample(ids, min(PER_AGENT_WEEK, len(ids))):
                interaction = Interaction.objects.select_related("organisation", "agent").get(pk=pk)
                answers = _answers(rng, skill[agent.pk])
                lead = reviewers[made % len(reviewers)]
                services.review_create(
                    interaction=interaction,
                    reviewer=lead,
                    version=version,
                    answers=answers,
                    comment=rng.choice(comments),
                )
                made += 1
                others = [r for r in reviewers if r.pk != lead.pk]
                if others and rng.random() < DOUBLE_SHARE:
                    services.review_create(
                        interaction=interaction,
                        reviewer=others[0],
                        version=version,
                        answers=_nudged(rng, answers),
                    )
                    made += 1
    _answers_by_agents(organisation, rng, reviewers[0])
    services.queue_fill(organisation=organisation, today=today)
    return made


def _answers_by_agents(organisation: Organisation, rng: random.Random, manager: Any) -> None:
    """Agents with a login acknowledge most of their reviews and dispute their two lowest: the
    lowest is resolved (upheld: the solution was right after all), the other waits for a
    manager."""
    reason = (
        "مشتری پیش از پایان تماس گفت مشکلش حل شده است."
        if organisation.language == "fa"
        else "The customer confirmed the fix before hanging up; the solution was right."
    )
    second_reason = (
        "لحن من مؤدبانه بود و مشتری در پایان تشکر کرد."
        if organisation.language == "fa"
        else "My tone was polite and the customer thanked me at the end."
    )
    note = "حق با شماست؛ اصلاح شد." if organisation.language == "fa" else "Agreed, corrected."
    for agent in Agent.objects.filter(organisation=organisation, user__isnull=False):
        reviews = list(
            QualityReview.objects.filter(organisation=organisation, agent=agent)
            .select_related("interaction", "agent", "rubric_version", "organisation")
            .order_by("interaction__local_date", "pk")
        )
        if len(reviews) < 3:
            continue
        # The two lowest scores are the ones an agent would dispute.
        lowest = sorted(reviews, key=lambda r: (r.score if r.score is not None else 101, r.pk))
        resolved, waiting = lowest[0], lowest[1]
        older = [r for r in reviews if r.pk not in (resolved.pk, waiting.pk)]
        for review in older:
            if rng.random() < 0.7:
                services.review_acknowledge(review=review, user=agent.user)
        services.review_dispute(review=resolved, user=agent.user, reason=reason)
        answers = {
            a.criterion.key: (a.criterion.scale_max, a.comment)
            if a.criterion.critical
            else (a.points, a.comment)
            for a in resolved.answers.select_related("criterion")
        }
        services.review_resolve(
            review=resolved, user=manager, outcome="upheld", note=note, answers=answers
        )
        services.review_dispute(review=waiting, user=agent.user, reason=second_reason)
        assert waiting.state == ReviewState.DISPUTED  # noqa: S101 - the demo's own invariant
