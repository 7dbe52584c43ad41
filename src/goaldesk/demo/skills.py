"""The demo's skills and training: the channels and languages its work profiles gave each agent
(as the migration turns them into skills), a product skill that needs a certificate, training
records — and one certificate that ran out, which leaves a gap at a peak of the published week
(the skills matrix shows it).

Runs after the schedule is published: the certificate expired after the week was planned, which
is exactly what the matrix is there to catch.
"""

import datetime as dt
import random
from dataclasses import replace

from django.utils import timezone, translation

from goaldesk.accounts.models import Organisation
from goaldesk.coaching.skills_selectors import on_duty_shifts, skills_matrix
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.selectors import schedule_evaluate
from goaldesk.team.models import (
    AgentSkill,
    AgentSkillChange,
    Skill,
    SkillLevel,
    TrainingRecord,
)
from goaldesk.team.services import agent_skill_set, skill_create, training_record_add
from goaldesk.team.skill_labels import skill_label

#: Names the organisation gives its own skills and courses, in its language.
NAMES = {
    "en": {
        "product": "Card payments",
        "other": "Complaints handling",
        "product_course": "Card payments certification",
        "channel_course": "%(channel)s certification",
        "refresher": "Complaints refresher",
    },
    "fa": {
        "product": "پرداخت کارتی",
        "other": "رسیدگی به شکایت",
        "product_course": "گواهی پرداخت کارتی",
        "channel_course": "گواهی %(channel)s",
        "refresher": "دوره بازآموزی شکایت",
    },
}


def _tightest(organisation: Organisation, today: dt.date) -> tuple[str, int] | None:
    """(channel code, agent id): at the week's busiest intervals, a skill with the least slack
    and an agent on duty holding it, whose losing it leaves the rest of the week least short
    (the published schedule evaluated without it), so the demo's week stays believable."""
    matrix = skills_matrix(organisation=organisation, today=today)
    candidates: dict[tuple[str, int], int] = {}
    for peak in matrix.peaks:
        duty = {s.agent_id for s in on_duty_shifts(organisation, peak.start, peak.end)}
        for gap in peak.skills:
            holders = AgentSkill.objects.filter(
                agent_id__in=duty, skill__kind=Skill.Kind.CHANNEL, skill__code=gap.code
            ).values_list("agent_id", flat=True)
            for agent_id in holders:
                slack = gap.on_duty - gap.required
                key = (gap.code, agent_id)
                candidates[key] = min(slack, candidates.get(key, slack))
    if not candidates:
        return None
    least = min(candidates.values())
    schedule = (
        Schedule.objects.filter(organisation=organisation, published_at__isnull=False)
        .order_by("-week_start")
        .first()
    )
    if schedule is None:
        return None
    state = schedule_evaluate(schedule)

    def shortfall_without(code: str, agent_id: int) -> int:
        agents = [
            replace(a, skills=a.skills - {code}) if a.id == str(agent_id) else a
            for a in state.agents
        ]
        return schedule_evaluate(
            schedule, shifts=state.shifts, agents=agents, records=state.records
        ).evaluation.under_coverage

    tight = sorted(key for key, slack in candidates.items() if slack == least)
    return min(tight, key=lambda key: (shortfall_without(*key), key))


def skills_demo_build(*, organisation: Organisation, today: dt.date) -> None:
    rng = random.Random(organisation.pk)
    names = NAMES.get(organisation.language, NAMES["en"])
    agents = list(organisation.agents.filter(active=True).order_by("pk"))
    if not agents:
        return
    # The channels and languages came with the work profiles, months ago.
    AgentSkillChange.objects.filter(agent__in=agents).update(
        changed_at=timezone.now() - dt.timedelta(days=200)
    )
    product = skill_create(
        organisation=organisation,
        kind=Skill.Kind.PRODUCT,
        code="payments",
        name=names["product"],
        requires_certification=True,
    )
    other = skill_create(
        organisation=organisation, kind=Skill.Kind.OTHER, code="complaints", name=names["other"]
    )
    # Levels of the organisation's own skills, spread believably, each with its history line.
    for n, agent in enumerate(agents):
        if n % 2 == 0:
            agent_skill_set(agent=agent, skill=product, level=rng.choice([2, 3, 3, 4]))
            training_record_add(
                agent=agent,
                course=names["product_course"],
                skill=product,
                completed_on=today - dt.timedelta(days=rng.randint(30, 300)),
                result=TrainingRecord.Result.PASSED,
                score=float(rng.randint(72, 98)),
                expires_on=today + dt.timedelta(days=rng.randint(60, 330)),
            )
        if n % 3 == 0:
            agent_skill_set(agent=agent, skill=other, level=SkillLevel.LEARNING)
            AgentSkillChange.objects.filter(agent=agent, skill=other).update(
                changed_at=timezone.now() - dt.timedelta(days=rng.randint(60, 150))
            )
            agent_skill_set(agent=agent, skill=other, level=rng.choice([2, 3]))
    # One newcomer still learning the product, with a failed first attempt.
    learner = agents[1 % len(agents)]
    agent_skill_set(agent=learner, skill=product, level=SkillLevel.LEARNING)
    training_record_add(
        agent=learner,
        course=names["product_course"],
        skill=product,
        completed_on=today - dt.timedelta(days=12),
        result=TrainingRecord.Result.FAILED,
        score=54.0,
    )
    training_record_add(
        agent=agents[0],
        course=names["refresher"],
        completed_on=today - dt.timedelta(days=40),
        result=TrainingRecord.Result.PASSED,
    )
    tightest = _tightest(organisation, today)
    if tightest is None:
        return
    code, expired_agent_id = tightest
    # The channel at the tightest peak needs a certificate: everyone holding it has a valid
    # one, but one agent's ran out last month.
    channel = Skill.objects.get(organisation=organisation, kind=Skill.Kind.CHANNEL, code=code)
    channel.requires_certification = True
    channel.save(update_fields=["requires_certification"])
    with translation.override(organisation.language):
        course = names["channel_course"] % {"channel": skill_label(channel)}
    for row in AgentSkill.objects.filter(skill=channel).select_related("agent").order_by("pk"):
        if row.agent_id == expired_agent_id:
            completed = today - dt.timedelta(days=400)
            expires = today - dt.timedelta(days=35)
        else:
            completed = today - dt.timedelta(days=rng.randint(20, 300))
            expires = completed + dt.timedelta(days=365)
        training_record_add(
            agent=row.agent,
            course=course,
            skill=channel,
            completed_on=completed,
            result=TrainingRecord.Result.PASSED,
            score=float(rng.randint(75, 97)),
            expires_on=expires,
        )
