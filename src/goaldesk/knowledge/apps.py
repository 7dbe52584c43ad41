from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "goaldesk.knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        from goaldesk.interactions import detail_sections
        from goaldesk.knowledge.selectors import PROVIDERS, interaction_contact_section
        from goaldesk.metrics.providers import register

        for key, provider in PROVIDERS.items():
            register(key, provider)
        # the visitor's message on the page of the interaction "contact us" created
        detail_sections.register("knowledge.contact", interaction_contact_section)
