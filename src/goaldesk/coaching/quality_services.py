"""Writes of quality reviews: rubrics (versioned once used), reviews and their answers, the
agent's acknowledgement or dispute, the manager's resolution, and filling the review queue.

Every write that changes a review's score recomputes its interaction's quality totals from the
reviews that count (`interactions.services.interaction_quality_totals_set`), so the catalogue
metric `qa_score` is the mean of the stored review scores.
"""

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.coaching.models import (
    Criterion,
    DisputeOutcome,
    QualityReview,
    QualitySettings,
    QueueItem,
    QueueReason,
    ReviewAnswer,
    ReviewState,
    Rubric,
    RubricVersion,
)
from goaldesk.coaching.quality_selectors import criteria_of, current_version, engine_rubric
from goaldesk.engine import quality as engine_quality
from goaldesk.engine.errors import InputError
from goaldesk.goals.alerts import managers_of
from goaldesk.interactions.models import Interaction, Sentiment
from goaldesk.interactions.services import interaction_quality_totals_set
from goaldesk.notifications.services import notify

#: How many finished weeks back the random sample looks; flagged interactions of the same span
#: and of the week under way are added too.
QUEUE_WEEKS_BACK = 2


@dataclass(frozen=True)
class CriterionData:
    label: str
    scale_min: int = 0
    scale_max: int = 2
    weight: float = 1.0
    critical: bool = False
    not_applicable_allowed: bool = False
    help_text: str = ""
    #: Kept from the previous version so answers and the API keep their key; "" for a new one.
    key: str = ""

    def same_as(self, criterion: Criterion) -> bool:
        return (
            self.label,
            self.scale_min,
            self.scale_max,
            float(self.weight),
            self.critical,
            self.not_applicable_allowed,
            self.help_text,
            self.key,
        ) == (
            criterion.label,
            criterion.scale_min,
            criterion.scale_max,
            float(criterion.weight),
            criterion.critical,
            criterion.not_applicable_allowed,
            criterion.help_text,
            criterion.key,
        )


#: Answers as a form or the API give them: criterion key → (points or None, comment).
AnswerInput = Mapping[str, tuple[int | None, str]]


# --- rubrics --------------------------------------------------------------------------------


def _criteria_checked(criteria: Sequence[CriterionData]) -> list[CriterionData]:
    """The criteria with a unique key each; ValidationError saying which row is wrong."""
    if not criteria:
        raise ValidationError(_("A rubric needs at least one criterion."))
    problems = []
    keyed: list[CriterionData] = []
    used: set[str] = set()
    for number, data in enumerate(criteria, start=1):
        if not data.label.strip():
            problems.append(_("Criterion %(n)s has no name.") % {"n": number})
        if data.scale_max <= data.scale_min:
            problems.append(
                _("Criterion %(n)s: the highest points must be above the lowest.") % {"n": number}
            )
        if data.scale_max - data.scale_min > 100:
            problems.append(
                _("Criterion %(n)s: a scale may have at most 101 points.") % {"n": number}
            )
        if not data.weight > 0:
            problems.append(_("Criterion %(n)s: the weight must be above 0.") % {"n": number})
        key = data.key or (slugify(data.label, allow_unicode=True)[:36] or f"c{number}")
        base, suffix = key, 2
        while key in used:
            key = f"{base[:36]}-{suffix}"
            suffix += 1
        used.add(key)
        keyed.append(
            CriterionData(
                label=data.label.strip(),
                scale_min=data.scale_min,
                scale_max=data.scale_max,
                weight=float(data.weight),
                critical=data.critical,
                not_applicable_allowed=data.not_applicable_allowed,
                help_text=data.help_text.strip(),
                key=key,
            )
        )
    if problems:
        raise ValidationError(problems)
    return keyed


def _criteria_create(version: RubricVersion, criteria: Sequence[CriterionData]) -> None:
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            position=position,
            key=data.key,
            label=data.label,
            help_text=data.help_text,
            scale_min=data.scale_min,
            scale_max=data.scale_max,
            weight=data.weight,
            critical=data.critical,
            not_applicable_allowed=data.not_applicable_allowed,
        )
        for position, data in enumerate(criteria, start=1)
    )


