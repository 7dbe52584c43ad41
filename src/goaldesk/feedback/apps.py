from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "goaldesk.feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from goaldesk.accounts.models import Organisation
        from goaldesk.core import periodic
        from goaldesk.customers import activity
        from goaldesk.metrics.providers import register

        from . import survey_selectors, survey_services

        # A new organisation starts with a ready CSAT survey (accounts cannot import feedback).
        post_save.connect(
            survey_services.organisation_created,
            sender=Organisation,
            dispatch_uid="feedback.survey_default",
        )
        register("survey_response_rate", survey_selectors.response_rate)
        activity.register(answers=survey_selectors.customer_answers)
        periodic.register("surveys", 300, survey_services.periodic_surveys)
