from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "goaldesk.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from goaldesk.coaching import pulse_services
        from goaldesk.core.periodic import register

        # Opens each organisation's pulse round when due (once per organisation and day).
        register("pulse-rounds", 60 * 60, pulse_services.pulse_rounds_open_due)