@transaction.atomic
def rubric_create(
    *, organisation: Organisation, name: str, criteria: Sequence[CriterionData], user: Any
) -> Rubric:
    """A new rubric with its first version."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the rubric a name.")})
    if Rubric.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError({"name": _("There is already a rubric with this name.")})
    checked = _criteria_checked(criteria)
    rubric = Rubric.objects.create(organisation=organisation, name=name)
    version = RubricVersion.objects.create(rubric=rubric, number=1, created_by=user)
    _criteria_create(version, checked)
    return rubric


@transaction.atomic
def rubric_update(
    *,
    rubric: Rubric,
    name: str,
    active: bool,
    criteria: Sequence[CriterionData],
    user: Any,
) -> RubricVersion:
    """Change a rubric. When its criteria change and its current version has been used by a
    review, a new version is made (old reviews keep the criteria they were scored against);
    otherwise the current version is edited in place. Returns the current version."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the rubric a name.")})
    if (
        Rubric.objects.filter(organisation=rubric.organisation, name=name)
        .exclude(pk=rubric.pk)
        .exists()
    ):
        raise ValidationError({"name": _("There is already a rubric with this name.")})
    checked = _criteria_checked(criteria)
    Rubric.objects.filter(pk=rubric.pk).update(name=name, active=active)
    rubric.name, rubric.active = name, active
    version = current_version(rubric)
    existing = criteria_of(version) if version is not None else []
    unchanged = len(existing) == len(checked) and all(
        data.same_as(criterion) for data, criterion in zip(checked, existing, strict=True)
    )
    if version is not None and unchanged:
        return version
    if version is None or version.reviews.exists():
        version = RubricVersion.objects.create(
            rubric=rubric, number=(version.number + 1) if version else 1, created_by=user
        )
    else:
        version.criteria.all().delete()
    _criteria_create(version, checked)
    return version


# --- reviews --------------------------------------------------------------------------------


def _answer_problem(error: InputError, labels: Mapping[str, str]) -> str:
    label = labels.get(error.field, error.field)
    if error.code == "missing_answer":
        return _("“%(criterion)s”: choose the points or not applicable.") % {"criterion": label}
    if error.code == "not_applicable_not_allowed":
        return _("“%(criterion)s” cannot be marked not applicable.") % {"criterion": label}
    if error.code == "not_in_scale":
        points = list(error.params.get("points", []))
        return _("“%(criterion)s”: the points must be from %(low)s to %(high)s.") % {
            "criterion": label,
            "low": int(points[0]) if points else "",
            "high": int(points[-1]) if points else "",
        }
    if error.code == "unknown_criterion":
        return _("“%(criterion)s” is not a criterion of this rubric.") % {"criterion": label}
    return _("“%(criterion)s”: this answer cannot be used.") % {"criterion": label}


def _scored(version: RubricVersion, answers: AnswerInput) -> engine_quality.ReviewScore:
    """The review score of `answers` (engine.quality); ValidationError naming the criterion."""
    labels = {c.key: c.label for c in criteria_of(version)}
    points = {
        key: (None if value[0] is None else float(value[0])) for key, value in answers.items()
    }
    try:
        return engine_quality.review_score(engine_rubric(version), points)
    except InputError as error:
        raise ValidationError({error.field: _answer_problem(error, labels)}) from error


def quality_totals_refresh(*, interaction: Interaction) -> None:
    """Recompute the interaction's quality totals from its reviews that have a score."""
    totals = QualityReview.objects.filter(interaction=interaction, score__isnull=False).aggregate(
        n=Count("pk"), total=Sum("score")
    )
    interaction_quality_totals_set(
        interaction=interaction, reviews=totals["n"] or 0, score_sum=totals["total"] or 0.0
    )


def _answers_write(review: QualityReview, answers: AnswerInput) -> None:
    review.answers.all().delete()
    criteria = criteria_of(review.rubric_version)
    ReviewAnswer.objects.bulk_create(
        ReviewAnswer(
            review=review,
            criterion=criterion,
            points=answers[criterion.key][0],
            comment=(answers[criterion.key][1] or "").strip()[:500],
        )
        for criterion in criteria
    )


def _review_url(review: QualityReview) -> str:
    return reverse(
        "coaching:review", kwargs={"org_slug": review.organisation.slug, "review_id": review.pk}
    )


def _agent_users(review: QualityReview) -> list[Any]:
    if review.agent is None or review.agent.user is None:
        return []
    from goaldesk.accounts.models import Membership

    user = review.agent.user
    if not Membership.objects.filter(organisation=review.organisation, user=user).exists():
        return []
    return [user]


def _local_day(review: QualityReview) -> str:
    return review.interaction.local_date.isoformat()


