"""Review scores, calibration and the quality score against examples worked by hand.

METRICS.md (qa_score): criterion scaled = (points − min) / (max − min) × 100; the review's score
is the weighted mean of the scaled criteria, not-applicable ones left out; a critical criterion
scaled below 50 makes the review 0.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goaldesk.engine.errors import InputError
from goaldesk.engine.quality import (
    Calibration,
    Criterion,
    QualityScore,
    Rubric,
    calibration,
    quality_score,
    review_score,
)

# greeting 1–5 weight 2; accuracy 0/5/10 weight 1, critical; empathy 1–5 weight 1, N/A allowed.
RUBRIC = Rubric(
    (
        Criterion("greeting", range(1, 6), weight=2),
        Criterion("accuracy", (0, 5, 10), critical=True),
        Criterion("empathy", range(1, 6), not_applicable_allowed=True),
    )
)


def test_weights_two_one_one():
    # greeting 4 → (4−1)/(5−1)·100 = 75; accuracy 10 → 100; empathy 2 → 25.
    # (2·75 + 1·100 + 1·25) / (2 + 1 + 1) = 275 / 4 = 68.75
    result = review_score(RUBRIC, {"greeting": 4, "accuracy": 10, "empathy": 2})
    assert result.score == 68.75
    assert result.scaled == {"greeting": 75.0, "accuracy": 100.0, "empathy": 25.0}
    assert result.failed_critical == ()


def test_not_applicable_is_left_out_of_numerator_and_denominator():
    # greeting 4 → 75; accuracy 5 → 50 (exactly 50 is not a fail); empathy N/A is left out.
    # (2·75 + 1·50) / (2 + 1) = 200 / 3 = 66.67 — counting N/A as 0 would give 50.
    result = review_score(RUBRIC, {"greeting": 4, "accuracy": 5, "empathy": None})
    assert result.score == pytest.approx(200 / 3)
    assert result.scaled["empathy"] is None
    assert result.failed_critical == ()


def test_failed_critical_criterion_zeroes_the_review():
    # greeting 5 → 100, empathy 5 → 100 but accuracy 0 → 0 < 50 on a critical criterion: 0,
    # not the weighted mean (2·100 + 0 + 100) / 4 = 75.
    result = review_score(RUBRIC, {"greeting": 5, "accuracy": 0, "empathy": 5})
    assert result.score == 0.0
    assert result.failed_critical == ("accuracy",)
    assert result.scaled["accuracy"] == 0.0


def test_non_critical_criterion_at_the_bottom_does_not_zero():
    # empathy 1 → 0 but empathy is not critical: (2·100 + 100 + 0) / 4 = 75.
    result = review_score(RUBRIC, {"greeting": 5, "accuracy": 10, "empathy": 1})
    assert result.score == 75.0
    assert result.failed_critical == ()


def test_critical_below_fifty_on_a_longer_scale():
    # compliance 1–5: 2 → 25 < 50 fails; 3 → 50 does not. tone 1–3: 3 → 100.
    rubric = Rubric(
        (Criterion("compliance", range(1, 6), critical=True), Criterion("tone", range(1, 4)))
    )
    assert review_score(rubric, {"compliance": 2, "tone": 3}).score == 0.0
    # (50 + 100) / 2 = 75
    assert review_score(rubric, {"compliance": 3, "tone": 3}).score == 75.0


def test_all_not_applicable_review_has_no_score():
    rubric = Rubric(
        (
            Criterion("hold", (0, 1), critical=True, not_applicable_allowed=True),
            Criterion("transfer", (0, 1), not_applicable_allowed=True),
        )
    )
    result = review_score(rubric, {"hold": None, "transfer": None})
    assert result.score is None
    assert result.failed_critical == ()
    # A critical criterion marked N/A does not fail: transfer 0 → 0, the mean of one criterion.
    assert review_score(rubric, {"hold": None, "transfer": 0}).score == 0.0
    assert review_score(rubric, {"hold": None, "transfer": 1}).score == 100.0


@pytest.mark.parametrize(
    ("answers", "field", "code"),
    [
        ({"greeting": 4, "accuracy": 10, "empathy": 2, "speed": 3}, "speed", "unknown_criterion"),
        ({"greeting": 4, "empathy": 2}, "accuracy", "missing_answer"),
        ({"greeting": 6, "accuracy": 10, "empathy": 2}, "greeting", "not_in_scale"),
        ({"greeting": 0, "accuracy": 10, "empathy": 2}, "greeting", "not_in_scale"),
        ({"greeting": 2.5, "accuracy": 10, "empathy": 2}, "greeting", "not_in_scale"),
        # 3 lies between 0 and 10 but is not one of the allowed points 0, 5, 10.
        ({"greeting": 4, "accuracy": 3, "empathy": 2}, "accuracy", "not_in_scale"),
        ({"greeting": 4, "accuracy": True, "empathy": 2}, "accuracy", "not_in_scale"),
        ({"greeting": 4, "accuracy": None, "empathy": 2}, "accuracy", "not_applicable_not_allowed"),
    ],
)
def test_unusable_answers_raise_typed_errors(answers, field, code):
    with pytest.raises(InputError) as raised:
        review_score(RUBRIC, answers)
    assert (raised.value.field, raised.value.code) == (field, code)
    assert field in str(raised.value)


def test_not_in_scale_names_the_allowed_points():
    with pytest.raises(InputError) as raised:
        review_score(RUBRIC, {"greeting": 4, "accuracy": 3, "empathy": 2})
    assert raised.value.params == {"value": 3, "points": [0, 5, 10]}


@pytest.mark.parametrize(
    ("build", "field", "code"),
    [
        (lambda: Rubric(()), "criteria", "no_criteria"),
        (
            lambda: Rubric((Criterion("a", (0, 1)), Criterion("a", (1, 5)))),
            "criteria",
            "duplicate_criterion",
        ),
        (lambda: Criterion("a", (3, 3)), "a", "scale_too_small"),
        (lambda: Criterion("a", range(1, 6), weight=0), "a", "positive"),
        (lambda: Criterion("a", range(1, 6), weight=-1), "a", "positive"),
        (lambda: Criterion("a", range(1, 6), weight=math.nan), "a", "positive"),
    ],
)
def test_unusable_rubrics_raise_typed_errors(build, field, code):
    with pytest.raises(InputError) as raised:
        build()
    assert (raised.value.field, raised.value.code) == (field, code)


def test_quality_score_is_the_mean_of_scored_reviews():
    # (68.75 + 0 + 75) / 3 = 143.75 / 3 = 47.916…; the unscored (all N/A) review is not sampled.
    first = review_score(RUBRIC, {"greeting": 4, "accuracy": 10, "empathy": 2})
    assert quality_score([first, 0.0, None, 75.0]) == QualityScore(
        value=pytest.approx(143.75 / 3), sample=3
    )
    assert quality_score([]) == QualityScore(value=None, sample=0)
    assert quality_score([None]) == QualityScore(value=None, sample=0)


def test_calibration_of_two_reviewers():
    # Interaction 1: A scores 68.75 (test above); B differs on empathy only (3 → 50):
    #   (2·75 + 100 + 50) / 4 = 75; 2 of 3 criteria identical; difference 6.25.
    # Interaction 2: both give greeting 5, accuracy 5, empathy N/A → (200 + 50) / 3, the same:
    #   3 of 3 identical (two N/A answers agree); difference 0.
    # Agreement 5 / 6 = 83.33 %; mean difference (6.25 + 0) / 2 = 3.125.
    reviews_a = [
        {"greeting": 4, "accuracy": 10, "empathy": 2},
        {"greeting": 5, "accuracy": 5, "empathy": None},
    ]
    reviews_b = [
        {"greeting": 4, "accuracy": 10, "empathy": 3},
        {"greeting": 5, "accuracy": 5, "empathy": None},
    ]
    result = calibration(RUBRIC, reviews_a, reviews_b)
    assert result.criteria_agreement_pct == pytest.approx(500 / 6)
    assert result.mean_score_difference == 3.125
    assert (result.pairs, result.scored_pairs) == (2, 2)


def test_calibration_without_pairs_and_with_unscored_pairs():
    assert calibration(RUBRIC, [], []) == Calibration(None, None, 0, 0)
    rubric = Rubric((Criterion("hold", (0, 1), not_applicable_allowed=True),))
    # Both N/A: they agree on the criterion, but there is no score to compare.
    result = calibration(rubric, [{"hold": None}], [{"hold": None}])
    assert result == Calibration(100.0, None, 1, 0)
    # One N/A, one 0: no agreement, still no score difference.
    assert calibration(rubric, [{"hold": None}], [{"hold": 0}]) == Calibration(0.0, None, 1, 0)


def test_calibration_errors():
    review = {"greeting": 4, "accuracy": 10, "empathy": 2}
    with pytest.raises(InputError) as raised:
        calibration(RUBRIC, [review, review], [review])
    assert (raised.value.field, raised.value.code) == ("reviews_b", "pair_mismatch")
    with pytest.raises(InputError) as raised:
        calibration(RUBRIC, [review], [{"greeting": 4, "accuracy": 10}])
    assert (raised.value.field, raised.value.code) == ("empathy", "missing_answer")


# --- properties ---------------------------------------------------------------------------------

SCALES = st.sampled_from([range(1, 6), range(0, 11), (0, 1), (0, 5, 10), (1, 2, 3, 4)])


@st.composite
def reviews(draw):
    """A random rubric and a valid set of answers for it."""
    count = draw(st.integers(1, 6))
    criteria = []
    answers = {}
    for index in range(count):
        criterion = Criterion(
            f"c{index}",
            draw(SCALES),
            weight=draw(st.floats(0.01, 100)),
            critical=draw(st.booleans()),
            not_applicable_allowed=draw(st.booleans()),
        )
        criteria.append(criterion)
        choices = list(criterion.points) + ([None] if criterion.not_applicable_allowed else [])
        answers[criterion.key] = draw(st.sampled_from(choices))
    return Rubric(tuple(criteria)), answers


@given(reviews())
def test_score_is_between_0_and_100_and_none_only_when_all_not_applicable(review):
    rubric, answers = review
    score = review_score(rubric, answers).score
    if all(points is None for points in answers.values()):
        assert score is None
    else:
        assert score is not None
        assert 0 <= score <= 100


@given(reviews(), st.floats(0.01, 100), st.booleans(), SCALES)
def test_adding_a_not_applicable_criterion_never_changes_the_score(review, weight, critical, scale):
    rubric, answers = review
    extra = Criterion("extra", scale, weight=weight, critical=critical, not_applicable_allowed=True)
    wider = Rubric((*rubric.criteria, extra))
    assert (
        review_score(wider, {**answers, "extra": None}).score == review_score(rubric, answers).score
    )


def test_equal_scales_make_equal_criteria():
    # The same 1–5 scale written as a range, as a list and shuffled with a repeat.
    assert Criterion("a", range(1, 6)) == Criterion("a", [5, 4, 3, 2, 1, 1])
    assert hash(Criterion("a", [1, 2, 3])) == hash(Criterion("a", (3, 2, 1)))
