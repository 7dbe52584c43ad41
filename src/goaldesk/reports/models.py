"""What was sent: one row per digest, its idempotency key."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from goaldesk.accounts.models import Organisation
from goaldesk.notifications.models import DigestFrequency


class DigestDelivery(models.Model):
    """One digest to one person about one organisation and period. The row is written before
    the e-mail is sent, in its own transaction; the unique key makes a second sender (another
    worker, the CLI) fail to write it and so not send. A failed send deletes it again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=8, choices=DigestFrequency.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "frequency", "period_start"],
                name="digest_delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organisation_id}: {self.frequency} {self.period_start}"


class PeriodicRun(models.Model):
    """One run of a periodic job for one time slot (`slot`: the start of the slot, in whole
    intervals since the epoch). The worker that writes the row runs the job; the others, finding
    it written, skip that slot: the work happens once however many workers run the clock."""

    name = models.CharField(max_length=64)
    slot = models.BigIntegerField()
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="periodic_run_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.slot}"
