from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: How often the worker's clock looks for digests to send (each is sent once whatever runs it).
DIGESTS_EVERY_SECONDS = 15 * 60
#: How often it closes goals past their deadline and runs the alert checks.
CHECKS_EVERY_SECONDS = 15 * 60


class ReportsConfig(AppConfig):
    name = "goaldesk.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from goaldesk.core.periodic import register
        from goaldesk.reports import services

        register("digests", DIGESTS_EVERY_SECONDS, services.digests_send_due)
        register("goals-close-due", CHECKS_EVERY_SECONDS, services.goals_close_all)
        register("alerts", CHECKS_EVERY_SECONDS, services.alerts_run)
