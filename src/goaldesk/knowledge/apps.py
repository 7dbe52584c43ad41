from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "goaldesk.knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        from goaldesk.knowledge.selectors import PROVIDERS
        from goaldesk.metrics.providers import register

        for key, provider in PROVIDERS.items():
            register(key, provider)
