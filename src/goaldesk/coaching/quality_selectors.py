"""Reads of quality reviews: rubrics as the engine sees them, who may see which review, the
queue, disputes waiting, and the calibration of reviewers who scored the same interactions."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.coaching.models import (
    Criterion,
    QualityReview,
    QualitySettings,
    QueueItem,
    ReviewState,
    Rubric,
    RubricVersion,
)
from goaldesk.engine import quality as engine_quality
from goaldesk.team.models import Agent


def engine_rubric(version: RubricVersion) -> engine_quality.Rubric:
    """`version`'s criteria as `engine.quality` reads them (keys, scales, weights, flags)."""
    return engine_quality.Rubric(
        criteria=tuple(
            engine_quality.Criterion(
                key=c.key,
                scale=range(c.scale_min, c.scale_max + 1),
                weight=c.weight,
                critical=c.critical,
                not_applicable_allowed=c.not_applicable_allowed,
            )
            for c in criteria_of(version)
        )
    )


def criteria_of(version: RubricVersion) -> list[Criterion]:
    cached = getattr(version, "_prefetched_objects_cache", {}).get("criteria")
    if cached is not None:
        return sorted(cached, key=lambda c: (c.position, c.pk))
    return list(version.criteria.order_by("position", "pk"))


def current_version(rubric: Rubric) -> RubricVersion | None:
    return rubric.versions.order_by("-number").first()


def rubric_list(*, organisation: Organisation) -> list[tuple[Rubric, RubricVersion | None, int]]:
    """Each rubric with its current version and how many reviews used any of its versions."""
    rubrics = list(Rubric.objects.filter(organisation=organisation))
    versions: dict[int, RubricVersion] = {}
    for version in RubricVersion.objects.filter(rubric__in=rubrics).order_by("rubric", "number"):
        versions[version.rubric_id] = version  # the last one is the current one
    used: dict[int, int] = defaultdict(int)
    for rubric_id in QualityReview.objects.filter(organisation=organisation).values_list(
        "rubric_version__rubric_id", flat=True
    ):
        used[rubric_id] += 1
    return [(r, versions.get(r.pk), used[r.pk]) for r in rubrics]


def rubric_get(*, organisation: Organisation, rubric_id: int) -> Rubric | None:
    return Rubric.objects.filter(organisation=organisation, pk=rubric_id).first()


def active_versions(*, organisation: Organisation) -> list[RubricVersion]:
    """The current version of each active rubric, with its criteria."""
    out = []
    for rubric in Rubric.objects.filter(organisation=organisation, active=True):
        version = current_version(rubric)
        if version is not None and version.criteria.exists():
            out.append(version)
    return out


def quality_settings_for(organisation: Organisation) -> QualitySettings:
    """The organisation's queue rules (the defaults, unsaved, until a manager saves them)."""
    found = QualitySettings.objects.filter(organisation=organisation).first()
    return found or QualitySettings(organisation=organisation)


# --- who sees which review ------------------------------------------------------------------


def is_reviewer(membership: Membership) -> bool:
    """Managers and owners review, correct and resolve."""
    return membership.allows(Role.MANAGER)


def own_agents(*, organisation: Organisation, user: Any) -> QuerySet[Agent]:
    return Agent.objects.filter(organisation=organisation, user=user)


def reviews_visible(
    *, organisation: Organisation, membership: Membership
) -> QuerySet[QualityReview]:
    """The reviews this member may see: all for managers and owners, their own (through their
    agent record) for agents, none for viewers."""
    qs = QualityReview.objects.filter(organisation=organisation).select_related(
        "interaction", "agent", "reviewer", "rubric_version__rubric"
    )
    if is_reviewer(membership):
        return qs
    if membership.allows(Role.AGENT):
        return qs.filter(agent__in=own_agents(organisation=organisation, user=membership.user))
    return qs.none()


def review_for(
    *, organisation: Organisation, membership: Membership, review_id: int
) -> QualityReview | None:
    """One review if this member may see it (None otherwise: the page answers 404)."""
    return (
        reviews_visible(organisation=organisation, membership=membership)
        .prefetch_related("answers__criterion", "rubric_version__criteria")
        .filter(pk=review_id)
        .first()
    )


