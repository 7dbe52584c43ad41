from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "goaldesk.goals"
    verbose_name = _("Goals")

    def ready(self) -> None:
        from goaldesk.customers.signals import segment_deleting, segment_renamed
        from goaldesk.goals.signals import (
            goal_scopes_follow_merged_agent,
            goal_scopes_follow_renamed_segment,
            goals_using_segment,
        )
        from goaldesk.goals.wording import level_ranked
        from goaldesk.notifications.kinds import WORDS
        from goaldesk.team.signals import agent_merged

        agent_merged.connect(goal_scopes_follow_merged_agent, dispatch_uid="goals.agent_merged")
        segment_renamed.connect(
            goal_scopes_follow_renamed_segment, dispatch_uid="goals.segment_renamed"
        )
        segment_deleting.connect(goals_using_segment, dispatch_uid="goals.segment_deleting")
        # A level in a notification reads as on the level page, in the reader's language.
        WORDS["level"] = level_ranked
