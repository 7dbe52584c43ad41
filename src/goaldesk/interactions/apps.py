from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "goaldesk.interactions"
    verbose_name = _("Interactions")

    def ready(self) -> None:
        from goaldesk.accounts.signals import clock_changed
        from goaldesk.customers import activity
        from goaldesk.interactions import segments
        from goaldesk.interactions.models import Channel
        from goaldesk.interactions.tasks import derived_recompute_later
        from goaldesk.team.skill_labels import channel_labels_register

        channel_labels_register(Channel.choices)
        activity.register(
            activity=segments.customer_activity,
            interactions=segments.customer_interactions,
            members=segments.segment_members,
        )

        clock_changed.connect(derived_recompute_later, dispatch_uid="interactions.derived")
