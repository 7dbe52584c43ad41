"""Coaching's models, one module per part: quality reviews (`quality`), scorecards, personal
targets and recognition (`recognition`), the team pulse (`pulse`)."""

from .recognition import Badge, BadgeKind, CoachingSettings, GoalBadgesAwarded, Recognition  # noqa: F401