@transaction.atomic
def review_create(
    *,
    interaction: Interaction,
    reviewer: Any,
    version: RubricVersion,
    answers: AnswerInput,
    comment: str = "",
) -> QualityReview:
    """`reviewer`'s review of `interaction` against `version`: its score from the answers, the
    agent of the interaction credited, the queue item done, the agent told."""
    organisation = interaction.organisation
    if version.rubric.organisation_id != organisation.pk:
        raise ValidationError({"rubric": _("Choose a rubric of this organisation.")})
    if not version.rubric.active:
        raise ValidationError({"rubric": _("This rubric is no longer in use.")})
    if QualityReview.objects.filter(interaction=interaction, reviewer=reviewer).exists():
        raise ValidationError(_("You have already reviewed this interaction."))
    result = _scored(version, answers)
    review = QualityReview.objects.create(
        organisation=organisation,
        interaction=interaction,
        rubric_version=version,
        reviewer=reviewer,
        agent=interaction.agent,
        score=result.score,
        comment=comment.strip(),
    )
    _answers_write(review, answers)
    quality_totals_refresh(interaction=interaction)
    QueueItem.objects.filter(
        organisation=organisation, interaction=interaction, done_at__isnull=True
    ).update(done_at=timezone.now())
    notify(
        kind="quality_review_received",
        recipients=_agent_users(review),
        organisation=organisation,
        params={"day": _local_day(review)},
        url=_review_url(review),
    )
    return review


@transaction.atomic
def review_correct(
    *, review: QualityReview, answers: AnswerInput, comment: str | None = None
) -> QualityReview:
    """New answers for a review (same rubric version): its score and the interaction's
    totals are recomputed."""
    result = _scored(review.rubric_version, answers)
    review.score = result.score
    if comment is not None:
        review.comment = comment.strip()
    review.save(update_fields=["score", "comment", "updated_at"])
    _answers_write(review, answers)
    quality_totals_refresh(interaction=review.interaction)
    return review


def _is_the_agent(review: QualityReview, user: Any) -> bool:
    return review.agent is not None and review.agent.user_id == getattr(user, "pk", None)


@transaction.atomic
def review_acknowledge(*, review: QualityReview, user: Any) -> QualityReview:
    """The agent has read the review and accepts it."""
    if not _is_the_agent(review, user):
        raise ValidationError(_("Only the agent whose interaction it is can acknowledge it."))
    if review.state != ReviewState.SUBMITTED:
        raise ValidationError(_("This review has already been answered."))
    review.state = ReviewState.ACKNOWLEDGED
    review.acknowledged_at = timezone.now()
    review.save(update_fields=["state", "acknowledged_at", "updated_at"])
    return review


