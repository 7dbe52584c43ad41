"""What a person was told, and how each person wants to be told."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.notifications.kinds import KINDS, kind_choices


class Notification(models.Model):
    """One event for one person, shown under the bell until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=kind_choices())
    #: What the text is written from, in the reader's language when shown (see kinds.py).
    params = models.JSONField(default=dict, blank=True)
    #: The page the event is about (a path on this site).
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    def text(self) -> str:
        """What happened, in the active language."""
        return KINDS[self.kind].describe(self.params)


class DigestFrequency(models.TextChoices):
    NONE = "none", _("No digest")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Preference(models.Model):
    """A person's choices; a kind without a row keeps its defaults (`Kind.in_app`, `.email`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=kind_choices())
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"


class DigestSetting(models.Model):
    """How often a person gets the digest; without a row, managers and owners get it weekly
    and others never (`selectors.digest_frequency_for`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_setting"
    )
    frequency = models.CharField(
        _("digest"), max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"
