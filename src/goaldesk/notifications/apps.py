from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "goaldesk.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from goaldesk.core.jobs import job_ended
        from goaldesk.notifications.signals import job_notify

        job_ended.connect(job_notify, dispatch_uid="notifications.job_ended")
