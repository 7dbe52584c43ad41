"""Quality review test data, written through the services (so scores and totals are real)."""

from goaldesk.coaching.quality_services import CriterionData, review_create, rubric_create

#: A small rubric worked through by hand in the tests:
#: greeting 0–2 (weight 1), solution 0–4 (weight 2, critical), follow-up 0–1 (weight 1, N/A).
HAND_CRITERIA = [
    CriterionData(label="Greeting", key="greeting", scale_min=0, scale_max=2, weight=1),
    CriterionData(
        label="Solution correct", key="solution", scale_min=0, scale_max=4, weight=2, critical=True
    ),
    CriterionData(
        label="Follow-up",
        key="follow_up",
        scale_min=0,
        scale_max=1,
        weight=1,
        not_applicable_allowed=True,
    ),
]


def rubric_make(organisation, name="Support calls", criteria=None, user=None):
    return rubric_create(
        organisation=organisation, name=name, criteria=criteria or HAND_CRITERIA, user=user
    )


def answers(**points):
    """greeting=2, solution=4, follow_up=None → the services' answer input."""
    return {key: (value, "") for key, value in points.items()}


def review_make(interaction, version, reviewer, points=None, comment=""):
    return review_create(
        interaction=interaction,
        reviewer=reviewer,
        version=version,
        answers=answers(**(points or {"greeting": 2, "solution": 4, "follow_up": 1})),
        comment=comment,
    )