@transaction.atomic
def review_dispute(*, review: QualityReview, user: Any, reason: str) -> QualityReview:
    """The agent disputes the review with a reason; the managers are told."""
    if not _is_the_agent(review, user):
        raise ValidationError(_("Only the agent whose interaction it is can dispute it."))
    if review.state != ReviewState.SUBMITTED:
        raise ValidationError(_("This review has already been answered."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you disagree with the review.")})
    review.state = ReviewState.DISPUTED
    review.dispute_reason = reason.strip()
    review.disputed_at = timezone.now()
    review.save(update_fields=["state", "dispute_reason", "disputed_at", "updated_at"])
    notify(
        kind="quality_review_disputed",
        recipients=managers_of(review.organisation),
        organisation=review.organisation,
        params={"agent": str(review.agent or ""), "day": _local_day(review)},
        url=_review_url(review),
    )
    return review


@transaction.atomic
def review_resolve(
    *,
    review: QualityReview,
    user: Any,
    outcome: str,
    note: str = "",
    answers: AnswerInput | None = None,
) -> QualityReview:
    """A manager settles a dispute: upheld (the answers are corrected and the score
    recomputed) or rejected (the review stands). The agent is told."""
    if review.state != ReviewState.DISPUTED:
        raise ValidationError(_("This review is not disputed."))
    if outcome not in DisputeOutcome.values:
        raise ValidationError({"outcome": _("Choose whether the dispute is upheld or rejected.")})
    if outcome == DisputeOutcome.UPHELD:
        if answers is None:
            raise ValidationError(_("An upheld dispute needs the corrected answers."))
        review_correct(review=review, answers=answers)
    review.state = ReviewState.RESOLVED
    review.outcome = outcome
    review.resolution_note = note.strip()
    review.resolved_by = user
    review.resolved_at = timezone.now()
    review.save(
        update_fields=[
            "state",
            "outcome",
            "resolution_note",
            "resolved_by",
            "resolved_at",
            "updated_at",
        ]
    )
    notify(
        kind="quality_dispute_resolved",
        recipients=_agent_users(review),
        organisation=review.organisation,
        params={"day": _local_day(review), "outcome": outcome},
        url=_review_url(review),
    )
    return review


@transaction.atomic
def review_delete(*, review: QualityReview) -> None:
    """Remove a review; the interaction's totals follow and its queue item waits again when no
    review of it is left."""
    interaction = review.interaction
    review.delete()
    quality_totals_refresh(interaction=interaction)
    if not QualityReview.objects.filter(interaction=interaction).exists():
        QueueItem.objects.filter(interaction=interaction).update(done_at=None)


# --- the queue ------------------------------------------------------------------------------


@transaction.atomic
def quality_settings_save(
    *, organisation: Organisation, sample_per_agent_week: int, low_csat: bool, negative: bool
) -> QualitySettings:
    if not 0 <= sample_per_agent_week <= 50:
        raise ValidationError(
            {"sample_per_agent_week": _("Choose from 0 to 50 interactions per agent and week.")}
        )
    found, _created = QualitySettings.objects.update_or_create(
        organisation=organisation,
        defaults={
            "sample_per_agent_week": sample_per_agent_week,
            "low_csat": low_csat,
            "negative_sentiment": negative,
        },
    )
    return found


def week_start_of(organisation: Organisation, day: dt.date) -> dt.date:
    """The first day of `day`'s week (the organisation's first day of the week)."""
    return day - dt.timedelta(days=(day.isoweekday() - organisation.week_start) % 7)


def sample_of(ids: Sequence[int], *, seed: str, size: int) -> list[int]:
    """A deterministic random sample of `size` ids: the same ids and seed give the same sample."""
    ordered = sorted(ids)
    random.Random(seed).shuffle(ordered)  # noqa: S311 - a fair sample, not a secret
    return ordered[:size]


@transaction.atomic
def queue_fill(*, organisation: Organisation, today: dt.date | None = None) -> int:
    """Add to the review queue what the rules ask for (idempotent; the same data give the same
    items): a random sample of N interactions per agent for each finished week of the last
    `QUEUE_WEEKS_BACK`, seeded by organisation, agent and week, and every interaction of those
    weeks and of this one with a CSAT of 1–2 or a negative end sentiment. Returns how many items
    were added."""
    from goaldesk.coaching.quality_selectors import quality_settings_for

    rules = quality_settings_for(organisation)
    today = today or today_in(organisation)
    this_week = week_start_of(organisation, today)
    first_week = this_week - dt.timedelta(weeks=QUEUE_WEEKS_BACK)
    queued = set(
        QueueItem.objects.filter(organisation=organisation).values_list("interaction_id", flat=True)
    )
    reviewed = set(
        QualityReview.objects.filter(
            organisation=organisation, interaction__local_date__gte=first_week
        ).values_list("interaction_id", flat=True)
    )
    rows = (
        Interaction.objects.filter(
            organisation=organisation, local_date__gte=first_week, local_date__lte=today
        )
        .order_by()
        .values_list("pk", "agent_id", "local_date", "csat", "sentiment_end")
    )
    new: dict[int, QueueItem] = {}
    by_agent_week: dict[tuple[int, dt.date], list[int]] = {}

    def add(pk: int, reason: str, week: dt.date) -> None:
        if pk not in queued and pk not in reviewed and pk not in new:
            new[pk] = QueueItem(
                organisation=organisation, interaction_id=pk, reason=reason, week=week
            )

    for pk, agent_id, day, csat, sentiment in rows:
        week = week_start_of(organisation, day)
        if rules.low_csat and csat is not None and csat <= 2:
            add(pk, QueueReason.LOW_CSAT, week)
        elif rules.negative_sentiment and sentiment == Sentiment.NEGATIVE:
            add(pk, QueueReason.NEGATIVE_SENTIMENT, week)
        elif agent_id is not None and week < this_week:
            by_agent_week.setdefault((agent_id, week), []).append(pk)
    if rules.sample_per_agent_week:
        for (agent_id, week), ids in sorted(by_agent_week.items()):
            seed = f"{organisation.pk}:{agent_id}:{week.isoformat()}"
            for pk in sample_of(ids, seed=seed, size=rules.sample_per_agent_week):
                add(pk, QueueReason.SAMPLE, week)
    QueueItem.objects.bulk_create(new.values(), ignore_conflicts=True)
    return len(new)


def queue_fill_all() -> int:
    """Fill every organisation's queue (the worker's clock runs this)."""
    return sum(queue_fill(organisation=org) for org in Organisation.objects.all())
