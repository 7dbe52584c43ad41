from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "goaldesk.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Every app's tasks module registers the task that runs its jobs
        # (goaldesk.core.jobs.JOB_TASKS), which retries and the worker's recovery look up.
        autodiscover_modules("tasks")

        from goaldesk.core import periodic
        from goaldesk.core.throttle import throttle_prune

        # Counted requests of kinds nobody sent for a while would otherwise stay until the next.
        periodic.register("throttle_prune", 3600, throttle_prune)