def reviews_filtered(
    qs: QuerySet[QualityReview],
    *,
    agent: Agent | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    state: str = "",
) -> QuerySet[QualityReview]:
    """`qs` narrowed to an agent, the interactions' days and a state."""
    if agent is not None:
        qs = qs.filter(agent=agent)
    if date_from is not None:
        qs = qs.filter(interaction__local_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(interaction__local_date__lte=date_to)
    if state:
        qs = qs.filter(state=state)
    return qs


def disputes_waiting(*, organisation: Organisation) -> QuerySet[QualityReview]:
    return (
        QualityReview.objects.filter(organisation=organisation, state=ReviewState.DISPUTED)
        .select_related("interaction", "agent", "reviewer")
        .order_by("disputed_at", "pk")
    )


def queue_waiting(*, organisation: Organisation, reviewer: Any, limit: int = 25) -> list[QueueItem]:
    """Queue items not reviewed yet and not reviewed by `reviewer`, oldest week first."""
    return list(
        QueueItem.objects.filter(organisation=organisation, done_at__isnull=True)
        .exclude(interaction__quality_reviews__reviewer=reviewer)
        .select_related("interaction", "interaction__agent")
        .order_by("week", "interaction__created_at", "pk")[:limit]
    )


def queue_waiting_count(*, organisation: Organisation) -> int:
    return QueueItem.objects.filter(organisation=organisation, done_at__isnull=True).count()


# --- calibration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibrationPair:
    interaction: Any
    first: QualityReview
    second: QualityReview

    @property
    def difference(self) -> float | None:
        if self.first.score is None or self.second.score is None:
            return None
        return abs(self.first.score - self.second.score)


@dataclass(frozen=True)
class CalibrationSummary:
    pairs: list[CalibrationPair]
    #: engine.quality.Calibration over every pair, combined across rubric versions.
    criteria_agreement_pct: float | None
    mean_score_difference: float | None


def calibration_for(
    *, organisation: Organisation, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> CalibrationSummary:
    """The first two reviews (by time) of each interaction reviewed twice with the same rubric
    version, and the reviewers' agreement over them (engine.quality.calibration, per version,
    combined weighted by answers and by scored pairs)."""
    qs = QualityReview.objects.filter(organisation=organisation).select_related(
        "interaction", "interaction__agent", "reviewer", "rubric_version"
    )
    if date_from is not None:
        qs = qs.filter(interaction__local_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(interaction__local_date__lte=date_to)
    doubled = (
        qs.values("interaction_id", "rubric_version_id")
        .order_by()
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
    )
    keys = {(row["interaction_id"], row["rubric_version_id"]) for row in doubled}
    if not keys:
        return CalibrationSummary([], None, None)
    by_key: dict[tuple[int, int], list[QualityReview]] = defaultdict(list)
    for review in (
        qs.filter(Q(interaction_id__in={k[0] for k in keys}))
        .prefetch_related("answers__criterion")
        .order_by("created_at", "pk")
    ):
        key = (review.interaction_id, review.rubric_version_id)
        if key in keys and len(by_key[key]) < 2:
            by_key[key].append(review)
    pairs = [
        CalibrationPair(reviews[0].interaction, reviews[0], reviews[1])
        for reviews in by_key.values()
    ]
    pairs.sort(key=lambda p: (p.interaction.created_at, p.interaction.pk), reverse=True)
    identical = answers_total = 0.0
    difference_sum = 0.0
    scored = 0
    by_version: dict[int, list[CalibrationPair]] = defaultdict(list)
    for pair in pairs:
        by_version[pair.first.rubric_version_id].append(pair)
    for version_pairs in by_version.values():
        version = version_pairs[0].first.rubric_version
        rubric = engine_rubric(version)
        result = engine_quality.calibration(
            rubric,
            [answers_of(p.first) for p in version_pairs],
            [answers_of(p.second) for p in version_pairs],
        )
        count = result.pairs * len(rubric.criteria)
        if result.criteria_agreement_pct is not None:
            identical += result.criteria_agreement_pct * count / 100
            answers_total += count
        if result.mean_score_difference is not None:
            difference_sum += result.mean_score_difference * result.scored_pairs
            scored += result.scored_pairs
    return CalibrationSummary(
        pairs=pairs,
        criteria_agreement_pct=identical / answers_total * 100 if answers_total else None,
        mean_score_difference=difference_sum / scored if scored else None,
    )


def answers_of(review: QualityReview) -> dict[str, float | None]:
    """A stored review's answers as engine.quality reads them (criterion key → points)."""
    return {
        a.criterion.key: None if a.points is None else float(a.points) for a in review.answers.all()
    }
