"""Coaching's models, one module per part: quality reviews (`quality`), scorecards, personal
targets and recognition (`recognition`), the team pulse (`pulse`)."""

from goaldesk.coaching.models.quality import *  # noqa: F403
