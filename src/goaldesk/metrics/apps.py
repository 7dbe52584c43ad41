from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "goaldesk.metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        from goaldesk.core.periodic import register
        from goaldesk.metrics import summaries

        # Builds the day summaries of the days whose interactions changed (metrics/models.py).
        register("metrics-summaries", summaries.BUILD_EVERY_SECONDS, summaries.summaries_build_due)
