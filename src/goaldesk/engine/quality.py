"""Quality reviews: the score of one review against its rubric, the agreement of two reviewers
and the quality score (`qa_score`) of a set of reviews, as ../shared/METRICS.md defines them.

A rubric is a list of criteria. Each criterion has a scale (the points a reviewer may give), a
weight, a "critical" flag and whether "not applicable" is allowed. A review answers every
criterion with points or with ``None`` (not applicable).

METRICS.md, ``qa_score``: each rated criterion is scaled to 0–100 as
(points − scale minimum) / (scale maximum − scale minimum) × 100; the review's score is the
weighted mean of the scaled criteria, not-applicable criteria left out of numerator and
denominator; a critical criterion that scales below 50 makes the review score 0. A review with
every criterion not applicable has no score. The quality score is the mean of the review scores.

Unusable input raises `InputError` (engine/errors.py) whose `field` is the criterion's key.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from goaldesk.engine.errors import InputError

#: A critical criterion scaled below this (on 0–100) fails and zeroes the review (METRICS.md).
CRITICAL_FAIL_BELOW = 50.0

#: One review's answers: criterion key → points, or None for "not applicable".
Answers = Mapping[str, float | None]


@dataclass(frozen=True)
class Criterion:
    """One criterion of a rubric.

    `scale` lists the points a reviewer may give: ``range(1, 6)`` for 1–5, ``(0, 5, 10)`` for a
    list of allowed points. Its lowest point scales to 0 and its highest to 100.
    """

    key: str
    scale: Sequence[float]
    weight: float = 1.0
    critical: bool = False
    not_applicable_allowed: bool = False
    points: tuple[float, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        points = tuple(sorted(set(self.scale)))
        if len(points) < 2:
            raise InputError(self.key, "scale_too_small", value=list(self.scale))
        # `not weight > 0` rather than `weight <= 0` so that NaN is refused as well.
        if isinstance(self.weight, bool) or not self.weight > 0:
            raise InputError(self.key, "positive", value=self.weight)
        # Stored sorted and de-duplicated, so equal scales compare (and hash) equal.
        object.__setattr__(self, "scale", points)
        object.__setattr__(self, "points", points)

    @property
    def minimum(self) -> float:
        """The lowest point of the scale (scales to 0)."""
        return self.points[0]

    @property
    def maximum(self) -> float:
        """The highest point of the scale (scales to 100)."""
        return self.points[-1]

    def scaled(self, points: float) -> float:
        """`points` on 0–100: (points − minimum) / (maximum − minimum) × 100."""
        return (points - self.minimum) / (self.maximum - self.minimum) * 100


@dataclass(frozen=True)
class Rubric:
    """The criteria a review answers, in the order a reviewer sees them; keys are unique."""

    criteria: tuple[Criterion, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "criteria", tuple(self.criteria))
        if not self.criteria:
            raise InputError("criteria", "no_criteria")
        seen: set[str] = set()
        for criterion in self.criteria:
            if criterion.key in seen:
                raise InputError("criteria", "duplicate_criterion", value=criterion.key)
            seen.add(criterion.key)

    def criterion(self, key: str) -> Criterion:
        """The criterion with `key`; `InputError` ``unknown_criterion`` if there is none."""
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise InputError(key, "unknown_criterion", value=key)


@dataclass(frozen=True)
class ReviewScore:
    """The score of one review.

    `score` is 0–100, or None when every criterion was not applicable. `scaled` maps each
    criterion's key to its points on 0–100 (None when not applicable). `failed_critical` lists the
    keys of critical criteria below 50, in rubric order; when it is not empty `score` is 0.
    """

    score: float | None
    scaled: Mapping[str, float | None]
    failed_critical: tuple[str, ...]


def check_answers(rubric: Rubric, answers: Answers) -> None:
    """Raise `InputError` for the first unusable answer; return None if all can be used.

    Unknown criteria first (in the answers' order), then, in rubric order, a missing answer,
    "not applicable" where the criterion does not allow it, and points that are not on the scale.
    """
    keys = {criterion.key for criterion in rubric.criteria}
    for key in answers:
        if key not in keys:
            raise InputError(key, "unknown_criterion", value=key)
    for criterion in rubric.criteria:
        if criterion.key not in answers:
            raise InputError(criterion.key, "missing_answer")
        points = answers[criterion.key]
        if points is None:
            if not criterion.not_applicable_allowed:
                raise InputError(criterion.key, "not_applicable_not_allowed")
        # A bool compares equal to 0 and 1 but is not a score someone gave.
        elif isinstance(points, bool) or points not in criterion.points:
            raise InputError(
                criterion.key, "not_in_scale", value=points, points=list(criterion.points)
            )


def review_score(rubric: Rubric, answers: Answers) -> ReviewScore:
    """The review's score on 0–100 (see the module docstring); `InputError` for bad answers."""
    check_answers(rubric, answers)
    scaled: dict[str, float | None] = {}
    failed: list[str] = []
    weighted_sum = 0.0
    weight_total = 0.0
    for criterion in rubric.criteria:
        points = answers[criterion.key]
        if points is None:
            scaled[criterion.key] = None
            continue
        value = criterion.scaled(points)
        scaled[criterion.key] = value
        weighted_sum += criterion.weight * value
        weight_total += criterion.weight
        if criterion.critical and value < CRITICAL_FAIL_BELOW:
            failed.append(criterion.key)
    if weight_total == 0:
        score = None
    elif failed:
        score = 0.0
    else:
        # min() guards against a rounding step just above 100.
        score = min(100.0, weighted_sum / weight_total)
    return ReviewScore(score=score, scaled=scaled, failed_critical=tuple(failed))


@dataclass(frozen=True)
class QualityScore:
    """`qa_score` of a set of reviews: `value` on 0–100 (None without a scored review) and
    `sample`, the number of reviews that have a score."""

    value: float | None
    sample: int


def quality_score(scores: Iterable[ReviewScore | float | None]) -> QualityScore:
    """The mean of the review scores (METRICS.md ``qa_score``); reviews without a score are left
    out of both the mean and the sample. Two reviews of the same interaction both count."""
    values = [score.score if isinstance(score, ReviewScore) else score for score in scores]
    scored = [value for value in values if value is not None]
    if not scored:
        return QualityScore(value=None, sample=0)
    return QualityScore(value=sum(scored) / len(scored), sample=len(scored))


@dataclass(frozen=True)
class Calibration:
    """How closely two reviewers agree on the same interactions.

    `criteria_agreement_pct`: of all criterion answers of the paired reviews, the share (0–100)
    both reviewers answered identically (same points, or both not applicable); None without pairs.
    `mean_score_difference`: the mean absolute difference of the two review scores (0–100 points)
    over the pairs where both reviews have a score; None when there is no such pair.
    `pairs` is the number of paired reviews, `scored_pairs` those counted in the difference.
    """

    criteria_agreement_pct: float | None
    mean_score_difference: float | None
    pairs: int
    scored_pairs: int


def calibration(
    rubric: Rubric, reviews_a: Sequence[Answers], reviews_b: Sequence[Answers]
) -> Calibration:
    """The agreement of reviewer A and reviewer B, who scored the same interactions with `rubric`;
    ``reviews_a[i]`` and ``reviews_b[i]`` are their answers for the same interaction.

    METRICS.md does not define calibration; this is the definition GoalDesk uses (see
    `Calibration`). `InputError` ``pair_mismatch`` when the lists differ in length, and the
    answer errors of `review_score` for any unusable review.
    """
    if len(reviews_a) != len(reviews_b):
        raise InputError("reviews_b", "pair_mismatch", value=len(reviews_b), other=len(reviews_a))
    identical = 0
    differences: list[float] = []
    for answers_a, answers_b in zip(reviews_a, reviews_b, strict=True):
        score_a = review_score(rubric, answers_a).score
        score_b = review_score(rubric, answers_b).score
        identical += sum(
            1
            for criterion in rubric.criteria
            if answers_a[criterion.key] == answers_b[criterion.key]
        )
        if score_a is not None and score_b is not None:
            differences.append(abs(score_a - score_b))
    pairs = len(reviews_a)
    answers_total = pairs * len(rubric.criteria)
    return Calibration(
        criteria_agreement_pct=identical / answers_total * 100 if answers_total else None,
        mean_score_difference=sum(differences) / len(differences) if differences else None,
        pairs=pairs,
        scored_pairs=len(differences),
    )
