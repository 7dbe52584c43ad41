"""Coaching's models, one module per part: quality reviews (`quality`), scorecards, personal
targets and recognition (`recognition`), the team pulse (`pulse`)."""

from .pulse import PulseReceipt, PulseRound, PulseSettings, PulseTally  # noqa: F401
from .quality import (  # noqa: F401
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
from .recognition import Badge, BadgeKind, CoachingSettings, GoalBadgesAwarded, Recognition  # noqa: F401
