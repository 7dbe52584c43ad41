"""Quality reviews through the services: scores worked out by hand, the interaction's totals,
rubric versions, the dispute flow and its notifications, the queue."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import RestrictedError

from goaldesk.accounts.models import Role
from goaldesk.coaching import quality_services as services
from goaldesk.coaching.models import QualityReview, QueueItem, ReviewState, RubricVersion
from goaldesk.coaching.quality_selectors import calibration_for
from goaldesk.coaching.quality_services import CriterionData
from goaldesk.interactions.models import Interaction
from goaldesk.notifications.models import Notification
from tests.coaching.factories import HAND_CRITERIA, answers, review_make, rubric_make
from tests.factories import AgentFactory, InteractionFactory, MembershipFactory, UserFactory


@pytest.fixture
def setup(org):
    manager = UserFactory(username="manager")
    MembershipFactory(organisation=org, user=manager, role=Role.MANAGER)
    second = UserFactory(username="second")
    MembershipFactory(organisation=org, user=second, role=Role.OWNER)
    agent_user = UserFactory(username="aisha", email="aisha@example.com")
    MembershipFactory(organisation=org, user=agent_user, role=Role.AGENT)
    agent = AgentFactory(organisation=org, key="aisha", user=agent_user)
    interaction = InteractionFactory(organisation=org, agent=agent)
    version = rubric_make(org).versions.get()
    return {
        "org": org,
        "manager": manager,
        "second": second,
        "agent_user": agent_user,
        "agent": agent,
        "interaction": interaction,
        "version": version,
    }


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        # greeting 2/2 = 100 (w1), solution 4/4 = 100 (w2), follow-up 1/1 = 100 (w1) → 100.
        ({"greeting": 2, "solution": 4, "follow_up": 1}, 100.0),
        # 50 (w1), 75 (w2), 0 (w1): (50 + 150 + 0) / 4 = 50.
        ({"greeting": 1, "solution": 3, "follow_up": 0}, 50.0),
        # Follow-up not applicable, left out: (50 + 2 × 75) / 3 = 66.67.
        ({"greeting": 1, "solution": 3, "follow_up": None}, 200 / 3),
        # Critical solution 1/4 = 25 < 50: the review scores 0 whatever else.
        ({"greeting": 2, "solution": 1, "follow_up": 1}, 0.0),
        # Solution exactly 2/4 = 50 is not below 50: (0 + 100 + 100) / 4 = 50.
        ({"greeting": 0, "solution": 2, "follow_up": 1}, 50.0),
    ],
)
def test_the_review_score_matches_hand_examples(setup, points, expected):
    review = review_make(setup["interaction"], setup["version"], setup["manager"], points=points)
    assert review.score == pytest.approx(expected)
    assert QualityReview.objects.get().score == pytest.approx(expected)


def test_a_review_with_every_criterion_not_applicable_has_no_score_and_does_not_count(setup):
    org = setup["org"]
    all_na = [
        CriterionData(label="Upsell", key="upsell", scale_min=1, scale_max=5,
                      not_applicable_allowed=True),
    ]  # fmt: skip
    version = rubric_make(org, name="Sales", criteria=all_na).versions.get()
    review = review_make(setup["interaction"], version, setup["manager"], points={"upsell": None})
    assert review.score is None
    setup["interaction"].refresh_from_db()
    assert (setup["interaction"].qa_reviews, setup["interaction"].qa_score_sum) == (0, 0.0)


def test_answers_that_cannot_be_used_name_the_criterion(setup):
    with pytest.raises(ValidationError) as caught:
        review_make(
            setup["interaction"], setup["version"], setup["manager"],
            points={"greeting": None, "solution": 4, "follow_up": 1},
        )  # fmt: skip
    assert "Greeting" in str(caught.value.message_dict["greeting"])
    with pytest.raises(ValidationError) as caught:
        review_make(
            setup["interaction"], setup["version"], setup["manager"],
            points={"greeting": 3, "solution": 4, "follow_up": 1},
        )  # fmt: skip
    assert "from 0 to 2" in str(caught.value.message_dict["greeting"])
    assert not QualityReview.objects.exists()


def test_interaction_totals_follow_reviews_corrections_and_deletions(setup):
    interaction = setup["interaction"]
    first = review_make(
        interaction,
        setup["version"],
        setup["manager"],
        points={"greeting": 1, "solution": 3, "follow_up": 0},
    )  # 50
    review_make(interaction, setup["version"], setup["second"])  # 100
    interaction.refresh_from_db()
    assert (interaction.qa_reviews, interaction.qa_score_sum) == (2, pytest.approx(150.0))
    services.review_correct(
        review=first, answers=answers(greeting=2, solution=4, follow_up=None)
    )  # 100
    interaction.refresh_from_db()
    assert (interaction.qa_reviews, interaction.qa_score_sum) == (2, pytest.approx(200.0))
    services.review_delete(review=first)
    interaction.refresh_from_db()
    assert (interaction.qa_reviews, interaction.qa_score_sum) == (1, pytest.approx(100.0))


def test_one_review_per_reviewer_and_interaction(setup):
    review_make(setup["interaction"], setup["version"], setup["manager"])
    with pytest.raises(ValidationError):
        review_make(setup["interaction"], setup["version"], setup["manager"])


def _criteria_of(version):
    return [
        CriterionData(
            key=c.key, label=c.label, help_text=c.help_text, scale_min=c.scale_min,
            scale_max=c.scale_max, weight=c.weight, critical=c.critical,
            not_applicable_allowed=c.not_applicable_allowed,
        )
        for c in version.criteria.order_by("position")
    ]  # fmt: skip


def test_an_unused_rubric_is_edited_in_place_a_used_one_gets_a_new_version(setup):
    version = setup["version"]
    rubric = version.rubric
    changed = _criteria_of(version)
    changed[0] = CriterionData(key="greeting", label="Greeting by name", scale_min=0, scale_max=2)
    same = services.rubric_update(
        rubric=rubric, name=rubric.name, active=True, criteria=changed, user=setup["manager"]
    )
    assert same.pk == version.pk and same.number == 1
    assert version.criteria.get(key="greeting").label == "Greeting by name"

    old = review_make(
        setup["interaction"],
        version,
        setup["manager"],
        points={"greeting": 1, "solution": 3, "follow_up": 0},
    )  # 50 under v1
    # Saving the same criteria again makes no version.
    again = services.rubric_update(
        rubric=rubric, name="Calls", active=True, criteria=changed, user=setup["manager"]
    )
    assert again.pk == version.pk
    # Follow-up now weighs 3: a new version; the old review keeps v1 and its score.
    heavier = [
        *changed[:2],
        CriterionData(
            key="follow_up",
            label="Follow-up",
            scale_min=0,
            scale_max=1,
            weight=3,
            not_applicable_allowed=True,
        ),
    ]
    new = services.rubric_update(
        rubric=rubric, name="Calls", active=True, criteria=heavier, user=setup["manager"]
    )
    assert new.number == 2
    assert RubricVersion.objects.filter(rubric=rubric).count() == 2
    old.refresh_from_db()
    assert old.rubric_version_id == version.pk and old.score == pytest.approx(50.0)
    assert [c.weight for c in version.criteria.order_by("position")] == [1, 2, 1]
    # The same answers under v2: (50 + 2 × 75 + 3 × 0) / 6 = 33.33.
    other = InteractionFactory(organisation=setup["org"], agent=setup["agent"])
    review = review_make(
        other, new, setup["manager"], points={"greeting": 1, "solution": 3, "follow_up": 0}
    )
    assert review.score == pytest.approx(200 / 6)


def test_a_rubric_needs_sensible_criteria(setup):
    with pytest.raises(ValidationError):
        services.rubric_create(organisation=setup["org"], name="Empty", criteria=[], user=None)
    with pytest.raises(ValidationError) as caught:
        services.rubric_create(
            organisation=setup["org"], name="Bad",
            criteria=[CriterionData(label="Tone", scale_min=3, scale_max=3)], user=None,
        )  # fmt: skip
    assert "highest points" in str(caught.value)
    # The same label twice gets two keys.
    rubric = services.rubric_create(
        organisation=setup["org"], name="Twice",
        criteria=[CriterionData(label="Tone"), CriterionData(label="Tone")], user=None,
    )  # fmt: skip
    assert [c.key for c in rubric.versions.get().criteria.all()] == ["tone", "tone-2"]
    assert HAND_CRITERIA[0].key == "greeting"


def test_the_agent_is_credited_when_the_review_is_made(setup):
    review = review_make(setup["interaction"], setup["version"], setup["manager"])
    Interaction.objects.filter(pk=setup["interaction"].pk).update(agent=None)
    review.refresh_from_db()
    assert review.agent == setup["agent"]


def test_acknowledge_dispute_and_resolve_tell_the_right_people(setup):
    review = review_make(
        setup["interaction"],
        setup["version"],
        setup["manager"],
        points={"greeting": 1, "solution": 1, "follow_up": 0},
    )  # critical: 0
    told = Notification.objects.filter(kind="quality_review_received")
    assert [n.recipient for n in told] == [setup["agent_user"]]

    with pytest.raises(ValidationError):
        services.review_dispute(review=review, user=setup["manager"], reason="not mine")
    with pytest.raises(ValidationError):
        services.review_dispute(review=review, user=setup["agent_user"], reason="  ")
    services.review_dispute(review=review, user=setup["agent_user"], reason="The fix was right")
    assert review.state == ReviewState.DISPUTED
    managers = {n.recipient for n in Notification.objects.filter(kind="quality_review_disputed")}
    assert managers == {setup["manager"], setup["second"]}
    with pytest.raises(ValidationError):
        services.review_acknowledge(review=review, user=setup["agent_user"])

    services.review_resolve(
        review=review, user=setup["second"], outcome="upheld", note="Agreed",
        answers=answers(greeting=1, solution=4, follow_up=0),
    )  # fmt: skip
    review.refresh_from_db()
    # (50 + 2 × 100 + 0) / 4 = 62.5
    assert review.state == ReviewState.RESOLVED and review.score == pytest.approx(62.5)
    setup["interaction"].refresh_from_db()
    assert setup["interaction"].qa_score_sum == pytest.approx(62.5)
    resolved = Notification.objects.get(kind="quality_dispute_resolved")
    assert resolved.recipient == setup["agent_user"]
    assert resolved.text() == (
        "Your dispute of the review of 2 Mar 2026 was upheld: the review was corrected."
    )


def test_a_rejected_dispute_keeps_the_score(setup):
    review = review_make(
        setup["interaction"],
        setup["version"],
        setup["manager"],
        points={"greeting": 1, "solution": 3, "follow_up": 0},
    )
    services.review_dispute(review=review, user=setup["agent_user"], reason="Too harsh")
    services.review_resolve(review=review, user=setup["manager"], outcome="rejected")
    review.refresh_from_db()
    assert (review.state, review.outcome, review.score) == ("resolved", "rejected", 50.0)
    with pytest.raises(ValidationError):
        services.review_resolve(review=review, user=setup["manager"], outcome="rejected")


def test_acknowledging_is_for_the_agent_only(setup):
    review = review_make(setup["interaction"], setup["version"], setup["manager"])
    with pytest.raises(ValidationError):
        services.review_acknowledge(review=review, user=setup["second"])
    services.review_acknowledge(review=review, user=setup["agent_user"])
    assert review.state == ReviewState.ACKNOWLEDGED


def test_calibration_of_two_reviewers(setup):
    org, version = setup["org"], setup["version"]
    one = setup["interaction"]
    two = InteractionFactory(organisation=org, agent=setup["agent"])
    # Interaction one: identical answers (3 of 3 agree, difference 0).
    review_make(
        one, version, setup["manager"], points={"greeting": 2, "solution": 4, "follow_up": 1}
    )
    review_make(
        one, version, setup["second"], points={"greeting": 2, "solution": 4, "follow_up": 1}
    )
    # Interaction two: only follow-up agrees (1 of 3); scores 50 and (100 + 2×75 + 0)/4 = 62.5.
    review_make(
        two, version, setup["manager"], points={"greeting": 1, "solution": 3, "follow_up": 0}
    )
    review_make(
        two, version, setup["second"], points={"greeting": 2, "solution": 3, "follow_up": 0}
    )
    summary = calibration_for(organisation=org)
    assert len(summary.pairs) == 2
    # Agreement: 2 + ... per pair: one → 3, two → greeting differs, solution same, follow-up same
    # = 2; (3 + 2) / 6 = 83.3 %. Difference: (0 + 12.5) / 2 = 6.25.
    assert summary.criteria_agreement_pct == pytest.approx(500 / 6)
    assert summary.mean_score_difference == pytest.approx(6.25)


def _interaction(org, agent, day, n, **fields):
    return InteractionFactory(
        organisation=org, agent=agent, external_id=f"Q-{day}-{n}",
        created_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), local_date=day, **fields,
    )  # fmt: skip


def test_the_queue_samples_each_agent_per_finished_week_and_adds_every_flagged_one(setup):
    org = setup["org"]
    org.week_start = 1  # Monday
    org.save()
    other = AgentFactory(organisation=org, key="omid")
    today = dt.date(2026, 3, 18)  # a Wednesday; this week starts on Monday 16 March
    last_week = dt.date(2026, 3, 10)
    for n in range(5):
        _interaction(org, setup["agent"], last_week, n)
        _interaction(org, other, last_week, 10 + n)
    low = _interaction(org, other, last_week, 20, csat=2)
    unhappy = _interaction(org, setup["agent"], today, 21, sentiment_end="negative")
    _interaction(org, setup["agent"], today, 22)  # this week: not sampled yet
    _interaction(org, setup["agent"], dt.date(2026, 2, 20), 23, csat=1)  # too old

    added = services.queue_fill(organisation=org, today=today)
    items = {item.interaction_id: item for item in QueueItem.objects.filter(organisation=org)}
    # Two weeks back: the week of 2 March has the fixture's one interaction of Aisha (sampled);
    # last week 2 per agent (the default); plus the two flagged ones.
    assert added == 7 and len(items) == 7
    assert items[setup["interaction"].pk].reason == "sample"
    assert items[low.pk].reason == "low_csat" and items[low.pk].week == dt.date(2026, 3, 9)
    assert items[unhappy.pk].reason == "negative_sentiment"
    sampled = [i for i in items.values() if i.reason == "sample"]
    assert sorted(i.interaction.agent.key for i in sampled) == ["aisha"] * 3 + ["omid"] * 2
    assert {i.interaction_id for i in sampled}.isdisjoint({low.pk})

    # Filling again adds nothing; the same data in another run gives the same sample.
    assert services.queue_fill(organisation=org, today=today) == 0
    chosen = sorted(i.interaction_id for i in sampled)
    QueueItem.objects.all().delete()
    services.queue_fill(organisation=org, today=today)
    again = sorted(
        QueueItem.objects.filter(reason="sample").values_list("interaction_id", flat=True)
    )
    assert again == chosen


def test_a_review_marks_the_queue_item_done_and_the_rules_can_be_turned_off(setup):
    org = setup["org"]
    day = dt.date(2026, 3, 18)
    low = _interaction(org, setup["agent"], day, 1, csat=1)
    services.quality_settings_save(
        organisation=org, sample_per_agent_week=0, low_csat=True, negative=False
    )
    _interaction(org, setup["agent"], day, 2, sentiment_end="negative")
    assert services.queue_fill(organisation=org, today=day) == 1
    review_make(low, setup["version"], setup["manager"])
    assert QueueItem.objects.get(interaction=low).done_at is not None
    with pytest.raises(ValidationError):
        services.quality_settings_save(
            organisation=org, sample_per_agent_week=99, low_csat=True, negative=True
        )


def test_an_organisation_with_reviews_can_be_deleted(setup):
    """Answers point at criteria and reviews at versions (RESTRICT: a used version cannot be
    removed on its own), yet deleting the organisation takes everything with it."""
    review_make(setup["interaction"], setup["version"], setup["manager"])
    with pytest.raises(RestrictedError):
        setup["version"].delete()
    setup["org"].delete()
    assert not QualityReview.objects.exists() and not RubricVersion.objects.exists()
