"""Coaching's models, one module per part: quality reviews (`quality`), scorecards, personal
targets and recognition (`recognition`), the team pulse (`pulse`)."""

from .pulse import PulseReceipt, PulseRound, PulseSettings, PulseTally  # noqa: F401
from .recognition import Badge, BadgeKind, CoachingSettings, GoalBadgesAwarded, Recognition  # noqa: F401
