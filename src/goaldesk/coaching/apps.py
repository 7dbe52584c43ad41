from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: How often the worker's clock fills the quality review queues (filling is idempotent).
QUALITY_QUEUE_EVERY_SECONDS = 60 * 60


class CoachingConfig(AppConfig):
    name = "goaldesk.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from goaldesk.coaching import pulse_services, quality_services, recognition_services
        from goaldesk.core.periodic import register

        # Opens each organisation's pulse round when due (once per organisation and day).
        register("pulse-rounds", 60 * 60, pulse_services.pulse_rounds_open_due)
        # Badges of goals that closed (goals close on the reports clock, every 15 minutes).
        register("coaching-badges", 15 * 60, recognition_services.badges_award_all)
        # Tops up each organisation's review queue by its rules.
        register("quality-queue", QUALITY_QUEUE_EVERY_SECONDS, quality_services.queue_fill_all)
