from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: How often the worker's clock fills the quality review queues (filling is idempotent).
QUALITY_QUEUE_EVERY_SECONDS = 60 * 60


class CoachingConfig(AppConfig):
    name = "goaldesk.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from goaldesk.coaching import quality_services
        from goaldesk.core.periodic import register

        register("quality-queue", QUALITY_QUEUE_EVERY_SECONDS, quality_services.queue_fill_all)
